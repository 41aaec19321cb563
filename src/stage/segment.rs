//! Segment: normalised text to numbered lines.
//!
//! Lines are the unit of the whole tool: scrapers put each block element on its own line, so a
//! line is a paragraph, a heading, a menu item or a list entry, and line numbers let a user find
//! every decision in the original file. Some scrapers prepend a `date YYYY-MM-DD` field to the
//! first line; it is metadata, not text, so it is taken off here and handed to the metadata stage.

use std::sync::OnceLock;

use regex::Regex;

use crate::document::{Line, Reason, Verdict};

/// Lines of `text` (already normalised: LF endings, trimmed) and a scraper-supplied date, if any.
///
/// A run of blank lines is one blank `Line`, numbered as the run's last line: a blank line only
/// says that a paragraph ended, and a page of millions of them (a broken scraper) must not cost
/// a `Line` each. The last line's number is still the number of lines of the text.
pub fn segment(text: &str) -> (Vec<Line>, Option<String>) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut scraper_date = None;
    // memchr finds the line ends a vector at a time, where `split('\n')` checks byte by byte.
    let bytes = body.as_bytes();
    // Counted first and allocated once: grown by doubling, a page of millions of short lines
    // held up to three times the lines' memory while the vector moved.
    let mut lines: Vec<Line> = Vec::with_capacity(lines_in(bytes));
    let mut start = 0;
    for (index, end) in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())).enumerate() {
        let raw = &body[start..end];
        start = end + 1;
        let number = index + 1;
        match lines.last_mut() {
            Some(previous) if raw.is_empty() && previous.text.is_empty() => previous.number = number,
            _ => lines.push(Line {
                number,
                text: raw.to_string(),
                verdict: if raw.is_empty() { Verdict::Blank } else { Verdict::Pending },
                reason: Reason::Unclassified,
            }),
        }
    }
    if text.is_empty() {
        lines.clear();
    }
    if let Some(first) = lines.first_mut() {
        if let Some(caps) = scraper_date_field().captures(&first.text) {
            scraper_date = Some(caps[1].to_string());
            let rest = first.text[caps.get(0).map_or(0, |m| m.end())..].trim().to_string();
            first.verdict = if rest.is_empty() { Verdict::Blank } else { Verdict::Pending };
            first.text = rest;
        }
    }
    (lines, scraper_date)
}

/// How many `Line`s `segment` makes of `body`: its lines, with each run of blank ones as one.
fn lines_in(body: &[u8]) -> usize {
    let mut count = 0;
    let mut previous_blank = false;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len())) {
        let blank = end == start;
        count += usize::from(!(blank && previous_blank));
        previous_blank = blank;
        start = end + 1;
    }
    count
}

fn scraper_date_field() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^date:?\s+(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?(?:\s+|$)").unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn lines_are_the_text_split_at_line_feeds_with_blank_runs_as_one(text in "[a\n é]{0,20}") {
            let (lines, _) = segment(&text);
            let body = text.strip_suffix('\n').unwrap_or(&text);
            let split: Vec<(usize, &str)> =
                if text.is_empty() { Vec::new() } else { body.split('\n').enumerate().map(|(i, l)| (i + 1, l)).collect() };
            // Of each run of blank lines, the last.
            let expected: Vec<(usize, &str)> = split
                .iter()
                .enumerate()
                .filter(|&(i, (_, line))| !line.is_empty() || split.get(i + 1).is_none_or(|(_, next)| !next.is_empty()))
                .map(|(_, &line)| line)
                .collect();
            let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.number, l.text.as_str())).collect();
            proptest::prop_assert_eq!(got, expected);
            if !text.is_empty() {
                proptest::prop_assert_eq!(lines.capacity(), lines.len());
            }
        }
    }

    #[test]
    fn numbers_lines_from_one_and_marks_blanks() {
        let (lines, date) = segment("Title\n\nBody.\n");
        assert_eq!(date, None);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].number, 1);
        assert_eq!(lines[1].verdict, Verdict::Blank);
        assert_eq!(lines[2].text, "Body.");
        assert_eq!(lines[2].number, 3);
    }

    #[test]
    fn a_page_of_blank_lines_is_a_few_lines() {
        let page = format!("One.{}Two.\n{}", "\n".repeat(1_000_000), "\n".repeat(10));
        let (lines, _) = segment(&page);
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.number, l.text.as_str())).collect();
        assert_eq!(got, [(1, "One."), (1_000_000, ""), (1_000_001, "Two."), (1_000_011, "")]);
    }

    #[test]
    fn scraper_date_is_taken_off_the_first_line() {
        let (lines, date) = segment("date 2017-06-20 ASTANA. KAZINFORM A delegation.\n\nMore.");
        assert_eq!(date.as_deref(), Some("2017-06-20"));
        assert_eq!(lines[0].text, "ASTANA. KAZINFORM A delegation.");
        assert_eq!(lines[0].number, 1);
    }

    #[test]
    fn a_date_inside_text_is_not_a_scraper_field() {
        let (lines, date) = segment("The date 2017-06-20 was chosen.");
        assert_eq!(date, None);
        assert_eq!(lines[0].text, "The date 2017-06-20 was chosen.");
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(segment("").0.is_empty());
    }
}
