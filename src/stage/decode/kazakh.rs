//! The Kazakh single-byte encodings encoding_rs lacks: KZ-1048 (RK1048, the Kazakh state
//! standard STRK1048-2002: windows-1251 with Kazakh letters where it has Serbian and Macedonian
//! ones) and PT154 (ParaType's Cyrillic-Asian). Old Kazakh sites serve pages in them, and read
//! as windows-1251 their Қ becomes Ќ and ғ becomes є.
//!
//! The tables below are the upper halves (bytes 0x80-0xFF; the lower half is ASCII) printed by
//! `scripts/gen-kazakh-tables.py` from Python's standard `kz1048` and `ptcp154` codecs;
//! tests/encodings.rs compares them with the codecs again.

use std::sync::OnceLock;

/// A single-byte encoding that is ASCII below 0x80.
pub struct SingleByte {
    name: &'static str,
    labels: &'static [&'static str],
    high: &'static [u16; 128],
}

impl std::fmt::Debug for SingleByte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for SingleByte {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for SingleByte {}

pub static KZ_1048: SingleByte =
    SingleByte { name: "KZ-1048", labels: &["kz-1048", "kz1048", "rk1048", "strk1048-2002"], high: &KZ_1048_HIGH };

pub static PT154: SingleByte =
    SingleByte { name: "PT154", labels: &["pt154", "ptcp154", "pt-154", "cp154", "csptcp154"], high: &PT154_HIGH };

impl SingleByte {
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The Kazakh encoding a label names (any case, surrounding blanks ignored).
    pub fn for_label(label: &str) -> Option<&'static SingleByte> {
        let label = label.trim().to_ascii_lowercase();
        [&KZ_1048, &PT154].into_iter().find(|encoding| encoding.labels.contains(&label.as_str()))
    }

    /// The text of `bytes`, and how many of them the encoding leaves undefined (each one a
    /// U+FFFD in the text).
    pub fn decode(&self, bytes: &[u8]) -> (String, usize) {
        let mut text = String::with_capacity(bytes.len() * 2);
        let mut replacements = 0;
        for &byte in bytes {
            let c = self.char_of(byte);
            replacements += usize::from(c == char::REPLACEMENT_CHARACTER);
            text.push(c);
        }
        (text, replacements)
    }

    fn char_of(&self, byte: u8) -> char {
        if byte < 0x80 {
            char::from(byte)
        } else {
            char::from_u32(u32::from(self.high[usize::from(byte - 0x80)])).unwrap_or(char::REPLACEMENT_CHARACTER)
        }
    }
}

/// The Kazakh encoding that a page detected as windows-1251 is really in, if its bytes say so.
///
/// All three share their letters from 0xC0 up (А to я) and differ below, where windows-1251 has
/// Ukrainian, Belarusian, Serbian and Macedonian letters and the other two Kazakh ones in other
/// places. Each reading scores the bytes from 0x80 to 0xBF that sit beside one of the shared
/// letters, that is inside a word: a letter of Kazakh, Russian or Ukrainian counts for it, any
/// other letter against it. A Kazakh reading must win clearly and find Kazakh letters: Russian
/// and Ukrainian text reads alike or better as windows-1251, and the tie goes to windows-1251.
pub fn kazakh_instead_of_windows_1251(bytes: &[u8]) -> Option<&'static SingleByte> {
    const MARGIN: i64 = 3;
    let windows_1251 = score(bytes, windows_1251_char);
    [&KZ_1048, &PT154]
        .into_iter()
        .map(|encoding| (encoding, score(bytes, |b| encoding.char_of(b))))
        .filter(|&(_, score)| score >= windows_1251 + MARGIN)
        .max_by_key(|&(_, score)| score)
        .map(|(encoding, _)| encoding)
}

fn score(bytes: &[u8], char_of: impl Fn(u8) -> char) -> i64 {
    let is_shared_letter = |i: usize| bytes.get(i).is_some_and(|&b| b >= 0xC0);
    let mut score = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !(0x80..0xC0).contains(&byte) || !(is_shared_letter(i + 1) || i > 0 && is_shared_letter(i - 1)) {
            continue;
        }
        let c = char_of(byte);
        if is_expected_letter(c) {
            score += 1;
        } else if c.is_alphabetic() {
            score -= 1;
        }
    }
    score
}

/// The letters beyond А-я that Kazakh, Russian and Ukrainian text has.
fn is_expected_letter(c: char) -> bool {
    "ӘәҒғҚқҢңӨөҰұҮүҺһІіЁёЇїЄєҐґ".contains(c)
}

fn windows_1251_char(byte: u8) -> char {
    static HIGH: OnceLock<Vec<char>> = OnceLock::new();
    let high = HIGH.get_or_init(|| {
        let bytes: Vec<u8> = (0x80..=0xFF).collect();
        let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&bytes);
        text.chars().collect()
    });
    if byte < 0x80 {
        char::from(byte)
    } else {
        high[usize::from(byte - 0x80)]
    }
}

const KZ_1048_HIGH: [u16; 128] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x049A,
    0x04BA, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A,
    0x045A, 0x049B, 0x04BB, 0x045F, 0x00A0, 0x04B0, 0x04B1, 0x04D8, 0x00A4, 0x04E8, 0x00A6, 0x00A7, 0x0401, 0x00A9,
    0x0492, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x04AE, 0x00B0, 0x00B1, 0x0406, 0x0456, 0x04E9, 0x00B5, 0x00B6, 0x00B7,
    0x0451, 0x2116, 0x0493, 0x00BB, 0x04D9, 0x04A2, 0x04A3, 0x04AF, 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415,
    0x0416, 0x0417, 0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x0420, 0x0421, 0x0422, 0x0423,
    0x0424, 0x0425, 0x0426, 0x0427, 0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F, 0x0430, 0x0431,
    0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447, 0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D,
    0x044E, 0x044F,
];
const PT154_HIGH: [u16; 128] = [
    0x0496, 0x0492, 0x04EE, 0x0493, 0x201E, 0x2026, 0x04B6, 0x04AE, 0x04B2, 0x04AF, 0x04A0, 0x04E2, 0x04A2, 0x049A,
    0x04BA, 0x04B8, 0x0497, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x04B3, 0x04B7, 0x04A1, 0x04E3,
    0x04A3, 0x049B, 0x04BB, 0x04B9, 0x00A0, 0x040E, 0x045E, 0x0408, 0x04E8, 0x0498, 0x04B0, 0x00A7, 0x0401, 0x00A9,
    0x04D8, 0x00AB, 0x00AC, 0x04EF, 0x00AE, 0x049C, 0x00B0, 0x04B1, 0x0406, 0x0456, 0x0499, 0x04E9, 0x00B6, 0x00B7,
    0x0451, 0x2116, 0x04D9, 0x00BB, 0x0458, 0x04AA, 0x04AB, 0x049D, 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415,
    0x0416, 0x0417, 0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x0420, 0x0421, 0x0422, 0x0423,
    0x0424, 0x0425, 0x0426, 0x0427, 0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F, 0x0430, 0x0431,
    0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447, 0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D,
    0x044E, 0x044F,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A Kazakh news paragraph.
    const KAZAKH: &str = "Қазақстан Республикасының Президенті бүгін Ақордада Үкімет мүшелерімен кеңес өткізді. \
        Кеңесте елдің әлеуметтік-экономикалық дамуының негізгі бағыттары, өңірлердегі инфрақұрылымды жаңғырту және \
        шағын кәсіпкерлікті қолдау мәселелері қаралды. Мемлекет басшысы азық-түлік қауіпсіздігіне ерекше назар \
        аударуды тапсырды.";

    fn encode(text: &str, encoding: &SingleByte) -> Vec<u8> {
        text.chars()
            .map(|c| match u8::try_from(c) {
                Ok(b) if b < 0x80 => b,
                _ => encoding.high.iter().position(|&p| u32::from(p) == u32::from(c)).map(|i| 0x80 + i as u8).unwrap(),
            })
            .collect()
    }

    #[test]
    fn kazakh_letters_decode_in_both_encodings() {
        for encoding in [&KZ_1048, &PT154] {
            let bytes = encode(KAZAKH, encoding);
            assert_eq!(encoding.decode(&bytes), (KAZAKH.to_string(), 0), "{encoding:?}");
        }
        assert_eq!(KZ_1048.decode(&[0x8D, 0xBA, 0x98]), ("Қғ\u{FFFD}".to_string(), 1));
        assert_eq!(PT154.decode(&[0x8D, 0x83]).0, "Қғ");
    }

    #[test]
    fn a_kazakh_page_is_decoded_in_its_own_encoding() {
        for encoding in [&KZ_1048, &PT154] {
            let page = format!("{KAZAKH}\n\n{KAZAKH}\n");
            let decoded = crate::stage::decode::decode(&encode(&page, encoding), None).unwrap();
            assert_eq!(
                (decoded.text.as_str(), decoded.encoding, decoded.replacements),
                (page.as_str(), encoding.name(), 0)
            );
        }
        let forced = Some(crate::stage::decode::Charset::Kazakh(&PT154));
        let decoded = crate::stage::decode::decode(&encode(KAZAKH, &PT154), forced).unwrap();
        assert_eq!(decoded.text, KAZAKH);
    }

    #[test]
    fn labels_name_the_encodings() {
        for label in ["kz-1048", "RK1048", " strk1048-2002 ", "KZ1048"] {
            assert_eq!(SingleByte::for_label(label), Some(&KZ_1048), "{label}");
        }
        assert_eq!(SingleByte::for_label("pt154"), Some(&PT154));
        assert_eq!(SingleByte::for_label("PTCP154"), Some(&PT154));
        assert_eq!(SingleByte::for_label("windows-1251"), None);
    }

    #[test]
    fn a_kazakh_page_is_told_from_windows_1251_and_a_russian_or_ukrainian_one_is_not() {
        assert_eq!(kazakh_instead_of_windows_1251(&encode(KAZAKH, &KZ_1048)), Some(&KZ_1048));
        assert_eq!(kazakh_instead_of_windows_1251(&encode(KAZAKH, &PT154)), Some(&PT154));
        for text in [
            "Президент провёл совещание с членами правительства. Ёлка ± 5 °C, «цитата» — № 7…",
            "Україна отримала нову партію обладнання. Їжак і ґудзик є в кожній пісні, її ґанок.",
        ] {
            let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
            assert_eq!(kazakh_instead_of_windows_1251(&bytes), None, "{text}");
        }
    }
}
