//! Dates in running text: month names in English, Russian and Kazakh, and the numeric forms
//! news sites print. Used by the classifier (a line that is only a timestamp is boilerplate) and
//! by metadata (the article's date).

use std::sync::OnceLock;

use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

/// (month number, spellings); lower case, full and abbreviated, nominative and genitive.
const MONTHS: &[(u32, &[&str])] = &[
    (1, &["january", "jan", "января", "январь", "янв", "қаңтар", "қаңтардағы"]),
    (2, &["february", "feb", "февраля", "февраль", "фев", "ақпан", "ақпандағы"]),
    (3, &["march", "mar", "марта", "март", "мар", "наурыз", "наурыздағы"]),
    (4, &["april", "apr", "апреля", "апрель", "апр", "сәуір", "сәуірдегі"]),
    (5, &["may", "мая", "май", "мамыр", "мамырдағы"]),
    (6, &["june", "jun", "июня", "июнь", "июн", "маусым", "маусымдағы"]),
    (7, &["july", "jul", "июля", "июль", "июл", "шілде", "шілдедегі"]),
    (8, &["august", "aug", "августа", "август", "авг", "тамыз", "тамыздағы"]),
    (9, &["september", "sep", "sept", "сентября", "сентябрь", "сен", "сент", "қыркүйек", "қыркүйектегі"]),
    (10, &["october", "oct", "октября", "октябрь", "окт", "қазан", "қазандағы"]),
    (11, &["november", "nov", "ноября", "ноябрь", "ноя", "қараша", "қарашадағы"]),
    (12, &["december", "dec", "декабря", "декабрь", "дек", "желтоқсан", "желтоқсандағы"]),
];

/// Words that appear in timestamp lines besides numbers and month names.
const TIME_WORDS: &[&str] = &[
    "am",
    "pm",
    "a.m",
    "p.m",
    "et",
    "est",
    "edt",
    "ct",
    "cst",
    "cdt",
    "pt",
    "pst",
    "pdt",
    "gmt",
    "utc",
    "bst",
    "cet",
    "msk",
    "almt",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "updated",
    "published",
    "posted",
    "modified",
    "last",
    "on",
    "at",
    "ago",
    "min",
    "mins",
    "minute",
    "minutes",
    "hour",
    "hours",
    "hr",
    "hrs",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "yesterday",
    "today",
    "h",
    "m",
    "d",
    "s",
    "first",
    "обновлено",
    "опубликовано",
    "в",
    "г",
    "года",
    "год",
    "назад",
    "минут",
    "минуты",
    "час",
    "часа",
    "часов",
    "сегодня",
    "вчера",
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
    "жылғы",
    "жыл",
    "ж",
    "бүгін",
    "кеше",
    "сағат",
    "минут",
    "бұрын",
];

// Fx hashing: the line walk asks about the first word of nearly every line, and SipHash was
// most of the cost of the asking.
fn month_lookup() -> &'static FxHashMap<&'static str, u32> {
    static MAP: OnceLock<FxHashMap<&'static str, u32>> = OnceLock::new();
    MAP.get_or_init(|| MONTHS.iter().flat_map(|(n, names)| names.iter().map(move |name| (*name, *n))).collect())
}

fn time_word_set() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| TIME_WORDS.iter().copied().collect())
}

/// The month number of a (lower-case) month name or abbreviation.
pub fn month_number(word: &str) -> Option<u32> {
    month_lookup().get(word).copied()
}

/// Every word `is_time_word` takes.
pub fn time_words() -> impl Iterator<Item = &'static str> {
    MONTHS.iter().flat_map(|(_, names)| names.iter().copied()).chain(TIME_WORDS.iter().copied())
}

/// True when `word` (lower case) is a month, weekday or other word of a timestamp.
pub fn is_time_word(word: &str) -> bool {
    month_lookup().contains_key(word) || time_word_set().contains(word)
}

/// Compiles the date regexes now, so that the first page that needs them does not wait.
pub fn prepare() {
    date_regexes();
}

fn date_regexes() -> &'static [(Regex, [usize; 3])] {
    static RES: OnceLock<Vec<(Regex, [usize; 3])>> = OnceLock::new();
    RES.get_or_init(|| {
        let mut names: Vec<&str> = MONTHS.iter().flat_map(|(_, n)| n.iter().copied()).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        let month = format!("({})", names.join("|"));
        // Capture-group order per pattern: [year, month, day].
        vec![
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
        ]
    })
}

/// The first full date (with a year) in `text`, as ISO `YYYY-MM-DD`.
pub fn find_date(text: &str) -> Option<String> {
    // Every form has a four-digit year: most lines have none and skip the regexes.
    if !text.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let mut best: Option<(usize, String)> = None;
    for (re, [y, m, d]) in date_regexes() {
        for caps in re.captures_iter(text) {
            let start = caps.get(0).map_or(0, |m| m.start());
            let year: i32 = caps[*y].parse().ok()?;
            let month = {
                let raw = &caps[*m];
                raw.parse().ok().or_else(|| month_number(&raw.to_lowercase()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn time_words() {
        assert!(is_time_word("august"));
        assert!(is_time_word("ago"));
        assert!(!is_time_word("cosmodrome"));
        assert_eq!(month_number("тамыз"), Some(8));
    }
}
