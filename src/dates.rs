//! Dates in running text: the numeric forms news sites print, and month names in every
//! language the pattern files give them for (`patterns/<lang>/months.txt`). Used by metadata
//! (the article's date); the line walk tells timestamp lines by the same words
//! (`words::Vocabulary`).

use regex::Regex;

use crate::words::Vocabulary;

/// The date forms, compiled with the month names of a vocabulary (which `find_date` is given
/// again to read a month's number).
#[derive(Debug, Clone, Default)]
pub struct DateFinder {
    /// Each form, with the order of its capture groups: [year, month, day].
    forms: Vec<(Regex, [usize; 3])>,
}

impl DateFinder {
    pub fn new(vocabulary: &Vocabulary) -> Self {
        let mut names: Vec<&str> = vocabulary.months().map(|(name, _)| name).collect();
        // Longest first, so that "сентября" is not read as "сен"; then alphabetical, so that the
        // regex is the same whatever the order the names came in.
        names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        let month = format!("({})", names.iter().map(|name| regex::escape(name)).collect::<Vec<_>>().join("|"));
        // Capture-group order per pattern: [year, month, day].
        let mut forms = vec![
            (Regex::new(r"(?-u:\b)(\d{4})-(\d{1,2})-(\d{1,2})(?-u:\b)").unwrap(), [1, 2, 3]),
            (Regex::new(r"(?-u:\b)(\d{4})/(\d{1,2})/(\d{1,2})(?-u:\b)").unwrap(), [1, 2, 3]),
            (Regex::new(r"(?-u:\b)(\d{1,2})\.(\d{1,2})\.(\d{4})(?-u:\b)").unwrap(), [3, 2, 1]),
            (Regex::new(r"(?-u:\b)(\d{4})\.(\d{1,2})\.(\d{1,2})(?-u:\b)").unwrap(), [1, 2, 3]),
            (
                Regex::new(&format!(r"(?i)(?:^|[^\w])(\d{{1,2}})(?:st|nd|rd|th)?\s+{month}\.?,?\s+(\d{{4}})(?-u:\b)"))
                    .unwrap(),
                [3, 2, 1],
            ),
            (
                Regex::new(&format!(r"(?i)(?:^|[^\w]){month}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)"))
                    .unwrap(),
                [3, 1, 2],
            ),
            (
                Regex::new(&format!(r"(?i)(?-u:\b)(\d{{4}})\s+(?:жылғы|ж\.)\s+(\d{{1,2}})\s+{month}")).unwrap(),
                [1, 3, 2],
            ),
        ];
        if names.is_empty() {
            // Without month names only the numeric forms can be read.
            forms.truncate(4);
        }
        Self { forms }
    }

    /// The first full date (with a year) in `text`, as ISO `YYYY-MM-DD`.
    pub fn find_date(&self, text: &str, vocabulary: &Vocabulary) -> Option<String> {
        // Every form has a four-digit year: most lines have none and skip the regexes.
        if !text.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit)) {
            return None;
        }
        let mut best: Option<(usize, String)> = None;
        for (re, [y, m, d]) in &self.forms {
            for caps in re.captures_iter(text) {
                let start = caps.get(0).map_or(0, |m| m.start());
                let year: i32 = caps[*y].parse().ok()?;
                let month = {
                    let raw = &caps[*m];
                    raw.parse().ok().or_else(|| vocabulary.month_number(&raw.to_lowercase()))
                };
                let day: u32 = caps[*d].parse().ok()?;
                let Some(month) = month else { continue };
                if (1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day) {
                    if best.as_ref().is_none_or(|(s, _)| start < *s) {
                        best = Some((start, format!("{year:04}-{month:02}-{day:02}")));
                    }
                    break;
                }
            }
        }
        best.map(|(_, date)| date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::{Patterns, PatternsBuilder};

    fn defaults() -> &'static Patterns {
        static DEFAULTS: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
        DEFAULTS.get_or_init(|| PatternsBuilder::defaults().build().unwrap())
    }

    fn find_date(text: &str) -> Option<String> {
        defaults().find_date(text)
    }

    fn is_time_word(word: &str) -> bool {
        defaults().vocabulary().is_time_word(word)
    }

    fn month_number(word: &str) -> Option<u32> {
        defaults().vocabulary().month_number(word)
    }

    #[test]
    fn finds_dates_in_common_forms() {
        assert_eq!(find_date("27 August 2019, 08:04").as_deref(), Some("2019-08-27"));
        assert_eq!(find_date("Nov. 19, 2019 8:03 am ET").as_deref(), Some("2019-11-19"));
        assert_eq!(find_date("By FEDERICA LUSIARDI - 2019-04-10").as_deref(), Some("2019-04-10"));
        assert_eq!(find_date("18 NOV 2019").as_deref(), Some("2019-11-18"));
        assert_eq!(find_date("Опубликовано 27 августа 2019 г.").as_deref(), Some("2019-08-27"));
        assert_eq!(find_date("2019 жылғы 27 тамыз").as_deref(), Some("2019-08-27"));
        assert_eq!(find_date("Updated on: November 19, 2019 / 10:07 AM").as_deref(), Some("2019-11-19"));
        assert_eq!(find_date("27.08.2019 10:00").as_deref(), Some("2019-08-27"));
    }

    #[test]
    fn no_year_no_date() {
        assert_eq!(find_date("07.10 13:17"), None);
        assert_eq!(find_date("June 10. Today’s Birthdays"), None);
        assert_eq!(find_date("Mayor says 2019-13-45 is not a date"), None);
    }

    #[test]
    fn without_month_names_only_numeric_dates_are_read() {
        let none = Vocabulary::default();
        let finder = DateFinder::new(&none);
        assert_eq!(finder.find_date("27.08.2019 10:00", &none).as_deref(), Some("2019-08-27"));
        assert_eq!(finder.find_date("27 August 2019", &none), None);
    }

    #[test]
    fn time_words() {
        assert!(is_time_word("august"));
        assert!(is_time_word("ago"));
        assert!(!is_time_word("cosmodrome"));
        assert_eq!(month_number("тамыз"), Some(8));
    }
}
