//! Language identification for classification (stopwords) and for the record's `lang`.
//!
//! whatlang covers some seventy languages but not Kazakh, which it reports as Russian or another
//! Cyrillic language. Kazakh is recognised first by its own letters (ә ғ қ ң ө ұ ү һ і), which
//! Russian never uses: a page where they are a steady share of the Cyrillic letters is Kazakh.

/// How much text detection looks at: a couple of paragraphs decide a language as well as a book.
const SAMPLE_BYTES: usize = 1024;

/// The language of a page from its lines, preferring long lines (the likeliest to be prose)
/// and reading at most a sample of them.
pub fn detect_lines<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> Option<&'static str> {
    let mut sample = String::with_capacity(SAMPLE_BYTES + 256);
    for min_len in [120, 40, 1] {
        for line in lines.clone().filter(|l| l.len() >= min_len) {
            if sample.len() >= SAMPLE_BYTES {
                break;
            }
            if !sample.contains(line) {
                sample.push_str(line);
                sample.push('\n');
            }
        }
    }
    detect(&sample)
}

/// ISO 639-1 code of the dominant language of `text`, or `None` when there is too little text.
pub fn detect(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut cyrillic = 0usize;
    let mut kazakh = 0usize;
    let mut letters = 0usize;
    for c in text.chars() {
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyrillic += 1;
            if matches!(c.to_lowercase().next(), Some('ә' | 'ғ' | 'қ' | 'ң' | 'ө' | 'ұ' | 'ү' | 'һ' | 'і')) {
                kazakh += 1;
            }
        }
    }
    if letters < 12 {
        return None;
    }
    if cyrillic * 2 > letters {
        // In Kazakh prose these letters are roughly 8-10% of all letters; 2% leaves room for
        // Russian text quoting a Kazakh name.
        if kazakh * 50 > cyrillic {
            return Some("kk");
        }
    }
    let info = whatlang::detect(text)?;
    Some(iso639_1(info.lang()))
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Ukr => "uk",
        Bel => "be",
        Bul => "bg",
        Srp => "sr",
        Mkd => "mk",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Ron => "ro",
        Hun => "hu",
        Fin => "fi",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Est => "et",
        Lav => "lv",
        Lit => "lt",
        Tur => "tr",
        Aze => "az",
        Uzb => "uz",
        Tuk => "tk",
        Kat => "ka",
        Hye => "hy",
        Ell => "el",
        Heb => "he",
        Ara => "ar",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Mar => "mr",
        Tam => "ta",
        Tel => "te",
        Kan => "kn",
        Mal => "ml",
        Guj => "gu",
        Pan => "pa",
        Ori => "or",
        Sin => "si",
        Nep => "ne",
        Tha => "th",
        Vie => "vi",
        Ind => "id",
        Jav => "jv",
        Tgl => "tl",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Khm => "km",
        Mya => "my",
        Amh => "am",
        Afr => "af",
        Zul => "zu",
        Yid => "yi",
        Epo => "eo",
        Lat => "la",
        Cat => "ca",
        Aka => "ak",
        Sna => "sn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_russian_kazakh() {
        assert_eq!(
            detect("The delegation will hold a number of meetings and negotiations for cooperation."),
            Some("en")
        );
        assert_eq!(
            detect("Делегации обсудили ряд вопросов и отметили взаимную заинтересованность в совместной работе."),
            Some("ru")
        );
        assert_eq!(
            detect("Қазақстан мен Ресей Байқоңыр кешеніндегі ынтымақтастықты талқылады және келісімге қол қойды."),
            Some("kk")
        );
    }

    #[test]
    fn too_little_text_is_unknown() {
        assert_eq!(detect("Hi"), None);
        assert_eq!(detect("12345 ..."), None);
    }
}
