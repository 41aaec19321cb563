//! Regression guard on labelled pages the shipped line model never saw (it is fit on
//! `../shared/eval/sets/train`, `scripts/train.sh`): the 83 English dev pages, scored by the
//! benchmark's shingle F1 (`score.py`), and `sets/dev2`, scored by token F1 per language
//! (`score_sets.py`), each from the scraped text and from the pages' HTML. No figure may fall
//! below the reached one (docs/accuracy.md) minus 0.01.
//! Skipped when the pages or python3 are missing, except where BOILERSTRIP_REQUIRE_EVAL is set
//! (as in CI).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::*;

/// Figures reached (docs/accuracy.md), less the allowed 0.01.
const MIN_DEV_F1: f64 = 0.932 - 0.01;
const MIN_DEV2_F1: &[(&str, f64)] = &[("all", 0.918 - 0.01), ("ru", 0.903 - 0.01), ("zh", 0.949 - 0.01)];
const MIN_DEV2_SNIPPET_F1: f64 = 0.916 - 0.01;
/// The same from the pages' HTML, with the HTML model.
const MIN_DEV_HTML_F1: f64 = 0.965 - 0.01;
const MIN_DEV2_HTML_F1: &[(&str, f64)] = &[("all", 0.931 - 0.01), ("ru", 0.913 - 0.01), ("zh", 0.971 - 0.01)];
const MIN_DEV2_HTML_SNIPPET_F1: f64 = 0.922 - 0.01;

fn eval_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BOILERSTRIP_EVAL_DIR").map_or_else(|| root().join("../shared/eval"), PathBuf::from);
    let present = dir.join("score.py").is_file() && Command::new("python3").arg("--version").output().is_ok();
    let required = std::env::var_os("BOILERSTRIP_REQUIRE_EVAL").is_some();
    assert!(present || !required, "the labelled pages ({}) or python3 are missing", dir.display());
    if !present {
        report_skip("accuracy", &format!("no labelled pages at {} (BOILERSTRIP_EVAL_DIR)", dir.display()));
    }
    present.then_some(dir)
}

fn score(script: &Path, args: &[&str], predictions: &Path) -> String {
    let out = Command::new("python3").arg(script).args(args).arg("--pred-jsonl").arg(predictions).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `<id>.html.gz` pages of `dir`, unpacked into `into` as `<id>.txt`: the name the scorers
/// match records by. They are read with `--input-format html`.
fn unpacked_html(dir: &Path, into: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(id) = path.file_name().unwrap().to_str().unwrap().strip_suffix(".html.gz") else { continue };
        let mut html = Vec::new();
        let file = std::fs::File::open(&path).unwrap();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(file), &mut html).unwrap();
        pages.push(write(into, &format!("{id}.txt"), &html));
    }
    pages.sort();
    pages
}

#[test]
fn dev_set_f1_does_not_regress() {
    let Some(dir) = eval_dir() else { return };
    let out = tempfile::NamedTempFile::new().unwrap();
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(out.path()).arg(dir.join("dev/input")).assert().success();
    check_dev_f1(&dir, out.path(), MIN_DEV_F1);
}

#[test]
fn dev_set_f1_from_html_does_not_regress() {
    let Some(dir) = eval_dir() else { return };
    let pages = tempfile::tempdir().unwrap();
    assert_eq!(unpacked_html(&dir.join("dev/html"), pages.path()).len(), 83);
    let out = tempfile::NamedTempFile::new().unwrap();
    let clean = boilerstrip()
        .args(["clean", "--quiet", "--input-format", "html", "-o"])
        .arg(out.path())
        .arg(pages.path())
        .assert();
    clean.success();
    check_dev_f1(&dir, out.path(), MIN_DEV_HTML_F1);
}

fn check_dev_f1(dir: &Path, predictions: &Path, min: f64) {
    let report = score(&dir.join("score.py"), &["--split", "dev"], predictions);
    let summary = report.lines().find(|l| l.starts_with("pages ")).unwrap_or_else(|| panic!("no score:\n{report}"));
    let words: Vec<&str> = summary.split_whitespace().collect();
    let f1: f64 = words[words.iter().position(|w| *w == "F1").unwrap() + 1].parse().unwrap();
    eprintln!("{summary}");
    assert!(f1 >= min, "dev-set F1 {f1:.3} fell below {min:.3}\n{report}");
}

#[test]
fn second_dev_set_f1_does_not_regress_in_any_language() {
    let Some(dir) = eval_dir() else { return };
    let pages: Vec<PathBuf> = std::fs::read_dir(dir.join("sets/dev2"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.to_string_lossy().ends_with(".gold.txt"))
        .collect();
    assert!(pages.len() > 100, "{} pages in sets/dev2", pages.len());
    let out = tempfile::NamedTempFile::new().unwrap();
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(out.path()).args(&pages).assert().success();
    check_dev2_f1(&dir, out.path(), MIN_DEV2_F1, MIN_DEV2_SNIPPET_F1);
}

#[test]
fn second_dev_set_f1_from_html_does_not_regress_in_any_language() {
    let Some(dir) = eval_dir() else { return };
    let unpacked = tempfile::tempdir().unwrap();
    let pages = unpacked_html(&dir.join("sets/dev2"), unpacked.path());
    assert!(pages.len() > 100, "{} pages in sets/dev2", pages.len());
    let out = tempfile::NamedTempFile::new().unwrap();
    let clean =
        boilerstrip().args(["clean", "--quiet", "--input-format", "html", "-o"]).arg(out.path()).args(&pages).assert();
    clean.success();
    check_dev2_f1(&dir, out.path(), MIN_DEV2_HTML_F1, MIN_DEV2_HTML_SNIPPET_F1);
}

fn check_dev2_f1(dir: &Path, predictions: &Path, min_by_lang: &[(&str, f64)], min_snippets: f64) {
    let report = score(&dir.join("score_sets.py"), &["--split", "dev2", "--by", "lang"], predictions);
    // Rows of the token table, then of the snippet table: "  ru  63  P  R  F1 | ...".
    let (tokens, snippets) = report.split_once("\nsnippets").unwrap_or_else(|| panic!("no snippets:\n{report}"));
    let f1_of = |table: &str, key: &str| -> f64 {
        let row = table.lines().find(|l| l.split_whitespace().next() == Some(key));
        let row = row.unwrap_or_else(|| panic!("no row {key}:\n{report}"));
        row.split_whitespace().nth(4).unwrap().parse().unwrap()
    };
    eprintln!("{report}");
    for &(lang, min) in min_by_lang {
        let f1 = f1_of(tokens, lang);
        assert!(f1 >= min, "sets/dev2 token F1 of {lang} {f1:.3} fell below {min:.3}\n{report}");
    }
    let f1 = f1_of(snippets, "all");
    assert!(f1 >= min_snippets, "sets/dev2 snippet F1 {f1:.3} fell below {min_snippets:.3}");
}
