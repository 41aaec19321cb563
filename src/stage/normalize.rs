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
    let cleaned = clean_whitespace_and_controls(text);
    match form {
        Form::Nfc if is_nfc_quick(cleaned.chars()) != IsNormalized::Yes => cleaned.nfc().collect(),
        Form::Nfkc if is_nfkc_quick(cleaned.chars()) != IsNormalized::Yes => {
            // NFKC can turn characters into spaces (U+2002 -> ' ' is already handled, but e.g.
            // U+3000 in compatibility contexts), so tidy once more.
            clean_whitespace_and_controls(&cleaned.nfkc().collect::<String>())
        }
        _ => cleaned,
    }
}

enum CharClass {
    Keep(char),
    Space,
    Newline,
    Drop,
}

fn classify_char(c: char) -> CharClass {
    match c {
        '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => CharClass::Newline,
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
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_space = false;
    let mut at_line_start = true;
    while let Some(c) = chars.next() {
        let class = if c == '\r' {
            // CRLF and a lone CR both end a line.
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            CharClass::Newline
        } else {
            classify_char(c)
        };
        match class {
            CharClass::Keep(c) => {
                if pending_space && !at_line_start {
                    out.push(' ');
                }
                pending_space = false;
                at_line_start = false;
                out.push(c);
            }
            CharClass::Space => pending_space = true,
            CharClass::Newline => {
                out.push('\n');
                pending_space = false;
                at_line_start = true;
            }
            CharClass::Drop => {}
        }
    }
    out
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
    fn idempotent() {
        let messy = " a\u{a0}\u{a0}b \r\n\r\n\u{200b} c\u{301} ";
        let once = normalize(messy, Form::Nfc);
        assert_eq!(normalize(&once, Form::Nfc), once);
    }
}
