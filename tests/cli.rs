//! The command line: formats, stdin, output files, errors and exit codes, pattern options.

use crate::util::*;

const ARTICLE: &str = "Home\nNews\n\nA headline about the talks\n\nThe delegation held a number of meetings with the \
partners on Monday, and they agreed that the cooperation in the space industry will continue next year.\n\n\
According to the ministry, the sides also discussed the development of the city infrastructure and the social \
protection of its residents.\n\nRead also\nOther news of the day\n";

const BODY: &str = "The delegation held a number of meetings with the partners on Monday, and they agreed that the \
cooperation in the space industry will continue next year.\n\nAccording to the ministry, the sides also discussed the \
development of the city infrastructure and the social protection of its residents.";

#[test]
fn text_format_prints_only_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "page.txt", ARTICLE.as_bytes());
    let output = boilerstrip().args(["clean", "--format", "text"]).arg(&page).output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), format!("{BODY}\n"));
}

#[test]
fn stdin_is_one_document() {
    let output = boilerstrip().args(["clean", "-"]).write_stdin(ARTICLE).output().unwrap();
    assert!(output.status.success());
    let records = records(&output.stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].source, "-");
    assert_eq!(records[0].id, "stdin");
    assert_eq!(records[0].text, BODY);
    assert_eq!(records[0].title.as_deref(), Some("A headline about the talks"));
}

#[test]
fn output_file_is_written_whole_and_no_temporary_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(&out).arg(seeds_dir()).assert().success().stdout("");
    assert_eq!(records(&std::fs::read(&out).unwrap()).len(), 5);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("out.jsonl")]);
}

#[test]
fn a_failed_run_leaves_an_earlier_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "out.jsonl", b"earlier result\n");
    let bad_patterns = write(dir.path(), "patterns/en/nav.txt", b"re:(\n");
    let patterns_dir = bad_patterns.parent().unwrap().parent().unwrap().to_path_buf();
    // A bad pattern file; a report into a missing folder, found before -o is replaced.
    let failing: [Vec<std::ffi::OsString>; 2] = [
        vec!["--patterns".into(), patterns_dir.into()],
        vec!["--report".into(), dir.path().join("no-such-folder/report.html").into()],
    ];
    for args in failing {
        let output =
            boilerstrip().args(["clean", "--quiet", "-o"]).arg(&out).args(&args).arg(seeds_dir()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(std::fs::read(&out).unwrap(), b"earlier result\n", "{args:?}");
    }
}

#[test]
fn bad_inputs_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a_good.txt", ARTICLE.as_bytes());
    write(dir.path(), "b_empty.txt", b"");
    write(dir.path(), "c_image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(dir.path(), "d_spaces.txt", b"  \n\t\n");
    write(dir.path(), "e_nul.bin", b"abc\x00\x01\x02\x03\xff\xfe\x00\x00\x10");
    write(dir.path(), "f_good.txt", ARTICLE.as_bytes());
    let errors = dir.path().join("errors.jsonl");
    let output = boilerstrip()
        .args(["clean", "--quiet", "--errors"])
        .arg(&errors)
        .arg(dir.path())
        .arg(dir.path().join("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let ids: Vec<String> = records(&output.stdout).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["a_good", "f_good"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    for (name, problem) in [
        ("b_empty.txt", "empty file"),
        ("c_image.png", "binary file (PNG image)"),
        ("d_spaces.txt", "no text"),
        ("e_nul.bin", "binary file (NUL bytes)"),
        ("missing.txt", "no such file"),
    ] {
        let line = stderr.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("no error for {name}: {stderr}"));
        assert!(line.contains(problem), "{line}");
    }
    let logged: Vec<serde_json::Value> =
        std::fs::read_to_string(&errors).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(logged.len(), 5);
    assert_eq!(logged[0]["kind"], "empty");
    assert!(logged[0]["source"].as_str().unwrap().ends_with("b_empty.txt"));
}

#[test]
fn hidden_files_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "page.txt", ARTICLE.as_bytes());
    write(dir.path(), ".hidden.txt", ARTICLE.as_bytes());
    write(dir.path(), "page.md", ARTICLE.as_bytes());
    let count = |extra: &[&str]| {
        let output = boilerstrip().args(["clean", "--quiet"]).args(extra).arg(dir.path()).output().unwrap();
        records(&output.stdout).len()
    };
    assert_eq!(count(&[]), 2);
    assert_eq!(count(&["--hidden"]), 3);
    assert_eq!(count(&["--glob", "*.txt"]), 1);
    assert_eq!(count(&["--glob", "*.txt", "--hidden"]), 2);
}

#[test]
fn removed_lines_carry_line_numbers_and_rules() {
    let output = boilerstrip().args(["clean", "--removed", "-"]).write_stdin(ARTICLE).output().unwrap();
    let record = records(&output.stdout).remove(0);
    let removed = record.removed.unwrap();
    let rule_of = |line: usize| removed.iter().find(|r| r.line == line).map(|r| r.rule.as_str());
    assert_eq!(rule_of(1), Some("nav"));
    assert_eq!(rule_of(4), Some("title"));
    assert_eq!(rule_of(10), Some("read-also"));
    assert_eq!(record.stats.removed_by_rule.values().sum::<usize>(), removed.len());
    assert_eq!(record.stats.lines_kept, 2);
}

#[test]
fn user_patterns_extend_or_replace_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = dir.path().join("mine");
    write(&patterns, "en/promo.txt", b"# our own kind\nre:^promo:\n");
    let with_promo = ARTICLE.replace("\n\nAccording", "\n\nPromo: get the magazine for a dollar a week.\n\nAccording");
    let page = write(dir.path(), "page.txt", with_promo.as_bytes());
    let clean = |extra: &[&str]| {
        let output = boilerstrip().args(["clean", "--removed"]).args(extra).arg(&page).output().unwrap();
        records(&output.stdout).remove(0)
    };
    let defaults = clean(&[]);
    assert!(defaults.text.contains("Promo: get the magazine"), "{}", defaults.text);

    let mine = patterns.to_str().unwrap();
    let extended = clean(&["--patterns", mine]);
    assert!(!extended.text.contains("Promo:"));
    assert_eq!(extended.stats.removed_by_rule.get("promo"), Some(&1));
    assert_eq!(extended.stats.removed_by_rule.get("nav"), Some(&2));

    let replaced = clean(&["--no-default-patterns", "--patterns", mine]);
    assert_eq!(replaced.stats.removed_by_rule.get("promo"), Some(&1));
    assert_eq!(replaced.stats.removed_by_rule.get("nav"), None);
}

#[test]
fn a_bad_pattern_fails_at_start_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ru/nav.txt", "главная\n# комментарий\nre:[unclosed\n".as_bytes());
    let output = boilerstrip().args(["clean", "--patterns"]).arg(dir.path()).arg(seeds_dir()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("ru/nav.txt:3: "), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn dump_patterns_lists_kind_language_and_origin() {
    let output = boilerstrip().args(["clean", "--dump-patterns"]).output().unwrap();
    assert!(output.status.success());
    let listing = String::from_utf8(output.stdout).unwrap();
    assert!(listing
        .lines()
        .any(|l| l.starts_with("read-also\tru\tpatterns/ru/read-also.txt:") && l.ends_with("читайте также")));
    assert!(listing.lines().any(|l| l.starts_with("nav\tkk\t")));
}

#[test]
fn usage_errors_exit_2() {
    boilerstrip().args(["clean"]).assert().code(2);
    boilerstrip().args(["clean", "--format", "xml", "x"]).assert().code(2);
    boilerstrip().args(["frobnicate"]).assert().code(2);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    // Many copies of a page, so the output outgrows the pipe buffer before the reader leaves.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        write(dir.path(), &format!("p{i:03}.txt"), ARTICLE.as_bytes());
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(["clean", "--quiet"])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn jsonl_stream_cleans_records_in_order_and_reports_bad_lines() {
    let good = |id: u32| serde_json::json!({"id": id, "meta": {"k": "v"}, "text": ARTICLE}).to_string();
    let input = format!("{}\nnot json\n{}\n{{\"id\":3}}\n{}\n", good(1), good(2), good(4));
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.jsonl");
    let output =
        boilerstrip().args(["clean", "--jsonl", "--errors"]).arg(&errors).arg("-").write_stdin(input).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<u64> = lines.iter().map(|v| v["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 4]);
    assert_eq!(lines[0]["text"], BODY);
    assert_eq!(lines[0]["meta"]["k"], "v");
    assert_eq!(lines[0]["boilerstrip"]["title"], "A headline about the talks");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("-:2: invalid JSON"), "{stderr}");
    assert!(stderr.contains("-:4: field \"text\" is missing"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&errors).unwrap().lines().count(), 2);
}

#[test]
fn a_folder_of_jsonl_files_is_read_file_by_file_in_order() {
    let record = |id: u32| format!("{}\n", serde_json::json!({"id": id, "site": "a.kz", "text": ARTICLE}));
    let dir = tempfile::tempdir().unwrap();
    let parts = dir.path().join("parts");
    std::fs::create_dir_all(parts.join("b")).unwrap();
    std::fs::write(parts.join("a.jsonl"), record(1) + &record(2)).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, (record(3) + "not json\n").as_bytes()).unwrap();
    std::fs::write(parts.join("b/c.jsonl.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(parts.join(".hidden.jsonl"), record(9)).unwrap();
    let output = boilerstrip().args(["clean", "--jsonl"]).arg(&parts).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let ids: Vec<u64> = records_of(&output.stdout).iter().map(|v| v["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&format!("{}:2: invalid JSON", parts.join("b/c.jsonl.gz").display())), "{stderr}");
    // learn reads the same streams: the folder's statistics are those of its files.
    let (whole, files) = (dir.path().join("whole.bin"), dir.path().join("files.bin"));
    boilerstrip().args(["learn", "--quiet", "--jsonl", "-o"]).arg(&whole).arg(&parts).assert().code(1);
    boilerstrip()
        .args(["learn", "--quiet", "--jsonl", "-o"])
        .arg(&files)
        .arg(parts.join("a.jsonl"))
        .arg(parts.join("b/c.jsonl.gz"))
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&whole).unwrap(), std::fs::read(&files).unwrap());
}

fn records_of(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_jsonl_record_over_max_bytes_is_refused_as_it_is_read() {
    let record = |id: u32, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    let huge = "word ".repeat(400_000);
    let input = format!("{}\n{}\n{}\n", record(1, ARTICLE), record(2, &huge), record(3, ARTICLE));
    let output =
        boilerstrip().args(["clean", "--jsonl", "--max-bytes", "100000", "-"]).write_stdin(input).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let ids: Vec<u64> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("-:2: too large: 2000018 bytes, over the --max-bytes limit of 100000"), "{stderr}");
}

#[test]
fn jsonl_and_folder_mode_give_the_same_text() {
    let folder = records(&boilerstrip().args(["clean", "--quiet"]).arg(seeds_dir()).output().unwrap().stdout);
    let mut input = String::new();
    for path in seed_paths() {
        let text = std::fs::read_to_string(&path).unwrap();
        input.push_str(&serde_json::json!({"id": path.file_stem().unwrap().to_str(), "text": text}).to_string());
        input.push('\n');
    }
    let output = boilerstrip().args(["clean", "--jsonl", "-"]).write_stdin(input).output().unwrap();
    assert!(output.status.success());
    let streamed: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(streamed.len(), folder.len());
    for (record, value) in folder.iter().zip(&streamed) {
        assert_eq!(value["id"], record.id.as_str());
        assert_eq!(value["text"], record.text.as_str());
        assert_eq!(value["boilerstrip"]["title"], serde_json::to_value(&record.title).unwrap());
    }
}

#[test]
fn learn_in_parts_and_merge_equals_learn_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (i, path) in seed_paths().iter().enumerate() {
        // Two halves of one site, as two machines would see them.
        let folder = d.join(if i % 2 == 0 { "one" } else { "two" }).join("site.kz");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(path, folder.join(path.file_name().unwrap())).unwrap();
    }
    let learn = |out: &str, inputs: &[&str]| {
        let mut cmd = boilerstrip();
        cmd.args(["learn", "--quiet", "-o"]).arg(d.join(out));
        for input in inputs {
            cmd.arg(d.join(input));
        }
        cmd.assert().success();
        std::fs::read(d.join(out)).unwrap()
    };
    let whole = learn("whole.bin", &["one", "two"]);
    learn("one.bin", &["one"]);
    learn("two.bin", &["two"]);
    boilerstrip()
        .args(["learn", "--merge", "-o"])
        .arg(d.join("merged.bin"))
        .arg(d.join("two.bin"))
        .arg(d.join("one.bin"))
        .assert()
        .success();
    assert_eq!(std::fs::read(d.join("merged.bin")).unwrap(), whole);
    // A merge may add to one of its own inputs in place: it reads them whole before writing.
    boilerstrip()
        .args(["learn", "--merge", "-o"])
        .arg(d.join("one.bin"))
        .arg(d.join("one.bin"))
        .arg(d.join("two.bin"))
        .assert()
        .success();
    assert_eq!(std::fs::read(d.join("one.bin")).unwrap(), whole);
    let output =
        boilerstrip().args(["clean", "--line-stats"]).arg(d.join("not-stats.txt")).arg(seeds_dir()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    // A damaged file is refused with its path and what is wrong, whoever reads it.
    let mut junk = whole.clone();
    junk.extend_from_slice(b"junk");
    let mut flipped = whole.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    for (name, bytes, problem) in [
        ("junk.bin", junk, "bytes after its end"),
        ("flipped.bin", flipped, "checksum does not match"),
        ("cut.bin", whole[..whole.len() - 5].to_vec(), "truncated line-statistics file"),
    ] {
        let path = write(d, name, &bytes);
        let merge = boilerstrip().args(["learn", "--merge", "-o"]).arg(d.join("m.bin")).arg(&path).output().unwrap();
        let clean = boilerstrip().args(["clean", "--line-stats"]).arg(&path).arg(seeds_dir()).output().unwrap();
        for output in [merge, clean] {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
            assert!(stderr.contains(name) && stderr.contains(problem), "{name}: {stderr}");
            assert_eq!(stderr.matches(problem).count(), 1, "{stderr}");
        }
    }
}

#[test]
fn compressed_jsonl_in_and_out_by_extension() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let record = serde_json::json!({"id": "a", "text": ARTICLE}).to_string() + "\n";
    let gz = dir.path().join("in.jsonl.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    encoder.write_all(record.as_bytes()).unwrap();
    encoder.finish().unwrap();
    let zst = dir.path().join("out.jsonl.zst");
    boilerstrip().args(["clean", "--jsonl", "-o"]).arg(&zst).arg(&gz).assert().success();
    let plain = zstd::decode_all(std::fs::File::open(&zst).unwrap()).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(value["text"], BODY);
}

#[test]
fn a_line_model_file_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "page.txt", ARTICLE.as_bytes());
    let shipped = root().join("model/line-model.json");
    let output =
        boilerstrip().args(["clean", "--format", "text", "--model"]).arg(&shipped).arg(&page).output().unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), format!("{BODY}\n"));

    // A model that finds every line boilerplate keeps nothing.
    let mut model: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&shipped).unwrap()).unwrap();
    model["bias"] = serde_json::json!(-100.0);
    let gloomy = write(dir.path(), "gloomy.json", model.to_string().as_bytes());
    let output = boilerstrip().args(["clean", "--format", "text", "--model"]).arg(&gloomy).arg(&page).output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "");

    model["features"][0] = serde_json::json!("renamed");
    let stale = write(dir.path(), "stale.json", model.to_string().as_bytes());
    boilerstrip()
        .args(["clean", "--model"])
        .arg(&stale)
        .arg(&page)
        .assert()
        .failure()
        .stderr(predicates::str::contains("stale.json"))
        .stderr(predicates::str::contains("\"renamed\""));
}

#[test]
fn timings_list_every_stage_and_leave_the_output_as_it_was() {
    let plain = boilerstrip().args(["clean", "--quiet"]).arg(seeds_dir()).output().unwrap();
    let timed = boilerstrip().args(["clean", "--quiet", "--timings"]).arg(seeds_dir()).output().unwrap();
    assert!(plain.status.success() && timed.status.success());
    assert_eq!(timed.stdout, plain.stdout);
    let table = String::from_utf8(timed.stderr).unwrap();
    let shares: Vec<(String, f64)> = table
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields[0].to_string(), fields[2].trim_end_matches('%').parse().unwrap())
        })
        .collect();
    let names: Vec<&str> = shares.iter().map(|(name, _)| name.as_str()).collect();
    let stages =
        ["read", "decode", "html", "normalize", "segment", "line-stats", "classify", "metadata", "render", "write"];
    assert_eq!(&names[..stages.len()], stages, "{table}");
    assert_eq!(names.last(), Some(&"total"), "{table}");
    assert!(shares.iter().all(|&(_, share)| (0.0..=100.0).contains(&share)), "{table}");
    // The stages and what lies outside them make up the whole.
    let parts: f64 = shares[..shares.len() - 1].iter().map(|(_, share)| share).sum();
    assert!((parts - 100.0).abs() < 0.5, "{table}");
    assert!(shares.iter().any(|(name, share)| name == "classify" && *share > 0.0), "{table}");
}

#[test]
fn timings_cover_jsonl_runs_too() {
    let line = serde_json::json!({"id": "a", "text": ARTICLE}).to_string() + "\n";
    let output = boilerstrip().args(["clean", "--jsonl", "--timings", "-"]).write_stdin(line).output().unwrap();
    assert!(output.status.success());
    let table = String::from_utf8(output.stderr).unwrap();
    for stage in ["read", "classify", "render", "write", "total"] {
        assert!(table.lines().any(|l| l.starts_with(stage)), "{table}");
    }
}

#[test]
fn a_language_added_only_as_files_is_detected_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = dir.path().join("patterns");
    write(
        &patterns,
        "stopwords/sw.txt",
        "na\nya\nwa\nza\nkwa\nkatika\nni\nla\nhuo\nhii\nlakini\nkuwa\nkwamba\nzake\n".as_bytes(),
    );
    let months = "Januari\nFebruari\nMachi\nAprili\nMei\nJuni\nJulai\nAgosti\nSeptemba\nOktoba\nNovemba\nDesemba\n";
    write(&patterns, "sw/months.txt", months.as_bytes());
    write(&patterns, "sw/counter-words.txt", b"maoni\n");
    write(&patterns, "sw/read-also.txt", b"soma pia\n");
    let page = "Nyumbani\nHabari\n\nMpango mpya wa afya\n\n12 Agosti 2019\n\nSerikali ya Tanzania imetangaza mpango \
mpya wa kuboresha huduma za afya katika mikoa yote ya nchi, na wananchi wengi wameupokea kwa furaha kubwa.\n\nWaziri wa \
afya alisema kwamba mpango huo utaanza mwezi ujao na utagharimu fedha nyingi, lakini faida zake ni kubwa kwa jamii \
nzima ya nchi hii.\n\n12 maoni\n\nSoma pia:\nHabari nyingine za leo\nMvua kubwa yanyesha pwani\nTimu ya taifa yashinda\n";
    let page = write(dir.path(), "page.txt", page.as_bytes());
    let clean = |with_files: bool| {
        let mut command = boilerstrip();
        command.args(["clean", "--removed"]);
        if with_files {
            command.arg("--patterns").arg(&patterns);
        }
        let output = command.arg(&page).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        record
    };
    let rule_of = |record: &serde_json::Value, text: &str| {
        record["removed"].as_array().unwrap().iter().find(|r| r["text"] == text).map(|r| r["rule"].clone())
    };
    let with = clean(true);
    assert_eq!(with["lang"], "sw", "{with}");
    assert_eq!(with["date"], "2019-08-12", "{with}");
    assert_eq!(rule_of(&with, "Soma pia:"), Some("read-also".into()), "{with}");
    assert_eq!(rule_of(&with, "12 maoni"), Some("counter".into()), "{with}");
    assert!(with["text"].as_str().unwrap().starts_with("Serikali ya Tanzania"), "{with}");
    // Without the files none of it is known.
    let without = clean(false);
    assert_ne!(without["lang"], "sw", "{without}");
    assert_eq!(without["date"], serde_json::Value::Null, "{without}");
    assert_ne!(rule_of(&without, "12 maoni"), Some("counter".into()), "{without}");
}

#[test]
fn chinese_and_japanese_pages_keep_their_articles_and_name_their_language() {
    let pages = [
        (
            "zh",
            "首页\n新闻\n\n北京市政府今天举行新闻发布会，介绍了城市建设的最新进展。记者从发布会上了解到，今年北京将新建十所学校和三座医院。\n\n\
             市政府表示，这些项目将在年底前全部开工，预计总投资超过一百亿元。\n\n责任编辑：张三\n相关阅读\n上海举行国际会议\n",
            ["首页", "责任编辑：张三", "相关阅读"],
        ),
        (
            "ja",
            "ホーム\nニュース\n\n東京都は今日、新しい公園の計画を発表しました。この公園は来年の春に開園する予定で、多くの市民が期待しています。\n\n\
             都の担当者によると、公園には子どもの遊び場や大きな池が作られるということです。\n\n関連記事\n大阪で新しい駅が開業\n",
            ["ホーム", "関連記事", "大阪で新しい駅が開業"],
        ),
    ];
    for (lang, page, removed) in pages {
        let output = boilerstrip().args(["clean", "-", "--removed"]).write_stdin(page).output().unwrap();
        assert!(output.status.success());
        let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(record["lang"], lang, "{record}");
        // Both paragraphs stay: a paragraph is many words, one per ideograph or kana.
        assert_eq!(record["text"].as_str().unwrap().split("\n\n").count(), 2, "{record}");
        let gone: Vec<&str> = record["removed"].as_array().unwrap().iter().filter_map(|r| r["text"].as_str()).collect();
        for line in removed {
            assert!(gone.contains(&line), "{line} {record}");
        }
    }
}

#[test]
fn a_run_that_cleans_nothing_leaves_an_earlier_output_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "keep.jsonl", b"earlier result\n");
    let stats = write(dir.path(), "keep.bin", b"earlier statistics");
    let missing = dir.path().join("scrapd");
    for args in [
        vec!["clean".into(), missing.display().to_string(), "-o".into(), out.display().to_string()],
        vec!["clean".into(), "--jsonl".into(), missing.display().to_string(), "-o".into(), out.display().to_string()],
        vec!["learn".into(), missing.display().to_string(), "-o".into(), stats.display().to_string()],
    ] {
        let output = boilerstrip().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("left as it was"), "{args:?}");
    }
    assert_eq!(std::fs::read(&out).unwrap(), b"earlier result\n");
    assert_eq!(std::fs::read(&stats).unwrap(), b"earlier statistics");
    // A new output file is still written, empty, so that a pipeline finds it.
    let fresh = dir.path().join("fresh.jsonl");
    boilerstrip().arg("clean").arg(&missing).arg("-o").arg(&fresh).assert().code(1);
    assert_eq!(std::fs::read(&fresh).unwrap(), b"");
}

#[test]
fn an_output_is_never_one_of_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "pages/page.txt", ARTICLE.as_bytes());
    let output = boilerstrip().arg("clean").arg(&page).arg("-o").arg(&page).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("both an input and an output"));
    assert_eq!(std::fs::read(&page).unwrap(), ARTICLE.as_bytes());
    // An output inside the input folder is not cleaned as a page by the next run.
    let folder = page.parent().unwrap();
    let out = folder.join("out.jsonl");
    for _ in 0..2 {
        boilerstrip().args(["clean", "--quiet"]).arg(folder).arg("-o").arg(&out).assert().success();
        assert_eq!(records(&std::fs::read(&out).unwrap()).len(), 1);
    }
}

#[test]
fn a_utf8_page_with_a_truncated_character_stays_utf8_and_an_image_stays_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = BODY.replace("the partners", "the partners’ delegates").into_bytes();
    bytes.push(0xC3);
    let page = write(dir.path(), "page.txt", &bytes);
    let output = boilerstrip().arg("clean").arg(&page).output().unwrap();
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((record["encoding"].as_str(), record["stats"]["replacements"].as_u64()), (Some("UTF-8"), Some(1)));
    assert!(record["text"].as_str().unwrap().contains("partners’ delegates"), "{record}");
    let png = write(dir.path(), "logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let output = boilerstrip().args(["clean", "--encoding", "windows-1251"]).arg(&png).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("binary file (PNG image)"));
}

#[cfg(unix)]
#[test]
fn an_output_symlink_fifo_or_private_file_stays_what_it_was() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    // A symlink: its target gets the records, the link stays a link.
    let target = write(dir.path(), "real/out.jsonl", b"old\n");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(&link).arg(seeds_dir()).assert().success();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(records(&std::fs::read(&target).unwrap()).len(), 5);
    // A private file stays private.
    let private = write(dir.path(), "private.jsonl", b"old\n");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(&private).arg(seeds_dir()).assert().success();
    assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
    // A FIFO is written into, not replaced by a regular file.
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = std::process::Command::new("cat").arg(&fifo).stdout(std::process::Stdio::piped()).spawn().unwrap();
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(&fifo).arg(seeds_dir()).assert().success();
    let read = reader.wait_with_output().unwrap();
    assert_eq!(records(&read.stdout).len(), 5);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_truncated_stream_keeps_its_records_before_the_break_and_the_run_goes_on() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let record = |n: usize| format!("{{\"id\": {n}, \"text\": {}}}\n", serde_json::to_string(ARTICLE).unwrap());
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for n in 0..2000 {
        encoder.write_all(record(n).as_bytes()).unwrap();
    }
    let gz = encoder.finish().unwrap();
    let broken = write(dir.path(), "broken.jsonl.gz", &gz[..gz.len() / 2]);
    let good = write(dir.path(), "good.jsonl", record(9999).as_bytes());
    let out = dir.path().join("out.jsonl");
    for command in [["clean", "--jsonl"], ["learn", "--jsonl"]] {
        let output = boilerstrip().args(command).arg(&broken).arg(&good).arg("-o").arg(&out).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("broken.jsonl.gz: truncated stream after line"), "{stderr}");
    }
    // The learn run above wrote statistics to `out`; clean again for the records.
    boilerstrip().args(["clean", "--jsonl"]).arg(&broken).arg(&good).arg("-o").arg(&out).assert().code(1);
    let ids: Vec<u64> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].as_u64().unwrap())
        .collect();
    assert!(ids.len() > 100 && ids.len() < 2001, "{}", ids.len());
    assert_eq!(ids[..ids.len() - 1], (0..ids.len() as u64 - 1).collect::<Vec<_>>()[..]);
    assert_eq!(ids.last(), Some(&9999));
}

#[test]
fn an_output_key_that_is_the_text_field_is_refused_once_at_start_up() {
    let output = boilerstrip()
        .args(["clean", "--jsonl", "-", "--output-key", "text"])
        .write_stdin("{\"text\": \"a\"}\n{\"text\": \"b\"}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--output-key \"text\" is the text field"), "{stderr}");
}

#[test]
fn text_format_keeps_documents_apart_by_a_separator() {
    let jsonl = boilerstrip().args(["clean", "--quiet"]).arg(seeds_dir()).output().unwrap();
    let texts: Vec<String> = records(&jsonl.stdout).into_iter().map(|r| r.text + "\n").collect();
    assert_eq!(texts.len(), 5);
    for (separator, between) in [("formfeed", "\x0c\n"), ("blank", "\n"), ("nul", "\0"), ("none", "")] {
        let output = boilerstrip()
            .args(["clean", "--quiet", "--format", "text", "--separator", separator])
            .arg(seeds_dir())
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(output.stdout).unwrap(), texts.join(between), "{separator}");
    }
}

/// A small news page: a menu, the article, a related list and a footer, with a script and a
/// style that are no text at all.
const NEWS_PAGE_HTML: &str = "<!DOCTYPE html>\n<html lang=en><head><title>Bridge approved | City News</title>\
<style>p { color: red }</style><script>var tracking = 'Read also: nothing';</script></head><body>\
<nav><ul><li><a href=/>Home</a><li><a href=/news>News</a><li><a href=/sport>Sport</a></ul></nav>\
<article><h1>Bridge approved</h1>\
<p>The city council met on Monday and agreed to build a new bridge over the river, officials said.</p>\
<p>Work will begin next spring and is expected to take about two years, according to the plan &amp; the budget.</p>\
</article><aside><h3>Read also:</h3><ul><li><a href=/a>Mayor opens a park</a><li><a href=/b>Tram line extended</a></ul></aside>\
<footer>© 2024 City News. All rights reserved.</footer></body></html>\n";

#[test]
fn an_html_page_is_read_as_html_by_its_name_or_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let by_name = write(dir.path(), "bridge.html", NEWS_PAGE_HTML.as_bytes());
    let by_start = write(dir.path(), "bridge.txt", NEWS_PAGE_HTML.as_bytes());
    for page in [&by_name, &by_start] {
        let out = boilerstrip().args(["clean", "--quiet"]).arg(page).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let record = &records(&out.stdout)[0];
        assert_eq!(
            record.text,
            "The city council met on Monday and agreed to build a new bridge over the river, officials said.\n\
             Work will begin next spring and is expected to take about two years, according to the plan & the budget.",
            "{}",
            page.display()
        );
    }
    // Read as text, the markup is one long line of tags, not the article.
    let as_text = boilerstrip().args(["clean", "--quiet", "--input-format", "text"]).arg(&by_name).output().unwrap();
    let text = &records(&as_text.stdout)[0].text;
    assert!(!text.starts_with("The city council"), "{text:?}");
    // And --input-format html reads a page whose name and start say nothing.
    let body = &NEWS_PAGE_HTML[NEWS_PAGE_HTML.find("<body>").unwrap()..];
    let bare = write(dir.path(), "bare.txt", body.as_bytes());
    let auto = boilerstrip().args(["clean", "--quiet"]).arg(&bare).output().unwrap();
    assert!(!records(&auto.stdout)[0].text.starts_with("The city council"));
    let html = boilerstrip().args(["clean", "--quiet", "--input-format", "html"]).arg(&bare).output().unwrap();
    assert!(records(&html.stdout)[0].text.starts_with("The city council"));
}

#[test]
fn an_html_page_without_text_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "empty.html", b"<html><head><script>var a;</script></head><body> </body></html>");
    let out = boilerstrip().args(["clean", "--quiet"]).arg(&page).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty.html") && stderr.contains("no text"), "{stderr}");
}

#[test]
fn learn_counts_the_lines_clean_reads_from_html() {
    let dir = tempfile::tempdir().unwrap();
    let (html_dir, text_dir) = (dir.path().join("html/news"), dir.path().join("text/news"));
    std::fs::create_dir_all(&html_dir).unwrap();
    std::fs::create_dir_all(&text_dir).unwrap();
    for (name, page) in [("a", NEWS_PAGE_HTML.to_string()), ("b", NEWS_PAGE_HTML.replace("Monday", "Tuesday"))] {
        write(&html_dir, &format!("{name}.html"), page.as_bytes());
        write(&text_dir, &format!("{name}.txt"), boilerstrip::stage::html::to_text(&page).as_bytes());
    }
    let learned = |folder: &str| {
        let stats = dir.path().join(format!("{folder}.bin"));
        boilerstrip().args(["learn", "--quiet", "-o"]).arg(&stats).arg(dir.path().join(folder)).assert().success();
        std::fs::read(stats).unwrap()
    };
    assert_eq!(learned("html"), learned("text"));
}

#[test]
fn jsonl_records_holding_html_are_read_as_html() {
    let start = NEWS_PAGE_HTML.find("<body>").unwrap();
    let (page, body) = (NEWS_PAGE_HTML, &NEWS_PAGE_HTML[start..]);
    let input: String =
        [page, body].iter().map(|html| serde_json::json!({ "text": html }).to_string() + "\n").collect();
    let clean = |format: &str| {
        let out = boilerstrip()
            .args(["clean", "--jsonl", "-", "--input-format", format])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let texts: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["text"].as_str().unwrap().to_string())
            .collect();
        texts.iter().map(|text| text.starts_with("The city council")).collect::<Vec<bool>>()
    };
    // By its start, a whole page is HTML and a bare body is not; told so, both are.
    assert_eq!(clean("auto"), [true, false]);
    assert_eq!(clean("html"), [true, true]);
    assert_eq!(clean("text"), [false, false]);
}
