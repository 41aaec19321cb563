//! Pattern files: the phrases and regexes that name boilerplate, kept as data, not code.
//!
//! Layout under a patterns folder (the defaults live in the repository's `patterns/` and are
//! compiled into the binary):
//!
//! ```text
//! <lang>/<kind>.txt      e.g. en/read-also.txt, ru/nav.txt, kk/share.txt
//! stopwords/<lang>.txt   one function word per line, for the classifier's stopword share
//! ```
//!
//! One pattern per line; `#` starts a comment line; blank lines are ignored. A plain line is a
//! *phrase*: it matches a page line that, lower-cased and stripped of surrounding punctuation,
//! bullets and arrows, is exactly that phrase (`Read also:` and `• READ ALSO >` both match
//! `read also`). A line starting with `re:` is a regular expression searched anywhere in the page
//! line, case-insensitively. The file name is the *kind*, and the kind is the rule name a removal
//! carries, so a user who wonders why a line went knows which file to edit.
//!
//! Everything is compiled once, up front: phrases into a hash map (one lookup per line), regexes
//! into a few lazy DFAs (`RegexGroup`), grouped by how much of a line a search must read (an
//! automaton is as slow as its slowest member). A bad pattern fails at start as
//! `FILE:LINE: problem`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use regex_automata::util::pool::Pool;
use regex_automata::{hybrid, nfa::thompson::pikevm::PikeVM, Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange, Hir};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::joined;
pub use crate::text::phrase_key;
use crate::text::{self, for_each_key_char};
use crate::words::{Screen, StopwordIndex, WordSet, MAX_LANGUAGES};

/// The kinds the classifier gives a meaning beyond "remove this line", in one place.
pub mod kinds;
mod screen;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_patterns.rs"));
}

#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("{file}:{line}: {problem}")]
    Invalid { file: String, line: usize, problem: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: not a folder of pattern files", .0.display())]
    NotADir(PathBuf),
}

/// One pattern file's text and where it came from.
#[derive(Debug, Clone)]
struct Source {
    /// What error messages and `--dump-patterns` show: `patterns/en/nav.txt` or a user path.
    origin: String,
    /// Path relative to the patterns folder, `/`-separated.
    relative: String,
    text: String,
}

/// Collects pattern files, then compiles them.
#[derive(Debug, Clone, Default)]
pub struct PatternsBuilder {
    sources: Vec<Source>,
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
                source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk error")),
            })?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "txt") {
                files.push(entry.into_path());
            }
        }
        for path in files {
            let text =
                std::fs::read_to_string(&path).map_err(|source| PatternError::Io { path: path.clone(), source })?;
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
        let mut regex_texts = Vec::new();
        let mut reaches = Vec::new();
        let mut hirs = Vec::new();
        let mut origins = Vec::new();
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
                continue;
            }
            let kind_name = patterns.intern(kind);
            for (number, line) in pattern_lines(&source.text) {
                let invalid =
                    |problem: String| PatternError::Invalid { file: source.origin.clone(), line: number, problem };
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
                    reaches.push(Reach::of(&hir));
                    hirs.push(hir);
                    origins.push((source.origin.clone(), number));
                    regex_texts.push(regex.to_string());
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
        patterns.stopword_index = StopwordIndex::new(patterns.stopword_lists());
        // A set's automaton is as slow as its slowest member, so regexes are grouped by how much
        // of a line a search must read (`Reach`). Compiling is most of the start-up time: the
        // sets are compiled side by side, and the screens in front of them are read from their
        // regexes' syntax beside them.
        let members_of =
            |reach: Reach| -> Vec<usize> { (0..regex_texts.len()).filter(|&i| reaches[i] == reach).collect() };
        let (groups, screens): (Vec<Result<RegexGroup, GroupError>>, Vec<Option<Screen>>) =
            std::thread::scope(|scope| {
                let compiling: Vec<_> = Reach::ALL
                    .iter()
                    .map(|&reach| {
                        let members = members_of(reach);
                        let hirs = &hirs;
                        scope.spawn(move || RegexGroup::build(hirs, members))
                    })
                    .collect();
                let screening = scope.spawn(|| {
                    Reach::ALL
                        .iter()
                        .map(|&reach| {
                            let texts = members_of(reach).into_iter().map(|i| regex_texts[i].as_str());
                            screen::screen_of(texts, text::walk_inspects)
                        })
                        .collect()
                });
                (compiling.into_iter().map(joined).collect(), joined(screening))
            });
        patterns.stopword_index = std::mem::take(&mut patterns.stopword_index).with_screens(&screens);
        for group in groups {
            patterns.groups.push(group.map_err(|set_error| compile_error(&regex_texts, &origins, set_error))?);
        }
        Ok(patterns)
    }
}

/// Some of the regexes, compiled into one automaton that tells which of them match a line.
#[derive(Debug, Clone, Default)]
struct RegexGroup {
    /// None for a group without members.
    engine: Option<Arc<GroupEngine>>,
    /// File-order index of each member (ascending, so the first match is the lowest member).
    order: Vec<usize>,
}

/// The automata of a group, and each thread's scratch space for them.
///
/// A `RegexSet` would also parse every regex a second time and build a reverse automaton that
/// only a search for match positions needs: together they were half the start-up time. What it
/// did that matters is kept: a group whose members all start at `^` is searched anchored (it
/// stops after the first bytes of most lines), and one whose members all end at `$` backwards
/// from the line's end.
struct GroupEngine {
    /// Tells which members match, and whether any does unless `reverse` tells that.
    forward: hybrid::dfa::DFA,
    anchored: Anchored,
    /// Tells whether any member matches, backwards from the line's end, when every member ends
    /// at `$` (and not every one starts at `^`).
    reverse: Option<hybrid::dfa::DFA>,
    /// The last bytes a line may have and still match, a bit each, as `reverse` tells from its
    /// first step (every byte without `reverse`).
    last_bytes: [u64; 4],
    /// For a line the lazy DFAs cannot take (a Unicode `\b` beside a non-ASCII byte).
    pikevm: PikeVM,
    caches: Pool<GroupCaches, CacheMaker>,
}

type CacheMaker = Box<dyn Fn() -> GroupCaches + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>;

struct GroupCaches {
    forward: hybrid::dfa::Cache,
    reverse: Option<hybrid::dfa::Cache>,
    pikevm: regex_automata::nfa::thompson::pikevm::Cache,
}

impl std::fmt::Debug for GroupEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupEngine")
            .field("patterns", &self.forward.pattern_len())
            .field("anchored", &self.anchored)
            .field("reverse", &self.reverse.is_some())
            .finish_non_exhaustive()
    }
}

impl GroupEngine {
    fn input<'h>(&self, line: &'h str) -> Input<'h> {
        Input::new(line).anchored(self.anchored)
    }

    /// Whether a line ending with `byte` may match (`last_bytes`).
    fn may_end_with(&self, byte: u8) -> bool {
        self.last_bytes[usize::from(byte / 64)] & 1 << (byte % 64) != 0
    }
}

/// A group that would not compile.
#[derive(Debug)]
struct GroupError(String);

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

impl RegexGroup {
    /// What `regex::RegexSet` allows a set to grow to, compiled.
    const SIZE_LIMIT: usize = 10 << 20;

    fn build(hirs: &[Hir], order: Vec<usize>) -> Result<Self, GroupError> {
        use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
        use regex_syntax::hir::Look;
        if order.is_empty() {
            return Ok(Self::default());
        }
        let members: Vec<&Hir> = order.iter().map(|&i| &hirs[i]).collect();
        let every = |look: fn(&Hir) -> bool| members.iter().all(|hir| look(hir));
        let at_start = every(|hir| hir.properties().look_set_prefix().contains(Look::Start));
        let at_end = every(|hir| hir.properties().look_set_suffix().contains(Look::End));
        let error = |e: &dyn std::fmt::Display| GroupError(e.to_string());
        let compile = |reverse: bool| -> Result<NFA, GroupError> {
            thompson::Compiler::new()
                .configure(
                    thompson::Config::new()
                        .which_captures(WhichCaptures::None)
                        .nfa_size_limit(Some(Self::SIZE_LIMIT))
                        .reverse(reverse),
                )
                .build_many_from_hir(&members)
                .map_err(|e| error(&e))
        };
        // The lazy DFA needs room: with the default cache it gives up on this many Unicode,
        // case-insensitive patterns and falls back to a far slower engine. Each worker thread
        // has its own cache, so the size is also what bounds memory: 8 MB per set keeps a 1 GB
        // run under 100 MB resident.
        let lazy_dfa = |nfa: NFA| {
            hybrid::dfa::DFA::builder()
                .configure(
                    hybrid::dfa::Config::new()
                        .match_kind(MatchKind::All)
                        .cache_capacity(8 << 20)
                        .unicode_word_boundary(true),
                )
                .build_from_nfa(nfa)
                .map_err(|e| error(&e))
        };
        let nfa = compile(false)?;
        let forward = lazy_dfa(nfa.clone())?;
        let reverse = if at_end && !at_start { Some(lazy_dfa(compile(true)?)?) } else { None };
        let pikevm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|e| error(&e))?;
        let (for_forward, for_reverse, for_pikevm) = (forward.clone(), reverse.clone(), pikevm.clone());
        let caches: CacheMaker = Box::new(move || GroupCaches {
            forward: for_forward.create_cache(),
            reverse: for_reverse.as_ref().map(hybrid::dfa::DFA::create_cache),
            pikevm: for_pikevm.create_cache(),
        });
        let anchored = if at_start { Anchored::Yes } else { Anchored::No };
        let last_bytes = reverse.as_ref().map_or([u64::MAX; 4], last_bytes);
        let engine = GroupEngine { forward, anchored, reverse, last_bytes, pikevm, caches: Pool::new(caches) };
        Ok(Self { engine: Some(Arc::new(engine)), order })
    }

    /// File-order index of the first member that matches `line`.
    fn first_match(&self, line: &str) -> Option<usize> {
        let engine = self.engine.as_ref()?;
        let mut caches = engine.caches.get();
        // Most lines match nothing: a plain yes/no search is much cheaper than finding every
        // member that matches, which only the few hits need.
        let searched = match (&engine.reverse, caches.reverse.as_mut()) {
            (Some(reverse), Some(cache)) => {
                // Most lines end with a byte no member can end with (a full stop, most letters):
                // a search, cold in the cache, cost several times this test.
                if !engine.may_end_with(line.as_bytes().last().copied().unwrap_or_default()) {
                    return None;
                }
                reverse.try_search_rev(cache, &Input::new(line).anchored(Anchored::Yes).earliest(true))
            }
            _ => engine.forward.try_search_fwd(&mut caches.forward, &engine.input(line).earliest(true)),
        };
        let found = match searched {
            Ok(found) => found.is_some(),
            Err(_) => engine.pikevm.is_match(&mut caches.pikevm, engine.input(line)),
        };
        if !found {
            return None;
        }
        Self::matching(engine, &mut caches, line).iter().next().map(|id| self.order[id.as_usize()])
    }

    /// File-order index of every member that matches `line`, ascending.
    fn all_matches(&self, line: &str) -> Vec<usize> {
        let Some(engine) = self.engine.as_ref() else { return Vec::new() };
        let mut caches = engine.caches.get();
        Self::matching(engine, &mut caches, line).iter().map(|id| self.order[id.as_usize()]).collect()
    }

    fn matching(engine: &GroupEngine, caches: &mut GroupCaches, line: &str) -> PatternSet {
        let mut found = PatternSet::new(engine.forward.pattern_len());
        let input = engine.input(line);
        if engine.forward.try_which_overlapping_matches(&mut caches.forward, &input, &mut found).is_err() {
            found.clear();
            engine.pikevm.which_overlapping_matches(&mut caches.pikevm, &input, &mut found);
        }
        found
    }
}

/// The bytes a line may end with and still be matched by `reverse`, a bit each: all but those
/// that take the automaton from its start, at the end of a line, to its dead state. Where the
/// automaton cannot tell (a byte it gives up on), the byte is kept.
fn last_bytes(reverse: &hybrid::dfa::DFA) -> [u64; 4] {
    let mut bytes = [u64::MAX; 4];
    let mut cache = reverse.create_cache();
    let Ok(start) = reverse.start_state_reverse(&mut cache, &Input::new("").anchored(Anchored::Yes)) else {
        return bytes;
    };
    for byte in 0..=u8::MAX {
        if reverse.next_state(&mut cache, start, byte).is_ok_and(|next| next.is_dead()) {
            bytes[usize::from(byte / 64)] &= !(1 << (byte % 64));
        }
    }
    bytes
}

/// How much of a line a search for a regex reads, judged from its syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// `^` then a rare character (`^by\s`, `^\d+ comments`): the search gives up after the first
    /// few bytes of most lines.
    Start,
    /// A rare character then `$` (`\.(jpe?g|png)$`, `^.{1,60}\s(said|wrote) ?:$`): in a set of
    /// their own these cost about 0.2 ns a byte of line (measured), where among the others they
    /// made the set read every line to its end.
    End,
    /// `^` then a common character (`^\S+_\S+$`): the search reads the line's first words.
    StartWords,
    /// Anywhere (`все права защищены`): the search reads the whole line.
    Anywhere,
}

impl Reach {
    const ALL: [Reach; 4] = [Reach::Start, Reach::End, Reach::StartWords, Reach::Anywhere];

    /// The reach of a regex parsed case-insensitively, as the sets are compiled.
    fn of(hir: &regex_syntax::hir::Hir) -> Reach {
        use regex_syntax::hir::Look;
        let properties = hir.properties();
        let at_start = properties.look_set_prefix().contains(Look::Start);
        if at_start && is_rare(&edge_chars(hir, Edge::First)) {
            Reach::Start
        } else if properties.look_set_suffix().contains(Look::End) && is_rare(&edge_chars(hir, Edge::Last)) {
            Reach::End
        } else if at_start {
            Reach::StartWords
        } else {
            Reach::Anywhere
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    First,
    Last,
}

/// The characters a match of `hir` can begin (or end) with, and whether it can be empty.
fn edge_chars(hir: &regex_syntax::hir::Hir, edge: Edge) -> (ClassUnicode, bool) {
    use regex_syntax::hir::{Class, HirKind};
    let one = |c: char| ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (ClassUnicode::empty(), true),
        HirKind::Literal(literal) => {
            let text = String::from_utf8_lossy(&literal.0);
            let c = if edge == Edge::First { text.chars().next() } else { text.chars().next_back() };
            c.map_or((ClassUnicode::empty(), true), |c| (one(c), false))
        }
        HirKind::Class(Class::Unicode(class)) => (class.clone(), false),
        HirKind::Class(Class::Bytes(_)) => (ClassUnicode::new([ClassUnicodeRange::new('\0', char::MAX)]), false),
        HirKind::Repetition(repetition) => {
            let (chars, empty) = edge_chars(&repetition.sub, edge);
            (chars, empty || repetition.min == 0)
        }
        HirKind::Capture(capture) => edge_chars(&capture.sub, edge),
        HirKind::Concat(parts) => {
            let mut chars = ClassUnicode::empty();
            let mut ordered: Box<dyn Iterator<Item = _>> =
                if edge == Edge::First { Box::new(parts.iter()) } else { Box::new(parts.iter().rev()) };
            // The first part that cannot be empty ends the edge; the empty-able ones before it
            // add their characters.
            let can_be_empty = ordered.all(|part| {
                let (part_chars, empty) = edge_chars(part, edge);
                chars.union(&part_chars);
                empty
            });
            (chars, can_be_empty)
        }
        HirKind::Alternation(choices) => {
            let mut chars = ClassUnicode::empty();
            let mut can_be_empty = false;
            for choice in choices {
                let (choice_chars, empty) = edge_chars(choice, edge);
                chars.union(&choice_chars);
                can_be_empty |= empty;
            }
            (chars, can_be_empty)
        }
    }
}

/// Whether few characters of running text are among `chars`: at most a quarter of the basic
/// Latin and Cyrillic letters and the space.
fn is_rare((chars, can_be_empty): &(ClassUnicode, bool)) -> bool {
    if *can_be_empty {
        return false;
    }
    let text = ('a'..='z').chain('A'..='Z').chain('а'..='я').chain('А'..='Я').chain([' ']);
    let (mut inside, mut all) = (0, 0);
    for c in text {
        all += 1;
        inside += usize::from(in_class(chars, c));
    }
    inside * 4 <= all
}

/// Whether `c` is in `class`.
fn in_class(class: &ClassUnicode, c: char) -> bool {
    class.ranges().iter().any(|range| range.start() <= c && c <= range.end())
}

/// A compiled pattern line, kept for `--dump-patterns`.
#[derive(Debug, Clone)]
pub struct Listed {
    pub kind: &'static str,
    pub lang: String,
    pub origin: String,
    pub pattern: String,
}

/// Compiled patterns and stopword lists, shared by reference across worker threads.
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    /// Phrase key to (kind, index into `listing`).
    phrases: FxHashMap<String, (&'static str, usize)>,
    /// The longest phrase key in bytes: a longer line cannot be a phrase.
    longest_phrase: usize,
    /// The line walk's hash (`scan::LineScan::key_hash`) of each phrase key: a line whose hash is
    /// not here is no phrase, and its key need not be built.
    phrase_hashes: FxHashSet<u64>,
    /// The regexes in one set per `Reach`.
    groups: Vec<RegexGroup>,
    /// Kind of each regex, in file order.
    regex_kinds: Vec<&'static str>,
    /// Index into `listing` of each regex.
    regex_listing: Vec<usize>,
    kinds: Vec<&'static str>,
    stopwords: BTreeMap<String, WordSet>,
    stopword_index: StopwordIndex,
    listing: Vec<Listed>,
}

impl Patterns {
    /// The kind of the first pattern that matches `line`: phrases first, then regexes in file
    /// order.
    pub fn kind_of(&self, line: &str) -> Option<&'static str> {
        self.kind_of_keyed(line, &phrase_key(line), 0)
    }

    /// `kind_of` for a caller that already has the line's `phrase_key`, and knows which regex
    /// groups the line walk's screens ruled out (`scan::LineScan::ruled_out`).
    pub fn kind_of_keyed(&self, line: &str, key: &str, ruled_out: u8) -> Option<&'static str> {
        if let Some(&(kind, _)) = self.phrase(key) {
            return Some(kind);
        }
        self.first_regex(line, ruled_out).map(|index| self.regex_kinds[index])
    }

    /// File-order index of the first regex that matches `line`, searching only the groups not
    /// in `ruled_out` (a bit for each, in the order of `Reach::ALL`).
    fn first_regex(&self, line: &str, ruled_out: u8) -> Option<usize> {
        self.groups
            .iter()
            .enumerate()
            .filter(|&(bit, _)| ruled_out & 1 << bit == 0)
            .filter_map(|(_, group)| group.first_match(line))
            .min()
    }

    /// Leaves `line`'s phrase key in `key` when the line may be a phrase, and `key` empty
    /// otherwise: most lines are prose, far longer than any phrase, and most short ones are no
    /// phrase either. `span` and `key_hash` are what the line walk found
    /// (`scan::LineScan::key_span`, `scan::LineScan::key_hash`).
    pub fn short_phrase_key(&self, line: &str, span: std::ops::Range<usize>, key_hash: Option<u64>, key: &mut String) {
        key.clear();
        if !key_hash.is_some_and(|hash| self.phrase_hashes.contains(&hash)) {
            return;
        }
        // Lower-casing shrinks a character to no less than a third of its bytes (the Kelvin
        // sign), so a longer line cannot have a key as short as the longest phrase.
        if span.len() <= 3 * self.longest_phrase {
            for_each_key_char(&line[span], |c| key.push(c));
        }
    }

    fn phrase(&self, key: &str) -> Option<&(&'static str, usize)> {
        // Most lines are longer than any phrase, and the classifier leaves the key of most of
        // the others empty (`short_phrase_key`), which no phrase is (one without a letter or
        // digit is refused): neither needs hashing.
        if key.is_empty() || key.len() > self.longest_phrase {
            return None;
        }
        self.phrases.get(key)
    }

    /// Every pattern that matches `line`, with its origin, the deciding one first.
    pub fn matches(&self, line: &str) -> Vec<&Listed> {
        let mut found = Vec::new();
        if let Some(&(_, listed)) = self.phrase(&phrase_key(line)) {
            found.push(&self.listing[listed]);
        }
        let mut regexes: Vec<usize> = self.groups.iter().flat_map(|group| group.all_matches(line)).collect();
        regexes.sort_unstable();
        found.extend(regexes.into_iter().map(|i| &self.listing[self.regex_listing[i]]));
        found
    }

    /// Stopwords of `lang`, if a list exists for it.
    pub fn stopwords(&self, lang: &str) -> Option<&WordSet> {
        self.stopwords.get(lang)
    }

    /// Every stopword list, by language code, in a fixed (sorted) order.
    pub fn stopword_lists(&self) -> impl Iterator<Item = (&str, &WordSet)> + Clone {
        self.stopwords.iter().map(|(lang, words)| (lang.as_str(), words))
    }

    /// All stopword lists in one map, for language identification.
    pub fn stopword_index(&self) -> &StopwordIndex {
        &self.stopword_index
    }

    /// Every compiled pattern with its origin, in load order.
    pub fn listing(&self) -> &[Listed] {
        &self.listing
    }

    /// Kind names live as long as the process: they are few, and `&'static str` lets every
    /// removal carry its rule name without reference counting.
    fn intern(&mut self, kind: &str) -> &'static str {
        if let Some(&known) = self.kinds.iter().find(|&&k| k == kind) {
            return known;
        }
        let leaked: &'static str = Box::leak(kind.to_string().into_boxed_str());
        self.kinds.push(leaked);
        leaked
    }
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

    fn from_files(files: &[(&str, &str)]) -> Result<Patterns, PatternError> {
        let sources = files
            .iter()
            .map(|(rel, text)| Source {
                origin: format!("test/{rel}"),
                relative: rel.to_string(),
                text: text.to_string(),
            })
            .collect();
        PatternsBuilder { sources }.build()
    }

    fn reach(regex: &str) -> Reach {
        Reach::of(&regex_syntax::ParserBuilder::new().case_insensitive(true).build().parse(regex).unwrap())
    }

    #[test]
    fn regexes_are_grouped_by_how_much_of_a_line_a_search_reads() {
        for regex in
            [r"^by\s+\p{Lu}", r"^\d+ comments$", r"^(no|one|\d+) (comments?|replies)(\W.{0,30})?$", r"^\W*\d+\s"]
        {
            assert_eq!(reach(regex), Reach::Start, "{regex}");
        }
        for regex in [r"\.(jpe?g|png)$", r"^.{1,60}\s(said|wrote) ?:$", r"^[^.!?]{1,60}\s(>|»)$", r"в новости$"]
        {
            assert_eq!(reach(regex), Reach::End, "{regex}");
        }
        for regex in [r"^\S+_\S+$", r"^.{0,3}\w+$", r"^(a|\w)"] {
            assert_eq!(reach(regex), Reach::StartWords, "{regex}");
        }
        for regex in ["все права защищены", r"(^|\W)credits?:\s*[^.!?]{1,60}$", r"\d*$"] {
            assert_eq!(reach(regex), Reach::Anywhere, "{regex}");
        }
    }

    fn defaults_and_each_regex_alone() -> &'static (Patterns, Vec<regex::Regex>) {
        static BUILT: std::sync::OnceLock<(Patterns, Vec<regex::Regex>)> = std::sync::OnceLock::new();
        BUILT.get_or_init(|| {
            let p = PatternsBuilder::defaults().build().unwrap();
            let regexes = p
                .listing()
                .iter()
                .filter_map(|listed| listed.pattern.strip_prefix("re:"))
                .map(|r| regex::RegexBuilder::new(r.trim()).case_insensitive(true).build().unwrap())
                .collect();
            (p, regexes)
        })
    }

    proptest::proptest! {
        #[test]
        fn grouped_and_filtered_sets_find_what_each_regex_alone_finds(
            line in "(Photo|By |said|wrote|Tags|©|12:30|1\\.2K| > | » |»|\\.jpg|\\.PNG|comments|Комментарии|Фото|Читайте|\\)|[a-zA-Zа-яА-Я0-9 .,:;!?«()|/@_-]){0,12}",
        ) {
            let (p, regexes) = defaults_and_each_regex_alone();
            let expected = regexes.iter().position(|r| r.is_match(&line));
            proptest::prop_assert_eq!(p.first_regex(&line, 0), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn a_line_a_screen_rules_out_matches_no_regex_of_its_group(
            start in "(12 comments|\u{b2}3 replies|\u{661} comments|No comments|3 Photos|By John|Photos: AP|Photocredit|Tags:|@user|a_b|À lire aussi|Автор: Иванов|Фото:|\u{17F}hare this|[0-9]|)",
            rest in "(cookie|Cookies|COOKIE-policy|x\\(cookies|куки|we use|consent|©|\\(c\\) 2024|\\(C\\)2023|All Rights|rights|reserved|re\u{17F}erved|all rights re\u{17F}erved|Все права защищены|все пра\u{1C80}а защищены|права|при использовании материалов|ссылка на сайт обязательна|правообладателя|правообладател|ПРАВООБЛАДАТЕЛЕЙ|Құқықтар қорғалған|материалдарды пайдаланғанда кезде|subject to copyright|Photo credit: AP|credits:|Источник: ТАСС|арнамызға жазылыңыз|By |by|Photo|PHOTOS|Photocredit|Image|\u{17F}hare|Share|Tweet|Print|Email|Related|More |Posted|Tags|Getty Images|AFP|12|comments|12 comments|\u{b2}3 replies|\u{661} comments|3 Photos|No |One |@|_|a@b\\.co|first_name|> |» |›|/|Фото|Автор|Теги|рассылка|À lire aussi|à |Você precisa|é necessário|\\(Leggi anche|jpg|\\.png|said:|wrote|\\(12:30\\)|\\| Reuters|упоминаются|\u{212A}|²|é|\t|\u{a0}|[ .,:;()/«»|-]|[a-zA-Zа-яА-Я0-9]{1,6}){0,10}",
        ) {
            let line = format!("{start}{rest}");
            let (p, regexes) = defaults_and_each_regex_alone();
            let scanned = crate::stage::scan::scan_languages(&line, p.stopword_index());
            for (bit, group) in p.groups.iter().enumerate() {
                if scanned.ruled_out & 1 << bit != 0 {
                    for &member in &group.order {
                        proptest::prop_assert!(!regexes[member].is_match(&line), "{:?} matches {}", line, regexes[member]);
                    }
                }
            }
            let expected = regexes.iter().position(|r| r.is_match(&line));
            proptest::prop_assert_eq!(p.first_regex(&line, scanned.ruled_out), expected);
        }
    }

    #[test]
    fn the_end_group_skips_a_line_whose_last_byte_no_member_ends_with() {
        let (p, _) = defaults_and_each_regex_alone();
        let end = Reach::ALL.iter().position(|&r| r == Reach::End).unwrap();
        let engine = p.groups[end].engine.as_ref().unwrap();
        // "... wrote:", "(12:30)", "photo.jpg", "Home >", "| Getty Images", and » (0xC2 0xBB).
        for b in [b':', b')', b'g', b'G', b'>', b's', 0xBB] {
            assert!(engine.may_end_with(b), "{b:#x}");
        }
        // A sentence's full stop, a digit, a closing quote.
        for b in [b'.', b'7', b'"'] {
            assert!(!engine.may_end_with(b), "{b:#x}");
        }
        let start = Reach::ALL.iter().position(|&r| r == Reach::Start).unwrap();
        assert_eq!(p.groups[start].engine.as_ref().unwrap().last_bytes, [u64::MAX; 4]);
    }

    /// The bit of `reach`'s group in `LineScan::ruled_out`.
    fn bit(reach: Reach) -> u8 {
        1 << Reach::ALL.iter().position(|&r| r == reach).unwrap()
    }

    #[test]
    fn the_screens_rule_out_most_prose_and_let_their_groups_lines_through() {
        let (p, _) = defaults_and_each_regex_alone();
        let all = bit(Reach::Start) | bit(Reach::End) | bit(Reach::StartWords) | bit(Reach::Anywhere);
        assert_eq!(p.stopword_index().screened(), all);
        let ruled_out = |line: &str| crate::stage::scan::scan_languages(line, p.stopword_index()).ruled_out;
        for line in
            ["The weather stayed mild for most of the week.", "Погода была тёплой всю неделю.", "Weather by the sea"]
        {
            assert_eq!(ruled_out(line), all, "{line}");
        }
        for (line, through) in [
            // The first word is a number, as in "12 comments".
            ("© 2024 Example", bit(Reach::Anywhere) | bit(Reach::Start)),
            ("Example Ltd. All rights reserved.", bit(Reach::Anywhere)),
            ("При использовании материалов ссылка обязательна", bit(Reach::Anywhere)),
            ("By John Smith", bit(Reach::Start)),
            ("12 comments", bit(Reach::Start)),
            ("Photocredit: AP", bit(Reach::Start) | bit(Reach::End)),
            ("À lire aussi : la suite", bit(Reach::Start) | bit(Reach::End)),
            ("first_name_here", bit(Reach::StartWords)),
            ("News > World", bit(Reach::StartWords) | bit(Reach::End)),
            ("image.jpg", bit(Reach::Start) | bit(Reach::End)),
            ("Vacation.jpg", bit(Reach::End)),
        ] {
            assert_eq!(ruled_out(line), all & !through, "{line}");
        }
        // A regex folds `ſ` to `s`, the walk does not lower-case it; `½` is a number to the walk
        // but no word character to a regex: both let the line through every screen.
        for line in ["All rights re\u{17F}erved.", "½cookies: we use them"] {
            assert_eq!(ruled_out(line), 0, "{line}");
        }
    }

    #[test]
    fn more_stopword_lists_than_languages_told_apart_is_an_error() {
        let names: Vec<String> = (0..=MAX_LANGUAGES).map(|n| format!("stopwords/l{n:02}.txt")).collect();
        let files: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "the")).collect();
        assert!(from_files(&files[..MAX_LANGUAGES]).is_ok());
        let err = from_files(&files).unwrap_err().to_string();
        assert!(err.contains(&format!("{} stopword lists", MAX_LANGUAGES + 1)), "{err}");
    }

    #[test]
    fn one_regex_the_screen_cannot_tell_turns_the_screen_off() {
        let scanned = |p: &Patterns, line: &str| crate::stage::scan::scan_languages(line, p.stopword_index());
        let files = [("stopwords/en.txt", "the\nof"), ("any/copyright.txt", "re:(^|\\W)all rights reserved(\\W|$)")];
        let screened = from_files(&files).unwrap();
        assert_ne!(scanned(&screened, "Rights reserv").ruled_out & bit(Reach::Anywhere), 0);
        let open = from_files(&[files[0], files[1], ("en/x.txt", "re:rights reserv")]).unwrap();
        assert_eq!(scanned(&open, "Rights reserv").ruled_out & bit(Reach::Anywhere), 0);
        assert_eq!(open.kind_of_keyed("Rights reserv", "", 0), Some("x"));
    }

    #[test]
    fn the_first_regex_is_the_first_in_file_order_whatever_its_group() {
        let (p, regexes) = defaults_and_each_regex_alone();
        assert!(p.groups.iter().filter(|group| !group.order.is_empty()).count() >= 3, "{:?}", p.groups);
        let seeds = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap();
        let mut lines: Vec<String> = seeds
            .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
            .flat_map(|page| page.lines().map(str::to_string).collect::<Vec<_>>())
            .collect();
        lines.extend(
            [
                "Photo: Reuters",
                "All rights reserved. Photo: AP",
                "12 comments",
                "John Smith on May 3, 2021 10:15 am said:",
                "News > World >",
                "first_name_here",
                "image.jpg",
                "© 2024 Все права защищены",
            ]
            .map(String::from),
        );
        let mut matched = 0;
        for line in &lines {
            let expected = regexes.iter().position(|r| r.is_match(line));
            matched += usize::from(expected.is_some());
            assert_eq!(p.first_regex(line, 0), expected, "{line:?}");
        }
        assert!(matched >= 20, "{matched}");
    }

    #[test]
    fn phrase_key_strips_decoration() {
        assert_eq!(phrase_key("  • READ  ALSO: >"), "read also");
        assert_eq!(phrase_key("Main Page\u{a0}>"), "main page");
        assert_eq!(phrase_key("Читайте также:"), "читайте также");
        assert_eq!(phrase_key("»»"), "");
    }

    fn short_key(p: &Patterns, line: &str) -> String {
        let mut key = String::from("left over");
        let scanned = crate::stage::scan::scan(line, None);
        p.short_phrase_key(line, scanned.key_span, scanned.key_hash, &mut key);
        key
    }

    #[test]
    fn the_phrase_key_is_built_for_lines_that_may_be_phrases_only() {
        let p = from_files(&[("en/nav.txt", "Main page\n")]).unwrap();
        assert_eq!(short_key(&p, "• MAIN  Page >"), "main page");
        assert_eq!(short_key(&p, "Main\u{a0}page"), "main page");
        assert_eq!(short_key(&p, "A long line of prose, much longer than any phrase of the pattern files."), "");
        assert_eq!(short_key(&p, "Main pages"), "");
        assert_eq!(short_key(&p, "»» "), "");
    }

    proptest::proptest! {
        #[test]
        fn a_line_whose_key_is_left_out_is_no_phrase(
            line in "([ •>:a-zA-Zа-яА-ЯҚқ0-9\u{212A}\u{a0}]|a fairly|FAIRLY|long|phrase|Қала|ҚАЛА){0,12}",
        ) {
            let p = from_files(&[("en/nav.txt", "a fairly long phrase\nқала\n")]).unwrap();
            let key = short_key(&p, &line);
            let full = phrase_key(&line);
            proptest::prop_assert_eq!(p.phrase(&key).map(|k| k.0), p.phrase(&full).map(|k| k.0), "{:?}", line);
            proptest::prop_assert!(key.is_empty() || key == full);
        }
    }

    #[test]
    fn phrases_match_whole_lines_and_regexes_anywhere() {
        let p = from_files(&[
            ("en/read-also.txt", "# markers\nRead also\n"),
            ("ru/copyright.txt", "re:права .* принадлежат\n"),
        ])
        .unwrap();
        assert_eq!(p.kind_of("Read also:"), Some("read-also"));
        assert_eq!(p.kind_of("Read also this long sentence about the matter."), None);
        assert_eq!(p.kind_of("Права на данный материал принадлежат Казинформ"), Some("copyright"));
        assert_eq!(p.listing().len(), 2);
        assert_eq!(p.listing()[0].origin, "test/en/read-also.txt:2");
        let hits = p.matches("READ ALSO >");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].pattern, "Read also");
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

    #[test]
    fn a_unicode_word_boundary_works_beside_non_ascii_letters() {
        // The lazy DFA cannot decide `\b` next to a non-ASCII byte; the slower engine must.
        let p = from_files(&[("en/nav.txt", "re:\\bfoo\\b\nre:^ok$\n")]).unwrap();
        assert_eq!(p.kind_of("привет foo"), Some("nav"));
        assert_eq!(p.kind_of("foo привет"), Some("nav"));
        assert_eq!(p.kind_of("приветfoo"), None);
        assert_eq!(p.kind_of("fooпривет"), None);
        assert_eq!(p.matches("привет foo").len(), 1);
        assert_eq!(p.kind_of("OK"), Some("nav"));
    }

    #[test]
    fn a_regex_too_big_to_compile_is_reported_with_its_line() {
        let err = from_files(&[("en/nav.txt", "re:^menu$\nre:(\\w{100}){100}x\n")]).unwrap_err().to_string();
        assert!(err.contains("en/nav.txt:2") && err.contains("size limit"), "{err}");
    }
}
