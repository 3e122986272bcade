//! steppe: a static site generator for multilingual documentation.
//!
//! The build is a pipeline of stages, each a function from one value to the next:
//! config → content loading → Markdown rendering → site model → templates → output files
//! (+ search index) → writer. `watch` reuses the same functions.

pub mod build;
pub mod check;
pub mod cli;
pub(crate) mod cold_io;
pub(crate) mod collections;
pub mod config;
pub mod content;
pub(crate) mod diagnostics;
pub(crate) mod i18n;
pub mod init;
pub(crate) mod locale;
pub mod markdown;
pub(crate) mod output;
pub mod render;
mod safe_url;
pub mod search;
pub(crate) mod site;
pub(crate) mod swar;
pub(crate) mod theme_files;
pub mod urls;
pub mod watch;
