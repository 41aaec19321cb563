//! Regression guard on the dev set of real English pages (`../shared/eval`): the shingle F1 of
//! the benchmark's own scorer must not fall below the reached figure minus 0.01. Skipped when the
//! dev set or python3 is missing, except where BOILERSTRIP_REQUIRE_EVAL is set (as in CI).

use std::path::PathBuf;
use std::process::Command;

use crate::util::*;

/// Dev-set F1 reached (README, Accuracy; docs/accuracy.md), minus the allowed 0.01.
const MIN_DEV_F1: f64 = 0.934 - 0.01;

fn eval_dir() -> PathBuf {
    std::env::var_os("BOILERSTRIP_EVAL_DIR").map_or_else(|| root().join("../shared/eval"), PathBuf::from)
}

#[test]
fn dev_set_f1_does_not_regress() {
    let dir = eval_dir();
    let required = std::env::var_os("BOILERSTRIP_REQUIRE_EVAL").is_some();
    if !dir.join("score.py").is_file() || Command::new("python3").arg("--version").output().is_err() {
        assert!(!required, "the dev set ({}) or python3 is missing", dir.display());
        eprintln!("skipped: no dev set at {}", dir.display());
        return;
    }
    let out = tempfile::NamedTempFile::new().unwrap();
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(out.path()).arg(dir.join("dev/input")).assert().success();
    let score = Command::new("python3")
        .arg(dir.join("score.py"))
        .args(["--split", "dev", "--pred-jsonl"])
        .arg(out.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&score.stdout).into_owned();
    let summary = report.lines().find(|l| l.starts_with("pages ")).unwrap_or_else(|| panic!("no score:\n{report}"));
    let field = |name: &str| -> f64 {
        let words: Vec<&str> = summary.split_whitespace().collect();
        let at = words.iter().position(|w| *w == name).unwrap();
        words[at + 1].parse().unwrap()
    };
    let f1 = field("F1");
    eprintln!("{summary}");
    assert!(f1 >= MIN_DEV_F1, "dev-set F1 {f1:.3} fell below {MIN_DEV_F1:.3}\n{report}");
}
