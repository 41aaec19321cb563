//! Trains the line model (`model/line-model.json`) on labelled pages, with k-fold
//! cross-validation.
//!
//! A labelled split is a folder with `input/<id>.txt` (the page as scraped text) and
//! `gold/<id>.txt` (the article body), like `../shared/eval/dev`. A line of a page is labelled
//! article when its text is a line of the gold body. Lines that a decisive rule removes whatever
//! the score (pattern hits, counters, timestamps) are left out of training.
//!
//! Cross-validation: pages are dealt into `--folds` folds; each fold is cleaned by a model
//! trained on the other folds, and those held-out outputs go to `--cv-jsonl`, ready for the
//! benchmark scorer. The shipped model is then trained on every page.
//!
//! ```text
//! cargo run --release --example train_line_model -- --split ../shared/eval/dev \
//!     --out model/line-model.json --cv-jsonl /tmp/cv.jsonl
//! python3 ../shared/eval/score.py --split dev --pred-jsonl /tmp/cv.jsonl
//! ```
//! (`scripts/train-model.sh` runs both.)

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use boilerstrip::stage::classify::{decisive_rule, page_features, Settings};
use boilerstrip::stage::model::{self, LineModel, Vector, FEATURE_NAMES, WIDTH};
use boilerstrip::stage::normalize::{normalize, Form};
use boilerstrip::{Cleaner, Config, PatternsBuilder};

struct Args {
    split: PathBuf,
    out: Option<PathBuf>,
    cv_jsonl: Option<PathBuf>,
    folds: usize,
    l2: f32,
    epochs: usize,
    /// Added to the fitted bias: the region search sums scores, and a missed paragraph costs
    /// more than a kept stray line, so a model may lean towards keeping.
    shift: f32,
    /// When given, the shipped score is the hand-set score plus this share of the learned
    /// log-odds, instead of the learned log-odds alone.
    blend: Option<f32>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        split: "../shared/eval/dev".into(),
        out: None,
        cv_jsonl: None,
        folds: 5,
        l2: 1e-3,
        epochs: 600,
        shift: 0.0,
        blend: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--split" => args.split = value()?.into(),
            "--out" => args.out = Some(value()?.into()),
            "--cv-jsonl" => args.cv_jsonl = Some(value()?.into()),
            "--folds" => args.folds = value()?.parse()?,
            "--l2" => args.l2 = value()?.parse()?,
            "--epochs" => args.epochs = value()?.parse()?,
            "--shift" => args.shift = value()?.parse()?,
            "--blend" => args.blend = Some(value()?.parse()?),
            other => bail!("unknown argument {other}"),
        }
    }
    if args.folds < 2 {
        bail!("--folds must be at least 2");
    }
    Ok(args)
}

/// One labelled page.
struct Page {
    id: String,
    input: Vec<u8>,
    /// Training rows: (features, is article, weight).
    rows: Vec<(Vector, bool, f32)>,
}

fn load(split: &Path, cleaner: &Cleaner) -> Result<Vec<Page>> {
    let mut ids: Vec<String> = std::fs::read_dir(split.join("gold"))
        .with_context(|| format!("{}: no gold folder", split.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".txt")).map(str::to_string))
        .collect();
    ids.sort();
    let settings = Settings::default();
    let mut pages = Vec::new();
    for id in ids {
        let input = std::fs::read(split.join("input").join(format!("{id}.txt")))?;
        let gold = std::fs::read_to_string(split.join("gold").join(format!("{id}.txt")))?;
        let gold_lines: HashSet<String> =
            normalize(&gold, Form::Nfc).lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
        let doc = cleaner.clean_bytes(&id, &id, &input)?;
        let (_, features) = page_features(&doc.lines, cleaner.patterns());
        let vectors = model::vectors(&doc.lines, &features);
        let mut rows: Vec<(Vector, bool, usize)> = Vec::new();
        for ((line, f), v) in doc.lines.iter().zip(&features).zip(&vectors) {
            let (Some(f), Some(v)) = (f, v) else { continue };
            if decisive_rule(f, &settings).is_some() {
                continue;
            }
            rows.push((*v, gold_lines.contains(line.text.trim()), f.words.max(1)));
        }
        // Each page weighs the same in total, as in the benchmark's metric; within a page a
        // line weighs by its words, since the metric counts word shingles.
        let total: usize = rows.iter().map(|r| r.2).sum();
        let rows = rows.into_iter().map(|(v, label, words)| (v, label, words as f32 / total.max(1) as f32)).collect();
        pages.push(Page { id, input, rows });
    }
    Ok(pages)
}

/// Weighted, L2-regularised logistic regression, fitted by full-batch Adam.
fn train(rows: &[&(Vector, bool, f32)], l2: f32, epochs: usize) -> (Vec<f32>, f32) {
    let mut w = vec![0.0f32; WIDTH + 1]; // last: bias
    let (mut m, mut s) = (vec![0.0f32; WIDTH + 1], vec![0.0f32; WIDTH + 1]);
    let total_weight: f32 = rows.iter().map(|r| r.2).sum::<f32>().max(1e-9);
    let (rate, beta1, beta2) = (0.05f32, 0.9f32, 0.999f32);
    for epoch in 1..=epochs {
        let mut grad = [0.0f32; WIDTH + 1];
        for (x, label, weight) in rows.iter().map(|r| (&r.0, r.1, r.2)) {
            let z = w[WIDTH] + x.iter().zip(&w).map(|(a, b)| a * b).sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let err = (p - if label { 1.0 } else { 0.0 }) * weight / total_weight;
            for (g, xi) in grad.iter_mut().zip(x) {
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

fn model_of((weights, bias): (Vec<f32>, f32), args: &Args, note: String) -> LineModel {
    let (weights, bias) = match args.blend {
        // The hand-set score plus a share of the learned correction.
        Some(share) => {
            let mut blended: Vec<f32> = weights.iter().map(|w| w * share).collect();
            blended[0] += LineModel::hand().weights[0];
            (blended, bias * share)
        }
        None => (weights, bias),
    };
    LineModel {
        note,
        features: FEATURE_NAMES.iter().map(|s| s.to_string()).collect(),
        weights,
        bias: bias + args.shift,
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let patterns = PatternsBuilder::defaults().build()?;
    let cleaner = Cleaner::new(patterns.clone(), Config::default());
    let pages = load(&args.split, &cleaner)?;
    if pages.is_empty() {
        bail!("{}: no labelled pages", args.split.display());
    }
    eprintln!("{} pages, {} training lines", pages.len(), pages.iter().map(|p| p.rows.len()).sum::<usize>());

    if let Some(path) = &args.cv_jsonl {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for fold in 0..args.folds {
            let rows: Vec<_> =
                pages.iter().enumerate().filter(|(i, _)| i % args.folds != fold).flat_map(|(_, p)| &p.rows).collect();
            let model = model_of(train(&rows, args.l2, args.epochs), &args, format!("fold {fold}"));
            let mut config = Config::default();
            config.classify.model = Arc::new(model);
            let held_out = Cleaner::new(patterns.clone(), config);
            for page in pages.iter().enumerate().filter(|(i, _)| i % args.folds == fold).map(|(_, p)| p) {
                let doc = held_out.clean_bytes(&page.id, &page.id, &page.input)?;
                let record = serde_json::json!({ "source": format!("{}.txt", page.id), "text": doc.text() });
                writeln!(out, "{record}")?;
            }
        }
        out.flush()?;
        eprintln!("cross-validated predictions: {}", path.display());
    }

    let rows: Vec<_> = pages.iter().flat_map(|p| &p.rows).collect();
    let note = format!(
        "logistic regression, trained by examples/train_line_model.rs on {} pages of {} (l2 {}, {} epochs, blend with the hand score {:?}, bias shift {})",
        pages.len(),
        args.split.file_name().map_or("?".into(), |n| n.to_string_lossy()),
        args.l2,
        args.epochs,
        args.blend,
        args.shift
    );
    let model = model_of(train(&rows, args.l2, args.epochs), &args, note);
    let json = serde_json::to_string_pretty(&model)? + "\n";
    match &args.out {
        Some(path) => std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?,
        None => print!("{json}"),
    }
    Ok(())
}
