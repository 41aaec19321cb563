//! Phrase keys: the comparable form of a whole line, and its hash.
//!
//! Pattern phrases and page lines meet here: the pattern loader hashes each phrase's key with
//! `phrase_key_hash`, and the line walk (`stage::scan`) hashes a line's key word by word with the
//! same `KeyHasher` as it reads the line, so a line whose hash is no phrase's needs no key at all.

use super::{for_each_lower, is_alnum, lower_hash, mix};

/// The comparable form of a whole line: lower case, without surrounding punctuation, symbols,
/// bullets and arrows, single spaces.
pub fn phrase_key(line: &str) -> String {
    // Lower case seldom changes the length, and a key grown a push at a time reallocated often.
    let mut key = String::with_capacity(line.len());
    for_each_key_char(line, |c| key.push(c));
    key
}

/// Calls `visit` with each character of `line`'s phrase key, in order. Normalised page lines
/// have single spaces already; pattern-file phrases may not.
pub(crate) fn for_each_key_char(line: &str, mut visit: impl FnMut(char)) {
    let trimmed = line.trim_matches(|c: char| !is_alnum(c));
    for (n, word) in trimmed.split(char::is_whitespace).filter(|w| !w.is_empty()).enumerate() {
        if n > 0 {
            visit(' ');
        }
        word.chars().for_each(|c| for_each_lower(c, &mut visit));
    }
}

/// The hash the line walk computes for a line whose phrase key is `key` (`LineScan::key_hash`):
/// `None` when the key has no letter or digit.
pub fn phrase_key_hash(key: &str) -> Option<u64> {
    let mut hasher = KeyHasher::default();
    for token in key.split(' ') {
        let Some(start) = token.find(is_alnum) else {
            if !token.is_empty() {
                hasher.symbols(token);
            }
            continue;
        };
        let (last, c) = token.char_indices().rfind(|&(_, c)| is_alnum(c)).unwrap_or((start, ' '));
        let end = last + c.len_utf8();
        let leading = (start > 0).then(|| &token[..start]);
        let trailing = (end < token.len()).then(|| &token[end..]);
        hasher.word(leading, lower_hash(&token[start..end]), trailing);
    }
    hasher.finish()
}

/// The hash of a line's phrase key, made of its words' hashes: the key is the line's lower case
/// from its first letter or digit to its last, so it is its tokens between the first and the last
/// word, with the first word's leading and the last word's trailing symbols left off.
#[derive(Default)]
pub(crate) struct KeyHasher {
    /// The hash up to the end of the last word seen; `None` before the first word.
    started: Option<u64>,
    /// The hash including what came after that word, which counts only if another word follows.
    running: u64,
}

impl KeyHasher {
    const SPACE: u64 = 1;
    const LEADING: u64 = 2 << 56;
    const WORD: u64 = 3 << 56;
    const TRAILING: u64 = 4 << 56;
    const SYMBOLS: u64 = 5 << 56;

    /// A word, with the symbols before and after it in its token, if any.
    pub(crate) fn word(&mut self, leading: Option<&str>, word_hash: u64, trailing: Option<&str>) {
        if self.started.is_some() {
            self.running = mix(self.running, Self::SPACE);
            if let Some(leading) = leading {
                self.running = mix(self.running, lower_hash(leading) ^ Self::LEADING);
            }
        }
        self.running = mix(self.running, word_hash ^ Self::WORD);
        self.started = Some(self.running);
        if let Some(trailing) = trailing {
            self.running = mix(self.running, lower_hash(trailing) ^ Self::TRAILING);
        }
    }

    /// A token without letters or digits: a dash, a bar, a bullet.
    pub(crate) fn symbols(&mut self, token: &str) {
        if self.started.is_some() {
            self.running = mix(self.running, Self::SPACE);
            self.running = mix(self.running, lower_hash(token) ^ Self::SYMBOLS);
        }
    }

    /// Whether a word has been seen.
    pub(crate) fn is_started(&self) -> bool {
        self.started.is_some()
    }

    pub(crate) fn finish(&self) -> Option<u64> {
        self.started
    }
}
