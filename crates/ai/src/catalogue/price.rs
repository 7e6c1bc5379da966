//! Prices and durations as pages write them: "£55", "R$ 180", "AED 1,200", "40 euros",
//! "$280 MXN", "300元"; "45 min", "1 h 30 min", "1 hora".

use crate::words::fold;

/// Currency marks, longest first so "R$" wins over "$".
pub(super) const CURRENCIES: &[&str] = &[
    "R$", "A$", "NZ$", "S$", "HK$", "US$", "C$", "AED", "USD", "EUR", "GBP", "BRL", "AUD", "SGD", "MYR", "IDR", "RM",
    "Rp", "SAR", "QAR", "MXN", "COP", "ARS", "CLP", "PEN", "CHF", "CNY", "RMB", "Dhs", "Dh", "euros", "euro", "pesos",
    "reais", "dólares", "dolares", "dirhams", "ringgit", "rupiah", "riyals", "riyal", "$", "€", "£", "¥", "₹", "₱",
    "฿", "元", "د.إ", "درهم", "ريال",
];

/// A table row's prices by the header's column names, when the row has a price in more
/// than one column and the header as many cells.
pub(super) fn variants(header: &[String], cells: &[&str]) -> Vec<(String, String)> {
    if header.len() != cells.len() {
        return Vec::new();
    }
    let priced: Vec<(String, String)> = header
        .iter()
        .zip(cells)
        .skip(1)
        .filter_map(|(label, cell)| {
            let (p, _, _) = price(cell)?;
            (!label.is_empty()).then(|| (label.clone(), p))
        })
        .collect();
    if priced.len() >= 2 { priced } else { Vec::new() }
}

/// The price in `line` as written and where it starts and ends: the first one in the
/// line, with a currency on both sides kept whole ("$280 MXN").
pub fn price(line: &str) -> Option<(String, usize, usize)> {
    let (_, mut start, mut end) = CURRENCIES
        .iter()
        .filter_map(|cur| price_in(line, cur))
        .min_by_key(|(_, start, end)| (*start, usize::MAX - end))?;
    // "$280 MXN": the code after a price that has its symbol.
    let after = &line[end..];
    if let Some(code) = CURRENCIES.iter().find(|c| {
        c.chars().all(char::is_alphabetic)
            && after.trim_start().starts_with(**c)
            && after.trim_start()[c.len()..].chars().next().is_none_or(|n| !n.is_alphanumeric())
    }) && after.len() - after.trim_start().len() <= 1
    {
        end += after.len() - after.trim_start().len() + code.len();
    }
    // "$ 280" written after a symbol before the number that the code matched.
    if let Some(sym) = line[..start].trim_end().chars().next_back().filter(|c| matches!(c, '$' | '€' | '£'))
        && line[..start].len() - line[..start].trim_end().len() <= 1
    {
        start = line[..start].trim_end().len() - sym.len_utf8();
    }
    Some((line[start..end].to_owned(), start, end))
}

/// The first price in `line` written with `cur`.
fn price_in(line: &str, cur: &str) -> Option<(String, usize, usize)> {
    let mut from = 0;
    while let Some(pos) = line[from..].find(cur) {
        let at = from + pos;
        from = at + cur.len();
        // A code or word stands alone: "AED 250", not "ReAEDy"; "40 euros", not "Europe".
        let alpha = cur.chars().all(char::is_alphabetic);
        if alpha
            && (line[..at].chars().next_back().is_some_and(char::is_alphabetic)
                || (cur.is_ascii() && line[at + cur.len()..].chars().next().is_some_and(char::is_alphabetic)))
        {
            continue;
        }
        let after = &line[at + cur.len()..];
        let gap = after.len() - after.trim_start().len();
        let number: String =
            after.trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
        let number = number.trim_end_matches(['.', ',']);
        if !number.is_empty() && number.starts_with(|c: char| c.is_ascii_digit()) {
            let end = at + cur.len() + gap + number.len();
            return Some((line[at..end].to_owned(), at, end));
        }
        // "250 AED", "55€".
        let before = line[..at].trim_end();
        let digits: String =
            before.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
        if !digits.is_empty() && digits.chars().last().is_some_and(|c| c.is_ascii_digit()) {
            let start = before.len() - digits.len();
            return Some((line[start..at + cur.len()].to_owned(), start, at + cur.len()));
        }
    }
    None
}

/// "45 min", "1 hour", "1h30", "90 minutes", "1 hora".
pub fn duration(text: &str) -> Option<String> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '·' | '|' | '—' | '–' | '/'))
        .filter(|t| !t.is_empty())
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        let lower = fold(t);
        let unit = |u: &str| {
            [
                "min", "mins", "minute", "minutes", "minutos", "menit", "hr", "hrs", "hour", "hours", "h", "hora",
                "horas", "heure", "heures", "jam", "分钟", "小时",
            ]
            .contains(&u.trim_end_matches('.'))
        };
        let number = lower.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect::<String>();
        if number.is_empty() {
            continue;
        }
        let rest = &lower[number.len()..];
        if (!rest.is_empty()
            && (unit(rest)
                || rest.starts_with("min")
                || rest.starts_with("h") && rest[1..].chars().all(|c| c.is_ascii_digit())))
            || (rest.is_empty() && tokens.get(i + 1).is_some_and(|n| unit(&fold(n))))
        {
            let mut end = if rest.is_empty() { i + 1 } else { i };
            // "1 h 30 min": the minutes after the hours.
            let minutes = |t: &str| fold(t).trim_end_matches('.').starts_with("min");
            let number = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
            if !minutes(tokens[end]) {
                if tokens.get(end + 1).is_some_and(|t| number(t)) && tokens.get(end + 2).is_some_and(|t| minutes(t)) {
                    end += 2;
                } else if tokens.get(end + 1).is_some_and(|t| {
                    let digits = t.chars().take_while(char::is_ascii_digit).count();
                    digits > 0 && minutes(&t[digits..])
                }) {
                    end += 1;
                }
            }
            return Some(tokens[i..=end].join(" ").trim_end_matches('.').to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_written_in_words_and_after_the_amount() {
        let c = super::super::catalogue([
            "Primera consulta 40 euros\nBaño y corte — 350 pesos\nCorte de uñas: $120 MXN\n洗牙 300元\nEurope Tour\nفحص 150 درهم",
        ]);
        let found: Vec<(&str, &str)> = c.iter().map(|s| (s.name.as_str(), s.price.as_str())).collect();
        assert_eq!(
            found,
            [
                ("Primera consulta", "40 euros"),
                ("Baño y corte", "350 pesos"),
                ("Corte de uñas", "$120 MXN"),
                ("洗牙", "300元"),
                ("فحص", "150 درهم")
            ]
        );
        assert_eq!(price("Europe 40"), None, "a currency word stands alone");
        assert_eq!(price("Cat Desexing – A$320").map(|p| p.0).as_deref(), Some("A$320"));
    }
}
