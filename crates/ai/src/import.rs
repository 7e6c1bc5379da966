//! A web page read into knowledge entries: one per heading, its text below it, cleaned
//! (links without their footnotes, tables as " — "-joined rows, entities decoded).

use switchboard_api::KnowledgeEntry;

use crate::site::PageRead;
use crate::text::clean_text;

/// What an entry holds at most, as the API takes it.
pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;

/// What an import changes in the workspace's knowledge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnowledgeChanges {
    pub create: Vec<KnowledgeEntry>,
    /// Entries whose text changed, with their new text.
    pub update: Vec<KnowledgeEntry>,
    /// Ids of entries of a page read again whose heading is gone from it.
    pub delete: Vec<String>,
    pub unchanged: usize,
    /// Sections whose entry a person wrote or edited, left as they are.
    pub edited: usize,
}

/// The changes that make `existing` (the entries citing any of `pages`' addresses) match
/// what `pages` say now. An entry is a page's section: its address and heading; a
/// section found again keeps its entry (updated when its text changed), a new one is
/// created, and one gone from its page is removed. Entries of other pages stay, and so do
/// entries a person wrote or edited (not `imported`): a section they share an address
/// and heading with is theirs, not read over them.
pub fn plan(
    existing: Vec<KnowledgeEntry>,
    pages: &[PageRead],
    now: &str,
    mut new_id: impl FnMut() -> String,
) -> KnowledgeChanges {
    let mut changes = KnowledgeChanges::default();
    let mut kept: Vec<String> = Vec::new();
    let mut existing = existing;
    for page in pages {
        let mut titles: Vec<String> = Vec::new();
        for section in &page.sections {
            // The same heading twice on one page ("Prices" for two clinics): numbered.
            let base: String = section.title.chars().take(MAX_TITLE - 5).collect();
            let mut title = base.clone();
            let mut n = 1;
            while titles.contains(&title) {
                n += 1;
                title = format!("{base} ({n})");
            }
            titles.push(title.clone());
            let body: String = section.body.chars().take(MAX_BODY).collect();
            let found = existing.iter().position(|e| e.url.as_deref() == Some(page.url.as_str()) && e.title == title);
            match found.map(|i| existing.swap_remove(i)) {
                Some(e) if !e.imported => {
                    changes.edited += 1;
                    kept.push(e.id);
                }
                Some(e) if e.body == body => {
                    changes.unchanged += 1;
                    kept.push(e.id);
                }
                Some(mut e) => {
                    e.body = body;
                    e.updated_at = now.to_owned();
                    kept.push(e.id.clone());
                    changes.update.push(e);
                }
                None => changes.create.push(KnowledgeEntry {
                    id: new_id(),
                    title,
                    body,
                    url: Some(page.url.clone()),
                    imported: true,
                    created_at: now.to_owned(),
                    updated_at: now.to_owned(),
                    seq: 0,
                }),
            }
        }
    }
    let read: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    changes.delete = existing
        .into_iter()
        .filter(|e| e.imported && e.url.as_deref().is_some_and(|u| read.contains(&u)) && !kept.contains(&e.id))
        .map(|e| e.id)
        .collect();
    changes
}

/// One entry of a page: its heading and what the page says under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub body: String,
}

/// Width the page is laid out at; wide enough that table rows stay on one line.
const WIDTH: usize = 400;

/// The sections of an HTML page, in page order. Headings without text under them (a
/// "FAQ" above its questions) are left out; text before the first heading is titled with
/// the page's title.
pub fn sections(html: &str, page_title: &str) -> Vec<Section> {
    let html = without_navigation(html);
    let Ok(text) = html2text::config::plain().string_from_read(html.as_bytes(), WIDTH) else { return Vec::new() };
    let mut out: Vec<Section> = Vec::new();
    let mut title = page_title.to_owned();
    let mut body: Vec<String> = Vec::new();
    let mut flush = |title: &str, body: &mut Vec<String>| {
        let text = clean_text(&body.join("\n"));
        let text = text.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
        if !text.is_empty() {
            out.push(Section { title: clean_text(title), body: text });
        }
        body.clear();
    };
    for line in text.lines() {
        if is_footnote(line) {
            continue;
        }
        let line = without_emphasis(&without_link_marks(line));
        if let Some(heading) = line.strip_prefix('#') {
            flush(&title, &mut body);
            title = heading.trim_start_matches('#').trim().to_owned();
        } else {
            body.push(line);
        }
    }
    flush(&title, &mut body);
    out
}

/// The page without its `<nav>` menus: link lists, not what the business says.
fn without_navigation(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(i) = lower[at..].find("<nav") {
        let start = at + i;
        let is_tag = lower[start + 4..].starts_with(|c: char| c == '>' || c.is_whitespace());
        let Some(end) = lower[start..].find("</nav>").map(|e| start + e + "</nav>".len()) else { break };
        if !is_tag {
            out.push_str(&html[at..start + 4]);
            at = start + 4;
            continue;
        }
        out.push_str(&html[at..start]);
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// html2text marks bold and italics with `*`; a bullet's "* " stays.
fn without_emphasis(line: &str) -> String {
    match line.strip_prefix("* ") {
        Some(rest) => format!("* {}", rest.replace('*', "")),
        None => line.replace('*', ""),
    }
}

/// "[1]: https://…", the link list html2text appends.
fn is_footnote(line: &str) -> bool {
    line.starts_with('[') && line.split_once("]: ").is_some_and(|(n, _)| n[1..].chars().all(|c| c.is_ascii_digit()))
}

/// "[Book online][7]" → "Book online".
fn without_link_marks(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("][").map(|c| open + c) else { break };
        let Some(end) = rest[close + 2..].find(']').map(|e| close + 2 + e) else { break };
        if !rest[close + 2..end].chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        }
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_import_updates_what_changed_and_removes_what_is_gone() {
        let page = |sections: &[(&str, &str)]| PageRead {
            url: "https://clinic.example/".into(),
            title: "Clinic".into(),
            sections: sections.iter().map(|(t, b)| Section { title: (*t).into(), body: (*b).into() }).collect(),
        };
        let mut n = 0;
        let mut id = || {
            n += 1;
            format!("kn_{n}")
        };
        let first = plan(
            Vec::new(),
            &[page(&[("Hours", "Mon–Fri 8–19"), ("Prices", "Check-up $95"), ("Prices", "Kids $60")])],
            "t1",
            &mut id,
        );
        assert_eq!(
            first.create.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(),
            ["Hours", "Prices", "Prices (2)"]
        );
        let mut existing = first.create.clone();
        existing.push(KnowledgeEntry {
            id: "kn_other".into(),
            title: "Hours".into(),
            body: "another page".into(),
            url: Some("https://clinic.example/other".into()),
            imported: true,
            created_at: "t0".into(),
            updated_at: "t0".into(),
            seq: 1,
        });
        // A person's entries citing the page: one under a heading the page has too.
        for (id, title) in [("kn_typed", "Parking"), ("kn_promise", "Our promise")] {
            existing.push(KnowledgeEntry {
                id: id.into(),
                title: title.into(),
                body: "written by the team".into(),
                url: Some("https://clinic.example/".into()),
                imported: false,
                created_at: "t0".into(),
                updated_at: "t0".into(),
                seq: 2,
            });
        }
        let second = plan(
            existing,
            &[page(&[("Hours", "Mon–Sat 8–19"), ("Prices", "Check-up $95"), ("Parking", "Free")])],
            "t2",
            &mut id,
        );
        assert_eq!(second.update.len(), 1);
        assert_eq!((second.update[0].id.as_str(), second.update[0].body.as_str()), ("kn_1", "Mon–Sat 8–19"));
        assert_eq!(second.unchanged, 1);
        assert!(second.create.is_empty(), "the page's Parking is the team's entry: {:?}", second.create);
        assert_eq!(second.edited, 1);
        assert!(second.update.iter().all(|e| e.imported) && first.create.iter().all(|e| e.imported));
        assert_eq!(
            second.delete,
            ["kn_3"],
            "the second price list is gone; the other page's entry and the team's entries stay"
        );
    }

    #[test]
    fn a_page_becomes_one_entry_per_heading() {
        let html = "<html><head><title>Glow</title></head><body><nav><a href='/'>Home</a></nav>\
            <h1>Glow Salon</h1><p>Hair &amp; beauty since 2010.</p>\
            <h2>Prices</h2><table><tr><th>Service</th><th>Price</th></tr><tr><td>Women&rsquo;s cut</td><td>$45</td></tr></table>\
            <h2>FAQ</h2><h3>Do you take cards?</h3><p>Yes, all cards. <a href='/pay'>More</a></p></body></html>";
        let s = sections(html, "Glow");
        let titles: Vec<&str> = s.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["Glow Salon", "Prices", "Do you take cards?"], "the menu is not an entry");
        assert!(s[1].body.contains("Women’s cut — $45"), "{}", s[1].body);
        assert_eq!(s[2].body, "Yes, all cards. More");
        let text_before =
            sections("<p>Walk-ins welcome.</p><navigation-note>x</navigation-note><h2>Hours</h2><p>9–5</p>", "Glow");
        assert_eq!(text_before[0].title, "Glow", "text before the first heading is titled with the page");
    }
}
