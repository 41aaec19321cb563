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
//!    has begun, weigh heavily against crossing them; prose above the page's headline (its title
//!    shown again) counts less. On a page of items the first item is preferred. Inside the region, in-body subheadings between paragraphs survive, and so do
//!    structured lists (inside, or right after the region when they hold numbers); outside it,
//!    everything goes.
//!
//! Every removal carries the name of the strongest reason, so `--removed` and diffs can say why.

use std::sync::Arc;

use crate::document::{Line, Reason, Verdict};
use crate::patterns::kinds::COMMENTS;
use crate::patterns::Patterns;
use crate::stage::features::{language_and_features, Features, PageLanguage, SiteRepeats};
use crate::stage::html::LineStructure;
use crate::stage::model::{self, LineModel};

mod region;
pub mod rules;

use region::{article_region, embedded_lists, is_subheading, ArticleRegion};
use rules::soft_rule;
pub use rules::{decisive_rule, describe, rule};

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
    /// The share of its weight a line above the page's headline (its title shown again) adds to
    /// the article region.
    pub before_headline_share: f32,
    /// Longest line (in words) still treated as a possible subheading.
    pub subheading_max_words: usize,
    /// A pattern hit is decisive unless the line is a sentence at least this long.
    pub pattern_max_words: usize,
    /// Scores each line of text from its features and its neighbours'.
    pub model: Arc<LineModel>,
    /// Scores each line of an HTML page, with what its elements say too.
    pub html_model: Arc<LineModel>,
}

impl Settings {
    /// The model for a page whose lines have `structure` (none for text).
    pub fn model_for(&self, structure: &[LineStructure]) -> &LineModel {
        if structure.is_empty() {
            &self.model
        } else {
            &self.html_model
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            footer_penalty: 12.0,
            item_break_penalty: 20.0,
            keep_threshold: 0.0,
            subheading_floor: -3.5,
            before_headline_share: 0.3,
            subheading_max_words: 20,
            pattern_max_words: 20,
            model: LineModel::embedded(),
            html_model: LineModel::embedded_html(),
        }
    }
}

/// Result of classifying a page.
#[derive(Debug, Clone, Default)]
pub struct Classification {
    /// Language used for the stopword feature.
    pub lang: Option<&'static str>,
    /// The lines `lang` was detected from (`language::sample_lines`), so that a later stage
    /// drawing the same sample need not detect again.
    pub lang_sample: String,
    /// Index range (into the lines) of the article region, if one was found.
    pub region: Option<(usize, usize)>,
    /// The kind of the pattern matching each line, if any (by line index).
    pub pattern_kinds: Vec<Option<&'static str>>,
}

/// Classify every line of a page in place.
pub fn classify(lines: &mut [Line], patterns: &Patterns, settings: &Settings) -> Classification {
    classify_in_site(lines, patterns, settings, None, &[])
}

/// `classify`, with statistics of the lines repeated across the page's site, and for an HTML
/// page the structure of each line (`structure`, empty for text).
pub fn classify_in_site(
    lines: &mut [Line],
    patterns: &Patterns,
    settings: &Settings,
    repeats: Option<&SiteRepeats>,
    structure: &[LineStructure],
) -> Classification {
    let (PageLanguage { lang, sample: lang_sample }, mut features) = language_and_features(lines, patterns);
    if let Some(repeats) = repeats {
        mark_site_repeats(&mut features, repeats, settings);
    }
    mark_structure(&mut features, structure);
    let mut scores = model::scores(lines, &features, structure, settings.model_for(structure));
    let mut found = article_region(lines, &features, &scores, settings);
    if found.region.is_none() && !structure.is_empty() {
        // An HTML page whose every line the markup's model doubts, though some read as prose
        // (one paragraph under hundreds of menu links): its best prose is its article.
        if let Some(best) = best_prose_score(&features, &scores, settings) {
            let lift = settings.keep_threshold + PROSE_LIFT - best;
            scores.iter_mut().for_each(|score| *score += lift);
            found = article_region(lines, &features, &scores, settings);
        }
    }
    let ArticleRegion { region, comments_start } = found;
    let in_list = region
        .map_or_else(|| vec![false; lines.len()], |region| embedded_lists(lines, &features, &scores, region, settings));
    for (index, line) in lines.iter_mut().enumerate() {
        let Some(f) = &features[index] else {
            line.verdict = Verdict::Blank;
            continue;
        };
        let inside = region.is_some_and(|(start, end)| (start..=end).contains(&index));
        (line.verdict, line.reason) = if let Some(rule) = decisive_rule(f, settings) {
            (Verdict::Removed(rule), Reason::Decisive)
        } else if in_list[index] {
            (Verdict::Content, Reason::ArticleList)
        } else if inside && scores[index] >= settings.keep_threshold {
            (Verdict::Content, Reason::Prose)
        } else if inside && is_subheading(index, f, &features, &scores, settings) {
            (Verdict::Content, Reason::Subheading)
        } else if comments_start.is_some_and(|start| index > start) {
            (Verdict::Removed(COMMENTS), Reason::InCommentSection)
        } else {
            (Verdict::Removed(soft_rule(f, inside, structure.get(index))), Reason::Context)
        };
    }
    let pattern_kinds = features.iter().map(|f| f.as_ref().and_then(|f| f.pattern)).collect();
    Classification { lang, lang_sample, region, pattern_kinds }
}

/// How far above the keep threshold the best prose line of a page without a region is lifted.
const PROSE_LIFT: f32 = 0.5;

/// The best score of a line that reads as prose: a sentence of 15 words or more that no
/// decisive rule removes.
fn best_prose_score(features: &[Option<Features>], scores: &[f32], settings: &Settings) -> Option<f32> {
    features
        .iter()
        .zip(scores)
        .filter_map(|(f, &score)| {
            let f = f.as_ref()?;
            (f.terminal && f.words >= 15 && decisive_rule(f, settings).is_none()).then_some(score)
        })
        .max_by(f32::total_cmp)
}

/// Marks the lines an HTML page puts in a part that is never the article: its navigation, its
/// footer, a button.
pub fn mark_structure(features: &mut [Option<Features>], structure: &[LineStructure]) {
    for (feature, s) in features.iter_mut().zip(structure) {
        if let Some(f) = feature {
            f.outside_part = rules::outside_part(s);
        }
    }
}

fn mark_site_repeats(features: &mut [Option<Features>], repeats: &SiteRepeats, settings: &Settings) {
    for (feature, &count) in features.iter_mut().zip(&repeats.counts) {
        let Some(f) = feature else { continue };
        let long_sentence = f.terminal && f.words >= settings.pattern_max_words;
        let share = count as f32 / repeats.site_documents.max(1) as f32;
        f.site_repeat = count >= repeats.min_docs && (!long_sentence || share >= repeats.sentence_share);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::PatternsBuilder;
    use crate::stage::features::tests::{PARAGRAPH_1, PARAGRAPH_2};
    use crate::stage::segment::segment;

    fn run(text: &str) -> Vec<(String, Verdict)> {
        let patterns = PatternsBuilder::defaults().build().unwrap();
        let (mut lines, _) = segment(text);
        classify(&mut lines, &patterns, &Settings::default());
        lines.into_iter().filter(|l| !l.is_blank()).map(|l| (l.text, l.verdict)).collect()
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
    fn every_verdict_carries_the_reason_it_was_given() {
        let patterns = PatternsBuilder::defaults().build().unwrap();
        let items = "Tour Dates\nJune 9 – West Palm Beach, FL @ Coral Sky Amphitheatre\n\
                     June 10 – Tampa, FL @ Credit Union Amphitheatre\nJune 14 – Alpharetta, GA @ Ameris Bank Amphitheatre\n";
        let page = format!(
            "Home\n\n{PARAGRAPH_1}\n\nThe next steps\n\n{PARAGRAPH_2}\n\n{items}\n\
             {PARAGRAPH_1} Again.\n\n3816\n\nLeave a comment\n\nI think this is a great idea and I hope they do it soon, really.\n"
        );
        let (mut lines, _) = segment(&page);
        classify(&mut lines, &patterns, &Settings::default());
        let reason_of = |start: &str| lines.iter().find(|l| l.text.starts_with(start)).map(|l| (l.verdict, l.reason));
        assert_eq!(reason_of("Home"), Some((Verdict::Removed("nav"), Reason::Decisive)));
        assert_eq!(reason_of(PARAGRAPH_1), Some((Verdict::Content, Reason::Prose)));
        assert_eq!(reason_of("The next steps"), Some((Verdict::Content, Reason::Subheading)));
        assert_eq!(reason_of("June 10"), Some((Verdict::Content, Reason::ArticleList)));
        assert_eq!(reason_of("3816"), Some((Verdict::Removed(rule::COUNTER), Reason::Decisive)));
        assert_eq!(reason_of("I think"), Some((Verdict::Removed(COMMENTS), Reason::InCommentSection)));
        assert!(lines.iter().filter(|l| l.is_blank()).all(|l| l.reason == Reason::Unclassified));
    }

    #[test]
    fn a_decision_is_described_with_the_thresholds_in_effect() {
        let settings = Settings { pattern_max_words: 15, ..Settings::default() };
        let text = describe(Verdict::Removed("nav"), Reason::Decisive, &settings);
        assert!(text.contains("not a sentence of 15 words or more"), "{text}");
        let text = describe(Verdict::Removed("cookie"), Reason::Decisive, &settings);
        assert!(text.contains("any length"), "{text}");
        let text = describe(Verdict::Removed(rule::TITLE), Reason::Metadata, &settings);
        assert!(text.contains("metadata"), "{text}");
        assert!(describe(Verdict::Content, Reason::Subheading, &settings).contains("subheading"));
    }

    #[test]
    fn an_inline_read_also_goes_without_cutting_the_article_in_two() {
        let page = format!(
            "{PARAGRAPH_1}\n\nRead more: Ten things to know about the space industry\n\n{PARAGRAPH_2}\n\n\
             {PARAGRAPH_1} It was the third meeting.\n\nRead also\nAnother Story About Something Else\n\
             A Third Story Title Here\nYet Another Headline For You\n"
        );
        let verdicts = run(&page);
        let rule_of = |start: &str| verdicts.iter().find(|(t, _)| t.starts_with(start)).unwrap().1;
        assert_eq!(rule_of("Read more:"), Verdict::Removed("read-also"), "{verdicts:#?}");
        assert_eq!(rule_of(PARAGRAPH_2), Verdict::Content, "{verdicts:#?}");
        assert_eq!(verdicts.iter().filter(|(_, v)| *v == Verdict::Content).count(), 3, "{verdicts:#?}");
        assert_eq!(rule_of("A Third Story"), Verdict::Removed(rule::HEADLINE_LIST), "{verdicts:#?}");
    }

    #[test]
    fn a_list_the_article_introduces_stays_and_a_list_after_it_goes() {
        let lead = "В связи с ремонтом дорожного покрытия в выходные будет временно ограничено движение транспорта в центре города.";
        let after = "Водителей просят заранее планировать маршрут и пользоваться объездными дорогами, которые обозначены знаками.";
        let page = format!(
            "{lead}\n\nПерекрыты следующие улицы:\n— Абая от Назарбаева до Фурманова;\n— Панфилова;\n\
             — Кунаева от Толе би до Богенбай батыра.\n\n{after}\n\nПопулярное:\n- Курс доллара снова вырос\n\
             - В Алматы открыли новый парк\n- Погода на выходные\n"
        );
        let verdicts = run(&page);
        let verdict_of = |start: &str| {
            verdicts.iter().find(|(t, _)| t.starts_with(start)).unwrap_or_else(|| panic!("{start}: {verdicts:#?}")).1
        };
        for line in ["Перекрыты", "— Абая", "— Панфилова", "— Кунаева", after] {
            assert_eq!(verdict_of(line), Verdict::Content, "{line}: {verdicts:#?}");
        }
        for line in ["Популярное", "- Курс", "- Погода"] {
            assert!(matches!(verdict_of(line), Verdict::Removed(_)), "{line}: {verdicts:#?}");
        }
    }

    #[test]
    fn prose_above_the_headline_does_not_take_the_article_region() {
        let notice =
            "If you are a visitor, registration on the portal allows you to create your own page, ask the doctors \
                      your questions and take part in the discussions on the forum with the other members.";
        let page = format!(
            "Storm closes the city schools | City News\n\nWhy register?\n{notice}\n{notice} It is free.\n\n\
             Home\nNews\nSport\nHealth\n\nStorm closes the city schools\n12 January 2024\n{PARAGRAPH_1}\n{PARAGRAPH_2}\n\nShare\n"
        );
        let kept: Vec<String> =
            run(&page).into_iter().filter(|(_, v)| *v == Verdict::Content).map(|(text, _)| text).collect();
        assert_eq!(kept, [PARAGRAPH_1, PARAGRAPH_2]);
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
        let items: String =
            (1..=4).map(|i| format!("{i}) Product number {i} for you\nhttp://example.org/{i}\n")).collect();
        let page = format!("{PARAGRAPH_1}\n\n{items}\nRead also\nOther things\n");
        let kept: Vec<String> =
            run(&page).into_iter().filter(|(_, v)| *v == Verdict::Content).map(|(t, _)| t).collect();
        assert_eq!(kept.len(), 1 + 8, "{kept:?}");
        assert_eq!(kept.last().map(String::as_str), Some("http://example.org/4"));
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
}
