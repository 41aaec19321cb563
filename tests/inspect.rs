//! Inspection: `diff` (terminal and JSON events), `explain`, and the HTML `--report`.
//!
//! The seed diffs are golden files; re-bless with `BOILERSTRIP_BLESS=1 cargo test --test tests inspect`.

use std::collections::BTreeMap;
use std::process::Command;

use crate::util::*;

fn stdout_of(args: &[&str]) -> String {
    let output = boilerstrip().args(args).current_dir(root()).env_remove("NO_COLOR").output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn terminal_diff_of_the_seeds_matches_golden() {
    assert_golden("seeds.diff", &stdout_of(&["diff", "--quiet", "seeds"]));
}

#[test]
fn json_diff_events_of_the_seeds_match_golden() {
    assert_golden("seeds.diff.jsonl", &stdout_of(&["diff", "--quiet", "--format", "json", "seeds"]));
}

#[test]
fn diff_context_and_only_removed() {
    let only = stdout_of(&["diff", "--quiet", "--only-removed", "seeds/004_6e21c65be7e83155.txt"]);
    assert!(only.lines().skip(2).all(|l| l.starts_with('-')), "{only}");
    let context = stdout_of(&["diff", "--quiet", "-C", "1", "seeds/004_6e21c65be7e83155.txt"]);
    assert!(context.contains("   ..."), "{context}");
    assert!(context.contains("     3  The Minister of Defense"));
    assert!(!context.contains("     5  During the meeting"));
}

#[test]
fn colour_follows_the_flag() {
    let plain = stdout_of(&["diff", "--quiet", "seeds/001_4d15d9c81d45f0a7.txt"]);
    assert!(!plain.contains('\x1b'), "piped output is plain");
    let coloured = stdout_of(&["diff", "--quiet", "--color", "always", "seeds/001_4d15d9c81d45f0a7.txt"]);
    assert!(coloured.contains("\x1b[31m-"));
    let never = stdout_of(&["diff", "--quiet", "--color", "never", "seeds/001_4d15d9c81d45f0a7.txt"]);
    assert_eq!(never, plain);
}

#[test]
fn records_and_diff_events_name_the_same_rules() {
    let records = records(stdout_of(&["clean", "--quiet", "--removed", "seeds"]).as_bytes());
    let events = stdout_of(&["diff", "--quiet", "--only-removed", "--format", "json", "seeds"]);
    let mut from_events: BTreeMap<(String, u64), String> = BTreeMap::new();
    for line in events.lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        if event["type"] == "removed" {
            let key = (event["source"].as_str().unwrap().to_string(), event["line"].as_u64().unwrap());
            from_events.insert(key, event["rule"].as_str().unwrap().to_string());
        }
    }
    let mut from_records = BTreeMap::new();
    for record in records {
        for removed in record.removed.unwrap() {
            from_records.insert((record.source.clone(), removed.line as u64), removed.rule);
        }
    }
    assert!(!from_records.is_empty());
    assert_eq!(from_records, from_events);
}

#[test]
fn explain_a_line_names_the_pattern_file() {
    let text = stdout_of(&["explain", "Читайте также:", "--lang", "ru"]);
    assert!(text.contains("patterns:  read-also (ru) patterns/ru/read-also.txt:"), "{text}");
    assert!(text.contains("decision:  removed [read-also]"), "{text}");
    let text = stdout_of(&["explain", "The delegation held a number of meetings with the partners on Monday."]);
    assert!(text.contains("patterns:  none match"), "{text}");
    assert!(text.contains("sentence end yes"), "{text}");
    assert!(text.contains("no rule removes it outright"), "{text}");
}

#[test]
fn explain_a_line_in_its_page() {
    let text = stdout_of(&["explain", "--file", "seeds/002_f811c8d17b2eac15.txt", "--line", "50"]);
    assert!(text.contains("region:    lines 12-42; this line is outside"), "{text}");
    assert!(text.starts_with("line:      seeds/002_f811c8d17b2eac15.txt:50:"), "{text}");
    let output = boilerstrip()
        .args(["explain", "--file", "seeds/002_f811c8d17b2eac15.txt", "--line", "5000"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no line 5000"));
}

fn write_report(dir: &std::path::Path) -> std::path::PathBuf {
    let report = dir.join("report.html");
    boilerstrip()
        .args(["clean", "--quiet", "-o"])
        .arg(dir.join("out.jsonl"))
        .arg("--report")
        .arg(&report)
        .arg(seeds_dir())
        .assert()
        .success();
    report
}

#[test]
fn report_summarises_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(write_report(dir.path())).unwrap();
    for needle in
        ["<b>5</b><span>documents</span>", "Removals by rule", "Languages", "Encodings", "#doc-4", ">read-also<"]
    {
        assert!(html.contains(needle), "report lacks {needle:?}");
    }
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "the report fetches nothing");
}

/// Renders the report in headless Chromium and checks the script ran without errors. Skipped
/// when Chromium is not installed, unless BOILERSTRIP_REQUIRE_CHROMIUM is set (as in CI).
#[test]
fn report_renders_in_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|c| which(c)) else {
        assert!(std::env::var_os("BOILERSTRIP_REQUIRE_CHROMIUM").is_none(), "chromium is required but not installed");
        report_skip("report_renders_in_headless_chromium", "no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path());
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", report.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(dom.contains("data-rendered=\"yes\""), "the report's script did not finish:\n{log}");
    assert!(!dom.contains("data-error="), "script error in the report:\n{dom}");
    assert!(!log.contains("Uncaught"), "console error:\n{log}");
    assert_eq!(dom.matches("<details id=\"doc-").count(), 5, "one diff entry per document");
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
