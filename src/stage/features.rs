//! Features: what a line looks like, alone and on its page.
//!
//! One walk over each line (`stage::scan`) counts what they need; here the counts become a
//! line's `Features` (length, sentence end, stopword share of the page's language, capitals,
//! URLs, the pattern it matches, repetition on the page, runs of headline-like lines, numbered
//! lists), and `content_score` turns them into the hand-set prose score the line model builds on.
//! The page's language comes out of the same walk.

use rustc_hash::FxHashMap;

use crate::document::Line;
use crate::patterns::Patterns;
use crate::stage::language::{self, LineWords};
pub use crate::stage::scan::Shape;
use crate::stage::scan::{self, LineScan};
use crate::text::phrase_key;
use crate::words::WordSet;

/// What the features say about one non-blank line.
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub words: usize,
    pub chars: usize,
    /// Ends like a sentence: `.`, `!`, `?`, `…`, possibly followed by quotes or brackets.
    pub terminal: bool,
    /// Share of words that are stopwords of the page language (None when no list applies).
    pub stopword_share: Option<f32>,
    /// Share of words that start with a capital letter.
    pub capitalised_share: f32,
    pub has_url: bool,
    /// `|` `>` `/` `•` `»` `›` `·` in the line.
    pub separators: usize,
    /// ASCII digits in the line.
    pub digits: usize,
    /// Occurrences of the same line (compared case-insensitively) in the page.
    pub occurrences: usize,
    pub pattern: Option<&'static str>,
    /// `pattern` is a phrase leading the line before a colon or a dash ("Read also: <headline>"),
    /// not the whole line: an aside inside the article, which opens no footer.
    pub pattern_leads: bool,
    pub shape: Shape,
    /// Part of a run of three or more short lines without sentence punctuation.
    pub in_headline_run: bool,
    /// An item of a numbered list (`1) ...`, `2. ...`, `3) ...` on consecutive items).
    pub in_numbered_list: bool,
    /// Repeated across enough documents of the same site (see `site_stats`) to be boilerplate.
    pub site_repeat: bool,
    /// The part of an HTML page the line is in, when that part is never the article
    /// (`classify::mark_structure`): the rule that removes it.
    pub outside_part: Option<&'static str>,
}

/// How often each line of a page appears across its site (from `learn` statistics).
#[derive(Debug, Clone)]
pub struct SiteRepeats {
    /// Documents of the site containing each line, by line index.
    pub counts: Vec<u32>,
    /// Documents counted for the site.
    pub site_documents: u32,
    /// Lines in at least this many documents are boilerplate...
    pub min_docs: u32,
    /// ...except long sentences, unless they appear in at least this share of the site's pages.
    pub sentence_share: f32,
}

/// The page language and the features of every line (`None` for blank lines).
pub fn page_features(lines: &[Line], patterns: &Patterns) -> (Option<&'static str>, Vec<Option<Features>>) {
    let (language, features) = language_and_features(lines, patterns);
    (language.lang, features)
}

/// The page language, the sample it was detected from, and the features of every line with the
/// stopwords of that language (English when it has no list).
///
/// One walk over each line serves both: it counts the stopwords of every language, which
/// detection sums over the sample's lines and the features take for the page's language. The
/// sample's lines (a kilobyte at most) are walked first, for the language; then each line is
/// walked and turns into features at once, so that no line's walk is kept for later: on a page of
/// a million short lines the walks were most of its memory.
pub(crate) fn language_and_features(lines: &[Line], patterns: &Patterns) -> (PageLanguage, Vec<Option<Features>>) {
    let index = patterns.stopword_index();
    let (sample, taken) = language::sample_of(lines.iter().map(|l| l.text.as_str()));
    let sample_words: Vec<Option<LineWords>> = taken.iter().map(|&i| line_words(&lines[i], index)).collect();
    let lang = language::detect_sample_counted(&sample, sample_words.iter().map(Option::as_ref), index);
    let list = lang.filter(|l| patterns.stopwords(l).is_some()).or_else(|| patterns.stopwords("en").map(|_| "en"));
    let features = match list.map(|l| index.position(l)) {
        // A list past the index's last language: its words are looked up again.
        Some(None) => features(lines, patterns, list.and_then(|l| patterns.stopwords(l))),
        bit => {
            let bit = bit.flatten();
            features_from(lines, scans_for_language(lines, patterns, bit), patterns, bit.is_some())
        }
    };
    (PageLanguage { lang, sample }, features)
}

/// A line's words and stopwords per language, as the line walk counts them: what language
/// detection sums over a sample's lines (`language::detect_sample_counted`). `None` when white
/// space other than single spaces splits its words differently from the walk.
pub(crate) fn line_words(line: &Line, index: &crate::words::StopwordIndex) -> Option<LineWords> {
    if line.is_blank() {
        return Some(LineWords::default());
    }
    let scanned = scan::scan_languages(&line.text, index);
    scanned.single_spaced.then_some(LineWords { words: scanned.words, stopwords: scanned.stopwords_by_language })
}

/// A page's language and what it was told from.
pub(crate) struct PageLanguage {
    pub lang: Option<&'static str>,
    /// The lines read (`language::sample_of`).
    pub sample: String,
}

/// Features of every line; `None` for blank lines.
pub fn features(lines: &[Line], patterns: &Patterns, stopwords: Option<&WordSet>) -> Vec<Option<Features>> {
    let scans =
        lines.iter().map(|line| (!line.is_blank()).then(|| scan::scan(&line.text, stopwords, patterns.vocabulary())));
    features_from(lines, scans, patterns, stopwords.is_some())
}

/// The walk of each line (`None` for blank lines) counting every language's stopwords, with
/// those of the language at `bit` in the index as its stopwords; made as they are taken.
fn scans_for_language<'a>(
    lines: &'a [Line],
    patterns: &'a Patterns,
    bit: Option<usize>,
) -> impl Iterator<Item = Option<LineScan>> + 'a {
    let index = patterns.stopword_index();
    lines.iter().map(move |line| {
        (!line.is_blank()).then(|| {
            let mut scanned = scan::scan_languages(&line.text, index);
            scanned.stopwords = bit.map_or(0, |bit| scanned.stopwords_by_language[bit] as usize);
            scanned
        })
    })
}

/// Features of every line from its scan (`None` for blank lines).
fn features_from(
    lines: &[Line],
    scans: impl Iterator<Item = Option<LineScan>>,
    patterns: &Patterns,
    with_stopwords: bool,
) -> Vec<Option<Features>> {
    // Repetition within the page is counted on hashes of the phrase keys: a key is built only for
    // a line short enough to be a pattern phrase.
    let mut key = String::new();
    let mut out: Vec<Option<Features>> = Vec::with_capacity(lines.len());
    let mut hashes: Vec<Option<u64>> = Vec::with_capacity(lines.len());
    // Each key's count and first line. Sized for every line of an ordinary page at once: grown
    // as the keys came, it was rehashed several times a page. Only a page of thousands of lines
    // grows it, which a page of a million repeated ones need not pay for in memory.
    const ORDINARY_PAGE_LINES: usize = 4096;
    let mut counts: FxHashMap<u64, (usize, usize)> =
        FxHashMap::with_capacity_and_hasher(lines.len().min(ORDINARY_PAGE_LINES), Default::default());
    for (index, (line, scanned)) in lines.iter().zip(scans).enumerate() {
        let Some(scanned) = scanned else {
            out.push(None);
            hashes.push(None);
            continue;
        };
        hashes.push(scanned.key_hash);
        // A line seen before on the page has the features it had then: menus and footers repeat,
        // and their lines are the ones the pattern sets are searched for.
        let mut seen_before = None;
        if let Some(hash) = scanned.key_hash {
            let (count, first) = counts.entry(hash).or_insert((0, index));
            *count += 1;
            if *first != index && lines[*first].text == line.text {
                seen_before = out[*first].clone();
            }
        }
        if seen_before.is_some() {
            out.push(seen_before);
            continue;
        }
        patterns.short_phrase_key(&line.text, scanned.key_span.clone(), scanned.key_hash, &mut key);
        out.push(Some(scanned_features(&line.text, &scanned, &key, patterns, with_stopwords)));
    }
    for (f, hash) in out.iter_mut().zip(&hashes) {
        if let Some(f) = f {
            f.occurrences = hash.and_then(|h| counts.get(&h).map(|&(count, _)| count)).unwrap_or(1);
        }
    }
    mark_numbered_lists(lines, &mut out);
    mark_headline_runs(&mut out);
    out
}

/// The number a line starts with as a list item: `3)`, `3.` or `3 -`, then text.
fn item_number(text: &str) -> Option<u32> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &text[digits..];
    let rest = rest.strip_prefix(')').or_else(|| rest.strip_prefix('.')).or_else(|| rest.strip_prefix(" -"))?;
    (rest.starts_with(' ') && rest.trim().chars().next().is_some_and(char::is_alphabetic))
        .then(|| text[..digits].parse().ok())
        .flatten()
}

/// Marks items of numbered lists: lines starting 1, 2, 3... in order, at most a few lines apart
/// (a link or a note may follow each item). A listicle's items are its content, unlike a
/// headline list, which is not numbered this way inside the text.
fn mark_numbered_lists(lines: &[Line], features: &mut [Option<Features>]) {
    const MAX_GAP: usize = 3;
    let mut run: Vec<usize> = Vec::new();
    let mut expected = 1;
    let mut since_last = 0;
    let finish = |run: &mut Vec<usize>, features: &mut [Option<Features>]| {
        if run.len() >= 3 {
            // The items, what stands between them (a link, a note under an item), and the lines
            // that run on from the last item without a blank line.
            let last = run[run.len() - 1];
            let tail = features[last + 1..].iter().take(MAX_GAP).take_while(|f| f.is_some()).count();
            for f in features[run[0]..=last + tail].iter_mut().flatten() {
                f.in_numbered_list = true;
            }
        }
        run.clear();
    };
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        match item_number(&line.text) {
            Some(n) if n == expected && (run.is_empty() || since_last <= MAX_GAP) => {
                run.push(i);
                expected += 1;
                since_last = 0;
            }
            Some(1) => {
                finish(&mut run, features);
                run.push(i);
                expected = 2;
                since_last = 0;
            }
            _ => {
                since_last += 1;
                if since_last > MAX_GAP && !run.is_empty() {
                    finish(&mut run, features);
                    expected = 1;
                }
            }
        }
    }
    finish(&mut run, features);
}

/// Features of a single line, without page context.
pub fn line_features(text: &str, patterns: &Patterns, stopwords: Option<&WordSet>) -> Features {
    scanned_features(
        text,
        &scan::scan(text, stopwords, patterns.vocabulary()),
        &phrase_key(text),
        patterns,
        stopwords.is_some(),
    )
}

/// A line's features from its scan; `key` is its phrase key when it could be a phrase.
fn scanned_features(text: &str, scanned: &LineScan, key: &str, patterns: &Patterns, with_stopwords: bool) -> Features {
    let words = scanned.words;
    let whole = patterns.kind_of_keyed(text, key, scanned.ruled_out);
    let lead = if whole.is_none() { patterns.lead_kind(text) } else { None };
    Features {
        words,
        chars: scanned.chars,
        terminal: ends_like_sentence(text),
        stopword_share: (with_stopwords && words > 0).then(|| scanned.stopwords as f32 / words as f32),
        capitalised_share: if scanned.lettered > 0 {
            scanned.capitalised as f32 / scanned.lettered as f32
        } else {
            0.0
        },
        has_url: scanned.has_url,
        occurrences: 1,
        pattern: whole.or(lead),
        pattern_leads: lead.is_some(),
        shape: scanned.shape,
        separators: scanned.separators,
        digits: scanned.digits,
        in_headline_run: false,
        in_numbered_list: false,
        site_repeat: false,
        outside_part: None,
    }
}

fn ends_like_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', ' ']);
    if !trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？']) {
        return false;
    }
    // "Sklyar R.V." ends in a full stop but is a name with initials, not a sentence.
    let last = trimmed.rsplit(' ').next().unwrap_or(trimmed);
    let is_initials = last.len() >= 2
        && last.split_terminator('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
    !is_initials
}

/// Marks runs of three or more consecutive short, non-sentence lines (blank lines between them
/// allowed): menus, tag clouds and headline lists look like this, article text does not.
fn mark_headline_runs(features: &mut [Option<Features>]) {
    let is_short_heading = |f: &Features| !f.terminal && f.words <= 15 && f.shape == Shape::Text && !f.in_numbered_list;
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, features: &mut [Option<Features>]| {
        if run.len() >= 3 {
            for &i in run.iter() {
                if let Some(f) = features[i].as_mut() {
                    f.in_headline_run = true;
                }
            }
        }
        run.clear();
    };
    for i in 0..features.len() {
        match &features[i] {
            None => {}
            Some(f) if is_short_heading(f) || f.shape != Shape::Text => run.push(i),
            Some(_) => flush(&mut run, features),
        }
    }
    flush(&mut run, features);
}

/// How much a line looks like article prose: positive for content, negative for boilerplate.
pub fn content_score(f: &Features) -> f32 {
    let mut score = match f.words {
        0 => -3.0,
        1..=3 => -1.5,
        4..=7 => -0.4,
        8..=14 => 0.8,
        15..=24 => 1.8,
        _ => 2.5,
    };
    score += if f.terminal { 1.0 } else { -0.8 };
    if let Some(share) = f.stopword_share {
        if f.words >= 4 {
            score += ((share - 0.2) * 5.0).clamp(-1.5, 1.5);
        }
    }
    if f.capitalised_share > 0.6 && (3..=20).contains(&f.words) {
        score -= 1.0;
    }
    if f.has_url {
        score -= 1.5;
    }
    if f.occurrences > 1 && !(f.terminal && f.words >= 8) {
        score -= 2.0;
    }
    if f.in_headline_run {
        score -= 1.0;
    }
    if f.in_numbered_list {
        // A listicle's items and their links are its content.
        score = (score + 2.0).max(0.5);
    }
    score
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::patterns::PatternsBuilder;
    use crate::stage::segment::segment;

    #[test]
    fn one_walk_finds_the_language_and_the_features_a_walk_each_would() {
        let patterns = PatternsBuilder::defaults().build().unwrap();
        let mut pages: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
            .unwrap()
            .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
            .collect();
        pages.push(format!("{PARAGRAPH_1}\n{PARAGRAPH_2}\nDer Vertrag wird in der nächsten Woche unterzeichnet und die Parteien sind sich einig."));
        pages.push("Die Regierung und die Partner haben sich auf einen Plan geeinigt, der die Zusammenarbeit mit den Städten stärkt.".into());
        pages.push(
            "Қазақстан мен Ресей Байқоңыр кешеніндегі ынтымақтастықты талқылады және келісімге қол қойды.".into(),
        );
        pages.push(
            "Le gouvernement et les partenaires ont adopté un plan pour la coopération avec les villes de la région."
                .into(),
        );
        // Tabs: the walk splits words at spaces only, so detection reads the sample again.
        pages.push(format!("{}\n{PARAGRAPH_2}", PARAGRAPH_1.replace(' ', "\t")));
        pages.push(String::new());
        let mut languages = Vec::new();
        for page in &pages {
            let (lines, _) = segment(page);
            let sample = language::sample_lines(lines.iter().map(|l| l.text.as_str()));
            let expected_lang = language::detect_sample(&sample, patterns.stopword_index());
            let list = expected_lang.and_then(|l| patterns.stopwords(l)).or_else(|| patterns.stopwords("en"));
            let expected_features = features(&lines, &patterns, list);
            let (PageLanguage { lang, sample: lang_sample, .. }, found) = language_and_features(&lines, &patterns);
            assert_eq!((lang, &lang_sample), (expected_lang, &sample), "{page:.60}");
            assert_eq!(format!("{found:?}"), format!("{expected_features:?}"), "{page:.60}");
            languages.push(lang);
        }
        for lang in ["en", "ru", "kk", "de", "fr"] {
            assert!(languages.contains(&Some(lang)), "{lang} {languages:?}");
        }
    }

    #[test]
    fn a_line_repeated_on_the_page_has_the_features_it_has_alone() {
        let patterns = PatternsBuilder::defaults().build().unwrap();
        let en = patterns.stopwords("en");
        // Repeats, and lines that share a phrase key (case, punctuation) but not their text.
        let page = format!(
            "Share\n{PARAGRAPH_1}\nRead more\nREAD MORE!\n© 2024 Example\nShare\n{PARAGRAPH_1}\nread more\n\
             © 2024 Example\nRead more\nREAD MORE!\nshare:\nShare"
        );
        let (lines, _) = segment(&page);
        let on_page = features(&lines, &patterns, en);
        let alone_page = |text: &str| features(&segment(text).0, &patterns, en).remove(0).unwrap();
        for (line, found) in lines.iter().zip(&on_page) {
            let found = found.as_ref().unwrap();
            let alone = alone_page(&line.text);
            let page_only = |f: &Features| Features {
                occurrences: 0,
                in_headline_run: false,
                in_numbered_list: false,
                ..f.clone()
            };
            assert_eq!(format!("{:?}", page_only(found)), format!("{:?}", page_only(&alone)), "{}", line.text);
        }
        let occurrences = |text: &str| {
            lines.iter().zip(&on_page).find(|(l, _)| l.text == text).unwrap().1.as_ref().unwrap().occurrences
        };
        assert_eq!((occurrences("Share"), occurrences("share:"), occurrences("Read more")), (4, 4, 5));
        assert_eq!(alone_page("share:").pattern, alone_page("Share").pattern);
    }

    pub(crate) const PARAGRAPH_1: &str = "The delegation held a number of meetings with the partners on Monday, and they agreed that the cooperation in the space industry will continue next year.";
    pub(crate) const PARAGRAPH_2: &str = "According to the ministry, the sides also discussed the development of the city infrastructure and the social protection of its residents.";

    #[test]
    fn numbered_list_items() {
        assert_eq!(item_number("1) Lego Star Wars"), Some(1));
        assert_eq!(item_number("12. Roger Waters"), Some(12));
        assert_eq!(item_number("2019. A year"), None);
        assert_eq!(item_number("3) 45 pieces"), None);
    }

    #[test]
    fn line_shapes() {
        let p = PatternsBuilder::defaults().build().unwrap();
        assert_eq!(line_features("10,744", &p, None).shape, Shape::Counter);
        assert_eq!(line_features("27 August 2019, 08:04", &p, None).shape, Shape::Timestamp);
        assert_eq!(line_features("Updated 11:21 pm CST, Tuesday, November 19, 2019", &p, None).shape, Shape::Timestamp);
        assert_eq!(line_features("2. Never urged Ukraine to investigate", &p, None).shape, Shape::Text);
        assert!(!line_features("Sklyar R.V.", &p, None).terminal);
        assert!(line_features("The talks went well.", &p, None).terminal);
    }
}
