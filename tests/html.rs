//! HTML pages end to end: golden outputs of the fixtures in `tests/html/` (broken markup, a
//! legacy charset declared in `<meta>`, a page with nav/aside/footer and a related list), the
//! metadata each markup source gives, and HTML in JSONL records.
//!
//! Re-bless the golden file after an intended change with
//! `BOILERSTRIP_BLESS=1 cargo test --test tests html`.

use boilerstrip::emit::Record;

use crate::util::*;

fn clean_fixtures() -> (String, Vec<Record>) {
    let output =
        boilerstrip().args(["clean", "--quiet", "--removed", "tests/html"]).current_dir(root()).output().unwrap();
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let records = records(stdout.as_bytes());
    (stdout, records)
}

fn fixture<'a>(records: &'a [Record], id: &str) -> &'a Record {
    records.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no record {id}"))
}

#[test]
fn html_fixtures_match_their_golden_file() {
    let (got, _) = clean_fixtures();
    assert_golden("html.jsonl", &got);
}

#[test]
fn the_article_stays_and_the_page_parts_around_it_go_by_their_markup() {
    let (_, records) = clean_fixtures();
    let page = fixture(&records, "news-with-parts");
    assert!(page.text.starts_with("Every school in the region will stay closed"), "{}", page.text);
    assert!(page.text.contains("Power back by the weekend"), "the subheading stays: {}", page.text);
    assert!(page.text.ends_with("the department added in its statement."), "{}", page.text);
    for gone in ["Related stories", "Council approves", "Subscribe", "cookies", "Privacy", "A fallen tree"] {
        assert!(!page.text.contains(gone), "{gone:?} kept: {}", page.text);
    }
    let rule_of = |start: &str| {
        let removed = page.removed.as_ref().unwrap();
        removed.iter().find(|r| r.text.starts_with(start)).map(|r| r.rule.clone()).unwrap_or_default()
    };
    assert_eq!(rule_of("Weather"), "in-nav");
    assert_eq!(rule_of("A fallen tree"), "caption");

    let broken = fixture(&records, "broken-markup");
    assert_eq!(broken.title.as_deref(), Some("Ferry service returns after repairs"));
    assert!(broken.text.starts_with("The ferry between the two islands"), "{}", broken.text);
    assert!(broken.text.contains("the first weeks are expected to be busy"), "misnested tags: {}", broken.text);
    assert!(!broken.text.contains("Hidden") && !broken.text.contains("Contact"), "{}", broken.text);
}

#[test]
fn metadata_comes_from_the_markup_where_the_page_declares_it() {
    let (_, records) = clean_fixtures();
    let page = fixture(&records, "news-with-parts");
    // og:title beats the <title> with its site suffix; og:site_name; article:published_time;
    // the JSON-LD article's two authors; article:tag; the canonical link.
    assert_eq!(page.title.as_deref(), Some("Storm closes schools across the region"));
    assert_eq!(page.site.as_deref(), Some("City Herald"));
    assert_eq!(page.date.as_deref(), Some("2024-01-12"));
    assert_eq!(page.author.as_deref(), Some("Anna Clark, Tom Reed"));
    assert_eq!(page.tags, ["weather", "schools"]);
    assert_eq!(page.url.as_deref(), Some("https://cityherald.example/news/storm-closes-schools"));
    assert_eq!(page.lang.as_deref(), Some("en"));
    assert_eq!((page.encoding.as_str(), page.encoding_from.as_str()), ("UTF-8", "meta"));
    let diff = boilerstrip().args(["diff", "tests/html/news-with-parts.html"]).current_dir(root()).output().unwrap();
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(diff.contains("url: https://cityherald.example/news/storm-closes-schools"), "{diff}");
    // Without declarations, the text's heuristics stand.
    let broken = fixture(&records, "broken-markup");
    assert_eq!((broken.url.as_deref(), broken.date.as_deref()), (None, None));
    assert_eq!(broken.encoding_from, "utf-8");
}

#[test]
fn a_legacy_charset_declared_in_meta_decodes_the_page() {
    let (_, fixtures) = clean_fixtures();
    let page = fixture(&fixtures, "legacy-charset-in-meta");
    assert_eq!((page.encoding.as_str(), page.encoding_from.as_str()), ("windows-1251", "meta"));
    assert_eq!(page.title.as_deref(), Some("В Алматы открыли новый парк"));
    assert!(page.text.starts_with("В субботу в Алматы открыли новый парк"), "{}", page.text);
    assert!(!page.text.contains("Читайте также") && !page.text.contains("Курс доллара"), "{}", page.text);
    // The declaration wins over detection: declared KOI8-R, the same bytes read as KOI8-R.
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(root().join("tests/html/legacy-charset-in-meta.html")).unwrap();
    let at = bytes.windows(12).position(|w| w == b"windows-1251").unwrap();
    let koi8 = [&bytes[..at], b"koi8-r", &bytes[at + 12..]].concat();
    let path = write(dir.path(), "declared-koi8.html", &koi8);
    let out = boilerstrip().args(["clean", "--quiet"]).arg(&path).output().unwrap();
    let record = &records(&out.stdout)[0];
    assert_eq!((record.encoding.as_str(), record.encoding_from.as_str()), ("KOI8-R", "meta"));
}

#[test]
fn html_field_reads_a_records_html_and_replaces_it_with_the_clean_text() {
    let html = std::fs::read_to_string(root().join("tests/html/news-with-parts.html")).unwrap();
    let body = &html[html.find("<body").unwrap()..];
    let input = serde_json::json!({ "id": 7, "url": "https://cityherald.example/x", "html": body }).to_string() + "\n";
    let out =
        boilerstrip().args(["clean", "--jsonl", "-", "--html-field", "html"]).write_stdin(input).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = record["html"].as_str().unwrap();
    // A bare body starts like no HTML page, yet the field says it is HTML.
    assert!(text.starts_with("Every school in the region"), "{text}");
    assert!(!text.contains('<'), "{text}");
    assert_eq!(record["id"], 7);
    assert!(record["boilerstrip"]["stats"]["lines_kept"].as_u64().unwrap() >= 5, "{record}");
    let conflict =
        boilerstrip().args(["clean", "--jsonl", "-", "--html-field", "h", "--text-field", "t"]).output().unwrap();
    assert_eq!(conflict.status.code(), Some(2));
}

#[test]
fn dash_as_the_output_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = boilerstrip()
        .args(["clean", "--quiet", "-o", "-"])
        .arg(root().join("tests/html/broken-markup.html"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(records(&out.stdout).len(), 1);
    assert!(!dir.path().join("-").exists());
}
