//! The regex groups: every `re:` pattern, compiled into one of a few lazy DFAs by how much of a
//! line a search must read (an automaton is as slow as its slowest member).

use std::sync::Arc;

use regex_automata::util::pool::Pool;
use regex_automata::{hybrid, nfa::thompson::pikevm::PikeVM, Anchored, Input, MatchKind, PatternSet};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange, Hir};

/// Some of the regexes, compiled into one automaton that tells which of them match a line.
#[derive(Debug, Clone, Default)]
pub(super) struct RegexGroup {
    /// None for a group without members.
    engine: Option<Arc<GroupEngine>>,
    /// File-order index of each member (ascending, so the first match is the lowest member).
    pub(super) order: Vec<usize>,
}

/// The automata of a group, and each thread's scratch space for them.
///
/// A `RegexSet` would also parse every regex a second time and build a reverse automaton that
/// only a search for match positions needs, most of the start-up time between them. What it
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
    pub(super) fn may_end_with(&self, byte: u8) -> bool {
        self.last_bytes[usize::from(byte / 64)] & 1 << (byte % 64) != 0
    }
}

/// A group that would not compile.
#[derive(Debug)]
pub(super) struct GroupError(pub(super) String);

impl RegexGroup {
    /// What `regex::RegexSet` allows a set to grow to, compiled.
    const SIZE_LIMIT: usize = 10 << 20;

    pub(super) fn build(hirs: &[Hir], order: Vec<usize>) -> Result<Self, GroupError> {
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
        // has its own cache, so the size is also what bounds memory (scripts/bench.sh reports
        // the peak).
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
    pub(super) fn first_match(&self, line: &str) -> Option<usize> {
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
    pub(super) fn all_matches(&self, line: &str) -> Vec<usize> {
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
pub(super) enum Reach {
    /// `^` then a rare character (`^by\s`, `^\d+ comments`): the search gives up after the first
    /// few bytes of most lines.
    Start,
    /// A rare character then `$` (`\.(jpe?g|png)$`, `^.{1,60}\s(said|wrote) ?:$`): in a set of
    /// their own they are searched backwards from the line's end and stop at once on most lines,
    /// where among the others they made the set read every line to its end.
    End,
    /// `^` then a common character (`^\S+_\S+$`): the search reads the line's first words.
    StartWords,
    /// Anywhere (`все права защищены`): the search reads the whole line.
    Anywhere,
}

impl Reach {
    pub(super) const ALL: [Reach; 4] = [Reach::Start, Reach::End, Reach::StartWords, Reach::Anywhere];

    /// The reach of a regex parsed case-insensitively, as the sets are compiled.
    pub(super) fn of(hir: &regex_syntax::hir::Hir) -> Reach {
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
pub(super) fn in_class(class: &ClassUnicode, c: char) -> bool {
    class.ranges().iter().any(|range| range.start() <= c && c <= range.end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::tests::{defaults_and_each_regex_alone, from_files};

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
}
