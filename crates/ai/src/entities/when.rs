//! When a visitor would like to come, resolved against the business's local "now":
//! "Thursday 4.30pm", "tomorrow morning", "next Tue at 10", "sábado 9h", "明天下午3点",
//! "besok jam 10 pagi".

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use crate::words::fold;

use super::dates::{month_day, numeric_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

/// A wished-for time; each part only when the visitor said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct When {
    pub date: Option<NaiveDate>,
    pub hour: Option<u32>,
    pub minute: Option<u32>,
    pub part: Option<DayPart>,
}

impl When {
    pub fn is_empty(&self) -> bool {
        self.date.is_none() && self.hour.is_none() && self.part.is_none()
    }

    /// Fills what `self` lacks from `later` (the next message's answer).
    pub fn merge(&mut self, later: When) {
        if later.date.is_some() {
            self.date = later.date;
        }
        if later.hour.is_some() {
            self.hour = later.hour;
            self.minute = later.minute;
        }
        if later.part.is_some() {
            self.part = later.part;
        }
    }

    /// The form stored on the appointment: `2026-12-04T15:00` (local time), `2026-12-04`,
    /// `2026-12-04 morning`, or `15:00` alone.
    pub fn stored(&self) -> Option<String> {
        let clock = self.hour.map(|h| format!("{h:02}:{:02}", self.minute.unwrap_or(0)));
        let part = self.part.map(|p| match p {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        });
        match (self.date, clock, part) {
            (Some(d), Some(c), _) => Some(format!("{d}T{c}")),
            (Some(d), None, Some(p)) => Some(format!("{d} {p}")),
            (Some(d), None, None) => Some(d.to_string()),
            (None, Some(c), _) => Some(c),
            (None, None, Some(p)) => Some(p.to_owned()),
            (None, None, None) => None,
        }
    }
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("mon", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("tue", Weekday::Tue),
    ("tues", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("wed", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("thu", Weekday::Thu),
    ("thur", Weekday::Thu),
    ("thurs", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("fri", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sat", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("sun", Weekday::Sun),
    ("lunes", Weekday::Mon),
    ("martes", Weekday::Tue),
    ("miercoles", Weekday::Wed),
    ("jueves", Weekday::Thu),
    ("viernes", Weekday::Fri),
    ("sabado", Weekday::Sat),
    ("domingo", Weekday::Sun),
    ("segunda", Weekday::Mon),
    ("terca", Weekday::Tue),
    ("quarta", Weekday::Wed),
    ("quinta", Weekday::Thu),
    ("sexta", Weekday::Fri),
    ("lundi", Weekday::Mon),
    ("mardi", Weekday::Tue),
    ("mercredi", Weekday::Wed),
    ("jeudi", Weekday::Thu),
    ("vendredi", Weekday::Fri),
    ("samedi", Weekday::Sat),
    ("dimanche", Weekday::Sun),
    ("senin", Weekday::Mon),
    ("selasa", Weekday::Tue),
    ("rabu", Weekday::Wed),
    ("kamis", Weekday::Thu),
    ("jumat", Weekday::Fri),
    ("sabtu", Weekday::Sat),
    ("minggu", Weekday::Sun),
    ("ahad", Weekday::Sun),
    ("الاثنين", Weekday::Mon),
    ("الإثنين", Weekday::Mon),
    ("الثلاثاء", Weekday::Tue),
    ("الأربعاء", Weekday::Wed),
    ("الاربعاء", Weekday::Wed),
    ("الخميس", Weekday::Thu),
    ("الجمعة", Weekday::Fri),
    ("السبت", Weekday::Sat),
    ("الأحد", Weekday::Sun),
    ("الاحد", Weekday::Sun),
];

/// The weekday a word names, in any of the agent's languages ("Tues", "sábados",
/// "sexta-feira").
pub fn weekday(word: &str) -> Option<Weekday> {
    let w = fold(word);
    let w = w.trim_end_matches('.').trim_end_matches("-feira").trim_end_matches(" feira");
    let find = |w: &str| WEEKDAYS.iter().find(|(name, _)| fold(name) == w).map(|(_, d)| *d);
    find(w).or_else(|| w.strip_suffix('s').and_then(find))
}

/// Chinese weekdays: 星期一 … 星期日/天, 周一 …, 礼拜一 ….
pub(crate) fn han_weekday(text: &str) -> Option<Weekday> {
    for prefix in ["星期", "周", "礼拜", "禮拜"] {
        if let Some(at) = text.find(prefix) {
            let d = text[at + prefix.len()..].chars().next()?;
            return Some(match d {
                '一' => Weekday::Mon,
                '二' => Weekday::Tue,
                '三' => Weekday::Wed,
                '四' => Weekday::Thu,
                '五' => Weekday::Fri,
                '六' => Weekday::Sat,
                '日' | '天' => Weekday::Sun,
                _ => continue,
            });
        }
    }
    None
}

fn next_weekday(today: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
    today + Duration::days(ahead)
}

const GREETINGS: &[&str] = &[
    "good morning",
    "good afternoon",
    "good evening",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "buenos dias",
    "buenas tardes",
    "buenas noches",
    "bom dia",
    "boa tarde",
    "boa noite",
    "bonsoir",
];
const GREETINGS_RAW: &[&str] = &["早上好", "下午好", "晚上好", "صباح الخير", "مساء الخير"];

/// The time in `text`, resolved against `now` (the business's local time).
pub fn when(text: &str, now: NaiveDateTime) -> When {
    let today = now.date();
    // "selamat pagi", "good morning": a greeting names no part of the day.
    let mut folded = fold(text).replace('’', "'");
    for greeting in GREETINGS {
        folded = folded.replace(greeting, " ");
    }
    let text = &GREETINGS_RAW.iter().fold(text.to_owned(), |t, g| t.replace(g, " "));
    let tokens: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '!' | ';' | '(' | ')' | '，' | '。' | '？'))
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '\''))
        .filter(|t| !t.is_empty())
        .collect();
    let mut w = When::default();

    // The day.
    let has = |words: &[&str]| tokens.iter().any(|t| words.contains(t));
    let phrase = |p: &str| crate::words::has_phrase(&folded, p);
    // "mañana" is tomorrow, "por la mañana" the morning.
    let manana_tomorrow = tokens
        .iter()
        .enumerate()
        .any(|(i, t)| *t == "manana" && !(i > 0 && matches!(tokens[i - 1], "la" | "de" | "las")));
    let after_tomorrow = phrase("day after tomorrow")
        || phrase("day after tmrw")
        || phrase("pasado manana")
        || phrase("depois de amanha")
        || phrase("apres-demain")
        || phrase("apres demain")
        || phrase("lusa")
        || text.contains("后天")
        || text.contains("後天")
        || text.contains("بعد غد")
        || text.contains("بعد بكرة");
    if after_tomorrow {
        w.date = Some(today + Duration::days(2));
    } else if has(&["tomorrow", "tmrw", "tmr", "tomoz", "2moro", "2morrow", "demain", "besok", "amanha", "esok"])
        || manana_tomorrow
        || text.contains("明天")
        || text.contains("明日")
        || text.contains("غدا")
        || text.contains("غداً")
        || text.contains("بكرة")
        || text.contains("بكره")
    {
        w.date = Some(today + Duration::days(1));
    } else if has(&["today", "tonight", "hoy", "hoje", "tonite"])
        || phrase("aujourd'hui")
        || phrase("hari ini")
        || text.contains("今天")
        || text.contains("今晚")
        || text.contains("اليوم")
    {
        w.date = Some(today);
    } else if let Some(day) = han_weekday(text) {
        // "下周四": Thursday of next week, not the coming one.
        let next_week = ["下周", "下星期", "下礼拜", "下禮拜"].iter().any(|m| text.contains(m));
        w.date = Some(if next_week {
            let monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
            monday + Duration::days(day.num_days_from_monday() as i64)
        } else {
            next_weekday(today, day)
        });
    } else {
        for (i, t) in tokens.iter().enumerate() {
            // "minggu depan" is next week, "hari minggu" Sunday.
            if *t == "minggu" && tokens.get(i + 1).is_some_and(|n| matches!(*n, "depan" | "ini" | "lalu")) {
                continue;
            }
            if *t == "sun" && !tokens.iter().any(|x| ["at", "am", "pm"].contains(x)) && i > 0 && tokens[i - 1] != "on" {
                continue;
            }
            if let Some(day) = weekday(t) {
                // "rabu depan", "next wed", "miércoles próximo" said on a Wednesday: a week on.
                let next = |j: Option<&&str>| {
                    j.is_some_and(|n| matches!(*n, "depan" | "next" | "proximo" | "proxima" | "prochain" | "que"))
                };
                let date = next_weekday(today, day);
                let week_on = date == today && (next(tokens.get(i + 1)) || next(i.checked_sub(1).map(|j| &tokens[j])));
                w.date = Some(if week_on { date + Duration::days(7) } else { date });
                break;
            }
        }
    }

    // "the 10th", "wed 9th", "9th dec": a day of the month wins over a weekday.
    let ordinal = tokens.iter().find_map(|t| {
        let n = t.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
        (n.len() < t.len() && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .then(|| n.parse::<u32>().ok())
            .flatten()
    });
    // "dia 10", "el 10", "le 10", "tanggal 10", "10号", "10日".
    let after_word = tokens.windows(2).find_map(|p| {
        (matches!(p[0], "dia" | "el" | "le" | "tanggal" | "tgl") && p[1].len() <= 2)
            .then(|| p[1].parse::<u32>().ok())
            .flatten()
            .filter(|d| (1..=31).contains(d))
    });
    let han_day = ['号', '日', '號'].iter().find_map(|m| {
        let at = text.find(*m)?;
        let digits: Vec<char> = text[..at].chars().rev().take_while(char::is_ascii_digit).collect();
        digits.into_iter().rev().collect::<String>().parse::<u32>().ok().filter(|d| (1..=31).contains(d))
    });
    // A weekday said beside a number with a slash ("open 24/7 on sunday?") is the day.
    let numeric = if w.date.is_none() { numeric_date(&tokens, today) } else { None };
    if let Some(date) = month_day(&tokens, today).or(numeric) {
        w.date = Some(date);
    } else if let Some(day) = ordinal.or(after_word).or(han_day) {
        let this = NaiveDate::from_ymd_opt(today.year(), today.month(), day);
        let next = if today.month() == 12 {
            NaiveDate::from_ymd_opt(today.year() + 1, 1, day)
        } else {
            NaiveDate::from_ymd_opt(today.year(), today.month() + 1, day)
        };
        w.date = this.filter(|d| *d >= today).or(next).or(w.date);
    }

    // "el jueves 10 a la 1": the number beside a weekday is its date when another time is
    // said and that date is that weekday ("thursday 10" alone is ten o'clock).
    let mut clock_tokens = tokens.clone();
    if ordinal.is_none() && after_word.is_none() && han_day.is_none() {
        let beside = (1..tokens.len()).find_map(|i| {
            let day = weekday(tokens[i - 1])?;
            let n: u32 = tokens[i].parse().ok().filter(|n| (1..=31).contains(n) && tokens[i].len() <= 2)?;
            let mut rest = tokens.clone();
            rest.remove(i);
            clock(&rest, true)?;
            let date = (0..35).map(|k| today + Duration::days(k)).find(|d| d.day() == n && d.weekday() == day)?;
            Some((i, date))
        });
        if let Some((i, date)) = beside {
            w.date = Some(date);
            clock_tokens.remove(i);
        }
    }

    // The part of the day.
    w.part = if has(&["morning", "morn", "matin", "pagi", "manha"])
        || (has(&["manana"]) && !manana_tomorrow)
        || text.contains("上午")
        || text.contains("早上")
        || text.contains("صباح")
    {
        Some(DayPart::Morning)
    } else if has(&["afternoon", "arvo", "tarde", "siang", "sore"])
        || phrase("apres-midi")
        || phrase("apres midi")
        || text.contains("下午")
        || text.contains("بعد الظهر")
        || text.contains("العصر")
    {
        Some(DayPart::Afternoon)
    } else if has(&["evening", "tonight", "noite", "soir", "soiree", "malam", "noche"])
        || text.contains("晚上")
        || text.contains("مساء")
    {
        Some(DayPart::Evening)
    } else {
        None
    };

    // The clock.
    let timey = w.date.is_some() || w.part.is_some();
    if let Some((h, m)) = clock(&clock_tokens, timey).or_else(|| han_clock(text)).or_else(|| arabic_clock(text)) {
        let pm_words = matches!(w.part, Some(DayPart::Afternoon) | Some(DayPart::Evening));
        let h = if h < 12 && pm_words { h + 12 } else { h };
        w.hour = Some(h);
        w.minute = Some(m);
    } else if has(&["noon", "midday", "mediodia"]) || text.contains("中午") {
        w.hour = Some(12);
        w.minute = Some(0);
    }
    w
}

/// "3pm", "3 pm", "4.30pm", "15:00", "15h", "9h30", "at 10", "a las 3", "jam 10".
/// `timey`: a day or a part of the day was said, so "3.30" is a time, not a price.
fn clock(tokens: &[&str], timey: bool) -> Option<(u32, u32)> {
    let (i, first) = clock_from(tokens, timey, 0)?;
    // "depois das 14h.. 15h pode ser", "after 2, 3pm works": the first is a bound, the
    // time wanted comes after it.
    let bound = (i.saturating_sub(2)..i).any(|j| {
        matches!(
            tokens[j],
            "after" | "before" | "depois" | "antes" | "despues" | "apres" | "avant" | "setelah" | "sebelum"
        )
    });
    match clock_from(tokens, timey, i + 1) {
        Some((_, later)) if bound => Some(later),
        _ => Some(first),
    }
}

/// The first clock time in `tokens` from `start`, and where it is.
fn clock_from(tokens: &[&str], timey: bool, start: usize) -> Option<(usize, (u32, u32))> {
    for (i, t) in tokens.iter().enumerate().skip(start) {
        let next = tokens.get(i + 1).copied().unwrap_or("");
        // "setengah 9": half past eight, as Indonesian counts to the hour coming.
        if *t == "setengah"
            && let Ok(n) = next.trim_end_matches("an").parse::<u32>()
            && (1..=12).contains(&n)
        {
            let h = n - 1;
            return Some((i, (if (1..=6).contains(&h) { h + 12 } else { h }, 30)));
        }
        // "jam 3an": about three.
        let t = &match t.strip_suffix("an").map(|d| d.trim_end_matches('-')) {
            Some(d) if !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => d,
            _ => t,
        };
        let (core, suffix) = if let Some(c) = t.strip_suffix("am").or_else(|| t.strip_suffix("a.m")) {
            (c, Some(false))
        } else if let Some(c) = t.strip_suffix("pm").or_else(|| t.strip_suffix("p.m")) {
            (c, Some(true))
        } else if matches!(next, "am" | "a.m" | "a.m.") {
            (*t, Some(false))
        } else if matches!(next, "pm" | "p.m" | "p.m.") {
            (*t, Some(true))
        } else {
            (*t, None)
        };
        let (h, m, explicit) = if let Some((h, m)) = core.split_once([':', '.']) {
            (h, m, true)
        } else if let Some((h, m)) = core.split_once('h') {
            (h, if m.is_empty() { "0" } else { m }, true)
        } else {
            (core, "0", false)
        };
        let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else { continue };
        if h > 23 || m > 59 || (core.contains('.') && m % 5 != 0 && suffix.is_none()) {
            continue;
        }
        let before = if i > 0 { tokens[i - 1] } else { "" };
        let cued = matches!(
            before,
            "at" | "@"
                | "around"
                | "by"
                | "las"
                | "la"
                | "as"
                | "a"
                | "jam"
                | "pukul"
                | "vers"
                | "about"
                | "after"
                | "before"
                | "from"
                | "pelas"
                | "ate"
        );
        match suffix {
            Some(pm) => {
                if h == 0 || h > 12 {
                    continue;
                }
                let h = match (pm, h) {
                    (true, 12) => 12,
                    (true, h) => h + 12,
                    (false, 12) => 0,
                    (false, h) => h,
                };
                return Some((i, (h, m)));
            }
            None if explicit && !(core.contains('.') && h < 7 && !cued && !timey) => return Some((i, (h, m))),
            // "2 o'clock": business hours, so 1–7 is the afternoon.
            None if matches!(next, "o'clock" | "oclock") && (1..=12).contains(&h) => {
                return Some((i, (if h <= 7 { h + 12 } else { h }, 0)));
            }
            // A bare number only after "at", "a las", "jam": business hours, so 1–7 is the afternoon.
            None if cued && core.chars().all(|c| c.is_ascii_digit()) && (1..=23).contains(&h) => {
                return Some((i, (if h <= 7 { h + 12 } else { h }, 0)));
            }
            None => {}
        }
    }
    None
}

/// "3点", "三点半", "15:00" is covered by `clock`.
fn han_clock(text: &str) -> Option<(u32, u32)> {
    let at = text.find('点').or_else(|| text.find('點'))?;
    let before: Vec<char> =
        text[..at].chars().rev().take_while(|c| c.is_ascii_digit() || "一二两三四五六七八九十".contains(*c)).collect();
    let number: String = before.into_iter().rev().collect();
    let h = number.parse::<u32>().ok().or_else(|| han_number(&number))?;
    let m = if text[at..].chars().nth(1) == Some('半') { 30 } else { 0 };
    (h <= 23).then_some((h, m))
}

fn han_number(s: &str) -> Option<u32> {
    let digit =
        |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32).or(if c == '两' { Some(2) } else { None });
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', d] => Some(10 + digit(*d)?),
        [d, '十'] => Some(digit(*d)? * 10),
        [d, '十', e] => Some(digit(*d)? * 10 + digit(*e)?),
        _ => None,
    }
}

/// "الساعة 4" (Arabic or Western digits).
fn arabic_clock(text: &str) -> Option<(u32, u32)> {
    let at = text.find("الساعة")?;
    let digits: String = text[at + "الساعة".len()..]
        .chars()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_ascii_digit() || ('٠'..='٩').contains(c))
        .map(|c| if ('٠'..='٩').contains(&c) { char::from(b'0' + (c as u32 - '٠' as u32) as u8) } else { c })
        .collect();
    let h: u32 = digits.parse().ok()?;
    (1..=23).contains(&h).then_some((if h <= 7 { h + 12 } else { h }, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        // A Wednesday.
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(10, 0, 0).unwrap()
    }

    fn at(text: &str) -> (Option<String>, Option<u32>, Option<u32>) {
        let w = when(text, now());
        (w.date.map(|d| d.to_string()), w.hour, w.minute)
    }

    #[test]
    fn times_as_people_write_them() {
        let d = |s: &str| Some(s.to_owned());
        assert_eq!(at("Thursday 4.30pm"), (d("2026-12-03"), Some(16), Some(30)));
        assert_eq!(at("tomorrow morning"), (d("2026-12-03"), None, None));
        assert_eq!(at("next Tue at 10"), (d("2026-12-08"), Some(10), Some(0)));
        assert_eq!(at("sábado 9h"), (d("2026-12-05"), Some(9), Some(0)));
        assert_eq!(at("mañana a las 5"), (d("2026-12-03"), Some(17), Some(0)));
        assert_eq!(at("el viernes por la mañana"), (d("2026-12-04"), None, None));
        assert_eq!(at("明天下午3点"), (d("2026-12-03"), Some(15), Some(0)));
        assert_eq!(at("besok jam 10 pagi"), (d("2026-12-03"), Some(10), Some(0)));
        assert_eq!(at("samedi à 14h30"), (d("2026-12-05"), Some(14), Some(30)));
        assert_eq!(at("fri 3 pm"), (d("2026-12-04"), Some(15), Some(0)));
        assert_eq!(at("sexta-feira às 15h"), (d("2026-12-04"), Some(15), Some(0)));
        assert_eq!(at("يوم الخميس الساعة 4"), (d("2026-12-03"), Some(16), Some(0)));
        assert_eq!(at("星期五上午十点"), (d("2026-12-04"), Some(10), Some(0)));
        assert_eq!(at("how much is it? $45.50"), (None, None, None));
        assert_eq!(at("call 07700 900123"), (None, None, None));
        assert_eq!(when("tmrw arvo", now()).part, Some(DayPart::Afternoon));
    }

    #[test]
    fn dates_with_months_and_the_day_after_tomorrow() {
        let d = |s: &str| Some(s.to_owned());
        assert_eq!(at("5 Dec, 11am"), (d("2026-12-05"), Some(11), Some(0)));
        assert_eq!(at("Dec 5th 2pm"), (d("2026-12-05"), Some(14), Some(0)));
        assert_eq!(at("el 10 de diciembre a las 11"), (d("2026-12-10"), Some(11), Some(0)));
        assert_eq!(at("15 janvier"), (d("2027-01-15"), None, None), "past this year: next year's");
        assert_eq!(at("5/12 at 2pm"), (d("2026-12-05"), Some(14), Some(0)));
        assert_eq!(at("12/5 at 2pm"), (d("2026-12-05"), Some(14), Some(0)), "month first, as in the US");
        assert_eq!(at("may i come at 3pm"), (None, Some(15), Some(0)), "'may' beside no day is no month");
        assert_eq!(at("day after tomorrow at 4pm"), (d("2026-12-04"), Some(16), Some(0)));
        assert_eq!(at("pasado mañana"), (d("2026-12-04"), None, None));
        assert_eq!(at("后天上午"), (d("2026-12-04"), None, None));
        assert_eq!(at("tomorrow 2 o'clock"), (d("2026-12-03"), Some(14), Some(0)));
        assert_eq!(at("is it 1/2 off?"), (None, None, None), "a fraction is no date");
        assert_eq!(at("on 5/12 please"), (d("2026-12-05"), None, None));
        assert_eq!(at("are you open 24/7 on sunday?").0, d("2026-12-06"), "the weekday, not July 24th");
        assert_eq!(at("is it 1/2 off on mondays?").0, d("2026-12-07"));
        assert_eq!(at("can i come at 3 may i?"), (None, Some(15), Some(0)));
        // A weekday's date beside it, when a time is said too.
        assert_eq!(at("el jueves 10 a la 1 de la tarde"), (d("2026-12-10"), Some(13), Some(0)));
        assert_eq!(at("thursday 10").0, d("2026-12-03"), "alone, the number is no date");
        assert_eq!(at("quinta depois das 14h.. 15h pode ser"), (d("2026-12-03"), Some(15), Some(0)));
        assert_eq!(at("thursday after 2, 3pm works"), (d("2026-12-03"), Some(15), Some(0)));
        assert_eq!(at("thursday after 2pm"), (d("2026-12-03"), Some(14), Some(0)), "one time is the time");
        assert_eq!(at("rabu depan jam 10 bisa?"), (d("2026-12-09"), Some(10), Some(0)), "said on a Wednesday");
        assert_eq!(at("下周四下午三点可以吗？"), (d("2026-12-10"), Some(15), Some(0)));
        assert_eq!(at("sabtu jam setengah 9 aja"), (d("2026-12-05"), Some(8), Some(30)));
        assert_eq!(at("kamis sore jam 3an"), (d("2026-12-03"), Some(15), Some(0)));
        assert_eq!(when("selamat pagi, mau tanya paket servis", now()).part, None, "a greeting is no time");
        assert_eq!(at("el viernes 10 a las 4"), (d("2026-12-04"), Some(16), Some(0)), "the 10th is no Friday");
    }
}
