//! Pattern files: the phrases and regexes that name boilerplate, kept as data, not code.
//!
//! Layout under a patterns folder (the defaults live in the repository's `patterns/` and are
//! compiled into the binary):
//!
//! ```text
//! <lang>/<kind>.txt      e.g. en/read-also.txt, ru/nav.txt, kk/share.txt
//! stopwords/<lang>.txt   one function word per line, for the classifier's stopword share
//! ```
//!
//! One pattern per line; `#` starts a comment line; blank lines are ignored. A plain line is a
//! *phrase*: it matches a page line that, lower-cased and stripped of surrounding punctuation,
//! bullets and arrows, is exactly that phrase (`Read also:` and `• READ ALSO >` both match
//! `read also`). A line starting with `re:` is a regular expression searched anywhere in the page
//! line, case-insensitively. The file name is the *kind*, and the kind is the rule name a removal
//! carries, so a user who wonders why a line went knows which file to edit.
//!
//! Everything is compiled once, up front: phrases into a hash map (one lookup per line), regexes
//! into a few lazy DFAs (`RegexGroup`), grouped by how much of a line a search must read (an
//! automaton is as slow as its slowest member). A bad pattern fails at start as
//! `FILE:LINE: problem`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::dates::DateFinder;
pub use crate::text::phrase_key;
use crate::text::{self, for_each_key_char};
use crate::words::{StopwordIndex, Vocabulary, WordSet};

mod group;
/// The kinds the classifier gives a meaning beyond "remove this line", in one place.
pub mod kinds;
mod load;
mod screen;

use group::RegexGroup;
pub use load::PatternsBuilder;

#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("{file}:{line}: {problem}")]
    Invalid { file: String, line: usize, problem: String },
    // `error`, not `source`: the message says it already, and a source would print it twice.
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}: not a folder of pattern files", .0.display())]
    NotADir(PathBuf),
}

/// A compiled pattern line, kept for `--dump-patterns`.
#[derive(Debug, Clone)]
pub struct Listed {
    pub kind: &'static str,
    pub lang: String,
    pub origin: String,
    pub pattern: String,
}

/// Compiled patterns and stopword lists, shared by reference across worker threads.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    /// Phrase key to (kind, index into `listing`).
    phrases: FxHashMap<String, (&'static str, usize)>,
    /// The longest phrase key in bytes: a longer line cannot be a phrase.
    longest_phrase: usize,
    /// The line walk's hash (`scan::LineScan::key_hash`) of each phrase key: a line whose hash is
    /// not here is no phrase, and its key need not be built.
    phrase_hashes: FxHashSet<u64>,
    /// The regexes in one set per `Reach`.
    groups: Vec<RegexGroup>,
    /// Kind of each regex, in file order.
    regex_kinds: Vec<&'static str>,
    /// Index into `listing` of each regex.
    regex_listing: Vec<usize>,
    kinds: Vec<&'static str>,
    stopwords: BTreeMap<String, WordSet>,
    stopword_index: StopwordIndex,
    /// The date forms, with the vocabulary's month names.
    dates: DateFinder,
    listing: Vec<Listed>,
}

impl Patterns {
    /// The kind of the first pattern that matches `line`: phrases first, then regexes in file
    /// order.
    pub fn kind_of(&self, line: &str) -> Option<&'static str> {
        self.kind_of_keyed(line, &phrase_key(line), 0).or_else(|| self.lead_kind(line))
    }

    /// `kind_of` for a caller that already has the line's `phrase_key`, and knows which regex
    /// groups the line walk's screens ruled out (`scan::LineScan::ruled_out`).
    pub fn kind_of_keyed(&self, line: &str, key: &str, ruled_out: u8) -> Option<&'static str> {
        if let Some(&(kind, _)) = self.phrase(key) {
            return Some(kind);
        }
        self.first_regex(line, ruled_out).map(|index| self.regex_kinds[index])
    }

    /// The kind of a phrase that leads `line` before a colon or a dash ("Читайте также:
    /// <headline>"), for the kinds in `kinds::LEAD_KINDS`.
    pub fn lead_kind(&self, line: &str) -> Option<&'static str> {
        self.lead_phrase(line).map(|&(kind, _)| kind)
    }

    /// The phrase (kind, index into `listing`) of a kind in `kinds::LEAD_KINDS` that leads
    /// `line` before a colon or a dash, if any.
    fn lead_phrase(&self, line: &str) -> Option<&(&'static str, usize)> {
        // The lead's key is no longer than the longest phrase, and lower-casing shrinks a
        // character to no less than a third of its bytes: a separator further in leads nothing.
        let mut reach = line.len().min(3 * self.longest_phrase + 1);
        while !line.is_char_boundary(reach) {
            reach -= 1;
        }
        let end = lead_separator(&line[..reach])?;
        let lead = &line[..end];
        // Most lines with a colon or a dash early on lead with no phrase: their hash tells,
        // without building the key. Hashing the text itself gives the key's hash when its words
        // are separated by ASCII spaces only, and no letter lower-cases to a letter and a mark
        // (only "İ" does).
        if !lead.contains(|c: char| c.is_whitespace() && c != ' ' || c == '\u{130}')
            && !text::phrase_key_hash(lead).is_some_and(|hash| self.phrase_hashes.contains(&hash))
        {
            return None;
        }
        let found = self.phrase(&phrase_key(lead))?;
        kinds::LEAD_KINDS.contains(&found.0).then_some(found)
    }

    /// File-order index of the first regex that matches `line`, searching only the groups not
    /// in `ruled_out` (a bit for each, in the order of `Reach::ALL`).
    fn first_regex(&self, line: &str, ruled_out: u8) -> Option<usize> {
        self.groups
            .iter()
            .enumerate()
            .filter(|&(bit, _)| ruled_out & 1 << bit == 0)
            .filter_map(|(_, group)| group.first_match(line))
            .min()
    }

    /// Leaves `line`'s phrase key in `key` when the line may be a phrase, and `key` empty
    /// otherwise: most lines are prose, far longer than any phrase, and most short ones are no
    /// phrase either. `span` and `key_hash` are what the line walk found
    /// (`scan::LineScan::key_span`, `scan::LineScan::key_hash`).
    pub fn short_phrase_key(&self, line: &str, span: std::ops::Range<usize>, key_hash: Option<u64>, key: &mut String) {
        key.clear();
        if !key_hash.is_some_and(|hash| self.phrase_hashes.contains(&hash)) {
            return;
        }
        // Lower-casing shrinks a character to no less than a third of its bytes (the Kelvin
        // sign), so a longer line cannot have a key as short as the longest phrase.
        if span.len() <= 3 * self.longest_phrase {
            for_each_key_char(&line[span], |c| key.push(c));
        }
    }

    fn phrase(&self, key: &str) -> Option<&(&'static str, usize)> {
        // Most lines are longer than any phrase, and the classifier leaves the key of most of
        // the others empty (`short_phrase_key`), which no phrase is (one without a letter or
        // digit is refused): neither needs hashing.
        if key.is_empty() || key.len() > self.longest_phrase {
            return None;
        }
        self.phrases.get(key)
    }

    /// Every pattern that matches `line`, with its origin, the deciding one first.
    pub fn matches(&self, line: &str) -> Vec<&Listed> {
        let mut found = Vec::new();
        if let Some(&(_, listed)) = self.phrase(&phrase_key(line)) {
            found.push(&self.listing[listed]);
        }
        let mut regexes: Vec<usize> = self.groups.iter().flat_map(|group| group.all_matches(line)).collect();
        regexes.sort_unstable();
        found.extend(regexes.into_iter().map(|i| &self.listing[self.regex_listing[i]]));
        if found.is_empty() {
            found.extend(self.lead_phrase(line).map(|&(_, listed)| &self.listing[listed]));
        }
        found
    }

    /// Stopwords of `lang`, if a list exists for it.
    pub fn stopwords(&self, lang: &str) -> Option<&WordSet> {
        self.stopwords.get(lang)
    }

    /// Every stopword list, by language code, in a fixed (sorted) order.
    pub fn stopword_lists(&self) -> impl Iterator<Item = (&str, &WordSet)> + Clone {
        self.stopwords.iter().map(|(lang, words)| (lang.as_str(), words))
    }

    /// All stopword lists in one map, for language identification.
    pub fn stopword_index(&self) -> &StopwordIndex {
        &self.stopword_index
    }

    /// The words of timestamps and counters (`<lang>/months.txt`, `time-words.txt`,
    /// `counter-words.txt`).
    pub fn vocabulary(&self) -> &Vocabulary {
        self.stopword_index.vocabulary()
    }

    /// The first full date (with a year) in `text`, as ISO `YYYY-MM-DD`, with the vocabulary's
    /// month names.
    pub fn find_date(&self, text: &str) -> Option<String> {
        self.dates.find_date(text, self.vocabulary())
    }

    /// Every compiled pattern with its origin, in load order.
    pub fn listing(&self) -> &[Listed] {
        &self.listing
    }

    /// Kind names live as long as the process: they are few, and `&'static str` lets every
    /// removal carry its rule name without reference counting.
    fn intern(&mut self, kind: &str) -> &'static str {
        if let Some(&known) = self.kinds.iter().find(|&&k| k == kind) {
            return known;
        }
        let leaked: &'static str = Box::leak(kind.to_string().into_boxed_str());
        self.kinds.push(leaked);
        leaked
    }
}

/// Where the first separator that may follow a lead phrase starts in `window`: a colon (also
/// the full-width one) or a spaced dash (" —", " –", " - "). One walk over the bytes, as this
/// runs on every line.
fn lead_separator(window: &str) -> Option<usize> {
    let bytes = window.as_bytes();
    let at = |i: usize| bytes.get(i).copied();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b':' => return Some(i),
            // U+FF1A, the full-width colon.
            0xEF if at(i + 1) == Some(0xBC) && at(i + 2) == Some(0x9A) => return Some(i),
            b' ' => match at(i + 1) {
                Some(b'-') if at(i + 2) == Some(b' ') => return Some(i),
                // U+2014 and U+2013, the em and en dashes.
                Some(0xE2) if at(i + 2) == Some(0x80) && matches!(at(i + 3), Some(0x93 | 0x94)) => return Some(i),
                _ => {}
            },
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::group::Reach;
    use super::load::Source;
    use super::*;

    pub(super) fn from_files(files: &[(&str, &str)]) -> Result<Patterns, PatternError> {
        let sources = files
            .iter()
            .map(|(rel, text)| Source {
                origin: format!("test/{rel}"),
                relative: rel.to_string(),
                text: text.to_string(),
            })
            .collect();
        PatternsBuilder { sources }.build()
    }

    pub(super) fn defaults_and_each_regex_alone() -> &'static (Patterns, Vec<regex::Regex>) {
        static BUILT: std::sync::OnceLock<(Patterns, Vec<regex::Regex>)> = std::sync::OnceLock::new();
        BUILT.get_or_init(|| {
            let p = PatternsBuilder::defaults().build().unwrap();
            let regexes = p
                .listing()
                .iter()
                .filter_map(|listed| listed.pattern.strip_prefix("re:"))
                .map(|r| regex::RegexBuilder::new(r.trim()).case_insensitive(true).build().unwrap())
                .collect();
            (p, regexes)
        })
    }

    proptest::proptest! {
        #[test]
        fn grouped_and_filtered_sets_find_what_each_regex_alone_finds(
            line in "(Photo|By |said|wrote|Tags|©|12:30|1\\.2K| > | » |»|\\.jpg|\\.PNG|comments|Комментарии|Фото|Читайте|\\)|[a-zA-Zа-яА-Я0-9 .,:;!?«()|/@_-]){0,12}",
        ) {
            let (p, regexes) = defaults_and_each_regex_alone();
            let expected = regexes.iter().position(|r| r.is_match(&line));
            proptest::prop_assert_eq!(p.first_regex(&line, 0), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn a_line_a_screen_rules_out_matches_no_regex_of_its_group(
            start in "(12 comments|\u{b2}3 replies|\u{661} comments|No comments|3 Photos|By John|Photos: AP|Photocredit|Tags:|@user|a_b|À lire aussi|Автор: Иванов|Фото:|\u{17F}hare this|[0-9]|)",
            rest in "(cookie|Cookies|COOKIE-policy|x\\(cookies|куки|we use|consent|©|\\(c\\) 2024|\\(C\\)2023|All Rights|rights|reserved|re\u{17F}erved|all rights re\u{17F}erved|Все права защищены|все пра\u{1C80}а защищены|права|при использовании материалов|ссылка на сайт обязательна|правообладателя|правообладател|ПРАВООБЛАДАТЕЛЕЙ|Құқықтар қорғалған|материалдарды пайдаланғанда кезде|subject to copyright|Photo credit: AP|credits:|Источник: ТАСС|арнамызға жазылыңыз|By |by|Photo|PHOTOS|Photocredit|Image|\u{17F}hare|Share|Tweet|Print|Email|Related|More |Posted|Tags|Getty Images|AFP|12|comments|12 comments|\u{b2}3 replies|\u{661} comments|3 Photos|No |One |@|_|a@b\\.co|first_name|> |» |›|/|Фото|Автор|Теги|рассылка|À lire aussi|à |Você precisa|é necessário|\\(Leggi anche|jpg|\\.png|said:|wrote|\\(12:30\\)|\\| Reuters|упоминаются|\u{212A}|²|é|\t|\u{a0}|[ .,:;()/«»|-]|[a-zA-Zа-яА-Я0-9]{1,6}){0,10}",
        ) {
            let line = format!("{start}{rest}");
            let (p, regexes) = defaults_and_each_regex_alone();
            let scanned = crate::stage::scan::scan_languages(&line, p.stopword_index());
            for (bit, group) in p.groups.iter().enumerate() {
                if scanned.ruled_out & 1 << bit != 0 {
                    for &member in &group.order {
                        proptest::prop_assert!(!regexes[member].is_match(&line), "{:?} matches {}", line, regexes[member]);
                    }
                }
            }
            let expected = regexes.iter().position(|r| r.is_match(&line));
            proptest::prop_assert_eq!(p.first_regex(&line, scanned.ruled_out), expected);
        }
    }

    /// The bit of `reach`'s group in `LineScan::ruled_out`.
    fn bit(reach: Reach) -> u8 {
        1 << Reach::ALL.iter().position(|&r| r == reach).unwrap()
    }

    #[test]
    fn the_screens_rule_out_most_prose_and_let_their_groups_lines_through() {
        let (p, _) = defaults_and_each_regex_alone();
        let all = bit(Reach::Start) | bit(Reach::End) | bit(Reach::StartWords) | bit(Reach::Anywhere);
        assert_eq!(p.stopword_index().screened(), all);
        let ruled_out = |line: &str| crate::stage::scan::scan_languages(line, p.stopword_index()).ruled_out;
        for line in
            ["The weather stayed mild for most of the week.", "Погода была тёплой всю неделю.", "Weather by the sea"]
        {
            assert_eq!(ruled_out(line), all, "{line}");
        }
        for (line, through) in [
            // The first word is a number, as in "12 comments".
            ("© 2024 Example", bit(Reach::Anywhere) | bit(Reach::Start)),
            ("Example Ltd. All rights reserved.", bit(Reach::Anywhere)),
            ("При использовании материалов ссылка обязательна", bit(Reach::Anywhere)),
            ("By John Smith", bit(Reach::Start)),
            ("12 comments", bit(Reach::Start)),
            ("Photocredit: AP", bit(Reach::Start) | bit(Reach::End)),
            ("À lire aussi : la suite", bit(Reach::Start) | bit(Reach::End)),
            ("first_name_here", bit(Reach::StartWords)),
            ("News > World", bit(Reach::StartWords) | bit(Reach::End)),
            ("image.jpg", bit(Reach::Start) | bit(Reach::End)),
            ("Vacation.jpg", bit(Reach::End)),
        ] {
            assert_eq!(ruled_out(line), all & !through, "{line}");
        }
        // A regex folds `ſ` to `s`, the walk does not lower-case it; `½` is a number to the walk
        // but no word character to a regex: both let the line through every screen.
        for line in ["All rights re\u{17F}erved.", "½cookies: we use them"] {
            assert_eq!(ruled_out(line), 0, "{line}");
        }
    }

    #[test]
    fn one_regex_the_screen_cannot_tell_turns_the_screen_off() {
        let scanned = |p: &Patterns, line: &str| crate::stage::scan::scan_languages(line, p.stopword_index());
        let files = [("stopwords/en.txt", "the\nof"), ("any/copyright.txt", "re:(^|\\W)all rights reserved(\\W|$)")];
        let screened = from_files(&files).unwrap();
        assert_ne!(scanned(&screened, "Rights reserv").ruled_out & bit(Reach::Anywhere), 0);
        let open = from_files(&[files[0], files[1], ("en/x.txt", "re:rights reserv")]).unwrap();
        assert_eq!(scanned(&open, "Rights reserv").ruled_out & bit(Reach::Anywhere), 0);
        assert_eq!(open.kind_of_keyed("Rights reserv", "", 0), Some("x"));
    }

    #[test]
    fn the_first_regex_is_the_first_in_file_order_whatever_its_group() {
        let (p, regexes) = defaults_and_each_regex_alone();
        assert!(p.groups.iter().filter(|group| !group.order.is_empty()).count() >= 3, "{:?}", p.groups);
        let seeds = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap();
        let mut lines: Vec<String> = seeds
            .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
            .flat_map(|page| page.lines().map(str::to_string).collect::<Vec<_>>())
            .collect();
        lines.extend(
            [
                "Photo: Reuters",
                "All rights reserved. Photo: AP",
                "12 comments",
                "John Smith on May 3, 2021 10:15 am said:",
                "News > World >",
                "first_name_here",
                "image.jpg",
                "© 2024 Все права защищены",
            ]
            .map(String::from),
        );
        let mut matched = 0;
        for line in &lines {
            let expected = regexes.iter().position(|r| r.is_match(line));
            matched += usize::from(expected.is_some());
            assert_eq!(p.first_regex(line, 0), expected, "{line:?}");
        }
        assert!(matched >= 20, "{matched}");
    }

    #[test]
    fn phrase_key_strips_decoration() {
        assert_eq!(phrase_key("  • READ  ALSO: >"), "read also");
        assert_eq!(phrase_key("Main Page\u{a0}>"), "main page");
        assert_eq!(phrase_key("Читайте также:"), "читайте также");
        assert_eq!(phrase_key("»»"), "");
    }

    fn short_key(p: &Patterns, line: &str) -> String {
        let mut key = String::from("left over");
        let scanned = crate::stage::scan::scan(line, None, p.vocabulary());
        p.short_phrase_key(line, scanned.key_span, scanned.key_hash, &mut key);
        key
    }

    #[test]
    fn the_phrase_key_is_built_for_lines_that_may_be_phrases_only() {
        let p = from_files(&[("en/nav.txt", "Main page\n")]).unwrap();
        assert_eq!(short_key(&p, "• MAIN  Page >"), "main page");
        assert_eq!(short_key(&p, "Main\u{a0}page"), "main page");
        assert_eq!(short_key(&p, "A long line of prose, much longer than any phrase of the pattern files."), "");
        assert_eq!(short_key(&p, "Main pages"), "");
        assert_eq!(short_key(&p, "»» "), "");
    }

    proptest::proptest! {
        #[test]
        fn a_line_whose_key_is_left_out_is_no_phrase(
            line in "([ •>:a-zA-Zа-яА-ЯҚқ0-9\u{212A}\u{a0}]|a fairly|FAIRLY|long|phrase|Қала|ҚАЛА){0,12}",
        ) {
            let p = from_files(&[("en/nav.txt", "a fairly long phrase\nқала\n")]).unwrap();
            let key = short_key(&p, &line);
            let full = phrase_key(&line);
            proptest::prop_assert_eq!(p.phrase(&key).map(|k| k.0), p.phrase(&full).map(|k| k.0), "{:?}", line);
            proptest::prop_assert!(key.is_empty() || key == full);
        }

        #[test]
        fn the_hash_of_a_text_spaced_with_ascii_spaces_is_its_keys(
            lead in "([ a-zA-Zа-яА-ЯΩ\u{212A}0-9.,:;!?»«|/>•'-]|  |[^\\s\u{130}]){0,20}",
        ) {
            proptest::prop_assert_eq!(text::phrase_key_hash(&lead), text::phrase_key_hash(&phrase_key(&lead)));
        }

        #[test]
        fn the_separator_walk_finds_what_a_search_per_separator_finds(
            window in "([ a-zа-я:\u{ff1a}\u{2014}\u{2013}\u{2012}\u{ff1b}-]|  - | \u{2014}| \u{2013}){0,12}",
        ) {
            let searched = [":", "\u{ff1a}", " \u{2014}", " \u{2013}", " - "].iter().filter_map(|s| window.find(s)).min();
            proptest::prop_assert_eq!(lead_separator(&window), searched);
        }
    }

    #[test]
    fn chinese_and_japanese_boilerplate_is_named_through_the_screens() {
        let (p, regexes) = defaults_and_each_regex_alone();
        let kind = |line: &str| {
            let ruled_out = crate::stage::scan::scan_languages(line, p.stopword_index()).ruled_out;
            // What the screens let through is what each regex alone finds.
            let expected = regexes.iter().position(|r| r.is_match(line));
            assert_eq!(p.first_regex(line, ruled_out), expected, "{line}");
            p.kind_of_keyed(line, &phrase_key(line), ruled_out).or_else(|| p.lead_kind(line))
        };
        for (line, expected) in [
            ("相关阅读", Some("read-also")),
            ("相关阅读：北京举行新闻发布会", Some("read-also")),
            ("责任编辑：张三", Some("byline")),
            ("（来源：新华社）", Some("byline")),
            ("上一篇：北京举行新闻发布会", Some("nav")),
            ("下一篇", Some("nav")),
            ("分享到：", Some("share")),
            ("版权所有 © 2024 新华网", Some("copyright")),
            ("関連記事", Some("read-also")),
            ("シェア", Some("share")),
            ("北京市政府今天举行新闻发布会，介绍了城市建设的最新进展。", None),
            ("记者从发布会上了解到，今年北京将新建十所学校。", None),
            ("東京では今日、新しい駅が開業しました。", None),
        ] {
            assert_eq!(kind(line), expected, "{line}");
        }
    }

    #[test]
    fn a_read_also_phrase_leading_a_headline_matches_in_every_language() {
        let (p, _) = defaults_and_each_regex_alone();
        for line in [
            "Тағы оқыңыз: Астанада жаңа мектеп ашылды",
            "ЧИТАЙТЕ: В Москве открыли новую станцию метро",
            "Читайте также: Правительство утвердило бюджет на следующий год",
            "Read more: The council approves the new budget",
            "Read also — Ten things to know about the vote",
            "Lire aussi : Le gouvernement présente son budget",
        ] {
            assert_eq!(p.kind_of(line), Some("read-also"), "{line}");
            assert_eq!(p.matches(line).first().map(|listed| listed.kind), Some("read-also"), "{line}");
        }
        // Every read-also phrase of every language leads a headline so.
        for listed in p.listing().iter().filter(|l| l.kind == "read-also" && !l.pattern.starts_with("re:")) {
            let line = format!("{}: Another headline of the day", listed.pattern);
            assert_eq!(p.kind_of(&line), Some("read-also"), "{line}");
        }
        // The phrase inside a sentence, or leading one that is not cut off by a colon, stays.
        for line in [
            "Read more about the plan: the ministry will publish the full text next week.",
            "Читайте также внимательно все условия договора: банк может их изменить.",
            "She said: read also the small print.",
        ] {
            assert_eq!(p.kind_of(line), None, "{line}");
        }
    }

    #[test]
    fn phrases_match_whole_lines_and_regexes_anywhere() {
        let p = from_files(&[
            ("en/read-also.txt", "# markers\nRead also\n"),
            ("ru/copyright.txt", "re:права .* принадлежат\n"),
        ])
        .unwrap();
        assert_eq!(p.kind_of("Read also:"), Some("read-also"));
        assert_eq!(p.kind_of("Read also this long sentence about the matter."), None);
        assert_eq!(p.kind_of("Права на данный материал принадлежат Казинформ"), Some("copyright"));
        assert_eq!(p.listing().len(), 2);
        assert_eq!(p.listing()[0].origin, "test/en/read-also.txt:2");
        let hits = p.matches("READ ALSO >");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].pattern, "Read also");
    }

    #[test]
    fn the_any_language_files_know_credits_licences_and_comment_forms() {
        let p = PatternsBuilder::defaults().build().unwrap();
        for (line, kind) in [
            ("Titelbild: Geyres Christophe/ABACA/picture-alliance", "photo"),
            ("Kuva: ALEXANDER BECHER", "photo"),
            ("Zdjęcie: PAP/Radek Pietruszka", "photo"),
            ("Informujemy, że korzystamy z cookies.", "cookie"),
            ("Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE.", "copyright"),
            ("This site uses Akismet to reduce spam. Learn how your comment data is processed.", "comments"),
            ("Diese Website verwendet Akismet, um Spam zu reduzieren.", "comments"),
        ] {
            assert_eq!(p.kind_of(line), Some(kind), "{line}");
        }
        for line in ["Fotografen arbeiten oft nachts", "Kuvat ovat kauniita", "Wir backen Cookies für alle"] {
            assert_eq!(p.kind_of(line), None, "{line}");
        }
    }

    #[test]
    fn a_pattern_file_that_is_not_utf8_is_named_with_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("en")).unwrap();
        std::fs::write(dir.path().join("en/nav.txt"), b"home\nab\xff\xfe menu\n").unwrap();
        let err = PatternsBuilder::defaults().add_dir(dir.path()).unwrap_err().to_string();
        assert!(err.ends_with("en/nav.txt:2: not UTF-8 (a bad byte at column 3); pattern files are UTF-8"), "{err}");
    }
}
