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
use crate::stage::html::{mark, LineStructure};

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
    /// What an HTML page's markup says of a line the score and the region left out.
    pub const IN_NAV: &str = "in-nav";
    pub const IN_FOOTER: &str = "in-footer";
    pub const IN_ASIDE: &str = "in-aside";
    pub const IN_FORM: &str = "in-form";
    pub const CLASS_RELATED: &str = "class:related";
    pub const CLASS_SHARE: &str = "class:share";
    pub const CLASS_COMMENT: &str = "class:comment";
    pub const CLASS_PROMO: &str = "class:promo";
    pub const CLASS_COOKIE: &str = "class:cookie";
    pub const LINK_DENSE: &str = "link-dense";
    pub const CAPTION: &str = "caption";
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
    (
        rule::IN_NAV,
        "inside the page's navigation (<nav>, role=navigation, or a class or id naming a menu or breadcrumb)",
    ),
    (rule::IN_FOOTER, "inside the page's footer (<footer>, role=contentinfo, or a class or id naming it)"),
    (rule::IN_ASIDE, "inside a sidebar (<aside>, role=complementary, or a class or id naming a sidebar or widget)"),
    (rule::IN_FORM, "inside a form or a button"),
    (rule::CLASS_RELATED, "inside an element whose class or id names related, popular or recommended items"),
    (rule::CLASS_SHARE, "inside an element whose class or id names sharing or social links"),
    (rule::CLASS_COMMENT, "inside an element whose class or id names comments"),
    (rule::CLASS_PROMO, "inside an element whose class or id names an ad, a promotion or a subscription"),
    (rule::CLASS_COOKIE, "inside an element whose class or id names a cookie or consent notice"),
    (rule::LINK_DENSE, "most of its characters are inside links"),
    (rule::CAPTION, "a figure or its caption (<figure>, <figcaption>, a table's <caption>)"),
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
    if let Some(part) = f.outside_part.filter(|_| !long_sentence) {
        return Some(part);
    }
    match f.shape {
        Shape::Counter => Some(rule::COUNTER),
        Shape::Timestamp => Some(rule::TIMESTAMP),
        Shape::Text => None,
    }
}

/// The most telling reason to remove a line that no decisive rule caught: what the line is
/// (repeated, a link, a headline among headlines), else where the markup puts it, else where
/// the region left it.
pub(super) fn soft_rule(f: &Features, inside: bool, structure: Option<&LineStructure>) -> &'static str {
    if let Some(rule) =
        structure.filter(|_| f.occurrences <= 1 && !f.has_url && !f.in_headline_run).and_then(structural_rule)
    {
        return rule;
    }
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

/// The part of an HTML page a line is in, when the markup names one that is next to never the
/// article: on the training pages, 1-2% of the lines in navigation, footers and buttons are.
pub(crate) fn outside_part(s: &LineStructure) -> Option<&'static str> {
    const PARTS: &[(u32, &str)] = &[
        (mark::NAV | mark::CLASS_NAV, rule::IN_NAV),
        (mark::FOOTER | mark::CLASS_FOOTER, rule::IN_FOOTER),
        (mark::BUTTON, rule::IN_FORM),
        (mark::CAPTION, rule::CAPTION),
    ];
    PARTS.iter().find(|(bits, _)| s.has(*bits)).map(|&(_, rule)| rule)
}

/// Where an HTML page's markup puts a line, as a rule name, when it puts it in a part of the
/// page other than the article.
fn structural_rule(s: &LineStructure) -> Option<&'static str> {
    const PARTS: &[(u32, &str)] = &[
        (mark::NAV | mark::CLASS_NAV, rule::IN_NAV),
        (mark::CLASS_RELATED, rule::CLASS_RELATED),
        (mark::CLASS_COMMENT, rule::CLASS_COMMENT),
        (mark::CLASS_SHARE, rule::CLASS_SHARE),
        (mark::CLASS_COOKIE, rule::CLASS_COOKIE),
        (mark::CLASS_PROMO, rule::CLASS_PROMO),
        (mark::FOOTER | mark::CLASS_FOOTER, rule::IN_FOOTER),
        (mark::ASIDE | mark::CLASS_SIDEBAR, rule::IN_ASIDE),
        (mark::FORM | mark::BUTTON, rule::IN_FORM),
    ];
    PARTS
        .iter()
        .find(|(bits, _)| s.has(*bits))
        .map(|&(_, rule)| rule)
        .or_else(|| (s.chars > 0 && s.link_density() >= 0.5).then_some(rule::LINK_DENSE))
}
