//! Any bytes as a content file: front matter split, YAML parsed, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = steppe::content::parse_file(Path::new("content/en/fuzz.md"), data);
});
