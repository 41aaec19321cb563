//! Any bytes through decode, HTML, normalise, segment, classify and metadata: must not panic or
//! hang, and what comes out must be lines of the (normalised) input, or of an HTML page's text.
#![no_main]

use std::sync::OnceLock;

use boilerstrip::stage::html::{self, InputFormat};
use boilerstrip::stage::normalize::{normalize, Form};
use boilerstrip::{Cleaner, Config, PatternsBuilder};
use libfuzzer_sys::fuzz_target;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default()))
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = cleaner().clean_bytes("fuzz", "fuzz", data) else { return };
    let text = doc.text();
    if text.is_empty() {
        return;
    }
    // Decoded as cleaning decodes it: an HTML page by its `<meta>` charset.
    let decoded = cleaner().decode("fuzz", data).unwrap();
    // An HTML page's lines come from the text of its markup.
    let input = if InputFormat::Auto.reads_as_html("fuzz", decoded.text.as_bytes()) {
        html::to_text(&decoded.text)
    } else {
        decoded.text
    };
    let normalized = normalize(&input, Form::Nfc);
    for line in text.lines().filter(|l| !l.is_empty()) {
        assert!(normalized.contains(line), "output line not in input: {line:?}");
    }
});
