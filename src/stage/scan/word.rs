//! What the line walk learns of one space-separated token: its core (first letter or digit to
//! last), case, digits, and the hash of its lower case, built as the characters come.

use crate::text::{self, LowerHasher};

/// A run of ASCII letters and digits.
pub(super) struct AlnumRun {
    pub(super) len: usize,
    pub(super) digits: usize,
    pub(super) has_letter: bool,
}

pub(super) const ALNUM: u8 = 1;
pub(super) const DIGIT: u8 = 2;
pub(super) const UPPER: u8 = 4;
pub(super) const LETTER: u8 = 8;
/// Bytes the general path handles: the space, separators, URL and clock punctuation, controls,
/// and the symbols rare in prose that a regex screen may need (`text::walk_inspects`).
pub(super) const SPECIAL: u8 = 16;

pub(super) static ASCII_CLASS: [u8; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_digit() {
            ALNUM | DIGIT
        } else if c.is_ascii_uppercase() {
            ALNUM | LETTER | UPPER
        } else if c.is_ascii_lowercase() {
            ALNUM | LETTER
        } else if text::walk_special(c) {
            SPECIAL
        } else {
            0
        };
        b += 1;
    }
    table
};

/// What the characters of a token showed: its core runs from its first letter or digit to its
/// last.
pub(super) struct Word {
    /// `NO_CORE` until a letter or digit is seen.
    pub(super) start: usize,
    pub(super) end: usize,
    /// Characters from the core's start on, and up to its last letter or digit.
    pub(super) chars: usize,
    pub(super) chars_in_core: usize,
    pub(super) digits: usize,
    pub(super) has_letter: bool,
    pub(super) first_is_upper: bool,
    pub(super) colon_seen: bool,
    pub(super) colon_inside: bool,
    /// A symbol stands between letters or digits of the core ("e-mail", "U.S").
    pub(super) compound: bool,
    /// The core holds a CJK ideograph or kana (`text::is_cjk`), each a word of its own.
    pub(super) cjk: bool,
    /// The lower case of the core so far and what followed it (`text::lower_hash`, built as the
    /// characters come: a second walk over each word to hash it cost as much as this one).
    pub(super) hash: LowerHasher,
    /// The hash as it was at the end of the core, once a symbol has followed it.
    pub(super) hash_at_core_end: Option<LowerHasher>,
}

pub(super) const NO_CORE: usize = usize::MAX;

impl Default for Word {
    fn default() -> Self {
        Self {
            start: NO_CORE,
            end: 0,
            chars: 0,
            chars_in_core: 0,
            digits: 0,
            has_letter: false,
            first_is_upper: false,
            colon_seen: false,
            colon_inside: false,
            compound: false,
            cjk: false,
            hash: LowerHasher::default(),
            hash_at_core_end: None,
        }
    }
}

impl Word {
    pub(super) fn core(&self) -> Option<std::ops::Range<usize>> {
        (self.start != NO_CORE).then_some(self.start..self.end)
    }

    /// `text::lower_hash` of the core.
    pub(super) fn core_hash(&self) -> u64 {
        self.hash_at_core_end.unwrap_or(self.hash).finish()
    }

    /// A symbol after the core's start: part of the core only if a letter or digit follows.
    #[inline]
    pub(super) fn symbol_in_core(&mut self) {
        if self.hash_at_core_end.is_none() {
            self.hash_at_core_end = Some(self.hash);
        }
    }

    /// A letter or digit: the core now reaches it.
    #[inline]
    pub(super) fn core_goes_on(&mut self) {
        self.compound |= self.hash_at_core_end.is_some();
        self.hash_at_core_end = None;
    }

    /// An ASCII byte that is neither a letter nor a digit, nor special (`ASCII_CLASS`).
    #[inline]
    pub(super) fn push_ascii_symbol(&mut self, b: u8) {
        if self.start != NO_CORE {
            self.chars += 1;
            self.symbol_in_core();
            self.hash.push_ascii(b);
        }
    }

    /// The run of ASCII letters and digits `bytes` starts with, at byte `at` of the line;
    /// `class` is its first byte's.
    #[inline]
    pub(super) fn push_ascii_run(&mut self, bytes: &[u8], at: usize, class: u8) -> AlnumRun {
        self.begin_letters(at, class & UPPER != 0);
        let mut run = AlnumRun { len: 0, digits: 0, has_letter: false };
        // Eight bytes at a time: where a run ends depends on the word, and a loop that stopped at
        // it byte by byte mispredicted its exit once a word.
        let mut tail = true;
        while let Some(chunk) = bytes.get(run.len..run.len + 8) {
            let chunk = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let (digits, letters) = text::ascii_digits_and_letters(chunk);
            let taken = (!(digits | letters) & text::HIGH_BITS).trailing_zeros() as usize / 8;
            let kept = text::low_bytes(taken);
            self.hash.push_ascii_chunk(text::ascii_lower_chunk(chunk) & kept, taken);
            run.len += taken;
            run.digits += (digits & kept).count_ones() as usize;
            run.has_letter |= letters & kept != 0;
            if taken < 8 {
                tail = false;
                break;
            }
        }
        if tail {
            for &b in &bytes[run.len..] {
                let class = if b.is_ascii() { ASCII_CLASS[usize::from(b)] } else { 0 };
                if class & ALNUM == 0 {
                    break;
                }
                self.hash.push_ascii(b);
                run.len += 1;
                run.digits += usize::from(class & DIGIT != 0);
                run.has_letter |= class & LETTER != 0;
            }
        }
        self.end_letters(run.len, at + run.len);
        self.digits += run.digits;
        self.has_letter |= run.has_letter;
        run
    }

    /// The run of letters U+0400..U+047F `bytes` starts with (two bytes each, led by 0xD0 or
    /// 0xD1), at byte `at` of the line; how many letters it holds.
    #[inline]
    pub(super) fn push_cyrillic_run(&mut self, bytes: &[u8], at: usize) -> usize {
        let mut codes = bytes.chunks_exact(2).map_while(|pair| match *pair {
            [lead @ (0xD0 | 0xD1), continuation] => Some(text::two_byte_code(lead, continuation)),
            _ => None,
        });
        let first = codes.next().expect("a lead byte is followed by a continuation byte");
        self.begin_letters(at, text::cyrillic_is_upper(first));
        self.hash.push_lower_code(text::cyrillic_lower(first));
        let mut letters = 1;
        for code in codes {
            self.hash.push_lower_code(text::cyrillic_lower(code));
            letters += 1;
        }
        self.end_letters(letters, at + 2 * letters);
        self.has_letter = true;
        letters
    }

    /// A run of letters or digits starts at byte `at`: the core starts here if not before.
    #[inline]
    pub(super) fn begin_letters(&mut self, at: usize, first_is_upper: bool) {
        if self.start == NO_CORE {
            self.start = at;
            self.first_is_upper = first_is_upper;
        }
        self.core_goes_on();
    }

    /// A run of `count` letters or digits ended at byte `end`.
    #[inline]
    pub(super) fn end_letters(&mut self, count: usize, end: usize) {
        self.chars += count;
        self.end = end;
        self.chars_in_core = self.chars;
        self.colon_inside |= self.colon_seen;
    }

    /// A letter other than ASCII's.
    #[inline]
    pub(super) fn push_letter(&mut self, c: char, at: usize, next: usize) {
        if self.start == NO_CORE {
            self.start = at;
            self.first_is_upper = text::is_upper(c);
        }
        self.core_goes_on();
        match text::simple_lower(c) {
            Some(lower) => self.hash.push_lower(lower),
            None => self.hash.push(c),
        }
        self.chars += 1;
        self.end = next;
        self.chars_in_core = self.chars;
        self.colon_inside |= self.colon_seen;
        self.has_letter = true;
    }

    #[inline]
    pub(super) fn push(&mut self, c: char, at: usize, next: usize) {
        let alnum = text::is_alnum(c);
        if self.start == NO_CORE {
            if !alnum {
                return;
            }
            self.start = at;
            self.first_is_upper = text::is_upper(c);
        }
        if alnum {
            self.core_goes_on();
        } else {
            self.symbol_in_core();
        }
        self.hash.push(c);
        self.chars += 1;
        if alnum {
            self.end = next;
            self.chars_in_core = self.chars;
            self.colon_inside |= self.colon_seen;
            if c.is_ascii_digit() {
                self.digits += 1;
            } else if !self.has_letter {
                self.has_letter = text::is_letter(c);
            }
            self.cjk |= text::is_cjk(c);
        } else if c == ':' {
            self.colon_seen = true;
        }
    }
}
