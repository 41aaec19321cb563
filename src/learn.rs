//! `learn`: build site-level line statistics (`site_stats`) from pages or JSONL records.
//!
//! Documents are read and counted in parallel batches; each worker counts into its own
//! `LineStats` and the results are merged, which is exact because counts only add.

use std::io::{self, BufRead};

use crate::batches::{for_each_ordered, next_files, Summary, FILES_PER_BATCH};
use crate::error::InputError;
use crate::input::{Input, SiteFrom};
use crate::jsonl::{parse_record, process_stream, record_page, JsonlOptions};
use crate::pipeline::{Cleaner, PageText};
use crate::run::read_input;
use crate::site_stats::LineStats;

/// Counts the lines of every page in `inputs`; failures go to `on_error`, in order.
pub fn learn_files(
    cleaner: &Cleaner,
    inputs: Vec<Input>,
    site_from: SiteFrom,
    on_error: &mut dyn FnMut(&str, &InputError),
) -> io::Result<(LineStats, Summary)> {
    let mut stats = LineStats::new();
    let mut bytes_in = 0;
    let mut inputs = inputs.into_iter().peekable();
    let count = |input: Input| -> Result<(LineStats, u64), InputError> {
        let folder = input.site();
        let source = input.source();
        let bytes = read_input(input, cleaner.config().max_bytes)?;
        let site = match site_from {
            SiteFrom::Folder => Some(folder.unwrap_or_default()),
            SiteFrom::Detected => None,
        };
        Ok((page_stats(cleaner, &source, &bytes, site.as_deref())?, bytes.len() as u64))
    };
    let summary = for_each_ordered(
        || Ok(next_files(&mut inputs, FILES_PER_BATCH)),
        Input::source,
        count,
        |source, result| {
            match result {
                Ok((one, bytes)) => {
                    stats.merge(&one);
                    bytes_in += bytes;
                }
                Err(err) => on_error(&source, &err),
            }
            Ok(())
        },
    )?;
    Ok((stats, Summary { bytes_in, ..summary }))
}

/// The line statistics of one page, `bytes` from `source`, decoded as `clean` decodes it; `site`
/// `None` counts it under the site name the page shows.
pub fn page_stats(cleaner: &Cleaner, source: &str, bytes: &[u8], site: Option<&str>) -> Result<LineStats, InputError> {
    let decoded = cleaner.decode(source, bytes)?;
    Ok(decoded_page_stats(cleaner, source, &decoded.text, site))
}

/// `page_stats` for a page already decoded.
pub fn decoded_page_stats(cleaner: &Cleaner, source: &str, decoded: &str, site: Option<&str>) -> LineStats {
    // An HTML page's lines are those `clean` reads from it.
    let page = cleaner.page_text(source, decoded);
    let site = site.map_or_else(|| detected_site(cleaner, &page), str::to_owned);
    document_stats(cleaner, &site, &page)
}

/// The line statistics of one JSONL record (a line of a stream, as `clean --jsonl` reads it); its
/// site comes from its site or URL field, else from the page.
pub fn record_stats(cleaner: &Cleaner, line: &[u8], options: &JsonlOptions) -> Result<LineStats, InputError> {
    let record = parse_record(line, options)?;
    let page = record_page(cleaner, &record, options);
    let site = record.site(options).unwrap_or_else(|| detected_site(cleaner, &page));
    Ok(document_stats(cleaner, &site, &page))
}

fn document_stats(cleaner: &Cleaner, site: &str, page: &PageText) -> LineStats {
    let mut one = LineStats::new();
    let (lines, _) = cleaner.lines_of(&page.text);
    one.add_document(site, lines.iter().map(|l| l.text.as_str()));
    one
}

/// The site name a page shows (empty when none), as `clean` finds it without statistics.
fn detected_site(cleaner: &Cleaner, page: &PageText) -> String {
    cleaner.clean_page_in_site("", "", page, None).metadata.site.unwrap_or_default()
}

/// Counts the lines of every record of a JSONL stream; a record's site comes from its site or
/// URL field.
pub fn learn_jsonl(
    cleaner: &Cleaner,
    reader: impl BufRead,
    source: &str,
    options: &JsonlOptions,
    on_error: &mut dyn FnMut(&str, &InputError),
) -> io::Result<(LineStats, Summary)> {
    let mut stats = LineStats::new();
    let summary = process_stream(
        reader,
        source,
        options,
        on_error,
        |_, line| record_stats(cleaner, line, options),
        |one| {
            stats.merge(&one);
            Ok(())
        },
    )?;
    Ok((stats, summary))
}
