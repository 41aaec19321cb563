//! The seed pages saved in legacy encodings must clean to the same text and metadata as the
//! UTF-8 originals, and the record must name the encoding.

use boilerstrip::emit::Record;

use crate::util::*;

fn clean_file(path: &std::path::Path) -> Record {
    let output = boilerstrip().args(["clean", "--quiet"]).arg(path).output().unwrap();
    assert!(output.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
    records(&output.stdout).remove(0)
}

fn assert_same_result(original: &Record, variant: &Record, what: &str) {
    assert_same_lines(&original.text, &variant.text, what);
    assert_eq!(original.title, variant.title, "{what}: title");
    assert_eq!(original.date, variant.date, "{what}: date");
    assert_eq!(original.author, variant.author, "{what}: author");
    assert_eq!(original.site, variant.site, "{what}: site");
    assert_eq!(original.lang, variant.lang, "{what}: lang");
}

/// KOI8-R has no guillemets, curly quotes or dashes: the KOI8-R variant is compared with a
/// UTF-8 original that uses the same plain substitutes.
fn koi8_representable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '«' | '»' | '“' | '”' => '"',
            '’' => '\'',
            '—' => '-',
            '•' => '*',
            'é' => 'e',
            c => c,
        })
        .collect()
}

#[test]
fn legacy_encodings_give_the_utf8_result() {
    let dir = tempfile::tempdir().unwrap();
    for seed in seed_paths() {
        let name = seed.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&seed).unwrap();
        let original = clean_file(&seed);

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let variant = clean_file(&write(dir.path(), &format!("utf16/{name}"), &utf16));
        assert_eq!(variant.encoding, "UTF-16LE", "{name}");
        assert_same_result(&original, &variant, &format!("{name} as UTF-16LE"));

        let mut bom_crlf = b"\xEF\xBB\xBF".to_vec();
        bom_crlf.extend(text.replace('\n', "\r\n").into_bytes());
        let variant = clean_file(&write(dir.path(), &format!("bom/{name}"), &bom_crlf));
        assert_eq!(variant.encoding, "UTF-8", "{name}");
        assert_same_result(&original, &variant, &format!("{name} as UTF-8 with BOM and CRLF"));

        let (cp1251, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
        let has_cyrillic = text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        if !unmappable && has_cyrillic {
            let variant = clean_file(&write(dir.path(), &format!("cp1251/{name}"), &cp1251));
            assert_eq!(variant.encoding, "windows-1251", "{name}");
            assert_same_result(&original, &variant, &format!("{name} as windows-1251"));
        }

        if has_cyrillic {
            let plain = koi8_representable(&text);
            let (koi8, _, unmappable) = encoding_rs::KOI8_R.encode(&plain);
            assert!(!unmappable, "{name}: substitutes leave characters KOI8-R lacks");
            let plain_original = clean_file(&write(dir.path(), &format!("plain/{name}"), plain.as_bytes()));
            let variant = clean_file(&write(dir.path(), &format!("koi8/{name}"), &koi8));
            assert_eq!(variant.encoding, "KOI8-R", "{name}");
            assert_same_result(&plain_original, &variant, &format!("{name} as KOI8-R"));
        }
    }
}

#[test]
fn forced_encoding_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Привет, мир. Это проверка кодировки страницы.");
    let path = write(dir.path(), "page.txt", &bytes);
    let output = boilerstrip().args(["clean", "--quiet", "--encoding", "koi8-r"]).arg(&path).output().unwrap();
    assert_eq!(records(&output.stdout)[0].encoding, "KOI8-R");
    let output = boilerstrip().args(["clean", "--quiet", "--encoding", "no-such-thing"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown encoding label"));
}

/// Python's standard codecs are the public mappings the Kazakh tables were made from. Skipped
/// without python3, except where BOILERSTRIP_REQUIRE_EVAL is set (as in CI).
fn python_codec(script: &str, input: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        assert!(std::env::var_os("BOILERSTRIP_REQUIRE_EVAL").is_none(), "python3 is missing");
        report_skip("kazakh codecs", "no python3 to compare the tables with");
        return None;
    };
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(output.stdout)
}

const KAZAKH_PAGE: &str = "Басты бет\nЖаңалықтар\nСаясат\n\n\
    Үкімет отырысында жылу маусымына дайындық қаралды\n\n\
    Қазақстан Республикасының Премьер-Министрі бүгін Үкімет отырысында өңірлердегі жылу маусымына дайындық барысын \
    қарады. Энергетика министрінің айтуынша, елдегі жылу электр орталықтарының басым бөлігі жөндеуден өтіп, күзгі-қысқы \
    кезеңге әзір.\n\n\
    Мемлекет басшысы шағын және орта кәсіпкерлікті қолдау, ауыл шаруашылығы өнімдерінің бағасын тұрақтандыру және \
    азық-түлік қауіпсіздігін қамтамасыз ету мәселелеріне ерекше назар аударуды тапсырды. Сондай-ақ әкімдіктерге \
    тұрғындардың өтініштерін уақтылы қарау жүктелді.\n\n\
    Тағы оқыңыз: Ақмола облысында жаңа мектеп ашылды\n";

#[test]
fn kazakh_pages_in_kz_1048_and_pt154_decode_as_kazakh() {
    let dir = tempfile::tempdir().unwrap();
    let original = clean_file(&write(dir.path(), "utf8.txt", KAZAKH_PAGE.as_bytes()));
    assert!(original.text.contains("Қазақстан Республикасының"), "{}", original.text);
    for (codec, name) in [("kz1048", "KZ-1048"), ("ptcp154", "PT154")] {
        let script = format!("import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode().encode('{codec}'))");
        let Some(bytes) = python_codec(&script, KAZAKH_PAGE.as_bytes()) else { return };
        let path = write(dir.path(), &format!("{codec}.txt"), &bytes);
        let variant = clean_file(&path);
        assert_eq!(variant.encoding, name);
        assert_same_result(&original, &variant, name);
        for label in ["rk1048", "strk1048-2002", "pt154"] {
            let output = boilerstrip().args(["clean", "--quiet", "--encoding", label]).arg(&path).output().unwrap();
            assert!(output.status.success(), "{label}");
            let expected = if label == "pt154" { "PT154" } else { "KZ-1048" };
            assert_eq!(records(&output.stdout)[0].encoding, expected, "{label}");
        }
    }
}

#[test]
fn kazakh_tables_match_the_public_codecs() {
    use boilerstrip::stage::decode::{KZ_1048, PT154};
    let high: Vec<u8> = (0x80..=0xFF).collect();
    for (codec, encoding) in [("kz1048", &KZ_1048), ("ptcp154", &PT154)] {
        let script =
            format!("import sys; sys.stdout.write(sys.stdin.buffer.read().decode('{codec}', errors='replace'))");
        let Some(expected) = python_codec(&script, &high) else { return };
        assert_eq!(encoding.decode(&high).0, String::from_utf8(expected).unwrap(), "{codec}");
    }
}
