//! Whether a line is only numbers (a counter) or numbers and time words (a timestamp), told
//! word by word as the walk goes.

use super::Shape;
use crate::text;
use crate::words::Vocabulary;

/// Whether the words so far could still make a counter or a timestamp.
pub(super) struct ShapeTally<'a> {
    /// The words of timestamps and counters.
    vocabulary: &'a Vocabulary,
    all_numeric: bool,
    all_numeric_or_time: bool,
    numbers: usize,
    clock: bool,
    /// Lower-cased word, reused: counter and time words are looked up by text.
    lower: String,
}

impl<'a> ShapeTally<'a> {
    pub(super) fn new(vocabulary: &'a Vocabulary) -> Self {
        Self {
            vocabulary,
            all_numeric: true,
            all_numeric_or_time: true,
            numbers: 0,
            clock: false,
            lower: String::new(),
        }
    }

    /// The word `line[word]`, whose `text::lower_hash` is `hash`.
    pub(super) fn word(
        &mut self,
        line: &str,
        word: std::ops::Range<usize>,
        hash: u64,
        digits: usize,
        chars: usize,
        colon: bool,
    ) {
        let vocabulary = self.vocabulary;
        // "3816", "10,744", "1.2K", "32M", "07.10", "13:17", "5th"
        let numeric = digits > 0 && digits * 2 >= chars;
        self.numbers += usize::from(numeric);
        self.clock |= numeric && colon;
        // Counter and time words are looked up only while the line may still be all numbers,
        // and by text only when the word's hash is one of theirs: the first word of nearly
        // every line is neither, and need not be lower-cased to be looked up.
        if numeric || !(self.all_numeric || self.all_numeric_or_time) {
            return;
        }
        if vocabulary.may_hold(hash) {
            self.lower.clear();
            text::push_lower_str(&mut self.lower, &line[word]);
            self.all_numeric = self.all_numeric && vocabulary.is_counter_word(&self.lower);
            self.all_numeric_or_time =
                self.all_numeric_or_time && vocabulary.is_time_word(self.lower.trim_end_matches('.'));
        } else {
            self.all_numeric = false;
            self.all_numeric_or_time = false;
        }
    }

    pub(super) fn shape(&self, words: usize) -> Shape {
        let any_number = self.numbers > 0;
        // One number alone is a counter; several numbers, or a clock time, make a timestamp.
        if words > 0 && any_number && self.all_numeric && self.numbers == 1 && !self.clock {
            Shape::Counter
        } else if words > 0 && any_number && self.all_numeric_or_time {
            Shape::Timestamp
        } else {
            Shape::Text
        }
    }
}
