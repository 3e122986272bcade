//! Rebuilds the binary when the built-in theme changes: include_dir tracks the files it embeds
//! (through include_bytes!) but, on stable Rust, not files added to or removed from the folder.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
