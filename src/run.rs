//! A run over many inputs: parallel cleaning, output in input order, one writer.
//!
//! Inputs are processed in batches: each batch is read and cleaned in parallel by rayon
//! (`collect` keeps the original order), then written by this thread alone. Batches bound memory
//! whatever the corpus size, and since every document is rendered into its own buffer before the
//! single writer sees it, the output bytes are the same for any thread count.

use std::io::{self, Read, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

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

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub failed: usize,
    pub bytes_in: u64,
}

const DEFAULT_BATCH: usize = 256;
/// Input bytes per batch: a batch is held in memory twice (pages and rendered output), so this
/// bounds memory whatever the corpus, even when it has some very large pages.
const BATCH_BYTES: u64 = 8 << 20;

/// The next inputs to clean together: up to `max` of them, and no more than `BATCH_BYTES` on
/// disk (but always at least one).
pub(crate) fn next_batch(inputs: &mut std::iter::Peekable<impl Iterator<Item = Input>>, max: usize) -> Vec<Input> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    while batch.len() < max {
        let Some(next) = inputs.peek() else { break };
        let size = next.size_hint();
        if !batch.is_empty() && bytes + size > BATCH_BYTES {
            break;
        }
        bytes += size;
        batch.extend(inputs.next());
    }
    batch
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
    let batch_size = if options.batch_size == 0 { DEFAULT_BATCH } else { options.batch_size };
    let mut summary = Summary::default();
    let mut inputs = inputs.into_iter().peekable();
    let next = || Ok(inputs.peek().is_some().then(|| next_batch(&mut inputs, batch_size)));
    let clean = |batch: Vec<Input>| -> Vec<(String, Result<Cleaned, InputError>)> {
        batch
            .into_par_iter()
            .map(|input| {
                let source = input.source();
                let result = crate::error::isolate(|| clean_one(cleaner, input, options, want_report));
                (source, result)
            })
            .collect()
    };
    in_batches(next, clean, |results| {
        for (source, result) in results {
            match result {
                Ok(cleaned) => {
                    cleaner.timed(Stage::Write, || out.write_all(&cleaned.rendered))?;
                    summary.documents += 1;
                    summary.bytes_in += cleaned.bytes_in;
                    progress.inc(cleaned.bytes_in);
                    if let (Some(report), Some(entry)) = (report.as_deref_mut(), cleaned.entry) {
                        report.entries.push(entry);
                    }
                }
                Err(err) => {
                    summary.failed += 1;
                    progress.suspend(|| on_error(&source, &err));
                    if let Some(report) = report.as_deref_mut() {
                        report.failures.push((source, err.to_string()));
                    }
                }
            }
        }
        progress.set_message(format!("{} files", summary.documents + summary.failed));
        Ok(())
    })?;
    out.flush()?;
    progress.finish_and_clear();
    Ok(summary)
}

/// Takes batches from `next` until it has no more, has each cleaned by `clean` (which fans out
/// to the worker threads) and hands the results to `consume` on this thread, in order.
///
/// Two batches are cleaned while the one before them is consumed. With only one, the workers
/// finished it while the oldest batch's last page was still being cleaned, then sat idle until
/// this thread had written that batch and handed them the next (a few milliseconds a batch,
/// 8% of two cores in all).
pub(crate) fn in_batches<B: Send, R: Send>(
    mut next: impl FnMut() -> io::Result<Option<B>>,
    clean: impl Fn(B) -> R + Sync,
    mut consume: impl FnMut(R) -> io::Result<()>,
) -> io::Result<()> {
    const AHEAD: usize = 2;
    let clean = &clean;
    std::thread::scope(|scope| {
        let mut cleaning = std::collections::VecDeque::with_capacity(AHEAD + 1);
        loop {
            // On an error the scope still waits for the batches in flight before returning.
            while cleaning.len() <= AHEAD {
                let Some(batch) = next()? else { break };
                cleaning.push_back(scope.spawn(move || clean(batch)));
            }
            let Some(oldest) = cleaning.pop_front() else { return Ok(()) };
            consume(crate::error::joined(oldest))?;
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_consumed_in_order_whatever_finishes_first() {
        let mut batches = (0..40u64).map(|n| vec![n; 3]);
        let mut seen = Vec::new();
        in_batches(
            || Ok(batches.next()),
            |batch: Vec<u64>| {
                // Early batches take longest, so later ones finish first.
                std::thread::sleep(std::time::Duration::from_micros(400 - 10 * batch[0]));
                batch[0]
            },
            |n| {
                seen.push(n);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..40).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_stops_the_batches_and_is_returned() {
        let mut batches = 0..100;
        let mut consumed = 0;
        let err = in_batches(
            || Ok(batches.next()),
            |n| n,
            |n| {
                consumed += 1;
                if n == 5 {
                    return Err(io::Error::other("disk full"));
                }
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(consumed, 6);
        // Only the batches in flight were taken beyond the failed one.
        assert!(batches.next().is_some_and(|n| n < 10));

        let mut reads = 0;
        let err = in_batches(
            || {
                reads += 1;
                if reads == 4 {
                    Err(io::Error::other("bad read"))
                } else {
                    Ok(Some(reads))
                }
            },
            |n| n,
            |_| Ok(()),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "bad read");
    }
}
