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
    /// Show what cleaning removes from each page, line by line, with the rule that removed it.
    Diff(DiffArgs),
    /// Explain which rules and features decide a line, and why it is kept or removed.
    Explain(ExplainArgs),
    /// Count, per site, how many documents contain each line (for `clean --line-stats`).
    Learn(LearnArgs),
}

/// Options that change how pages are cleaned; shared by every command that cleans.
#[derive(Debug, Args)]
pub struct CleaningArgs {
    /// Decode every input with this encoding (a WHATWG label: windows-1251, koi8-r, utf-16le...;
    /// or kz-1048, pt154).
    #[arg(long, value_name = "LABEL", help_heading = "Cleaning")]
    pub encoding: Option<String>,

    /// Read pages as text or as HTML; `auto` takes a `.html`/`.htm`/`.xhtml` file, or a page (or
    /// a JSONL record's text) that starts with `<!doctype html`, `<html` or `<head`, for HTML.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto, help_heading = "Cleaning")]
    pub input_format: InputFormatArg,

    /// Unicode normalisation form.
    #[arg(long = "normalize", value_enum, default_value_t = NormalizeArg::Nfc, help_heading = "Cleaning")]
    pub normalize: NormalizeArg,

    /// Add the pattern files in this folder (`<lang>/<kind>.txt`) to the defaults. Repeatable.
    #[arg(long = "patterns", value_name = "DIR", help_heading = "Patterns")]
    pub patterns: Vec<PathBuf>,

    /// Start from no patterns: only those given with --patterns apply.
    #[arg(long, help_heading = "Patterns")]
    pub no_default_patterns: bool,

    /// Score lines with this line model (as written by examples/train_line_model.rs) instead
    /// of the built-in one.
    #[arg(long, value_name = "FILE", help_heading = "Patterns")]
    pub model: Option<PathBuf>,

    /// Skip documents larger than this many bytes, with an error.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024, help_heading = "Input")]
    pub max_bytes: u64,

    /// Remove lines repeated across the documents of a site, counted by `boilerstrip learn`.
    #[arg(long, value_name = "FILE", help_heading = "Site statistics")]
    pub line_stats: Option<PathBuf>,

    /// With --line-stats: a line in at least this many documents of its site is boilerplate.
    #[arg(long, value_name = "N", default_value_t = 3, help_heading = "Site statistics")]
    pub min_docs: u32,

    /// A page's site: the name of its folder, or the site name the page shows. (JSONL records
    /// use --site-field or --url-field, else the site the page shows.)
    #[arg(long, value_enum, default_value_t = SiteFromArg::Folder, help_heading = "Site statistics")]
    pub site_from: SiteFromArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SiteFromArg {
    Folder,
    Detected,
}

/// Where JSONL records keep their fields.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The field holding the page text (replaced by the clean text in `clean --jsonl`).
    #[arg(long, value_name = "NAME", default_value = "text", help_heading = "JSONL")]
    pub text_field: String,

    /// The field holding the page's HTML, as crawl JSONL carries it: read as HTML whatever it
    /// starts with, and replaced by the clean text (instead of --text-field).
    #[arg(long, value_name = "NAME", conflicts_with = "text_field", help_heading = "JSONL")]
    pub html_field: Option<String>,

    /// The field naming a record's site, for site statistics (else the host of --url-field).
    #[arg(long, value_name = "NAME", default_value = "site", help_heading = "JSONL")]
    pub site_field: String,

    /// The field holding a record's URL.
    #[arg(long, value_name = "NAME", default_value = "url", help_heading = "JSONL")]
    pub url_field: String,
}

/// How inputs are found and processed.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Worker threads (default: all cores). Output is the same for any value.
    #[arg(short = 'j', long, value_name = "N", help_heading = "Input")]
    pub threads: Option<usize>,

    /// Also clean hidden files and folders.
    #[arg(long, help_heading = "Input")]
    pub hidden: bool,

    /// Only clean files matching this glob (e.g. '*.txt'). Repeatable.
    #[arg(long, value_name = "GLOB", help_heading = "Input")]
    pub glob: Vec<String>,

    /// Also write a JSON line per failed input (source, kind, error) to this file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub errors: Option<PathBuf>,

    /// No progress bar.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Write here instead of stdout (via a temporary file renamed at the end); `-` is stdout.
    #[arg(short, long, help_heading = "Output")]
    pub output: Option<PathBuf>,
}

impl InputArgs {
    /// The output file; none for stdout, asked for by leaving `-o` out or by `-o -`.
    pub fn output(&self) -> Option<&std::path::Path> {
        self.output.as_deref().filter(|path| path.as_os_str() != "-")
    }
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or folders to clean; `-` reads one page from stdin.
    #[arg(required_unless_present = "dump_patterns")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Jsonl, help_heading = "Output")]
    pub format: FormatArg,

    /// What stands between two documents in --format text.
    #[arg(long, value_enum, default_value_t = SeparatorArg::Formfeed, help_heading = "Output")]
    pub separator: SeparatorArg,

    /// Add the removed lines, with line numbers and rules, to each record.
    #[arg(long, help_heading = "Output")]
    pub removed: bool,

    /// Also write a self-contained HTML report of the run (charts, rules, per-document diffs).
    #[arg(long, value_name = "FILE.html", help_heading = "Output")]
    pub report: Option<PathBuf>,

    /// At the end, print to stderr where the time went: the time each stage took (read, decode,
    /// normalize, segment, classify, metadata, render, write), summed over the threads, and its
    /// share of the process's CPU time.
    #[arg(long, help_heading = "Output")]
    pub timings: bool,

    /// Print every pattern in effect (kind, language, origin, pattern) and exit.
    #[arg(long, help_heading = "Patterns")]
    pub dump_patterns: bool,

    /// The inputs are JSONL streams (files, or `-` for stdin): clean each record's text field.
    #[arg(long, help_heading = "JSONL")]
    pub jsonl: bool,

    /// The field holding the record id (kept as is).
    #[arg(long, value_name = "NAME", default_value = "id", requires = "jsonl", help_heading = "JSONL")]
    pub id_field: String,

    /// The key under which title, date, lang, stats... are added to each record.
    #[arg(long, value_name = "NAME", default_value = "boilerstrip", requires = "jsonl", help_heading = "JSONL")]
    pub output_key: String,

    #[command(flatten)]
    pub record: RecordArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub cleaning: CleaningArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Files or folders; `-` reads one page from stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Show only the removed lines.
    #[arg(long, help_heading = "Output")]
    pub only_removed: bool,

    /// Show removed lines with N kept lines of context around them (default: every line).
    #[arg(short = 'C', long, value_name = "N", help_heading = "Output")]
    pub context: Option<usize>,

    /// `text` for people, `json` for machines (one event per line).
    #[arg(long, value_enum, default_value_t = DiffFormatArg::Text, help_heading = "Output")]
    pub format: DiffFormatArg,

    /// Colour: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, help_heading = "Output")]
    pub color: ColorArg,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub cleaning: CleaningArgs,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["text", "file"]))]
pub struct ExplainArgs {
    /// The line to explain, on its own.
    pub text: Option<String>,

    /// Language whose stopwords apply to a line given on its own.
    #[arg(long, default_value = "en", conflicts_with = "file")]
    pub lang: String,

    /// Explain a line of this page, in its context.
    #[arg(long, requires = "line")]
    pub file: Option<PathBuf>,

    /// The line number (1-based) in --file.
    #[arg(long, value_name = "N", requires = "file")]
    pub line: Option<usize>,

    #[command(flatten)]
    pub cleaning: CleaningArgs,
}

#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Folders or files of pages (a page's site is its folder's name), JSONL streams with
    /// --jsonl, or statistics files with --merge.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// The inputs are statistics files to add up (the merge is exact, in any order).
    #[arg(long, conflicts_with = "jsonl")]
    pub merge: bool,

    /// The inputs are JSONL streams (`.gz` and `.zst` are decompressed).
    #[arg(long)]
    pub jsonl: bool,

    #[command(flatten)]
    pub record: RecordArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub cleaning: CleaningArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One JSON record per page.
    Jsonl,
    /// Only the clean text.
    Text,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SeparatorArg {
    /// A line holding a form feed (U+000C).
    Formfeed,
    /// An empty line.
    Blank,
    /// A NUL byte.
    Nul,
    /// Nothing.
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormatArg {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormatArg {
    Auto,
    Text,
    Html,
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
