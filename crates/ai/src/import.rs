//! A web page read into knowledge entries: one per heading, its text below it, cleaned
//! (links without their footnotes, tables as " — "-joined rows, entities decoded).

use crate::text::clean_text;

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
    fn a_page_becomes_one_entry_per_heading() {
        let html = "<html><head><title>Glow</title></head><body><nav><a href='/'>Home</a></nav>\
            <h1>Glow Salon</h1><p>Hair &amp; beauty since 2010.</p>\
            <h2>Prices</h2><table><tr><th>Service</th><th>Price</th></tr><tr><td>Women&rsquo;s cut</td><td>$45</td></tr></table>\
            <h2>FAQ</h2><h3>Do you take cards?</h3><p>Yes, all cards. <a href='/pay'>More</a></p></body></html>";
        let s = sections(html, "Glow");
        let titles: Vec<&str> = s.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["Glow", "Glow Salon", "Prices", "Do you take cards?"]);
        assert!(s[2].body.contains("Women’s cut — $45"), "{}", s[2].body);
        assert_eq!(s[3].body, "Yes, all cards. More");
    }
}
