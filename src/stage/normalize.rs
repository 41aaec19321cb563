//! Normalise: one canonical form of the text, so that rules and duplicates compare like with like.
//!
//! Scraped text arrives with CRLF, non-breaking spaces, zero-width characters, soft hyphens and
//! stray control characters; two copies of the same headline differ only in those. This stage
//! removes the difference without changing what a reader sees: line endings become LF, every kind
//! of space becomes one ASCII space, invisible characters go, lines are trimmed and runs of spaces
//! collapse. Unicode normalisation (NFC by default) runs last, and only when a quick check says
//! the text is not already in that form, which is almost never the case for scraped pages.

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Which Unicode normalisation form to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Form {
    #[default]
    Nfc,
    /// Compatibility forms too: full-width letters, ligatures, superscripts become plain.
    Nfkc,
    /// Whitespace and control characters only.
    None,
}

/// Normalise `text` into the canonical form described in the module docs.
pub fn normalize(text: &str, form: Form) -> String {
    let Cleaned { text: cleaned, maybe_not_nfc, .. } = clean(text);
    match form {
        Form::Nfc if maybe_not_nfc => nfc_by_line(cleaned),
        Form::Nfkc if is_nfkc_quick(cleaned.chars()) != IsNormalized::Yes => {
            // NFKC can turn characters into spaces (U+2002 -> ' ' is already handled, but e.g.
            // U+3000 in compatibility contexts), so tidy once more.
            clean_whitespace_and_controls(&cleaned.nfkc().collect::<String>())
        }
        _ => cleaned,
    }
}

/// NFC of `text`, composed only on the lines that need it: one character that is not surely
/// NFC (a CJK page, a stray combining mark) sent the whole page through the slow path. A line
/// break is a starter that nothing composes with, so composing line by line gives the same text.
fn nfc_by_line(text: String) -> String {
    let mut composed: Option<String> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if surely_nfc(line) || is_nfc_quick(line.chars()) == IsNormalized::Yes {
            if let Some(composed) = composed.as_mut() {
                composed.push_str(line);
            }
        } else {
            let composed = composed.get_or_insert_with(|| {
                let mut before = String::with_capacity(text.len());
                before.push_str(&text[..at]);
                before
            });
            composed.extend(line.nfc());
        }
        at += line.len();
    }
    composed.unwrap_or(text)
}

enum CharClass {
    Keep(char),
    Space,
    Newline,
    Drop,
}

fn classify_char(c: char) -> CharClass {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => CharClass::Newline,
        ' ' | '\t' | '\u{0B}' | '\u{0C}' => CharClass::Space,
        // Zero-width and invisible formatting characters: they split words for string matching
        // but show nothing to a reader.
        '\u{200B}'
        | '\u{FEFF}'
        | '\u{2060}'
        | '\u{00AD}'
        | '\u{180E}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => CharClass::Drop,
        c if c.is_control() => CharClass::Drop,
        // All other Unicode spaces: NBSP, en/em spaces, thin spaces, ideographic space...
        c if c.is_whitespace() => CharClass::Space,
        c => CharClass::Keep(c),
    }
}

fn clean_whitespace_and_controls(text: &str) -> String {
    clean(text).text
}

fn clean(text: &str) -> Cleaned {
    let bytes = text.as_bytes();
    let mut out = Cleaned::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        // Copy a run of ordinary characters in one go: most of a page is letters and
        // punctuation that this stage leaves alone.
        let (run, blocks) = plain_run(&bytes[i..]);
        out.maybe_not_nfc |= blocks & NFC_SAFE == 0;
        if run > 0 {
            out.keep(&text[i..i + run]);
            i += run;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or_default();
        i += c.len_utf8();
        if c == '\r' && bytes.get(i) == Some(&b'\n') {
            // CRLF ends one line, like a lone CR.
            i += 1;
        }
        out.push(classify_char(c));
    }
    out
}

/// The text being cleaned: a space is written only between kept text on one line, so spaces
/// at line starts and ends vanish and runs of them collapse.
struct Cleaned {
    text: String,
    pending_space: bool,
    at_line_start: bool,
    /// Whether a character outside the blocks `surely_nfc` knows was kept: only then does the
    /// text need the NFC checks.
    maybe_not_nfc: bool,
}

impl Cleaned {
    fn with_capacity(capacity: usize) -> Self {
        Self { text: String::with_capacity(capacity), pending_space: false, at_line_start: true, maybe_not_nfc: false }
    }

    /// Appends text that is kept as it is.
    #[inline]
    fn keep(&mut self, kept: &str) {
        if self.pending_space && !self.at_line_start {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.at_line_start = false;
        self.text.push_str(kept);
    }

    fn push(&mut self, class: CharClass) {
        match class {
            CharClass::Keep(c) => {
                // The characters that take this path and are not plain: Latin-1 punctuation,
                // general punctuation, and the rare others.
                self.maybe_not_nfc |= !matches!(c, '\0'..='\u{2FF}' | '\u{2010}'..='\u{205E}');
                self.keep(c.encode_utf8(&mut [0; 4]))
            }
            CharClass::Space => self.pending_space = true,
            CharClass::Newline => {
                self.text.push('\n');
                self.pending_space = false;
                self.at_line_start = true;
            }
            CharClass::Drop => {}
        }
    }
}

/// The length of the run of plain bytes at the start of `bytes`, single spaces between words
/// included (they stay as they are): a run never starts or ends with a space. Also the bits of
/// `BYTES` shared by all its bytes: `NFC_SAFE` when every character is in a block that
/// `surely_nfc` passes without looking at a second byte.
#[inline]
fn plain_run(bytes: &[u8]) -> (usize, u8) {
    let mut end = 0;
    let mut all = NFC_SAFE;
    while end < bytes.len() {
        let class = BYTES[usize::from(bytes[end])];
        if class & PLAIN != 0 {
            all &= class;
            end += 1;
        } else if bytes[end] == b' '
            && end > 0
            && bytes.get(end + 1).is_some_and(|&b| BYTES[usize::from(b)] & PLAIN != 0)
        {
            end += 2;
            all &= BYTES[usize::from(bytes[end - 1])];
        } else if let Some(length) = plain_punctuation(&bytes[end..]) {
            // Kept as it is, and NFC as it is: `all` is unchanged.
            end += length;
        } else {
            break;
        }
    }
    (end, all)
}

/// The length of the character at the start of `bytes` when it is punctuation of Latin-1
/// (U+00A1..U+00BF but the soft hyphen: « » ©) or of General Punctuation (U+2010..U+2027 and
/// U+2030..U+205E: — “ ” • …), which normalisation keeps as it is; None for anything else. Their
/// lead bytes (0xC2, 0xE2) also lead spaces and invisible characters, so the table of bytes
/// cannot tell; in Russian and typeset English text they are frequent enough to matter.
#[inline]
fn plain_punctuation(bytes: &[u8]) -> Option<usize> {
    match *bytes {
        [0xC2, 0xA1..=0xAC | 0xAE..=0xBF, ..] => Some(2),
        [0xE2, 0x80, 0x90..=0xA7 | 0xB0..=0xBF, ..] | [0xE2, 0x81, 0x80..=0x9E, ..] => Some(3),
        _ => None,
    }
}

/// A byte of a character that `classify_char` keeps as it is (see `BYTES`).
const PLAIN: u8 = 1;
/// A byte of a character in the blocks without combining marks that `surely_nfc` passes.
const NFC_SAFE: u8 = 2;

/// What a byte says of its character, judged from the byte alone.
///
/// `PLAIN`: printable ASCII, and UTF-8 lead and continuation bytes of characters that cannot be
/// a space, a line break or an invisible format character. Those all start with a byte of 0xC2
/// (U+0080..U+00BF), 0xE1 (U+1680, U+180E), 0xE2 (U+2000..U+206F) , 0xE3 (U+3000) or 0xEF
/// (U+FEFF), which take the careful path. A run of plain bytes therefore always ends on a
/// character boundary.
///
/// `NFC_SAFE`: ASCII, continuation bytes, and the leads of U+00C0..U+02FF (0xC3..=0xCB) and of
/// the Cyrillic blocks without combining marks (0xD0, 0xD1, 0xD3). The leads of U+0480..U+04BF
/// and U+0500..U+052F (0xD2, 0xD4) need their second byte, so `surely_nfc` decides for them.
static BYTES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            0x21..=0x7E | 0x80..=0xBF | 0xC3..=0xCB | 0xD0 | 0xD1 | 0xD3 => PLAIN | NFC_SAFE,
            0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => 0,
            0xC0..=0xFF => PLAIN,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The NFC quick check for text whose characters all come from blocks without combining marks
/// or canonical singletons (ASCII, Latin-1 and Latin Extended, Cyrillic letters, common
/// punctuation): such text is NFC as it is. Anything else goes to the full quick check. The
/// blocks are told by their UTF-8 bytes, without decoding.
fn surely_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time while none leads a character past U+047F (or one of U+0300..
        // U+03FF): ASCII, the two-byte Latin and Cyrillic letters, and their continuation bytes.
        if let Some(chunk) = bytes.get(at..at + 8) {
            if !may_lead_past_basic_blocks(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
                at += 8;
                continue;
            }
        }
        at += match bytes[at] {
            0x00..=0x7F => 1,
            // The rest of a character whose lead came in a chunk passed whole.
            0x80..=0xBF => 1,
            // U+0080..U+02FF; U+0400..U+047F and U+04C0..U+04FF
            0xC2..=0xCB | 0xD0 | 0xD1 | 0xD3 => 2,
            // U+0480..U+04BF but the combining marks U+0483..U+0489
            0xD2 if !(0x83..=0x89).contains(&bytes[at + 1]) => 2,
            // U+0500..U+052F
            0xD4 if bytes[at + 1] < 0xB0 => 2,
            // U+2010..U+205E
            0xE2 if bytes[at + 1] == 0x80 && bytes[at + 2] >= 0x90
                || bytes[at + 1] == 0x81 && bytes[at + 2] <= 0x9E =>
            {
                3
            }
            _ => return false,
        };
    }
    true
}

/// Whether any of eight bytes is 0xCC..=0xCF or 0xD2 and above: a lead byte `surely_nfc` must
/// look at.
#[inline]
fn may_lead_past_basic_blocks(chunk: u64) -> bool {
    use crate::text::{zero_bytes, EACH_BYTE, HIGH_BITS};
    // Only bytes with the high bit set can be such a lead; of those, the low seven bits tell.
    let high = chunk & HIGH_BITS;
    let low = chunk & !HIGH_BITS;
    // Low bits above 0x51 (0xD1): adding 0x7F - 0x51 carries into the high bit.
    let above_d1 = (low + EACH_BYTE * (0x7F - 0x51)) & HIGH_BITS;
    // Low bits 0x4C..=0x4F (0xCC..=0xCF): bits 0x7C equal to 0x4C.
    let cc_to_cf = zero_bytes((low & (EACH_BYTE * 0x7C)) ^ (EACH_BYTE * 0x4C));
    (above_d1 | cc_to_cf) & high != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(normalize("a\r\nb\rc\nd", Form::Nfc), "a\nb\nc\nd");
    }

    #[test]
    fn spaces_are_trimmed_and_collapsed() {
        assert_eq!(normalize("  Main Page\u{a0} \u{a0} >  \n\tx\u{2003}y ", Form::Nfc), "Main Page >\nx y");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(normalize("co\u{00AD}operate\u{200B} now\u{7}", Form::Nfc), "cooperate now");
    }

    #[test]
    fn nfc_composes_and_nfkc_folds() {
        assert_eq!(normalize("e\u{301}tudes", Form::Nfc), "\u{e9}tudes");
        assert_eq!(normalize("e\u{301}tudes", Form::None), "e\u{301}tudes");
        assert_eq!(normalize("\u{FB01}le \u{FF21}", Form::Nfkc), "file A");
        assert_eq!(normalize("\u{FB01}le", Form::Nfc), "\u{FB01}le");
    }

    #[test]
    fn clean_text_is_unchanged() {
        let text = "Заголовок\n\nПервый абзац, «с кавычками».\nSecond line.";
        assert_eq!(normalize(text, Form::Nfc), text);
    }

    #[test]
    fn byte_runs_and_special_characters_mix() {
        let text = "\u{a0}Пример\u{2003}текста\u{200b}—«цитата»\u{3000}конец\u{feff}\u{85}ə\u{1680}x\r\n";
        assert_eq!(normalize(text, Form::Nfc), "Пример текста—«цитата» конец\nə x\n");
    }

    proptest::proptest! {
        #[test]
        fn composing_by_line_is_composing_the_whole_text(
            text in "([a-zA-Zа-яё \n.,]|[\u{300}-\u{36F}\u{483}\u{0BCD}\u{3099}\u{1100}-\u{1112}\u{1161}-\u{1175}]|[\u{C0}-\u{17F}\u{AC00}-\u{AC10}\u{F900}-\u{F910}]|\\PC){0,40}",
        ) {
            proptest::prop_assert_eq!(nfc_by_line(text.clone()), text.nfc().collect::<String>());
        }
    }

    #[test]
    fn surely_nfc_agrees_with_the_quick_check() {
        let ranges = ['\u{0}'..='\u{52F}', '\u{2000}'..='\u{206F}'];
        for c in ranges.into_iter().flatten() {
            let text = format!("a{c}");
            if surely_nfc(&text) {
                assert_eq!(is_nfc_quick(text.chars()), IsNormalized::Yes, "{c:?}");
            }
        }
    }

    #[test]
    fn the_chunk_test_finds_every_lead_surely_nfc_must_read() {
        for b in 0..=255u8 {
            let must_read = matches!(b, 0xCC..=0xCF) || b >= 0xD2;
            for position in 0..8 {
                let mut chunk = [b'a'; 8];
                chunk[position] = b;
                assert_eq!(may_lead_past_basic_blocks(u64::from_le_bytes(chunk)), must_read, "{b:#x} at {position}");
            }
        }
    }

    #[test]
    fn surely_nfc_reads_the_blocks_from_the_bytes() {
        let blocks = |c: char| matches!(c, '\0'..='\u{2FF}' | '\u{400}'..='\u{482}' | '\u{48A}'..='\u{52F}' | '\u{2010}'..='\u{205E}');
        for c in ('\u{0}'..='\u{3100}').chain(['\u{FEFF}', '\u{1F600}']) {
            assert_eq!(surely_nfc(&format!("Жa{c}ё")), blocks(c), "{c:?}");
            // After and inside chunks of eight bytes passed whole.
            assert_eq!(surely_nfc(&format!("Жaaaaaaaaёё{c}ёabc")), blocks(c), "{c:?}");
            assert_eq!(surely_nfc(&format!("aaaaaaa{c}bbbbbbbbb")), blocks(c), "{c:?}");
        }
    }

    /// A character-at-a-time walk, as the byte-run walk replaced: they must agree.
    fn reference_clean(text: &str) -> String {
        let mut out = Cleaned::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push(classify_char(c));
        }
        out.text
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #[test]
        fn byte_runs_agree_with_the_character_walk(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::string::string_regex("[a-zA-Zа-яА-ЯәқңөұүһіЁё0-9.,:;!?«»—–-]{0,8}").unwrap(),
                proptest::sample::select(vec![
                    " ", "  ", "\t", "\n", "\r\n", "\r", "\u{a0}", "\u{85}", "\u{ad}", "\u{200b}", "\u{2003}",
                    "\u{2028}", "\u{202f}", "\u{3000}", "\u{feff}", "\u{1680}", "\u{180e}", "\u{7}", "\u{7f}", "\u{9f}",
                    "é", "e\u{301}", "\u{2022}", "\u{1F600}", "\u{e000}", "\u{483}", "\u{4B0}", "\u{52F}", "\u{530}",
                    "\u{300}", "\u{2FF}", "\u{2010}", "\u{205F}", "\u{2070}", "\u{A9}",
                ]).prop_map(str::to_string),
            ], 0..40)
        ) {
            let text = parts.concat();
            let cleaned = clean(&text);
            proptest::prop_assert_eq!(&cleaned.text, &reference_clean(&text));
            // The NFC checks may be skipped only for text they would pass.
            proptest::prop_assert!(cleaned.maybe_not_nfc || surely_nfc(&cleaned.text), "{:?}", cleaned.text);
        }
    }

    #[test]
    fn plain_punctuation_is_what_classify_char_keeps_and_surely_nfc_passes() {
        for c in ('\u{80}'..='\u{FF}').chain('\u{2000}'..='\u{206F}') {
            let text = c.to_string();
            let plain = plain_punctuation(text.as_bytes()).is_some();
            let kept = matches!(classify_char(c), CharClass::Keep(_)) && surely_nfc(&text);
            let punctuation = matches!(c, '\u{A1}'..='\u{BF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}');
            assert_eq!(plain, kept && punctuation, "{c:?}");
            if plain {
                assert_eq!(plain_punctuation(text.as_bytes()), Some(c.len_utf8()));
            }
        }
    }

    #[test]
    fn byte_runs_agree_with_the_character_walk_at_every_offset() {
        // Each special character at every position of plain text: at the start of a run, at its
        // end, and between any two of its bytes.
        let plain = "Plain words, и слова кириллицей: run of text here.";
        let specials = [
            " \n", " ", "  ", "\u{7f}", "\u{7}", "\t", "\u{a0}", " \u{a0}", "\u{85}", "\u{ad}", "\u{2003}", "e\u{301}",
            "ә", "\u{feff}", "«", " — ", "\u{2028}", "\u{205f}", "\u{2060}", "\u{202f}", "\u{200b}", "…",
        ];
        for at in (0..=plain.len()).filter(|&at| plain.is_char_boundary(at)) {
            for special in specials {
                let text = format!("{}{special}{}", &plain[..at], &plain[at..]);
                let cleaned = clean(&text);
                assert_eq!(cleaned.text, reference_clean(&text), "{text:?}");
                assert!(cleaned.maybe_not_nfc || surely_nfc(&cleaned.text), "{text:?}");
            }
        }
    }

    #[test]
    fn idempotent() {
        let messy = " a\u{a0}\u{a0}b \r\n\r\n\u{200b} c\u{301} ";
        let once = normalize(messy, Form::Nfc);
        assert_eq!(normalize(&once, Form::Nfc), once);
    }
}
