//! The rules: every removed line names one, so that `--removed`, `diff` and `explain` can say
//! why it went.
//!
//! A *decisive* rule removes a line whatever its context (a pattern hit, a number alone, a date
//! alone, a line repeated across the site); a *soft* rule names the strongest reason to remove a
//! line that the score and the article region left out.

use super::Settings;
use crate::document::{Reason, Verdict};
use crate::patterns::kinds::{ANY_LENGTH_KINDS, FOOTER_KINDS};
use crate::stage::features::{Features, Shape};

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
    /// A line that went into the record's metadata (`stage::metadata`).
    pub const TITLE: &str = "title";
    pub const DATE: &str = "date";
    pub const AUTHOR: &str = "author";
    pub const SITE: &str = "site";
}

/// What each built-in rule means, as `explain` says it. A pattern kind means that one of its
/// patterns matched.
const MEANINGS: &[(&str, &str)] = &[
    (rule::COUNTER, "the line is a number alone (views, comments)"),
    (rule::TIMESTAMP, "the line is only a date and/or time"),
    (rule::SITE_REPEAT, "the line is on many pages of the same site (--line-stats)"),
    (rule::DUPLICATE, "the same line appears elsewhere in the page (headlines printed twice, menus)"),
    (rule::URL, "contains a link"),
    (rule::HEADLINE_LIST, "one of three or more short lines in a row without sentence punctuation"),
    (rule::OUTSIDE_ARTICLE, "outside the article region"),
    (rule::SHORT_LINE, "a short line inside the region that context does not vouch for"),
    (rule::NOT_A_SENTENCE, "scores too low for content inside the region"),
];

/// A line's verdict and the reason the classifier gave it, in words, with the thresholds in
/// effect.
pub fn describe(verdict: Verdict, reason: Reason, settings: &Settings) -> String {
    let Verdict::Removed(rule) = verdict else {
        return match reason {
            Reason::Prose => "kept: inside the article region, and scored as prose".into(),
            Reason::Subheading => "kept: a short line between paragraphs of the article (a subheading)".into(),
            Reason::ArticleList => "kept: an item of a list the article presents, or its heading".into(),
            _ => "blank (a paragraph break, neither kept nor removed)".into(),
        };
    };
    let meaning = MEANINGS.iter().find(|&&(name, _)| name == rule).map(|&(_, meaning)| meaning);
    let why = match (reason, meaning) {
        (Reason::Metadata, _) => "taken into the record's metadata".to_string(),
        (Reason::InCommentSection, _) => "part of the comment section, after its marker".to_string(),
        (_, Some(meaning)) => meaning.to_string(),
        (_, None) if ANY_LENGTH_KINDS.contains(&rule) => {
            format!("a pattern of kind '{rule}' matches, which removes a line of any length")
        }
        (_, None) => format!(
            "a pattern of kind '{rule}' matches and the line is not a sentence of {} words or more",
            settings.pattern_max_words
        ),
    };
    if FOOTER_KINDS.contains(&rule) && reason == Reason::Decisive {
        format!("removed [{rule}]: {why}; a marker line also opens a footer, which weighs heavily against the article region crossing it (not when it leads a headline inside the article)")
    } else {
        format!("removed [{rule}]: {why}")
    }
}

/// The rule that removes a line whatever its context, if any.
///
/// A pattern hit is decisive unless the line is a sentence of `pattern_max_words` or more (a
/// kind in `ANY_LENGTH_KINDS` removes any line); a line repeated across the site, a number
/// alone and a date alone are decisive too.
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

/// The most telling reason to remove a line that no decisive rule caught.
pub(super) fn soft_rule(f: &Features, inside: bool) -> &'static str {
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
