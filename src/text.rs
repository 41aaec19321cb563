//! Character tests and case folding with fast paths for the scripts of our pages.
//!
//! The classifier looks at every word of every page, and the standard library's Unicode tables
//! (`char::is_alphanumeric`, `char::to_lowercase`) cost a table search per non-ASCII character.
//! ASCII and the basic Cyrillic block (Russian, Kazakh, Ukrainian letters) answer from a range
//! check; everything else takes the general path, so results never differ from the standard
//! library's.

/// `char::is_alphanumeric`, quicker for ASCII and Cyrillic letters.
#[inline]
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_basic_cyrillic_letter(c) {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// `char::is_alphabetic`, quicker for ASCII and Cyrillic letters.
#[inline]
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if is_basic_cyrillic_letter(c) {
        true
    } else {
        c.is_alphabetic()
    }
}

/// `char::is_uppercase`, quicker for ASCII and Cyrillic letters.
#[inline]
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else if ('\u{0400}'..='\u{042F}').contains(&c) {
        true
    } else if ('\u{0430}'..='\u{045F}').contains(&c) {
        false
    } else if is_cyrillic_pair(c) {
        (c as u32) % 2 == 0
    } else {
        c.is_uppercase()
    }
}

/// Calls `f` with each character of the lower case of `c`, as `char::to_lowercase` yields them.
#[inline]
pub fn for_each_lower(c: char, mut f: impl FnMut(char)) {
    let code = c as u32;
    if c.is_ascii() {
        f(c.to_ascii_lowercase());
    } else if (0x0410..=0x042F).contains(&code) {
        // А..Я -> а..я
        f(char::from_u32(code + 0x20).unwrap_or(c));
    } else if (0x0400..=0x040F).contains(&code) {
        // Ѐ..Џ -> ѐ..џ
        f(char::from_u32(code + 0x50).unwrap_or(c));
    } else if (0x0430..=0x045F).contains(&code) {
        f(c);
    } else if is_cyrillic_pair(c) {
        // Ғ ғ, Қ қ, Ә ә ...: capital at the even code point, small letter right after it.
        f(char::from_u32(code | 1).unwrap_or(c));
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

/// A hash of a word's lower case, fed one character at a time: stopword lookups compare these
/// hashes, so no lower-cased copy of the word is ever built.
#[derive(Default)]
pub struct LowerHasher(rustc_hash::FxHasher);

impl LowerHasher {
    #[inline]
    pub fn push(&mut self, c: char) {
        use std::hash::Hasher;
        for_each_lower(c, |lower| self.0.write_u32(lower as u32));
    }

    /// `push` for an ASCII byte.
    #[inline]
    pub fn push_ascii(&mut self, b: u8) {
        use std::hash::Hasher;
        self.0.write_u32(u32::from(b.to_ascii_lowercase()));
    }

    pub fn finish(&self) -> u64 {
        std::hash::Hasher::finish(&self.0)
    }
}

/// The `LowerHasher` hash of `word`: equal for words equal but for case.
pub fn lower_hash(word: &str) -> u64 {
    let mut hasher = LowerHasher::default();
    word.chars().for_each(|c| hasher.push(c));
    hasher.finish()
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
fn is_basic_cyrillic_letter(c: char) -> bool {
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
    }

    #[test]
    fn strings_fold_like_chars() {
        let mut out = String::from("x");
        push_lower_str(&mut out, "ЁЛКА Қазақ ABC");
        assert_eq!(out, "xёлка қазақ abc");
    }
}
