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
    /// The page's canonical URL, as an HTML page declares it.
    pub url: Option<String>,
}

/// What the elements around a line say about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStructure {
    /// `h1`..`h6` as 1..6; 0 outside headings.
    pub heading: u8,
    /// `mark::*` bits of the line's elements and their ancestors.
    pub marks: u32,
    /// Characters of the line (white space aside), and of those the ones inside links.
    pub chars: u32,
    pub link_chars: u32,
    /// The best score of the elements around the line as the page's main container
    /// (`mark_main_container`), in percent of the best element's.
    pub container: u8,
}

impl LineStructure {
    pub fn has(&self, mark: u32) -> bool {
        self.marks & mark != 0
    }

    /// The share of the line's characters inside `<a>`.
    pub fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.chars.max(1) as f32
    }
}

/// Bits of `LineStructure::marks`: the elements a line is in, and the class and id words of
/// its elements that name a part of a page.
pub mod mark {
    pub const LIST_ITEM: u32 = 1;
    pub const TABLE_CELL: u32 = 1 << 1;
    pub const PARAGRAPH: u32 = 1 << 2;
    pub const NAV: u32 = 1 << 3;
    pub const HEADER: u32 = 1 << 4;
    pub const FOOTER: u32 = 1 << 5;
    pub const ASIDE: u32 = 1 << 6;
    pub const FORM: u32 = 1 << 7;
    pub const BUTTON: u32 = 1 << 8;
    pub const ARTICLE: u32 = 1 << 9;
    pub const CAPTION: u32 = 1 << 10;
    pub const CLASS_NAV: u32 = 1 << 11;
    pub const CLASS_FOOTER: u32 = 1 << 12;
    pub const CLASS_RELATED: u32 = 1 << 13;
    pub const CLASS_SHARE: u32 = 1 << 14;
    pub const CLASS_COMMENT: u32 = 1 << 15;
    pub const CLASS_SIDEBAR: u32 = 1 << 16;
    pub const CLASS_PROMO: u32 = 1 << 17;
    pub const CLASS_COOKIE: u32 = 1 << 18;
    pub const CLASS_CONTENT: u32 = 1 << 19;
    pub const CLASS_BYLINE: u32 = 1 << 20;
    pub const CLASS_CAPTION: u32 = 1 << 21;
    pub const CLASS_HIDDEN: u32 = 1 << 22;
    /// Inside the element that holds most of the page's paragraphs (`mark_main_container`).
    pub const MAIN_CONTAINER: u32 = 1 << 23;
}

/// What decided a page's encoding, strongest evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecidedBy {
    /// The user named it (`--encoding`).
    Forced,
    /// A byte order mark.
    Bom,
    /// The bytes are UTF-8 (valid, or but for a few bad sequences).
    #[default]
    Utf8,
    /// An HTML page's `<meta charset>` or `http-equiv` declaration.
    Meta,
    /// Detection from the bytes (chardetng, or the shape of UTF-16 without a BOM).
    Detected,
}

impl DecidedBy {
    /// The name the record's `encoding_from` field gives.
    pub fn name(self) -> &'static str {
        match self {
            DecidedBy::Forced => "forced",
            DecidedBy::Bom => "bom",
            DecidedBy::Utf8 => "utf-8",
            DecidedBy::Meta => "meta",
            DecidedBy::Detected => "detected",
        }
    }
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
    /// What decided `encoding`.
    pub encoding_from: DecidedBy,
    /// U+FFFD characters produced by decoding (malformed input).
    pub replacements: usize,
    pub lines: Vec<Line>,
    /// For an HTML page, what the markup says of each line (by index into `lines`); empty for
    /// text.
    pub structure: Vec<LineStructure>,
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
