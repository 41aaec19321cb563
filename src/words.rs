//! Words: sets of words compared without regard to case, and the one table every word of a
//! page is looked up in.
//!
//! The table (`StopwordIndex`) holds each language's function words (`patterns/stopwords/`) and
//! the words the screens in front of the regex groups need (`Screen`, read from the regexes by
//! `patterns::screen`): the line walk (`stage::scan`) looks every word up once and learns both.
//! Nothing here knows how languages are detected or what a pattern kind means.

use std::collections::HashSet;

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use crate::text;

/// A set of words, compared without regard to case. It keeps 64-bit hashes of the lower-cased
/// words (`text::lower_hash`): the classifier probes it for every word of every page, and a
/// hash computed while the word is scanned spares building a lower-cased copy. Two different
/// words share a hash with a probability of about one in 2^64 per pair.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    hashes: HashSet<u64, FxBuildHasher>,
}

impl WordSet {
    pub fn insert(&mut self, word: &str) {
        self.hashes.insert(text::lower_hash(word));
    }

    pub fn contains(&self, word: &str) -> bool {
        self.contains_hash(text::lower_hash(word))
    }

    /// Membership of a word by its `text::lower_hash`.
    pub fn contains_hash(&self, hash: u64) -> bool {
        self.hashes.contains(&hash)
    }

    pub fn hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.hashes.iter().copied()
    }
}

/// What a screen lets through (words in lower case): lines with one of `words` as a whole run of
/// letters and digits; lines whose first run is one of `first_words`, starts with one of
/// `first_prefixes` or, with `first_number`, starts with an ASCII digit; lines holding one of
/// `chars`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Screen {
    pub words: Vec<String>,
    pub first_words: Vec<String>,
    pub first_prefixes: Vec<String>,
    pub first_number: bool,
    pub chars: Vec<char>,
}

/// The words that tell a timestamp or a counter from text, in every language the pattern files
/// have them for (`<lang>/months.txt`, `<lang>/time-words.txt`, `<lang>/counter-words.txt`):
/// adding a language's words is adding its files.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    months: FxHashMap<String, u32>,
    time_words: FxHashSet<String>,
    counter_words: FxHashSet<String>,
    /// `text::lower_hash` of every word above: the walk asks about the first word of nearly
    /// every line, and most are none of them.
    hashes: FxHashSet<u64>,
}

impl Vocabulary {
    /// `name` (any case) spells month `number` (1 to 12).
    pub fn add_month(&mut self, number: u32, name: &str) {
        let name = name.to_lowercase();
        self.hashes.insert(text::lower_hash(&name));
        self.months.insert(name, number);
    }

    /// `word` stands beside numbers in a timestamp ("ago", "updated", "pm").
    pub fn add_time_word(&mut self, word: &str) {
        let word = word.to_lowercase();
        self.hashes.insert(text::lower_hash(&word));
        self.time_words.insert(word);
    }

    /// `word` stands beside a number in a counter ("views", "просмотров").
    pub fn add_counter_word(&mut self, word: &str) {
        let word = word.to_lowercase();
        self.hashes.insert(text::lower_hash(&word));
        self.counter_words.insert(word);
    }

    /// The number of a (lower-case) month name or abbreviation.
    pub fn month_number(&self, word: &str) -> Option<u32> {
        self.months.get(word).copied()
    }

    /// Every month spelling with its number, in no particular order.
    pub fn months(&self) -> impl Iterator<Item = (&str, u32)> {
        self.months.iter().map(|(name, &number)| (name.as_str(), number))
    }

    /// Whether `word` (lower case) is a month, weekday or other word of a timestamp.
    pub fn is_time_word(&self, word: &str) -> bool {
        self.months.contains_key(word) || self.time_words.contains(word)
    }

    /// Whether `word` (lower case) is a word of a counter.
    pub fn is_counter_word(&self, word: &str) -> bool {
        self.counter_words.contains(word)
    }

    /// Whether the word of this `text::lower_hash` may be a time or counter word: when not, it
    /// need not be lower-cased to be looked up.
    #[inline]
    pub fn may_hold(&self, word_hash: u64) -> bool {
        self.hashes.contains(&word_hash)
    }

    /// Every time and counter word (months included).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.months.keys().chain(&self.time_words).chain(&self.counter_words).map(String::as_str)
    }
}

/// A language code as a `'static` str, as records carry it: a stopword list's code is any file
/// name, and the codes are few, so each is leaked once for the process.
pub fn intern_code(code: &str) -> &'static str {
    static CODES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut codes = CODES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = codes.iter().find(|&&known| known == code) {
        return known;
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    codes.push(leaked);
    leaked
}

/// Languages a `StopwordIndex` holds at most: one bit each in a `u32`, beside the screens'.
pub const MAX_LANGUAGES: usize = 20;

/// Regex groups a `StopwordIndex` holds screens for, by bit (`Screen`).
pub const MAX_SCREENS: usize = 4;

/// Where the screens' bits sit in `StopwordIndex::word_bits`: a word's groups among the words a
/// line may hold anywhere, among those it may start with, and among those its first word may
/// start with.
const WORD_SCREENS: u32 = MAX_LANGUAGES as u32;
const FIRST_WORD_SCREENS: u32 = WORD_SCREENS + MAX_SCREENS as u32;
const FIRST_PREFIX_SCREENS: u32 = FIRST_WORD_SCREENS + MAX_SCREENS as u32;

/// The longest first-word prefix a screen looks up, in characters: a longer one is cut.
const LONGEST_PREFIX: usize = 63;

/// Every stopword list in one map, so that a word costs one lookup whatever the number of
/// languages: word -> bit set of the languages (by position in `langs`) that list it.
///
/// The same lookup serves the screens in front of the regex groups (`Screen`): a line
/// that holds none of a screen's words and characters, and starts with none of its first words,
/// can match none of that group's regexes.
#[derive(Debug, Clone)]
pub struct StopwordIndex {
    /// The languages' codes, as the record names them.
    langs: Vec<&'static str>,
    /// `text::lower_hash` of a word -> languages, and the screens that name it.
    words: WordTable,
    /// The groups that have a screen, by bit.
    screened: u8,
    /// The groups whose screen lets through a line starting with a number.
    first_number: u8,
    /// The lengths in characters of the screens' first-word prefixes, by bit.
    prefix_lengths: u64,
    /// The groups whose screen needs an ASCII character, by character.
    ascii_chars: [u8; 128],
    /// The same for the characters outside ASCII: those the screened regexes need, and those
    /// that case-insensitive regexes take for a letter of a screen word.
    chars: Vec<(char, u8)>,
    /// The words of timestamps and counters, which the walk tells a line's shape by.
    vocabulary: Vocabulary,
}

impl Default for StopwordIndex {
    fn default() -> Self {
        Self {
            langs: Vec::new(),
            words: WordTable::default(),
            screened: 0,
            first_number: 0,
            prefix_lengths: 0,
            ascii_chars: [0; 128],
            chars: Vec::new(),
            vocabulary: Vocabulary::default(),
        }
    }
}

impl StopwordIndex {
    /// Index (language, list) pairs; languages beyond the `MAX_LANGUAGES`th are ignored.
    pub fn new<'s>(lists: impl Iterator<Item = (&'s str, &'s WordSet)>) -> Self {
        let mut index = Self::default();
        let mut words = FxHashMap::default();
        for (bit, (lang, list)) in lists.take(MAX_LANGUAGES).enumerate() {
            index.langs.push(intern_code(lang));
            for hash in list.hashes() {
                *words.entry(hash).or_insert(0) |= 1 << bit;
            }
        }
        index.words = WordTable::new(words);
        index
    }

    /// Adds the screens, the `n`th for the group of bit `n`; a group without one is searched in
    /// every line.
    pub fn with_screens(mut self, screens: &[Option<Screen>]) -> Self {
        assert!(screens.len() <= MAX_SCREENS, "{} screens", screens.len());
        let mut words: FxHashMap<u64, u32> = self.words.entries().collect();
        for (bit, screen) in screens.iter().enumerate() {
            let Some(screen) = screen else { continue };
            self.screened |= 1 << bit;
            for word in &screen.words {
                *words.entry(text::lower_hash(word)).or_insert(0) |= 1 << (WORD_SCREENS + bit as u32);
            }
            for word in &screen.first_words {
                *words.entry(text::lower_hash(word)).or_insert(0) |= 1 << (FIRST_WORD_SCREENS + bit as u32);
            }
            for prefix in &screen.first_prefixes {
                // A shorter prefix lets through more lines, never fewer.
                let cut: String = prefix.chars().take(LONGEST_PREFIX).collect();
                self.prefix_lengths |= 1 << cut.chars().count();
                *words.entry(text::lower_hash(&cut)).or_insert(0) |= 1 << (FIRST_PREFIX_SCREENS + bit as u32);
            }
            if screen.first_number {
                self.first_number |= 1 << bit;
            }
            for &c in &screen.chars {
                if c.is_ascii() {
                    self.ascii_chars[c as usize] |= 1 << bit;
                } else if let Some(entry) = self.chars.iter_mut().find(|(other, _)| *other == c) {
                    entry.1 |= 1 << bit;
                } else {
                    self.chars.push((c, 1 << bit));
                }
            }
        }
        self.words = WordTable::new(words);
        self
    }

    /// Adds the words of timestamps and counters.
    pub fn with_vocabulary(mut self, vocabulary: Vocabulary) -> Self {
        self.vocabulary = vocabulary;
        self
    }

    /// The words of timestamps and counters.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The groups that have a screen, by bit: no line is ruled out of the others.
    #[inline]
    pub fn screened(&self) -> u8 {
        self.screened
    }

    /// The groups whose screen lets through a line starting with a number.
    #[inline]
    pub fn first_number_screens(&self) -> u8 {
        self.first_number
    }

    /// The lengths in characters of the screens' first-word prefixes, by bit: the prefixes of a
    /// line's first word to look up.
    #[inline]
    pub fn prefix_lengths(&self) -> u64 {
        self.prefix_lengths
    }

    /// The groups whose screen lets through a line holding `c`.
    #[inline]
    pub fn char_screens(&self, c: char) -> u8 {
        if c.is_ascii() {
            self.ascii_chars[c as usize]
        } else {
            self.chars.iter().find(|&&(other, _)| other == c).map_or(0, |&(_, bits)| bits)
        }
    }

    /// Whether no list was indexed.
    pub fn is_empty(&self) -> bool {
        self.langs.is_empty()
    }

    /// The languages listing the word of this `text::lower_hash`, as bits by `position`.
    #[inline]
    pub fn languages_of(&self, word_hash: u64) -> u32 {
        self.word_bits(word_hash).languages()
    }

    /// What the index holds for the word of this `text::lower_hash`: its languages, and the
    /// screens that name it.
    #[inline]
    pub fn word_bits(&self, word_hash: u64) -> WordBits {
        WordBits(self.words.get(word_hash))
    }

    /// The bit of `lang` in `languages_of`, when its list is indexed.
    pub fn position(&self, lang: &str) -> Option<usize> {
        self.langs.iter().position(|&l| l == lang)
    }

    /// The indexed languages' codes, in the order of `position`.
    pub fn langs(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.langs.iter().copied()
    }

    /// How many languages are indexed.
    pub fn len(&self) -> usize {
        self.langs.len()
    }
}

/// Word hash -> bits, in a table of two choices (cuckoo hashing): a word is in one of two slots
/// picked by its hash, so a lookup reads both and never branches. Half the words of prose are
/// stopwords and half are not, a coin toss that a hash map's probing branch mispredicted.
#[derive(Debug, Clone)]
struct WordTable {
    /// A word's fingerprint (the high half of its hash) above its bits, in one of the two slots
    /// its hash picks: one load a slot, and the table is half the size it is with whole hashes
    /// beside the bits, which let it fit the first-level cache. An empty slot has no bits, so a
    /// lookup that lands on it finds none.
    ///
    /// A word outside the table is taken for the listed word in one of its slots when their
    /// fingerprints are equal: with a fifth of the slots taken, about one lookup in 10^10. Such
    /// a word adds one to its line's stopword count, or has the line searched by a regex set its
    /// screen would have skipped (which changes nothing). Kept exact, with the whole hash beside
    /// the bits, the lookup was as slow as before this table (alternated runs).
    slots: Vec<u64>,
    /// The words and their bits, sorted by hash: what the table is rebuilt from.
    entries: Vec<(u64, u32)>,
}

impl Default for WordTable {
    fn default() -> Self {
        Self::new(FxHashMap::default())
    }
}

impl WordTable {
    /// A table for `words`; at most a quarter of its slots are taken, where two-choice tables
    /// almost never fail to fill. When they do, or when a word's slots hold another with its
    /// fingerprint, the table doubles, which spreads the words apart.
    fn new(words: FxHashMap<u64, u32>) -> Self {
        // Sorted, so that the table is the same whatever the map's order.
        let mut entries: Vec<(u64, u32)> = words.into_iter().collect();
        entries.sort_unstable();
        let mut size = (4 * entries.len()).next_power_of_two().max(16);
        loop {
            if let Some(slots) = Self::fill(size, &entries) {
                let table = Self { slots, entries };
                if table.entries.iter().all(|&(hash, bits)| table.get(hash) == bits) {
                    return table;
                }
                entries = table.entries;
            }
            size *= 2;
        }
    }

    /// The slots of a table of `size` holding `entries`, or None when they would not fit.
    fn fill(size: usize, entries: &[(u64, u32)]) -> Option<Vec<u64>> {
        let mask = size - 1;
        let mut hashes = vec![0; size];
        let mut bits = vec![0; size];
        for &entry in entries {
            let (mut hash, mut word_bits) = entry;
            let mut slot = Self::slots(mask, hash).0;
            for _ in 0..=size {
                std::mem::swap(&mut hashes[slot], &mut hash);
                std::mem::swap(&mut bits[slot], &mut word_bits);
                if word_bits == 0 {
                    break;
                }
                // Evicted: the other slot of the word just taken out.
                let (first, second) = Self::slots(mask, hash);
                slot = if slot == first { second } else { first };
            }
            if word_bits != 0 {
                return None;
            }
        }
        Some(hashes.iter().zip(&bits).map(|(&hash, &bits)| (hash >> 32) << 32 | u64::from(bits)).collect())
    }

    /// The two slots of a hash in a table of `mask + 1` slots.
    #[inline]
    fn slots(mask: usize, hash: u64) -> (usize, usize) {
        (hash as usize & mask, (hash >> 16) as usize & mask)
    }

    #[inline]
    fn get(&self, hash: u64) -> u32 {
        let (first, second) = Self::slots(self.slots.len() - 1, hash);
        let fingerprint = hash >> 32;
        // Masks, not branches: whether a word of prose is listed is a coin toss.
        let at = |entry: u64| entry as u32 & u32::from(entry >> 32 == fingerprint).wrapping_neg();
        at(self.slots[first]) | at(self.slots[second])
    }

    fn entries(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.entries.iter().copied()
    }
}

/// One word's entry in the `StopwordIndex`.
#[derive(Debug, Clone, Copy)]
pub struct WordBits(u32);

impl WordBits {
    /// The languages listing the word, as bits by `StopwordIndex::position`.
    #[inline]
    pub fn languages(self) -> u32 {
        self.0 & ((1 << WORD_SCREENS) - 1)
    }

    /// The groups whose screen lets through a line holding the word.
    #[inline]
    pub fn word_screens(self) -> u8 {
        (self.0 >> WORD_SCREENS) as u8 & ((1 << MAX_SCREENS) - 1)
    }

    /// The groups whose screen lets through a line starting with the word.
    #[inline]
    pub fn first_word_screens(self) -> u8 {
        (self.0 >> FIRST_WORD_SCREENS) as u8 & ((1 << MAX_SCREENS) - 1)
    }

    /// The groups whose screen lets through a line whose first word starts with this one.
    #[inline]
    pub fn first_prefix_screens(self) -> u8 {
        (self.0 >> FIRST_PREFIX_SCREENS) as u8 & ((1 << MAX_SCREENS) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_word_table_finds_what_a_map_holds(
            words in proptest::collection::hash_map(proptest::num::u64::ANY, 1u32.., 0..600),
            probes in proptest::collection::vec(proptest::num::u64::ANY, 0..50),
        ) {
            let map: FxHashMap<u64, u32> = words.into_iter().collect();
            let table = WordTable::new(map.clone());
            for (&hash, &bits) in &map {
                proptest::prop_assert_eq!(table.get(hash), bits);
            }
            for hash in probes {
                proptest::prop_assert_eq!(table.get(hash), map.get(&hash).copied().unwrap_or(0));
            }
            let mut entries: Vec<(u64, u32)> = table.entries().collect();
            entries.sort_unstable();
            let mut expected: Vec<(u64, u32)> = map.into_iter().collect();
            expected.sort_unstable();
            proptest::prop_assert_eq!(entries, expected);
        }
    }

    #[test]
    fn the_word_table_grows_when_two_slots_are_not_enough() {
        // Both slots of each word are the low bits of 5, 21 and 37: one slot in a table of 16,
        // two in one of 32; only a table of 64 holds all three.
        let map: FxHashMap<u64, u32> = [5u64, 21, 37].into_iter().map(|a| (a << 16 | a, 1)).collect();
        let table = WordTable::new(map.clone());
        assert!(table.slots.len() >= 64);
        for (&hash, &bits) in &map {
            assert_eq!(table.get(hash), bits);
        }
    }

    #[test]
    fn the_word_table_grows_until_words_of_one_fingerprint_share_no_slot() {
        // Both words have fingerprint 7 and slots 3 and 0 in tables of 16 and 32, where each
        // would be found holding the other's bits too; in one of 64 their first slots part.
        let map: FxHashMap<u64, u32> = [(7 << 32 | 3, 1), (7 << 32 | 35, 2)].into_iter().collect();
        let table = WordTable::new(map.clone());
        assert_eq!(table.slots.len(), 64);
        for (&hash, &bits) in &map {
            assert_eq!(table.get(hash), bits);
        }
    }
}
