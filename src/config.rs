//! Building what a command runs with from its arguments: the cleaner (patterns, encoding,
//! normalisation, site statistics, model), worker threads, where a page's site comes from, and
//! the JSONL field names.

use std::io;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use boilerstrip::input::SiteFrom;
use boilerstrip::jsonl::JsonlOptions;
use boilerstrip::site_stats::LineStats;
use boilerstrip::stage::decode::Charset;
use boilerstrip::stage::html::InputFormat;
use boilerstrip::stage::model::LineModel;
use boilerstrip::stage::normalize::Form;
use boilerstrip::{Cleaner, Config, Patterns, PatternsBuilder};

use crate::cli::{CleaningArgs, InputFormatArg, NormalizeArg, RecordArgs, SiteFromArg};

pub fn build_cleaner(args: &CleaningArgs) -> Result<Cleaner> {
    build_cleaner_with(args, Uses::Patterns)
}

/// Whether a command's cleaner uses the patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uses {
    Patterns,
    /// Only normalisation and lines (`learn` with sites from folders): the default patterns are
    /// not compiled, most of the start-up time. Patterns the user gave are still checked.
    LinesOnly,
}

pub fn build_cleaner_with(args: &CleaningArgs, uses: Uses) -> Result<Cleaner> {
    let patterns = if uses == Uses::LinesOnly && args.patterns.is_empty() {
        Patterns::default()
    } else {
        let mut builder = if args.no_default_patterns { PatternsBuilder::empty() } else { PatternsBuilder::defaults() };
        for dir in &args.patterns {
            builder = builder.add_dir(dir)?;
        }
        builder.build()?
    };
    let encoding = match &args.encoding {
        None => None,
        Some(label) => match Charset::for_label(label) {
            Some(encoding) => Some(encoding),
            None => {
                bail!("unknown encoding label {label:?} (try utf-8, windows-1251, koi8-r, utf-16le, kz-1048, pt154)")
            }
        },
    };
    let form = match args.normalize {
        NormalizeArg::Nfc => Form::Nfc,
        NormalizeArg::Nfkc => Form::Nfkc,
        NormalizeArg::None => Form::None,
    };
    let site_stats = match &args.line_stats {
        None => None,
        Some(path) => {
            let mut file = io::BufReader::new(
                std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            );
            Some(Arc::new(LineStats::read_from(&mut file).with_context(|| path.display().to_string())?))
        }
    };
    let input_format = match args.input_format {
        InputFormatArg::Auto => InputFormat::Auto,
        InputFormatArg::Text => InputFormat::Text,
        InputFormatArg::Html => InputFormat::Html,
    };
    let mut config = Config {
        form,
        encoding,
        max_bytes: args.max_bytes,
        site_stats,
        min_docs: args.min_docs,
        input_format,
        ..Config::default()
    };
    if let Some(path) = &args.model {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let model = LineModel::from_json(&text).with_context(|| path.display().to_string())?;
        config.classify.model = Arc::new(model);
    }
    Ok(Cleaner::new(patterns, config))
}

pub fn set_threads(threads: Option<usize>) -> Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("cannot start worker threads")?;
    }
    Ok(())
}

pub fn site_from(args: &CleaningArgs) -> SiteFrom {
    match args.site_from {
        SiteFromArg::Folder => SiteFrom::Folder,
        SiteFromArg::Detected => SiteFrom::Detected,
    }
}

pub fn jsonl_options(record: &RecordArgs, cleaning: &CleaningArgs) -> JsonlOptions {
    JsonlOptions {
        max_record_bytes: cleaning.max_bytes,
        text_field: record.html_field.clone().unwrap_or_else(|| record.text_field.clone()),
        text_is_html: record.html_field.is_some(),
        site_field: record.site_field.clone(),
        url_field: record.url_field.clone(),
        ..JsonlOptions::default()
    }
}
