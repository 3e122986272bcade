//! Command-line arguments (clap derive) and their translation into build options.

use crate::build::BuildOptions;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "steppe",
    version,
    about = "A static site generator for multilingual documentation"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output directory (public/ by default).
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder (with site.yaml, content/ and themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output directory, relative to the current directory [default: site.yaml's output_dir].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Override site.yaml's base_url (e.g. https://example.org/guide/).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Replace a non-empty output directory that steppe did not make.
    #[arg(long)]
    pub force: bool,
}

impl From<&BuildArgs> for BuildOptions {
    fn from(a: &BuildArgs) -> Self {
        BuildOptions {
            root: a.root.clone(),
            out: a.out.clone(),
            drafts: a.drafts,
            base_url: a.base_url.clone(),
            force: a.force,
        }
    }
}
