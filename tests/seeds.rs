//! Golden tests on the five bundled seed pages: the clean text and metadata that
//! `tests/expected/*.json` specify, and a byte-exact golden file of the whole output.
//!
//! Re-bless the golden file after an intended change with
//! `BOILERSTRIP_BLESS=1 cargo test --test tests seeds`.

use boilerstrip::emit::Record;
use serde_json::Value;

use crate::util::*;

fn clean_seeds() -> Vec<Record> {
    let output = boilerstrip().args(["clean", "--quiet"]).arg(seeds_dir()).output().unwrap();
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    records(&output.stdout)
}

fn expected(id: &str) -> Value {
    let path = root().join("tests/expected").join(format!("{id}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn seed_text_matches_expected() {
    let records = clean_seeds();
    assert_eq!(records.len(), 5);
    let mut total = 0.0;
    for record in &records {
        let want = expected(&record.id);
        let f1 = token_f1(want["text"].as_str().unwrap(), &record.text);
        assert!(f1 >= 0.97, "{}: token F1 {f1:.3} < 0.97\n{}", record.id, record.text);
        total += f1;
    }
    let mean = total / records.len() as f64;
    assert!(mean >= 0.99, "mean token F1 {mean:.3} < 0.99");
}

#[test]
fn seed_metadata_matches_expected() {
    for record in clean_seeds() {
        let want = expected(&record.id);
        let field = |name: &str| want[name].as_str().map(str::to_string);
        assert_eq!(record.title, field("title"), "{}: title", record.id);
        assert_eq!(record.date, field("date"), "{}: date", record.id);
        assert_eq!(record.author, field("author"), "{}: author", record.id);
        assert_eq!(record.site, field("site"), "{}: site", record.id);
        assert_eq!(record.lang, field("lang"), "{}: lang", record.id);
        assert_eq!(record.encoding, "UTF-8");
    }
}

#[test]
fn seed_body_lines_are_kept_and_others_removed() {
    let output = boilerstrip().args(["clean", "--quiet", "--removed"]).arg(seeds_dir()).output().unwrap();
    for record in records(&output.stdout) {
        let want = expected(&record.id);
        let body: Vec<u64> = want["body_lines"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let optional: Vec<u64> =
            want["optional_lines"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let removed = record.removed.unwrap();
        for r in &removed {
            assert!(!body.contains(&(r.line as u64)), "{}: body line {} removed as {}", record.id, r.line, r.rule);
        }
        let kept = record.stats.lines_kept as u64;
        let body_kept = body.len() as u64;
        assert!(
            kept >= body_kept && kept <= body_kept + optional.len() as u64,
            "{}: kept {kept} lines, expected {body_kept} (+{} optional)",
            record.id,
            optional.len()
        );
    }
}

#[test]
fn seed_output_matches_golden_file() {
    let output =
        boilerstrip().args(["clean", "--quiet", "--removed"]).arg("seeds").current_dir(root()).output().unwrap();
    let got = String::from_utf8(output.stdout).unwrap();
    assert_golden("seeds.jsonl", &got);
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let run = |threads: &str| {
        boilerstrip().args(["clean", "--quiet", "--removed", "-j", threads]).arg(seeds_dir()).output().unwrap().stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}
