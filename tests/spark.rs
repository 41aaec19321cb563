//! The Spark example (`examples/spark/clean.py`) in `local[2]`: learn per partition, merge,
//! clean with the merged statistics; its output must equal the single-process run byte for
//! byte. Skipped when pyspark or Java is missing, except where BOILERSTRIP_REQUIRE_SPARK is set
//! (as in CI, whose `.ci/run` installs pyspark).

use std::process::Command;

use crate::util::*;

fn spark_available() -> bool {
    let pyspark = Command::new("python3").args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    pyspark && java
}

/// `count` JSONL records mixed from seed lines, spread over three sites.
fn corpus(count: usize) -> String {
    let mut out = String::new();
    for (i, page) in mixed_pages(count, 7, 35).iter().enumerate() {
        let site = ["a.kz", "b.ru", "c.com"][i % 3];
        out.push_str(&serde_json::json!({"id": i, "site": site, "text": page}).to_string());
        out.push('\n');
    }
    out
}

#[test]
fn spark_example_matches_the_single_process_run() {
    if !spark_available() {
        assert!(std::env::var_os("BOILERSTRIP_REQUIRE_SPARK").is_none(), "pyspark or java is required but missing");
        report_skip("spark_example_matches_the_single_process_run", "pyspark or java is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", corpus(300).as_bytes());
    let binary = assert_cmd::cargo::cargo_bin("boilerstrip");
    let out_dir = dir.path().join("spark-out");
    let spark = Command::new("python3")
        .arg(root().join("examples/spark/clean.py"))
        .args(["--master", "local[2]", "--partitions", "4", "--min-docs", "3", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&out_dir)
        .arg("--binary")
        .arg(&binary)
        .output()
        .unwrap();
    assert!(spark.status.success(), "spark run failed:\n{}", String::from_utf8_lossy(&spark.stderr));
    let mut parts: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("part-"))
        .collect();
    parts.sort();
    assert!(parts.len() >= 2, "expected several partitions, got {parts:?}");
    let from_spark: Vec<u8> = parts.iter().flat_map(|p| std::fs::read(p).unwrap()).collect();

    let stats = dir.path().join("stats.bin");
    boilerstrip().args(["learn", "--jsonl", "-o"]).arg(&stats).arg(&input).assert().success();
    let single = boilerstrip()
        .args(["clean", "--jsonl", "--min-docs", "3", "--line-stats"])
        .arg(&stats)
        .arg(&input)
        .output()
        .unwrap();
    assert!(single.status.success());
    assert_eq!(records_count(&single.stdout), 300);
    assert!(String::from_utf8_lossy(&single.stdout).contains("site-repeat"), "the statistics removed nothing");
    assert!(from_spark == single.stdout, "spark output differs from the single-process run");
}

fn records_count(bytes: &[u8]) -> usize {
    bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count()
}
