//! Calendar dates as visitors write them: "5 Dec", "10 de diciembre", "5/12", each the
//! one coming soonest from today.

use chrono::{Datelike, NaiveDate};

/// Month names in the agent's languages that use them (folded), and abbreviations.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("enero", 1),
    ("janeiro", 1),
    ("janvier", 1),
    ("januari", 1),
    ("february", 2),
    ("feb", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("fevrier", 2),
    ("februari", 2),
    ("march", 3),
    ("mar", 3),
    ("marzo", 3),
    ("marco", 3),
    ("mars", 3),
    ("maret", 3),
    ("mac", 3),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("avril", 4),
    ("may", 5),
    ("mayo", 5),
    ("maio", 5),
    ("mai", 5),
    ("mei", 5),
    ("june", 6),
    ("jun", 6),
    ("junio", 6),
    ("junho", 6),
    ("juin", 6),
    ("juni", 6),
    ("july", 7),
    ("jul", 7),
    ("julio", 7),
    ("julho", 7),
    ("juillet", 7),
    ("juli", 7),
    ("julai", 7),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("aout", 8),
    ("agustus", 8),
    ("ogos", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septiembre", 9),
    ("setembro", 9),
    ("septembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("octobre", 10),
    ("oktober", 10),
    ("november", 11),
    ("nov", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("novembre", 11),
    ("december", 12),
    ("dec", 12),
    ("diciembre", 12),
    ("dezembro", 12),
    ("decembre", 12),
    ("desember", 12),
    ("disember", 12),
];

/// The date in the year ahead that falls on `month`/`day`: this year's, or next year's
/// once this year's has passed.
fn upcoming(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(today.year(), month, day)
        .filter(|d| *d >= today)
        .or_else(|| NaiveDate::from_ymd_opt(today.year() + 1, month, day))
}

/// A number of the month: "5", "5th", "21st".
fn day_number(token: &str) -> Option<u32> {
    let n = token.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
    (!n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()))
        .then(|| n.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// "5 Dec", "Dec 5th", "December 10", "10 de diciembre", "le 5 décembre", "5 Disember".
pub(super) fn month_day(tokens: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    for (i, t) in tokens.iter().enumerate() {
        let Some(month) = MONTHS.iter().find(|(name, _)| name == t).map(|(_, m)| *m) else { continue };
        // "mar" and "may" are words too: a month only beside a day's number.
        // "at 3 may i?": a number after "at" is a time.
        let clock_cue =
            |j: usize| j > 0 && matches!(tokens[j - 1], "at" | "@" | "around" | "by" | "jam" | "pukul" | "las");
        let before = i.checked_sub(1).and_then(|j| {
            let j = if tokens[j] == "de" { j.checked_sub(1)? } else { j };
            day_number(tokens[j]).filter(|_| !clock_cue(j))
        });
        let after = tokens.get(i + 1).and_then(|n| day_number(n));
        if let Some(day) = before.or(after) {
            return upcoming(today, month, day);
        }
    }
    None
}

/// "5/12", "12/5": day and month in either order, the one coming soonest (a US visitor's
/// "12/5" in December is the 5th, a Malaysian's "5/12" too).
pub(super) fn numeric_date(tokens: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    // A date only where the message speaks of times: "on 5/12", "5/12 at 4pm", not "1/2
    // off" or "24/7".
    let timey = tokens.iter().any(|t| {
        t.ends_with("am")
            || t.ends_with("pm")
            || t.contains(':')
            || matches!(*t, "on" | "date" | "tarikh" | "tanggal" | "el" | "le" | "dia" | "at")
    });
    if !timey {
        return None;
    }
    tokens.iter().find_map(|t| {
        let (a, b) = t.split_once('/')?;
        let b = b.split('/').next()?;
        // A fraction ("1/2") is no date, nor "24/7".
        if *t == "24/7" || a == "1" && matches!(b, "2" | "3" | "4") {
            return None;
        }
        let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
        let day_first = upcoming(today, b, a).filter(|_| (1..=12).contains(&b));
        let month_first = upcoming(today, a, b).filter(|_| (1..=12).contains(&a));
        match (day_first, month_first) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    })
}
