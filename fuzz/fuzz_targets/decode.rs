//! Any bytes through decode, detected and with every forced encoding, the Kazakh single-byte
//! ones included: must not panic, and every replacement counted must be a U+FFFD in the
//! text (which may hold U+FFFD of its own).
#![no_main]

use boilerstrip::stage::decode::{decode, Charset, KZ_1048, PT154};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let forced = [
        None,
        Some(Charset::Kazakh(&KZ_1048)),
        Some(Charset::Kazakh(&PT154)),
        Some(Charset::Whatwg(encoding_rs::WINDOWS_1251)),
        Some(Charset::Whatwg(encoding_rs::UTF_16LE)),
    ];
    for charset in forced {
        if let Ok(decoded) = decode(data, charset) {
            let replacements = decoded.text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
            assert!(decoded.replacements <= replacements, "{charset:?}");
        }
    }
});
