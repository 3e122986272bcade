//! steppe: a static site generator for multilingual documentation.
//!
//! The build is a pipeline of stages, each a function from one value to the next:
//! config → content loading → Markdown rendering → site model → templates → output files
//! (+ search index) → writer. `watch` reuses the same functions.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod markdown;
pub mod operators;
pub mod output;
pub mod render;
pub mod search;
pub mod site;
pub mod urls;
pub mod watch;
