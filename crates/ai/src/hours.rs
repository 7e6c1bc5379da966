//! Opening hours read from knowledge: lines that name days ("Monday–Friday 8:00–19:00",
//! "Sat 9am–1pm", "Sunday: closed", "Segunda a sexta: 9h às 19h", "Domingo fechado"),
//! so a question about a day is answered for that day and a closed day is never offered.

use chrono::Weekday;

use crate::entities::when::{han_weekday, weekday};
use crate::lang::Lang;
use crate::words::{fold, words};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Day {
    Closed,
    /// The hours as the business writes them: "8:00–19:00".
    Open(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hours {
    days: Vec<(Weekday, Day)>,
    /// The lines they were read from, as written.
    pub lines: Vec<String>,
}

const CLOSED: &[&str] =
    &["closed", "fechado", "fechados", "cerrado", "cerrados", "ferme", "fermes", "tutup", "libur", "off", "descanso"];
const RANGE: &[&str] =
    &["-", "–", "—", "to", "a", "ate", "till", "until", "through", "thru", "au", "hasta", "sampai", "s/d", "sd"];

impl Hours {
    /// Reads the hours from knowledge texts; empty when none are written.
    pub fn read<'a>(texts: impl IntoIterator<Item = &'a str>) -> Hours {
        let mut h = Hours::default();
        // How many days the line that set each day named: a line about fewer days is more
        // particular ("Nocturne le jeudi : jusqu'à 21h" after "du mardi au vendredi").
        let mut named_with: Vec<(Weekday, usize)> = Vec::new();
        for segment in texts.into_iter().flat_map(str::lines).flat_map(segments) {
            let line = segment.trim().trim_start_matches(['*', '-', '•', '·']).trim();
            // "Horario de atención: lunes a viernes …": the label says nothing.
            let line = match line.split_once([':', '：']) {
                Some((label, rest))
                    if days_named(label).is_empty()
                        && !label.chars().any(|c| c.is_ascii_digit())
                        && !days_named(rest).is_empty() =>
                {
                    rest.trim()
                }
                _ => line,
            };
            let days = days_named(line);
            // "Monday–Friday 8:00–19:00", not a sentence that mentions a day.
            let leads = line.split_whitespace().take(3).any(|w| {
                let w = fold(w);
                han_days(&w).is_some()
                    || split_dash(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
                        .iter()
                        .any(|t| page_day(t).is_some())
                    || ["weekday", "weekdays", "weekend", "weekends"]
                        .contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
            });
            if days.is_empty() || !leads || line.chars().count() > 100 {
                continue;
            }
            let ws = words(line);
            let day = if ws.iter().any(|w| CLOSED.contains(&w.as_str())) || text_closed(line) {
                Day::Closed
            } else if let Some(t) = times(line) {
                Day::Open(t)
            } else {
                continue;
            };
            let mut any = false;
            let count = days.len();
            for d in days {
                match h.days.iter().position(|(x, _)| *x == d) {
                    None => {
                        h.days.push((d, day.clone()));
                        named_with.push((d, count));
                        any = true;
                    }
                    Some(at) if named_with.iter().any(|(x, n)| *x == d && *n > count) => {
                        // "until 21h" alone: the same opening, a later close.
                        let later = match (&h.days[at].1, &day) {
                            (Day::Open(before), Day::Open(until))
                                if clock_times(until).is_some_and(|t| t.len() == 1) =>
                            {
                                Day::Open(until_later(before, until))
                            }
                            _ => day.clone(),
                        };
                        h.days[at].1 = later;
                        any = true;
                    }
                    Some(_) => {}
                }
            }
            if any {
                h.lines.push(line.trim_end_matches(['.', '。']).to_owned());
            }
        }
        h
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    pub fn day(&self, d: Weekday) -> Option<&Day> {
        self.days.iter().find(|(x, _)| *x == d).map(|(_, day)| day)
    }

    pub fn is_closed(&self, d: Weekday) -> bool {
        matches!(self.day(d), Some(Day::Closed))
    }

    /// Whether `d` is open at `minutes` after midnight; `None` when the hours do not say
    /// (the day is not written, or its hours cannot be read as a range).
    pub fn is_open_at(&self, d: Weekday, minutes: u32) -> Option<bool> {
        match self.day(d)? {
            Day::Closed => Some(false),
            Day::Open(h) => {
                let spans = ranges(h);
                (!spans.is_empty()).then(|| spans.iter().any(|(from, to)| *from <= minutes && minutes < *to))
            }
        }
    }

    /// The lines for open days, joined: "Monday–Friday 8:00–19:00; Saturday 9am–1pm".
    pub fn open_summary(&self) -> String {
        self.lines
            .iter()
            .filter(|l| {
                let days = days_named(l);
                days.iter().any(|d| !self.is_closed(*d))
            })
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// "8:00–19:00", "9am–1pm", "9h às 19h" as minutes after midnight, opening and closing;
/// a day with a break ("9 a 14h y de 16 a 20h") as its two spans.
fn ranges(hours: &str) -> Vec<(u32, u32)> {
    let Some(found) = clock_times(hours) else { return Vec::new() };
    let span = |from: u32, mut to: u32| {
        // "9–5": the afternoon's five.
        if to <= from && to < 12 * 60 {
            to += 12 * 60;
        }
        (from < to).then_some((from, to))
    };
    if found.len() >= 4 && found.len() % 2 == 0 {
        let spans: Option<Vec<_>> = found.chunks(2).map(|p| span(p[0], p[1])).collect();
        if let Some(spans) = spans {
            return spans;
        }
    }
    match (found.first(), found.last()) {
        (Some(&from), Some(&to)) if found.len() >= 2 => span(from, to).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// "10h à 19h" closing at `until` ("21h") instead: "10h à 21h".
fn until_later(hours: &str, until: &str) -> String {
    let mut last = hours.rfind(|c: char| c.is_ascii_digit()).map_or(hours.len(), |i| i + 1);
    // The old time's own mark goes with it: `until` brings its own.
    for mark in ["am", "pm", "h"] {
        if hours[last..].to_lowercase().starts_with(mark) {
            last += mark.len();
            break;
        }
    }
    // Back to the first character of that time ("–" before it is three bytes).
    let start = hours[..last]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, ':' | '.' | 'h')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    format!("{}{}{}", &hours[..start], until.trim(), &hours[last..])
}

/// Every clock time in `hours`, in minutes after midnight; `None` when one is no time.
fn clock_times(hours: &str) -> Option<Vec<u32>> {
    let lower = hours.to_lowercase();
    let bytes = lower.as_bytes();
    let mut found: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut hour: u32 = lower[start..i].parse().ok()?;
        let mut minute = 0;
        if i + 2 < bytes.len() && matches!(bytes[i], b':' | b'.' | b'h') && bytes[i + 1].is_ascii_digit() {
            let m_start = i + 1;
            i = m_start;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            minute = lower[m_start..i].parse().ok()?;
        }
        let rest = lower[i..].trim_start_matches([' ', 'h']);
        if rest.starts_with("pm") || rest.starts_with("p.m") {
            if hour < 12 {
                hour += 12;
            }
        } else if (rest.starts_with("am") || rest.starts_with("a.m")) && hour == 12 {
            hour = 0;
        }
        if hour > 24 || minute > 59 {
            return None;
        }
        found.push(hour * 60 + minute);
    }
    Some(found)
}

/// A line cut where each part names its own days: "Mon-Sat 8am-6pm, Sun closed",
/// "Martes a sábado de 10:00 a 19:00. Lunes cerrado.", "周一至周五 9:00-18:00，周日休息". A
/// part that names no day belongs to the one before ("lunes a viernes 9:00-14:00, 16:00-20:00").
fn segments(line: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let hard = matches!(c, ';' | ',' | '，' | '；' | '。' | '、');
        // A full stop before a space ends a sentence, unless it ends "Lun." or "Sáb.".
        let stop = c == '.'
            && chars.peek().is_some_and(|(_, n)| n.is_whitespace())
            && page_day(line[..i].rsplit(char::is_whitespace).next().unwrap_or("")).is_none();
        if hard || stop {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    let mut out: Vec<String> = Vec::new();
    for part in parts.into_iter().filter(|p| !p.trim().is_empty()) {
        match out.last_mut() {
            Some(last) if days_named(&part).is_empty() => {
                last.push_str(", ");
                last.push_str(part.trim());
            }
            _ => out.push(part.trim().to_owned()),
        }
    }
    if out.len() >= 2 { out } else { vec![line.to_owned()] }
}

/// A weekday as an opening-hours line writes it: in full, or cut short with or without a
/// full stop ("Lun.", "sáb", "ven", "Sen").
fn page_day(token: &str) -> Option<Weekday> {
    const SHORT: &[(&str, Weekday)] = &[
        ("lun", Weekday::Mon),
        ("seg", Weekday::Mon),
        ("sen", Weekday::Mon),
        ("mar", Weekday::Tue),
        ("ter", Weekday::Tue),
        ("sel", Weekday::Tue),
        ("mie", Weekday::Wed),
        ("mier", Weekday::Wed),
        ("mer", Weekday::Wed),
        ("qua", Weekday::Wed),
        ("rab", Weekday::Wed),
        ("jue", Weekday::Thu),
        ("jeu", Weekday::Thu),
        ("qui", Weekday::Thu),
        ("kam", Weekday::Thu),
        ("vie", Weekday::Fri),
        ("ven", Weekday::Fri),
        ("sex", Weekday::Fri),
        ("jum", Weekday::Fri),
        ("sab", Weekday::Sat),
        ("sam", Weekday::Sat),
        ("dom", Weekday::Sun),
        ("dim", Weekday::Sun),
        ("ming", Weekday::Sun),
    ];
    let t = fold(token);
    let t = t.trim_matches(|c: char| !c.is_alphanumeric());
    weekday(t).or_else(|| SHORT.iter().find(|(s, _)| *s == t).map(|(_, d)| *d))
}

/// The Chinese days a word names: "周一至周五" as Monday to Friday, "周六" as Saturday.
fn han_days(word: &str) -> Option<Vec<Weekday>> {
    let marks: Vec<(usize, Weekday)> = ["星期", "周", "礼拜", "禮拜"]
        .iter()
        .flat_map(|p| word.match_indices(p).map(move |(at, _)| (at, &word[at..])))
        .filter_map(|(at, from)| han_weekday(from).map(|d| (at, d)))
        .collect();
    let mut marks = marks;
    marks.sort_by_key(|(at, _)| *at);
    marks.dedup_by_key(|(at, _)| *at);
    match marks[..] {
        [] => None,
        [(a, from), (b, to)] if ["至", "到", "-", "–", "~", "～"].iter().any(|r| word[a..b].contains(r)) => {
            let mut days = vec![from];
            let mut x = from;
            while x != to {
                x = x.succ();
                days.push(x);
            }
            Some(days)
        }
        _ => Some(marks.iter().map(|(_, d)| *d).collect()),
    }
}

fn text_closed(line: &str) -> bool {
    ["休息", "不营业", "关门", "مغلق", "عطلة"].iter().any(|w| line.contains(w))
}

/// The days a line names, ranges expanded: "Monday–Friday", "Mon to Sat", "segunda a sexta".
pub fn days_named(line: &str) -> Vec<Weekday> {
    let tokens: Vec<String> = fold(line)
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '/' | '&' | '(' | ')' | '|' | '│'))
        .flat_map(|t| split_dash(t))
        .filter(|t| !t.is_empty())
        .collect();
    let mut days = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(han) = han_days(&tokens[i]) {
            days.extend(han);
        } else if let Some(d) = page_day(&tokens[i]) {
            // "Monday – Friday", "seg a sex".
            let j = (i + 1..(i + 3).min(tokens.len())).find(|&j| page_day(&tokens[j]).is_some());
            if let Some(j) = j
                && tokens[i + 1..j].iter().all(|t| RANGE.contains(&t.trim_matches('.')))
                && j > i + 1
            {
                let end = page_day(&tokens[j]).unwrap_or(d);
                let mut x = d;
                loop {
                    days.push(x);
                    if x == end {
                        break;
                    }
                    x = x.succ();
                }
                i = j + 1;
                continue;
            }
            days.push(d);
        } else if matches!(tokens[i].as_str(), "weekdays" | "weekday") {
            days.extend([Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]);
        } else if matches!(tokens[i].as_str(), "weekends" | "weekend") {
            days.extend([Weekday::Sat, Weekday::Sun]);
        }
        i += 1;
    }
    days
}

/// "mon-fri" as three tokens.
fn split_dash(t: &str) -> Vec<String> {
    let parts: Vec<&str> = t.split(['-', '–', '—']).collect();
    if parts.len() == 2 && parts.iter().all(|p| page_day(p).is_some()) {
        vec![parts[0].to_owned(), "-".to_owned(), parts[1].to_owned()]
    } else {
        vec![t.to_owned()]
    }
}

/// The hours part of a line: from its first clock time to its last.
fn times(line: &str) -> Option<String> {
    let is_time = |w: &str| {
        let w = fold(w);
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let core = w.trim_end_matches("am").trim_end_matches("pm").trim_end();
        let digits = core.replace([':', '.', 'h'], "");
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && core.chars().next().is_some_and(|c| c.is_ascii_digit())
            && (core.contains([':', '.', 'h']) || w.ends_with("am") || w.ends_with("pm"))
    };
    let spaced = line.replace(['–', '—'], " – ").replace('-', " - ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let bare = |t: &str| t.parse::<u32>().is_ok_and(|n| n <= 24);
    // "20 h", "19 hrs", "14 horas": an hour with its unit apart.
    let unit = |i: usize| {
        tokens.get(i + 1).is_some_and(|u| matches!(fold(u).trim_end_matches('.'), "h" | "hs" | "hr" | "hrs" | "horas"))
    };
    let at = |i: usize| is_time(tokens[i]) || (bare(tokens[i]) && unit(i));
    let mut first = (0..tokens.len()).find(|&i| at(i))?;
    let mut last = (0..tokens.len()).rfind(|&i| at(i))?;
    // "de 9 a 14 h": the bare hour that opens the range.
    if first >= 2 && RANGE.contains(&fold(tokens[first - 1]).as_str()) && bare(tokens[first - 2]) {
        first -= 2;
    }
    if tokens.get(last + 1).is_some_and(|t| matches!(fold(t).trim_end_matches('.'), "am" | "pm" | "a.m" | "p.m"))
        || unit(last) && !is_time(tokens[last])
    {
        last += 1;
    }
    let mut out = tokens[first..=last].join(" ");
    // "8:00 – 19:00" back to the page's "8:00–19:00".
    out = out.replace(" – ", "–").replace(" - ", "–");
    Some(out.trim_end_matches(['.', ',']).to_owned())
}

/// A weekday's name in `lang`, for the agent's sentences.
pub fn day_name(lang: Lang, d: Weekday) -> &'static str {
    let i = d.num_days_from_monday() as usize;
    let names: [&str; 7] = match lang {
        Lang::En => ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        Lang::Es => ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
        Lang::Pt => {
            ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"]
        }
        Lang::Fr => ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        Lang::Id => ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
        Lang::Zh => ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"],
        Lang::Ar => ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"],
    };
    names[i]
}

/// The days a question asks about: named days, "weekend", "today", "tomorrow", in any
/// of the agent's languages, against the business's local `now`.
pub fn days_asked(text: &str, now: chrono::NaiveDateTime) -> Vec<Weekday> {
    let f = fold(text);
    let weekend = ["weekend", "week-end", "fim de semana", "fin de semana", "akhir pekan", "akhir minggu", "wknd"];
    if weekend.iter().any(|w| f.contains(w)) || ["周末", "週末", "نهاية الأسبوع"].iter().any(|w| text.contains(w))
    {
        return vec![Weekday::Sat, Weekday::Sun];
    }
    crate::entities::when::when(text, now).date.map(|d| vec![chrono::Datelike::weekday(&d)]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_as_pages_write_them() {
        let h = Hours::read(["Opening hours\nMonday–Friday 8:00–19:00\nSaturday: 9am - 1pm\nSunday: closed"]);
        assert_eq!(h.day(Weekday::Tue), Some(&Day::Open("8:00–19:00".into())));
        assert_eq!(h.day(Weekday::Sat), Some(&Day::Open("9am–1pm".into())));
        assert!(h.is_closed(Weekday::Sun));
        assert_eq!(h.open_summary(), "Monday–Friday 8:00–19:00; Saturday: 9am - 1pm");
        let pt = Hours::read(["Segunda a sexta: 9h às 19h\nSábado: 9h às 14h\nDomingo: fechado"]);
        assert_eq!(pt.day(Weekday::Wed), Some(&Day::Open("9h às 19h".into())));
        assert!(pt.is_closed(Weekday::Sun));
        let short = Hours::read(["Mon-Sat 8am-6pm, Sun closed"]);
        assert_eq!(short.day(Weekday::Fri), Some(&Day::Open("8am–6pm".into())));
        assert_eq!(short.is_open_at(Weekday::Fri, 17 * 60 + 59), Some(true));
        assert_eq!(short.is_open_at(Weekday::Fri, 18 * 60), Some(false));
        assert_eq!(short.is_open_at(Weekday::Fri, 7 * 60 + 30), Some(false));
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(10, 0, 0).unwrap();
        assert_eq!(days_asked("open sat?", now), vec![Weekday::Sat]);
        assert_eq!(days_asked("weekend hours?", now), vec![Weekday::Sat, Weekday::Sun]);
    }

    #[test]
    fn hours_in_sentences_labels_short_names_and_with_a_break() {
        let open = |h: &Hours, d| match h.day(d) {
            Some(Day::Open(t)) => t.clone(),
            other => panic!("{d:?} is {other:?}"),
        };
        // Sentences, each naming its days; the closed day apart from the open ones.
        let es = Hours::read(["Martes a sábado de 10:00 a 19:00 hrs. Lunes cerrado."]);
        assert_eq!(open(&es, Weekday::Sat), "10:00 a 19:00");
        assert!(es.is_closed(Weekday::Mon));
        let fr = Hours::read(["Du lundi au vendredi de 9h à 19h, le samedi de 9h à 12h. Fermé le dimanche."]);
        assert_eq!(open(&fr, Weekday::Sat), "9h à 12h");
        assert!(fr.is_closed(Weekday::Sun));
        // A label before the days; names cut short.
        let label = Hours::read(["Horario de atención: lunes a viernes de 10:00 a 19:00, sábados de 9:00 a 14:00."]);
        assert_eq!(label.lines, ["lunes a viernes de 10:00 a 19:00", "sábados de 9:00 a 14:00"]);
        let short = Hours::read(["Lun. a Vie. 9h - 20h\nSáb. 10h - 14h\nDom. y festivos cerrado"]);
        assert_eq!(open(&short, Weekday::Wed), "9h–20h");
        assert!(short.is_closed(Weekday::Sun));
        // Chinese days and their range.
        let zh = Hours::read(["周一至周五 9:00-18:00，周六 10:00-16:00，周日休息"]);
        assert_eq!(open(&zh, Weekday::Thu), "9:00–18:00");
        assert_eq!(open(&zh, Weekday::Sat), "10:00–16:00");
        assert!(zh.is_closed(Weekday::Sun));
        // A day with a break, written either way: closed over lunch.
        for page in ["De lunes a jueves de 9 a 14 h y de 16 a 20 h", "Lunes a jueves: 9:00-14:00, 16:00-20:00"] {
            let split = Hours::read([page]);
            assert_eq!(split.is_open_at(Weekday::Tue, 9 * 60), Some(true), "{page}");
            assert_eq!(split.is_open_at(Weekday::Tue, 15 * 60), Some(false), "{page}");
            assert_eq!(split.is_open_at(Weekday::Tue, 19 * 60 + 30), Some(true), "{page}");
            assert_eq!(split.day(Weekday::Fri), None, "{page}");
        }
        // A day named on its own is more particular than a range that holds it.
        let late = Hours::read(["Du mardi au vendredi : de 10h à 19h\nNocturne le jeudi : jusqu'à 21h"]);
        assert_eq!(open(&late, Weekday::Thu), "10h à 21h");
        assert_eq!(open(&late, Weekday::Wed), "10h à 19h");
        let late = Hours::read(["Mon-Fri 9am-6pm\nThursday 9am-8pm"]);
        assert_eq!(open(&late, Weekday::Thu), "9am–8pm");
        let late = Hours::read(["Monday–Friday 7:30–20:00\nFriday until 21:00"]);
        assert_eq!(open(&late, Weekday::Fri), "7:30–21:00", "a dash of three bytes before the time");
        // A service that mentions days is no opening hours.
        assert!(Hours::read(["Sports massage (45 min) on Mon and Wed evenings"]).is_empty());
    }
}
