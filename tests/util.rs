//! Helpers shared by the integration tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use boilerstrip::emit::Record;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seeds_dir() -> PathBuf {
    root().join("seeds")
}

pub fn seed_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
}

/// The `boilerstrip` binary built for this test run.
pub fn boilerstrip() -> Command {
    Command::cargo_bin("boilerstrip").unwrap()
}

/// Parses JSONL output into records, failing the test on any malformed line.
pub fn records(stdout: &[u8]) -> Vec<Record> {
    String::from_utf8(stdout.to_vec())
        .expect("output is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("bad JSON line {line:?}: {e}")))
        .collect()
}

/// Bag-of-words F1 over lower-cased word tokens (the seeds' acceptance metric).
pub fn token_f1(expected: &str, got: &str) -> f64 {
    let bag = |text: &str| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for token in text.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|t| !t.is_empty()) {
            *counts.entry(token.to_lowercase()).or_default() += 1;
        }
        counts
    };
    let (e, g) = (bag(expected), bag(got));
    let common: usize = e.iter().map(|(t, n)| (*n).min(g.get(t).copied().unwrap_or(0))).sum();
    let (ne, ng): (usize, usize) = (e.values().sum(), g.values().sum());
    if ne == 0 && ng == 0 {
        return 1.0;
    }
    if common == 0 {
        return 0.0;
    }
    let (p, r) = (common as f64 / ng as f64, common as f64 / ne as f64);
    2.0 * p * r / (p + r)
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Compares `got` with the golden file `tests/golden/<name>`, which `BOILERSTRIP_BLESS=1`
/// rewrites first (after an intended change).
pub fn assert_golden(name: &str, got: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("BOILERSTRIP_BLESS").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} (bless with BOILERSTRIP_BLESS=1)", path.display()));
    assert_same_lines(&want, got, &format!("tests/golden/{name}"));
}

/// Fails with a line diff instead of two walls of text.
pub fn assert_same_lines(expected: &str, got: &str, what: &str) {
    if expected == got {
        return;
    }
    let mut report = format!("{what} differs (- expected, + got):\n");
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                if let Some(a) = a {
                    report.push_str(&format!("-{i:>4}: {a}\n"));
                }
                if let Some(b) = b {
                    report.push_str(&format!("+{i:>4}: {b}\n"));
                }
            }
        }
    }
    panic!("{report}");
}

/// Non-blank lines of the seed pages, the material of generated test pages.
pub fn seed_lines() -> Vec<String> {
    seed_paths()
        .iter()
        .flat_map(|p| std::fs::read_to_string(p).unwrap().lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// `count` pages mixed from seed lines by a fixed linear congruential generator seeded with
/// `seed`: the same pages on every run and machine.
pub fn mixed_pages(count: usize, seed: u64, max_lines: usize) -> Vec<String> {
    let lines = seed_lines();
    let mut state = seed;
    let mut next = |bound: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    };
    (0..count)
        .map(|_| {
            let mut page = String::new();
            for _ in 0..(5 + next(max_lines)) {
                page.push_str(&lines[next(lines.len())]);
                page.push_str(if next(3) == 0 { "\n\n" } else { "\n" });
            }
            page
        })
        .collect()
}

/// Says that a test skipped its work and why, where `cargo test` shows it: the test harness
/// captures `eprintln!`, not writes to the stderr handle, so the line appears above the summary
/// even though the test counts as passed.
pub fn report_skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
