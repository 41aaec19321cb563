//! Language identification for classification (stopwords) and for the record's `lang`.
//!
//! Function words decide first: counting the words of a sample found in each stopword list
//! (`patterns/stopwords/`) is cheap and reliable for the languages we have lists for, and it
//! tells Russian from Bulgarian or Kazakh where letter statistics waver. Only when no list wins
//! clearly does whatlang, which covers some seventy languages, decide. whatlang does not know
//! Kazakh; it is recognised by its own letters (ә ғ қ ң ө ұ ү һ і), which Russian never uses.

use crate::text;
use crate::words::{StopwordIndex, MAX_LANGUAGES};

/// How much text detection looks at: a couple of paragraphs decide a language as well as a book.
const SAMPLE_BYTES: usize = 1024;

/// The language of a page from its lines, preferring long lines (the likeliest to be prose)
/// and reading at most a sample of them.
pub fn detect_lines<'a>(
    lines: impl Iterator<Item = &'a str> + Clone,
    stopwords: &StopwordIndex,
) -> Option<&'static str> {
    detect_sample(&sample_lines(lines), stopwords)
}

/// What `detect_lines` reads: long lines first, each distinct line once, about a kilobyte.
pub fn sample_lines<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> String {
    sample_of(lines).0
}

/// `sample_lines`, and the positions (in `lines`) of the lines it took.
pub fn sample_of<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> (String, Vec<usize>) {
    let mut sample = String::with_capacity(SAMPLE_BYTES + 256);
    let mut taken = Vec::new();
    for min_len in [120, 40, 1] {
        for (index, line) in lines.clone().enumerate().filter(|(_, l)| l.len() >= min_len) {
            if sample.len() >= SAMPLE_BYTES {
                break;
            }
            if !contains(&sample, line) {
                sample.push_str(line);
                sample.push('\n');
                taken.push(index);
            }
        }
    }
    (sample, taken)
}

/// `haystack.contains(needle)`, sooner for a long needle that is not there: most lines are not,
/// and a search for a long needle first spends time on the needle itself.
fn contains(haystack: &str, needle: &str) -> bool {
    const PROBE: usize = 16;
    match needle.as_bytes().get(..PROBE) {
        Some(probe) if memchr::memmem::find(haystack.as_bytes(), probe).is_none() => false,
        _ => haystack.contains(needle),
    }
}

/// The language of a sample made by `sample_lines`.
pub fn detect_sample(sample: &str, stopwords: &StopwordIndex) -> Option<&'static str> {
    by_stopwords(sample, stopwords).or_else(|| detect(sample))
}

/// A line's words and its stopwords in each language of a `StopwordIndex` (by position), as the
/// line walk counted them (`scan::scan_languages`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineWords {
    pub words: usize,
    pub stopwords: [u32; MAX_LANGUAGES],
}

/// `detect_sample` for a sample made by `sample_of`, given the counts of the lines it took, in
/// order, so that its words need not be looked up again. A line without counts (`None`: its
/// words were not split at single spaces, as the walk splits them) sends the sample to
/// `detect_sample`.
pub fn detect_sample_counted<'a>(
    sample: &str,
    taken: impl Iterator<Item = Option<&'a LineWords>>,
    stopwords: &StopwordIndex,
) -> Option<&'static str> {
    let mut hits = vec![0; stopwords.len()];
    let mut words = 0;
    for line in taken {
        let Some(line) = line else { return detect_sample(sample, stopwords) };
        words += line.words;
        hits.iter_mut().zip(&line.stopwords).for_each(|(hit, &count)| *hit += count as usize);
    }
    by_counts(&hits, words, stopwords).or_else(|| detect(sample))
}

/// The language whose function words are clearly the most frequent in `sample`, if any.
fn by_stopwords(sample: &str, index: &StopwordIndex) -> Option<&'static str> {
    let mut hits = vec![0; index.len()];
    let mut words = 0;
    for raw in sample.split_whitespace() {
        let trimmed = raw.trim_matches(|c: char| !text::is_alnum(c));
        if trimmed.is_empty() {
            continue;
        }
        words += 1;
        for_each_language(index.languages_of(text::lower_hash(trimmed)), |bit| hits[bit] += 1);
    }
    by_counts(&hits, words, index)
}

/// Calls `f` with the position of each language in `langs` (bits by `StopwordIndex::position`).
#[inline]
pub fn for_each_language(mut langs: u32, mut f: impl FnMut(usize)) {
    while langs != 0 {
        f(langs.trailing_zeros() as usize);
        langs &= langs - 1;
    }
}

/// `by_stopwords` from the counts.
fn by_counts(hits: &[usize], words: usize, index: &StopwordIndex) -> Option<&'static str> {
    let mut counts: Vec<(&'static str, usize)> = index.langs().zip(hits.iter().copied()).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let (best, hits) = *counts.first()?;
    let runner_up = counts.get(1).map_or(0, |c| c.1);
    // Prose is a quarter or more function words; demand a clear margin over the next language.
    if hits >= 5 && hits * 10 >= words && hits >= 2 * runner_up {
        Some(best)
    } else {
        None
    }
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
        if !text::is_letter(c) {
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
    fn contains_as_the_standard_library_does() {
        let haystack = "the first line of the sample, long enough\nand a second one\n";
        for needle in
            ["", "the", "first line of the sample, long", "first line of the sample, longer", "one\n", "second one"]
        {
            assert_eq!(contains(haystack, needle), haystack.contains(needle), "{needle:?}");
        }
    }

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
    fn every_default_list_tells_its_language_from_one_sentence() {
        let patterns = crate::patterns::PatternsBuilder::defaults().build().unwrap();
        let index = patterns.stopword_index();
        // Every list can name its language: ten hits of twenty words, and none for the others.
        for (lang, _) in patterns.stopword_lists() {
            let hits: Vec<usize> = index.langs().map(|other| if other == lang { 10 } else { 0 }).collect();
            assert_eq!(by_counts(&hits, 20, index), Some(lang));
        }
        for (lang, sentence) in [
            ("en", "The government and its partners agreed on a plan that will strengthen the cooperation with the cities of the region, but not all of them support it."),
            ("nl", "De regering heeft met de partners een plan gemaakt dat de samenwerking met de steden in de regio zal versterken, maar niet alle partijen zijn het er mee eens."),
            ("pl", "Rząd przyjął plan, który ma wzmocnić współpracę z miastami w regionie, ale nie wszystkie strony się z tym zgadzają, jak podają media."),
            ("tr", "Hükümet ve ortaklar bölgedeki şehirlerle iş birliğini güçlendirecek bir plan üzerinde anlaştı, ancak tüm taraflar bu plana göre hareket etmek için daha çok zaman istiyor."),
            ("id", "Pemerintah dan para mitra telah menyepakati rencana yang akan memperkuat kerja sama dengan kota di wilayah itu, namun tidak semua pihak setuju dengan rencana tersebut."),
            // Russian and Ukrainian share many function words: the Ukrainian list holds only its own.
            ("uk", "Уряд і партнери погодили план, який має зміцнити співпрацю з містами регіону, але не всі сторони з ним згодні, і це вже викликало суперечки після засідання."),
            ("ru", "Правительство и партнёры согласовали план, который должен укрепить сотрудничество с городами региона, но не все стороны с этим согласны, и это уже вызвало споры после заседания."),
        ] {
            assert_eq!(by_stopwords(sentence, index), Some(lang), "{sentence}");
        }
    }

    #[test]
    fn too_little_text_is_unknown() {
        assert_eq!(detect("Hi"), None);
        assert_eq!(detect("12345 ..."), None);
    }
}
