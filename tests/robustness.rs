//! Bad input of every kind gets a one-line error naming it, the run goes on, the exit code says
//! some inputs failed; output is the same for any thread count; an interrupted run leaves the
//! earlier output file as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::*;

const ARTICLE: &str = "Home\n\nThe delegation held a number of meetings with the partners on Monday, and they agreed \
that the cooperation in the space industry will continue next year.\n\nRead also\n";

/// `count` generated pages in seven folders.
fn generated_corpus(dir: &Path, count: usize) {
    for (i, page) in mixed_pages(count, 0x2545_f491_4f6c_dd1d, 60).iter().enumerate() {
        write(dir, &format!("{:02}/{i:05}.txt", i % 7), page.as_bytes());
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"))
}

#[test]
fn every_kind_of_bad_input_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "00_good.txt", ARTICLE.as_bytes());
    write(d, "01_image.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01");
    write(d, "02_archive.gz", b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03");
    write(d, "03_document.pdf", b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj");
    write(d, "04_nul.txt", b"text\x00\x00\x00with\x00nul\x01\x02\x03bytes");
    write(d, "05_empty.txt", b"");
    write(d, "06_blank.txt", b" \n \t\r\n\n");
    let mut truncated = ARTICLE.replace("Monday", "понедельник").into_bytes();
    truncated.extend_from_slice(&"ж".as_bytes()[..1]);
    write(d, "07_truncated.txt", &truncated);
    let utf16: Vec<u8> = ARTICLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    write(d, "08_utf16_no_bom.txt", &utf16);
    let huge = d.join("09_huge.txt");
    std::fs::write(&huge, vec![b'a'; 200 * 1024 * 1024]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"10_caf\xE9.txt");
        std::fs::write(d.join(name), ARTICLE).unwrap();
        std::os::unix::fs::symlink(d, d.join("11_loop")).unwrap();
        if is_root() {
            // Root reads any file, so use one the kernel refuses to read instead.
            std::os::unix::fs::symlink("/proc/self/mem", d.join("12_unreadable.txt")).unwrap();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let path = write(d, "12_unreadable.txt", ARTICLE.as_bytes());
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
    }
    write(d, "13_good.txt", ARTICLE.as_bytes());

    let errors = tempfile::NamedTempFile::new().unwrap();
    let output = boilerstrip()
        .args(["clean", "--quiet", "--errors"])
        .arg(errors.path())
        .arg(d)
        .arg(d.join("14_missing.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let expected_errors = [
        ("01_image.jpg", "binary file (JPEG image)"),
        ("02_archive.gz", "binary file (gzip data)"),
        ("03_document.pdf", "binary file (PDF document)"),
        ("04_nul.txt", "binary file (NUL bytes)"),
        ("05_empty.txt", "empty file"),
        ("06_blank.txt", "no text: only whitespace"),
        ("09_huge.txt", "too large: 209715200 bytes"),
        ("11_loop", "symlink loop"),
        ("12_unreadable.txt", "cannot read"),
        ("14_missing.txt", "no such file"),
    ];
    for (name, problem) in expected_errors {
        let line =
            stderr.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("no error for {name}:\n{stderr}"));
        assert!(line.contains(problem), "{name}: {line}");
    }
    assert_eq!(stderr.lines().count(), expected_errors.len(), "one line per failed input:\n{stderr}");

    let records = records(&output.stdout);
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["00_good", "07_truncated", "08_utf16_no_bom", "10_caf\u{FFFD}", "13_good"]);
    let inputs = ids.len() + expected_errors.len();
    assert_eq!(records.len(), inputs - expected_errors.len(), "records = inputs - failures");
    assert_eq!(records[2].encoding, "UTF-16LE");
    assert!(records[2].text.starts_with("The delegation held"));
    let logged = std::fs::read_to_string(errors.path()).unwrap();
    assert_eq!(logged.lines().count(), expected_errors.len());
    for line in logged.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(value["source"].is_string() && value["kind"].is_string() && value["error"].is_string());
    }
}

#[test]
fn a_path_that_disappears_mid_run_is_an_error_not_a_crash() {
    use boilerstrip::input::{collect, WalkOptions};
    use boilerstrip::run::{run, RunOptions};
    use boilerstrip::{Cleaner, Config, PatternsBuilder};

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let gone = write(dir.path(), "b.txt", ARTICLE.as_bytes());
    write(dir.path(), "c.txt", ARTICLE.as_bytes());
    let inputs = collect(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
    std::fs::remove_file(&gone).unwrap();
    let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
    let mut out = Vec::new();
    let mut failed: Vec<(String, String)> = Vec::new();
    let summary = run(
        &cleaner,
        inputs,
        &mut out,
        &mut |source, err| failed.push((source.to_string(), err.to_string())),
        &RunOptions::default(),
        None,
    )
    .unwrap();
    assert_eq!((summary.documents, summary.failed), (2, 1));
    assert!(failed[0].0.ends_with("b.txt") && failed[0].1.contains("no such file"), "{failed:?}");
    assert_eq!(records(&out).len(), 2);
}

#[test]
fn output_is_identical_for_1_2_and_8_threads_on_a_generated_corpus() {
    let dir = tempfile::tempdir().unwrap();
    generated_corpus(dir.path(), 600);
    let run = |threads: &str| {
        let output =
            boilerstrip().args(["clean", "--quiet", "--removed", "-j", threads]).arg(dir.path()).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let one = run("1");
    assert_eq!(records(&one).len(), 600);
    assert!(one == run("2"), "-j 2 differs from -j 1");
    assert!(one == run("8"), "-j 8 differs from -j 1");
}

/// A run writing `-o out` that cannot finish (it waits for stdin, kept open in the returned
/// handle), once its temporary output file exists.
fn start_a_run_that_waits(dir: &Path, out: &Path) -> (std::process::Child, Option<std::process::ChildStdin>) {
    let page = write(dir, "in/page.txt", ARTICLE.as_bytes());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(["clean", "--quiet", "-o"])
        .arg(out)
        .arg(&page)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if own_files(dir).iter().any(|p| p.to_string_lossy().ends_with(".tmp")) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!own_files(dir).is_empty(), "the run never started writing");
    // `wait` would close the child's stdin first, and a run that then reads to the end of its
    // input could finish before a signal is handled: stdin stays open until the child is gone.
    let stdin = child.stdin.take();
    (child, stdin)
}

/// boilerstrip's temporary outputs and locks in `dir`.
fn own_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".boilerstrip-")))
        .collect();
    files.sort();
    files
}

fn signal_and_wait(signal: &str, (mut child, stdin): (std::process::Child, Option<std::process::ChildStdin>)) {
    let status = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    assert!(!status.success());
}

/// Signals a run under way and checks that the earlier output file is untouched; returns what
/// the run left of its own files.
fn interrupt_leaves_earlier_output(signal: &str, dir: &Path) -> Vec<PathBuf> {
    let out = write(dir, "out.jsonl", b"{\"earlier\":true}\n");
    signal_and_wait(signal, start_a_run_that_waits(dir, &out));
    assert_eq!(std::fs::read(&out).unwrap(), b"{\"earlier\":true}\n", "earlier output changed");
    own_files(dir)
}

#[test]
fn sigint_and_sigterm_leave_the_earlier_output_and_no_temporary_file() {
    for signal in ["-INT", "-TERM"] {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(interrupt_leaves_earlier_output(signal, dir.path()), Vec::<PathBuf>::new(), "{signal}");
    }
}

#[test]
fn sigkill_leaves_the_earlier_output_intact_and_the_next_run_removes_the_litter() {
    // Nothing runs on SIGKILL: the temporary file and the lock stay beside the output, but the
    // output itself is never replaced by a partial one.
    let dir = tempfile::tempdir().unwrap();
    let leftovers = interrupt_leaves_earlier_output("-KILL", dir.path());
    assert!(leftovers.iter().any(|p| p.to_string_lossy().ends_with(".tmp")), "{leftovers:?}");
    // A temporary file of a run that is still alive (this test's process) is left alone.
    let alive = write(dir.path(), &format!(".boilerstrip-{}-abcdef.tmp", std::process::id()), b"x");
    let output = boilerstrip()
        .args(["clean", "--hidden", "-o"])
        .arg(dir.path().join("out.jsonl"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("left by a run that was killed"), "{stderr}");
    assert_eq!(own_files(dir.path()), [alive]);
    // Neither the litter nor the earlier output was read as a page: only in/page.txt.
    let out = std::fs::read(dir.path().join("out.jsonl")).unwrap();
    let sources: Vec<String> = records(&out).into_iter().map(|r| r.source).collect();
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert!(sources[0].ends_with("page.txt"), "{sources:?}");
}

#[test]
fn a_second_run_writing_the_same_output_at_once_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "out.jsonl", b"{\"earlier\":true}\n");
    let first = start_a_run_that_waits(dir.path(), &out);
    let page = write(dir.path(), "other/page.txt", ARTICLE.as_bytes());
    let second = boilerstrip().args(["clean", "--quiet", "-o"]).arg(&out).arg(&page).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(stderr.contains("another boilerstrip run is writing it"), "{stderr}");
    signal_and_wait("-TERM", first);
    assert_eq!(std::fs::read(&out).unwrap(), b"{\"earlier\":true}\n");
    assert_eq!(own_files(dir.path()), Vec::<PathBuf>::new());
    // With the first run gone, the output is free again.
    boilerstrip().args(["clean", "--quiet", "-o"]).arg(&out).arg(&page).assert().success();
}

/// A page of 80,000 Title Case headlines once took minutes in the metadata stage (every title
/// candidate compared with every other). Compared with a prose page of the same size in the same
/// run, not with a clock: only a super-linear stage can make it many times slower.
#[test]
fn a_page_of_headlines_costs_about_what_a_page_of_prose_does() {
    let dir = tempfile::tempdir().unwrap();
    let words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet"];
    let headlines: String = (0..80_000usize)
        .map(|i| (0..6).map(|j| words[(i * 7 + j * 3 + i / 10) % words.len()]).collect::<Vec<_>>().join(" ") + "\n")
        .collect();
    let sentence = "The delegation held a number of meetings with the partners, and they agreed to go on.\n";
    let prose = sentence.repeat(headlines.len() / sentence.len());
    let timed = |name: &str, text: &str| {
        let page = write(dir.path(), name, text.as_bytes());
        let start = std::time::Instant::now();
        boilerstrip().args(["clean", "--quiet"]).arg(&page).assert().success();
        start.elapsed()
    };
    let prose_time = timed("prose.txt", &prose);
    let headline_time = timed("headlines.txt", &headlines);
    assert!(headline_time < prose_time * 10, "headlines {headline_time:?}, prose {prose_time:?}");
}

/// Peak resident memory, in bytes, of one `boilerstrip clean` of `page`: the kernel's account of
/// that child alone (`wait4`), whatever other tests run beside it.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes, reason = "reaped by wait4, which also gives its peak memory")]
fn peak_memory_of_cleaning(page: &Path) -> u64 {
    let child = Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(["clean", "--quiet", "-j", "1", "--max-bytes", "100000000"])
        .arg(page)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child is ours and not reaped yet; both pointers are to live locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid);
    // ru_maxrss is in kilobytes on Linux.
    u64::try_from(usage.ru_maxrss).unwrap() * 1024
}

/// A page's shape must not multiply its memory: 20 MB of blank lines cost a `Line` each once
/// (8.4 GB). Blank runs stay within 16 times the page; a page that is nothing but one-letter
/// lines still costs about 220 bytes a line (a line's text, its features, its verdict), which
/// the bound below holds it to.
#[cfg(target_os = "linux")]
#[test]
fn peak_memory_stays_a_small_multiple_of_the_page_whatever_its_shape() {
    const MB: u64 = 1 << 20;
    let dir = tempfile::tempdir().unwrap();
    let blank = write(dir.path(), "blank.txt", format!("First.\n{}Last.\n", "\n".repeat(20 << 20)).as_bytes());
    let size = std::fs::metadata(&blank).unwrap().len();
    let peak = peak_memory_of_cleaning(&blank);
    assert!(peak < 16 * size + 64 * MB, "{} MB of blank lines peaked at {} MB", size / MB, peak / MB);

    let lines = 1_000_000;
    let letters = write(dir.path(), "letters.txt", "a\n".repeat(lines).as_bytes());
    let size = std::fs::metadata(&letters).unwrap().len();
    let peak = peak_memory_of_cleaning(&letters);
    let bound = 16 * size + 64 * MB + 256 * lines as u64;
    assert!(peak < bound, "{lines} one-letter lines peaked at {} MB (bound {} MB)", peak / MB, bound / MB);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a_page.txt", ARTICLE.as_bytes());
    assert!(Command::new("mkfifo").arg(dir.path().join("b_pipe")).status().unwrap().success());
    let output = boilerstrip().args(["clean", "--quiet"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("b_pipe: not a regular file"));
    assert_eq!(records(&output.stdout).len(), 1);
}

#[test]
fn a_full_disk_is_exit_code_3_not_a_usage_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        report_skip("a_full_disk_is_exit_code_3_not_a_usage_error", "no /dev/full on this system");
        return;
    };
    let output = Command::new(assert_cmd::cargo::cargo_bin("boilerstrip"))
        .args(["clean", "--quiet"])
        .arg(seeds_dir())
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("writing to stdout") && stderr.contains("No space left"), "{stderr}");
    let output = boilerstrip().args(["clean", "--quiet", "-o", "/dev/full"]).arg(seeds_dir()).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
}
