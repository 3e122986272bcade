//! Command-line arguments (clap derive) and their translation into build options.

use crate::build::BuildOptions;
use crate::watch::WatchOptions;
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
    /// Print only errors and warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output directory (public/ by default).
    Build(BuildArgs),
    /// Rebuild on every save and serve the site with live reload.
    #[command(visible_alias = "serve")]
    Watch(WatchArgs),
    /// Report every problem of the site without writing it (exit 1 on errors).
    Check(CheckArgs),
    /// Write a starter site (site.yaml and a page per language) into DIR.
    Init(InitArgs),
    /// Work with the built-in theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script: `steppe completions bash > ~/.local/share/bash-completion/completions/steppe`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create or fill.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Language codes, the default first.
    #[arg(short, long, value_delimiter = ',', default_value = "en")]
    pub languages: Vec<String>,
    /// Write into a folder that already has files (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy the built-in theme into DIR to edit it; the site uses the copy's files over the
    /// built-in ones.
    Eject {
        /// Where to put it.
        #[arg(default_value = "themes/default")]
        dir: PathBuf,
        /// Write into a folder that already has files.
        #[arg(long)]
        force: bool,
    },
}

/// The subcommand meant by a word clap cannot match by spelling (`new` is far from `init`).
pub fn meant_subcommand(word: &str) -> Option<&'static str> {
    match word {
        "new" | "create" | "start" | "setup" => Some("init"),
        "server" | "dev" | "preview" | "run" => Some("serve"),
        "compile" | "generate" | "make" => Some("build"),
        "completion" | "complete" => Some("completions"),
        "eject" => Some("theme eject"),
        _ => None,
    }
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port of the preview server; 0 picks a free one.
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address of the preview server.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Only write the output; do not serve it.
    #[arg(long)]
    pub no_serve: bool,
    /// Poll for changes, for file systems where events do not arrive (network, VM shares).
    #[arg(long)]
    pub poll: bool,
    /// Milliseconds of quiet after an event before rebuilding.
    #[arg(long, default_value_t = 10)]
    pub debounce: u64,
    /// List the pages each rebuild renders.
    #[arg(long)]
    pub verbose: bool,
}

impl From<&WatchArgs> for WatchOptions {
    fn from(a: &WatchArgs) -> Self {
        WatchOptions {
            root: a.site.root.clone(),
            out: a.site.out.clone(),
            drafts: a.site.drafts,
            port: a.port,
            bind: a.bind,
            open: a.open,
            serve: !a.no_serve,
            poll: a.poll,
            debounce: std::time::Duration::from_millis(a.debounce),
            verbose: a.verbose,
            quiet: false,
        }
    }
}

/// Where the site is and where it goes; shared by `build` and `watch`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's folder (with site.yaml, content/ and themes/).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Output directory, relative to the current directory [default: site.yaml's output_dir].
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Override site.yaml's base_url (e.g. https://example.org/guide/); checked like it.
    #[arg(long, value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Replace a non-empty output directory that steppe did not make.
    #[arg(long)]
    pub force: bool,
}

/// `--base-url` must be what site.yaml's `base_url` must be; an empty value means none.
fn parse_base_url(value: &str) -> Result<String, String> {
    if !value.is_empty() {
        crate::config::check_base_url(value)?;
    }
    Ok(value.to_owned())
}

impl From<&BuildArgs> for BuildOptions {
    fn from(a: &BuildArgs) -> Self {
        BuildOptions {
            root: a.site.root.clone(),
            out: a.site.out.clone(),
            drafts: a.site.drafts,
            base_url: a.base_url.clone(),
            force: a.force,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder (with site.yaml, content/ and themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also request every external URL (cached for a day in .steppe-cache/links.json).
    #[arg(long)]
    pub external: bool,
    /// Report `reviewed` dates older than this many days [default: site.yaml's
    /// review_max_age_days, else 365].
    #[arg(long, value_name = "DAYS")]
    pub max_age: Option<u32>,
    /// How to print the report.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::check::Format,
    /// Stamp translations as up to date with their source: the FILES named, else every
    /// translation without a stamp.
    #[arg(long)]
    pub fix_translated: bool,
    /// Translations to stamp (with --fix-translated).
    #[arg(value_name = "FILES", requires = "fix_translated")]
    pub files: Vec<PathBuf>,
    /// Per-request timeout of --external in milliseconds (for tests).
    #[arg(long, hide = true, default_value_t = 10_000)]
    pub timeout_ms: u64,
}

impl From<&CheckArgs> for crate::check::CheckOptions {
    fn from(a: &CheckArgs) -> Self {
        crate::check::CheckOptions {
            root: a.root.clone(),
            external: a.external,
            max_age_days: a.max_age,
            fix_translated: a.fix_translated.then(|| a.files.clone()),
            timeout: std::time::Duration::from_millis(a.timeout_ms),
        }
    }
}
