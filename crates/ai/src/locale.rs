//! Where a business is, when its workspace does not say: read from its own knowledge
//! (its phone numbers written with a country code, its currency), so that "07700 900417"
//! is a British mobile for a London practice and "amanhã às 10" is tomorrow in São Paulo.
//! A workspace's own settings always win over what is read here.

use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
pub use chrono_tz::Tz;

/// Currencies that name one country (the euro and the dollar name many).
const CURRENCIES: &[(&str, &str)] = &[
    ("£", "GB"),
    ("R$", "BR"),
    ("AED", "AE"),
    ("د.إ", "AE"),
    ("SAR", "SA"),
    ("ر.س", "SA"),
    ("QAR", "QA"),
    ("KWD", "KW"),
    ("Rp", "ID"),
    ("RM", "MY"),
    ("S$", "SG"),
    ("₱", "PH"),
    ("฿", "TH"),
    ("₹", "IN"),
    ("MXN", "MX"),
    ("¥", "CN"),
    ("元", "CN"),
    ("CHF", "CH"),
];

/// The region (ISO 3166 alpha-2) the knowledge points to: the country most of its phone
/// numbers written with a country code belong to, or else the one its currency names.
pub fn infer_region<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut votes: Vec<(String, usize)> = Vec::new();
    let mut money: Vec<(String, usize)> = Vec::new();
    let vote = |list: &mut Vec<(String, usize)>, region: &str| match list.iter_mut().find(|(r, _)| r == region) {
        Some((_, n)) => *n += 1,
        None => list.push((region.to_owned(), 1)),
    };
    for text in texts {
        for candidate in text.split(|c: char| !(c.is_ascii_digit() || " +-().".contains(c))) {
            let candidate = candidate.trim();
            if !candidate.starts_with('+') || candidate.chars().filter(char::is_ascii_digit).count() < 8 {
                continue;
            }
            if let Ok(number) = phonenumber::parse(None, candidate)
                && let Some(id) = number.country().id()
            {
                vote(&mut votes, id.as_ref());
            }
        }
        for (sign, region) in CURRENCIES {
            // "RM 80" and "Rp 150.000", not "RMS" or "Rpm": a code is followed by a number.
            let hits = text.match_indices(sign).filter(|(i, _)| {
                let after = text[i + sign.len()..].trim_start();
                let before_ok = !text[..*i].ends_with(|c: char| c.is_ascii_alphabetic());
                before_ok && after.starts_with(|c: char| c.is_ascii_digit())
            });
            for _ in hits {
                vote(&mut money, region);
            }
        }
    }
    let best = |list: Vec<(String, usize)>| list.into_iter().max_by_key(|(_, n)| *n).map(|(r, _)| r);
    best(votes).or_else(|| best(money))
}

/// The time zone most of `region`'s people live in; `None` for a region not listed.
pub fn zone(region: &str) -> Option<Tz> {
    let name = match region.to_ascii_uppercase().as_str() {
        "GB" => "Europe/London",
        "IE" => "Europe/Dublin",
        "PT" => "Europe/Lisbon",
        "ES" => "Europe/Madrid",
        "FR" => "Europe/Paris",
        "BE" => "Europe/Brussels",
        "NL" => "Europe/Amsterdam",
        "DE" => "Europe/Berlin",
        "CH" => "Europe/Zurich",
        "AT" => "Europe/Vienna",
        "IT" => "Europe/Rome",
        "PL" => "Europe/Warsaw",
        "SE" => "Europe/Stockholm",
        "GR" => "Europe/Athens",
        "TR" => "Europe/Istanbul",
        "BR" => "America/Sao_Paulo",
        "AR" => "America/Argentina/Buenos_Aires",
        "CL" => "America/Santiago",
        "CO" => "America/Bogota",
        "PE" => "America/Lima",
        "MX" => "America/Mexico_City",
        "US" => "America/New_York",
        "CA" => "America/Toronto",
        "AE" => "Asia/Dubai",
        "SA" => "Asia/Riyadh",
        "QA" => "Asia/Qatar",
        "KW" => "Asia/Kuwait",
        "BH" => "Asia/Bahrain",
        "OM" => "Asia/Muscat",
        "JO" => "Asia/Amman",
        "EG" => "Africa/Cairo",
        "MA" => "Africa/Casablanca",
        "ZA" => "Africa/Johannesburg",
        "NG" => "Africa/Lagos",
        "KE" => "Africa/Nairobi",
        "IN" => "Asia/Kolkata",
        "ID" => "Asia/Jakarta",
        "MY" => "Asia/Kuala_Lumpur",
        "SG" => "Asia/Singapore",
        "PH" => "Asia/Manila",
        "TH" => "Asia/Bangkok",
        "VN" => "Asia/Ho_Chi_Minh",
        "CN" => "Asia/Shanghai",
        "HK" => "Asia/Hong_Kong",
        "TW" => "Asia/Taipei",
        "JP" => "Asia/Tokyo",
        "KR" => "Asia/Seoul",
        "AU" => "Australia/Sydney",
        "NZ" => "Pacific/Auckland",
        _ => return None,
    };
    name.parse().ok()
}

/// The region and time zone the agent goes by: the workspace's own, else the region its
/// knowledge points to, and that region's time zone.
pub fn effective(region: Option<String>, zone: Option<Tz>, knowledge: Option<&str>) -> (Option<String>, Option<Tz>) {
    let region = region.or_else(|| knowledge.map(str::to_owned));
    let zone = zone.or_else(|| region.as_deref().and_then(self::zone));
    (region, zone)
}

/// A time zone by its IANA name, exactly as the database spells it ("America/Sao_Paulo").
pub fn parse_zone(name: &str) -> Option<Tz> {
    Tz::from_str(name).ok()
}

/// Every IANA time zone name, for a settings form or a schema.
pub fn zone_names() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect()
}

/// Every region (ISO 3166 alpha-2, upper case) whose phone numbers libphonenumber knows.
pub fn regions() -> &'static [String] {
    static REGIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let letters = || 'A'..='Z';
        letters()
            .flat_map(|a| letters().map(move |b| format!("{a}{b}")))
            .filter(|code| phonenumber::country::Id::from_str(code).is_ok())
            .collect()
    });
    &REGIONS
}

/// `code` if it is one of [`regions`].
pub fn parse_region(code: &str) -> Option<String> {
    regions().iter().find(|r| *r == code).cloned()
}

/// The instant a wall-clock time the agent resolved (`2026-12-03T10:00`, its stored
/// form) is in `zone`; `None` for a day or a part of a day without a clock time. A time
/// skipped by a clock change is not an instant; one that happens twice is the first.
pub fn starts_at(local: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()?;
    zone.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

/// The wall-clock time now in `zone` (UTC's without one).
pub fn local_now(zone: Option<Tz>) -> NaiveDateTime {
    let now = Utc::now();
    match zone {
        Some(tz) => now.with_timezone(&tz).naive_local(),
        None => now.naive_utc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_regions_by_their_exact_names() {
        assert_eq!(parse_zone("America/Sao_Paulo"), Some(chrono_tz::America::Sao_Paulo));
        assert_eq!(parse_zone("america/sao_paulo"), None);
        assert_eq!(parse_zone("Mars/Olympus"), None);
        assert!(zone_names().len() > 400 && zone_names().contains(&"Asia/Dubai"));
        assert_eq!(parse_region("BR").as_deref(), Some("BR"));
        assert_eq!(parse_region("br"), None);
        assert_eq!(parse_region("ZZ"), None);
        assert!(regions().len() > 200 && regions().iter().any(|r| r == "AE"));
        // What a settings form is offered is what the parsers take, every one of them.
        assert!(zone_names().iter().all(|z| parse_zone(z).is_some()));
        assert!(regions().iter().all(|r| parse_region(r).as_ref() == Some(r)));
    }

    #[test]
    fn a_resolved_time_is_an_instant_in_the_business_zone() {
        let sp = chrono_tz::America::Sao_Paulo;
        assert_eq!(starts_at("2026-12-03T10:00", sp).unwrap().to_rfc3339(), "2026-12-03T13:00:00+00:00");
        assert_eq!(starts_at("2026-12-03 morning", sp), None);
        assert_eq!(starts_at("2026-12-03", sp), None);
        // London's clocks skip 01:00–02:00 on 29 March 2026 and repeat 01:00–02:00 on 25 October.
        let london = chrono_tz::Europe::London;
        assert_eq!(starts_at("2026-03-29T01:30", london), None);
        assert_eq!(starts_at("2026-10-25T01:30", london).unwrap().to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn a_business_is_placed_by_its_numbers_then_its_money() {
        assert_eq!(infer_region(["Call us on +44 20 7946 0018", "Massage £55"]).as_deref(), Some("GB"));
        assert_eq!(infer_region(["Corte R$ 80", "WhatsApp +55 11 91234-5678"]).as_deref(), Some("BR"));
        assert_eq!(infer_region(["Scaling Rp 350.000"]).as_deref(), Some("ID"));
        assert_eq!(infer_region(["Whitening AED 1,200"]).as_deref(), Some("AE"));
        assert_eq!(infer_region(["Oil change $49.95", "Call (718) 555-0127"]), None, "a dollar names no country");
        assert_eq!(infer_region(["RMS Titanic", "Rpm 3000"]), None);
        assert_eq!(zone("gb"), Some(chrono_tz::Europe::London));
        assert_eq!(zone("XX"), None);
    }
}
