//! The learned line scorer: logistic regression over what a line and its neighbours look like.
//!
//! Each non-blank line becomes a vector of features that survive in plain text (length,
//! sentence punctuation, stopword share, Title Case, URLs, repetition, separators, digits,
//! position in the page, blank lines around it) and the same kind of features of the lines
//! around it, as jusText looks at its neighbours. The hand-set `content_score` is one of the
//! features, so the model starts from what the rules know and learns corrections to it.
//!
//! The weights come from `examples/train_line_model.rs` (run by `scripts/train.sh`), trained on
//! the labelled pages of `../shared/eval/sets/train`, and ship as `model/line-model.json`,
//! embedded in the binary. The score is a log-odds: above 0 the line is likelier article than
//! boilerplate.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::document::Line;
use crate::stage::features::{content_score, Features, Shape};
use crate::stage::html::{mark, LineStructure};

/// Feature names, in vector order. A model file names its features, and a file whose names
/// differ from these is refused rather than silently misread.
pub const FEATURE_NAMES: &[&str] = &[
    "hand_score",
    "log_words",
    "words_1_3",
    "words_4_7",
    "words_8_14",
    "words_15_24",
    "words_25_plus",
    "terminal",
    "stopword_share",
    "no_stopword_list",
    "capitalised_share",
    "title_case",
    "has_url",
    "repeated",
    "in_headline_run",
    "in_numbered_list",
    "pattern_hit",
    "separators",
    "digit_share",
    "mean_word_length",
    "position",
    "middle",
    "blank_before",
    "blank_after",
    "ends_with_colon",
    "log_chars",
    "prev_hand_score",
    "prev_terminal",
    "prev_log_words",
    "prev_repeated",
    "prev_in_headline_run",
    "prev_exists",
    "next_hand_score",
    "next_terminal",
    "next_log_words",
    "next_repeated",
    "next_in_headline_run",
    "next_exists",
    "prev2_hand_score",
    "next2_hand_score",
];

/// Features an HTML page adds to a line's (`html::LineStructure`), after `FEATURE_NAMES`: what
/// its elements are, where they sit, the words of their classes, the links in it.
pub const HTML_FEATURE_NAMES: &[&str] = &[
    "html_heading",
    "html_h1_h2",
    "html_list_item",
    "html_table_cell",
    "html_paragraph",
    "html_link_density",
    "html_mostly_links",
    "html_in_nav",
    "html_in_header",
    "html_in_footer",
    "html_in_aside",
    "html_in_form",
    "html_in_button",
    "html_in_article",
    "html_outside_article",
    "html_caption",
    "class_nav",
    "class_footer",
    "class_related",
    "class_share",
    "class_comment",
    "class_sidebar",
    "class_promo",
    "class_cookie",
    "class_content",
    "class_outside_content",
    "class_byline",
    "class_caption",
    "class_hidden",
    "prev_link_density",
    "next_link_density",
    "prev_in_article",
    "next_in_article",
    "html_in_main_container",
    "html_container_share",
    "repeated_3_plus",
];

/// Number of features of a line of text.
pub const WIDTH: usize = FEATURE_NAMES.len();

/// Number of features of a line of an HTML page.
pub const HTML_WIDTH: usize = WIDTH + HTML_FEATURE_NAMES.len();

/// One line's features as numbers; a text line's HTML features are 0.
pub type Vector = [f32; HTML_WIDTH];

/// Which features a model weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// `FEATURE_NAMES`: what survives in plain text.
    Text,
    /// `FEATURE_NAMES` and `HTML_FEATURE_NAMES`.
    Html,
}

impl ModelKind {
    pub fn feature_names(self) -> impl Iterator<Item = &'static str> {
        let html: &[&str] = if self == ModelKind::Html { HTML_FEATURE_NAMES } else { &[] };
        FEATURE_NAMES.iter().chain(html).copied()
    }

    pub fn width(self) -> usize {
        match self {
            ModelKind::Text => WIDTH,
            ModelKind::Html => HTML_WIDTH,
        }
    }
}

/// Logistic-regression weights over `FEATURE_NAMES`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LineModel {
    /// What the model was trained on and how it scored, for people reading the file.
    #[serde(default)]
    pub note: String,
    pub features: Vec<String>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    // No `#[from]`: a source would print the JSON error a second time.
    #[error("not a line model: {0}")]
    Json(serde_json::Error),
    #[error("the model's features differ from this version's ({0})")]
    Features(String),
}

impl LineModel {
    /// The model compiled into the binary. Were the file out of step with `FEATURE_NAMES` (a
    /// unit test makes sure it is not), the hand-set score stands in, so that the trainer,
    /// which runs the pipeline, can still produce a new file.
    pub fn embedded() -> Arc<LineModel> {
        static MODEL: OnceLock<Arc<LineModel>> = OnceLock::new();
        MODEL.get_or_init(|| Arc::new(Self::from_json(EMBEDDED).unwrap_or_else(|_| Self::hand()))).clone()
    }

    /// The model for HTML pages compiled into the binary (the text model stands in for it as
    /// the hand score does for the text model).
    pub fn embedded_html() -> Arc<LineModel> {
        static MODEL: OnceLock<Arc<LineModel>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                Self::from_json(EMBEDDED_HTML)
                    .ok()
                    .filter(|model| model.kind() == ModelKind::Html)
                    .map_or_else(Self::embedded, Arc::new)
            })
            .clone()
    }

    pub fn from_json(text: &str) -> Result<LineModel, ModelError> {
        let model: LineModel = serde_json::from_str(text).map_err(ModelError::Json)?;
        let kind = if model.features.len() == HTML_WIDTH { ModelKind::Html } else { ModelKind::Text };
        let width = kind.width();
        if model.features.len() != width || model.weights.len() != width {
            return Err(ModelError::Features(format!(
                "{} names and {} weights for {WIDTH} features (or {HTML_WIDTH} with HTML's)",
                model.features.len(),
                model.weights.len()
            )));
        }
        if let Some((theirs, ours)) = model.features.iter().zip(kind.feature_names()).find(|(a, b)| a != b) {
            return Err(ModelError::Features(format!("{theirs:?} where {ours:?} was expected")));
        }
        Ok(model)
    }

    /// The model that scores exactly like the hand-set `content_score`.
    pub fn hand() -> LineModel {
        let mut weights = vec![0.0; WIDTH];
        weights[0] = HAND_SCALE;
        LineModel {
            note: "hand-set content score only".into(),
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            weights,
            bias: 0.0,
        }
    }

    pub fn kind(&self) -> ModelKind {
        if self.weights.len() == HTML_WIDTH {
            ModelKind::Html
        } else {
            ModelKind::Text
        }
    }

    /// The log-odds that the line is article text. A text model reads the text features only.
    pub fn score(&self, vector: &Vector) -> f32 {
        self.bias + self.weights.iter().zip(vector).map(|(w, x)| w * x).sum::<f32>()
    }
}

const EMBEDDED: &str = include_str!("../../model/line-model.json");
const EMBEDDED_HTML: &str = include_str!("../../model/html-line-model.json");

/// `content_score` is divided by this in the vector, so that all features have similar ranges.
const HAND_SCALE: f32 = 3.0;

/// The feature vector of every line (`None` for blank lines); `structure`, by line, for the
/// lines of an HTML page.
pub fn vectors(lines: &[Line], features: &[Option<Features>], structure: &[LineStructure]) -> Vec<Option<Vector>> {
    let mut out = vec![None; features.len()];
    for_each_vector(lines, features, structure, |i, v| out[i] = Some(*v));
    out
}

/// The model's score of every line (0 for blank lines), without keeping the vectors.
pub fn scores(
    lines: &[Line],
    features: &[Option<Features>],
    structure: &[LineStructure],
    model: &LineModel,
) -> Vec<f32> {
    let mut out = vec![0.0; features.len()];
    for_each_vector(lines, features, structure, |i, v| out[i] = model.score(v));
    out
}

/// Calls `visit` with the index and feature vector of every non-blank line. `structure` is
/// empty for a text page, whose HTML features stay 0.
fn for_each_vector(
    lines: &[Line],
    features: &[Option<Features>],
    structure: &[LineStructure],
    mut visit: impl FnMut(usize, &Vector),
) {
    let page = PageStructure::of(structure);
    let hand: Vec<Option<f32>> = features.iter().map(|f| f.as_ref().map(|f| content_score(f) / HAND_SCALE)).collect();
    // A line's own and both its neighbours' vectors take its word count's logarithm: taken once
    // a line, not three times.
    let log_words: Vec<f32> =
        features.iter().map(|f| f.as_ref().map_or(0.0, |f| (1.0 + f.words as f32).ln() / 4.0)).collect();
    let non_blank: Vec<usize> = (0..features.len()).filter(|&i| features[i].is_some()).collect();
    let count = non_blank.len().max(1) as f32;
    for (rank, &i) in non_blank.iter().enumerate() {
        let Some(f) = &features[i] else { continue };
        let text = lines[i].text.as_str();
        let neighbour = |offset: isize| {
            rank.checked_add_signed(offset).and_then(|r| non_blank.get(r)).map(|&j| (j, features[j].as_ref()))
        };
        let mut v = [0.0f32; HTML_WIDTH];
        let mut k = 0;
        let mut put = |value: f32| {
            v[k] = value;
            k += 1;
        };
        put(hand[i].unwrap_or(0.0));
        put(log_words[i]);
        put(flag((1..=3).contains(&f.words)));
        put(flag((4..=7).contains(&f.words)));
        put(flag((8..=14).contains(&f.words)));
        put(flag((15..=24).contains(&f.words)));
        put(flag(f.words >= 25));
        put(flag(f.terminal));
        put(f.stopword_share.unwrap_or(0.0));
        put(flag(f.stopword_share.is_none()));
        put(f.capitalised_share);
        put(flag(f.capitalised_share > 0.6 && (3..=20).contains(&f.words)));
        put(flag(f.has_url));
        put(flag(f.occurrences > 1));
        put(flag(f.in_headline_run));
        put(flag(f.in_numbered_list));
        put(flag(f.pattern.is_some() || f.shape != Shape::Text));
        put(f.separators.min(4) as f32 / 4.0);
        put(f.digits as f32 / f.chars.max(1) as f32);
        put((f.chars as f32 / f.words.max(1) as f32).min(20.0) / 10.0);
        let position = rank as f32 / count;
        put(position);
        put(4.0 * position * (1.0 - position));
        put(flag(i == 0 || lines[i - 1].is_blank()));
        put(flag(i + 1 >= lines.len() || lines[i + 1].is_blank()));
        put(flag(text.ends_with(':')));
        put((1.0 + f.chars as f32).ln() / 6.0);
        for offset in [-1, 1] {
            match neighbour(offset) {
                Some((j, Some(g))) => {
                    put(hand[j].unwrap_or(0.0));
                    put(flag(g.terminal));
                    put(log_words[j]);
                    put(flag(g.occurrences > 1));
                    put(flag(g.in_headline_run));
                    put(1.0);
                }
                _ => {
                    for _ in 0..6 {
                        put(0.0);
                    }
                }
            }
        }
        for offset in [-2, 2] {
            put(neighbour(offset).and_then(|(j, _)| hand[j]).unwrap_or(0.0));
        }
        debug_assert_eq!(k, WIDTH);
        if let Some(s) = structure.get(i) {
            let around = |offset| neighbour(offset).and_then(|(j, _)| structure.get(j));
            put_html_features(&mut v[WIDTH..], f, s, around(-1), around(1), &page);
        }
        visit(i, &v);
    }
}

/// What holds for a whole HTML page, which its lines' features compare with.
struct PageStructure {
    /// Some line is inside `<article>`/`<main>` (or their roles).
    has_article: bool,
    /// Some line is inside an element whose class or id names the content.
    has_content_class: bool,
}

impl PageStructure {
    fn of(structure: &[LineStructure]) -> Self {
        let any = |bits| structure.iter().any(|s| s.has(bits));
        PageStructure { has_article: any(mark::ARTICLE), has_content_class: any(mark::CLASS_CONTENT) }
    }
}

fn put_html_features(
    v: &mut [f32],
    f: &Features,
    s: &LineStructure,
    previous: Option<&LineStructure>,
    next: Option<&LineStructure>,
    page: &PageStructure,
) {
    let density = s.link_density();
    let values = [
        flag(s.heading > 0),
        flag((1..=2).contains(&s.heading)),
        flag(s.has(mark::LIST_ITEM)),
        flag(s.has(mark::TABLE_CELL)),
        flag(s.has(mark::PARAGRAPH)),
        density,
        flag(density > 0.8),
        flag(s.has(mark::NAV)),
        flag(s.has(mark::HEADER)),
        flag(s.has(mark::FOOTER)),
        flag(s.has(mark::ASIDE)),
        flag(s.has(mark::FORM)),
        flag(s.has(mark::BUTTON)),
        flag(s.has(mark::ARTICLE)),
        flag(page.has_article && !s.has(mark::ARTICLE)),
        flag(s.has(mark::CAPTION)),
        flag(s.has(mark::CLASS_NAV)),
        flag(s.has(mark::CLASS_FOOTER)),
        flag(s.has(mark::CLASS_RELATED)),
        flag(s.has(mark::CLASS_SHARE)),
        flag(s.has(mark::CLASS_COMMENT)),
        flag(s.has(mark::CLASS_SIDEBAR)),
        flag(s.has(mark::CLASS_PROMO)),
        flag(s.has(mark::CLASS_COOKIE)),
        flag(s.has(mark::CLASS_CONTENT)),
        flag(page.has_content_class && !s.has(mark::CLASS_CONTENT)),
        flag(s.has(mark::CLASS_BYLINE)),
        flag(s.has(mark::CLASS_CAPTION)),
        flag(s.has(mark::CLASS_HIDDEN)),
        previous.map_or(0.0, LineStructure::link_density),
        next.map_or(0.0, LineStructure::link_density),
        flag(previous.is_some_and(|p| p.has(mark::ARTICLE))),
        flag(next.is_some_and(|n| n.has(mark::ARTICLE))),
        flag(s.has(mark::MAIN_CONTAINER)),
        s.container as f32 / 100.0,
        // Captions of a gallery, a teaser in every slot: an HTML page prints them again and again.
        flag(f.occurrences >= 3),
    ];
    debug_assert_eq!(values.len(), HTML_FEATURE_NAMES.len());
    v.copy_from_slice(&values);
}

fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_matches_the_features() {
        let model = LineModel::from_json(EMBEDDED).unwrap();
        assert_ne!(model, LineModel::hand());
        assert_eq!(*LineModel::embedded(), model);
    }

    #[test]
    fn a_model_with_other_features_is_refused() {
        let mut model = LineModel::hand();
        model.features[3] = "something_else".into();
        let err = LineModel::from_json(&serde_json::to_string(&model).unwrap()).unwrap_err();
        assert!(err.to_string().contains("something_else"), "{err}");
        model.features.pop();
        assert!(LineModel::from_json(&serde_json::to_string(&model).unwrap()).is_err());
    }

    #[test]
    fn the_hand_model_scores_like_the_hand_rules() {
        let f = Features { words: 20, chars: 120, terminal: true, stopword_share: Some(0.4), ..Features::default() };
        let lines = vec![Line {
            number: 1,
            text: "x".repeat(120),
            verdict: crate::document::Verdict::Pending,
            reason: Default::default(),
        }];
        let v = vectors(&lines, &[Some(f.clone())], &[]);
        let score = LineModel::hand().score(v[0].as_ref().unwrap());
        assert!((score - content_score(&f)).abs() < 1e-4);
    }
}
