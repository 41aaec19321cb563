//! Emit: renderers over a finished `Document`. The JSONL record (`record`), the clean text, the
//! diff view and its JSON events (`diff`), and the HTML run report (`report`) all read the same
//! document, so what the record says was removed is what the diff and the report show.

pub mod diff;
pub mod json;
pub mod record;
pub mod report;

use std::io::{self, Write};

use crate::document::Document;
pub use record::{Record, Removed, Stats};

/// What is written for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One JSON record per document.
    #[default]
    Jsonl,
    /// Only the clean text, documents apart by a separator.
    Text(TextSeparator),
    /// The diff view for a terminal.
    Diff(diff::DiffStyle),
    /// The diff view as JSON events.
    DiffEvents(diff::DiffStyle),
}

/// What stands between two documents' texts in `--format text`, so that a reader can split them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextSeparator {
    /// A line holding a form feed (U+000C), the page break of plain text.
    #[default]
    FormFeed,
    /// An empty line (documents hold none at their ends, but may inside).
    BlankLine,
    /// A NUL byte, for `xargs -0` and the like.
    Nul,
    /// Nothing: the texts follow each other.
    None,
}

impl Format {
    /// The bytes written between two documents.
    pub fn separator(self) -> &'static [u8] {
        match self {
            Format::Text(TextSeparator::FormFeed) => b"\x0c\n",
            Format::Text(TextSeparator::BlankLine) => b"\n",
            Format::Text(TextSeparator::Nul) => b"\0",
            _ => b"",
        }
    }
}

/// Renders a document in `format` into `out` (a buffer; the caller writes buffers in order).
pub fn render(doc: &Document, format: Format, include_removed: bool, out: &mut Vec<u8>) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            Record::from_document(doc, include_removed).write_json(out)?;
            out.push(b'\n');
        }
        Format::Text(_) => {
            out.write_all(doc.text().as_bytes())?;
            out.push(b'\n');
        }
        Format::Diff(style) => diff::render_text(doc, &style, out)?,
        Format::DiffEvents(style) => diff::render_events(doc, &style, out)?,
    }
    Ok(())
}
