//! Any text through the HTML parser and its tree: must not panic or hang, and what comes out is
//! lines of words, none blank, none with spaces at its ends or two in a row.
#![no_main]

use boilerstrip::stage::html;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = html::to_text(&String::from_utf8_lossy(data));
    assert!(text.is_empty() || text.ends_with('\n'));
    for line in text.lines() {
        assert!(!line.is_empty() && line.trim() == line && !line.contains("  "), "{line:?}");
    }
});
