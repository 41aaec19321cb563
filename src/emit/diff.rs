//! The diff view: the page after decoding and normalising, removed lines marked `-` with their
//! rule, kept lines as context, and the metadata the page gave up.
//!
//! ```text
//! === seeds/001_4d15d9c81d45f0a7.txt (UTF-8, en; kept 4 of 38 lines with text, 49 lines in all)
//! title: Kazakhstan and Russia debate further cooperation at Baikonur
//! date: 2019-08-27
//! -     2  Main Page >  [nav]
//!      13  MOSCOW. KAZINFORM The 6th session of the Russia-Kazakhstan ...
//! -    17  photo  [photo]
//! ```
//!
//! The same selection of lines is available as JSON events (`--format json`), one object per
//! line: a `document` event, then a `removed` or `kept` event per shown line.

use std::io::{self, Write};

use serde::Serialize;

use crate::document::{Document, Verdict};

/// Which lines a diff shows and how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStyle {
    /// Show removed lines only.
    pub only_removed: bool,
    /// Show removed lines with this many kept lines around them; `None` shows every line.
    pub context: Option<usize>,
    /// ANSI colours.
    pub color: bool,
}

/// One shown line, or a gap where lines were skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Line(usize),
    Gap,
}

/// Indices of the lines to show, with gaps marked, in page order. Blank lines never show.
fn selection(doc: &Document, style: &DiffStyle) -> Vec<Shown> {
    let candidates: Vec<usize> = (0..doc.lines.len()).filter(|&i| !doc.lines[i].is_blank()).collect();
    let is_removed = |i: usize| matches!(doc.lines[i].verdict, Verdict::Removed(_));
    let wanted: Vec<bool> = if style.only_removed {
        candidates.iter().map(|&i| is_removed(i)).collect()
    } else if let Some(context) = style.context {
        let removed_at: Vec<usize> = (0..candidates.len()).filter(|&k| is_removed(candidates[k])).collect();
        let mut wanted = vec![false; candidates.len()];
        for k in removed_at {
            for w in wanted.iter_mut().take((k + context + 1).min(candidates.len())).skip(k.saturating_sub(context)) {
                *w = true;
            }
        }
        wanted
    } else {
        vec![true; candidates.len()]
    };
    let mut shown = Vec::new();
    let mut skipped = false;
    for (k, &i) in candidates.iter().enumerate() {
        if wanted[k] {
            if skipped && !shown.is_empty() && !style.only_removed {
                shown.push(Shown::Gap);
            }
            shown.push(Shown::Line(i));
            skipped = false;
        } else {
            skipped = true;
        }
    }
    shown
}

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Renders the terminal diff of one document.
pub fn render_text(doc: &Document, style: &DiffStyle, out: &mut Vec<u8>) -> io::Result<()> {
    let paint = |code: &'static str| if style.color { code } else { "" };
    let (bold, red, yellow, cyan, dim, reset) =
        (paint(BOLD), paint(RED), paint(YELLOW), paint(CYAN), paint(DIM), paint(RESET));
    let non_blank = doc.lines.iter().filter(|l| !l.is_blank()).count();
    writeln!(
        out,
        "{bold}=== {} ({}, {}; kept {} of {} lines with text, {} lines in all){reset}",
        doc.source,
        doc.encoding,
        doc.metadata.lang.as_deref().unwrap_or("unknown language"),
        doc.lines_kept(),
        non_blank,
        doc.lines_in()
    )?;
    let meta = &doc.metadata;
    let fields = [
        ("title", &meta.title),
        ("date", &meta.date),
        ("author", &meta.author),
        ("site", &meta.site),
        ("url", &meta.url),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            writeln!(out, "{cyan}{name}: {value}{reset}")?;
        }
    }
    if !meta.tags.is_empty() {
        writeln!(out, "{cyan}tags: {}{reset}", meta.tags.join(", "))?;
    }
    for shown in selection(doc, style) {
        match shown {
            Shown::Gap => writeln!(out, "{dim}   ...{reset}")?,
            Shown::Line(i) => {
                let line = &doc.lines[i];
                match line.verdict {
                    Verdict::Removed(rule) => {
                        writeln!(out, "{red}-{:>5}  {}{reset}  {yellow}[{rule}]{reset}", line.number, line.text)?
                    }
                    _ => writeln!(out, " {:>5}  {}", line.number, line.text)?,
                }
            }
        }
    }
    Ok(())
}

/// A diff event, as written by `--format json`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event<'a> {
    Document {
        source: &'a str,
        id: &'a str,
        encoding: &'a str,
        lang: Option<&'a str>,
        title: Option<&'a str>,
        date: Option<&'a str>,
        author: Option<&'a str>,
        site: Option<&'a str>,
        lines_in: usize,
        lines_kept: usize,
    },
    Removed {
        source: &'a str,
        line: usize,
        text: &'a str,
        rule: &'a str,
    },
    Kept {
        source: &'a str,
        line: usize,
        text: &'a str,
    },
}

/// Renders the diff of one document as JSON events, one per line.
pub fn render_events(doc: &Document, style: &DiffStyle, out: &mut Vec<u8>) -> io::Result<()> {
    let meta = &doc.metadata;
    let mut emit = |event: Event| -> io::Result<()> {
        serde_json::to_writer(&mut *out, &event)?;
        out.push(b'\n');
        Ok(())
    };
    emit(Event::Document {
        source: &doc.source,
        id: &doc.id,
        encoding: doc.encoding,
        lang: meta.lang.as_deref(),
        title: meta.title.as_deref(),
        date: meta.date.as_deref(),
        author: meta.author.as_deref(),
        site: meta.site.as_deref(),
        lines_in: doc.lines_in(),
        lines_kept: doc.lines_kept(),
    })?;
    for shown in selection(doc, style) {
        let Shown::Line(i) = shown else { continue };
        let line = &doc.lines[i];
        emit(match line.verdict {
            Verdict::Removed(rule) => Event::Removed { source: &doc.source, line: line.number, text: &line.text, rule },
            _ => Event::Kept { source: &doc.source, line: line.number, text: &line.text },
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, Metadata, Reason};

    fn doc() -> Document {
        let verdicts = [
            ("Menu", Verdict::Removed("nav")),
            ("", Verdict::Blank),
            ("Para one.", Verdict::Content),
            ("Para two.", Verdict::Content),
            ("Para three.", Verdict::Content),
            ("Read also", Verdict::Removed("read-also")),
        ];
        Document {
            id: "p".into(),
            source: "p.txt".into(),
            encoding: "UTF-8",
            lines: verdicts
                .iter()
                .enumerate()
                .map(|(i, (t, v))| Line {
                    number: i + 1,
                    text: t.to_string(),
                    verdict: *v,
                    reason: Reason::Unclassified,
                })
                .collect(),
            metadata: Metadata { title: Some("T".into()), lang: Some("en".into()), ..Metadata::default() },
            ..Document::default()
        }
    }

    fn text(style: DiffStyle) -> String {
        let mut out = Vec::new();
        render_text(&doc(), &style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn full_diff_shows_every_line_with_rules() {
        assert_eq!(
            text(DiffStyle::default()),
            "=== p.txt (UTF-8, en; kept 3 of 5 lines with text, 6 lines in all)\ntitle: T\n-    1  Menu  [nav]\n     3  Para one.\n     4  Para two.\n     5  Para three.\n-    6  Read also  [read-also]\n"
        );
    }

    #[test]
    fn context_and_only_removed() {
        let with_context = text(DiffStyle { context: Some(1), ..DiffStyle::default() });
        assert!(with_context.contains("-    1  Menu  [nav]\n     3  Para one.\n   ...\n     5  Para three.\n-    6"));
        let only = text(DiffStyle { only_removed: true, ..DiffStyle::default() });
        assert!(!only.contains("Para"));
        assert!(!only.contains("..."));
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!text(DiffStyle::default()).contains('\x1b'));
        assert!(text(DiffStyle { color: true, ..DiffStyle::default() }).contains("\x1b[31m-    1"));
    }

    #[test]
    fn events_are_json_lines() {
        let mut out = Vec::new();
        render_events(&doc(), &DiffStyle { only_removed: true, ..DiffStyle::default() }, &mut out).unwrap();
        let events: Vec<serde_json::Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0]["type"], "document");
        assert_eq!(events[0]["title"], "T");
        assert_eq!(
            events[1],
            serde_json::json!({"type": "removed", "source": "p.txt", "line": 1, "text": "Menu", "rule": "nav"})
        );
    }
}
