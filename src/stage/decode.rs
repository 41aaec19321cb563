//! Decode: bytes on disk to a Rust `String`, naming the encoding.
//!
//! Order matters for speed and for correctness: a byte-order mark is the strongest evidence, so
//! it wins; valid UTF-8 is by far the most common case and costs one validation pass, so it
//! comes next and never pays for detection; only what is neither goes to chardetng. Files that
//! are not text at all (images, archives, PDFs) are refused here with a reason, so later stages
//! never see them.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1251};

pub use crate::document::DecidedBy;
pub use crate::error::DecodeError;

mod html_charset;
mod kazakh;

pub use kazakh::{SingleByte, KZ_1048, PT154};

/// An encoding to decode with: one of encoding_rs's (the WHATWG set) or a Kazakh single-byte
/// one it lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Whatwg(&'static Encoding),
    Kazakh(&'static SingleByte),
}

impl Charset {
    /// The encoding a label names: a WHATWG label (`windows-1251`, `koi8-r`, `utf-16le`...) or
    /// a Kazakh one (`kz-1048`, `rk1048`, `strk1048-2002`, `pt154`).
    pub fn for_label(label: &str) -> Option<Charset> {
        Encoding::for_label(label.trim().as_bytes())
            .map(Charset::Whatwg)
            .or_else(|| SingleByte::for_label(label).map(Charset::Kazakh))
    }

    pub fn name(self) -> &'static str {
        match self {
            Charset::Whatwg(encoding) => encoding.name(),
            Charset::Kazakh(encoding) => encoding.name(),
        }
    }
}

/// The text of a page and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// WHATWG label (`UTF-8`, `windows-1251`, `KOI8-R`, `UTF-16LE`, ...).
    pub encoding: &'static str,
    /// What said the encoding is `encoding`.
    pub decided_by: DecidedBy,
    /// U+FFFD characters that decoding had to insert for malformed sequences.
    pub replacements: usize,
}

/// How much of the start of a file is inspected for binary signatures.
const SNIFF_LEN: usize = 8192;

/// Decode `bytes`, detecting the encoding unless `forced` names one.
pub fn decode(bytes: &[u8], forced: Option<Charset>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    // An image stays an image whatever encoding the user names for the text files.
    if let Some(kind) = binary_signature(bytes) {
        return Err(DecodeError::Binary(kind));
    }
    match forced {
        Some(Charset::Whatwg(encoding)) => return Ok(decode_with(bytes, encoding, DecidedBy::Forced)),
        Some(Charset::Kazakh(encoding)) => return Ok(decode_kazakh(bytes, encoding, DecidedBy::Forced)),
        None => {}
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(&bytes[bom_len..], encoding, DecidedBy::Bom));
    }
    // Most pages are UTF-8; std's validation walks non-ASCII text a byte at a time, simdutf8
    // takes 32 bytes a step.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        // memchr's vector search: `str::contains` reads a word at a time.
        if memchr::memchr(0, bytes).is_none() {
            return Ok(Decoded {
                text: text.to_string(),
                encoding: UTF_8.name(),
                decided_by: DecidedBy::Utf8,
                replacements: 0,
            });
        }
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Ok(decode_with(bytes, encoding, DecidedBy::Detected));
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(SNIFF_LEN)]).is_some() {
        return Err(DecodeError::Binary("NUL bytes"));
    }
    if is_mostly_utf8(bytes) {
        return Ok(decode_with(bytes, UTF_8, DecidedBy::Utf8));
    }
    let mut detector = chardetng::EncodingDetector::new();
    let sample = detection_sample(bytes);
    detector.feed(sample, true);
    let encoding = koi8_r_if_no_ukrainian(detector.guess(None, true), bytes);
    if encoding == WINDOWS_1251 {
        if let Some(kazakh) = kazakh::kazakh_instead_of_windows_1251(sample) {
            return Ok(decode_kazakh(bytes, kazakh, DecidedBy::Detected));
        }
    }
    Ok(decode_with(bytes, encoding, DecidedBy::Detected))
}

/// `decode` for an HTML page, which may declare its encoding as browsers read it: after a BOM
/// (and a forced encoding), a `<meta charset>` or `http-equiv` declaration in its first 1,024
/// bytes decides, before detection. A declaration of a legacy encoding on a page whose bytes
/// are UTF-8 with non-ASCII text in them is taken for what it is, a page saved again as UTF-8
/// that kept its old `<meta>`: a browser would show mojibake; the text is UTF-8.
pub fn decode_html(bytes: &[u8], forced: Option<Charset>) -> Result<Decoded, DecodeError> {
    if forced.is_some() || bytes.is_empty() || binary_signature(bytes).is_some() || Encoding::for_bom(bytes).is_some() {
        return decode(bytes, forced);
    }
    let Some(declared) = html_charset::declared(&bytes[..bytes.len().min(html_charset::PRESCAN_LEN)]) else {
        return decode(bytes, None);
    };
    let decoded = decode(bytes, None)?;
    let saved_again_as_utf8 = decoded.encoding == UTF_8.name() && !bytes.is_ascii();
    let detected = Encoding::for_label(decoded.encoding.as_bytes());
    // KZ-1048 and PT154 are what Kazakh pages declared as windows-1251 really use.
    let kazakh_refinement = declared == WINDOWS_1251 && detected.is_none();
    if detected == Some(declared) {
        return Ok(Decoded { decided_by: DecidedBy::Meta, ..decoded });
    }
    if saved_again_as_utf8 || kazakh_refinement {
        return Ok(decoded);
    }
    if declared == UTF_8 && decoded.decided_by == DecidedBy::Detected {
        // Declared UTF-8 but far from it: the declaration is wrong, detection stands.
        return Ok(decoded);
    }
    Ok(decode_with(bytes, declared, DecidedBy::Meta))
}

fn decode_kazakh(bytes: &[u8], encoding: &'static SingleByte, decided_by: DecidedBy) -> Decoded {
    let (text, replacements) = encoding.decode(bytes);
    Decoded { text, encoding: encoding.name(), decided_by, replacements }
}

/// Whether bytes that are not valid UTF-8 are UTF-8 but for a few bad sequences (a page cut in
/// the middle of a character, a stray byte): then each bad sequence becomes one U+FFFD, counted
/// in `replacements`, where a legacy encoding would turn every other non-ASCII character into
/// mojibake ("people’s" into "peopleâ€™s"). A page in a legacy encoding has hardly any valid
/// multi-byte sequences, and one in windows-1251 or KOI8-R a bad one at nearly every letter: the
/// valid sequences must be at least as many as the bad ones.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    // Enough sequences to tell: a legacy page shows hundreds of bad ones within its first lines,
    // and reading on to its end would cost a pass over every page in a legacy encoding.
    const ENOUGH: usize = 256;
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
        if multibyte + invalid >= ENOUGH {
            break;
        }
    }
    invalid > 0 && multibyte >= invalid
}

/// What chardetng reads: the start of the page, when it has enough non-ASCII bytes to decide.
/// The detector weighs dozens of candidate encodings at every byte, so reading a whole long page
/// costs more than all the other stages together, and a few hundred letters decide as well (the
/// encoding tests check the sample against the legacy encodings of the Russian seeds).
fn detection_sample(bytes: &[u8]) -> &[u8] {
    const SAMPLE: usize = 512;
    const ENOUGH_NON_ASCII: usize = 192;
    if bytes.len() <= SAMPLE {
        return bytes;
    }
    // End after an ASCII byte, so no multi-byte character is cut in two.
    let end = bytes[..SAMPLE].iter().rposition(u8::is_ascii).map_or(SAMPLE, |i| i + 1);
    let sample = &bytes[..end];
    if sample.iter().filter(|b| !b.is_ascii()).count() >= ENOUGH_NON_ASCII {
        sample
    } else {
        bytes
    }
}

/// chardetng answers KOI8-U for all KOI8 text. KOI8-U only differs from KOI8-R in eight byte
/// values (Ukrainian letters there, box drawing in KOI8-R); when none occurs, both decode alike
/// and KOI8-R, the encoding Russian sites actually use, is the honest name.
fn koi8_r_if_no_ukrainian(guess: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    const UKRAINIAN_ONLY: [u8; 8] = [0xA4, 0xA6, 0xA7, 0xAD, 0xB4, 0xB6, 0xB7, 0xBD];
    if guess == encoding_rs::KOI8_U && !bytes.iter().any(|b| UKRAINIAN_ONLY.contains(b)) {
        encoding_rs::KOI8_R
    } else {
        guess
    }
}

fn decode_with(bytes: &[u8], encoding: &'static Encoding, decided_by: DecidedBy) -> Decoded {
    // `decode_without_bom_handling` keeps a forced encoding honest: the caller said what the
    // bytes are, so a stray BOM-like prefix is data, not a switch to another encoding.
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let replacements = text.chars().filter(|&c| c == '\u{FFFD}').count();
    Decoded { text: text.into_owned(), encoding: encoding.name(), decided_by, replacements }
}

/// Well-known signatures of binary formats people find in scraped folders.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1F\x8B", "gzip data"),
        (b"\x28\xB5\x2F\xFD", "zstd data"),
        (b"BZh", "bzip2 data"),
        (b"\xFD7zXZ\x00", "xz data"),
        (b"7z\xBC\xAF\x27\x1C", "7z archive"),
        (b"\x7FELF", "ELF executable"),
        (b"RIFF", "RIFF media"),
        (b"OggS", "Ogg media"),
        (b"wOFF", "web font"),
        (b"wOF2", "web font"),
    ];
    SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|&(_, kind)| kind)
}

/// UTF-16 saved without a BOM, told by the byte pattern of its two halves: the high bytes of a
/// text's code units come from the few Unicode blocks of its script (0x00 and 0x04 for Russian,
/// some 80 values for Chinese), where its low bytes take most values, and where both halves of
/// text in any 8-bit encoding vary alike. The half with far fewer distinct bytes is the high one;
/// and the text it decodes to must be nearly free of control characters, which a binary file with
/// a regular pattern of small numbers decodes to.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    if sample.len() < 8 {
        return None;
    }
    let distinct = |half: &mut dyn Iterator<Item = &u8>| {
        let mut seen = [false; 256];
        half.for_each(|&b| seen[usize::from(b)] = true);
        seen.iter().filter(|&&s| s).count()
    };
    let even = distinct(&mut sample.iter().step_by(2));
    let odd = distinct(&mut sample.iter().skip(1).step_by(2));
    // A short sample's halves can differ by chance: it must have the high bytes of one script.
    let clear = |high: usize, low: usize| high * 2 < low && (sample.len() >= 64 || high <= 2);
    let encoding = if clear(odd, even) {
        UTF_16LE
    } else if clear(even, odd) {
        UTF_16BE
    } else {
        return None;
    };
    let (text, _) = encoding.decode_without_bom_handling(sample);
    let chars = text.chars().count();
    let controls = text.chars().filter(|&c| (c.is_control() && !c.is_whitespace()) || c == '\u{FFFD}').count();
    let letters = text.chars().filter(|&c| c.is_alphanumeric() || c.is_whitespace()).count();
    (controls * 50 <= chars && letters * 10 >= chars * 6).then_some(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_but_for_a_truncated_character_stays_utf8_with_a_replacement() {
        let mut page = "The people’s council met on Monday. The mayor said the caf".as_bytes().to_vec();
        page.push(0xC3); // the first half of "é"
        let decoded = decode(&page, None).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.replacements, 1);
        assert!(decoded.text.starts_with("The people’s council"), "{}", decoded.text);
        // A stray byte in the middle of Russian UTF-8 text.
        let mut russian = RUSSIAN.as_bytes().to_vec();
        russian.insert(40, 0xFF);
        let decoded = decode(&russian, None).unwrap();
        assert_eq!((decoded.encoding, decoded.replacements), ("UTF-8", 1));
    }

    #[test]
    fn a_legacy_page_with_few_accents_is_still_legacy() {
        // windows-1252 "café" and "naïve": no valid UTF-8 sequence at all.
        let page = b"We met at the caf\xE9 on the corner, a na\xEFve plan, said the mayor of the city.";
        let decoded = decode(page, None).unwrap();
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("café") && decoded.text.contains("naïve"), "{}", decoded.text);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
        assert_eq!(decode(&cp1251, None).unwrap().encoding, "windows-1251");
    }

    #[test]
    fn an_html_page_is_decoded_as_its_meta_declares_unless_its_bytes_say_otherwise() {
        let page = |charset: &str, body: &str, encoding: &'static Encoding| {
            let html = format!("<html><head><meta charset={charset}></head><body><p>{body}</p>");
            encoding.encode(&html).0.into_owned()
        };
        let koi8 = decode_html(&page("koi8-r", RUSSIAN, encoding_rs::KOI8_R), None).unwrap();
        assert_eq!((koi8.encoding, koi8.decided_by), ("KOI8-R", DecidedBy::Meta));
        assert!(koi8.text.contains(RUSSIAN));
        // A page saved again as UTF-8 that kept its old declaration is UTF-8.
        let resaved = decode_html(&page("windows-1251", RUSSIAN, UTF_8), None).unwrap();
        assert_eq!((resaved.encoding, resaved.decided_by), ("UTF-8", DecidedBy::Utf8));
        // A declaration of UTF-8 on a legacy page is wrong: detection stands.
        let wrong = decode_html(&page("utf-8", RUSSIAN, WINDOWS_1251), None).unwrap();
        assert_eq!((wrong.encoding, wrong.decided_by), ("windows-1251", DecidedBy::Detected));
        // ASCII declared as windows-1252: the declaration names it.
        let ascii = decode_html(&page("latin1", "plain", UTF_8), None).unwrap();
        assert_eq!((ascii.encoding, ascii.decided_by), ("windows-1252", DecidedBy::Meta));
        let bom = decode_html(&[b"\xEF\xBB\xBF".as_slice(), &page("koi8-r", "x", UTF_8)].concat(), None).unwrap();
        assert_eq!(bom.decided_by, DecidedBy::Bom);
        let forced = decode_html(&page("koi8-r", "x", UTF_8), Some(Charset::Whatwg(WINDOWS_1251))).unwrap();
        assert_eq!((forced.encoding, forced.decided_by), ("windows-1251", DecidedBy::Forced));
    }

    #[test]
    fn a_forced_encoding_does_not_make_an_image_text() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(decode(png, Some(Charset::Whatwg(WINDOWS_1251))), Err(DecodeError::Binary("PNG image")));
    }

    const RUSSIAN: &str = "Глава Казкосмоса встретился с руководителями космической \
                           промышленности Китая. Стороны отметили взаимную заинтересованность.";

    #[test]
    fn utf8_fast_path() {
        let d = decode("Hello, мир".as_bytes(), None).unwrap();
        assert_eq!(d.text, "Hello, мир");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replacements, 0);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBFabc", None).unwrap();
        assert_eq!(d.text, "abc");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(RUSSIAN.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, RUSSIAN);
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn utf16_without_bom_in_russian_and_chinese() {
        // A page's worth of ideographs from all over the common block, with punctuation.
        let chinese: String = (0..1500u32)
            .map(|i| match i % 40 {
                39 => '。',
                n if n % 12 == 11 => '，',
                _ => char::from_u32(0x4E00 + (i * 7919) % 20902).unwrap(),
            })
            .collect();
        for text in [RUSSIAN, chinese.as_str()] {
            for (encoding, bytes) in [
                ("UTF-16LE", text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()),
                ("UTF-16BE", text.encode_utf16().flat_map(u16::to_be_bytes).collect()),
            ] {
                let decoded = decode(&bytes, None).unwrap_or_else(|e| panic!("{encoding} {text:.20}: {e}"));
                assert_eq!((decoded.encoding, decoded.text.as_str()), (encoding, text));
            }
        }
        // Legacy text and a table of small numbers are no UTF-16.
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(RUSSIAN);
        assert_eq!(decode(&cp1251, None).unwrap().encoding, "windows-1251");
        let numbers: Vec<u8> = (0..400u32).flat_map(|n| (n % 7).to_le_bytes()).collect();
        assert!(matches!(decode(&numbers, None), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn utf16be_without_bom() {
        let bytes: Vec<u8> = "Plain English text here".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, "Plain English text here");
        assert_eq!(d.encoding, "UTF-16BE");
    }

    #[test]
    fn windows_1251_and_koi8_r_are_detected() {
        for encoding in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R] {
            let (bytes, _, _) = encoding.encode(RUSSIAN);
            let d = decode(&bytes, None).unwrap();
            assert_eq!(d.encoding, encoding.name());
            assert_eq!(d.text, RUSSIAN);
        }
    }

    #[test]
    fn forced_encoding_wins() {
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(RUSSIAN);
        let d = decode(&bytes, Some(Charset::Whatwg(encoding_rs::KOI8_R))).unwrap();
        assert_eq!(d.text, RUSSIAN);
        assert_eq!(d.encoding, "KOI8-R");
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b"\x89PNG\r\n\x1a\nrest", None), Err(DecodeError::Binary("PNG image")));
        assert_eq!(decode(b"%PDF-1.7 ...", None), Err(DecodeError::Binary("PDF document")));
        assert_eq!(decode(b"ab\x00\x01\x02\x00\x00\x00\xff\x00", None), Err(DecodeError::Binary("NUL bytes")));
    }

    #[test]
    fn malformed_utf8_counts_replacements() {
        // Mostly ASCII with one stray byte: detection settles on a single-byte encoding or
        // UTF-8 with a replacement; either way nothing panics and the text survives.
        let d = decode(b"caf\xC3 au lait", None).unwrap();
        assert!(d.text.starts_with("caf"));
        assert!(d.text.ends_with(" au lait"));
    }
}
