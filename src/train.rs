//! Training data and fitting for the line model (`stage::model`); `examples/train_line_model.rs`
//! is the command-line front end and `scripts/train.sh` runs it with cross-validation.
//!
//! Two layouts of labelled pages are read:
//! - a *split* like `../shared/eval/dev`: `input/<id>.txt` (the page as scraped text) and
//!   `gold/<id>.txt` (the article body); every page is its own site;
//! - a *set* like `../shared/eval/sets/train`: `<id>.txt`, `<id>.gold.txt` and a
//!   `manifest.jsonl` naming each page's language, source and site. Snippet-gold pages are
//!   skipped: they do not label lines.
//!
//! A line is labelled article when the gold body holds it (`GoldIndex::holds`). Lines that a
//! decisive rule removes whatever the score (pattern hits, counters, timestamps) are left out:
//! the model never decides them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::document::Line;
use crate::error::InputError;
use crate::pipeline::Cleaner;
use crate::site_stats::stable_hash;
use crate::stage::classify::{decisive_rule, mark_structure, Settings};
use crate::stage::features::{page_features, Features};
use crate::stage::html::LineStructure;
use crate::stage::model::{self, ModelKind, Vector};
use crate::stage::normalize::{normalize, Form};
use crate::text::for_each_token;

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    // `error`, not `source`: the message says it already, and a source would print it twice.
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}: line {line}: {error}", path.display())]
    Manifest { path: PathBuf, line: usize, error: serde_json::Error },
    #[error("{id}: {error}")]
    Input { id: String, error: InputError },
}

/// One line to learn from.
#[derive(Debug, Clone)]
pub struct Row {
    pub vector: Vector,
    /// The line is part of the gold article body.
    pub article: bool,
    /// Each page's rows weigh 1 in total, as pages do in the benchmarks' metrics; within a page
    /// a line weighs by its words, since the metrics count words.
    pub weight: f32,
}

/// One labelled page.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    pub id: String,
    /// The name it is cleaned under (`PageInput::name`).
    pub name: String,
    /// Pages of one site share templates; cross-validation keeps a site in one fold.
    pub site: String,
    pub lang: String,
    /// The benchmark the page comes from; gold conventions differ between them.
    pub source: String,
    pub input: Vec<u8>,
    pub gold: Vec<u8>,
    pub rows: Vec<Row>,
}

/// Which of a labelled page's inputs to learn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageInput {
    /// The page as scraped text.
    #[default]
    Text,
    /// The page's HTML (`<id>.html.gz`, in `html/` for a split).
    Html,
}

impl PageInput {
    fn path(self, folder: &Path, id: &str) -> PathBuf {
        match self {
            PageInput::Text => folder.join(format!("{id}.txt")),
            PageInput::Html => folder.join(format!("{id}.html.gz")),
        }
    }

    fn read(self, path: &Path) -> Result<Vec<u8>, TrainError> {
        let bytes = read(path)?;
        match self {
            PageInput::Text => Ok(bytes),
            PageInput::Html => {
                let mut html = Vec::new();
                std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut html)
                    .map_err(|error| TrainError::Io { path: path.to_path_buf(), error })?;
                Ok(html)
            }
        }
    }

    /// The name a page is cleaned under: an HTML page's says it is HTML, whatever its first
    /// bytes.
    fn name(self, id: &str) -> String {
        match self {
            PageInput::Text => id.to_string(),
            PageInput::Html => format!("{id}.html"),
        }
    }
}

impl LabelledPage {
    /// The page cleaned, as the pipeline cleans it.
    pub fn clean(&self, cleaner: &Cleaner) -> Result<crate::Document, InputError> {
        cleaner.clean_bytes(&self.id, &self.name, &self.input)
    }
}

/// The labelled pages of a split (`input/` and `gold/` folders), in id order.
pub fn load_split(split: &Path, cleaner: &Cleaner, from: PageInput) -> Result<Vec<LabelledPage>, TrainError> {
    let mut ids: Vec<String> = read_dir(&split.join("gold"))?
        .into_iter()
        .filter_map(|name| name.strip_suffix(".txt").map(str::to_string))
        .collect();
    ids.sort();
    let source = split.file_name().map_or_else(|| "split".into(), |n| n.to_string_lossy().into_owned());
    ids.into_par_iter()
        .map(|id| {
            let input = match from {
                PageInput::Text => from.read(&from.path(&split.join("input"), &id))?,
                PageInput::Html => from.read(&from.path(&split.join("html"), &id))?,
            };
            let gold = read(&split.join("gold").join(format!("{id}.txt")))?;
            let name = from.name(&id);
            let page = LabelledPage {
                site: id.clone(),
                id,
                name,
                lang: "en".into(),
                source: source.clone(),
                input,
                gold,
                rows: Vec::new(),
            };
            Ok(LabelledPage { rows: label_rows(cleaner, &page)?, ..page })
        })
        .collect()
}

/// The labelled pages of a set (`manifest.jsonl` with `<id>.txt` and `<id>.gold.txt`), in
/// manifest order.
pub fn load_set(set: &Path, cleaner: &Cleaner, from: PageInput) -> Result<Vec<LabelledPage>, TrainError> {
    #[derive(serde::Deserialize)]
    struct Entry {
        id: String,
        #[serde(default)]
        lang: String,
        #[serde(default)]
        source: String,
        #[serde(default)]
        site: String,
        #[serde(default)]
        gold: String,
    }
    let manifest_path = set.join("manifest.jsonl");
    let manifest = read(&manifest_path)?;
    let mut entries = Vec::new();
    for (at, line) in String::from_utf8_lossy(&manifest).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Entry = serde_json::from_str(line).map_err(|error| TrainError::Manifest {
            path: manifest_path.clone(),
            line: at + 1,
            error,
        })?;
        if entry.gold == "text" {
            entries.push(entry);
        }
    }
    entries
        .into_par_iter()
        .map(|entry| {
            let input = from.read(&from.path(set, &entry.id))?;
            let gold = read(&set.join(format!("{}.gold.txt", entry.id)))?;
            let site = if entry.site.is_empty() { entry.id.clone() } else { entry.site };
            let name = from.name(&entry.id);
            let page = LabelledPage {
                id: entry.id,
                name,
                site,
                lang: entry.lang,
                source: entry.source,
                input,
                gold,
                rows: Vec::new(),
            };
            Ok(LabelledPage { rows: label_rows(cleaner, &page)?, ..page })
        })
        .collect()
}

/// The fold of a site among `folds`, the same on every run and machine.
pub fn site_fold(site: &str, folds: usize) -> usize {
    (stable_hash(site) % folds.max(1) as u64) as usize
}

fn read(path: &Path) -> Result<Vec<u8>, TrainError> {
    std::fs::read(path).map_err(|error| TrainError::Io { path: path.to_path_buf(), error })
}

fn read_dir(path: &Path) -> Result<Vec<String>, TrainError> {
    let entries = std::fs::read_dir(path).map_err(|error| TrainError::Io { path: path.to_path_buf(), error })?;
    Ok(entries.filter_map(|e| e.ok()).filter_map(|e| e.file_name().to_str().map(str::to_string)).collect())
}

/// A page's lines as the pipeline sees them, their features and their labels.
struct LabelledLines {
    lines: Vec<Line>,
    features: Vec<Option<Features>>,
    /// What an HTML page's markup says of each line; empty for text.
    structure: Vec<LineStructure>,
    /// The line is article and a decisive rule does not remove it.
    article: Vec<bool>,
    /// A decisive rule removes the line whatever the model says.
    decided: Vec<bool>,
}

fn labelled_lines(cleaner: &Cleaner, page: &LabelledPage) -> Result<LabelledLines, TrainError> {
    let gold = GoldIndex::new(&normalize(&String::from_utf8_lossy(&page.gold), Form::Nfc));
    let doc = page.clean(cleaner).map_err(|error| TrainError::Input { id: page.id.clone(), error })?;
    let (_, mut features) = page_features(&doc.lines, cleaner.patterns());
    mark_structure(&mut features, &doc.structure);
    let settings = Settings::default();
    let decided: Vec<bool> =
        features.iter().map(|f| f.as_ref().is_some_and(|f| decisive_rule(f, &settings).is_some())).collect();
    let article =
        gold.label(&doc.lines).into_iter().zip(&decided).map(|(article, &decided)| article && !decided).collect();
    Ok(LabelledLines { lines: doc.lines, features, structure: doc.structure, article, decided })
}

/// The rows of the lines the model decides.
fn label_rows(cleaner: &Cleaner, page: &LabelledPage) -> Result<Vec<Row>, TrainError> {
    let page = labelled_lines(cleaner, page)?;
    let vectors = model::vectors(&page.lines, &page.features, &page.structure);
    let mut rows = Vec::new();
    for (((f, v), &article), &decided) in page.features.iter().zip(&vectors).zip(&page.article).zip(&page.decided) {
        if let (Some(f), Some(v), false) = (f, v, decided) {
            rows.push(Row { vector: *v, article, weight: f.words.max(1) as f32 });
        }
    }
    let total: f32 = rows.iter().map(|r| r.weight).sum::<f32>().max(1.0);
    rows.iter_mut().for_each(|r| r.weight /= total);
    Ok(rows)
}

/// The page as its labels have it: the lines labelled article, less those a decisive rule
/// removes. Its score is what the labels and the decisive rules allow; the gap from there to a
/// model's score is the model's and the region search's.
pub fn oracle_text(cleaner: &Cleaner, page: &LabelledPage) -> Result<String, TrainError> {
    let labelled = labelled_lines(cleaner, page)?;
    let kept: Vec<&str> =
        labelled.lines.iter().zip(&labelled.article).filter(|(_, &a)| a).map(|(l, _)| l.text.as_str()).collect();
    Ok(kept.join("\n"))
}

/// Lines shorter than this many tokens are article only as a whole gold line, or as part of
/// the gold text next to a line that is: "Home" or "Share" occur in many an article body.
const SHORT_LINE_TOKENS: usize = 5;

/// The gold body, tokenised as the scorers do (case-folded words, each CJK character alone),
/// for finding a page's lines in it: the gold joins lines into paragraphs and the scraped text
/// splits them differently, so a line is looked for as a run of tokens, not as a gold line.
struct GoldIndex {
    /// Every gold token run, space-joined and space-framed: " a b c ".
    joined: String,
    lines: HashSet<String>,
    trigrams: HashSet<[u64; 3]>,
}

impl GoldIndex {
    fn new(gold: &str) -> GoldIndex {
        let all: Vec<String> = gold.lines().flat_map(tokens).collect();
        let joined = format!(" {} ", all.join(" "));
        let lines = gold.lines().map(|l| tokens(l).join(" ")).filter(|l| !l.is_empty()).collect();
        let hashes: Vec<u64> = all.iter().map(|t| stable_hash(t)).collect();
        let trigrams = hashes.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
        GoldIndex { joined, lines, trigrams }
    }

    /// Whether the gold holds the line: all of it as a token run, or (for longer lines that
    /// the gold edited slightly) most of its token trigrams.
    fn holds(&self, line: &str) -> Option<bool> {
        let tokens = tokens(line);
        if tokens.is_empty() {
            return Some(false);
        }
        let key = tokens.join(" ");
        if tokens.len() < SHORT_LINE_TOKENS {
            return if self.lines.contains(&key) {
                Some(true)
            } else if self.joined.contains(&format!(" {key} ")) {
                None // Decided by the lines around it.
            } else {
                Some(false)
            };
        }
        if self.joined.contains(&format!(" {key} ")) {
            return Some(true);
        }
        let hashes: Vec<u64> = tokens.iter().map(|t| stable_hash(t)).collect();
        let grams = hashes.windows(3).count().max(1);
        let found = hashes.windows(3).filter(|w| self.trigrams.contains(&[w[0], w[1], w[2]])).count();
        Some(found * 10 >= grams * 7)
    }

    /// Each line's label; a short line found inside the gold text is article when the line
    /// before or after it is.
    fn label(&self, lines: &[Line]) -> Vec<bool> {
        let held: Vec<Option<bool>> =
            lines.iter().map(|l| if l.is_blank() { Some(false) } else { self.holds(&l.text) }).collect();
        let non_blank: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect();
        let mut labels: Vec<bool> = held.iter().map(|h| h.unwrap_or(false)).collect();
        for (rank, &i) in non_blank.iter().enumerate() {
            if held[i].is_none() {
                let neighbour =
                    |r: Option<usize>| r.and_then(|r| non_blank.get(r)).is_some_and(|&j| held[j] == Some(true));
                labels[i] = neighbour(rank.checked_sub(1)) || neighbour(Some(rank + 1));
            }
        }
        labels
    }
}

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        for_each_token(word, |token| out.push(token.to_lowercase()));
    }
    out
}

/// Weighted, L2-regularised logistic regression, fitted by full-batch Adam: (weights, bias).
/// The gradient is summed over fixed chunks in parallel and the chunks' sums added in order,
/// so that the fit is the same whatever the thread count.
/// `kind` says which features are fitted (a text model's weights stop at the text features).
pub fn fit(rows: &[&Row], kind: ModelKind, l2: f32, epochs: usize) -> (Vec<f32>, f32) {
    const CHUNK: usize = 4096;
    let width = kind.width();
    let mut w = vec![0.0f32; width + 1]; // last: bias
    let (mut m, mut s) = (vec![0.0f32; width + 1], vec![0.0f32; width + 1]);
    let total_weight: f32 = rows.iter().map(|r| r.weight).sum::<f32>().max(1e-9);
    let (rate, beta1, beta2) = (0.05f32, 0.9f32, 0.999f32);
    for epoch in 1..=epochs {
        let partial: Vec<Vec<f32>> = rows
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut grad = vec![0.0f32; width + 1];
                for row in chunk {
                    let x = &row.vector[..width];
                    let z = w[width] + x.iter().zip(&w).map(|(a, b)| a * b).sum::<f32>();
                    let p = 1.0 / (1.0 + (-z).exp());
                    let err = (p - if row.article { 1.0 } else { 0.0 }) * row.weight / total_weight;
                    for (g, xi) in grad.iter_mut().zip(x) {
                        *g += err * xi;
                    }
                    grad[width] += err;
                }
                grad
            })
            .collect();
        let mut grad = vec![0.0f32; width + 1];
        for part in &partial {
            grad.iter_mut().zip(part).for_each(|(g, p)| *g += p);
        }
        for (g, wi) in grad.iter_mut().zip(&w).take(width) {
            *g += l2 * wi;
        }
        for i in 0..=width {
            m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
            s[i] = beta2 * s[i] + (1.0 - beta2) * grad[i] * grad[i];
            let m_hat = m[i] / (1.0 - beta1.powi(epoch as i32));
            let s_hat = s[i] / (1.0 - beta2.powi(epoch as i32));
            w[i] -= rate * m_hat / (s_hat.sqrt() + 1e-8);
        }
    }
    let bias = w.pop().unwrap_or(0.0);
    (w, bias)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Verdict;
    use crate::patterns::PatternsBuilder;
    use crate::pipeline::Config;
    use crate::stage::model::{LineModel, FEATURE_NAMES};

    const PARAGRAPHS: [&str; 3] = [
        "The delegation held a number of meetings with the partners on Monday, and they agreed that the cooperation will continue.",
        "According to the ministry, the sides also discussed the development of the city infrastructure and its residents.",
        "The next round of talks is planned for the spring, when the experts will present their proposals to the government.",
    ];

    fn cleaner() -> Cleaner {
        Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default())
    }

    fn page(n: usize) -> (String, String) {
        let body: Vec<&str> = PARAGRAPHS.iter().cycle().skip(n).take(3).copied().collect();
        let input = format!(
            "Home\nNews and more news\nSport stories of the day\n\n{}\n\nOther headlines of the week\nAnother headline here\n",
            body.join("\n\n")
        );
        (input, body.join("\n"))
    }

    fn line(text: &str) -> Line {
        Line { number: 1, text: text.into(), verdict: Verdict::Pending, reason: Default::default() }
    }

    #[test]
    fn a_split_is_labelled_and_the_fitted_model_tells_article_from_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["input", "gold"] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
        }
        for n in 0..4 {
            let (input, gold) = page(n);
            std::fs::write(dir.path().join(format!("input/{n}.txt")), input).unwrap();
            std::fs::write(dir.path().join(format!("gold/{n}.txt")), gold).unwrap();
        }
        let pages = load_split(dir.path(), &cleaner(), PageInput::Text).unwrap();
        assert_eq!(pages.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["0", "1", "2", "3"]);
        for page in &pages {
            assert_eq!(page.rows.iter().filter(|r| r.article).count(), 3, "{}", page.id);
            assert!(page.rows.iter().any(|r| !r.article));
            assert!((page.rows.iter().map(|r| r.weight).sum::<f32>() - 1.0).abs() < 1e-4);
        }
        let rows: Vec<&Row> = pages.iter().flat_map(|p| &p.rows).collect();
        let (weights, bias) = fit(&rows, ModelKind::Text, 1e-3, 300);
        let model = LineModel {
            note: String::new(),
            features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
            weights,
            bias,
        };
        for row in rows {
            assert_eq!(model.score(&row.vector) > 0.0, row.article);
        }
    }

    #[test]
    fn a_set_is_read_from_its_manifest_and_snippet_pages_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = String::new();
        for (n, site) in ["a.kz", "a.kz", "b.ru"].iter().enumerate() {
            let (input, gold) = page(n);
            std::fs::write(dir.path().join(format!("p{n}.txt")), input).unwrap();
            std::fs::write(dir.path().join(format!("p{n}.gold.txt")), gold).unwrap();
            manifest += &format!(
                "{{\"id\": \"p{n}\", \"lang\": \"en\", \"source\": \"s\", \"site\": \"{site}\", \"gold\": \"text\"}}\n"
            );
        }
        manifest += "{\"id\": \"snip\", \"lang\": \"de\", \"site\": \"c.de\", \"gold\": \"snippets\"}\n";
        std::fs::write(dir.path().join("manifest.jsonl"), manifest).unwrap();
        let pages = load_set(dir.path(), &cleaner(), PageInput::Text).unwrap();
        let sites: Vec<&str> = pages.iter().map(|p| p.site.as_str()).collect();
        assert_eq!(sites, ["a.kz", "a.kz", "b.ru"]);
        assert!(pages.iter().all(|p| p.rows.iter().filter(|r| r.article).count() == 3));
        let oracle = oracle_text(&cleaner(), &pages[0]).unwrap();
        assert_eq!(oracle, PARAGRAPHS.join("\n"));

        std::fs::write(dir.path().join("manifest.jsonl"), "{\"id\": 1}\n").unwrap();
        let err = load_set(dir.path(), &cleaner(), PageInput::Text).unwrap_err().to_string();
        assert!(err.contains("manifest.jsonl: line 1"), "{err}");
    }

    #[test]
    fn a_split_without_gold_is_an_error_naming_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_split(dir.path(), &cleaner(), PageInput::Text).unwrap_err();
        assert!(err.to_string().contains("gold"), "{err}");
    }

    #[test]
    fn folds_are_fixed_by_the_site_name_and_all_used() {
        assert_eq!(site_fold("example.com", 5), site_fold("example.com", 5));
        let used: HashSet<usize> = (0..100).map(|n| site_fold(&format!("site{n}.org"), 5)).collect();
        assert_eq!(used.len(), 5);
        assert!((0..100).all(|n| site_fold(&format!("site{n}.org"), 5) < 5));
    }

    #[test]
    fn a_line_is_article_when_the_gold_holds_it_as_a_run_of_tokens() {
        let gold = GoldIndex::new(
            "Share the road: the city closes Abai Avenue on Sunday for the marathon, the mayor said.\n\
             Streets closed\n城市 将在 周日 关闭 道路",
        );
        let labels = gold.label(&[
            line("Home"),
            line("Streets closed"),
            line("The city closes Abai Avenue on Sunday"),
            line("for the marathon, the Mayor said."),
            line("The city closes Abai avenue on Monday for the marathon, the mayor said"),
            line("The city opens its new bridge on Sunday for the cyclists of the region"),
            line("Share"),
            line("Home"),
            line("将在周日关闭道路"),
        ]);
        assert_eq!(labels, [false, true, true, true, true, false, false, false, true]);
        // A short line found in the gold text is article next to a line that is.
        let labels = gold.label(&[line("Share the road:"), line("the city closes Abai Avenue on Sunday")]);
        assert_eq!(labels, [true, true]);
    }
}
