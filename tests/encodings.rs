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
