//! The pipeline: bytes in, finished `Document` out, through one stage after another.
//!
//! `Cleaner` holds what is compiled once (patterns, settings) and is shared by reference across
//! worker threads; cleaning one page touches nothing shared and mutable, which is what makes the
//! output independent of the thread count.

use std::borrow::Cow;
use std::sync::Arc;

use crate::document::Document;
use crate::error::InputError;
use crate::patterns::Patterns;
use crate::site_stats::LineStats;
use crate::stage::html::Markup;
use crate::stage::{classify, decode, features, html, metadata, normalize, segment};
use crate::timings::{Stage, StageTimes};

/// Options that change what cleaning produces.
#[derive(Debug, Clone)]
pub struct Config {
    pub form: normalize::Form,
    /// Decode every input with this encoding instead of detecting one.
    pub encoding: Option<decode::Charset>,
    pub classify: classify::Settings,
    /// Larger documents are refused with an error instead of exhausting memory.
    pub max_bytes: u64,
    /// Lines repeated across a site's documents (`learn`), and how many documents make a repeat.
    pub site_stats: Option<Arc<LineStats>>,
    pub min_docs: u32,
    /// Whether pages are text or HTML (by default told by their name or first bytes).
    pub input_format: html::InputFormat,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            form: normalize::Form::Nfc,
            encoding: None,
            classify: classify::Settings::default(),
            max_bytes: 64 * 1024 * 1024,
            site_stats: None,
            min_docs: 3,
            input_format: html::InputFormat::Auto,
        }
    }
}

/// A page ready for the text stages (`Cleaner::page_text`).
#[derive(Debug, Clone)]
pub struct PageText<'a> {
    pub text: Cow<'a, str>,
    /// For an HTML page: what its markup says of each line of `text`, and its metadata.
    pub markup: Option<Markup>,
}

/// Cleans pages. Build once, share by `&` across threads.
#[derive(Debug, Clone)]
pub struct Cleaner {
    patterns: Patterns,
    config: Config,
    /// Where the time of each stage is added up, when asked for (`clean --timings`).
    timings: Option<Arc<StageTimes>>,
}

impl Cleaner {
    pub fn new(patterns: Patterns, config: Config) -> Self {
        Self { patterns, config, timings: None }
    }

    /// Adds the time of every stage of every page cleaned to `timings`.
    pub fn with_timings(mut self, timings: Arc<StageTimes>) -> Self {
        self.timings = Some(timings);
        self
    }

    /// Runs `work` as part of `stage`, timed if timings were asked for.
    pub(crate) fn timed<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        match &self.timings {
            Some(timings) => timings.time(stage, work),
            None => work(),
        }
    }

    /// Normalised, numbered lines of a text, as every stage sees them (and `learn` counts them).
    pub fn lines_of(&self, text: &str) -> (Vec<crate::document::Line>, Option<String>) {
        let normalized = self.timed(Stage::Normalize, || normalize::normalize(text, self.config.form));
        self.timed(Stage::Segment, || segment::segment(&normalized))
    }

    pub fn patterns(&self) -> &Patterns {
        &self.patterns
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Decode, then clean. `id` names the document in the output, `source` says where it came
    /// from.
    pub fn clean_bytes(&self, id: &str, source: &str, bytes: &[u8]) -> Result<Document, InputError> {
        self.clean_bytes_in_site(id, source, bytes, None)
    }

    /// `clean_bytes` for a page of a known site, so site-level statistics can apply.
    pub fn clean_bytes_in_site(
        &self,
        id: &str,
        source: &str,
        bytes: &[u8],
        site: Option<&str>,
    ) -> Result<Document, InputError> {
        if bytes.len() as u64 > self.config.max_bytes {
            return Err(InputError::TooLarge { size: bytes.len() as u64, limit: self.config.max_bytes });
        }
        let decoded = self.timed(Stage::Decode, || self.decode(source, bytes))?;
        let mut doc = self.clean_decoded_in_site(id, source, &decoded.text, site)?;
        doc.bytes_in = bytes.len();
        doc.encoding = decoded.encoding;
        doc.encoding_from = decoded.decided_by;
        doc.replacements = decoded.replacements;
        Ok(doc)
    }

    /// The text of the page `source`: an HTML page may declare its encoding, and one named as
    /// HTML or whose bytes start like HTML is read for a declaration before it is decoded.
    pub fn decode(&self, source: &str, bytes: &[u8]) -> Result<decode::Decoded, decode::DecodeError> {
        if self.config.input_format.reads_as_html(source, bytes) {
            decode::decode_html(bytes, self.config.encoding)
        } else {
            decode::decode(bytes, self.config.encoding)
        }
    }

    /// The text of a decoded page: its markup's text for an HTML page (`Config::input_format`),
    /// else the page itself.
    pub fn page_text<'a>(&self, source: &str, decoded: &'a str) -> PageText<'a> {
        self.page_text_as(self.config.input_format, source, decoded)
    }

    /// `page_text`, telling HTML by `format` instead of `Config::input_format`.
    pub fn page_text_as<'a>(&self, format: html::InputFormat, source: &str, decoded: &'a str) -> PageText<'a> {
        if format.reads_as_html(source, decoded.as_bytes()) {
            let html::Page { text, markup } = self.timed(Stage::Html, || html::to_page(decoded));
            PageText { text: Cow::Owned(text), markup: Some(markup) }
        } else {
            PageText { text: Cow::Borrowed(decoded), markup: None }
        }
    }

    /// Clean a decoded page, text or HTML (`page_text`); a page without text is an error.
    pub fn clean_decoded_in_site(
        &self,
        id: &str,
        source: &str,
        decoded: &str,
        site: Option<&str>,
    ) -> Result<Document, InputError> {
        let page = self.page_text(source, decoded);
        if page.text.trim().is_empty() {
            return Err(InputError::NoText);
        }
        Ok(self.clean_page_in_site(id, source, &page, site))
    }

    /// `clean_text_in_site` for a page that may be HTML (`page_text`).
    pub fn clean_page_in_site(&self, id: &str, source: &str, page: &PageText, site: Option<&str>) -> Document {
        self.clean_in_site(id, source, &page.text, site, page.markup.as_ref())
    }

    /// Clean text that is already decoded (a JSONL field, a test string).
    pub fn clean_text(&self, id: &str, source: &str, text: &str) -> Document {
        self.clean_text_in_site(id, source, text, None)
    }

    /// `clean_text` for a page of a known site, so site-level statistics can apply.
    ///
    /// With site statistics but no site given, the page is cleaned once to find its site name
    /// (title suffix, brand line, copyright holder), then again with that site's statistics.
    pub fn clean_text_in_site(&self, id: &str, source: &str, text: &str, site: Option<&str>) -> Document {
        self.clean_in_site(id, source, text, site, None)
    }

    fn clean_in_site(
        &self,
        id: &str,
        source: &str,
        text: &str,
        site: Option<&str>,
        markup: Option<&Markup>,
    ) -> Document {
        if site.is_none() && self.config.site_stats.is_some() {
            let first = self.clean_with_site(id, source, text, None, markup);
            return match first.metadata.site.clone() {
                Some(detected) => self.clean_with_site(id, source, text, Some(&detected), markup),
                None => first,
            };
        }
        self.clean_with_site(id, source, text, site, markup)
    }

    fn clean_with_site(
        &self,
        id: &str,
        source: &str,
        text: &str,
        site: Option<&str>,
        markup: Option<&Markup>,
    ) -> Document {
        let (lines, scraper_date) = self.lines_of(text);
        // The markup's lines are the text's lines; a run of blank lines is one `Line`.
        let structure = markup.map_or_else(Vec::new, |markup| {
            lines.iter().map(|l| markup.structure.get(l.number - 1).copied().unwrap_or_default()).collect()
        });
        let repeats = match (&self.config.site_stats, site) {
            (Some(stats), Some(site)) => Some(self.timed(Stage::LineStats, || {
                let site_lines = stats.site(site);
                features::SiteRepeats {
                    counts: lines.iter().map(|l| if l.is_blank() { 0 } else { site_lines.count(&l.text) }).collect(),
                    site_documents: stats.site_documents(site),
                    min_docs: self.config.min_docs,
                    sentence_share: 0.5,
                }
            })),
            _ => None,
        };
        let mut doc = Document {
            id: id.to_string(),
            source: source.to_string(),
            bytes_in: text.len(),
            encoding: "UTF-8",
            lines,
            structure,
            scraper_date,
            ..Document::default()
        };
        let classification = self.timed(Stage::Classify, || {
            classify::classify_in_site(
                &mut doc.lines,
                &self.patterns,
                &self.config.classify,
                repeats.as_ref(),
                &doc.structure,
            )
        });
        doc.region = classification.region.map(|(start, end)| (doc.lines[start].number, doc.lines[end].number));
        self.timed(Stage::Metadata, || {
            metadata::extract(&mut doc, &classification, &self.patterns);
            if let Some(markup) = markup {
                metadata::declared(&mut doc.metadata, &markup.meta, &self.patterns);
            }
        });
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::PatternsBuilder;

    fn cleaner() -> Cleaner {
        Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default())
    }

    #[test]
    fn whitespace_only_is_an_error() {
        let err = cleaner().clean_bytes("x", "x.txt", b" \n\t\r\n").unwrap_err();
        assert!(matches!(err, InputError::NoText));
    }

    #[test]
    fn oversize_is_refused() {
        let config = Config { max_bytes: 4, ..Config::default() };
        let c = Cleaner::new(Patterns::default(), config);
        assert!(matches!(c.clean_bytes("x", "x", b"hello world"), Err(InputError::TooLarge { size: 11, limit: 4 })));
    }

    #[test]
    fn cleaning_clean_text_keeps_it() {
        let text = "The delegation held a number of meetings with the partners on Monday, and they agreed that the cooperation will continue.\n\nAccording to the ministry, the sides also discussed the development of the city infrastructure and its residents.";
        let doc = cleaner().clean_text("x", "x", text);
        assert_eq!(doc.text(), text);
        assert_eq!(doc.metadata.lang.as_deref(), Some("en"));
    }
}
