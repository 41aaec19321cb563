//! The encoding an HTML page declares in its first bytes, found as the WHATWG "prescan a byte
//! stream" does: a `<meta charset=...>`, or a `<meta http-equiv="content-type"
//! content="...; charset=...">`, outside comments, its label looked up as browsers look it up.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How much of a page browsers read for a declaration.
pub const PRESCAN_LEN: usize = 1024;

/// The encoding the first `<meta>` declaring one names, if its label is known.
pub fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &head[at..]) {
        at += offset;
        let rest = &head[at..];
        if rest.starts_with(b"<!--") {
            // An unclosed comment hides the rest of the prescan.
            at += 4 + memchr::memmem::find(&rest[4..], b"-->")? + 3;
            continue;
        }
        let is_meta = rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && matches!(rest[5], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/');
        if !is_meta {
            at += 1;
            continue;
        }
        let (attributes, end) = attributes(&rest[5..]);
        if let Some(encoding) = meta_encoding(&attributes) {
            return Some(encoding);
        }
        at += 5 + end;
    }
    None
}

/// The encoding one `<meta>`'s attributes declare.
fn meta_encoding(attributes: &[Attribute]) -> Option<&'static Encoding> {
    let value = |name: &[u8]| attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice());
    let label = match (value(b"charset"), value(b"http-equiv"), value(b"content")) {
        (Some(charset), _, _) => charset,
        (None, Some(equiv), Some(content)) if equiv.eq_ignore_ascii_case(b"content-type") => charset_in(content)?,
        _ => return None,
    };
    let encoding = Encoding::for_label(label)?;
    // As browsers do: a page read as ASCII bytes cannot be UTF-16, and x-user-defined is 1252.
    Some(match encoding.name() {
        "UTF-16LE" | "UTF-16BE" => UTF_8,
        "x-user-defined" => WINDOWS_1252,
        _ => encoding.output_encoding(),
    })
}

/// The label after `charset=` in a content type (`text/html; charset="koi8-r"`).
fn charset_in(content: &[u8]) -> Option<&[u8]> {
    let lower = content.to_ascii_lowercase();
    let start = memchr::memmem::find(&lower, b"charset")? + 7;
    let rest = content[start..].trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let (quote, rest) = match rest.first() {
        Some(&q @ (b'"' | b'\'')) => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let end = match quote {
        Some(q) => memchr::memchr(q, rest)?,
        None => rest.iter().position(|&b| b == b';' || b.is_ascii_whitespace()).unwrap_or(rest.len()),
    };
    Some(&rest[..end]).filter(|label| !label.is_empty())
}

/// A tag's attribute: its name, lower-cased, and its value.
type Attribute = (Vec<u8>, Vec<u8>);

/// The attributes of a tag, read up to its `>`, and where that ends.
fn attributes(tag: &[u8]) -> (Vec<Attribute>, usize) {
    let mut found = Vec::new();
    let mut at = 0;
    let skip = |at: &mut usize, pred: &dyn Fn(u8) -> bool| {
        while *at < tag.len() && pred(tag[*at]) {
            *at += 1;
        }
    };
    loop {
        skip(&mut at, &|b| b.is_ascii_whitespace() || b == b'/');
        if at >= tag.len() || tag[at] == b'>' {
            return (found, at);
        }
        // A name's first byte may be anything, `=` too, as the prescan has it.
        let start = at;
        at += 1;
        skip(&mut at, &|b| !(b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/')));
        let name = tag[start..at].to_ascii_lowercase();
        skip(&mut at, &|b| b.is_ascii_whitespace());
        let mut value = Vec::new();
        if tag.get(at) == Some(&b'=') {
            at += 1;
            skip(&mut at, &|b| b.is_ascii_whitespace());
            match tag.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(quote, &tag[at + 1..]).map_or(tag.len(), |e| at + 1 + e);
                    value = tag[at + 1..end].to_vec();
                    at = (end + 1).min(tag.len());
                }
                _ => {
                    let start = at;
                    skip(&mut at, &|b| !(b.is_ascii_whitespace() || b == b'>'));
                    value = tag[start..at].to_vec();
                }
            }
        }
        if !found.iter().any(|(n, _)| *n == name) {
            found.push((name, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(head: &str) -> Option<&'static str> {
        declared(head.as_bytes()).map(Encoding::name)
    }

    #[test]
    fn a_meta_charset_or_http_equiv_declares_the_encoding() {
        assert_eq!(label("<!doctype html><html><head><meta charset=windows-1251>"), Some("windows-1251"));
        assert_eq!(label("<META CHARSET='KOI8-R'/>"), Some("KOI8-R"));
        assert_eq!(label("<meta name=viewport content=\"width=device-width\"><meta charset=\"utf-8\">"), Some("UTF-8"));
        assert_eq!(
            label("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=cp1251\">"),
            Some("windows-1251")
        );
        assert_eq!(
            label("<meta content='text/html;charset = \"latin1\"' http-equiv=content-type>"),
            Some("windows-1252")
        );
    }

    #[test]
    fn what_browsers_ignore_is_ignored() {
        assert_eq!(label("<!-- <meta charset=koi8-r> --><meta charset=windows-1251>"), Some("windows-1251"));
        assert_eq!(label("<!-- <meta charset=koi8-r>"), None);
        assert_eq!(label("<meta content='text/html; charset=koi8-r'>"), None, "no http-equiv");
        assert_eq!(label("<meta charset=no-such-thing><meta charset=koi8-r>"), Some("KOI8-R"));
        assert_eq!(label("<metadata charset=koi8-r>"), None);
        assert_eq!(label("<meta charset=utf-16le>"), Some("UTF-8"));
        assert_eq!(label("<meta charset=x-user-defined>"), Some("windows-1252"));
        assert_eq!(label("<p>no declaration</p>"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_without_a_panic(head in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let _ = declared(&head);
        }

        #[test]
        fn markup_like_bytes_are_read_without_a_panic(head in "(<meta|<!--|-->|charset|=|'|\"|http-equiv|content| |>|/|[a-z0-9-]{1,8}|;){0,30}") {
            let _ = declared(head.as_bytes());
        }
    }
}
