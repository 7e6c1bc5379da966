//! Reading a business's website into knowledge: from the page given, the pages it links
//! to on the same origin, breadth first, as robots.txt allows (RFC 9309, for our agent
//! or `*`), within a page count, a byte budget and a time budget. Each page is cut into
//! sections by heading (`import::sections`).

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use reqwest::Url;

use crate::error::AiError;
use crate::fetch::{PageFetcher, title};
use crate::import::{Section, sections};

/// The agent name robots.txt rules may name.
pub const AGENT: &str = "switchboard";
/// Pages read at most, unless asked for fewer.
pub const MAX_PAGES: usize = 50;
pub const DEFAULT_PAGES: usize = 20;
/// Bytes read in all.
const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;
/// The whole read.
const MAX_TIME: Duration = Duration::from_secs(60);
/// Links looked at per page.
const MAX_LINKS: usize = 500;

/// Files that are not pages of text, by extension.
const NOT_PAGES: &[&str] = &[
    "pdf", "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "css", "js", "json", "xml", "zip", "gz", "mp4", "mp3",
    "mov", "woff", "woff2", "ttf", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
];

/// One page read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRead {
    pub url: String,
    pub title: String,
    pub sections: Vec<Section>,
}

/// A page left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub url: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub pages: Vec<PageRead>,
    pub skipped: Vec<Skipped>,
}

/// Reads the site from `start`. The first page must be readable and allowed; later ones
/// that fail are listed as skipped.
pub async fn read_site(fetcher: &PageFetcher, start: &str, max_pages: usize) -> Result<Site, AiError> {
    let mut start = Url::parse(start).map_err(|_| AiError::unreadable("not a URL"))?;
    if !matches!(start.scheme(), "http" | "https") {
        return Err(AiError::unreadable("only http and https sites can be read"));
    }
    start.set_fragment(None);
    let robots = match fetcher.robots(&start).await? {
        Some(text) => Robots::parse(&text, AGENT),
        None => Robots::default(),
    };
    if !robots.allows(&path_of(&start)) {
        return Err(AiError::unreadable(format!("the site's robots.txt does not allow reading {start}")));
    }
    let began = Instant::now();
    let mut site = Site::default();
    let mut queue: VecDeque<Url> = VecDeque::from([start.clone()]);
    let mut seen: HashSet<String> = HashSet::from([start.to_string()]);
    let mut bytes = 0usize;
    loop {
        if site.pages.len() >= max_pages.clamp(1, MAX_PAGES) || bytes >= MAX_TOTAL_BYTES || began.elapsed() > MAX_TIME {
            break;
        }
        let Some(url) = queue.pop_front() else { break };
        let first = site.pages.is_empty() && site.skipped.is_empty();
        let page = match fetcher.read(url.as_str()).await {
            Ok(p) => p,
            Err(e) if first => return Err(e),
            Err(e) => {
                site.skipped.push(Skipped { url: url.to_string(), reason: e.message });
                continue;
            }
        };
        bytes += page.body.len();
        // A redirect off the site is not followed into it.
        let Ok(mut landed) = Url::parse(&page.url) else { continue };
        landed.set_fragment(None);
        if landed.origin() != start.origin() {
            if first {
                return Err(AiError::unreadable(format!(
                    "{start} leads to another site, {landed}: import from that address"
                )));
            }
            site.skipped.push(Skipped { url: url.to_string(), reason: format!("it leads off the site, to {landed}") });
            continue;
        }
        // Two links that redirect to one page: it is read once.
        if landed != url && (site.pages.iter().any(|p| p.url == landed.as_str()) || !seen.insert(landed.to_string())) {
            continue;
        }
        let (page_title, found) = if page.html {
            let t = title(&page.body).unwrap_or_else(|| landed.to_string());
            let found = sections(&page.body, &t);
            for link in links(&page.body, &landed).into_iter().take(MAX_LINKS) {
                if link.origin() == start.origin() && !is_file(&link) && seen.insert(link.to_string()) {
                    if robots.allows(&path_of(&link)) {
                        queue.push_back(link);
                    } else {
                        site.skipped.push(Skipped { url: link.to_string(), reason: "robots.txt disallows it".into() });
                    }
                }
            }
            (t, found)
        } else {
            let t = landed.to_string();
            let body = crate::text::clean_text(&page.body);
            (t.clone(), if body.trim().is_empty() { Vec::new() } else { vec![Section { title: t, body }] })
        };
        if found.is_empty() {
            if first {
                return Err(AiError::unreadable("the page has no text"));
            }
            site.skipped.push(Skipped { url: landed.to_string(), reason: "the page has no text".into() });
            continue;
        }
        site.pages.push(PageRead { url: landed.to_string(), title: page_title, sections: found });
    }
    for rest in queue {
        site.skipped
            .push(Skipped { url: rest.to_string(), reason: "over the import's page, size or time limit".into() });
    }
    Ok(site)
}

fn path_of(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

fn is_file(url: &Url) -> bool {
    let last = url.path().rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
    last.rsplit_once('.').is_some_and(|(_, ext)| NOT_PAGES.contains(&ext))
}

/// The `href`s of `<a>` and `<area>` elements, resolved against the page (or its
/// `<base href>`), without fragments; `rel="nofollow"` links left out.
pub fn links(html: &str, page: &Url) -> Vec<Url> {
    let lower = html.to_ascii_lowercase();
    let base = tag_attrs(&lower, html, "base")
        .into_iter()
        .find_map(|attrs| attr(&attrs, "href").and_then(|h| page.join(&h).ok()))
        .unwrap_or_else(|| page.clone());
    let mut out = Vec::new();
    for name in ["a", "area"] {
        for attrs in tag_attrs(&lower, html, name) {
            if attr(&attrs, "rel").is_some_and(|r| r.to_ascii_lowercase().split_whitespace().any(|v| v == "nofollow")) {
                continue;
            }
            let Some(href) = attr(&attrs, "href") else { continue };
            let href = crate::text::decode_entities(href.trim());
            if href.is_empty() || href.starts_with('#') {
                continue;
            }
            if let Ok(mut u) = base.join(&href)
                && matches!(u.scheme(), "http" | "https")
            {
                u.set_fragment(None);
                out.push(u);
            }
        }
    }
    out
}

/// The attribute text of every `<name …>` tag.
fn tag_attrs(lower: &str, html: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&open) {
        let start = from + i + open.len();
        from = start;
        // "<a " or "<a\n", not "<abbr".
        if !lower[start..].starts_with(|c: char| c.is_whitespace()) {
            continue;
        }
        let Some(end) = lower[start..].find('>') else { break };
        out.push(html[start..start + end].to_owned());
        from = start + end;
    }
    out
}

/// An attribute's value in a tag's attribute text: quoted with `"` or `'`, or bare.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = attrs.len() - rest.len() + 1;
        let value = attrs[value_at..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default().to_owned(),
            _ => value.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or_default().to_owned(),
        });
    }
    None
}

/// The rules of robots.txt that apply to one agent (RFC 9309): the group naming it, or
/// else the `*` group; the longest matching rule wins, `allow` on a tie; `*` and `$` in
/// paths as the RFC has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    rules: Vec<(bool, String)>,
}

impl Robots {
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // Groups: the agents named, then their rules.
        let mut groups: Vec<(Vec<String>, Vec<(bool, String)>)> = Vec::new();
        let mut in_agents = false;
        let text = text.trim_start_matches('\u{feff}');
        for line in text.split(['\n', '\r']) {
            let line = line.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else { continue };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.1.push((key == "allow", value.to_owned()));
                    }
                }
                _ => {}
            }
        }
        // Our group: its product token, whole, in any case ("Switchboard", "switchboard-ai").
        let ours = |a: &String| a == &agent || a == &format!("{agent}-ai");
        let named: Vec<(bool, String)> =
            groups.iter().filter(|(agents, _)| agents.iter().any(ours)).flat_map(|(_, rules)| rules.clone()).collect();
        let rules = if !groups.iter().any(|(a, _)| a.iter().any(ours)) {
            groups.iter().filter(|(agents, _)| agents.iter().any(|a| a == "*")).flat_map(|(_, r)| r.clone()).collect()
        } else {
            named
        };
        Robots { rules }
    }

    /// Whether `path` (with its query) may be read.
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches_rule(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt path pattern: a prefix, with `*` for any run and `$` for the end.
fn matches_rule(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            at = part.len();
        } else if let Some(found) = path[at..].find(part) {
            at += found + part.len();
        } else {
            return false;
        }
    }
    if anchored {
        // The last part must end the path.
        parts.last().is_some_and(|last| path.ends_with(last)) && (parts.len() > 1 || at == path.len())
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_rules_as_rfc_9309_reads_them() {
        let robots = Robots::parse(
            "User-agent: *\nDisallow: /private\nAllow: /private/open\n\nUser-agent: OtherBot\nDisallow: /\n# comment\n",
            AGENT,
        );
        assert!(robots.allows("/"));
        assert!(robots.allows("/services"));
        assert!(!robots.allows("/private/notes"));
        assert!(robots.allows("/private/open/prices"));
        let named = Robots::parse("User-agent: *\nDisallow: /\n\nUser-agent: Switchboard\nDisallow: /admin\n", AGENT);
        assert!(named.allows("/prices") && !named.allows("/admin/x"), "our own group wins over *");
        let patterns = Robots::parse("User-agent: *\nDisallow: /*.php$\nDisallow: /tmp*/cache\n", AGENT);
        assert!(!patterns.allows("/index.php") && patterns.allows("/index.php?x=1") && patterns.allows("/index.html"));
        assert!(!patterns.allows("/tmp1/cache/a"));
        assert!(Robots::parse("", AGENT).allows("/anything"));
        assert!(Robots::parse("User-agent: *\nDisallow:\n", AGENT).allows("/"), "an empty disallow allows");
        assert!(!Robots::parse("\u{feff}User-agent: *\r\nDisallow: /\r\n", AGENT).allows("/"), "BOM and CRLF");
        assert!(!Robots::parse("User-agent: Switchboard-AI\nDisallow: /\n", AGENT).allows("/x"));
        let other = Robots::parse("User-agent: s\nDisallow: /\n\nUser-agent: *\nAllow: /\n", AGENT);
        assert!(other.allows("/x"), "another agent's group is not ours");
    }

    #[test]
    fn links_resolve_against_the_page_without_fragments_or_nofollow() {
        let page = Url::parse("https://clinic.example/services/index.html").unwrap();
        let html = r##"<a href="/prices#top">Prices</a> <A HREF='team.html'>Team</A> <abbr title="x">x</abbr>
            <a href="#faq">FAQ</a> <a rel="nofollow" href="/login">Log in</a> <a href="mailto:x@y.z">Mail</a>
            <a href="https://other.example/">Other</a> <a href=/hours>Hours</a> <a href="/a?b=1&amp;c=2">Q</a>"##;
        let found: Vec<String> = links(html, &page).iter().map(Url::to_string).collect();
        assert_eq!(
            found,
            [
                "https://clinic.example/prices",
                "https://clinic.example/services/team.html",
                "https://other.example/",
                "https://clinic.example/hours",
                "https://clinic.example/a?b=1&c=2",
            ]
        );
        assert!(is_file(&Url::parse("https://clinic.example/menu.PDF").unwrap()));
        assert!(!is_file(&Url::parse("https://clinic.example/menu").unwrap()));
    }
}
