//! The screens in front of the regex groups.
//!
//! A group's automaton is searched in every line, most of which match nothing: for regexes that
//! may match anywhere the search reads every byte, for the others it still costs a call, a start
//! state and the cache misses of an automaton that other work keeps evicting. Most regexes need
//! something of a line the line walk (`stage::scan`) already sees, though, and a line without it
//! skips the group:
//! - a whole word anywhere: `(^|\W)all rights reserved(\W|$)` cannot match a line without the
//!   word "reserved", nor `при (использовании|цитировании) материалов` one without
//!   "использовании" or "цитировании";
//! - the line's first word, for a regex anchored at its start: `^(posted|written) (by|on)` needs a
//!   line that starts with "posted" or "written", `^(photo|image)s?\s*(:|credit)` one whose first
//!   word starts with "photo" or "image" ("Photocredit:" matches), `^\d+ comments` one that starts
//!   with a number;
//! - a character: `©`, the `@` of an address, the `>` of a breadcrumb.
//!
//! The walk looks every word up in the stopword index, so the screens' words ride on that lookup
//! (`StopwordIndex::with_screens`).
//!
//! A word here is a run of letters and digits bounded on both sides by what a regex cannot take
//! for a word character (`^`, `$`, `\W`, a space, a colon): such a run is a run of the walk too.
//! The walk hashes words lower-cased, where a case-insensitive regex folds case: the few
//! characters that fold to a screen letter without lower-casing to it (`ſ`, old Cyrillic forms)
//! let a line through.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

use super::group::in_class;
use crate::text;
use crate::words::Screen;

/// What one regex needs in a line to match it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Need {
    /// One of these words, as a whole run of letters and digits.
    Words(Vec<String>),
    /// The line's first run of letters and digits (`FirstRun`).
    FirstRun(FirstRun),
    /// One of these characters.
    Chars(Vec<char>),
}

/// More strings than this from one part of a regex, and it is not worth screening by.
const MOST_STRINGS: usize = 32;

/// The screen for `regexes`, or None when one of them needs nothing the screen can tell (they
/// must then be searched in every line). `inspected` says which characters the walk looks at.
pub fn screen_of<'r>(regexes: impl Iterator<Item = &'r str>, inspected: impl Fn(char) -> bool) -> Option<Screen> {
    let mut screen = Screen { chars: case_fold_strays().to_vec(), ..Screen::default() };
    let word = word_class();
    for regex in regexes {
        match need_of(regex, word, &inspected)? {
            Need::Words(words) => screen.words.extend(words),
            Need::FirstRun(first) => {
                screen.first_words.extend(first.words);
                screen.first_prefixes.extend(first.prefixes);
                screen.first_number |= first.number;
            }
            Need::Chars(chars) => screen.chars.extend(chars),
        }
    }
    for list in [&mut screen.words, &mut screen.first_words, &mut screen.first_prefixes] {
        list.sort();
        list.dedup();
    }
    screen.chars.sort_unstable();
    screen.chars.dedup();
    Some(screen)
}

/// What `regex` needs, judged from its syntax: for a regex anchored at the start, the line's
/// first word; else the best word set found between two boundaries; else a character it cannot
/// match without. `word` is `word_class()`.
fn need_of(regex: &str, word: &ClassUnicode, inspected: &impl Fn(char) -> bool) -> Option<Need> {
    // Parsed as written: a literal stays a literal, where case-insensitive parsing makes a class
    // of each letter. The screen compares lower case, so it holds for either.
    let hir = regex_syntax::ParserBuilder::new().build().parse(regex).ok()?;
    if let Some(first) = anchored_first_run(&hir, word) {
        let FirstRun { words, prefixes, number } = first;
        return Some(Need::FirstRun(FirstRun { words: lower_sorted(words), prefixes: lower_sorted(prefixes), number }));
    }
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
    let chars = required_chars(&hir, inspected).map(|mut chars| {
        chars.sort_unstable();
        chars.dedup();
        Need::Chars(chars)
    });
    match best {
        // Words of one or two letters ("on", "at") are in most lines of prose: a character the
        // regex needs, such as the `:` of a clock time, lets fewer through.
        Some(words) if chars.is_none() || words.iter().all(|word| word.chars().count() > 2) => {
            Some(Need::Words(lower_sorted(words)))
        }
        _ => chars,
    }
}

fn lower_sorted(words: Vec<String>) -> Vec<String> {
    let mut words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    words.sort();
    words.dedup();
    words
}

/// What a regex anchored at the start needs of the line's first run of letters and digits: to
/// be one of `words`, to start with one of `prefixes`, or, with `number`, to start with a digit.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct FirstRun {
    words: Vec<String>,
    prefixes: Vec<String>,
    number: bool,
}

impl FirstRun {
    fn or(mut self, other: FirstRun) -> Option<FirstRun> {
        self.words.extend(other.words);
        self.prefixes.extend(other.prefixes);
        self.number |= other.number;
        (self.words.len() + self.prefixes.len() <= MOST_STRINGS).then_some(self)
    }
}

/// The first run `hir` needs, when it starts with `^` (each of its choices, for an alternation).
fn anchored_first_run(hir: &Hir, word: &ClassUnicode) -> Option<FirstRun> {
    match hir.kind() {
        HirKind::Capture(capture) => anchored_first_run(&capture.sub, word),
        HirKind::Alternation(choices) => {
            choices.iter().try_fold(FirstRun::default(), |runs, choice| runs.or(anchored_first_run(choice, word)?))
        }
        _ => match top_level_items(hir).split_first() {
            Some((start, rest)) if matches!(start.kind(), HirKind::Look(Look::Start)) => first_run(rest, word),
            _ => None,
        },
    }
}

/// The first run of what `seq` matches, where what comes before the run can hold no word
/// character.
fn first_run(seq: &[Hir], word: &ClassUnicode) -> Option<FirstRun> {
    let (head, rest) = seq.split_first()?;
    if never_word(head, word) {
        return first_run(rest, word);
    }
    match head.kind() {
        HirKind::Capture(capture) => first_run(&then(top_level_items(&capture.sub), rest), word),
        HirKind::Concat(_) => first_run(&then(top_level_items(head), rest), word),
        HirKind::Alternation(choices) => choices
            .iter()
            .try_fold(FirstRun::default(), |runs, choice| runs.or(first_run(&then(vec![choice.clone()], rest), word)?)),
        HirKind::Repetition(repetition) if repetition.min == 0 && repetition.max == Some(1) => {
            first_run(rest, word)?.or(first_run(&then(vec![(*repetition.sub).clone()], rest), word)?)
        }
        // `\d+`: the walk's run starts with an ASCII digit, or the line has a digit outside
        // ASCII, which lets it through every screen.
        HirKind::Repetition(repetition) if repetition.min >= 1 && is_digits(&repetition.sub) => {
            Some(FirstRun { number: true, ..FirstRun::default() })
        }
        _ => {
            let mut first = FirstRun::default();
            for (run, whole) in run_from(String::new(), seq, word)? {
                if whole {
                    first.words.push(run)
                } else {
                    first.prefixes.push(run)
                }
            }
            Some(first)
        }
    }
}

/// The runs of letters and digits that go on from `prefix` with what `seq` matches: whole when
/// what follows cannot be a word character, else only the start of the run.
fn run_from(prefix: String, seq: &[Hir], word: &ClassUnicode) -> Option<Vec<(String, bool)>> {
    if !prefix.is_empty() && starts_bounded(seq, word) {
        return Some(vec![(prefix, true)]);
    }
    // Where the letters stop being known, the run starts with what was read so far.
    let known_so_far = |prefix: String| (!prefix.is_empty()).then(|| vec![(prefix, false)]);
    let Some((head, rest)) = seq.split_first() else { return known_so_far(prefix) };
    match head.kind() {
        HirKind::Literal(literal) if std::str::from_utf8(&literal.0).is_ok_and(|text| text.chars().count() > 1) => {
            run_from(prefix, &then(top_level_items(head), rest), word)
        }
        HirKind::Literal(_) | HirKind::Class(Class::Unicode(_)) => match strings_of(head) {
            Some(letters) if letters.iter().all(|letter| letter.chars().all(is_screen_letter)) => {
                all_runs(letters.iter().map(|letter| run_from(format!("{prefix}{letter}"), rest, word)))
            }
            _ => known_so_far(prefix),
        },
        HirKind::Capture(capture) => run_from(prefix, &then(top_level_items(&capture.sub), rest), word),
        HirKind::Concat(_) => run_from(prefix, &then(top_level_items(head), rest), word),
        HirKind::Alternation(choices) => {
            all_runs(choices.iter().map(|choice| run_from(prefix.clone(), &then(vec![choice.clone()], rest), word)))
        }
        HirKind::Repetition(repetition) if repetition.min == 0 && repetition.max == Some(1) => {
            let once = then(vec![(*repetition.sub).clone()], rest);
            all_runs([rest, once.as_slice()].into_iter().map(|choice| run_from(prefix.clone(), choice, word)))
        }
        // At least once, then as the rest goes: the run starts as the first time does.
        HirKind::Repetition(repetition) if repetition.min >= 1 => run_from(prefix, &[(*repetition.sub).clone()], word)
            .map(|runs| runs.into_iter().map(|(run, _)| (run, false)).collect()),
        HirKind::Empty => run_from(prefix, rest, word),
        _ => known_so_far(prefix),
    }
}

/// The runs of every part, while they stay few enough to screen by.
fn all_runs(parts: impl Iterator<Item = Option<Vec<(String, bool)>>>) -> Option<Vec<(String, bool)>> {
    let mut runs = Vec::new();
    for part in parts {
        runs.extend(part?);
        if runs.len() > MOST_STRINGS {
            return None;
        }
    }
    Some(runs)
}

/// Whether every match of `seq` starts with a character that is not a word character, or at the
/// end of the line.
fn starts_bounded(seq: &[Hir], word: &ClassUnicode) -> bool {
    let Some((head, rest)) = seq.split_first() else {
        // The regex ends here: anything may follow its match.
        return false;
    };
    if is_boundary(head, word) {
        return true;
    }
    match head.kind() {
        HirKind::Empty => starts_bounded(rest, word),
        HirKind::Capture(capture) => starts_bounded(&then(top_level_items(&capture.sub), rest), word),
        HirKind::Concat(_) => starts_bounded(&then(top_level_items(head), rest), word),
        HirKind::Alternation(choices) => {
            choices.iter().all(|choice| starts_bounded(&then(vec![choice.clone()], rest), word))
        }
        HirKind::Repetition(repetition) => {
            starts_bounded(&then(vec![(*repetition.sub).clone()], rest), word)
                && (repetition.min >= 1 || starts_bounded(rest, word))
        }
        _ => false,
    }
}

/// Whether `hir` matches only characters that are not word characters (or nothing).
fn never_word(hir: &Hir, word: &ClassUnicode) -> bool {
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Literal(literal) => {
            std::str::from_utf8(&literal.0).is_ok_and(|text| text.chars().all(|c| !in_class(word, c)))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut shared = class.clone();
            shared.intersect(word);
            shared.ranges().is_empty()
        }
        HirKind::Capture(capture) => never_word(&capture.sub, word),
        HirKind::Repetition(repetition) => never_word(&repetition.sub, word),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().all(|part| never_word(part, word)),
        _ => false,
    }
}

/// Whether `hir` is a class of digits (`\d`, `[0-9]`): ASCII's, or others, which are numbers
/// to the walk and let a line through every screen.
fn is_digits(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut others = class.clone();
            others.difference(digit_class());
            others.ranges().is_empty()
        }
        HirKind::Literal(literal) => {
            std::str::from_utf8(&literal.0).is_ok_and(|text| text.chars().all(|c| c.is_ascii_digit()))
        }
        _ => false,
    }
}

/// Unicode `\d`.
fn digit_class() -> &'static ClassUnicode {
    static CLASS: OnceLock<ClassUnicode> = OnceLock::new();
    CLASS.get_or_init(|| unicode_class(r"\d"))
}

/// Characters one of which every match of `hir` holds, each one the walk looks at and none a
/// letter or digit that has a case (a CJK ideograph or kana has none, so the walk sees it as the
/// regex does); None when there are none such or too many.
fn required_chars(hir: &Hir, inspected: &impl Fn(char) -> bool) -> Option<Vec<char>> {
    let usable = |c: char| (!text::is_alnum(c) || text::is_cjk(c)) && inspected(c);
    match hir.kind() {
        HirKind::Literal(literal) => {
            std::str::from_utf8(&literal.0).ok()?.chars().find(|&c| usable(c)).map(|c| vec![c])
        }
        HirKind::Class(Class::Unicode(_)) => {
            let chars = strings_of(hir)?;
            let chars: Vec<char> = chars.iter().filter_map(|s| s.chars().next()).collect();
            chars.iter().all(|&c| usable(c)).then_some(chars)
        }
        HirKind::Capture(capture) => required_chars(&capture.sub, inspected),
        HirKind::Concat(parts) => parts.iter().find_map(|part| required_chars(part, inspected)),
        HirKind::Alternation(choices) => {
            let mut chars = Vec::new();
            for choice in choices {
                chars.extend(required_chars(choice, inspected)?);
            }
            (chars.len() <= MOST_STRINGS).then_some(chars)
        }
        HirKind::Repetition(repetition) if repetition.min >= 1 => required_chars(&repetition.sub, inspected),
        _ => None,
    }
}

/// `first` followed by `rest`.
fn then(mut first: Vec<Hir>, rest: &[Hir]) -> Vec<Hir> {
    first.extend_from_slice(rest);
    first
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
fn word_class() -> &'static ClassUnicode {
    static CLASS: OnceLock<ClassUnicode> = OnceLock::new();
    CLASS.get_or_init(|| unicode_class(r"\w"))
}

/// The class a Perl class such as `\w` parses to.
fn unicode_class(perl: &str) -> ClassUnicode {
    match regex_syntax::parse(perl).map(|hir| hir.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(class))) => class,
        _ => unreachable!("{perl} parses to a Unicode class"),
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
/// it (`is_screen_letter`), lower-cased.
fn longest_word(s: &str) -> Option<String> {
    text::alnum_runs(s)
        .filter(|run| run.chars().all(is_screen_letter))
        .max_by_key(|run| run.chars().count())
        .map(str::to_lowercase)
}

/// A letter or digit that the walk lower-cases to one character, as a case-insensitive regex
/// compares it: ASCII, Cyrillic up to U+052F and Latin up to U+017E (`ſ`, U+017F, folds to `s`
/// but lower-cases to itself).
fn is_screen_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (('\u{0400}'..='\u{052F}').contains(&c) || ('\u{00C0}'..='\u{017E}').contains(&c))
            && c.is_alphabetic()
            && c.to_lowercase().count() == 1
}

/// Characters that a case-insensitive regex takes for a letter a screen word may hold, but that
/// do not lower-case to it (`ſ` for `s`, `ᲀ` for `в`): the walk's hash would miss them.
fn case_fold_strays() -> &'static [char] {
    static STRAYS: OnceLock<Vec<char>> = OnceLock::new();
    STRAYS.get_or_init(fold_strays)
}

fn fold_strays() -> Vec<char> {
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
    ('0'..='9')
        .chain('a'..='z')
        .chain('A'..='Z')
        .chain('\u{00C0}'..='\u{017E}')
        .chain('\u{0400}'..='\u{052F}')
        .filter(|&c| is_screen_letter(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(regex: &str) -> Option<Need> {
        need_of(regex, word_class(), &crate::text::walk_inspects)
    }

    fn words(regex: &str) -> Option<Vec<String>> {
        match need(regex)? {
            Need::Words(words) => Some(words),
            _ => None,
        }
    }

    fn list(words: &[&str]) -> Option<Vec<String>> {
        Some(strings(words))
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    fn first(words: &[&str], prefixes: &[&str], number: bool) -> Option<Need> {
        Some(Need::FirstRun(FirstRun { words: strings(words), prefixes: strings(prefixes), number }))
    }

    fn chars(chars: &[char]) -> Option<Need> {
        Some(Need::Chars(chars.to_vec()))
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
        assert_eq!(need("©"), chars(&['©']));
        // The word may go on: "правообладателя".
        assert_eq!(need("правообладател"), None);
        assert_eq!(need(r"арнамызға жазылыңыз"), None);
        // `_` and `\w` are word characters, `\s*` may be empty, `(?-u:\b)` is ASCII's; the walk
        // looks at each `_`, though.
        assert_eq!(need(r"_news_"), chars(&['_']));
        assert_eq!(need(r"\s*news\s*"), None);
        assert_eq!(need(r"(?-u:\b)news(?-u:\b)"), None);
        assert_eq!(need(r"\Wnew\w+\W"), None);
        // The walk takes commas and hyphens in its stride, without looking at them.
        assert_eq!(need(r"\w+,\w+"), None);
        assert!(screen_of(["(^|\\W)cookie\\W", "правообладател"].into_iter(), crate::text::walk_inspects).is_none());
    }

    #[test]
    fn a_regex_anchored_at_the_start_needs_its_first_word() {
        assert_eq!(need(r"^(advertisement|sponsored)\s*[-–—:]"), first(&["advertisement", "sponsored"], &[], false));
        assert_eq!(need(r"^By\s+(?-i:\p{Lu})"), first(&["by"], &[], false));
        assert_eq!(need(r"^\(?leggi anche"), first(&["leggi"], &[], false));
        assert_eq!(need(r"^(à )?lire aussi\s*:"), first(&["lire", "à"], &[], false));
        assert_eq!(need(r"^(getty images|afp)(\W.{0,60})?$"), first(&["afp", "getty"], &[], false));
        // "photocredit" matches: the first word only starts with "photo".
        assert_eq!(need(r"^(photo|image)s?\s*(:|credit)"), first(&[], &["image", "images", "photo", "photos"], false));
        assert_eq!(need(r"^getty|^afp\b"), first(&["afp"], &["getty"], false));
        assert_eq!(need(r"^\W*\d+\s+comments"), first(&[], &[], true));
        assert_eq!(need(r"^(no|one|\d+) (comments?|replies)"), first(&["no", "one"], &[], true));
        assert_eq!(need(r"^фото\s*:"), first(&["фото"], &[], false));
    }

    #[test]
    fn an_anchored_regex_without_a_known_first_word_needs_a_word_or_a_character() {
        assert_eq!(need(r"^@\w+$"), chars(&['@']));
        assert_eq!(need(r"^\S+_\S+$"), chars(&['_']));
        assert_eq!(need(r"^[^.!?>»›]{1,40}(\s(>|»|›|/)\s[^.!?>»›]{1,60}){1,6}$"), chars(&['/', '>', '»', '›']));
        assert_eq!(words(r"^.{1,60}\s(said|wrote) ?:$"), list(&["said", "wrote"]));
        // "on" and "at" are in most lines; the clock's colon is in few.
        assert_eq!(need(r"^.{1,80}\W(on|at) .{4,40}\d{1,2}:\d{2} ?(said|wrote)$"), chars(&[':']));
        assert_eq!(need(r"^\w+,\w+"), None);
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
