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

use indexmap::IndexMap;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::batches::{for_each_ordered, Summary};
use crate::document::Document;
use crate::emit::Record;
use crate::error::InputError;
use crate::pipeline::{Cleaner, PageText};
use crate::stage::html::InputFormat;
use crate::timings::Stage;

/// How JSONL records are read and written.
#[derive(Debug, Clone)]
pub struct JsonlOptions {
    /// The field holding the page text; replaced by the clean text.
    pub text_field: String,
    /// The text field holds HTML, whatever `Config::input_format` says (`--html-field`).
    pub text_is_html: bool,
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
    /// A record line longer than this is refused as it is read, never held whole (`--max-bytes`).
    pub max_record_bytes: u64,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        Self {
            text_field: "text".into(),
            text_is_html: false,
            id_field: "id".into(),
            output_key: "boilerstrip".into(),
            site_field: "site".into(),
            url_field: "url".into(),
            include_removed: false,
            batch_lines: 1024,
            batch_bytes: 4 << 20,
            max_record_bytes: crate::pipeline::Config::default().max_bytes,
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
        |rendered| cleaner.timed(Stage::Write, || out.write_all(&rendered)),
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
    let mut reading = BatchReader { reader, options, line_number: 0, bytes: 0, broken: None };
    // A stream whose first lines are no JSON objects at all (an image, a text file named by
    // mistake) is no JSONL: it is given up with one message rather than one per line.
    let mut not_jsonl = NotJsonl::default();
    let given_up = std::cell::Cell::new(false);
    let mut summary = for_each_ordered(
        || if given_up.get() { Ok(None) } else { reading.next_batch() },
        |&(number, _): &(usize, ReadLine)| number,
        |(number, line)| match line {
            ReadLine::Record(line) => work(number, &line),
            ReadLine::TooLarge(size) => Err(InputError::TooLarge { size, limit: options.max_record_bytes }),
        },
        |number, result| {
            if given_up.get() {
                return Ok(());
            }
            given_up.set(not_jsonl.gives_up_after(&result));
            match result {
                Ok(value) => consume(value)?,
                Err(err) => on_error(&format!("{source}:{number}"), &err),
            }
            Ok(())
        },
    )?;
    if given_up.get() {
        summary.failed += 1;
        let problem = format!(
            "not JSONL: its first {} lines are no JSON objects; the rest was not read",
            NotJsonl::GIVE_UP_AFTER
        );
        on_error(source, &InputError::NotARecord(problem));
    }
    summary.bytes_in = reading.bytes;
    // A stream that broke off is one failure, after the records it gave were cleaned.
    if let Some(error) = reading.broken {
        summary.failed += 1;
        on_error(source, &InputError::Truncated { line: reading.line_number, error: error.to_string() });
    }
    Ok(summary)
}

/// Whether a stream has shown itself to be no JSONL: its first lines, before any record, all
/// failed as no JSON object.
#[derive(Default)]
struct NotJsonl {
    leading_failures: usize,
    seen_a_record: bool,
}

impl NotJsonl {
    const GIVE_UP_AFTER: usize = 5;

    /// Counts the next line's result; true once the stream is to be given up.
    fn gives_up_after<T>(&mut self, result: &Result<T, InputError>) -> bool {
        match result {
            Err(InputError::NotARecord(_)) if !self.seen_a_record => self.leading_failures += 1,
            _ => self.seen_a_record = true,
        }
        self.leading_failures >= Self::GIVE_UP_AFTER
    }
}

/// A JSONL record as read: its fields in their order, each value kept as the JSON text it came
/// as, so that what passes through is written back byte for byte; and its text, decoded.
#[derive(Debug)]
pub struct RawRecord<'a> {
    /// `None` for the text field, whose value is `text`.
    fields: IndexMap<String, Option<&'a RawValue>>,
    /// The text field's string.
    pub text: String,
}

impl RawRecord<'_> {
    /// The value of `field` when it is a JSON string.
    fn string(&self, field: &str) -> Option<String> {
        match self.fields.get(field)? {
            Some(raw) => serde_json::from_str(raw.get()).ok(),
            None => Some(self.text.clone()),
        }
    }

    /// The site of the record: its site field, else the host of its URL field.
    pub fn site(&self, options: &JsonlOptions) -> Option<String> {
        match self.string(&options.site_field) {
            Some(site) if !site.trim().is_empty() => Some(site),
            _ => self.string(&options.url_field).and_then(|url| crate::site_stats::site_of_url(&url)),
        }
    }

    /// The id field when it is a string or a number.
    fn id(&self, options: &JsonlOptions) -> Option<String> {
        let raw = match self.fields.get(&options.id_field)? {
            Some(raw) => raw,
            None => return Some(self.text.clone()),
        };
        match serde_json::from_str(raw.get()).ok()? {
            Value::String(id) => Some(id),
            Value::Number(id) => Some(id.to_string()),
            _ => None,
        }
    }
}

/// Parses one JSONL line into its fields and its text.
pub fn parse_record<'a>(line: &'a [u8], options: &JsonlOptions) -> Result<RawRecord<'a>, InputError> {
    use serde::de::DeserializeSeed;
    // The newline is no part of the record: left in, a string cut off by the end of the line
    // was reported as a control character in the string.
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let seed = RecordSeed { text_field: &options.text_field };
    let parsed = match simdutf8::basic::from_utf8(line) {
        // Checked here many bytes at a time, the strings need no check as they are parsed (std
        // checks them a byte at a time).
        Ok(text) => {
            let mut parser = serde_json::Deserializer::from_str(text);
            seed.deserialize(&mut parser).and_then(|parsed| parser.end().map(|()| parsed))
        }
        Err(_) => {
            let column = simdutf8::compat::from_utf8(line).err().map_or(0, |e| e.valid_up_to()) + 1;
            return Err(InputError::NotARecord(format!("not UTF-8 (a bad byte at column {column})")));
        }
    };
    let (fields, text) = parsed.map_err(|_| {
        // Told apart again, for the message: JSON that is not an object, or no JSON at all.
        InputError::NotARecord(match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
            Ok(_) => "not a JSON object".into(),
            Err(e) => format!("invalid JSON: {e}"),
        })
    })?;
    match text {
        Some(Some(text)) => Ok(RawRecord { fields, text }),
        Some(None) => Err(bad_record(format!("field {:?} is not a string", options.text_field))),
        None => Err(bad_record(format!("field {:?} is missing", options.text_field))),
    }
}

/// Reads a record's object in one pass: the text field's string is decoded as the parser meets
/// it, the other values are kept as raw JSON. (Kept raw first and decoded after, the text, most
/// of a record's bytes, was read twice.)
struct RecordSeed<'o> {
    text_field: &'o str,
}

/// The fields, and the text field's value: missing (`None`), or a string or not.
type ParsedRecord<'a> = (IndexMap<String, Option<&'a RawValue>>, Option<Option<String>>);

impl<'de> serde::de::DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = ParsedRecord<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordSeed<'_> {
    type Value = ParsedRecord<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = IndexMap::new();
        let mut text = None;
        while let Some(key) = map.next_key::<String>()? {
            // A repeated key keeps its first place and its last value, as a map would.
            if key == self.text_field {
                // Read as a value, a string is decoded in the one pass; anything else is kept
                // only to be refused.
                text = Some(match map.next_value::<Value>()? {
                    Value::String(text) => Some(text),
                    _ => None,
                });
                fields.insert(key, None);
            } else {
                fields.insert(key, Some(map.next_value()?));
            }
        }
        Ok((fields, text))
    }
}

/// Records by line number.
type Batch = Vec<(usize, ReadLine)>;

/// A line of the stream as read.
#[derive(Debug)]
enum ReadLine {
    Record(Vec<u8>),
    /// A line over `max_record_bytes`, of this many bytes: counted, not kept.
    TooLarge(u64),
}

/// Reads a JSONL stream in bounded batches of (line number, line); blank lines are skipped.
struct BatchReader<'a, R> {
    reader: R,
    options: &'a JsonlOptions,
    line_number: usize,
    /// Bytes of the records read so far.
    bytes: u64,
    /// The error that ended the stream early, if one did.
    broken: Option<io::Error>,
}

impl<R: BufRead> BatchReader<'_, R> {
    fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        let mut batch: Batch = Vec::new();
        let mut batch_bytes = 0;
        while self.broken.is_none() && batch.len() < self.options.batch_lines && batch_bytes < self.options.batch_bytes
        {
            let mut line = Vec::new();
            let size = match read_line_bounded(&mut self.reader, &mut line, self.options.max_record_bytes) {
                Ok(None) => break,
                Ok(Some(size)) => size,
                // The part of a line read before the break is no record.
                Err(error) => {
                    self.broken = Some(error);
                    break;
                }
            };
            self.line_number += 1;
            if size > self.options.max_record_bytes {
                self.bytes += size;
                batch.push((self.line_number, ReadLine::TooLarge(size)));
                continue;
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            batch_bytes += line.len();
            batch.push((self.line_number, ReadLine::Record(line)));
        }
        self.bytes += batch_bytes as u64;
        Ok((!batch.is_empty()).then_some(batch))
    }
}

/// Reads one line (with its newline) into `line` and returns its length without the newline,
/// `None` at the end of the stream. A line longer than `limit` is read to its end but not kept:
/// `line` is left empty and only the length says what it was.
fn read_line_bounded(reader: &mut impl BufRead, line: &mut Vec<u8>, limit: u64) -> io::Result<Option<u64>> {
    let mut total = 0u64;
    let mut ended = false;
    while !ended {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            break;
        }
        let chunk = match memchr::memchr(b'\n', buffer) {
            Some(at) => {
                ended = true;
                &buffer[..=at]
            }
            None => buffer,
        };
        let taken = chunk.len();
        total += taken as u64;
        if total <= limit.saturating_add(1) {
            line.extend_from_slice(chunk);
        } else if !line.is_empty() {
            *line = Vec::new();
        }
        reader.consume(taken);
    }
    Ok((total > 0).then(|| total - u64::from(ended)))
}

fn bad_record(problem: String) -> InputError {
    InputError::BadRecord(problem)
}

/// The output line of one record, as `run_jsonl` writes it, or why the record cannot be cleaned.
/// `line` is line `number` of `source`; the two name a record that has no id.
pub fn clean_record(
    cleaner: &Cleaner,
    line: &[u8],
    number: usize,
    source: &str,
    options: &JsonlOptions,
) -> Result<Vec<u8>, InputError> {
    let record = cleaner.timed(Stage::Read, || parse_record(line, options))?;
    if record.fields.contains_key(&options.output_key) {
        return Err(bad_record(format!(
            "field {:?} already exists; choose another key with --output-key",
            options.output_key
        )));
    }
    let limit = cleaner.config().max_bytes;
    if record.text.len() as u64 > limit {
        return Err(InputError::TooLarge { size: record.text.len() as u64, limit });
    }
    let id = record.id(options).unwrap_or_else(|| format!("{source}:{number}"));
    let site = record.site(options);
    // A record's HTML is told by how its text starts (or by --input-format), not by the file's name.
    let page = record_page(cleaner, &record, options);
    let doc = cleaner.clean_page_in_site(&id, source, &page, site.as_deref());
    cleaner.timed(Stage::Render, || render_record(&record, &doc, line.len(), options))
}

/// A record's page: its text, or the HTML in it, told by how it starts (a record has no file
/// name), by `--input-format`, or by `--html-field`.
pub(crate) fn record_page<'a>(cleaner: &Cleaner, record: &'a RawRecord, options: &JsonlOptions) -> PageText<'a> {
    let format = if options.text_is_html { InputFormat::Html } else { cleaner.config().input_format };
    cleaner.page_text_as(format, "", &record.text)
}

/// The output line of a record: `record` with its text cleaned as `doc` says, and what cleaning
/// found under the output key. `line_bytes` is the input line's length.
fn render_record(
    record: &RawRecord,
    doc: &Document,
    line_bytes: usize,
    options: &JsonlOptions,
) -> Result<Vec<u8>, InputError> {
    let cleaned = Record::from_document(doc, options.include_removed);
    // The input's fields in their order and as they were written, the text cleaned, and what
    // cleaning found under the output key.
    let mut rendered = Vec::with_capacity(line_bytes + 512);
    rendered.push(b'{');
    for (key, raw) in &record.fields {
        crate::emit::json::write_str(&mut rendered, key);
        rendered.push(b':');
        match raw {
            Some(raw) => rendered.extend_from_slice(raw.get().as_bytes()),
            None => crate::emit::json::write_str(&mut rendered, &cleaned.text),
        }
        rendered.push(b',');
    }
    crate::emit::json::write_str(&mut rendered, &options.output_key);
    rendered.push(b':');
    // The record's fields but those the input record already says (its id and text) or that do
    // not apply to a JSON string (its source, its encoding), in the record's order: one schema
    // for both modes.
    serde_json::to_writer(&mut rendered, &cleaned.findings(false)).map_err(|e| bad_record(e.to_string()))?;
    rendered.extend_from_slice(b"}\n");
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::PatternsBuilder;
    use crate::Config;

    fn run(input: &str, options: &JsonlOptions) -> (String, Vec<String>, Summary) {
        run_bytes(input.as_bytes(), options)
    }

    fn run_bytes(input: &[u8], options: &JsonlOptions) -> (String, Vec<String>, Summary) {
        let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let summary = run_jsonl(
            &cleaner,
            input,
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
    fn a_line_that_is_not_utf8_is_reported_with_the_column_and_the_run_goes_on() {
        let mut bad = format!("{{\"text\":\"ok @\"}}\n{{\"id\":2,\"text\":\"{PAGE}\"}}\n").into_bytes();
        let column = bad.iter().position(|&b| b == b'@').unwrap();
        bad[column] = 0xFF;
        let (_, errors, summary) = run_bytes(&bad, &JsonlOptions::default());
        assert_eq!(errors, [format!("in.jsonl:1: not UTF-8 (a bad byte at column {})", column + 1)]);
        assert_eq!((summary.documents, summary.failed), (1, 1));
    }

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
    fn a_stream_that_starts_with_no_json_is_given_up_with_one_message() {
        let garbage: String = (0..50).map(|i| format!("\u{1}PNG garbage {i}\n")).collect();
        let (out, errors, summary) = run(&garbage, &JsonlOptions::default());
        assert!(out.is_empty());
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert!(errors[5].starts_with("in.jsonl: not JSONL: its first 5 lines are no JSON objects"), "{errors:?}");
        assert!(summary.failed > 5);
        // Once a record was read, every bad line is reported: the stream is JSONL with bad lines.
        let mixed = format!("{{\"text\":\"a\"}}\n{garbage}");
        let (out, errors, _) = run(&mixed, &JsonlOptions::default());
        assert_eq!((out.lines().count(), errors.len()), (1, 50));
        // A missing text field is a record of another shape, not a sign of no JSONL.
        let shapes: String = (0..10).map(|i| format!("{{\"body\":\"{i}\"}}\n")).collect();
        assert_eq!(run(&shapes, &JsonlOptions::default()).1.len(), 10);
    }

    #[test]
    fn a_string_cut_off_by_the_end_of_the_line_is_reported_as_such() {
        let (_, errors, _) = run("{\"text\":\"abc\n{\"text\":\"abc\r\n", &JsonlOptions::default());
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.contains("EOF while parsing a string")), "{errors:?}");
    }

    #[test]
    fn a_line_over_the_limit_is_counted_and_never_held() {
        let long = "x".repeat(10_000);
        let input = format!("abc\n\n{long}\nlast");
        // A small buffer, so that the long line comes in many pieces.
        let mut reader = io::BufReader::with_capacity(8, input.as_bytes());
        let mut next = || {
            let mut line = Vec::new();
            let size = read_line_bounded(&mut reader, &mut line, 5).unwrap();
            (size, String::from_utf8(line.clone()).unwrap(), line.capacity())
        };
        assert_eq!(next(), (Some(3), "abc\n".into(), next_capacity(4)));
        assert_eq!(next().0, Some(0));
        assert_eq!(next(), (Some(10_000), String::new(), 0));
        assert_eq!(next().1, "last");
        assert_eq!(next().0, None);
    }

    /// The capacity a Vec grown from empty by pieces of 8 bytes has once it holds `n` bytes.
    fn next_capacity(n: usize) -> usize {
        let mut v: Vec<u8> = Vec::new();
        v.extend_from_slice(&vec![0; n]);
        v.capacity()
    }

    #[test]
    fn a_record_over_max_bytes_is_refused_and_the_others_are_cleaned() {
        let text = "word ".repeat(1_000);
        let input = format!("{{\"text\":\"a\"}}\n{{\"text\":\"{text}\"}}\n{{\"text\":\"b\"}}\n");
        let options = JsonlOptions { max_record_bytes: 1_000, ..JsonlOptions::default() };
        let (out, errors, summary) = run(&input, &options);
        assert_eq!(out.lines().count(), 2);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("in.jsonl:2: ") && errors[0].contains("5011 bytes"), "{errors:?}");
        assert_eq!(summary.failed, 1);
    }

    #[test]
    fn the_text_is_read_in_the_one_pass_as_a_map_would_read_it() {
        let options = JsonlOptions::default();
        let record =
            parse_record(br#"{"text":1,"id":"a\u00e9","text":"x\ny","n":[1,{"t":"text"}]}"#, &options).unwrap();
        // A repeated key keeps its first place and its last value.
        assert_eq!(record.text, "x\ny");
        assert_eq!(record.fields.keys().collect::<Vec<_>>(), ["text", "id", "n"]);
        assert_eq!(record.id(&options).as_deref(), Some("aé"));
        assert_eq!(record.fields["n"].unwrap().get(), r#"[1,{"t":"text"}]"#);
        // The text field named as the id or the site field answers with the text.
        let as_id = JsonlOptions { id_field: "text".into(), site_field: "text".into(), ..JsonlOptions::default() };
        assert_eq!(record.id(&as_id).as_deref(), Some("x\ny"));
        assert_eq!(record.site(&as_id).as_deref(), Some("x\ny"));
        let error = |line: &[u8]| parse_record(line, &options).unwrap_err().to_string();
        assert!(error(br#"{"text":"a","text":{"b":[2]}}"#).contains("is not a string"));
        assert!(error(br#"{"text":null}"#).contains("is not a string"));
        assert!(error(br#"{"text":"a"} x"#).contains("invalid JSON"));
        assert!(error(br#"{"text":[1,"#).contains("invalid JSON"));
        assert!(error(br#""text""#).contains("not a JSON object"));
    }

    #[test]
    fn other_fields_are_written_as_they_came() {
        let input =
            format!("{{ \"n\": 1.50, \"u\":\"http:\\/\\/x\", \"text\": \"{PAGE}\", \"o\": {{\"a\": [1, 2]}} }}\n");
        let (out, errors, _) = run(&input, &JsonlOptions::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(out.starts_with(r#"{"n":1.50,"u":"http:\/\/x","text":"The delegation"#), "{out}");
        assert!(out.contains(r#","o":{"a": [1, 2]},"boilerstrip":{"title":"#), "{out}");
        assert!(out.ends_with("}}\n"), "{out}");
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
