//! Site-level repeated lines: what one page cannot tell.
//!
//! Menus, footers and "popular" lists repeat across the pages of a site; an article's sentences
//! do not. `learn` counts, per site, how many documents contain each normalised line (as a 64-bit
//! hash: the statistics of a large crawl stay small and say nothing about its text); `clean
//! --line-stats` then removes lines that repeat across at least `--min-docs` documents of the same
//! site (rule `site-repeat`). Counts only add, so statistics built on many machines merge exactly,
//! in any order and grouping.
//!
//! File format (little-endian): the magic `BSLINES2`, the number of sites, then per site its hash
//! and document count; the number of (site, line) pairs, then per pair the site hash, the line
//! hash and the document count; then the FNV-1a checksum of all the bytes before it, and
//! nothing after. Both lists are sorted, so equal statistics are equal bytes. (`BSLINES1`
//! files, the same without the checksum, are still read.)

use std::io::{self, Read, Write};

use rayon::slice::ParallelSliceMut;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::text::{self, is_alnum};

const MAGIC: &[u8; 8] = b"BSLINES2";
/// The format before the checksum: still read, without the check it cannot have.
const MAGIC_WITHOUT_CHECKSUM: &[u8; 8] = b"BSLINES1";

/// Per-site document frequencies of lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineStats {
    // Keys are hashes already: std's SipHash over them again cost more than the lookup.
    docs_per_site: FxHashMap<u64, u32>,
    /// Per site, the documents that contain each line. A table per site rather than one keyed
    /// by (site, line): the lines of a page, and of the pages of a site that come together, are
    /// looked up and counted in a table small enough to stay in cache. No site has an empty one.
    lines: FxHashMap<u64, FxHashMap<u64, u32>>,
}

/// FNV-1a, 64 bits: stable across machines, versions and runs (unlike std's random hasher).
pub fn stable_hash(text: &str) -> u64 {
    fnv1a(FNV_OFFSET, text.as_bytes())
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| fnv1a_byte(hash, byte))
}

#[inline(always)]
fn fnv1a_byte(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

/// The hash of a line as statistics see it: case, surrounding punctuation and spacing ignored.
/// It is `stable_hash` of the line's phrase key (`text::phrase_key`), computed as the key's
/// characters come, without building the key: the line trimmed of what is not a letter or
/// digit, its words lower-cased and joined by single spaces.
pub fn line_hash(line: &str) -> Option<u64> {
    let trimmed = line.trim_matches(|c: char| !is_alnum(c));
    if trimmed.is_empty() {
        return None;
    }
    let bytes = trimmed.as_bytes();
    let mut hash = FNV_OFFSET;
    // White space seen since the last character hashed: a single space, if a word follows.
    let mut space = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            at += 1;
            // char::is_whitespace on ASCII: tab, line feed, vertical tab, form feed, return, space.
            if matches!(byte, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
                space = true;
                continue;
            }
            if std::mem::take(&mut space) {
                hash = fnv1a_byte(hash, b' ');
            }
            hash = fnv1a_byte(hash, byte.to_ascii_lowercase());
            continue;
        }
        let (c, next) = text::char_at(trimmed, at);
        at = next;
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if std::mem::take(&mut space) {
            hash = fnv1a_byte(hash, b' ');
        }
        text::for_each_lower(c, |lower| hash = fnv1a(hash, lower.encode_utf8(&mut [0; 4]).as_bytes()));
    }
    Some(hash)
}

/// The hash of a site name (case-insensitive).
pub fn site_hash(site: &str) -> u64 {
    stable_hash(&site.trim().to_lowercase())
}

/// The site of a URL: its host without `www.` (`https://www.bbc.com/news/x` -> `bbc.com`).
pub fn site_of_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.split(':').next()?;
    let host = host.trim_start_matches("www.").to_lowercase();
    (!host.is_empty()).then_some(host)
}

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("not a boilerstrip line-statistics file")]
    BadMagic,
    #[error("truncated line-statistics file")]
    Truncated,
    #[error("corrupt line-statistics file: its checksum does not match its contents")]
    Checksum,
    #[error("corrupt line-statistics file: bytes after its end")]
    TrailingBytes,
    #[error("cannot read the line-statistics file: {0}")]
    Io(io::Error),
}

impl From<io::Error> for StatsError {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            StatsError::Truncated
        } else {
            StatsError::Io(error)
        }
    }
}

impl LineStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one document of `site`: each distinct line once.
    pub fn add_document<'a>(&mut self, site: &str, lines: impl Iterator<Item = &'a str>) {
        let site = site_hash(site);
        *self.docs_per_site.entry(site).or_default() += 1;
        let distinct: FxHashSet<u64> = lines.filter_map(line_hash).collect();
        if distinct.is_empty() {
            return;
        }
        let counts = self.lines.entry(site).or_default();
        for line in distinct {
            *counts.entry(line).or_default() += 1;
        }
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &LineStats) {
        for (site, docs) in &other.docs_per_site {
            *self.docs_per_site.entry(*site).or_default() += docs;
        }
        for (site, lines) in &other.lines {
            let counts = self.lines.entry(*site).or_default();
            for (line, count) in lines {
                *counts.entry(*line).or_default() += count;
            }
        }
    }

    /// Documents of `site` that contain `line`.
    pub fn count(&self, site: &str, line: &str) -> u32 {
        self.site(site).count(line)
    }

    /// The counts of one site's lines: for the lines of a page, whose site is looked up once.
    pub fn site(&self, site: &str) -> SiteLines<'_> {
        SiteLines(self.lines.get(&site_hash(site)))
    }

    /// Documents counted for `site`.
    pub fn site_documents(&self, site: &str) -> u32 {
        self.docs_per_site.get(&site_hash(site)).copied().unwrap_or(0)
    }

    /// Writes the statistics, then a checksum of everything before it, so that a file damaged
    /// later (a flipped byte, a cut, bytes appended) is refused rather than misread.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        // Laid out in memory and written at once: three small writes and a checksum update per
        // pair took longer than the counting they follow.
        let body = self.body();
        out.write_all(&body)?;
        out.write_all(&fnv1a(FNV_OFFSET, &body).to_le_bytes())?;
        out.flush()
    }

    fn body(&self) -> Vec<u8> {
        const SITE_BYTES: usize = 8 + 4;
        const PAIR_BYTES: usize = 8 + 8 + 4;
        let mut sites: Vec<_> = self.docs_per_site.iter().collect();
        sites.sort_unstable();
        // Sorting a large crawl's pairs is most of writing it, on one thread after all the
        // counting: the worker threads share it.
        let mut lines: Vec<(u64, u64, u32)> = self
            .lines
            .iter()
            .flat_map(|(&site, lines)| lines.iter().map(move |(&line, &count)| (site, line, count)))
            .collect();
        lines.par_sort_unstable();
        let mut body = Vec::with_capacity(MAGIC.len() + 16 + sites.len() * SITE_BYTES + lines.len() * PAIR_BYTES);
        body.extend_from_slice(MAGIC);
        body.extend_from_slice(&(sites.len() as u64).to_le_bytes());
        for (site, docs) in sites {
            body.extend_from_slice(&site.to_le_bytes());
            body.extend_from_slice(&docs.to_le_bytes());
        }
        body.extend_from_slice(&(lines.len() as u64).to_le_bytes());
        for (site, line, count) in lines {
            body.extend_from_slice(&site.to_le_bytes());
            body.extend_from_slice(&line.to_le_bytes());
            body.extend_from_slice(&count.to_le_bytes());
        }
        body
    }

    /// Reads statistics written by `write_to`, checking the checksum and that nothing follows.
    pub fn read_from(input: &mut impl Read) -> Result<Self, StatsError> {
        let mut magic = [0u8; 8];
        input.read_exact(&mut magic)?;
        let checked = match &magic {
            MAGIC => true,
            MAGIC_WITHOUT_CHECKSUM => false,
            _ => return Err(StatsError::BadMagic),
        };
        // Read whole and parsed from memory: a read call per field made loading a large file a
        // noticeable part of a `clean --line-stats` run.
        let mut rest = Vec::new();
        input.read_to_end(&mut rest)?;
        let mut after = Bytes(&rest);
        let stats = Self::read_body(&mut after)?;
        if checked {
            let body = &rest[..rest.len() - after.0.len()];
            let computed = fnv1a(fnv1a(FNV_OFFSET, &magic), body);
            if after.u64()? != computed {
                return Err(StatsError::Checksum);
            }
        }
        if !after.0.is_empty() {
            return Err(StatsError::TrailingBytes);
        }
        Ok(stats)
    }

    fn read_body(input: &mut Bytes) -> Result<Self, StatsError> {
        // A damaged count must not reserve more than the file could hold.
        let sites = input.u64()?;
        let mut stats = LineStats::new();
        stats.docs_per_site.reserve((sites as usize).min(input.0.len() / 12));
        for _ in 0..sites {
            let site = input.u64()?;
            stats.docs_per_site.insert(site, input.u32()?);
        }
        let pairs = input.u64()?;
        // The pairs come sorted by site: each site's lines are gathered, then put in place once.
        let mut site_lines: Option<(u64, FxHashMap<u64, u32>)> = None;
        for _ in 0..pairs {
            let site = input.u64()?;
            let line = input.u64()?;
            let count = input.u32()?;
            match &mut site_lines {
                Some((current, counts)) if *current == site => {
                    counts.insert(line, count);
                }
                _ => {
                    if let Some((done, counts)) = site_lines.take() {
                        stats.lines.entry(done).or_default().extend(counts);
                    }
                    site_lines = Some((site, FxHashMap::from_iter([(line, count)])));
                }
            }
        }
        if let Some((done, counts)) = site_lines {
            stats.lines.entry(done).or_default().extend(counts);
        }
        Ok(stats)
    }
}

/// The line counts of one site (`LineStats::site`).
#[derive(Debug, Clone, Copy)]
pub struct SiteLines<'a>(Option<&'a FxHashMap<u64, u32>>);

impl SiteLines<'_> {
    /// Documents of the site that contain `line`.
    pub fn count(&self, line: &str) -> u32 {
        self.0.and_then(|counts| counts.get(&line_hash(line)?).copied()).unwrap_or(0)
    }
}

/// The unread part of a statistics file in memory.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], StatsError> {
        let (taken, rest) = self.0.split_first_chunk::<N>().ok_or(StatsError::Truncated)?;
        self.0 = rest;
        Ok(*taken)
    }

    fn u64(&mut self) -> Result<u64, StatsError> {
        self.take().map(u64::from_le_bytes)
    }

    fn u32(&mut self) -> Result<u32, StatsError> {
        self.take().map(u32::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stats(docs: &[(&str, &[&str])]) -> LineStats {
        let mut s = LineStats::new();
        for (site, lines) in docs {
            s.add_document(site, lines.iter().copied());
        }
        s
    }

    #[test]
    fn counts_documents_not_occurrences() {
        let s = stats(&[
            ("a.com", &["Menu", "menu", "Body one."]),
            ("a.com", &["MENU >", "Body two."]),
            ("b.org", &["Menu"]),
        ]);
        assert_eq!(s.count("a.com", "Menu"), 2);
        assert_eq!(s.count("A.COM", "menu:"), 2);
        assert_eq!(s.count("b.org", "Menu"), 1);
        assert_eq!(s.count("a.com", "Body one."), 1);
        assert_eq!(s.site_documents("a.com"), 2);
        assert_eq!(s.count("c.net", "Menu"), 0);
    }

    #[test]
    fn round_trips_through_bytes_deterministically() {
        let s = stats(&[("a.com", &["x", "y"]), ("b.org", &["y", "z"])]);
        let mut bytes = Vec::new();
        s.write_to(&mut bytes).unwrap();
        let back = LineStats::read_from(&mut bytes.as_slice()).unwrap();
        assert_eq!(back, s);
        let mut again = Vec::new();
        back.write_to(&mut again).unwrap();
        assert_eq!(again, bytes);
        assert!(matches!(LineStats::read_from(&mut &b"nonsense"[..]), Err(StatsError::BadMagic)));
        assert!(matches!(LineStats::read_from(&mut &bytes[..bytes.len() - 3]), Err(StatsError::Truncated)));
    }

    #[test]
    fn a_flipped_byte_or_bytes_after_the_end_are_refused() {
        let s = stats(&[("a.com", &["x", "y"]), ("b.org", &["y", "z"])]);
        let mut bytes = Vec::new();
        s.write_to(&mut bytes).unwrap();
        for at in 8..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x10;
            let result = LineStats::read_from(&mut flipped.as_slice());
            assert!(result.is_err(), "a flipped byte at {at} was accepted");
        }
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"junk");
        assert!(matches!(LineStats::read_from(&mut longer.as_slice()), Err(StatsError::TrailingBytes)));
        // The message says what is wrong once, not the same words twice.
        let message = StatsError::from(io::Error::from(io::ErrorKind::UnexpectedEof)).to_string();
        assert_eq!(message, "truncated line-statistics file");
    }

    #[test]
    fn files_of_the_format_before_the_checksum_are_still_read() {
        let s = stats(&[("a.com", &["x", "y"])]);
        let mut bytes = Vec::new();
        s.write_to(&mut bytes).unwrap();
        bytes.truncate(bytes.len() - 8);
        bytes[..8].copy_from_slice(MAGIC_WITHOUT_CHECKSUM);
        assert_eq!(LineStats::read_from(&mut bytes.as_slice()).unwrap(), s);
    }

    proptest! {
        #[test]
        fn the_line_hash_is_the_stable_hash_of_the_phrase_key(line in "([ \t\x0b\x0ca-zA-Z09é.,!Ω—_-]|[а-яА-ЯЁёӘәҚқİ\u{a0}\u{2003}\u{3000}\u{85}]|\\PC){0,30}") {
            let key = crate::text::phrase_key(&line);
            prop_assert_eq!(line_hash(&line), (!key.is_empty()).then(|| stable_hash(&key)));
        }

        #[test]
        fn the_ascii_fast_path_hashes_as_the_phrase_key_does(line in "[ \t\x0b\x0c\r\na-zA-Z09.,!_()-]{0,40}") {
            let key = crate::text::phrase_key(&line);
            prop_assert_eq!(line_hash(&line), (!key.is_empty()).then(|| stable_hash(&key)));
        }
    }

    #[test]
    fn urls_give_sites() {
        assert_eq!(site_of_url("https://www.bbc.com/news/world-1").as_deref(), Some("bbc.com"));
        assert_eq!(site_of_url("http://user@Example.org:8080/x?y").as_deref(), Some("example.org"));
        assert_eq!(site_of_url(""), None);
    }

    fn arbitrary_stats() -> impl Strategy<Value = LineStats> {
        prop::collection::vec((0..3usize, prop::collection::vec(0..6usize, 0..5)), 0..6).prop_map(|docs| {
            let mut s = LineStats::new();
            for (site, lines) in docs {
                let site = ["a", "b", "c"][site];
                let lines: Vec<String> = lines.iter().map(|l| format!("line {l}")).collect();
                s.add_document(site, lines.iter().map(String::as_str));
            }
            s
        })
    }

    proptest! {
        #[test]
        fn merge_is_associative_and_commutative(a in arbitrary_stats(), b in arbitrary_stats(), c in arbitrary_stats()) {
            let mut ab = a.clone();
            ab.merge(&b);
            let mut ba = b.clone();
            ba.merge(&a);
            prop_assert_eq!(&ab, &ba);
            let mut ab_c = ab.clone();
            ab_c.merge(&c);
            let mut bc = b.clone();
            bc.merge(&c);
            let mut a_bc = a.clone();
            a_bc.merge(&bc);
            prop_assert_eq!(ab_c, a_bc);
        }
    }
}
