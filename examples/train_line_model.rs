//! Trains the line model (`model/line-model.json`) on labelled pages, cross-validated by site.
//!
//! The layouts and how lines are labelled: `boilerstrip::train`.
//!
//! Cross-validation: each site goes to one of `--folds` folds (by a fixed hash of its name, so
//! no site is in two); each fold is cleaned by a model trained on the other folds, and those
//! held-out outputs go to `--cv-jsonl` (with the page's fold, language and source), ready for
//! the scorers. The shipped model is then trained on every page.
//!
//! ```text
//! cargo run --release --example train_line_model -- --set ../shared/eval/sets/train \
//!     --out model/line-model.json --cv-jsonl /tmp/cv.jsonl
//! ```
//! (`scripts/train.sh` runs it and scores the folds.)

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use boilerstrip::stage::model::{LineModel, ModelKind, HTML_FEATURE_NAMES, WIDTH};
use boilerstrip::train::{fit, load_set, load_split, oracle_text, site_fold, LabelledPage, PageInput};
use boilerstrip::{Cleaner, Config, PatternsBuilder};
use rayon::prelude::*;

struct Args {
    /// Folders in the dev layout (`input/`, `gold/`).
    splits: Vec<PathBuf>,
    /// Folders in the sets layout (`manifest.jsonl`).
    sets: Vec<PathBuf>,
    out: Option<PathBuf>,
    cv_jsonl: Option<PathBuf>,
    /// Where to write each page as its labels have it (`train::oracle_text`): the ceiling of
    /// what a line model can reach.
    oracle_jsonl: Option<PathBuf>,
    folds: usize,
    l2: f32,
    epochs: usize,
    /// Added to the fitted bias: the region search sums scores, and a missed paragraph costs
    /// more than a kept stray line, so a model may lean towards keeping.
    shift: f32,
    /// When given, the shipped score is the hand-set score plus this share of the learned
    /// log-odds, instead of the learned log-odds alone.
    blend: Option<f32>,
    /// Learn from the pages' HTML, with the markup's features: the model for HTML pages.
    html: bool,
}

impl Args {
    fn kind(&self) -> ModelKind {
        if self.html {
            ModelKind::Html
        } else {
            ModelKind::Text
        }
    }

    fn input(&self) -> PageInput {
        if self.html {
            PageInput::Html
        } else {
            PageInput::Text
        }
    }
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        splits: Vec::new(),
        sets: Vec::new(),
        out: None,
        cv_jsonl: None,
        oracle_jsonl: None,
        folds: 5,
        l2: 1e-3,
        epochs: 600,
        shift: 0.0,
        blend: None,
        html: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--split" => args.splits.push(value()?.into()),
            "--set" => args.sets.push(value()?.into()),
            "--out" => args.out = Some(value()?.into()),
            "--cv-jsonl" => args.cv_jsonl = Some(value()?.into()),
            "--oracle-jsonl" => args.oracle_jsonl = Some(value()?.into()),
            "--folds" => args.folds = value()?.parse()?,
            "--l2" => args.l2 = value()?.parse()?,
            "--epochs" => args.epochs = value()?.parse()?,
            "--shift" => args.shift = value()?.parse()?,
            "--blend" => args.blend = Some(value()?.parse()?),
            "--html" => args.html = true,
            other => bail!("unknown argument {other}"),
        }
    }
    if args.folds < 2 {
        bail!("--folds must be at least 2");
    }
    if args.splits.is_empty() && args.sets.is_empty() {
        bail!("give labelled pages with --set DIR (manifest.jsonl) or --split DIR (input/, gold/)");
    }
    Ok(args)
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
        features: args.kind().feature_names().map(str::to_string).collect(),
        weights,
        bias: bias + args.shift,
    }
}

/// Cleans each fold's pages with a model fit on the other folds and writes the held-out texts.
fn cross_validate(pages: &[LabelledPage], args: &Args, cleaner_of: impl Fn(LineModel) -> Cleaner) -> Result<Vec<u8>> {
    let folds: Vec<usize> = pages.iter().map(|p| site_fold(&p.site, args.folds)).collect();
    let mut out = Vec::new();
    for fold in 0..args.folds {
        let rows: Vec<_> = pages.iter().zip(&folds).filter(|(_, &f)| f != fold).flat_map(|(p, _)| &p.rows).collect();
        let held_out: Vec<&LabelledPage> =
            pages.iter().zip(&folds).filter(|(_, &f)| f == fold).map(|(p, _)| p).collect();
        let sites: std::collections::HashSet<&str> = held_out.iter().map(|p| p.site.as_str()).collect();
        eprintln!(
            "fold {fold}: {} pages of {} sites held out, {} training lines",
            held_out.len(),
            sites.len(),
            rows.len()
        );
        let cleaner = cleaner_of(model_of(fit(&rows, args.kind(), args.l2, args.epochs), args, format!("fold {fold}")));
        let records: Vec<String> = held_out
            .par_iter()
            .map(|page| {
                let doc = page.clean(&cleaner)?;
                Ok(serde_json::json!({
                    "source": format!("{}.txt", page.id),
                    "fold": fold,
                    "lang": page.lang,
                    "set": page.source,
                    "site": page.site,
                    "text": doc.text(),
                })
                .to_string())
            })
            .collect::<Result<_>>()?;
        for record in records {
            writeln!(out, "{record}")?;
        }
    }
    Ok(out)
}

/// How often each markup feature is set, and the share of article among the lines where it is:
/// what the model can learn from it.
fn report_html_features(pages: &[LabelledPage]) {
    eprintln!("markup feature               lines  article share");
    for (k, name) in HTML_FEATURE_NAMES.iter().enumerate() {
        let set: Vec<_> = pages.iter().flat_map(|p| &p.rows).filter(|r| r.vector[WIDTH + k] >= 0.5).collect();
        let article = set.iter().filter(|r| r.article).count();
        eprintln!("{name:<26} {:>8}  {:.2}", set.len(), article as f32 / set.len().max(1) as f32);
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let patterns = PatternsBuilder::defaults().build()?;
    let cleaner = Cleaner::new(patterns.clone(), Config::default());
    let mut pages = Vec::new();
    for split in &args.splits {
        pages.extend(load_split(split, &cleaner, args.input()).with_context(|| split.display().to_string())?);
    }
    for set in &args.sets {
        pages.extend(load_set(set, &cleaner, args.input()).with_context(|| set.display().to_string())?);
    }
    if pages.is_empty() {
        bail!("no labelled pages");
    }
    let lines: usize = pages.iter().map(|p| p.rows.len()).sum();
    let article: usize = pages.iter().map(|p| p.rows.iter().filter(|r| r.article).count()).sum();
    eprintln!("{} pages, {lines} training lines ({article} article)", pages.len());
    if args.html {
        report_html_features(&pages);
    }

    if let Some(path) = &args.oracle_jsonl {
        let records: Vec<String> = pages
            .par_iter()
            .map(|page| {
                let text = oracle_text(&cleaner, page)?;
                Ok(serde_json::json!({ "source": format!("{}.txt", page.id), "fold": 0, "text": text }).to_string()
                    + "\n")
            })
            .collect::<Result<_>>()?;
        std::fs::write(path, records.concat()).with_context(|| path.display().to_string())?;
        eprintln!("the labels' own texts: {}", path.display());
    }
    if let Some(path) = &args.cv_jsonl {
        let records = cross_validate(&pages, &args, |model| {
            let mut config = Config::default();
            let model = Arc::new(model);
            config.classify.model = model.clone();
            config.classify.html_model = model;
            Cleaner::new(patterns.clone(), config)
        })?;
        std::fs::write(path, records).with_context(|| path.display().to_string())?;
        eprintln!("cross-validated predictions: {}", path.display());
    }

    let rows: Vec<_> = pages.iter().flat_map(|p| &p.rows).collect();
    let names: Vec<String> = args
        .splits
        .iter()
        .chain(&args.sets)
        .map(|p| p.file_name().map_or("?".into(), |n| n.to_string_lossy().into_owned()))
        .collect();
    let note = format!(
        "logistic regression, trained by examples/train_line_model.rs on {} pages of {}{} (l2 {}, {} epochs, blend with the hand score {:?}, bias shift {})",
        pages.len(),
        names.join(" + "),
        if args.html { " read from their HTML" } else { "" },
        args.l2,
        args.epochs,
        args.blend,
        args.shift
    );
    let model = model_of(fit(&rows, args.kind(), args.l2, args.epochs), &args, note);
    let json = serde_json::to_string_pretty(&model)? + "\n";
    match &args.out {
        Some(path) => std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?,
        None => print!("{json}"),
    }
    Ok(())
}
