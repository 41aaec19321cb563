//! Character tests and case folding with fast paths for the scripts of our pages.
//!
//! The classifier looks at every word of every page, and the standard library's Unicode tables
//! (`char::is_alphanumeric`, `char::to_lowercase`) cost a table search per non-ASCII character.
//! ASCII and the basic Cyrillic block (Russian, Kazakh, Ukrainian letters) answer from a range
//! check; everything else takes the general path, so results never differ from the standard
//! library's.

mod key;

pub(crate) use key::{for_each_key_char, KeyHasher};
pub use key::{phrase_key, phrase_key_hash};

/// Eight bytes at a time (in a `u64`): `EACH_BYTE * b` repeats the byte `b` in every lane.
pub(crate) const EACH_BYTE: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a `u64`.
pub(crate) const HIGH_BITS: u64 = EACH_BYTE * 0x80;

/// ASCII symbols the line walk (`stage::scan`) looks at one by one although no count needs
/// them: rare in prose, and what some regexes need (the `@` of an address, the `_` of an
/// identifier).
const fn is_rare_symbol(c: u8) -> bool {
    matches!(
        c,
        b'@' | b'_'
            | b'#'
            | b'<'
            | b'='
            | b'+'
            | b'*'
            | b'&'
            | b'%'
            | b'$'
            | b'~'
            | b'^'
            | b'\\'
            | b'`'
            | b'{'
            | b'}'
            | b'['
            | b']'
    )
}

/// ASCII bytes other than letters and digits that the line walk handles one by one: the space,
/// separators, URL and clock punctuation, controls, and the rare symbols a regex screen may need.
pub const fn walk_special(c: u8) -> bool {
    matches!(c, b' ' | b'|' | b'>' | b'/' | b'.' | b':') || c < b' ' || is_rare_symbol(c)
}

/// Whether the line walk looks at `c` itself, so that a regex screen may need it: every
/// character but the space, ASCII letters and digits, the common ASCII punctuation, and Cyrillic
/// letters.
pub fn walk_inspects(c: char) -> bool {
    if c.is_ascii() {
        c != ' ' && !c.is_ascii_alphanumeric() && walk_special(c as u8)
    } else {
        !is_basic_cyrillic_letter(c) && !('\u{0400}'..='\u{047F}').contains(&c)
    }
}

/// Non-zero exactly when some byte of `x` is zero: the classic test. The high bit of each zero
/// byte is set; a byte above a zero one may be marked too, so only the whole answer is exact.
#[inline]
pub(crate) fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(EACH_BYTE) & !x & HIGH_BITS
}

/// `char::is_alphanumeric`, quicker for ASCII and Cyrillic letters.
#[inline]
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_basic_cyrillic_letter(c) {
        true
    } else if let Some(latin_1) = latin_1_alnum(c) {
        latin_1
    } else if is_general_punctuation(c) {
        // Dashes, quotes, ellipses: common between words, and never letters or digits.
        false
    } else {
        c.is_alphanumeric()
    }
}

/// `char::is_alphanumeric` for U+0080..U+00FF (« » and the Latin-1 letters), `None` above.
#[inline]
fn latin_1_alnum(c: char) -> Option<bool> {
    let code = u32::from(c);
    (code <= 0xFF).then_some(matches!(code, 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE | 0xC0..=0xFF if code != 0xD7 && code != 0xF7))
}

/// U+2000..U+206F: spaces, dashes, quotes, bullets and invisible marks, none of them a letter or
/// a digit.
#[inline]
fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206F}').contains(&c)
}

/// `char::is_alphabetic`, quicker for ASCII and Cyrillic letters.
#[inline]
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if is_basic_cyrillic_letter(c) {
        true
    } else if is_general_punctuation(c) {
        false
    } else {
        c.is_alphabetic()
    }
}

/// Whether `c` is a CJK ideograph or kana. Chinese and Japanese are written without spaces, and
/// each such character counts as a word of its own, as the evaluation's scorers count tokens.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x2_0000..=0x2_FA1F)
}

/// Calls `visit` with each token of `word` as the scorers split text: every CJK ideograph or
/// kana alone, and every run of other letters and digits.
pub fn for_each_token<'a>(word: &'a str, mut visit: impl FnMut(&'a str)) {
    let mut run_start = None;
    for (at, c) in word.char_indices() {
        let cjk = is_cjk(c);
        if let Some(start) = run_start.filter(|_| cjk || !is_alnum(c)) {
            visit(&word[start..at]);
            run_start = None;
        }
        if cjk {
            visit(&word[at..at + c.len_utf8()]);
        } else if is_alnum(c) && run_start.is_none() {
            run_start = Some(at);
        }
    }
    if let Some(start) = run_start {
        visit(&word[start..]);
    }
}

/// The runs of letters and digits (`is_alnum`) in `text`, as the line walk (`stage::scan`)
/// splits a word at its symbols.
pub fn alnum_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_alnum(c)).filter(|run| !run.is_empty())
}

/// `char::is_uppercase`, quicker for ASCII and Cyrillic letters.
#[inline]
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else if ('\u{0400}'..='\u{047F}').contains(&c) {
        cyrillic_is_upper(u32::from(c))
    } else if is_cyrillic_pair(c) {
        (c as u32).is_multiple_of(2)
    } else {
        c.is_uppercase()
    }
}

/// Calls `f` with each character of the lower case of `c`, as `char::to_lowercase` yields them.
#[inline]
pub fn for_each_lower(c: char, mut f: impl FnMut(char)) {
    if c.is_ascii() {
        f(c.to_ascii_lowercase());
    } else if let Some(lower) = simple_lower(c) {
        f(lower);
    } else {
        c.to_lowercase().for_each(f);
    }
}

/// Appends the lower case of `c` to `out`, as `char::to_lowercase` would.
#[inline]
pub fn push_lower(out: &mut String, c: char) {
    for_each_lower(c, |l| out.push(l));
}

/// Cyrillic letters after the basic block that come in (capital, small) pairs at (even, odd)
/// code points: the Kazakh, Ukrainian, Tatar and other national letters.
#[inline]
fn is_cyrillic_pair(c: char) -> bool {
    matches!(c, '\u{0460}'..='\u{0481}' | '\u{048A}'..='\u{04BF}' | '\u{04D0}'..='\u{052F}')
}

/// A hash of a text's lower case: stopword lookups and the count of repeated lines compare
/// these hashes, so no lower-cased copy is ever built.
///
/// Runs of ASCII are mixed in eight bytes at a time (a multiply per character made hashing the
/// longest part of scanning an English page); any other character is mixed in alone. The line
/// walk (`stage::scan`) feeds one character by character as it reads a word; pushing the
/// characters one by one gives the hash `lower_hash` gives for the whole text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LowerHasher {
    state: u64,
    /// ASCII bytes not mixed in yet, the first in the lowest bits.
    ascii: u64,
    ascii_len: u32,
}

impl LowerHasher {
    #[inline]
    pub(crate) fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.push_ascii(c as u8);
        } else {
            for_each_lower(c, |lower| self.push_lower(lower));
        }
    }

    /// `push` for an ASCII byte.
    #[inline]
    pub(crate) fn push_ascii(&mut self, b: u8) {
        self.ascii |= u64::from(b.to_ascii_lowercase()) << (8 * self.ascii_len);
        self.ascii_len += 1;
        if self.ascii_len == 8 {
            self.state = mix(self.state, self.ascii);
            self.ascii = 0;
            self.ascii_len = 0;
        }
    }

    /// `push_ascii` for the low `n` bytes of `lowered` (already lower case, zero above them).
    #[inline]
    pub(crate) fn push_ascii_chunk(&mut self, lowered: u64, n: usize) {
        debug_assert!(n <= 8 && lowered & !low_bytes(n) == 0);
        let taken = self.ascii_len as usize;
        if taken + n < 8 {
            self.ascii |= lowered << (8 * taken);
            self.ascii_len += n as u32;
            return;
        }
        self.state = mix(self.state, self.ascii | lowered << (8 * taken));
        // What did not fit: the bytes of `lowered` from the (8 - taken)th on.
        let fitted = 8 - taken;
        self.ascii = if fitted == 8 { 0 } else { lowered >> (8 * fitted) };
        self.ascii_len = (taken + n - 8) as u32;
    }

    /// A character that is already lower case.
    #[inline]
    pub(crate) fn push_lower(&mut self, lower: char) {
        if lower.is_ascii() {
            self.push_ascii(lower as u8);
            return;
        }
        self.flush_ascii();
        // The top byte tells a character (0xFF) from a full (< 0x80) or partial (0x81..=0x87)
        // chunk of ASCII.
        self.state = mix(self.state, u64::from(u32::from(lower)) | 0xFF << 56);
    }

    /// `push_lower` for the code point of a lower-case character that is not ASCII.
    #[inline]
    pub(crate) fn push_lower_code(&mut self, lower: u32) {
        debug_assert!(char::from_u32(lower).is_some_and(|c| !c.is_ascii() && c.to_lowercase().eq([c])));
        self.flush_ascii();
        self.state = mix(self.state, u64::from(lower) | 0xFF << 56);
    }

    #[inline]
    fn flush_ascii(&mut self) {
        if self.ascii_len > 0 {
            self.state = mix(self.state, self.ascii | u64::from(0x80 | self.ascii_len) << 56);
            self.ascii = 0;
            self.ascii_len = 0;
        }
    }

    pub(crate) fn finish(mut self) -> u64 {
        self.flush_ascii();
        // Spread the multiply's high bits to the low ones that hash tables index by.
        let h = self.state;
        (h ^ (h >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (h >> 29)
    }
}

/// One step of the hashes here: the multiply of FxHash.
#[inline]
pub fn mix(state: u64, word: u64) -> u64 {
    (state.rotate_left(5) ^ word).wrapping_mul(0x517C_C1B7_2722_0A95)
}

/// The `LowerHasher` hash of `text`: equal for texts equal but for case.
pub fn lower_hash(text: &str) -> u64 {
    let mut hasher = LowerHasher::default();
    let bytes = text.as_bytes();
    if bytes.len() < 8 && bytes.is_ascii() {
        // The punctuation around a word ("," or ")."), as the line walk hashes it for the key:
        // one chunk, without the loop for any text, nor its search for the first non-ASCII byte
        // (which cost a fifth more instructions here).
        hasher.push_ascii_chunk(ascii_lower_chunk(short_chunk(bytes)), bytes.len());
        return hasher.finish();
    }
    let mut at = 0;
    while at < bytes.len() {
        let lead = bytes[at];
        if lead & 0xE0 == 0xC0 {
            // Two bytes: a Cyrillic or Latin-1 letter, usually with more of its script after it.
            let c = two_byte_char(lead, bytes[at + 1]);
            match simple_lower(c) {
                Some(lower) => hasher.push_lower(lower),
                None => hasher.push(c),
            }
            at += 2;
            continue;
        }
        // At a chunk boundary, the ASCII bytes among the next eight are lower-cased at once and
        // taken as pushing them one by one would.
        if lead.is_ascii() && hasher.ascii_len == 0 {
            let (lowered, ascii) = lower_ascii_prefix(&bytes[at..]);
            hasher.push_ascii_chunk(lowered, ascii);
            at += ascii;
            continue;
        }
        let (c, next) = char_at(text, at);
        hasher.push(c);
        at = next;
    }
    hasher.finish()
}

/// Fewer than eight bytes in a `u64`, the first in the lowest bits, zero above them.
#[inline]
fn short_chunk(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0, |chunk, &b| chunk << 8 | u64::from(b))
}

/// The ASCII bytes `rest` starts with, eight at most, lower-cased in a chunk (the first in the
/// lowest bits), and how many they are.
#[inline]
fn lower_ascii_prefix(rest: &[u8]) -> (u64, usize) {
    let (chunk, available) = match rest.get(..8) {
        Some(eight) => (u64::from_le_bytes(eight.try_into().unwrap_or_default()), 8),
        None => (short_chunk(rest), rest.len()),
    };
    let ascii = ((chunk & HIGH_BITS).trailing_zeros() as usize / 8).min(available);
    (ascii_lower_chunk(chunk) & low_bytes(ascii), ascii)
}

/// The lower case of a non-ASCII letter of the Cyrillic and Latin-1 blocks, computed in place;
/// `None` for the characters that need the standard library's tables.
#[inline]
pub(crate) fn simple_lower(c: char) -> Option<char> {
    let code = c as u32;
    let lower = match code {
        0x0400..=0x047F => cyrillic_lower(code),
        // À..Þ but ×; ß..ÿ
        0x00C0..=0x00DE if code != 0x00D7 => code + 0x20,
        0x00DF..=0x00FF => code,
        _ if is_cyrillic_pair(c) => code | 1,
        _ => return None,
    };
    char::from_u32(lower)
}

/// The character starting at byte `at` of `text`, and where the next one starts.
#[inline(always)]
pub fn char_at(text: &str, at: usize) -> (char, usize) {
    let bytes = text.as_bytes();
    let lead = bytes[at];
    if lead.is_ascii() {
        (char::from(lead), at + 1)
    } else if lead & 0xE0 == 0xC0 {
        // Two bytes: Cyrillic, Latin-1 and the other alphabets of our pages.
        (two_byte_char(lead, bytes[at + 1]), at + 2)
    } else {
        let c = text[at..].chars().next().unwrap_or_default();
        (c, at + c.len_utf8())
    }
}

/// The character of a two-byte UTF-8 sequence, from its lead and continuation bytes.
#[inline(always)]
pub fn two_byte_char(lead: u8, continuation: u8) -> char {
    char::from_u32(two_byte_code(lead, continuation)).unwrap_or_default()
}

/// The code point of a two-byte character from its bytes.
#[inline]
pub(crate) fn two_byte_code(lead: u8, continuation: u8) -> u32 {
    u32::from(lead & 0x1F) << 6 | u32::from(continuation & 0x3F)
}

/// `is_upper` for a code point U+0400..U+047F: Ѐ..Я, and the even one of each pair after я.
#[inline]
pub(crate) fn cyrillic_is_upper(code: u32) -> bool {
    if code < 0x460 {
        code < 0x430
    } else {
        code.is_multiple_of(2)
    }
}

/// `simple_lower` for a code point U+0400..U+047F: Ѐ..Џ and А..Я to their small letters, the
/// pairs after я to their odd one.
#[inline]
pub(crate) fn cyrillic_lower(code: u32) -> u32 {
    // A table, not a match: capitals start words at no predictable rhythm, and a branch on them
    // mispredicted.
    static LOWER: [u16; 0x80] = {
        let mut table = [0; 0x80];
        let mut offset = 0;
        while offset < 0x80 {
            let code = 0x400 + offset as u16;
            table[offset] = match code {
                0x400..=0x40F => code + 0x50,
                0x410..=0x42F => code + 0x20,
                0x430..=0x45F => code,
                _ => code | 1,
            };
            offset += 1;
        }
        table
    };
    debug_assert!((0x400..=0x47F).contains(&code), "{code:#x}");
    u32::from(LOWER[code.wrapping_sub(0x400) as usize & 0x7F])
}

/// The ASCII digits and letters among eight bytes: the high bit of each byte that is one.
#[inline]
pub(crate) fn ascii_digits_and_letters(chunk: u64) -> (u64, u64) {
    // Sums on the low seven bits never carry out of a byte: a byte's high bit is then set by the
    // first sum when it is >= the range's start, by the second when it is > its end.
    let low = chunk & !HIGH_BITS;
    let ascii = !chunk & HIGH_BITS;
    let in_range = |x: u64, first: u8, last: u8| {
        let at_least = x + EACH_BYTE * (0x80 - u64::from(first));
        let above = x + EACH_BYTE * (0x7F - u64::from(last));
        at_least & !above & ascii
    };
    // Setting 0x20 folds `A..=Z` onto `a..=z` and moves no other byte into it.
    (in_range(low, b'0', b'9'), in_range(low | (EACH_BYTE * 0x20), b'a', b'z'))
}

/// The low `n` bytes of a `u64` (`n` up to 8).
#[inline]
pub(crate) fn low_bytes(n: usize) -> u64 {
    if n >= 8 {
        u64::MAX
    } else {
        (1 << (8 * n)) - 1
    }
}

/// Lower-cases eight ASCII bytes at once: 0x20 is added to each byte in `A..=Z`.
#[inline]
pub(crate) fn ascii_lower_chunk(chunk: u64) -> u64 {
    // A byte's high bit is set by the first sum when it is >= 'A', by the second when > 'Z'.
    // Non-ASCII bytes carry into the bytes above them, which the caller then masks off.
    let at_least_a = chunk.wrapping_add(EACH_BYTE * (0x80 - u64::from(b'A')));
    let above_z = chunk.wrapping_add(EACH_BYTE * (0x80 - u64::from(b'Z') - 1));
    let upper = at_least_a & !above_z & HIGH_BITS;
    chunk | (upper >> 2)
}

/// Appends the lower case of `s` to `out`, character by character.
#[inline]
pub fn push_lower_str(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.reserve(s.len());
        for c in s.chars() {
            push_lower(out, c);
        }
    }
}

/// Cyrillic letters: Ѐ..я and the paired national letters (the block's signs and combining
/// marks, U+0482..U+0489, are not letters).
#[inline]
pub fn is_basic_cyrillic_letter(c: char) -> bool {
    ('\u{0400}'..='\u{045F}').contains(&c) || is_cyrillic_pair(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_paths_agree_with_the_standard_library() {
        let ranges = ['\u{0}'..='\u{2FF}', '\u{370}'..='\u{52F}', '\u{1E00}'..='\u{1FFF}', '\u{2000}'..='\u{218F}'];
        for c in ranges.into_iter().flatten() {
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            let mut lower = String::new();
            push_lower(&mut lower, c);
            assert_eq!(lower, c.to_lowercase().collect::<String>(), "{c:?}");
        }
    }

    #[test]
    fn lower_hashes_ignore_case_only() {
        assert_eq!(lower_hash("Және"), lower_hash("жӘНЕ"));
        assert_eq!(lower_hash("THE"), lower_hash("the"));
        assert_ne!(lower_hash("the"), lower_hash("then"));
        let mut bytes = LowerHasher::default();
        b"The".iter().for_each(|&b| bytes.push_ascii(b));
        assert_eq!(bytes.finish(), lower_hash("the"));
        // Past the eight bytes gathered before each mix, and across a partial last chunk.
        assert_eq!(lower_hash("Конституциялық"), lower_hash("КОНСТИТУЦИЯЛЫҚ"));
        assert_ne!(lower_hash("abcdefgh"), lower_hash("abcdefg"));
        assert_ne!(lower_hash("abcdefgh"), lower_hash("abcdefghi"));
    }

    proptest::proptest! {
        #[test]
        fn eight_bytes_at_once_agree_with_one_at_a_time(chunk: u64, splits in proptest::collection::vec(0usize..=8, 1..6)) {
            let (digits, letters) = ascii_digits_and_letters(chunk);
            for (lane, b) in chunk.to_le_bytes().into_iter().enumerate() {
                let bit = 0x80 << (8 * lane);
                proptest::prop_assert_eq!(digits & bit != 0, b.is_ascii_digit(), "{:#x}", b);
                proptest::prop_assert_eq!(letters & bit != 0, b.is_ascii_alphabetic(), "{:#x}", b);
            }
            // The same bytes pushed in pieces of the sizes in `splits`, or one by one.
            let text: Vec<u8> = chunk.to_le_bytes().iter().map(|b| b'a' + b % 26).cycle().take(splits.iter().sum()).collect();
            let (mut pieces, mut bytes) = (LowerHasher::default(), LowerHasher::default());
            let mut at = 0;
            for &n in &splits {
                let mut piece = [0; 8];
                piece[..n].copy_from_slice(&text[at..at + n]);
                pieces.push_ascii_chunk(u64::from_le_bytes(piece), n);
                at += n;
            }
            text.iter().for_each(|&b| bytes.push_ascii(b));
            proptest::prop_assert_eq!(pieces.finish(), bytes.finish());
        }
    }

    #[test]
    fn chunked_hashing_agrees_with_byte_by_byte() {
        // Short ASCII texts take a path of their own, longer ones the chunked one.
        let texts = [
            ",",
            ").",
            "AbC@[`Z",
            "The Quick Brown Fox @[`{ Jumps",
            "ЁЛКА and Qazaq ÄÖÜ ok",
            "AZaz@[`{09 \u{212A}elvin",
        ];
        for text in texts {
            let mut bytes = LowerHasher::default();
            text.chars().for_each(|c| bytes.push(c));
            assert_eq!(lower_hash(text), bytes.finish(), "{text}");
        }
        assert_eq!(lower_hash("\u{212A}elvinator"), lower_hash("KELVINATOR"));
        for c in ('\u{80}'..='\u{52F}').filter(|c| simple_lower(*c).is_some()) {
            assert_eq!(simple_lower(c).map(String::from), Some(c.to_lowercase().collect::<String>()), "{c:?}");
        }
    }

    #[test]
    fn strings_fold_like_chars() {
        let mut out = String::from("x");
        push_lower_str(&mut out, "ЁЛКА Қазақ ABC");
        assert_eq!(out, "xёлка қазақ abc");
    }
}
