//! The Spark job (`examples/spark/clean.py`, on the Python package) in `local[2]`: its output
//! must equal the command line's byte for byte, and every record it cannot clean must come out
//! in its errors file. Skipped when pyspark, Java or the package is missing, except where
//! BOILERSTRIP_REQUIRE_SPARK is set (as in CI, whose `.ci/run` installs them).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

use crate::util::*;

fn spark_available() -> bool {
    let python =
        Command::new("python3").args(["-c", "import pyspark, boilerstrip"]).output().is_ok_and(|o| o.status.success());
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    python && java
}

/// Whether the test can run; false (reported) where it is skipped.
fn spark_or_skip(test: &str) -> bool {
    if spark_available() {
        return true;
    }
    assert!(
        std::env::var_os("BOILERSTRIP_REQUIRE_SPARK").is_none(),
        "pyspark, java or the boilerstrip package is required but missing"
    );
    report_skip(test, "pyspark, java or the boilerstrip Python package is not installed");
    false
}

fn spark_job(args: &[&str], input: &Path, output: &Path) -> Output {
    Command::new("python3")
        .arg(root().join("examples/spark/clean.py"))
        .args(["--master", "local[2]", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(args)
        .output()
        .unwrap()
}

/// The part files of a Spark output folder, concatenated in order.
fn parts(folder: &Path) -> Vec<u8> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("part-"))
        .collect();
    parts.sort();
    parts.iter().flat_map(|p| std::fs::read(p).unwrap()).collect()
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn summary(run: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&run.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|_| panic!("no summary in {stdout}"))
}

/// `count` JSONL records mixed from seed lines over three sites; every 100th (from the 50th) is
/// malformed in one of several ways, one has no text field, and a few lines are blank. Returns
/// the corpus and the (1-based) line numbers of the records that cannot be cleaned.
fn corpus_with_bad_records(count: usize) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut bad = Vec::new();
    let mut line = 0;
    for (i, page) in mixed_pages(count, 7, 35).iter().enumerate() {
        let site = ["a.kz", "b.ru", "c.com"][i % 3];
        let record = json!({"id": i, "site": site, "text": page}).to_string();
        let record = match i {
            _ if i % 100 == 50 => {
                bad.push(line + 1);
                match i / 100 % 4 {
                    0 => {
                        let half = (0..=record.len() / 2).rev().find(|&at| record.is_char_boundary(at)).unwrap();
                        record[..half].to_string()
                    }
                    1 => json!([i, site]).to_string(),
                    2 => json!({"id": i, "text": 5}).to_string(),
                    _ => json!({"id": i, "text": page, "boilerstrip": {}}).to_string(),
                }
            }
            1234 => {
                bad.push(line + 1);
                json!({"id": "no-text", "site": site, "body": page}).to_string()
            }
            _ => record,
        };
        out.push_str(&record);
        out.push('\n');
        line += 1;
        if i % 1000 == 999 {
            out.push_str("  \n");
            line += 1;
        }
    }
    (out, bad)
}

/// The command line's run: learn, then clean with the statistics; its stdout and errors file.
fn cli_run(input: &Path, dir: &Path) -> (Vec<u8>, Vec<Value>) {
    let stats = dir.join("cli-stats.bin");
    // It exits 1 where there are bad records, which it reports and skips.
    let learn = boilerstrip().args(["learn", "--quiet", "--jsonl", "-o"]).arg(&stats).arg(input).output().unwrap();
    assert!(matches!(learn.status.code(), Some(0 | 1)) && stats.exists());
    let errors = dir.join("cli-errors.jsonl");
    let clean = boilerstrip()
        .args(["clean", "--quiet", "--jsonl", "--line-stats"])
        .arg(&stats)
        .arg("--errors")
        .arg(&errors)
        .arg(input)
        .output()
        .unwrap();
    (clean.stdout, json_lines(&std::fs::read(&errors).unwrap_or_default()))
}

#[test]
fn spark_job_reports_every_bad_record_and_equals_the_cli_on_the_rest() {
    if !spark_or_skip("spark_job_reports_every_bad_record_and_equals_the_cli_on_the_rest") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, bad) = corpus_with_bad_records(6000);
    assert_eq!(bad.len(), 61);
    let input = write(dir.path(), "in.jsonl", corpus.as_bytes());
    let out = dir.path().join("out");
    let run = spark_job(&["--partitions", "4", "--max-errors", "61"], &input, &out);
    assert!(run.status.success(), "spark run failed:\n{}", String::from_utf8_lossy(&run.stderr));

    let (want, cli_errors) = cli_run(&input, dir.path());
    assert_eq!(json_lines(&want).len(), 6000 - 61);
    let without_stats = boilerstrip().args(["clean", "--quiet", "--jsonl"]).arg(&input).output().unwrap();
    assert!(without_stats.stdout != want, "the line statistics change nothing: the test would not see them");
    assert!(parts(&out) == want, "the Spark job's records differ from the command line's");

    // Every bad record, and only those, in order: file and line, id where it has one, the kind
    // and the reason the command line gives.
    let errors = json_lines(&std::fs::read(out.join("_errors.jsonl")).unwrap());
    let lines: Vec<usize> = errors.iter().map(|e| e["line"].as_u64().unwrap() as usize).collect();
    assert_eq!(lines, bad);
    for (error, cli) in errors.iter().zip(&cli_errors) {
        assert_eq!(format!("{}:{}", error["file"].as_str().unwrap(), error["line"]), cli["source"].as_str().unwrap());
        assert_eq!((&error["kind"], &error["error"]), (&cli["kind"], &cli["error"]));
    }
    assert_eq!(errors.len(), cli_errors.len());
    let no_text = errors.iter().find(|e| e["id"] == "no-text").expect("the record without text is reported");
    assert_eq!(no_text["error"], "field \"text\" is missing");
    let counted = summary(&run);
    assert_eq!((counted["records"].as_u64(), counted["failed"].as_u64()), (Some(6000 - 61), Some(61)));
    assert_eq!(counted["partitions"], 4);
}

#[test]
fn spark_job_fails_over_max_errors_and_refuses_an_existing_output() {
    if !spark_or_skip("spark_job_fails_over_max_errors_and_refuses_an_existing_output") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, _) = corpus_with_bad_records(300);
    // A folder of a .gz and a .zst file, each one input partition: spread over three, in order.
    // The .zst is read by the package, Hadoop having no zstd without its native library.
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let lines: Vec<&str> = corpus.lines().collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, (lines[..150].join("\n") + "\n").as_bytes()).unwrap();
    std::fs::write(input.join("a.jsonl.gz"), gz.finish().unwrap()).unwrap();
    let zst = zstd::encode_all((lines[150..].join("\n") + "\n").as_bytes(), 3).unwrap();
    std::fs::write(input.join("b.jsonl.zst"), zst).unwrap();
    let out = dir.path().join("out");
    let run = spark_job(&["--partitions", "3"], &input, &out);
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("3 records could not be cleaned (more than --max-errors 0)"), "{stderr}");
    // The output is written all the same, and says what failed, by file and line.
    let (want, cli_errors) = cli_run(&input, dir.path());
    assert!(parts(&out) == want, "the records of a .gz and a .zst over 3 partitions differ from the command line's");
    assert_eq!(summary(&run)["partitions"], 3);
    let errors = json_lines(&std::fs::read(out.join("_errors.jsonl")).unwrap());
    let named = |e: &Value| format!("{}:{}", e["file"].as_str().unwrap(), e["line"]);
    assert_eq!(
        errors.iter().map(named).collect::<Vec<_>>(),
        cli_errors.iter().map(|e| e["source"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    );
    assert_eq!(errors.len(), 3);

    // Run again into the same folder: refused before any work, the output untouched.
    let before = std::fs::metadata(out.join("_SUCCESS")).unwrap().modified().unwrap();
    let again = spark_job(&[], &input, &out);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists; remove it or give --overwrite"));
    assert_eq!(std::fs::metadata(out.join("_SUCCESS")).unwrap().modified().unwrap(), before);
    // Replaced with --overwrite; within --max-errors the job succeeds.
    let replaced = spark_job(&["--overwrite", "--max-errors", "3"], &input, &out);
    assert!(replaced.status.success(), "{}", String::from_utf8_lossy(&replaced.stderr));
    assert_eq!(summary(&replaced)["failed"], 3);
    assert!(parts(&out) == want);
}

#[test]
fn spark_job_reads_folders_of_pages_as_the_cli_does() {
    if !spark_or_skip("spark_job_reads_folders_of_pages_as_the_cli_does") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    // Site folders, one with a sub-folder; some pages in windows-1251; one empty page; one
    // page at the top.
    for (i, page) in mixed_pages(90, 11, 30).iter().enumerate() {
        let site = ["a.kz", "b.ru", "c.com"][i % 3];
        let folder = if i % 5 == 0 { corpus.join(site).join("archive") } else { corpus.join(site) };
        std::fs::create_dir_all(&folder).unwrap();
        let bytes =
            if i % 4 == 0 { encoding_rs::WINDOWS_1251.encode(page).0.into_owned() } else { page.clone().into_bytes() };
        std::fs::write(folder.join(format!("p{i:03}.txt")), bytes).unwrap();
    }
    std::fs::write(corpus.join("a.kz/empty.txt"), "").unwrap();
    std::fs::write(corpus.join("top.txt"), "A page at the top of the corpus, with a sentence of text.\n").unwrap();

    let out = dir.path().join("out");
    let run = spark_job(&["--text-files", "--max-errors", "1"], &corpus, &out);
    assert!(run.status.success(), "spark run failed:\n{}", String::from_utf8_lossy(&run.stderr));
    let stats = dir.path().join("stats.bin");
    boilerstrip().args(["learn", "--quiet", "-o"]).arg(&stats).arg(&corpus).assert().code(1);
    let cli = boilerstrip().args(["clean", "--quiet", "--line-stats"]).arg(&stats).arg(&corpus).output().unwrap();
    let want = cli.stdout;
    let records = json_lines(&want);
    assert_eq!(records.len(), 91);
    assert!(records.iter().any(|r| r["encoding"] == "windows-1251"));
    assert!(parts(&out) == want, "the Spark job's records of a folder differ from the command line's");
    let errors = json_lines(&std::fs::read(out.join("_errors.jsonl")).unwrap());
    let empty = corpus.join("a.kz/empty.txt").display().to_string();
    assert_eq!(
        errors,
        vec![json!({"file": empty, "line": null, "id": "empty", "kind": "empty", "error": "empty file"})]
    );
}

#[test]
fn spark_job_takes_an_empty_input_and_refuses_a_bad_option() {
    if !spark_or_skip("spark_job_takes_an_empty_input_and_refuses_a_bad_option") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "empty.jsonl", b"");
    let out = dir.path().join("out");
    let run = spark_job(&[], &input, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!((summary(&run)["records"].as_u64(), summary(&run)["failed"].as_u64()), (Some(0), Some(0)));
    assert!(parts(&out).is_empty() && out.join("_SUCCESS").exists());

    let refused = spark_job(&["--encoding", "no-such"], &input, &dir.path().join("other"));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("boilerstrip: unknown encoding \"no-such\""));
    assert!(!dir.path().join("other").exists());
}

/// Runs a short pyspark program in local mode; its stdout.
fn pyspark(program: &str) -> Vec<u8> {
    let script = format!(
        "from pyspark.sql import SparkSession\nspark = SparkSession.builder.master('local[1]').getOrCreate()\n{program}\n"
    );
    let run = Command::new("python3").args(["-c", &script]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    run.stdout
}

#[test]
fn spark_job_reads_and_writes_parquet() {
    if !spark_or_skip("spark_job_reads_and_writes_parquet") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (corpus, _) = corpus_with_bad_records(40);
    let good: String = corpus.lines().filter(|l| l.contains("\"text\":\"")).map(|l| format!("{l}\n")).collect();
    let input = write(dir.path(), "in.jsonl", good.as_bytes());
    let parquet = dir.path().join("in.parquet");
    pyspark(&format!("spark.read.json({:?}).coalesce(1).write.parquet({:?})", input, parquet));

    let out = dir.path().join("out");
    let run = spark_job(&["--format", "parquet", "--output-format", "parquet"], &parquet, &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let rows = pyspark(&format!(
        "frame = spark.read.parquet({out:?})\nprint(frame.columns)\nfor row in frame.select('id', 'text', 'boilerstrip.lang').toJSON().collect(): print(row)"
    ));
    let rows = String::from_utf8(rows).unwrap();
    let mut lines = rows.lines();
    assert_eq!(lines.next(), Some("['id', 'site', 'text', 'boilerstrip']"));
    let mut got: Vec<Value> = lines.map(|l| serde_json::from_str(l).unwrap()).collect();
    got.sort_by_key(|row| row["id"].as_u64());

    let (want, _) = cli_run(&input, dir.path());
    let want = json_lines(&want);
    assert_eq!(got.len(), want.len());
    for (row, record) in got.iter().zip(&want) {
        assert_eq!((&row["id"], &row["text"]), (&record["id"], &record["text"]));
        assert_eq!(row.get("lang"), record["boilerstrip"].get("lang").filter(|l| !l.is_null()));
    }
}
