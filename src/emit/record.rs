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
    pub encoding: String,
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

/// A removed line: its original number, its text and the rule that removed it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Removed {
    pub line: usize,
    pub text: String,
    pub rule: String,
}

impl Record {
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
            encoding: doc.encoding.to_string(),
            stats: Stats {
                bytes_in: doc.bytes_in,
                lines_in: doc.lines.len(),
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
    use crate::document::{Line, Verdict};
    use crate::emit::{render, Format};

    #[test]
    fn record_round_trips_and_lists_removals() {
        let doc = Document {
            id: "x".into(),
            source: "dir/x.txt".into(),
            encoding: "UTF-8",
            bytes_in: 20,
            lines: vec![
                Line { number: 1, text: "Menu".into(), verdict: Verdict::Removed("nav") },
                Line { number: 2, text: "Body.".into(), verdict: Verdict::Content },
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
}
