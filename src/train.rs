//! Training data and fitting for the line model (`stage::model`); `examples/train_line_model.rs`
//! is the command-line front end.
//!
//! A labelled split is a folder with `input/<id>.txt` (the page as scraped text) and
//! `gold/<id>.txt` (the article body), like `../shared/eval/dev`. A line of a page is labelled
//! article when its text is a line of the gold body. Lines that a decisive rule removes whatever
//! the score (pattern hits, counters, timestamps) are left out: the model never decides them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::InputError;
use crate::pipeline::Cleaner;
use crate::stage::classify::{decisive_rule, Settings};
use crate::stage::features::page_features;
use crate::stage::model::{self, Vector, WIDTH};
use crate::stage::normalize::{normalize, Form};

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{id}: {source}")]
    Input { id: String, source: InputError },
}

/// One line to learn from.
#[derive(Debug, Clone)]
pub struct Row {
    pub vector: Vector,
    /// The line is part of the gold article body.
    pub article: bool,
    /// Each page's rows weigh 1 in total, as pages do in the benchmark's metric; within a page
    /// a line weighs by its words, since the metric counts word shingles.
    pub weight: f32,
}

/// One labelled page.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    pub id: String,
    pub input: Vec<u8>,
    pub rows: Vec<Row>,
}

/// The labelled pages of `split`, in id order.
pub fn load_split(split: &Path, cleaner: &Cleaner) -> Result<Vec<LabelledPage>, TrainError> {
    let read_dir = |path: PathBuf| std::fs::read_dir(&path).map_err(|source| TrainError::Io { path, source });
    let mut ids: Vec<String> = read_dir(split.join("gold"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".txt")).map(str::to_string))
        .collect();
    ids.sort();
    let settings = Settings::default();
    let mut pages = Vec::new();
    for id in ids {
        let read = |path: PathBuf| std::fs::read(&path).map_err(|source| TrainError::Io { path, source });
        let input = read(split.join("input").join(format!("{id}.txt")))?;
        let gold = read(split.join("gold").join(format!("{id}.txt")))?;
        let gold = normalize(&String::from_utf8_lossy(&gold), Form::Nfc);
        let gold_lines: HashSet<&str> = gold.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let doc =
            cleaner.clean_bytes(&id, &id, &input).map_err(|source| TrainError::Input { id: id.clone(), source })?;
        let (_, features) = page_features(&doc.lines, cleaner.patterns());
        let vectors = model::vectors(&doc.lines, &features);
        let mut rows = Vec::new();
        for ((line, f), v) in doc.lines.iter().zip(&features).zip(&vectors) {
            let (Some(f), Some(v)) = (f, v) else { continue };
            if decisive_rule(f, &settings).is_none() {
                let article = gold_lines.contains(line.text.trim());
                rows.push(Row { vector: *v, article, weight: f.words.max(1) as f32 });
            }
        }
        let total: f32 = rows.iter().map(|r| r.weight).sum::<f32>().max(1.0);
        rows.iter_mut().for_each(|r| r.weight /= total);
        pages.push(LabelledPage { id, input, rows });
    }
    Ok(pages)
}

/// Weighted, L2-regularised logistic regression, fitted by full-batch Adam: (weights, bias).
pub fn fit(rows: &[&Row], l2: f32, epochs: usize) -> (Vec<f32>, f32) {
    let mut w = vec![0.0f32; WIDTH + 1]; // last: bias
    let (mut m, mut s) = (vec![0.0f32; WIDTH + 1], vec![0.0f32; WIDTH + 1]);
    let total_weight: f32 = rows.iter().map(|r| r.weight).sum::<f32>().max(1e-9);
    let (rate, beta1, beta2) = (0.05f32, 0.9f32, 0.999f32);
    for epoch in 1..=epochs {
        let mut grad = [0.0f32; WIDTH + 1];
        for row in rows {
            let z = w[WIDTH] + row.vector.iter().zip(&w).map(|(a, b)| a * b).sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let err = (p - if row.article { 1.0 } else { 0.0 }) * row.weight / total_weight;
            for (g, xi) in grad.iter_mut().zip(&row.vector) {
                *g += err * xi;
            }
            grad[WIDTH] += err;
        }
        for (g, wi) in grad.iter_mut().zip(&w).take(WIDTH) {
            *g += l2 * wi;
        }
        for i in 0..=WIDTH {
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
    use crate::patterns::PatternsBuilder;
    use crate::pipeline::Config;
    use crate::stage::model::{LineModel, FEATURE_NAMES};

    const PARAGRAPHS: [&str; 3] = [
        "The delegation held a number of meetings with the partners on Monday, and they agreed that the cooperation will continue.",
        "According to the ministry, the sides also discussed the development of the city infrastructure and its residents.",
        "The next round of talks is planned for the spring, when the experts will present their proposals to the government.",
    ];

    #[test]
    fn a_split_is_labelled_and_the_fitted_model_tells_article_from_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["input", "gold"] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
        }
        for page in 0..4 {
            let body: Vec<&str> = PARAGRAPHS.iter().cycle().skip(page).take(3).copied().collect();
            let input = format!(
                "Home\nNews and more news\nSport stories of the day\n\n{}\n\nOther headlines of the week\nAnother headline here\n",
                body.join("\n\n")
            );
            std::fs::write(dir.path().join(format!("input/{page}.txt")), input).unwrap();
            std::fs::write(dir.path().join(format!("gold/{page}.txt")), body.join("\n")).unwrap();
        }
        let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
        let pages = load_split(dir.path(), &cleaner).unwrap();
        assert_eq!(pages.len(), 4);
        for page in &pages {
            assert_eq!(page.rows.iter().filter(|r| r.article).count(), 3, "{}", page.id);
            assert!(page.rows.iter().any(|r| !r.article));
            assert!((page.rows.iter().map(|r| r.weight).sum::<f32>() - 1.0).abs() < 1e-4);
        }
        let rows: Vec<&Row> = pages.iter().flat_map(|p| &p.rows).collect();
        let (weights, bias) = fit(&rows, 1e-3, 300);
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
    fn a_split_without_gold_is_an_error_naming_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
        let err = load_split(dir.path(), &cleaner).unwrap_err();
        assert!(err.to_string().contains("gold"), "{err}");
    }
}
