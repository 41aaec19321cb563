//! Classify: decide for every line whether it belongs to the article, and name the rule.
//!
//! Three layers, from local to global:
//!
//! 1. **Decisive rules** on the line alone: a pattern-file hit (`nav`, `read-also`, `share`, ...)
//!    on a line that is not itself a long sentence, a line that is only a number (`counter`) or
//!    only a date and time (`timestamp`).
//! 2. **A score per line** from features that survive in plain text: length in words, terminal
//!    punctuation, the share of stopwords of the page's language, Title Case, URLs, repetition
//!    within the page, and membership in a run of short headline-like lines. The hand-set
//!    `content_score` of these features and the same features of the neighbouring lines feed the
//!    learned line model (`stage::model`), whose log-odds is the score.
//! 3. **The article region.** An article is one contiguous stretch between a header and a footer.
//!    Each line contributes its score, weighted by length, and the best-scoring contiguous span
//!    (maximum subarray, as in body-text extraction) is the article; markers that open a footer
//!    ("Read also", "Popular", "Comments"), and date lines or share bars between items once prose
//!    has begun, weigh heavily against crossing them. On a page of items the first item is
//!    preferred. Inside the region, in-body subheadings between paragraphs survive, and so do
//!    structured lists (inside, or right after the region when they hold numbers); outside it,
//!    everything goes.
//!
//! Every removal carries the name of the strongest reason, so `--removed` and diffs can say why.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::document::{Line, Verdict};
use crate::patterns::{phrase_key, Patterns, WordSet, FOOTER_KINDS};
use crate::stage::language::{self, LineWords};
use crate::stage::model::{self, LineModel};
use crate::stage::scan::{self, LineScan};

/// Rule names that do not come from pattern files.
pub mod rule {
    pub const COUNTER: &str = "counter";
    pub const TIMESTAMP: &str = "timestamp";
    pub const DUPLICATE: &str = "duplicate";
    pub const HEADLINE_LIST: &str = "headline-list";
    pub const OUTSIDE_ARTICLE: &str = "outside-article";
    pub const SHORT_LINE: &str = "short-line";
    pub const NOT_A_SENTENCE: &str = "not-a-sentence";
    pub const URL: &str = "url";
    pub const SITE_REPEAT: &str = "site-repeat";
}

/// Tunable constants of the scorer, in one place.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How heavily a footer marker weighs against the article region extending across it.
    pub footer_penalty: f32,
    /// How heavily a date line or share bar after the first paragraph weighs against the region
    /// crossing it.
    pub item_break_penalty: f32,
    /// Lines scoring below this inside the region are removed.
    pub keep_threshold: f32,
    /// A short line between two content paragraphs is kept when it scores above this.
    pub subheading_floor: f32,
    /// Longest line (in words) still treated as a possible subheading.
    pub subheading_max_words: usize,
    /// A pattern hit is decisive unless the line is a sentence at least this long.
    pub pattern_max_words: usize,
    /// Scores each line from its features and its neighbours'.
    pub model: Arc<LineModel>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            footer_penalty: 12.0,
            item_break_penalty: 20.0,
            keep_threshold: 0.0,
            subheading_floor: -3.5,
            subheading_max_words: 20,
            pattern_max_words: 20,
            model: LineModel::embedded(),
        }
    }
}

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
    pub shape: Shape,
    /// Part of a run of three or more short lines without sentence punctuation.
    pub in_headline_run: bool,
    /// An item of a numbered list (`1) ...`, `2. ...`, `3) ...` on consecutive items).
    pub in_numbered_list: bool,
    /// Repeated across enough documents of the same site (see `site_stats`) to be boilerplate.
    pub site_repeat: bool,
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

/// Lines whose shape alone gives them away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shape {
    #[default]
    Text,
    /// Only numbers: view and comment counters, share counts.
    Counter,
    /// Only a date and/or time.
    Timestamp,
}

/// Result of classifying a page.
#[derive(Debug, Clone, Default)]
pub struct Classification {
    /// Language used for the stopword feature.
    pub lang: Option<&'static str>,
    /// The lines `lang` was detected from (`language::sample_lines`), so that a later stage
    /// drawing the same sample need not detect again.
    pub lang_sample: String,
    /// Each line's words and stopwords per language, for detecting the language of some of the
    /// lines again (`language::detect_sample_counted`).
    pub line_words: Vec<Option<LineWords>>,
    /// Index range (into the lines) of the article region, if one was found.
    pub region: Option<(usize, usize)>,
    /// The kind of the pattern matching each line, if any (by line index).
    pub pattern_kinds: Vec<Option<&'static str>>,
}

/// Classify every line of a page in place.
pub fn classify(lines: &mut [Line], patterns: &Patterns, settings: &Settings) -> Classification {
    classify_in_site(lines, patterns, settings, None)
}

/// `classify`, with statistics of the lines repeated across the page's site.
pub fn classify_in_site(
    lines: &mut [Line],
    patterns: &Patterns,
    settings: &Settings,
    repeats: Option<&SiteRepeats>,
) -> Classification {
    let (PageLanguage { lang, sample: lang_sample, line_words }, mut features) = language_and_features(lines, patterns);
    if let Some(repeats) = repeats {
        mark_site_repeats(&mut features, repeats, settings);
    }
    let scores = model::scores(lines, &features, &settings.model);

    // Region weights: decisive removals pull down, footer markers pull hard.
    let weights: Vec<f32> = features
        .iter()
        .zip(&scores)
        .map(|(feature, &score)| match feature {
            None => 0.0,
            Some(f) => match decisive_rule(f, settings) {
                Some(kind) if FOOTER_KINDS.contains(&kind) => -settings.footer_penalty,
                Some(_) => -1.0,
                None => score * (f.words.clamp(1, 60) as f32).sqrt() * 0.5,
            },
        })
        .collect();
    let comments_start = comment_section_start(&features, settings);
    let mut weights = weights;
    // A date line or a share bar once prose has begun starts another item: a teaser, a comment,
    // a related story. The article's own date and share buttons sit above its first paragraph
    // or below its last.
    let mut seen_prose = false;
    let mut first_break = None;
    for (index, (weight, feature)) in weights.iter_mut().zip(&features).enumerate() {
        let Some(f) = feature else { continue };
        if seen_prose && (f.shape == Shape::Timestamp || f.pattern == Some("share")) {
            *weight = -settings.item_break_penalty;
            first_break.get_or_insert(index);
        }
        seen_prose |= (f.terminal && f.words >= 15 || f.words >= 40) && decisive_rule(f, settings).is_none();
    }
    if let Some(start) = comments_start {
        for weight in &mut weights[start..] {
            *weight = weight.min(-1.0);
        }
    }
    let region = first_item_span(&weights, first_break).and_then(|span| trim_headings(span, &features));
    let in_list = region
        .map_or_else(|| vec![false; lines.len()], |region| embedded_lists(lines, &features, &scores, region, settings));

    for (index, line) in lines.iter_mut().enumerate() {
        let Some(f) = &features[index] else {
            line.verdict = Verdict::Blank;
            continue;
        };
        let inside = region.is_some_and(|(start, end)| (start..=end).contains(&index));
        line.verdict = if let Some(rule) = decisive_rule(f, settings) {
            Verdict::Removed(rule)
        } else if in_list[index]
            || inside
                && (scores[index] >= settings.keep_threshold || is_subheading(index, f, &features, &scores, settings))
        {
            Verdict::Content
        } else if comments_start.is_some_and(|start| index > start) {
            Verdict::Removed(COMMENTS)
        } else {
            Verdict::Removed(soft_rule(f, inside))
        };
    }
    let pattern_kinds = features.iter().map(|f| f.as_ref().and_then(|f| f.pattern)).collect();
    Classification { lang, lang_sample, line_words, region, pattern_kinds }
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
/// detection sums over the sample's lines and the features take for the page's language.
fn language_and_features(lines: &[Line], patterns: &Patterns) -> (PageLanguage, Vec<Option<Features>>) {
    let index = patterns.stopword_index();
    let scans: Vec<Option<LineScan>> =
        lines.iter().map(|line| (!line.is_blank()).then(|| scan::scan_languages(&line.text, index))).collect();
    let line_words: Vec<Option<LineWords>> = scans
        .iter()
        .map(|scanned| match scanned {
            None => Some(LineWords::default()),
            // Other white space splits words differently from the walk's single spaces.
            Some(scanned) if !scanned.single_spaced => None,
            Some(scanned) => Some(LineWords { words: scanned.words, stopwords: scanned.stopwords_by_language }),
        })
        .collect();
    let (sample, taken) = language::sample_of(lines.iter().map(|l| l.text.as_str()));
    let lang = language::detect_sample_counted(&sample, taken.iter().map(|&i| line_words[i].as_ref()), index);
    let list = lang.filter(|l| patterns.stopwords(l).is_some()).or_else(|| patterns.stopwords("en").map(|_| "en"));
    let features = match list.map(|l| index.position(l)) {
        // A list past the index's last language: its words are looked up again.
        Some(None) => features(lines, patterns, list.and_then(|l| patterns.stopwords(l))),
        bit => features_of_scans(lines, scans, patterns, bit.flatten()),
    };
    (PageLanguage { lang, sample, line_words }, features)
}

/// A page's language and what it was told from.
struct PageLanguage {
    lang: Option<&'static str>,
    /// The lines read (`language::sample_of`).
    sample: String,
    /// Each line's words and stopwords per language.
    line_words: Vec<Option<LineWords>>,
}

fn mark_site_repeats(features: &mut [Option<Features>], repeats: &SiteRepeats, settings: &Settings) {
    for (feature, &count) in features.iter_mut().zip(&repeats.counts) {
        let Some(f) = feature else { continue };
        let long_sentence = f.terminal && f.words >= settings.pattern_max_words;
        let share = count as f32 / repeats.site_documents.max(1) as f32;
        f.site_repeat = count >= repeats.min_docs && (!long_sentence || share >= repeats.sentence_share);
    }
}

/// Features of every line; `None` for blank lines.
pub fn features(lines: &[Line], patterns: &Patterns, stopwords: Option<&WordSet>) -> Vec<Option<Features>> {
    let scans = lines.iter().map(|line| (!line.is_blank()).then(|| scan::scan(&line.text, stopwords))).collect();
    features_from(lines, scans, patterns, stopwords.is_some())
}

/// Features of every line from scans made by `scan::scan_languages`, with the stopwords of the
/// language at `bit` in the index.
fn features_of_scans(
    lines: &[Line],
    mut scans: Vec<Option<LineScan>>,
    patterns: &Patterns,
    bit: Option<usize>,
) -> Vec<Option<Features>> {
    for scanned in scans.iter_mut().flatten() {
        scanned.stopwords = bit.map_or(0, |bit| scanned.stopwords_by_language[bit] as usize);
    }
    features_from(lines, scans, patterns, bit.is_some())
}

/// Features of every line from its scan (`None` for blank lines).
fn features_from(
    lines: &[Line],
    scans: Vec<Option<LineScan>>,
    patterns: &Patterns,
    with_stopwords: bool,
) -> Vec<Option<Features>> {
    // Repetition within the page is counted on hashes of the phrase keys: a key is built only for
    // a line short enough to be a pattern phrase.
    let mut key = String::new();
    let mut out: Vec<Option<Features>> = Vec::with_capacity(lines.len());
    let mut hashes: Vec<Option<u64>> = Vec::with_capacity(lines.len());
    // Each key's count and first line. Sized for every line at once: grown as the keys came,
    // its rehashing was 0.4% of a run over real pages.
    let mut counts: FxHashMap<u64, (usize, usize)> =
        FxHashMap::with_capacity_and_hasher(lines.len(), Default::default());
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
    scanned_features(text, &scan::scan(text, stopwords), &phrase_key(text), patterns, stopwords.is_some())
}

/// A line's features from its scan; `key` is its phrase key when it could be a phrase.
fn scanned_features(text: &str, scanned: &LineScan, key: &str, patterns: &Patterns, with_stopwords: bool) -> Features {
    let words = scanned.words;
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
        pattern: patterns.kind_of_keyed(text, key, scanned.ruled_out),
        shape: scanned.shape,
        separators: scanned.separators,
        digits: scanned.digits,
        in_headline_run: false,
        in_numbered_list: false,
        site_repeat: false,
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

/// Lists in the article: a run of short lines after a paragraph of the region, whose items
/// share a structure (`June 9 – City @ Venue`, `Path A: ...`, `England (Group A): ...`), inside
/// the region or right after its end. Such a list is data the article presents, where a list of
/// other stories' headlines has items that share nothing but their shortness. The items with the
/// structure are kept, with the heading just above them.
fn embedded_lists(
    lines: &[Line],
    features: &[Option<Features>],
    scores: &[f32],
    region: (usize, usize),
    settings: &Settings,
) -> Vec<bool> {
    let mut keep = vec![false; lines.len()];
    let non_blank: Vec<usize> = (region.0..features.len()).filter(|&i| features[i].is_some()).collect();
    let region_end = non_blank.iter().position(|&i| i > region.1).unwrap_or(non_blank.len());
    // A footer marker ("Trending", "Read also") ends a list.
    let in_run =
        |i: usize| features[i].as_ref().is_some_and(|f| f.in_headline_run && decisive_rule(f, settings).is_none());
    let is_prose = |k: Option<usize>| k.and_then(|k| non_blank.get(k)).is_some_and(|&i| scores[i] > 0.5);
    let mut start = 0;
    while start < non_blank.len() && start <= region_end {
        if !in_run(non_blank[start]) {
            start += 1;
            continue;
        }
        let end = (start..non_blank.len()).find(|&k| !in_run(non_blank[k])).unwrap_or(non_blank.len());
        let inside = end <= region_end && is_prose(Some(end));
        let trailing = start == region_end;
        if is_prose(start.checked_sub(1)) && (inside || trailing) {
            let items: Vec<(usize, &str)> =
                non_blank[start..end].iter().map(|&i| (i, lines[i].text.as_str())).collect();
            if let Some(structure) = Structure::of(items.iter().map(|(_, text)| *text), trailing) {
                let mut previous: Option<usize> = None;
                for (i, text) in items {
                    if structure.fits(text) {
                        keep[i] = true;
                        if let Some(heading) = previous.filter(|&p| !keep[p]) {
                            keep[heading] = true;
                        }
                    }
                    previous = Some(i);
                }
            }
        }
        start = end;
    }
    keep
}

/// What most items of a structured list have in common.
#[derive(Debug, Clone, PartialEq)]
enum Structure {
    Separator(&'static str),
    LeadingDigit,
    FirstWord(String),
}

impl Structure {
    /// The structure shared by most items, if any. `after_region` for lists past the region's
    /// end, which must also be data (most items with a number, as dates and scores have): a
    /// list of headlines shares separators too ("X Review: Y"), and a leading number is as
    /// likely a headline's time stamp.
    fn of<'a>(items: impl Iterator<Item = &'a str> + Clone, after_region: bool) -> Option<Structure> {
        const SEPARATORS: &[&str] = &[": ", " – ", " — ", " - ", " @ ", " | ", " ("];
        let count = items.clone().count();
        let most = |n: usize| n * 10 >= count * 7;
        if count < 3
            || after_region && !most(items.clone().filter(|item| item.bytes().any(|b| b.is_ascii_digit())).count())
        {
            return None;
        }
        let most = |structure: &Structure| most(items.clone().filter(|item| structure.fits(item)).count());
        let first = items.clone().next().and_then(|item| item.split_whitespace().next()).unwrap_or("").to_string();
        let mut candidates: Vec<Structure> = SEPARATORS.iter().map(|&sep| Structure::Separator(sep)).collect();
        if !after_region {
            candidates.extend([Structure::LeadingDigit, Structure::FirstWord(first)]);
        }
        candidates.into_iter().find(|structure| most(structure))
    }

    fn fits(&self, item: &str) -> bool {
        match self {
            Structure::Separator(sep) => item.contains(sep),
            Structure::LeadingDigit => item.starts_with(|c: char| c.is_ascii_digit()),
            Structure::FirstWord(word) => item.split_whitespace().next() == Some(word.as_str()),
        }
    }
}

/// The rule that removes a line whatever its context, if any.
pub fn decisive_rule(f: &Features, settings: &Settings) -> Option<&'static str> {
    let long_sentence = f.terminal && f.words >= settings.pattern_max_words;
    if let Some(kind) = f.pattern {
        if !long_sentence || ANY_LENGTH_KINDS.contains(&kind) {
            return Some(kind);
        }
    }
    if f.site_repeat {
        return Some(rule::SITE_REPEAT);
    }
    match f.shape {
        Shape::Counter => Some(rule::COUNTER),
        Shape::Timestamp => Some(rule::TIMESTAMP),
        Shape::Text => None,
    }
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

const COMMENTS: &str = "comments";

/// Kinds whose patterns are specific enough to remove even a long sentence: cookie banners and
/// rights notices are written as full sentences and never belong to an article.
const ANY_LENGTH_KINDS: &[&str] = &["cookie", "copyright"];

/// Where the comment section starts: the first comments marker ("Comments", "Leave a reply",
/// "N comments") that follows some prose. Readers' comments are prose too, often more of it than
/// the article, so nothing after the marker may join the article. A marker before any prose (a
/// "0 Comments" link in a header) does not count.
fn comment_section_start(features: &[Option<Features>], settings: &Settings) -> Option<usize> {
    let kind_at = |i: Option<usize>| i.and_then(|i| features[i].as_ref()).and_then(|f| decisive_rule(f, settings));
    // "Facebook / Twitter / Comments / Print": a button in a share bar, not a section.
    let in_share_bar = |index: usize| {
        let previous = (0..index).rev().find(|&i| features[i].is_some());
        let next = (index + 1..features.len()).find(|&i| features[i].is_some());
        kind_at(previous) == Some("share") || kind_at(next) == Some("share")
    };
    let mut seen_prose = false;
    for (index, feature) in features.iter().enumerate() {
        let Some(f) = feature else { continue };
        match decisive_rule(f, settings) {
            Some(COMMENTS) if seen_prose && !in_share_bar(index) => return Some(index),
            Some(_) => {}
            None => seen_prose |= f.terminal && f.words >= 15,
        }
    }
    None
}

/// The contiguous span with the largest sum of weights (Kadane), or None if no span is positive.
fn best_span(weights: &[f32]) -> Option<(usize, usize)> {
    let mut best: Option<(f32, usize, usize)> = None;
    let mut current = 0.0f32;
    let mut start = 0;
    for (i, &w) in weights.iter().enumerate() {
        if current <= 0.0 {
            current = 0.0;
            start = i;
        }
        current += w;
        if current > 0.0 && best.is_none_or(|(b, _, _)| current > b) {
            best = Some((current, start, i));
        }
    }
    best.map(|(_, s, e)| (s, e))
}

/// The best span, unless it lies past the first item break and the first item scores at least
/// half as well: on a page of items (quotes, posts, teasers) the page's own item comes first,
/// and a longer one further down is another item.
fn first_item_span(weights: &[f32], first_break: Option<usize>) -> Option<(usize, usize)> {
    let best = best_span(weights)?;
    let sum = |(start, end): (usize, usize)| weights[start..=end].iter().sum::<f32>();
    let Some(first_break) = first_break.filter(|&b| best.0 > b) else { return Some(best) };
    match best_span(&weights[..first_break]) {
        Some(first) if sum(first) * 2.0 >= sum(best) => Some(first),
        _ => Some(best),
    }
}

/// Narrows the region past short lines without sentence punctuation at either edge: a headline
/// just above the body or a signature block just below it scores like prose, but an article does
/// not start or end in the middle of a heading.
fn trim_headings((mut start, mut end): (usize, usize), features: &[Option<Features>]) -> Option<(usize, usize)> {
    let is_edge_heading =
        |i: usize| features[i].as_ref().is_none_or(|f| !f.terminal && f.words < 20 && !f.in_numbered_list);
    while start <= end && is_edge_heading(start) {
        start += 1;
    }
    while end > start && is_edge_heading(end) {
        end -= 1;
    }
    (start <= end && !is_edge_heading(start)).then_some((start, end))
}

/// A short line inside the article, between paragraphs: an in-body subheading or a short
/// paragraph that context vouches for.
fn is_subheading(
    index: usize,
    f: &Features,
    features: &[Option<Features>],
    scores: &[f32],
    settings: &Settings,
) -> bool {
    if f.words == 0 || f.words > settings.subheading_max_words || f.occurrences > 1 || f.has_url {
        return false;
    }
    if scores[index] < settings.subheading_floor {
        return false;
    }
    let previous = (0..index).rev().find(|&i| features[i].is_some());
    let next = (index + 1..features.len()).find(|&i| features[i].is_some());
    let is_prose = |i: Option<usize>| i.is_some_and(|i| scores[i] > 0.5);
    is_prose(previous) && is_prose(next)
}

/// The most telling reason to remove a line that no decisive rule caught.
fn soft_rule(f: &Features, inside: bool) -> &'static str {
    if f.occurrences > 1 {
        rule::DUPLICATE
    } else if f.has_url {
        rule::URL
    } else if f.in_headline_run {
        rule::HEADLINE_LIST
    } else if !inside {
        rule::OUTSIDE_ARTICLE
    } else if f.words < 8 {
        rule::SHORT_LINE
    } else {
        rule::NOT_A_SENTENCE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::PatternsBuilder;
    use crate::stage::segment::segment;

    fn run(text: &str) -> Vec<(String, Verdict)> {
        let patterns = PatternsBuilder::defaults().build().unwrap();
        let (mut lines, _) = segment(text);
        classify(&mut lines, &patterns, &Settings::default());
        lines.into_iter().filter(|l| !l.is_blank()).map(|l| (l.text, l.verdict)).collect()
    }

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

    #[test]
    fn a_credit_line_naming_its_agency_after_a_slash_is_a_photo_credit() {
        let page = format!(
            "{PARAGRAPH_1}\nSakib Ali/Hindustan Times/Getty Images\n{PARAGRAPH_2}\n\
             The ministry said its hotline will answer calls 24/7, as reported by AP.\n{PARAGRAPH_1}"
        );
        let verdicts = run(&page);
        assert_eq!(verdicts[1].1, Verdict::Removed("photo"), "{verdicts:#?}");
        assert_eq!(verdicts[3].1, Verdict::Content, "{verdicts:#?}");
    }

    const PARAGRAPH_1: &str = "The delegation held a number of meetings with the partners on Monday, and they agreed that the cooperation in the space industry will continue next year.";
    const PARAGRAPH_2: &str = "According to the ministry, the sides also discussed the development of the city infrastructure and the social protection of its residents.";

    #[test]
    fn a_data_list_after_the_article_is_kept_and_a_headline_list_is_not() {
        let page = format!(
            "{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n\nTour Dates\nJune 9 – West Palm Beach, FL @ Coral Sky Amphitheatre\n\
             June 10 – Tampa, FL @ Credit Union Amphitheatre\nJune 14 – Alpharetta, GA @ Ameris Bank Amphitheatre\n\n\
             Trending\nA Review: The new headset we love\nB Review: Charge your devices fast\nC Review: The best phone ever\n"
        );
        let verdicts = run(&page);
        let kept: Vec<&str> =
            verdicts.iter().filter(|(_, v)| *v == Verdict::Content).map(|(t, _)| t.as_str()).collect();
        assert_eq!(kept.len(), 6, "{verdicts:#?}");
        assert_eq!(kept[2], "Tour Dates");
        assert!(kept[5].starts_with("June 14"));
    }

    #[test]
    fn structured_lists_need_most_items_alike() {
        let fits = |items: &[&str], after| Structure::of(items.iter().copied(), after);
        assert_eq!(fits(&["Path A: x", "Path B: y", "Path C: z"], false), Some(Structure::Separator(": ")));
        assert_eq!(fits(&["Path A: x", "Path B: y", "Path C: z"], true), None, "no numbers");
        assert_eq!(fits(&["1 x", "2 y", "3 z"], false), Some(Structure::LeadingDigit));
        assert_eq!(fits(&["Big news today", "Other things", "More here"], false), None);
        assert_eq!(fits(&["a: 1", "b: 2"], false), None, "too short");
    }

    #[test]
    fn keeps_article_and_drops_menu_and_footer() {
        let page = format!(
            "Home\nNews\nWorld\n\nBig news of the day\n\n{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n\nRead also\nAnother Story About Something Else\nA Third Story Title Here\nYet Another Headline For You\n"
        );
        let verdicts = run(&page);
        let kept: Vec<&str> =
            verdicts.iter().filter(|(_, v)| *v == Verdict::Content).map(|(t, _)| t.as_str()).collect();
        assert_eq!(kept, vec![PARAGRAPH_1, PARAGRAPH_2]);
        assert_eq!(verdicts[0].1, Verdict::Removed("nav"));
        let read_also = verdicts.iter().find(|(t, _)| t == "Read also").unwrap();
        assert_eq!(read_also.1, Verdict::Removed("read-also"));
    }

    #[test]
    fn keeps_subheading_between_paragraphs() {
        let page = format!("{PARAGRAPH_1}\n\nOn the implementation of the project\n\n{PARAGRAPH_2}\n");
        let verdicts = run(&page);
        assert!(verdicts.iter().all(|(_, v)| *v == Verdict::Content), "{verdicts:?}");
    }

    #[test]
    fn counters_timestamps_and_repeated_headlines() {
        let page = format!("{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n\n07.10 13:17\n3816\nSome headline\nSome headline\n");
        let verdicts = run(&page);
        let rule_of = |t: &str| verdicts.iter().find(|(x, _)| x == t).unwrap().1;
        assert_eq!(rule_of("07.10 13:17"), Verdict::Removed(rule::TIMESTAMP));
        assert_eq!(rule_of("3816"), Verdict::Removed(rule::COUNTER));
        assert_eq!(rule_of("Some headline"), Verdict::Removed(rule::DUPLICATE));
    }

    #[test]
    fn long_sentence_survives_a_pattern_hit() {
        let sentence = "Photo: the delegation visited the new space complex together with the partners from France and discussed many issues of cooperation.";
        let page = format!("{PARAGRAPH_1}\n\n{sentence}\n\n{PARAGRAPH_2}\n");
        assert!(run(&page).iter().all(|(_, v)| *v == Verdict::Content));
    }

    #[test]
    fn numbered_list_items_are_content() {
        assert_eq!(item_number("1) Lego Star Wars"), Some(1));
        assert_eq!(item_number("12. Roger Waters"), Some(12));
        assert_eq!(item_number("2019. A year"), None);
        assert_eq!(item_number("3) 45 pieces"), None);
        let items: String =
            (1..=4).map(|i| format!("{i}) Product number {i} for you\nhttp://example.org/{i}\n")).collect();
        let page = format!("{PARAGRAPH_1}\n\n{items}\nRead also\nOther things\n");
        let kept: Vec<String> =
            run(&page).into_iter().filter(|(_, v)| *v == Verdict::Content).map(|(t, _)| t).collect();
        assert_eq!(kept.len(), 1 + 8, "{kept:?}");
        assert_eq!(kept.last().map(String::as_str), Some("http://example.org/4"));
    }

    #[test]
    fn the_first_item_wins_over_a_later_one_unless_much_weaker() {
        // Items of 10 and 15 separated by an item break at index 2: the first holds more than half.
        assert_eq!(first_item_span(&[2.0, 8.0, -20.0, 15.0], Some(2)), Some((0, 1)));
        // A blurb of 4 before the break is no match for an article of 15.
        assert_eq!(first_item_span(&[4.0, -20.0, 15.0], Some(1)), Some((2, 2)));
        assert_eq!(first_item_span(&[4.0, -20.0, 15.0], None), Some((2, 2)));
    }

    #[test]
    fn a_page_of_quotes_keeps_the_first_quote() {
        let quote = |n: usize| format!("{} {}", "Amar é viver com a alma e com o coração aberto".repeat(n), "sem fim");
        let page = format!(
            "Quotes\n\n{}\n\nWhatsapp Facebook Pint\n\n{}\n\nWhatsapp Facebook Pint\n\n{}\n\nWhatsapp Facebook Pint\n",
            quote(4),
            quote(6),
            quote(6)
        );
        let kept: Vec<String> =
            run(&page).into_iter().filter(|(_, v)| *v == Verdict::Content).map(|(text, _)| text).collect();
        assert_eq!(kept, vec![quote(4)]);
    }

    #[test]
    fn best_span_finds_maximum_subarray() {
        assert_eq!(best_span(&[-1.0, 2.0, 3.0, -10.0, 4.0]), Some((1, 2)));
        assert_eq!(best_span(&[-1.0, -2.0]), None);
        assert_eq!(best_span(&[]), None);
        assert_eq!(best_span(&[1.0, -0.5, 1.0]), Some((0, 2)));
    }

    #[test]
    fn line_shapes() {
        let p = Patterns::default();
        assert_eq!(line_features("10,744", &p, None).shape, Shape::Counter);
        assert_eq!(line_features("27 August 2019, 08:04", &p, None).shape, Shape::Timestamp);
        assert_eq!(line_features("Updated 11:21 pm CST, Tuesday, November 19, 2019", &p, None).shape, Shape::Timestamp);
        assert_eq!(line_features("2. Never urged Ukraine to investigate", &p, None).shape, Shape::Text);
        assert!(!line_features("Sklyar R.V.", &p, None).terminal);
        assert!(line_features("The talks went well.", &p, None).terminal);
    }
}
