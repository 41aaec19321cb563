//! The JSONL record, rendered from a finished `Document`.
//!
//! One JSON object per line, fields in a fixed order (serde follows struct order), so the same
//! input gives the same bytes. The schema is documented in the README; tests read records back.
//!
//! ```json
//! {"id":"001_4d15d9c81d45f0a7","source":"seeds/001_4d15d9c81d45f0a7.txt","text":"MOSCOW. ...",
//!  "title":"...","date":"2019-08-27","author":"...","site":"Qazaq TV","lang":"en","tags":[],
//!  "encoding":"UTF-8","stats":{"bytes_in":2956,"lines_in":52,"lines_kept":4,"chars_out":1290,
//!  "replacements":0,"removed_by_rule":{"duplicate":16,"nav":3}}}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::Document;

/// One cleaned document, as written to JSONL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    pub id: String,
    pub source: String,
    pub text: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub site: Option<String>,
    pub lang: Option<String>,
    pub tags: Vec<String>,
    /// The canonical URL an HTML page declares.
    pub url: Option<String>,
    pub encoding: String,
    /// What decided the encoding: `bom`, `utf-8`, `meta`, `detected` or `forced`.
    pub encoding_from: String,
    pub stats: Stats,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub removed: Option<Vec<Removed>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stats {
    pub bytes_in: usize,
    pub lines_in: usize,
    pub lines_kept: usize,
    pub chars_out: usize,
    pub replacements: usize,
    pub removed_by_rule: BTreeMap<String, usize>,
}

/// The fields of a `Record` after its text, in order: the rest of the record for
/// `Record::write_json`, and, without the encoding, what cleaning found in a JSONL record.
#[derive(Serialize)]
pub(crate) struct Findings<'a> {
    title: &'a Option<String>,
    date: &'a Option<String>,
    author: &'a Option<String>,
    site: &'a Option<String>,
    lang: &'a Option<String>,
    tags: &'a [String],
    url: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding_from: Option<&'a str>,
    stats: &'a Stats,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<&'a [Removed]>,
}

/// A removed line: its original number, its text and the rule that removed it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Removed {
    pub line: usize,
    pub text: String,
    pub rule: String,
}

impl Record {
    /// Appends the record as JSON: the bytes `serde_json::to_writer` writes, with the id, the
    /// source and the text escaped by `json::write_str`, several times quicker on a page's text.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(b"{\"id\":");
        super::json::write_str(out, &self.id);
        out.extend_from_slice(b",\"source\":");
        super::json::write_str(out, &self.source);
        out.extend_from_slice(b",\"text\":");
        super::json::write_str(out, &self.text);
        let start = out.len();
        serde_json::to_writer(&mut *out, &self.findings(true))?;
        // The rest's opening brace becomes the comma after the text.
        out[start] = b',';
        Ok(())
    }

    /// The fields after the text, in order; the encoding only `with_encoding`.
    pub(crate) fn findings(&self, with_encoding: bool) -> Findings<'_> {
        Findings {
            title: &self.title,
            date: &self.date,
            author: &self.author,
            site: &self.site,
            lang: &self.lang,
            tags: &self.tags,
            url: &self.url,
            encoding: with_encoding.then_some(self.encoding.as_str()),
            encoding_from: with_encoding.then_some(self.encoding_from.as_str()),
            stats: &self.stats,
            removed: self.removed.as_deref(),
        }
    }

    pub fn from_document(doc: &Document, include_removed: bool) -> Self {
        let text = doc.text();
        let meta = &doc.metadata;
        Record {
            id: doc.id.clone(),
            source: doc.source.clone(),
            title: meta.title.clone(),
            date: meta.date.clone(),
            author: meta.author.clone(),
            site: meta.site.clone(),
            lang: meta.lang.clone(),
            tags: meta.tags.clone(),
            url: meta.url.clone(),
            encoding: doc.encoding.to_string(),
            encoding_from: doc.encoding_from.name().to_string(),
            stats: Stats {
                bytes_in: doc.bytes_in,
                lines_in: doc.lines_in(),
                lines_kept: doc.lines_kept(),
                chars_out: text.chars().count(),
                replacements: doc.replacements,
                removed_by_rule: doc.removed_by_rule().into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            },
            removed: include_removed.then(|| {
                doc.removed()
                    .map(|(line, rule)| Removed { line: line.number, text: line.text.clone(), rule: rule.to_string() })
                    .collect()
            }),
            text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, Reason, Verdict};
    use crate::emit::{render, Format};

    #[test]
    fn record_round_trips_and_lists_removals() {
        let doc = Document {
            id: "x".into(),
            source: "dir/x.txt".into(),
            encoding: "UTF-8",
            bytes_in: 20,
            lines: vec![
                Line { number: 1, text: "Menu".into(), verdict: Verdict::Removed("nav"), reason: Reason::Decisive },
                Line { number: 2, text: "Body.".into(), verdict: Verdict::Content, reason: Reason::Prose },
            ],
            ..Document::default()
        };
        let mut buf = Vec::new();
        render(&doc, Format::Jsonl, true, &mut buf).unwrap();
        assert!(buf.ends_with(b"\n"));
        let record: Record = serde_json::from_slice(&buf).unwrap();
        assert_eq!(record.text, "Body.");
        assert_eq!(record.title, None);
        assert_eq!(record.stats.lines_in, 2);
        assert_eq!(record.stats.removed_by_rule.get("nav"), Some(&1));
        assert_eq!(record.removed.unwrap()[0], Removed { line: 1, text: "Menu".into(), rule: "nav".into() });

        let mut buf = Vec::new();
        render(&doc, Format::Jsonl, false, &mut buf).unwrap();
        assert!(!String::from_utf8(buf).unwrap().contains("\"removed\""));
    }

    proptest::proptest! {
        #[test]
        fn write_json_writes_what_serde_json_writes(
            id in "\\PC{0,12}",
            text in "(\\PC|[\\x00-\\x1f\"\\\\]){0,60}",
            title in proptest::option::of("\\PC{0,12}"),
            tags in proptest::collection::vec("[a-z\"]{0,5}", 0..3),
            removed in proptest::option::of(proptest::collection::vec(("\\PC{0,10}", 1..99usize), 0..3)),
        ) {
            let record = Record {
                id: id.clone(),
                source: format!("dir/{id}"),
                text,
                title,
                date: Some("2019-08-27".into()),
                author: None,
                site: Some("Site \"x\"".into()),
                lang: Some("kk".into()),
                tags,
                url: Some("https://example.kz/a?b=\"c\"".into()),
                encoding: "windows-1251".into(),
                encoding_from: "meta".into(),
                stats: Stats {
                    bytes_in: 10,
                    lines_in: 3,
                    lines_kept: 1,
                    chars_out: 4,
                    replacements: 0,
                    removed_by_rule: [("nav".to_string(), 2)].into(),
                },
                removed: removed.map(|lines| {
                    lines.into_iter().map(|(text, line)| Removed { line, text, rule: "nav".into() }).collect()
                }),
            };
            let mut written = Vec::new();
            record.write_json(&mut written).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(written).unwrap(), serde_json::to_string(&record).unwrap());
        }
    }
}
