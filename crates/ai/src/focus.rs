//! The sentences of a knowledge line that answer a question. A line of a web page can be
//! a whole paragraph ("The studio opened in 2017 … We have no car park, but …"); a
//! receptionist answers "is there parking?" with the parking sentences, not the history.

use crate::text::terms;

/// The most sentences an answer quotes.
const MOST: usize = 3;

/// Short words ending in a full stop that end no sentence ("Dr. Lim", "St. Mark's").
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "st", "no", "nº", "av", "avd", "sr", "sra", "dra", "prof", "approx", "vs", "e.g", "i.e",
    "ca", "tel", "jl", "jln",
];

/// The sentences of one line: ended by a full stop, question or exclamation mark before
/// a space (not "4.30", not "Dr."), or by the CJK and Arabic marks.
pub fn sentences(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        let ends = match c {
            '。' | '！' | '？' | '؟' => true,
            '.' => next_is_space && !abbreviation(&line[start..i]),
            '!' | '?' => next_is_space,
            _ => false,
        };
        if ends {
            let s = line[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = line[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn abbreviation(before: &str) -> bool {
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("").trim_start_matches(['(', '"', '“']);
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str()) || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

/// The part of `line` that answers `question`: the line itself when it is short, else
/// the run of (at most three) sentences sharing most words with the question, the
/// earliest of equals. A run, not the matching sentences alone: a paragraph's sentences
/// go on about what the one before said ("There is no car park. Pay & display bays are on
/// Tollington Lane …"). A question on the page ("Do I need a referral?") is answered by
/// what follows it, so a run does not start with one.
pub fn focus(question: &str, line: &str) -> String {
    let parts = sentences(line);
    if parts.len() <= MOST {
        return line.trim().to_owned();
    }
    let wanted = terms(question);
    let shared: Vec<usize> = parts
        .iter()
        .map(|s| {
            let mut have = terms(s);
            have.sort();
            have.dedup();
            have.iter().filter(|t| wanted.contains(t)).count()
        })
        .collect();
    let asks = |i: usize| parts[i].ends_with(['?', '？', '؟']);
    // Of equal runs, the one whose first sentence is about the question: it is where the
    // paragraph turns to it.
    let mut best: Option<((usize, bool), usize)> = None;
    for start in (0..=parts.len() - MOST).filter(|&i| !asks(i)) {
        // A page's question counts for the run after it, not as an answer.
        let before = start.checked_sub(1).filter(|&i| asks(i)).map_or(0, |i| shared[i]);
        let within: usize = (start..start + MOST).filter(|&i| !asks(i)).map(|i| shared[i]).sum();
        let score = (before + within, before + shared[start] > 0);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, start));
        }
    }
    let start = best.map_or(0, |(_, start)| start);
    parts[start..start + MOST].iter().filter(|s| !s.ends_with(['?', '？', '؟'])).copied().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_into_sentences_but_not_at_times_or_titles() {
        assert_eq!(
            sentences("Dr. Lim sees patients from 9.30am. Call us! Is it urgent? 请来电。好的"),
            ["Dr. Lim sees patients from 9.30am.", "Call us!", "Is it urgent?", "请来电。", "好的"]
        );
        assert_eq!(sentences("Open daily"), ["Open daily"]);
        assert!(sentences("  ").is_empty());
    }

    #[test]
    fn a_paragraph_is_answered_by_its_sentences_about_the_question() {
        let about = "The studio opened in 2017 in an old house. Today we are a team of seven. Curls are our \
                     speciality. We have no car park. Pay & display bays are on Wisard Street, free after 6pm. \
                     The metro is 8 minutes away on foot.";
        assert_eq!(
            focus("is there a car park?", about),
            "We have no car park. Pay & display bays are on Wisard Street, free after 6pm. The metro is 8 \
             minutes away on foot."
        );
        assert_eq!(
            focus("how big is the team", about),
            "Today we are a team of seven. Curls are our speciality. We have no car park."
        );
        // Three sentences or fewer are the answer as they are.
        let short = "Free parking. Behind the building. Ask at the desk.";
        assert_eq!(focus("parking", short), short);
    }

    #[test]
    fn a_question_on_the_page_is_answered_by_what_follows_it() {
        let line = "Opening times vary. Do you take insurance? Yes. We work with Bupa, AXA and Vitality. Bring \
                    your card. Parking is free.";
        assert_eq!(focus("do you take insurance", line), "Yes. We work with Bupa, AXA and Vitality. Bring your card.");
    }
}
