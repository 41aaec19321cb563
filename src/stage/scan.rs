//! One walk over a line's characters, counting what the classifier's features need.
//!
//! Words, letters, capitals, digits, separators, URLs, stopwords, counter and time words, and the
//! hash that finds a line repeated elsewhere in the page all come out of the same pass. A pass per
//! feature (split into words, trim each word, hash it, count characters, look for URLs, count
//! separators, build the phrase key) made feature extraction most of the classifier's time.

use crate::stage::language;
use crate::text::{self, KeyHasher};
use crate::words::{self, StopwordIndex, Vocabulary, WordSet, MAX_LANGUAGES};

mod shape;
mod word;

use shape::ShapeTally;
use word::{Word, ALNUM, ASCII_CLASS, SPECIAL};

/// Lines whose shape alone gives them away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shape {
    #[default]
    Text,
    /// Only numbers: view and comment counters, share counts.
    Counter,
    /// Only a date and/or time.
    Timestamp,
}

/// What one walk over a line found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineScan {
    /// Space-separated words that hold a letter or digit once the punctuation around them is off.
    pub words: usize,
    pub chars: usize,
    /// Words in the stopword list given (0 without one).
    pub stopwords: usize,
    /// Words in each language's stopword list, by `StopwordIndex::position`, when the scan was
    /// given the index (`scan_languages`).
    pub stopwords_by_language: [u32; MAX_LANGUAGES],
    /// Words with a letter, and how many of them start with a capital.
    pub lettered: usize,
    pub capitalised: usize,
    /// A counter (one number, perhaps with "views"), a timestamp (numbers and time words), or text.
    pub shape: Shape,
    /// `|` `>` `/` `•` `»` `›` `·` anywhere in the line.
    pub separators: usize,
    /// ASCII digits anywhere in the line.
    pub digits: usize,
    pub has_url: bool,
    /// A hash of the line's phrase key (`text::phrase_key`), equal for lines whose keys are
    /// equal; `None` when the line has no letter or digit.
    pub key_hash: Option<u64>,
    /// Bytes from the line's first letter or digit to its last: the text the phrase key is made of.
    pub key_span: std::ops::Range<usize>,
    /// Whether words are separated by single ASCII spaces only, as in normalised text.
    pub single_spaced: bool,
    /// The regex groups (a bit each, `words::Screen`) whose screen in the index rules the
    /// line out: it holds none of the words and characters the screen needs, nor starts with
    /// them.
    pub ruled_out: u8,
}

/// Which stopwords a scan counts.
#[derive(Clone, Copy)]
enum Stopwords<'a> {
    None,
    List(&'a WordSet),
    Index(&'a StopwordIndex),
}

/// Scans `line`; `stopwords` are counted when a list is given, and the line's shape is told by
/// the words of `vocabulary`.
pub fn scan(line: &str, stopwords: Option<&WordSet>, vocabulary: &Vocabulary) -> LineScan {
    scan_with(line, stopwords.map_or(Stopwords::None, Stopwords::List), vocabulary)
}

/// Scans `line`, counting the stopwords of every language in `index`
/// (`LineScan::stopwords_by_language`) instead of one list's.
pub fn scan_languages(line: &str, index: &StopwordIndex) -> LineScan {
    scan_with(line, Stopwords::Index(index), index.vocabulary())
}

// One loop on purpose, longer than most functions: it is the hottest code of the classifier, and
// each byte class is taken inline where it is met.
fn scan_with(line: &str, stopwords: Stopwords, vocabulary: &Vocabulary) -> LineScan {
    let mut scanner = Scanner {
        line,
        stopwords,
        out: LineScan::default(),
        shape: ShapeTally::new(vocabulary),
        key: KeyHasher::default(),
        passes: 0,
        first_word_seen: false,
    };
    let bytes = line.as_bytes();
    let mut word = Word::default();
    let mut token_start = 0;
    let mut single_spaced = true;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // Most bytes are ASCII letters, digits and punctuation that no count but the word's
        // looks at: one table lookup tells.
        if b.is_ascii() && ASCII_CLASS[usize::from(b)] & SPECIAL == 0 {
            let class = ASCII_CLASS[usize::from(b)];
            if class & ALNUM != 0 {
                // A run of letters and digits is taken whole: what changes from one to the next
                // is only the word's hash.
                let run = word.push_ascii_run(&bytes[at..], at, class);
                scanner.out.chars += run.len;
                scanner.out.digits += run.digits;
                at += run.len;
                continue;
            }
            scanner.out.chars += 1;
            word.push_ascii_symbol(b);
            at += 1;
            continue;
        }
        // Russian text is mostly the letters U+0400..U+047F, two bytes led by 0xD0 or 0xD1:
        // a run of them is taken whole, reading case from the bytes.
        if b == 0xD0 || b == 0xD1 {
            let letters = word.push_cyrillic_run(&bytes[at..], at);
            scanner.out.chars += letters;
            at += 2 * letters;
            continue;
        }
        // Kazakh letters and the rest of the two-byte alphabets: no count but the word's looks
        // at them either.
        if b & 0xE0 == 0xC0 {
            let c = text::two_byte_char(b, bytes[at + 1]);
            if text::is_basic_cyrillic_letter(c) {
                scanner.out.chars += 1;
                word.push_letter(c, at, at + 2);
                at += 2;
                continue;
            }
        }
        // Normalised lines separate words with single ASCII spaces.
        if b == b' ' {
            scanner.out.chars += 1;
            scanner.token(token_start..at, &word);
            word = Word::default();
            at += 1;
            token_start = at;
            continue;
        }
        let (c, next) = text::char_at(line, at);
        scanner.screen_char(c);
        let out = &mut scanner.out;
        out.chars += 1;
        match c {
            '|' | '>' | '•' | '»' | '›' | '·' => out.separators += 1,
            '/' => {
                out.separators += 1;
                out.has_url |= bytes[..next].ends_with(b"http://") || bytes[..next].ends_with(b"https://");
            }
            '.' => out.has_url |= bytes[..next].ends_with(b"www."),
            _ if c < ' ' || !c.is_ascii() && matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) => {
                single_spaced &= !c.is_whitespace();
            }
            _ => {}
        }
        word.push(c, at, next);
        at = next;
    }
    scanner.token(token_start..bytes.len(), &word);
    let mut out = scanner.out;
    out.shape = scanner.shape.shape(out.words);
    out.single_spaced = single_spaced;
    if let Stopwords::Index(index) = stopwords {
        out.ruled_out = index.screened() & !scanner.passes;
    }
    out.key_hash = scanner.key.finish();
    if !single_spaced && out.key_hash.is_some() {
        // White space other than single spaces: the key's words are found again in the key.
        out.key_hash = text::phrase_key_hash(&text::phrase_key(line));
    }
    out
}

struct Scanner<'a> {
    line: &'a str,
    stopwords: Stopwords<'a>,
    out: LineScan,
    shape: ShapeTally<'a>,
    key: KeyHasher,
    /// The groups whose screen a word or character seen lets the line through
    /// (`LineScan::ruled_out`).
    passes: u8,
    /// The line's first word was looked up for the screens.
    first_word_seen: bool,
}

impl Scanner<'_> {
    /// A character the walk looks at (`text::walk_inspects`): one a screen needs, or one a case-insensitive
    /// regex takes for a letter of a screen word, lets the line through that screen.
    #[inline]
    fn screen_char(&mut self, c: char) {
        if let Stopwords::Index(index) = self.stopwords {
            self.passes |= index.char_screens(c);
            // A number outside ASCII's is a letter or digit to the walk but no word character
            // to a regex: the walk's runs might not be the regex's words.
            if !c.is_ascii() && c.is_numeric() {
                self.passes = u8::MAX;
            }
        }
    }

    /// The words of a core that holds CJK ideographs or kana: each of them is a word, and so is
    /// each run of other letters and digits; each is looked up as a stopword on its own.
    fn cjk_words(&mut self, core: &str) {
        let out = &mut self.out;
        text::for_each_token(core, |token| {
            out.words += 1;
            out.lettered += usize::from(token.chars().any(text::is_letter));
            out.capitalised += usize::from(token.starts_with(text::is_upper));
            let hash = text::lower_hash(token);
            match self.stopwords {
                Stopwords::None => {}
                Stopwords::List(list) => out.stopwords += usize::from(list.contains_hash(hash)),
                Stopwords::Index(index) => language::for_each_language(index.languages_of(hash), |bit| {
                    out.stopwords_by_language[bit] += 1;
                }),
            }
        });
    }

    /// A space-separated token has ended; `word` is what its characters showed.
    fn token(&mut self, token: std::ops::Range<usize>, word: &Word) {
        let line = self.line;
        let Some(core) = word.core() else {
            if !token.is_empty() {
                self.key.symbols(&line[token]);
            }
            return;
        };
        if word.cjk {
            self.cjk_words(&line[core.clone()]);
        }
        let out = &mut self.out;
        // The word's text is sliced only where it is needed: a slice checks both ends fall on
        // character boundaries, and most words need none.
        let hash = word.core_hash();
        self.shape.word(line, core.clone(), hash, word.digits, word.chars_in_core, word.colon_inside);
        if !word.cjk {
            out.words += 1;
            if word.has_letter {
                out.lettered += 1;
                out.capitalised += usize::from(word.first_is_upper);
            }
        }
        match self.stopwords {
            Stopwords::None => {}
            Stopwords::List(list) => out.stopwords += usize::from(!word.cjk && list.contains_hash(hash)),
            Stopwords::Index(index) => {
                let bits = index.word_bits(hash);
                if !word.cjk {
                    language::for_each_language(bits.languages(), |bit| out.stopwords_by_language[bit] += 1);
                }
                self.passes |= bits.word_screens();
                if !self.first_word_seen {
                    self.first_word_seen = true;
                    self.passes |= first_word_screens(index, &line[core.clone()], bits, word.compound);
                }
                if word.compound && index.screened() & !self.passes != 0 {
                    // The screens' words are runs of letters and digits: "cookie-policy" holds
                    // "cookie".
                    for run in text::alnum_runs(&line[core.clone()]) {
                        self.passes |= index.word_bits(text::lower_hash(run)).word_screens();
                    }
                }
            }
        }
        if !self.key.is_started() {
            self.out.key_span.start = core.start;
        }
        self.out.key_span.end = core.end;
        let leading = (token.start < core.start).then(|| &line[token.start..core.start]);
        let trailing = (core.end < token.end).then(|| &line[core.end..token.end]);
        self.key.word(leading, hash, trailing);
    }
}

/// The groups whose screen lets a line through for its first word, `core`: its first run of
/// letters and digits (`bits` are the whole core's, which is that run unless `compound`) is a
/// first word of the screen, starts with one of its prefixes, or starts with a digit.
fn first_word_screens(index: &StopwordIndex, core: &str, bits: words::WordBits, compound: bool) -> u8 {
    let first_run = if compound { text::alnum_runs(core).next().unwrap_or(core) } else { core };
    let mut passes = if compound { index.word_bits(text::lower_hash(first_run)) } else { bits }.first_word_screens();
    if first_run.starts_with(|c: char| c.is_ascii_digit()) {
        passes |= index.first_number_screens();
    }
    let lengths = index.prefix_lengths();
    if lengths != 0 {
        let longest = (u64::BITS - 1 - lengths.leading_zeros()) as usize;
        let mut prefix = text::LowerHasher::default();
        for (count, c) in first_run.chars().enumerate().take(longest) {
            prefix.push(c);
            if lengths & 1 << (count + 1) != 0 {
                passes |= index.word_bits(prefix.finish()).first_prefix_screens();
            }
        }
    }
    passes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default pattern files' words of timestamps and counters.
    fn vocabulary() -> &'static Vocabulary {
        static DEFAULTS: std::sync::OnceLock<crate::patterns::Patterns> = std::sync::OnceLock::new();
        DEFAULTS.get_or_init(|| crate::patterns::PatternsBuilder::defaults().build().unwrap()).vocabulary()
    }
    use crate::text::phrase_key;

    /// The reference: the key hash of the phrase key itself, a single-spaced lower-case text.
    fn key_hash(key: &str) -> u64 {
        scan(key, None, vocabulary()).key_hash.unwrap()
    }

    #[test]
    fn counts_words_letters_capitals_digits_and_separators() {
        let s = scan("Home » News | 2019 «Sport» / U.S. don't", None, vocabulary());
        assert_eq!(s.words, 6, "Home News 2019 Sport U.S don't; » | / are not words");
        assert_eq!((s.lettered, s.capitalised), (5, 4));
        assert_eq!((s.separators, s.digits), (4, 4));
        assert_eq!(s.chars, "Home » News | 2019 «Sport» / U.S. don't".chars().count());
        assert!(!s.has_url);
        assert_eq!(s.shape, Shape::Text);
    }

    #[test]
    fn finds_urls_like_a_substring_search() {
        for (line, url) in [
            ("see https://example.com", true),
            ("http://x", true),
            ("go to www.example.com", true),
            ("http:/ no", false),
            ("WWW.EXAMPLE.COM", false),
            ("a/b www", false),
        ] {
            assert_eq!(scan(line, None, vocabulary()).has_url, url, "{line}");
        }
    }

    #[test]
    fn tells_counters_and_timestamps() {
        assert_eq!(scan("3816", None, vocabulary()).shape, Shape::Counter);
        assert_eq!(scan("1.2K views", None, vocabulary()).shape, Shape::Counter);
        assert_eq!(scan("13:17", None, vocabulary()).shape, Shape::Timestamp);
        assert_eq!(scan("7 June 2019, 13:17", None, vocabulary()).shape, Shape::Timestamp);
        assert_eq!(scan("3 hours ago", None, vocabulary()).shape, Shape::Timestamp);
        assert_eq!(scan("12 просмотров", None, vocabulary()).shape, Shape::Counter);
        assert_eq!(scan("12 apples", None, vocabulary()).shape, Shape::Text);
    }

    #[test]
    fn every_counter_and_time_word_gets_past_the_hash_check() {
        let words: Vec<&str> = vocabulary().words().collect();
        assert!(words.len() > 100, "{}", words.len());
        for word in words {
            let expected = if vocabulary().is_counter_word(word) { Shape::Counter } else { Shape::Timestamp };
            for line in [format!("3 {word}"), format!("3 {}", word.to_uppercase())] {
                assert_eq!(scan(&line, None, vocabulary()).shape, expected, "{line}");
            }
        }
    }

    #[test]
    fn counts_stopwords_without_case() {
        let mut list = WordSet::default();
        for w in ["the", "of", "и", "don't"] {
            list.insert(w);
        }
        let s = scan("THE end of «Войны и мира», don't.", Some(&list), vocabulary());
        assert_eq!(s.words, 7);
        assert_eq!(s.stopwords, 4);
    }

    #[test]
    fn the_key_hash_is_the_hash_of_the_phrase_key() {
        for line in ["• MAIN  Page >", "»» ", "Read also:", "Қазақстан — Ресей", "a\u{a0}b\tc"] {
            let s = scan(line, None, vocabulary());
            let key = phrase_key(line);
            assert_eq!(s.key_hash, (!key.is_empty()).then(|| key_hash(&key)), "{line:?}");
        }
        assert_eq!(scan("• MAIN  Page >", None, vocabulary()).key_span, 4..14);
        let hash = |line| scan(line, None, vocabulary()).key_hash;
        assert_eq!(hash("— Read more! »"), hash("READ MORE"));
        let distinct = ["a, b", "a ,b", "a b", "a - b", "a -b", "ab", "a b c", "b a"];
        for (i, x) in distinct.iter().enumerate() {
            for y in &distinct[i + 1..] {
                assert_ne!(hash(x), hash(y), "{x:?} {y:?}");
            }
        }
    }

    /// The counts the straightforward way: a pass per count, as the scan's single walk must
    /// agree with.
    fn reference(line: &str, stopwords: Option<&WordSet>) -> LineScan {
        let words: Vec<&str> =
            line.split(' ').map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).filter(|w| !w.is_empty()).collect();
        // A word with CJK ideographs or kana is a word per character and per run of the rest.
        let mut units: Vec<&str> = Vec::new();
        for w in &words {
            if w.chars().any(text::is_cjk) {
                text::for_each_token(w, |token| units.push(token));
            } else {
                units.push(w);
            }
        }
        let lettered: Vec<&&str> = units.iter().filter(|w| w.chars().any(char::is_alphabetic)).collect();
        let mut shape = ShapeTally::new(vocabulary());
        for w in &words {
            let digits = w.chars().filter(char::is_ascii_digit).count();
            shape.word(w, 0..w.len(), text::lower_hash(w), digits, w.chars().count(), w.contains(':'));
        }
        let key = phrase_key(line);
        LineScan {
            words: units.len(),
            chars: line.chars().count(),
            stopwords: units.iter().filter(|w| stopwords.is_some_and(|s| s.contains(w))).count(),
            lettered: lettered.len(),
            capitalised: lettered.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count(),
            shape: shape.shape(units.len()),
            separators: line.chars().filter(|c| "|>/•»›·".contains(*c)).count(),
            digits: line.chars().filter(char::is_ascii_digit).count(),
            has_url: line.contains("http://") || line.contains("https://") || line.contains("www."),
            key_hash: (!key.is_empty()).then(|| key_hash(&key)),
            stopwords_by_language: [0; MAX_LANGUAGES],
            ruled_out: 0,
            single_spaced: !line.chars().any(|c| c.is_whitespace() && c != ' '),
            key_span: {
                let trimmed = line.trim_matches(|c: char| !c.is_alphanumeric());
                let start = if trimmed.is_empty() { 0 } else { trimmed.as_ptr() as usize - line.as_ptr() as usize };
                if trimmed.is_empty() {
                    0..0
                } else {
                    start..start + trimmed.len()
                }
            },
        }
    }

    #[test]
    fn a_cjk_ideograph_or_kana_is_a_word_of_its_own() {
        let mut list = WordSet::default();
        for w in ["的", "是", "の"] {
            list.insert(w);
        }
        let s = scan("北京是中国的首都。 iPhone手机 東京の天気", Some(&list), vocabulary());
        // 北 京 是 中 国 的 首 都 | iPhone 手 机 | 東 京 の 天 気
        assert_eq!(s.words, 8 + 3 + 5);
        assert_eq!(s.stopwords, 3);
        assert_eq!((s.lettered, s.capitalised), (16, 0));
        let mut tokens = Vec::new();
        text::for_each_token("abc中d-e文", |t| tokens.push(t.to_string()));
        assert_eq!(tokens, ["abc", "中", "d", "e", "文"]);
        // Hangul and Thai are not split: Korean writes spaces, and Thai is left alone.
        assert_eq!(scan("한국어 문장", None, vocabulary()).words, 2);
    }

    #[test]
    fn the_cyrillic_run_takes_the_letters_its_lead_bytes_say() {
        // Every character led by 0xD0 or 0xD1 is U+0400..U+047F, a letter the walk counts.
        for c in '\u{0400}'..='\u{047F}' {
            let mut bytes = [0; 2];
            c.encode_utf8(&mut bytes);
            assert!(matches!(bytes[0], 0xD0 | 0xD1) && text::is_basic_cyrillic_letter(c), "{c:?}");
            assert_eq!(text::two_byte_code(bytes[0], bytes[1]), u32::from(c));
        }
        assert!(!matches!('\u{03FF}'.encode_utf8(&mut [0; 2]).as_bytes()[0], 0xD0 | 0xD1));
        assert!(!matches!('\u{0480}'.encode_utf8(&mut [0; 2]).as_bytes()[0], 0xD0 | 0xD1));
    }

    proptest::proptest! {
        #[test]
        fn the_walk_agrees_with_a_pass_per_count(
            line in "([ a-zA-Z0-9.,:;!?'\"()|/>•»«›·@#%&*_\u{a0}\t-]|[а-яА-ЯёЁӘәҚқІіЀ-Џѐ-џѠ-ѿ]|www\\.|https?://| [A-ZЁА-Я] | 12:30 | 1\\.2K views|[a-zA-Z0-9]{6,20}|\\PC){0,60}",
        ) {
            let mut list = WordSet::default();
            for w in ["the", "a", "of", "и", "в", "don't", "2019"] {
                list.insert(w);
            }
            proptest::prop_assert_eq!(scan(&line, Some(&list), vocabulary()), reference(&line, Some(&list)));
            // With every language's lists at once, each list's count is the one it gives alone.
            let mut other = WordSet::default();
            for w in ["the", "и", "және", "end"] {
                other.insert(w);
            }
            let index = StopwordIndex::new([("en", &list), ("kk", &other)].into_iter()).with_vocabulary(vocabulary().clone());
            let both = scan_languages(&line, &index);
            let alone = [scan(&line, Some(&list), vocabulary()).stopwords, scan(&line, Some(&other), vocabulary()).stopwords];
            proptest::prop_assert_eq!(&both.stopwords_by_language[..2], &alone.map(|n| n as u32)[..]);
            proptest::prop_assert!(both.stopwords_by_language[2..].iter().all(|&n| n == 0));
            proptest::prop_assert_eq!(LineScan { stopwords_by_language: [0; MAX_LANGUAGES], ..both }, scan(&line, None, vocabulary()));
        }

        #[test]
        fn the_key_hash_agrees_with_the_phrase_key(line in "[ a-zA-Zа-яА-ЯёӘәҚқ0-9.,:;!?»«|/>•\u{a0}\t-]{0,40}") {
            let key = phrase_key(&line);
            proptest::prop_assert_eq!(scan(&line, None, vocabulary()).key_hash, (!key.is_empty()).then(|| key_hash(&key)));
            // The pattern loader hashes phrases without the walk: both must agree.
            proptest::prop_assert_eq!(scan(&line, None, vocabulary()).key_hash, crate::text::phrase_key_hash(&key));
        }
    }
}
