//! The screen in front of the regexes that may match anywhere in a line.
//!
//! Such a regex is searched over every byte of every line, which made its automaton the largest
//! single cost of a run. Most of them need a word, though: `(^|\W)all rights reserved(\W|$)`
//! cannot match a line without the word "reserved", nor `при (использовании|цитировании)
//! материалов` one without "использовании" or "цитировании". The line walk (`stage::scan`)
//! already looks every word up in the stopword index, so the screen's words ride on that
//! lookup (`StopwordIndex::with_screen`), and a line without any of them skips the search.
//!
//! A word here is a run of letters and digits bounded on both sides by what a regex cannot take
//! for a word character (`^`, `$`, `\W`, a space, a colon): such a run is a run of the walk too.
//! The walk hashes words lower-cased, where a case-insensitive regex folds case: the few
//! characters that fold to a screen letter without lower-casing to it (`ſ`, old Cyrillic forms)
//! let a line through, as do the characters a regex needs when it needs no word (`©`).

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

use super::in_class;
use crate::text;

/// What the screen lets through: lines with one of these words (lower case) or characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnywhereScreen {
    pub words: Vec<String>,
    pub chars: Vec<char>,
}

/// What one regex needs in a line to match it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Need {
    /// One of these words, as a whole run of letters and digits.
    Words(Vec<String>),
    Char(char),
}

/// More strings than this from one part of a regex, and it is not worth screening by.
const MOST_STRINGS: usize = 32;

/// The screen for `regexes`, or None when one of them needs no word or character the screen can
/// tell (it must then be searched in every line).
pub fn screen_of<'r>(regexes: impl Iterator<Item = &'r str>) -> Option<AnywhereScreen> {
    let mut screen = AnywhereScreen { words: Vec::new(), chars: case_fold_strays() };
    let word = word_class();
    for regex in regexes {
        match need_of(regex, &word)? {
            Need::Words(words) => screen.words.extend(words),
            Need::Char(c) => screen.chars.push(c),
        }
    }
    screen.words.sort();
    screen.words.dedup();
    screen.chars.sort_unstable();
    screen.chars.dedup();
    Some(screen)
}

/// What `regex` needs, judged from its syntax: the best word set found between two boundaries,
/// else a character it cannot match without. `word` is `word_class()`.
fn need_of(regex: &str, word: &ClassUnicode) -> Option<Need> {
    // Parsed as written: a literal stays a literal, where case-insensitive parsing makes a class
    // of each letter. The screen compares lower case, so it holds for either.
    let hir = regex_syntax::ParserBuilder::new().build().parse(regex).ok()?;
    let items = top_level_items(&hir);
    let boundaries: Vec<usize> = (0..items.len()).filter(|&i| is_boundary(&items[i], word)).collect();
    let mut best: Option<Vec<String>> = None;
    for (n, &start) in boundaries.iter().enumerate() {
        for &end in &boundaries[n + 1..] {
            let Some(strings) = strings_of(&Hir::concat(items[start + 1..end].to_vec())) else { continue };
            let Some(words) = strings.iter().map(|s| longest_word(s)).collect::<Option<Vec<String>>>() else {
                continue;
            };
            if best.as_ref().is_none_or(|best| rarer(&words, best)) {
                best = Some(words);
            }
        }
    }
    if let Some(mut words) = best {
        words.sort();
        words.dedup();
        return Some(Need::Words(words));
    }
    items.iter().find_map(|item| match item.kind() {
        HirKind::Literal(literal) => {
            let c = std::str::from_utf8(&literal.0).ok()?.chars().next()?;
            (!c.is_ascii() && !text::is_alnum(c)).then_some(Need::Char(c))
        }
        _ => None,
    })
}

/// Whether `words` screen better than `than`: their shortest word is longer (long words are
/// rare), or as long and they are fewer.
fn rarer(words: &[String], than: &[String]) -> bool {
    let shortest = |words: &[String]| words.iter().map(|w| w.chars().count()).min().unwrap_or(0);
    (shortest(words), std::cmp::Reverse(words.len())) > (shortest(than), std::cmp::Reverse(than.len()))
}

/// The parts of a regex's top-level sequence, a literal split into its characters.
fn top_level_items(hir: &Hir) -> Vec<Hir> {
    let parts: Vec<Hir> = match hir.kind() {
        HirKind::Concat(parts) => parts.clone(),
        HirKind::Capture(capture) => return top_level_items(&capture.sub),
        _ => vec![hir.clone()],
    };
    parts
        .into_iter()
        .flat_map(|part| match part.kind() {
            HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
                Ok(text) => text.chars().map(|c| Hir::literal(c.to_string().into_bytes())).collect(),
                Err(_) => vec![part.clone()],
            },
            _ => vec![part],
        })
        .collect()
}

/// Unicode `\w`, what a regex takes for a word character.
fn word_class() -> ClassUnicode {
    match regex_syntax::parse(r"\w").map(|hir| hir.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(class))) => class,
        _ => unreachable!(r"\w parses to a Unicode class"),
    }
}

/// Whether whatever `hir` matches is never a word character: the start or end of the line, a
/// word boundary, one or more characters that are not word characters.
fn is_boundary(hir: &Hir, word: &ClassUnicode) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(
            look,
            Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF | Look::WordUnicode
        ),
        HirKind::Literal(literal) => std::str::from_utf8(&literal.0).is_ok_and(|text| {
            let mut chars = text.chars();
            chars.next().is_some_and(|c| chars.next().is_none() && !in_class(word, c))
        }),
        HirKind::Class(Class::Unicode(class)) => {
            let mut shared = class.clone();
            shared.intersect(word);
            shared.ranges().is_empty()
        }
        HirKind::Capture(capture) => is_boundary(&capture.sub, word),
        HirKind::Alternation(choices) => choices.iter().all(|choice| is_boundary(choice, word)),
        HirKind::Repetition(repetition) => repetition.min >= 1 && is_boundary(&repetition.sub, word),
        _ => false,
    }
}

/// Every string `hir` matches, when they are few (case as written).
fn strings_of(hir: &Hir) -> Option<Vec<String>> {
    let strings = match hir.kind() {
        HirKind::Empty => vec![String::new()],
        HirKind::Literal(literal) => vec![String::from_utf8(literal.0.to_vec()).ok()?],
        HirKind::Class(Class::Unicode(class)) => {
            let chars: Vec<String> = class
                .iter()
                .flat_map(|range| range.start()..=range.end())
                .take(MOST_STRINGS + 1)
                .map(String::from)
                .collect();
            chars
        }
        HirKind::Capture(capture) => strings_of(&capture.sub)?,
        HirKind::Concat(parts) => {
            let mut strings = vec![String::new()];
            for part in parts {
                strings = followed_by(&strings, &strings_of(part)?)?;
            }
            strings
        }
        HirKind::Alternation(choices) => {
            let mut strings = Vec::new();
            for choice in choices {
                strings.extend(strings_of(choice)?);
            }
            strings
        }
        HirKind::Repetition(repetition) => {
            let once = strings_of(&repetition.sub)?;
            let mut repeated = vec![String::new()];
            let mut strings = Vec::new();
            for count in 0..=repetition.max? {
                if count >= repetition.min {
                    strings.extend(repeated.iter().cloned());
                }
                repeated = followed_by(&repeated, &once)?;
                if strings.len() > MOST_STRINGS {
                    return None;
                }
            }
            strings
        }
        HirKind::Class(Class::Bytes(_)) | HirKind::Look(_) => return None,
    };
    (strings.len() <= MOST_STRINGS).then_some(strings)
}

/// Each of `firsts` followed by each of `thens`.
fn followed_by(firsts: &[String], thens: &[String]) -> Option<Vec<String>> {
    if firsts.len() * thens.len() > MOST_STRINGS {
        return None;
    }
    Some(firsts.iter().flat_map(|first| thens.iter().map(move |then| format!("{first}{then}"))).collect())
}

/// The longest run of letters and digits in `s` that the line walk hashes as a regex compares
/// it (ASCII, and the Cyrillic letters up to U+052F), lower-cased.
fn longest_word(s: &str) -> Option<String> {
    text::alnum_runs(s)
        .filter(|run| run.chars().all(is_screen_letter))
        .max_by_key(|run| run.chars().count())
        .map(str::to_lowercase)
}

fn is_screen_letter(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{0400}'..='\u{052F}').contains(&c) && c.is_alphabetic()
}

/// Characters that a case-insensitive regex takes for a letter a screen word may hold, but that
/// do not lower-case to it (`ſ` for `s`, `ᲀ` for `в`): the walk's hash would miss them.
fn case_fold_strays() -> Vec<char> {
    let mut strays = Vec::new();
    for letter in screen_letters() {
        let mut orbit = ClassUnicode::new([ClassUnicodeRange::new(letter, letter)]);
        orbit.case_fold_simple();
        let lower: String = letter.to_lowercase().collect();
        for other in orbit.iter().flat_map(|range| range.start()..=range.end()) {
            if other.to_lowercase().collect::<String>() != lower {
                strays.push(other);
            }
        }
    }
    strays
}

fn screen_letters() -> impl Iterator<Item = char> {
    ('a'..='z').chain('A'..='Z').chain('\u{0400}'..='\u{052F}').filter(|&c| is_screen_letter(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(regex: &str) -> Option<Need> {
        need_of(regex, &word_class())
    }

    fn words(regex: &str) -> Option<Vec<String>> {
        match need(regex)? {
            Need::Words(words) => Some(words),
            Need::Char(_) => None,
        }
    }

    fn list(words: &[&str]) -> Option<Vec<String>> {
        Some(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn a_regex_needs_its_rarest_bounded_words() {
        assert_eq!(words(r"(^|\W)all rights reserved(\W|$)"), list(&["reserved"]));
        assert_eq!(words(r"все права защищены"), list(&["права"]));
        assert_eq!(words(r"(^|\W)Cookies?\W.{0,120}(we use|consent)"), list(&["cookie", "cookies"]));
        assert_eq!(words(r"при (использовании|цитировании) материалов"), list(&["использовании", "цитировании"]));
        assert_eq!(words(r"(^|\W)(photo |image )?credits?:\s*\S"), list(&["credit", "credits"]));
        assert_eq!(words(r"\(c\)\s*\d{4}"), list(&["c"]));
        assert_eq!(words(r"\bnews\b"), list(&["news"]));
    }

    #[test]
    fn a_regex_without_bounded_words_needs_a_character_or_nothing() {
        assert_eq!(need("©"), Some(Need::Char('©')));
        // The word may go on: "правообладателя".
        assert_eq!(need("правообладател"), None);
        assert_eq!(need(r"арнамызға жазылыңыз"), None);
        // `_` and `\w` are word characters, `\s*` may be empty, `(?-u:\b)` is ASCII's.
        assert_eq!(need(r"_news_"), None);
        assert_eq!(need(r"\s*news\s*"), None);
        assert_eq!(need(r"(?-u:\b)news(?-u:\b)"), None);
        assert_eq!(need(r"\Wnew\w+\W"), None);
        assert!(screen_of(["(^|\\W)cookie\\W", "правообладател"].into_iter()).is_none());
    }

    #[test]
    fn case_fold_strays_are_outside_the_walks_letter_runs() {
        let strays = case_fold_strays();
        assert!(strays.contains(&'ſ') && strays.contains(&'\u{1C80}'), "{strays:?}");
        // The Kelvin sign lower-cases to `k`, as the walk hashes it.
        assert!(!strays.contains(&'\u{212A}'));
        assert!(strays.iter().all(|&c| !c.is_ascii() && !text::is_basic_cyrillic_letter(c)), "{strays:?}");
    }
}
