//! JSON strings written quickly: a page's text is most of the bytes of its record, and
//! serde_json looks at each byte of a string alone to find the few it must escape.

/// Appends `text` to `out` as a JSON string, with the escapes serde_json writes (the same bytes):
/// `\"`, `\\`, `\b \f \n \r \t`, and `\u00XX` for the other control characters.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut unwritten = 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        // Eight bytes at a time: almost all chunks have nothing to escape.
        if needs_escape(u64::from_le_bytes(chunk.try_into().expect("a chunk of eight"))) {
            escape_each(out, bytes, at..at + 8, &mut unwritten);
        }
        at += 8;
    }
    escape_each(out, bytes, at..bytes.len(), &mut unwritten);
    out.extend_from_slice(&bytes[unwritten..]);
    out.push(b'"');
}

/// Whether any of eight bytes is a control character, `"` or `\`.
#[inline]
fn needs_escape(chunk: u64) -> bool {
    use crate::text::{zero_bytes, EACH_BYTE, HIGH_BITS};
    // The classic tests: a byte below n sets its high bit in `(x - n) & !x` (n <= 0x80), and a
    // byte equal to b is a zero byte of `x ^ b`. Bits set above a true hit may be wrong, but
    // whether any is set is exact.
    let below_space = chunk.wrapping_sub(EACH_BYTE * 0x20) & !chunk & HIGH_BITS;
    let quote = zero_bytes(chunk ^ (EACH_BYTE * u64::from(b'"')));
    let backslash = zero_bytes(chunk ^ (EACH_BYTE * u64::from(b'\\')));
    below_space | quote | backslash != 0
}

/// Writes the bytes of `range` that need it escaped, with the plain bytes before each.
#[inline]
fn escape_each(out: &mut Vec<u8>, bytes: &[u8], range: std::ops::Range<usize>, unwritten: &mut usize) {
    for at in range {
        let b = bytes[at];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0x00..=0x1F => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[*unwritten..at]);
        *unwritten = at + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
        } else {
            out.extend_from_slice(escape);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_as_serde_json_does() {
        for text in [
            "",
            "plain",
            "a \"quoted\" \\ path\n\tand\r\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "Привет, мир!",
            "12345678\"",
            "1234567\"8",
        ] {
            assert_eq!(written(text), serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_same_bytes_as_serde_json(text in "(\\PC|[\\x00-\\x1f\"\\\\]|Щ|é){0,40}") {
            proptest::prop_assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
