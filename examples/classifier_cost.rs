//! What the classifier costs beside its own line walk and beside a plain word-and-stopword pass.
//!
//! Issue #3 bounds the classifier at a third of the pipeline's time. This measures, side by side
//! in one process, on the pages of a folder (read into memory first, so no disk time):
//!
//! - the pipeline (`Cleaner::clean_bytes`: decode, normalise, segment, classify, metadata; then
//!   the JSONL record rendered in memory), with the classifier's part timed by the pipeline's
//!   own stage timings;
//! - the classifier's line walk alone (`scan::scan_languages`): words, letters, capitals, digits,
//!   separators, each language's stopwords and the line's hash, in one pass;
//! - a plain pass doing only what a stopword share needs: split each line at spaces, trim the
//!   punctuation off each word, hash it lower-cased (the crate's `lower_hash`) and look it up.
//!
//! For each it prints the classifier's share of the pipeline if the classifier cost only that.
//! The plain pass is a reference, not a bound: on Cyrillic text the walk, which takes a run of
//! letters at once, is faster than it. Reading files and writing the output are not in the
//! pipeline here; `clean --timings` shows those stages too.
//!
//! ```sh
//! cargo run --release --example classifier_cost -- ../shared/eval/dev/input [ROUNDS]
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use boilerstrip::emit::{render, Format};
use boilerstrip::input::{self, Input, WalkOptions};
use boilerstrip::stage::scan;
use boilerstrip::text::lower_hash;
use boilerstrip::timings::{Stage, StageTimes};
use boilerstrip::{Cleaner, Config, Line, PatternsBuilder};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: classifier_cost DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().map_or(7, |n| n.parse().expect("ROUNDS is a number"));

    // The files `clean DIR` would clean, in its order.
    let inputs = input::collect(&[PathBuf::from(dir)], &WalkOptions::default()).expect("no globs to fail");
    let pages: Vec<Vec<u8>> = inputs
        .iter()
        .filter_map(|input| match input {
            Input::File(path) => Some(std::fs::read(path).expect("readable page")),
            _ => None,
        })
        .collect();
    let timings = Arc::new(StageTimes::default());
    let cleaner = Cleaner::new(PatternsBuilder::defaults().build().expect("default patterns"), Config::default())
        .with_timings(Arc::clone(&timings));
    let page_lines: Vec<Vec<Line>> = pages
        .iter()
        .filter_map(|page| boilerstrip::stage::decode::decode(page, None).ok())
        .map(|decoded| cleaner.lines_of(&decoded.text).0)
        .collect();
    let index = cleaner.patterns().stopword_index();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    println!("{} pages, {:.1} MB, best of {rounds} rounds\n", pages.len(), bytes as f64 / 1e6);

    // Each measure's best round; the rounds alternate the measures, so that the machine's slow
    // spells fall on all of them alike.
    let (mut pipeline, mut classify, mut walk, mut plain) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let classified_before = timings.seconds(Stage::Classify);
        let start = Instant::now();
        let mut out = Vec::new();
        for page in &pages {
            if let Ok(doc) = cleaner.clean_bytes("id", "source", page) {
                out.clear();
                render(&doc, Format::Jsonl, false, &mut out).expect("rendered to memory");
                black_box(&out);
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        if seconds < pipeline {
            pipeline = seconds;
            classify = timings.seconds(Stage::Classify) - classified_before;
        }

        let start = Instant::now();
        for line in page_lines.iter().flatten() {
            black_box(scan::scan_languages(&line.text, index));
        }
        walk = walk.min(start.elapsed().as_secs_f64());

        let start = Instant::now();
        for line in page_lines.iter().flatten() {
            black_box(words_and_stopwords(&line.text, |hash| index.languages_of(hash) != 0));
        }
        plain = plain.min(start.elapsed().as_secs_f64());
    }

    let rest = pipeline - classify;
    let share = |classifier: f64| 100.0 * classifier / (rest + classifier);
    println!("| part | seconds | vs the plain pass | classifier's share if it cost this |");
    println!("|---|---|---|---|");
    println!("| pipeline without the classifier | {rest:.4} | | |");
    for (name, seconds) in
        [("classifier", classify), ("its line walk alone", walk), ("plain word-and-stopword pass", plain)]
    {
        println!("| {name} | {seconds:.4} | {:.2}x | {:.1}% |", seconds / plain, share(seconds));
    }
}

/// Words and stopwords of a line, the plain way.
fn words_and_stopwords(line: &str, is_stopword: impl Fn(u64) -> bool) -> (usize, usize) {
    let (mut words, mut stopwords) = (0, 0);
    for word in line.split(' ') {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() {
            words += 1;
            stopwords += usize::from(is_stopword(lower_hash(word)));
        }
    }
    (words, stopwords)
}
