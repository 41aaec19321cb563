//! The rules: every removed line names one, so that `--removed`, `diff` and `explain` can say
//! why it went.
//!
//! A *decisive* rule removes a line whatever its context (a pattern hit, a number alone, a date
//! alone, a line repeated across the site); a *soft* rule names the strongest reason to remove a
//! line that the score and the article region left out.

use super::Settings;
use crate::patterns::kinds::ANY_LENGTH_KINDS;
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
