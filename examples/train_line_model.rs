//! Trains the line model (`model/line-model.json`) on labelled pages, with k-fold
//! cross-validation.
//!
//! The split's layout and how lines are labelled: `boilerstrip::train`.
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

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use boilerstrip::stage::model::{LineModel, FEATURE_NAMES};
use boilerstrip::train::{fit, load_split};
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
    let pages = load_split(&args.split, &cleaner)?;
    if pages.is_empty() {
        bail!("{}: no labelled pages", args.split.display());
    }
    eprintln!("{} pages, {} training lines", pages.len(), pages.iter().map(|p| p.rows.len()).sum::<usize>());

    if let Some(path) = &args.cv_jsonl {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for fold in 0..args.folds {
            let rows: Vec<_> =
                pages.iter().enumerate().filter(|(i, _)| i % args.folds != fold).flat_map(|(_, p)| &p.rows).collect();
            let model = model_of(fit(&rows, args.l2, args.epochs), &args, format!("fold {fold}"));
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
    let model = model_of(fit(&rows, args.l2, args.epochs), &args, note);
    let json = serde_json::to_string_pretty(&model)? + "\n";
    match &args.out {
        Some(path) => std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?,
        None => print!("{json}"),
    }
    Ok(())
}
