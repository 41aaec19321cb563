//! Loading pattern files: the folder layout, the line format, and compiling it all into
//! `Patterns`. A bad line fails here, before any page is read, as `FILE:LINE: problem`.

use std::path::Path;

use regex_syntax::hir::Hir;

use super::group::{GroupError, Reach, RegexGroup};
use super::{screen, Listed, PatternError, Patterns};
use crate::dates::DateFinder;
use crate::error::joined;
use crate::text::{self, phrase_key};
use crate::words::{Screen, StopwordIndex, Vocabulary, MAX_LANGUAGES};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_patterns.rs"));
}

/// One pattern file's text and where it came from.
#[derive(Debug, Clone)]
pub(super) struct Source {
    /// What error messages and `--dump-patterns` show: `patterns/en/nav.txt` or a user path.
    pub(super) origin: String,
    /// Path relative to the patterns folder, `/`-separated.
    pub(super) relative: String,
    pub(super) text: String,
}

/// Collects pattern files, then compiles them.
#[derive(Debug, Clone, Default)]
pub struct PatternsBuilder {
    pub(super) sources: Vec<Source>,
}

impl PatternsBuilder {
    /// No patterns at all (`--no-default-patterns`).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The patterns compiled into the binary.
    pub fn defaults() -> Self {
        let sources = embedded::EMBEDDED
            .iter()
            .map(|(relative, text)| Source {
                origin: format!("patterns/{relative}"),
                relative: relative.to_string(),
                text: text.to_string(),
            })
            .collect();
        Self { sources }
    }

    /// Adds every `.txt` file under `dir` (recursively, sorted, so the result is deterministic).
    pub fn add_dir(mut self, dir: &Path) -> Result<Self, PatternError> {
        if !dir.is_dir() {
            return Err(PatternError::NotADir(dir.to_path_buf()));
        }
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| PatternError::Io {
                path: e.path().unwrap_or(dir).to_path_buf(),
                error: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk error")),
            })?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "txt") {
                files.push(entry.into_path());
            }
        }
        for path in files {
            let bytes = std::fs::read(&path).map_err(|error| PatternError::Io { path: path.clone(), error })?;
            let text = String::from_utf8(bytes).map_err(|error| {
                let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1) + 1;
                PatternError::Invalid {
                    file: path.display().to_string(),
                    line,
                    problem: format!("not UTF-8 (a bad byte at column {column}); pattern files are UTF-8"),
                }
            })?;
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            self.sources.push(Source { origin: path.display().to_string(), relative, text });
        }
        Ok(self)
    }

    /// Compiles everything; the first bad line is reported with its file and line number.
    pub fn build(self) -> Result<Patterns, PatternError> {
        let mut patterns = Patterns::default();
        let mut regexes = Regexes::default();
        let mut vocabulary = Vocabulary::default();
        for source in &self.sources {
            if !source.relative.ends_with(".txt") {
                continue;
            }
            let (lang, kind) = lang_and_kind(&source.relative);
            if lang == "stopwords" {
                let words = patterns.stopwords.entry(kind.to_string()).or_default();
                for (_, line) in pattern_lines(&source.text) {
                    words.insert(line);
                }
            } else if !read_vocabulary(source, kind, &mut vocabulary)? {
                read_patterns(source, lang, kind, &mut patterns, &mut regexes)?;
            }
        }
        if patterns.stopwords.len() > MAX_LANGUAGES {
            // Each language is a bit beside the screens' in the stopword table.
            return Err(PatternError::Invalid {
                file: "stopwords".into(),
                line: 0,
                problem: format!(
                    "{} stopword lists, more than the {MAX_LANGUAGES} languages the classifier tells apart",
                    patterns.stopwords.len()
                ),
            });
        }
        compile(patterns, regexes, vocabulary)
    }
}

/// The regexes of every pattern file, parsed, in file order.
#[derive(Default)]
struct Regexes {
    texts: Vec<String>,
    reaches: Vec<Reach>,
    hirs: Vec<Hir>,
    /// (file, line) of each.
    origins: Vec<(String, usize)>,
}

/// Reads a file of one kind's phrases and regexes into `patterns` and `regexes`.
fn read_patterns(
    source: &Source,
    lang: &str,
    kind: &str,
    patterns: &mut Patterns,
    regexes: &mut Regexes,
) -> Result<(), PatternError> {
    let kind_name = patterns.intern(kind);
    for (number, line) in pattern_lines(&source.text) {
        let invalid = |problem: String| PatternError::Invalid { file: source.origin.clone(), line: number, problem };
        if let Some(regex) = line.strip_prefix("re:") {
            let regex = regex.trim();
            if regex.is_empty() {
                return Err(invalid("empty regular expression".into()));
            }
            // Parsed alone first so that an error names this line, not the whole set.
            let hir = regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(regex)
                .map_err(|e| invalid(first_line(&e.to_string())))?;
            regexes.reaches.push(Reach::of(&hir));
            regexes.hirs.push(hir);
            regexes.origins.push((source.origin.clone(), number));
            regexes.texts.push(regex.to_string());
            patterns.regex_kinds.push(kind_name);
            patterns.regex_listing.push(patterns.listing.len());
        } else {
            let key = phrase_key(line);
            if key.is_empty() {
                return Err(invalid(format!("phrase {line:?} has no letters or digits")));
            }
            let listed = patterns.listing.len();
            patterns.longest_phrase = patterns.longest_phrase.max(key.len());
            patterns.phrase_hashes.extend(text::phrase_key_hash(&key));
            patterns.phrases.entry(key).or_insert((kind_name, listed));
        }
        patterns.listing.push(Listed {
            kind: kind_name,
            lang: lang.to_string(),
            origin: format!("{}:{}", source.origin, number),
            pattern: line.to_string(),
        });
    }
    Ok(())
}

/// Files of a language's words rather than of patterns: months, and the other words of
/// timestamps and counters.
const MONTHS_FILE: &str = "months";
const TIME_WORDS_FILE: &str = "time-words";
const COUNTER_WORDS_FILE: &str = "counter-words";

/// Reads `source` into `vocabulary` when it is a file of words (`MONTHS_FILE` and the others);
/// false when it is a pattern file.
fn read_vocabulary(source: &Source, kind: &str, vocabulary: &mut Vocabulary) -> Result<bool, PatternError> {
    match kind {
        MONTHS_FILE => {
            let lines: Vec<(usize, &str)> = pattern_lines(&source.text).collect();
            if lines.len() != 12 {
                return Err(PatternError::Invalid {
                    file: source.origin.clone(),
                    line: lines.last().map_or(0, |&(number, _)| number),
                    problem: format!("{} months, expected a line for each of the 12", lines.len()),
                });
            }
            for (month, (_, line)) in (1..).zip(lines) {
                line.split_whitespace().for_each(|name| vocabulary.add_month(month, name));
            }
        }
        TIME_WORDS_FILE => pattern_lines(&source.text).for_each(|(_, word)| vocabulary.add_time_word(word)),
        COUNTER_WORDS_FILE => pattern_lines(&source.text).for_each(|(_, word)| vocabulary.add_counter_word(word)),
        _ => return Ok(false),
    }
    Ok(true)
}

/// Compiles the regex groups, the screens in front of them and the date forms, side by side.
fn compile(mut patterns: Patterns, regexes: Regexes, vocabulary: Vocabulary) -> Result<Patterns, PatternError> {
    patterns.stopword_index = StopwordIndex::new(patterns.stopword_lists());
    // A set's automaton is as slow as its slowest member, so regexes are grouped by how much
    // of a line a search must read (`Reach`). Compiling is most of the start-up time: the sets
    // are compiled side by side, and the screens in front of them are read from their regexes'
    // syntax beside them.
    let members_of =
        |reach: Reach| -> Vec<usize> { (0..regexes.texts.len()).filter(|&i| regexes.reaches[i] == reach).collect() };
    type Compiled = (Vec<Result<RegexGroup, GroupError>>, Vec<Option<Screen>>, DateFinder);
    let (groups, screens, dates): Compiled = std::thread::scope(|scope| {
        let compiling: Vec<_> = Reach::ALL
            .iter()
            .map(|&reach| {
                let members = members_of(reach);
                let hirs = &regexes.hirs;
                scope.spawn(move || RegexGroup::build(hirs, members))
            })
            .collect();
        let screening = scope.spawn(|| {
            Reach::ALL
                .iter()
                .map(|&reach| {
                    let texts = members_of(reach).into_iter().map(|i| regexes.texts[i].as_str());
                    screen::screen_of(texts, text::walk_inspects)
                })
                .collect()
        });
        let dates = DateFinder::new(&vocabulary);
        (compiling.into_iter().map(joined).collect(), joined(screening), dates)
    });
    patterns.stopword_index =
        std::mem::take(&mut patterns.stopword_index).with_screens(&screens).with_vocabulary(vocabulary);
    patterns.dates = dates;
    for group in groups {
        patterns.groups.push(group.map_err(|set_error| compile_error(&regexes.texts, &regexes.origins, set_error))?);
    }
    Ok(patterns)
}

/// The error of a group that would not compile, naming the first of its regexes that will not
/// compile alone (one over a size limit, say), or the whole group when each compiles alone.
fn compile_error(texts: &[String], origins: &[(String, usize)], group_error: GroupError) -> PatternError {
    for (text, (file, line)) in texts.iter().zip(origins) {
        if let Err(e) = regex::RegexBuilder::new(text).case_insensitive(true).build() {
            return PatternError::Invalid { file: file.clone(), line: *line, problem: first_line(&e.to_string()) };
        }
    }
    PatternError::Invalid { file: "patterns".into(), line: 0, problem: first_line(&group_error.0) }
}

/// `en/nav.txt` -> ("en", "nav"); `nav.txt` -> ("any", "nav").
fn lang_and_kind(relative: &str) -> (&str, &str) {
    let stem = relative.strip_suffix(".txt").unwrap_or(relative);
    match stem.rsplit_once('/') {
        Some((dir, kind)) => (dir.rsplit('/').next().unwrap_or(dir), kind),
        None => ("any", stem),
    }
}

/// Non-comment, non-blank lines with their 1-based line numbers.
fn pattern_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

fn first_line(message: &str) -> String {
    // regex errors are multi-line with a caret diagram; the last line says what is wrong.
    message.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(message).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::tests::from_files;

    #[test]
    fn more_stopword_lists_than_languages_told_apart_is_an_error() {
        let names: Vec<String> = (0..=MAX_LANGUAGES).map(|n| format!("stopwords/l{n:02}.txt")).collect();
        let files: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "the")).collect();
        assert!(from_files(&files[..MAX_LANGUAGES]).is_ok());
        let err = from_files(&files).unwrap_err().to_string();
        assert!(err.contains(&format!("{} stopword lists", MAX_LANGUAGES + 1)), "{err}");
    }

    #[test]
    fn bad_regex_names_file_and_line() {
        let err = from_files(&[("en/nav.txt", "home\n\nre:(unclosed\n")]).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("test/en/nav.txt:3: "), "{message}");
        assert!(message.contains("unclosed"), "{message}");
    }

    #[test]
    fn a_regex_too_big_to_compile_is_named_by_its_line() {
        let err = from_files(&[("en/nav.txt", "re:^home$\nre:\\w{5000}\n")]).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("test/en/nav.txt:2: "), "{message}");
        assert!(message.contains("size limit"), "{message}");
    }

    #[test]
    fn a_months_file_needs_a_line_for_each_month_and_its_words_are_no_patterns() {
        let eleven = "jan\nfeb\nmar\napr\nmay\njun\njul\naug\nsep\noct\nnov\n";
        let err = from_files(&[("xx/months.txt", eleven)]).unwrap_err().to_string();
        assert!(err.starts_with("test/xx/months.txt:11: 11 months"), "{err}");
        let twelve = format!("# a comment\n{eleven}dec december\n");
        let p = from_files(&[("xx/months.txt", &twelve), ("xx/time-words.txt", "ago\n")]).unwrap();
        assert_eq!(p.vocabulary().month_number("december"), Some(12));
        assert!(p.vocabulary().is_time_word("ago") && p.vocabulary().is_time_word("jan"));
        assert!(p.listing().is_empty());
        assert_eq!(p.find_date("3 December 2020").as_deref(), Some("2020-12-03"));
    }

    #[test]
    fn phrase_without_letters_is_an_error() {
        let err = from_files(&[("en/nav.txt", ">>>\n")]).unwrap_err();
        assert!(err.to_string().starts_with("test/en/nav.txt:1: phrase"));
    }

    #[test]
    fn stopwords_are_loaded_per_language() {
        let p = from_files(&[("stopwords/en.txt", "the\nAnd\n")]).unwrap();
        assert!(p.stopwords("en").unwrap().contains("and"));
        assert!(p.stopwords("ru").is_none());
        assert!(!p.stopword_index().is_empty());
        assert_eq!(p.kind_of("the"), None);
    }

    #[test]
    fn defaults_compile() {
        let p = PatternsBuilder::defaults().build().unwrap();
        assert!(p.listing().len() > 50);
        assert!(p.stopwords("en").is_some());
        assert!(p.stopwords("ru").is_some());
        assert!(p.stopwords("kk").is_some());
    }
}
