//! Any text as site.yaml: parsed and validated, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = steppe::config::Config::parse(text);
    }
});
