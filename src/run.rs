//! A run over many inputs: parallel cleaning, output in input order, one writer.
//!
//! Files are read and cleaned in parallel batches (`batches`), then written by this thread alone,
//! in input order. Every document is rendered into its own buffer before the single writer sees
//! it, so the output bytes are the same for any thread count.

use std::io::{self, Read, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use crate::batches::Summary;
use crate::batches::{for_each_ordered, next_files, FILES_PER_BATCH};
use crate::emit::report::{Report, ReportEntry};
use crate::emit::{self, Format};
use crate::error::InputError;
use crate::input::{Input, SiteFrom};
use crate::pipeline::Cleaner;
use crate::timings::Stage;

/// How a run writes its results.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub format: Format,
    /// Add the `removed` list to each record.
    pub include_removed: bool,
    /// Show a progress bar on stderr (the caller decides: a terminal, and not `--quiet`).
    pub progress: bool,
    /// Documents cleaned per batch; 0 picks a default.
    pub batch_size: usize,
    /// Where a page's site comes from, for site statistics.
    pub site_from: SiteFrom,
}

/// Cleans `inputs`, writing rendered documents to `out` in input order and reporting each failed
/// input to `on_error` (also in order). Only an error writing `out` stops the run.
pub fn run(
    cleaner: &Cleaner,
    inputs: Vec<Input>,
    out: &mut dyn Write,
    on_error: &mut dyn FnMut(&str, &InputError),
    options: &RunOptions,
    mut report: Option<&mut Report>,
) -> io::Result<Summary> {
    let want_report = report.is_some();
    let progress = progress_bar(&inputs, options.progress);
    let batch_size = if options.batch_size == 0 { FILES_PER_BATCH } else { options.batch_size };
    let (mut bytes_in, mut files) = (0, 0);
    let separator = options.format.separator();
    let mut wrote_one = false;
    let mut inputs = inputs.into_iter().peekable();
    let mut summary = for_each_ordered(
        || Ok(next_files(&mut inputs, batch_size)),
        Input::source,
        |input| clean_one(cleaner, input, options, want_report),
        |source, result| {
            match result {
                Ok(cleaned) => {
                    cleaner.timed(Stage::Write, || {
                        if wrote_one {
                            out.write_all(separator)?;
                        }
                        out.write_all(&cleaned.rendered)
                    })?;
                    wrote_one = true;
                    bytes_in += cleaned.bytes_in;
                    progress.inc(cleaned.bytes_in);
                    if let (Some(report), Some(entry)) = (report.as_deref_mut(), cleaned.entry) {
                        report.add(entry)?;
                    }
                }
                Err(err) => {
                    progress.suspend(|| on_error(&source, &err));
                    if let Some(report) = report.as_deref_mut() {
                        report.add_failure(source, err.to_string());
                    }
                }
            }
            files += 1;
            if options.progress {
                progress.set_message(format!("{files} files"));
            }
            Ok(())
        },
    )?;
    summary.bytes_in = bytes_in;
    out.flush()?;
    progress.finish_and_clear();
    Ok(summary)
}

/// One cleaned input, rendered and ready to write.
struct Cleaned {
    rendered: Vec<u8>,
    bytes_in: u64,
    entry: Option<ReportEntry>,
}

fn clean_one(cleaner: &Cleaner, input: Input, options: &RunOptions, want_report: bool) -> Result<Cleaned, InputError> {
    let site = match options.site_from {
        SiteFrom::Folder => input.site(),
        SiteFrom::Detected => None,
    };
    let (id, source) = (input.id(), input.source());
    let bytes = cleaner.timed(Stage::Read, || read_input(input, cleaner.config().max_bytes))?;
    let doc = cleaner.clean_bytes_in_site(&id, &source, &bytes, site.as_deref())?;
    cleaner.timed(Stage::Render, || {
        let mut rendered = Vec::with_capacity(bytes.len() / 2);
        emit::render(&doc, options.format, options.include_removed, &mut rendered).map_err(InputError::Unreadable)?;
        let entry = want_report.then(|| ReportEntry::from_document(&doc));
        Ok(Cleaned { rendered, bytes_in: bytes.len() as u64, entry })
    })
}

/// Reads an input whole, refusing to read past `max_bytes` (a 10 GB file must not be loaded to
/// learn it is too big).
pub(crate) fn read_input(input: Input, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    // Room for the whole file up front, when its size is known: a growing buffer would be copied
    // as it doubles, and std would probe for the end with a tiny read first.
    let mut expected = 0;
    let mut reader: Box<dyn Read> = match input {
        Input::Failed(_, err) => return Err(err),
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::File(path) => {
            let file = std::fs::File::open(&path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => InputError::NotFound,
                _ => InputError::Unreadable(e),
            })?;
            if let Ok(meta) = file.metadata() {
                if meta.is_dir() {
                    return Err(InputError::Unreadable(io::Error::other("is a directory")));
                }
                if meta.len() > max_bytes {
                    return Err(InputError::TooLarge { size: meta.len(), limit: max_bytes });
                }
                expected = meta.len();
            }
            Box::new(file)
        }
    };
    // One byte more than expected, so that the end shows without the buffer growing.
    let mut bytes = Vec::with_capacity(usize::try_from(expected).map_or(0, |size| size.saturating_add(1)));
    reader.by_ref().take(max_bytes + 1).read_to_end(&mut bytes).map_err(InputError::Unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge { size: bytes.len() as u64, limit: max_bytes });
    }
    Ok(bytes)
}

fn progress_bar(inputs: &[Input], show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let total: u64 = inputs.iter().map(Input::size_hint).sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
