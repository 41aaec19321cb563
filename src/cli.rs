//! Command-line arguments. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "boilerstrip", version, about = "Turn folders of scraped web text into clean, analysis-ready JSONL.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean pages: files, folders (recursively) or `-` for stdin; one JSONL record per page.
    Clean(CleanArgs),
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or folders to clean; `-` reads one page from stdin.
    #[arg(required_unless_present = "dump_patterns")]
    pub paths: Vec<PathBuf>,

    /// Write here instead of stdout (via a temporary file renamed at the end).
    #[arg(short, long, help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Jsonl, help_heading = "Output")]
    pub format: FormatArg,

    /// Add the removed lines, with line numbers and rules, to each record.
    #[arg(long, help_heading = "Output")]
    pub removed: bool,

    /// Also write a JSON line per failed input (source, kind, error) to this file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub errors: Option<PathBuf>,

    /// No progress bar.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Decode every input with this encoding (a WHATWG label: windows-1251, koi8-r, utf-16le...).
    #[arg(long, value_name = "LABEL", help_heading = "Cleaning")]
    pub encoding: Option<String>,

    /// Unicode normalisation form.
    #[arg(long = "normalize", value_enum, default_value_t = NormalizeArg::Nfc, help_heading = "Cleaning")]
    pub normalize: NormalizeArg,

    /// Add the pattern files in this folder (`<lang>/<kind>.txt`) to the defaults. Repeatable.
    #[arg(long = "patterns", value_name = "DIR", help_heading = "Patterns")]
    pub patterns: Vec<PathBuf>,

    /// Start from no patterns: only those given with --patterns apply.
    #[arg(long, help_heading = "Patterns")]
    pub no_default_patterns: bool,

    /// Print every pattern in effect (kind, language, origin, pattern) and exit.
    #[arg(long, help_heading = "Patterns")]
    pub dump_patterns: bool,

    /// Worker threads (default: all cores). Output is the same for any value.
    #[arg(short = 'j', long, value_name = "N", help_heading = "Input")]
    pub threads: Option<usize>,

    /// Also clean hidden files and folders.
    #[arg(long, help_heading = "Input")]
    pub hidden: bool,

    /// Only clean files matching this glob (e.g. '*.txt'). Repeatable.
    #[arg(long, value_name = "GLOB", help_heading = "Input")]
    pub glob: Vec<String>,

    /// Skip documents larger than this many bytes, with an error.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024, help_heading = "Input")]
    pub max_bytes: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One JSON record per page.
    Jsonl,
    /// Only the clean text.
    Text,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NormalizeArg {
    Nfc,
    Nfkc,
    None,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
