//! The article region: one contiguous stretch between a header and a footer.
//!
//! Each line contributes its score, weighted by length, and the best-scoring contiguous span
//! (maximum subarray, as in body-text extraction) is the article. On a page of items the first
//! item is preferred; the comment section never joins; inside the region, subheadings between
//! paragraphs stay, and so do structured lists the article presents.

use super::rules::decisive_rule;
use super::Settings;
use crate::document::Line;
use crate::patterns::kinds::{COMMENTS, FOOTER_KINDS, SHARE};
use crate::stage::features::{Features, Shape};
use crate::text::phrase_key;

/// Lists in the article: a run of short lines after a paragraph of the region, whose items
/// share a structure (`June 9 – City @ Venue`, `Path A: ...`, `England (Group A): ...`), inside
/// the region or right after its end. Such a list is data the article presents, where a list of
/// other stories' headlines has items that share nothing but their shortness. The items with the
/// structure are kept, with the heading just above them.
/// The article region of a page, and where its comment section starts.
pub(super) struct ArticleRegion {
    /// Index range (into the lines) of the article, if one was found.
    pub region: Option<(usize, usize)>,
    /// The comment section's marker, if the page has one after some prose.
    pub comments_start: Option<usize>,
}

/// Finds the article: each line weighs its score (decisive removals pull down, footer markers
/// and item breaks pull hard, prose above the page's headline counts less), and the
/// best-scoring span, narrowed past edge headings, is the region.
pub(super) fn article_region(
    lines: &[Line],
    features: &[Option<Features>],
    scores: &[f32],
    settings: &Settings,
) -> ArticleRegion {
    let mut weights: Vec<f32> = features
        .iter()
        .zip(scores)
        .map(|(feature, &score)| match feature {
            None => 0.0,
            Some(f) => match decisive_rule(f, settings) {
                Some(kind) if FOOTER_KINDS.contains(&kind) && !f.pattern_leads => -settings.footer_penalty,
                Some(_) => -1.0,
                None => score * (f.words.clamp(1, 60) as f32).sqrt() * 0.5,
            },
        })
        .collect();
    let comments_start = comment_section_start(features, settings);
    // A date line or a share bar once prose has begun starts another item: a teaser, a comment,
    // a related story. The article's own date and share buttons sit above its first paragraph
    // or below its last.
    let mut seen_prose = false;
    let mut first_break = None;
    for (index, (weight, feature)) in weights.iter_mut().zip(features).enumerate() {
        let Some(f) = feature else { continue };
        if seen_prose && (f.shape == Shape::Timestamp || f.pattern == Some(SHARE)) {
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
    // The article follows its headline; prose above it is a site notice, a teaser, a login help.
    if let Some(headline) = headline_below_title(lines) {
        for weight in weights[..headline].iter_mut().filter(|w| **w > 0.0) {
            *weight *= settings.before_headline_share;
        }
    }
    let region = first_item_span(&weights, first_break).and_then(|span| trim_headings(span, features));
    ArticleRegion { region, comments_start }
}

pub(super) fn embedded_lists(
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
    mark_introduced_lists(lines, features, region, settings, &mut keep);
    keep
}

/// Lists the article introduces: a line of a few words inside the region that ends with a colon
/// ("Перекрыты следующие улицы:", "Here's how it works:"), followed by at least two items that
/// start with a dash, a bullet or a number. The lead-in vouches for the items whatever their
/// length or shape. A list after the article is introduced by a marker ("Популярное:", "Read
/// also:") that a decisive rule removes, or by nothing, so it is not kept this way.
fn mark_introduced_lists(
    lines: &[Line],
    features: &[Option<Features>],
    region: (usize, usize),
    settings: &Settings,
    keep: &mut [bool],
) {
    const LEAD_IN_MIN_WORDS: usize = 3;
    let undecided = |i: usize| features[i].as_ref().filter(|f| decisive_rule(f, settings).is_none());
    for lead_in in region.0..=region.1 {
        let Some(f) = undecided(lead_in) else { continue };
        if f.words < LEAD_IN_MIN_WORDS || !lines[lead_in].text.trim_end().ends_with(':') {
            continue;
        }
        let items: Vec<usize> = (lead_in + 1..lines.len())
            .filter(|&i| !lines[i].is_blank())
            .take_while(|&i| undecided(i).is_some() && is_list_item(&lines[i].text))
            .collect();
        if items.len() >= 2 {
            keep[lead_in] = true;
            items.into_iter().for_each(|i| keep[i] = true);
        }
    }
}

/// Whether a line starts like an item of a list: a dash or bullet, or a number with "." or ")",
/// then a space.
fn is_list_item(text: &str) -> bool {
    let text = text.trim_start();
    let after_marker = match text.chars().next() {
        Some(c @ ('—' | '–' | '-' | '•' | '·' | '*' | '▪' | '●' | '◦')) => &text[c.len_utf8()..],
        Some(c) if c.is_ascii_digit() => {
            match text.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix(['.', ')']) {
                Some(rest) => rest,
                None => return false,
            }
        }
        _ => return false,
    };
    after_marker.starts_with(' ') && after_marker.trim_start().chars().next().is_some_and(char::is_alphanumeric)
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

/// The page's headline shown again below its title: a page saved as text often starts with its
/// `<title>` ("Headline | Site") and shows the headline once more right above the article.
/// A first line of fewer than three words, of more than thirty, or ending with a full stop is
/// no title: a sentence printed twice must not move the article.
fn headline_below_title(lines: &[Line]) -> Option<usize> {
    const MIN_WORDS: usize = 3;
    const MAX_WORDS: usize = 30;
    let first = lines.iter().position(|l| !l.is_blank())?;
    let title = phrase_key(&lines[first].text);
    let words = title.split(' ').count();
    if !(MIN_WORDS..=MAX_WORDS).contains(&words) || lines[first].text.trim_end().ends_with('.') {
        return None;
    }
    // Most lines differ from the title in their first letter or are longer than it: those
    // are passed over without building their key.
    let initial = title.chars().next();
    let longest = lines[first].text.len();
    (first + 1..lines.len()).find(|&i| {
        let text = &lines[i].text;
        if text.len() > longest + 8
            || text.chars().find(|c| c.is_alphanumeric()).and_then(|c| c.to_lowercase().next()) != initial
        {
            return false;
        }
        let key = phrase_key(text);
        key.split(' ').count() >= MIN_WORDS
            && title.starts_with(key.as_str())
            && title[key.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
    })
}

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
        kind_at(previous) == Some(SHARE) || kind_at(next) == Some(SHARE)
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
pub(super) fn is_subheading(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_start_with_a_dash_a_bullet_or_a_number() {
        for item in ["— ул. Ленина", "- Abai Avenue", "• один", "1. First", "12) Twelfth", "  * starred"]
        {
            assert!(is_list_item(item), "{item}");
        }
        for line in ["—", "-5 degrees", "2024 was a year", "1.5 million", "Text", "- ", "•••"] {
            assert!(!is_list_item(line), "{line}");
        }
    }

    #[test]
    fn the_headline_is_found_below_the_title_with_or_without_the_site_name() {
        let lines = |texts: &[&str]| -> Vec<Line> {
            texts
                .iter()
                .map(|t| Line {
                    number: 1,
                    text: t.to_string(),
                    verdict: crate::document::Verdict::Pending,
                    reason: Default::default(),
                })
                .collect()
        };
        let page = lines(&["Курятина заражена сальмонеллой | Medicina.ua", "Меню", "Курятина заражена сальмонеллой"]);
        assert_eq!(headline_below_title(&page), Some(2));
        assert_eq!(headline_below_title(&lines(&["Big news today", "", "Big news today!"])), Some(2));
        assert_eq!(headline_below_title(&lines(&["Big news todayish", "Big news today"])), None);
        assert_eq!(headline_below_title(&lines(&["Home", "Home"])), None, "too short for a headline");
        let sentence = "The talks went on until late in the night.";
        assert_eq!(headline_below_title(&lines(&[sentence, "Menu", sentence])), None, "a sentence is no title");
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
    fn the_first_item_wins_over_a_later_one_unless_much_weaker() {
        // Items of 10 and 15 separated by an item break at index 2: the first holds more than half.
        assert_eq!(first_item_span(&[2.0, 8.0, -20.0, 15.0], Some(2)), Some((0, 1)));
        // A blurb of 4 before the break is no match for an article of 15.
        assert_eq!(first_item_span(&[4.0, -20.0, 15.0], Some(1)), Some((2, 2)));
        assert_eq!(first_item_span(&[4.0, -20.0, 15.0], None), Some((2, 2)));
    }

    #[test]
    fn best_span_finds_maximum_subarray() {
        assert_eq!(best_span(&[-1.0, 2.0, 3.0, -10.0, 4.0]), Some((1, 2)));
        assert_eq!(best_span(&[-1.0, -2.0]), None);
        assert_eq!(best_span(&[]), None);
        assert_eq!(best_span(&[1.0, -0.5, 1.0]), Some((0, 2)));
    }
}
