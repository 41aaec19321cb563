//! JSONL in, JSONL out: boilerstrip as one stage of a data pipeline.
//!
//! Each input line is a JSON object. The text field (`text` by default) is cleaned in place,
//! every other field passes through untouched and in its order, and what cleaning learned (title,
//! date, author, site, lang, tags, stats, optionally the removed lines) goes under one key
//! (`boilerstrip` by default) that the input must not already use. Lines are read in bounded
//! batches and cleaned in parallel with output in input order, so memory stays flat however long
//! the stream. A line that is not valid JSON, not an object, or lacks a string text field is
//! reported with its line number and skipped; the run goes on.

use std::io::{self, BufRead, Write};

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::emit::Record;
use crate::error::InputError;
use crate::pipeline::Cleaner;
use crate::run::Summary;

/// How JSONL records are read and written.
#[derive(Debug, Clone)]
pub struct JsonlOptions {
    /// The field holding the page text; replaced by the clean text.
    pub text_field: String,
    /// The field holding the document id (string or number); kept as is.
    pub id_field: String,
    /// The key under which cleaning results are added.
    pub output_key: String,
    /// The field naming the record's site, for site-level statistics...
    pub site_field: String,
    /// ...or, when that is absent, the field holding its URL.
    pub url_field: String,
    /// Add the removed lines under the output key.
    pub include_removed: bool,
    /// Lines per parallel batch.
    pub batch_lines: usize,
    /// Bytes per parallel batch (whichever limit comes first).
    pub batch_bytes: usize,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        Self {
            text_field: "text".into(),
            id_field: "id".into(),
            output_key: "boilerstrip".into(),
            site_field: "site".into(),
            url_field: "url".into(),
            include_removed: false,
            batch_lines: 1024,
            batch_bytes: 4 << 20,
        }
    }
}

/// Cleans every record of a JSONL stream named `source`, writing records to `out` in order and
/// reporting bad lines to `on_error` (source, then the error naming the line).
pub fn run_jsonl(
    cleaner: &Cleaner,
    reader: impl BufRead,
    source: &str,
    out: &mut dyn Write,
    on_error: &mut dyn FnMut(&str, &InputError),
    options: &JsonlOptions,
) -> io::Result<Summary> {
    let summary = process_stream(
        reader,
        source,
        options,
        on_error,
        |number, line| clean_record(cleaner, line, number, source, options),
        |rendered| out.write_all(&rendered),
    )?;
    out.flush()?;
    Ok(summary)
}

/// Processes every record of a JSONL stream in bounded parallel batches: `work` runs on the
/// worker threads, `consume` on this one, in input order; a record `work` refuses goes to
/// `on_error` as `SOURCE:LINE`.
pub fn process_stream<T: Send>(
    reader: impl BufRead,
    source: &str,
    options: &JsonlOptions,
    on_error: &mut dyn FnMut(&str, &InputError),
    work: impl Fn(usize, &[u8]) -> Result<T, InputError> + Sync,
    mut consume: impl FnMut(T) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut reading = BatchReader { reader, options, line_number: 0, bytes: 0 };
    let work = &work;
    crate::run::in_batches(
        || reading.next_batch(),
        |batch: Batch| -> Vec<(usize, Result<T, InputError>)> {
            batch.into_par_iter().map(|(number, line)| (number, work(number, &line))).collect()
        },
        |results| {
            for (number, result) in results {
                match result {
                    Ok(value) => {
                        consume(value)?;
                        summary.documents += 1;
                    }
                    Err(err) => {
                        summary.failed += 1;
                        on_error(&format!("{source}:{number}"), &err);
                    }
                }
            }
            Ok(())
        },
    )?;
    summary.bytes_in = reading.bytes;
    Ok(summary)
}

/// The site of a record: its site field, else the host of its URL field.
pub fn record_site(object: &Map<String, Value>, options: &JsonlOptions) -> Option<String> {
    match object.get(&options.site_field) {
        Some(Value::String(site)) if !site.trim().is_empty() => Some(site.clone()),
        _ => object.get(&options.url_field).and_then(Value::as_str).and_then(crate::site_stats::site_of_url),
    }
}

/// Parses one JSONL line into its object and its text field.
pub fn parse_record(line: &[u8], options: &JsonlOptions) -> Result<(Map<String, Value>, String), InputError> {
    let value: Value = serde_json::from_slice(line).map_err(|e| bad_record(format!("invalid JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(bad_record("not a JSON object".into()));
    };
    let text = match object.get(&options.text_field) {
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err(bad_record(format!("field {:?} is not a string", options.text_field))),
        None => return Err(bad_record(format!("field {:?} is missing", options.text_field))),
    };
    Ok((object, text))
}

/// Records by line number.
type Batch = Vec<(usize, Vec<u8>)>;

/// Reads a JSONL stream in bounded batches of (line number, line); blank lines are skipped.
struct BatchReader<'a, R> {
    reader: R,
    options: &'a JsonlOptions,
    line_number: usize,
    /// Bytes of the records read so far.
    bytes: u64,
}

impl<R: BufRead> BatchReader<'_, R> {
    fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        let mut batch: Batch = Vec::new();
        let mut batch_bytes = 0;
        while batch.len() < self.options.batch_lines && batch_bytes < self.options.batch_bytes {
            let mut line = Vec::new();
            if self.reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            self.line_number += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            batch_bytes += line.len();
            batch.push((self.line_number, line));
        }
        self.bytes += batch_bytes as u64;
        Ok((!batch.is_empty()).then_some(batch))
    }
}

fn bad_record(problem: String) -> InputError {
    InputError::BadRecord(problem)
}

fn clean_record(
    cleaner: &Cleaner,
    line: &[u8],
    number: usize,
    source: &str,
    options: &JsonlOptions,
) -> Result<Vec<u8>, InputError> {
    let (mut object, text) = parse_record(line, options)?;
    if object.contains_key(&options.output_key) {
        return Err(bad_record(format!(
            "field {:?} already exists; choose another key with --output-key",
            options.output_key
        )));
    }
    let limit = cleaner.config().max_bytes;
    if text.len() as u64 > limit {
        return Err(InputError::TooLarge { size: text.len() as u64, limit });
    }
    let id = match object.get(&options.id_field) {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(id)) => id.to_string(),
        _ => format!("{source}:{number}"),
    };
    let site = record_site(&object, options);
    let doc = cleaner.clean_text_in_site(&id, source, &text, site.as_deref());
    let record = Record::from_document(&doc, options.include_removed);
    let text = record.text.clone();
    // The record's own fields, minus what the input record already says (its id and text) or
    // what does not apply to a JSON string (the source encoding): one schema for both modes.
    let Value::Object(mut added) = serde_json::to_value(record).map_err(|e| bad_record(e.to_string()))? else {
        return Err(bad_record("record did not serialise to an object".into()));
    };
    for key in ["id", "source", "text", "encoding"] {
        added.shift_remove(key);
    }
    object.insert(options.text_field.clone(), Value::String(text));
    object.insert(options.output_key.clone(), Value::Object(added));
    let mut rendered = serde_json::to_vec(&Value::Object(object)).map_err(|e| bad_record(e.to_string()))?;
    rendered.push(b'\n');
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::PatternsBuilder;
    use crate::Config;

    fn run(input: &str, options: &JsonlOptions) -> (String, Vec<String>, Summary) {
        let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let summary = run_jsonl(
            &cleaner,
            input.as_bytes(),
            "in.jsonl",
            &mut out,
            &mut |source, err| errors.push(format!("{source}: {err}")),
            options,
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), errors, summary)
    }

    const PAGE: &str = "Home\\n\\nThe delegation held a number of meetings with the partners on Monday, and they agreed that the cooperation will continue next year.\\n\\nRead also";

    #[test]
    fn cleans_the_text_field_and_passes_everything_else_through() {
        let input = format!("{{\"url\":\"http://x\",\"id\":7,\"text\":\"{PAGE}\",\"extra\":{{\"a\":[1,2]}}}}\n");
        let (out, errors, summary) = run(&input, &JsonlOptions::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(summary.documents, 1);
        let value: Value = serde_json::from_str(&out).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["url", "id", "text", "extra", "boilerstrip"]);
        assert!(value["text"].as_str().unwrap().starts_with("The delegation"));
        assert_eq!(value["extra"]["a"][1], 2);
        assert_eq!(value["boilerstrip"]["lang"], "en");
        assert_eq!(value["boilerstrip"]["stats"]["lines_kept"], 1);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number_and_skipped() {
        let input = format!(
            "{{\"text\":\"{PAGE}\"}}\nnot json\n\n[1,2]\n{{\"body\":\"x\"}}\n{{\"text\":42}}\n{{\"text\":\"ok.\",\"boilerstrip\":1}}\n{{\"text\":\"{PAGE}\"}}\n"
        );
        let (out, errors, summary) = run(&input, &JsonlOptions::default());
        assert_eq!((summary.documents, summary.failed), (2, 5));
        assert_eq!(out.lines().count(), 2);
        assert!(errors[0].starts_with("in.jsonl:2: invalid JSON"), "{errors:?}");
        assert!(errors[1].starts_with("in.jsonl:4: not a JSON object"));
        assert!(errors[2].starts_with("in.jsonl:5: field \"text\" is missing"));
        assert!(errors[3].starts_with("in.jsonl:6: field \"text\" is not a string"));
        assert!(errors[4].starts_with("in.jsonl:7: field \"boilerstrip\" already exists"));
    }

    #[test]
    fn field_names_are_configurable_and_order_is_kept_across_batches() {
        let options = JsonlOptions {
            text_field: "body".into(),
            output_key: "clean".into(),
            batch_lines: 3,
            ..JsonlOptions::default()
        };
        let input: String = (0..10).map(|i| format!("{{\"n\":{i},\"body\":\"{PAGE}\"}}\n")).collect();
        let (out, errors, _) = run(&input, &options);
        assert!(errors.is_empty());
        let ns: Vec<i64> =
            out.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["n"].as_i64().unwrap()).collect();
        assert_eq!(ns, (0..10).collect::<Vec<_>>());
        assert!(out.contains("\"clean\":{"));
    }
}
