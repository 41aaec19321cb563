//! The `Document`: what every stage reads and writes.
//!
//! A page enters as bytes and leaves as clean text plus metadata. In between, each stage adds to one
//! `Document`, and nothing is thrown away: every line keeps its original line number and, once the
//! classifier has run, a verdict naming the rule that decided it. The JSONL record, the stats and
//! any diff view are all rendered from this one value, so they can never disagree.

use std::collections::BTreeMap;

/// One line of the page after decoding and normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the decoded input (line endings normalised to LF first).
    pub number: usize,
    /// The normalised text; empty for a blank line.
    pub text: String,
    /// Content or boilerplate, with the rule that decided; blank lines stay `Blank`.
    pub verdict: Verdict,
    /// Why the verdict is what it is, as the classifier decided it.
    pub reason: Reason,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    pub fn is_kept(&self) -> bool {
        self.verdict == Verdict::Content
    }
}

/// What the classifier decided for a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A blank line: a paragraph separator, neither kept nor removed.
    Blank,
    /// Not yet classified.
    Pending,
    /// Part of the article body.
    Content,
    /// Removed; the rule name says why (`read-also`, `nav`, `outside-article`, ...).
    Removed(&'static str),
}

/// Why a line got its verdict, beside the rule a removal names: the classifier's own account,
/// which `explain` reports instead of deciding again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reason {
    /// Blank, or not classified yet.
    #[default]
    Unclassified,
    /// Removed by a decisive rule, whatever the context: a pattern hit on a line that is not a
    /// long sentence, a number or a date alone, a line repeated across the site.
    Decisive,
    /// Removed: it follows the comment section's marker.
    InCommentSection,
    /// Removed by its context: neither in the article region as prose, nor vouched for by its
    /// neighbours; the rule names the strongest reason.
    Context,
    /// Removed from the body because it went into the record's metadata.
    Metadata,
    /// Kept: inside the article region, and scored as prose.
    Prose,
    /// Kept: a short line between paragraphs of the region, scored high enough for a subheading.
    Subheading,
    /// Kept: an item of a list the article presents (numbered, or items sharing a structure),
    /// or the heading just above it.
    ArticleList,
}

/// Metadata of the page, each field absent unless the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    /// ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    pub author: Option<String>,
    pub site: Option<String>,
    /// ISO 639-1 code (`en`, `ru`, `kk`, ...).
    pub lang: Option<String>,
    pub tags: Vec<String>,
}

/// A page flowing through the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Stable identifier: the file stem, or the `id` field of a JSONL record.
    pub id: String,
    /// Where the page came from: a path, or `-` for stdin.
    pub source: String,
    pub bytes_in: usize,
    /// WHATWG label of the encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// U+FFFD characters produced by decoding (malformed input).
    pub replacements: usize,
    pub lines: Vec<Line>,
    /// A date given by the scraper as a leading `date YYYY-MM-DD` field, taken off line 1.
    pub scraper_date: Option<String>,
    /// First and last line number of the article region the classifier chose, if any.
    pub region: Option<(usize, usize)>,
    pub metadata: Metadata,
}

impl Document {
    /// Lines of the text: the last line's number (a run of blank lines is one `Line`).
    pub fn lines_in(&self) -> usize {
        self.lines.last().map_or(0, |line| line.number)
    }

    /// The article body: kept lines, with a blank line between paragraphs.
    ///
    /// Two kept lines stay on adjacent lines (a list, an address block) only when they were
    /// adjacent in the input too; anything between them, a blank or a removed line, makes a
    /// paragraph break.
    pub fn text(&self) -> String {
        // Sized once: the kept lines and a paragraph break after each.
        let mut out = String::with_capacity(self.lines.iter().filter(|l| l.is_kept()).map(|l| l.text.len() + 2).sum());
        let mut previous: Option<usize> = None;
        for (index, line) in self.lines.iter().enumerate() {
            if !line.is_kept() {
                continue;
            }
            if let Some(prev) = previous {
                out.push_str(if prev + 1 == index { "\n" } else { "\n\n" });
            }
            out.push_str(&line.text);
            previous = Some(index);
        }
        out
    }

    pub fn removed(&self) -> impl Iterator<Item = (&Line, &'static str)> {
        self.lines.iter().filter_map(|line| match line.verdict {
            Verdict::Removed(rule) => Some((line, rule)),
            _ => None,
        })
    }

    /// How many lines each rule removed, sorted by rule name (deterministic output).
    pub fn removed_by_rule(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for (_, rule) in self.removed() {
            *counts.entry(rule).or_insert(0) += 1;
        }
        counts
    }

    pub fn lines_kept(&self) -> usize {
        self.lines.iter().filter(|l| l.is_kept()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(number: usize, text: &str, verdict: Verdict) -> Line {
        Line { number, text: text.to_string(), verdict, reason: Reason::Unclassified }
    }

    #[test]
    fn text_joins_paragraphs_with_blank_lines_and_lists_with_newlines() {
        let doc = Document {
            lines: vec![
                line(1, "Menu", Verdict::Removed("nav")),
                line(2, "First paragraph.", Verdict::Content),
                line(3, "", Verdict::Blank),
                line(4, "Item one", Verdict::Content),
                line(5, "Item two", Verdict::Content),
                line(6, "photo", Verdict::Removed("photo")),
                line(7, "Last.", Verdict::Content),
            ],
            ..Document::default()
        };
        assert_eq!(doc.text(), "First paragraph.\n\nItem one\nItem two\n\nLast.");
        assert_eq!(doc.lines_kept(), 4);
        let counts = doc.removed_by_rule();
        assert_eq!(counts.get("nav"), Some(&1));
        assert_eq!(counts.get("photo"), Some(&1));
    }
}
