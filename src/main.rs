//! The `boilerstrip` command: parse arguments, build a `Cleaner`, run, map the outcome to an
//! exit code (0 all inputs cleaned, 1 some inputs failed, 2 usage or configuration error).

mod cli;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context, Result};
use clap::Parser;

use boilerstrip::compress::{open_reader, CompressedWriter, Compression};
use boilerstrip::emit::diff::DiffStyle;
use boilerstrip::emit::report::Report;
use boilerstrip::emit::Format;
use boilerstrip::input::{self, SiteFrom, WalkOptions};
use boilerstrip::jsonl::{run_jsonl, JsonlOptions};
use boilerstrip::learn::{learn_files, learn_jsonl};
use boilerstrip::run::{run, RunOptions};
use boilerstrip::site_stats::LineStats;
use boilerstrip::stage::model::LineModel;
use boilerstrip::stage::normalize::Form;
use boilerstrip::timings::{self, StageTimes};
use boilerstrip::{explain, Cleaner, Config, InputError, PatternsBuilder};
use cli::{
    CleanArgs, CleaningArgs, Cli, ColorArg, Command, DiffArgs, DiffFormatArg, ExplainArgs, FormatArg, InputArgs,
    LearnArgs, NormalizeArg, RecordArgs, SiteFromArg,
};

const EXIT_INPUT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
/// 128 + SIGINT, as shells report a process ended by Ctrl-C.
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    remove_temporary_files_on_signal();
    let outcome = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Diff(args) => diff(args),
        Command::Explain(args) => explain(args),
        Command::Learn(args) => learn(args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }

            eprintln!("boilerstrip: {err:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

/// Temporary files of this run, removed by the signal handler: Ctrl-C or SIGTERM ends the run
/// at once, leaving every output file as it was before the run and no litter beside it.
static TEMPORARY_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn remove_temporary_files_on_signal() {
    let handler = || {
        if let Ok(paths) = TEMPORARY_FILES.lock() {
            for path in paths.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        eprintln!("boilerstrip: interrupted; no output file was changed");
        std::process::exit(EXIT_INTERRUPTED.into());
    };
    // Without a handler the default action still ends the process; only the cleanup is lost.
    let _ = ctrlc::set_handler(handler);
}

fn build_cleaner(args: &CleaningArgs) -> Result<Cleaner> {
    let mut builder = if args.no_default_patterns { PatternsBuilder::empty() } else { PatternsBuilder::defaults() };
    for dir in &args.patterns {
        builder = builder.add_dir(dir)?;
    }
    let patterns = builder.build()?;
    let encoding = match &args.encoding {
        None => None,
        Some(label) => match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
            Some(encoding) => Some(encoding),
            None => bail!("unknown encoding label {label:?} (try utf-8, windows-1251, koi8-r, utf-16le)"),
        },
    };
    let form = match args.normalize {
        NormalizeArg::Nfc => Form::Nfc,
        NormalizeArg::Nfkc => Form::Nfkc,
        NormalizeArg::None => Form::None,
    };
    let site_stats = match &args.line_stats {
        None => None,
        Some(path) => {
            let mut file = io::BufReader::new(
                std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            );
            Some(Arc::new(LineStats::read_from(&mut file).with_context(|| path.display().to_string())?))
        }
    };
    let mut config =
        Config { form, encoding, max_bytes: args.max_bytes, site_stats, min_docs: args.min_docs, ..Config::default() };
    if let Some(path) = &args.model {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let model = LineModel::from_json(&text).with_context(|| path.display().to_string())?;
        config.classify.model = Arc::new(model);
    }
    Ok(Cleaner::new(patterns, config))
}

fn clean(args: CleanArgs) -> Result<ExitCode> {
    let stage_times = args.timings.then(|| Arc::new(StageTimes::default()));
    let mut cleaner = build_cleaner(&args.cleaning)?;
    if let Some(times) = &stage_times {
        cleaner = cleaner.with_timings(times.clone());
    }
    let code = clean_with(&cleaner, &args)?;
    if let Some(times) = stage_times {
        eprint!("{}", times.table(timings::process_cpu_seconds()));
    }
    Ok(code)
}

fn clean_with(cleaner: &Cleaner, args: &CleanArgs) -> Result<ExitCode> {
    if args.dump_patterns {
        let mut out = BufWriter::new(io::stdout().lock());
        for listed in cleaner.patterns().listing() {
            writeln!(out, "{}\t{}\t{}\t{}", listed.kind, listed.lang, listed.origin, listed.pattern)?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.jsonl {
        return clean_jsonl(cleaner, args);
    }
    let format = match args.format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Text => Format::Text,
    };
    let mut report = args.report.as_ref().map(|_| Report::default());
    let code = run_inputs(
        cleaner,
        &args.paths,
        &args.input,
        format,
        args.removed,
        report.as_mut(),
        site_from(&args.cleaning),
    )?;
    if let (Some(path), Some(report)) = (&args.report, report) {
        let mut file = AtomicFile::create(path)?;
        file.writer
            .write_all(report.render_html().as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        file.commit()?;
    }
    Ok(code)
}

/// `clean --jsonl`: every input is a JSONL stream; records come out in order, one per line.
fn clean_jsonl(cleaner: &Cleaner, args: &CleanArgs) -> Result<ExitCode> {
    if matches!(args.format, FormatArg::Text) || args.report.is_some() {
        bail!("--jsonl writes JSONL records: --format text and --report do not apply");
    }
    set_threads(args.input.threads)?;
    let options = JsonlOptions {
        id_field: args.id_field.clone(),
        output_key: args.output_key.clone(),
        include_removed: args.removed,
        ..jsonl_options(&args.record)
    };
    let mut errors = ErrorLog::create(args.input.errors.as_deref())?;
    let mut out_file = match &args.input.output {
        Some(path) => Some((AtomicFile::create(path)?, Compression::of(path))),
        None => None,
    };
    let mut out: CompressedWriter<Box<dyn Write + '_>> = match out_file.as_mut() {
        Some((file, compression)) => {
            let target: Box<dyn Write + '_> = Box::new(&mut file.writer);
            CompressedWriter::new(target, *compression)?
        }
        None => {
            let target: Box<dyn Write + '_> = Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock()));
            CompressedWriter::new(target, Compression::None)?
        }
    };
    let failed = for_each_stream(&args.paths, &mut errors, |source, reader, errors| {
        let mut on_error = |source: &str, err: &InputError| errors.report(source, err);
        let summary = run_jsonl(cleaner, reader, source, &mut out, &mut on_error, &options)
            .with_context(|| format!("cleaning {source}"))?;
        Ok(summary.failed)
    })?;
    out.finish()?.flush()?;
    if let Some((file, _)) = out_file {
        file.commit()?;
    }
    errors.commit()?;
    Ok(if failed > 0 { ExitCode::from(EXIT_INPUT_FAILED) } else { ExitCode::SUCCESS })
}

fn set_threads(threads: Option<usize>) -> Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("cannot start worker threads")?;
    }
    Ok(())
}

fn site_from(args: &CleaningArgs) -> SiteFrom {
    match args.site_from {
        SiteFromArg::Folder => SiteFrom::Folder,
        SiteFromArg::Detected => SiteFrom::Detected,
    }
}

/// Runs `each` on every JSONL stream of `paths` (with its source name); a stream that cannot be
/// opened is reported and counted as failed. Returns the failures.
fn for_each_stream(
    paths: &[PathBuf],
    errors: &mut ErrorLog,
    mut each: impl FnMut(&str, Box<dyn io::BufRead>, &mut ErrorLog) -> Result<usize>,
) -> Result<usize> {
    let mut failed = 0;
    for path in paths {
        let source = path.display().to_string();
        match jsonl_reader(path) {
            Ok(reader) => failed += each(&source, reader, errors)?,
            Err(err) => {
                errors.report(&source, &err);
                failed += 1;
            }
        }
    }
    Ok(failed)
}

/// A JSONL stream: stdin for `-`, else the file, decompressed by its extension.
fn jsonl_reader(path: &Path) -> Result<Box<dyn io::BufRead>, InputError> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::BufReader::with_capacity(1 << 20, io::stdin())));
    }
    open_reader(path).map(|reader| reader as Box<dyn io::BufRead>).map_err(|err| {
        if err.kind() == io::ErrorKind::NotFound {
            InputError::NotFound
        } else {
            InputError::Unreadable(err)
        }
    })
}

fn jsonl_options(record: &RecordArgs) -> JsonlOptions {
    JsonlOptions {
        text_field: record.text_field.clone(),
        site_field: record.site_field.clone(),
        url_field: record.url_field.clone(),
        ..JsonlOptions::default()
    }
}

/// `learn`: site statistics from pages or JSONL records, or the sum of statistics files.
fn learn(args: LearnArgs) -> Result<ExitCode> {
    let Some(output) = &args.input.output else { bail!("learn needs -o FILE for the statistics") };
    let cleaner = build_cleaner(&args.cleaning)?;
    set_threads(args.input.threads)?;
    let mut errors = ErrorLog::create(args.input.errors.as_deref())?;
    let mut stats = LineStats::new();
    let mut failed = 0;
    if args.merge {
        for path in &args.paths {
            let mut file = io::BufReader::new(
                std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            );
            stats.merge(&LineStats::read_from(&mut file).with_context(|| path.display().to_string())?);
        }
    } else if args.jsonl {
        let options = jsonl_options(&args.record);
        failed += for_each_stream(&args.paths, &mut errors, |source, reader, errors| {
            let (one, summary) =
                learn_jsonl(&cleaner, reader, source, &options, &mut |source, err| errors.report(source, err))
                    .with_context(|| format!("reading {source}"))?;
            stats.merge(&one);
            Ok(summary.failed)
        })?;
    } else {
        let walk = WalkOptions { hidden: args.input.hidden, globs: args.input.glob.clone() };
        let inputs = input::collect(&args.paths, &walk).context("bad --glob")?;
        let (one, summary) =
            learn_files(&cleaner, inputs, site_from(&args.cleaning), &mut |source, err| errors.report(source, err))?;
        stats.merge(&one);
        failed += summary.failed;
    }
    let mut file = AtomicFile::create(output)?;
    stats.write_to(&mut file.writer).with_context(|| format!("writing {}", output.display()))?;
    file.commit()?;
    errors.commit()?;
    Ok(if failed > 0 { ExitCode::from(EXIT_INPUT_FAILED) } else { ExitCode::SUCCESS })
}

/// Failed inputs: a line on stderr each, and a JSON record each in `--errors FILE`.
struct ErrorLog {
    file: Option<AtomicFile>,
}

impl ErrorLog {
    fn create(path: Option<&Path>) -> Result<Self> {
        Ok(Self { file: path.map(AtomicFile::create).transpose()? })
    }

    fn report(&mut self, source: &str, err: &InputError) {
        eprintln!("boilerstrip: {source}: {err}");
        if let Some(file) = self.file.as_mut() {
            let record = serde_json::json!({"source": source, "kind": err.kind(), "error": err.to_string()});
            // A failure to log an error must not hide the error itself, which is on stderr.
            let _ = writeln!(file.writer, "{record}");
        }
    }

    fn commit(self) -> Result<()> {
        self.file.map_or(Ok(()), AtomicFile::commit)
    }
}

fn diff(args: DiffArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner(&args.cleaning)?;
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            args.input.output.is_none()
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let style = DiffStyle { only_removed: args.only_removed, context: args.context, color };
    let format = match args.format {
        DiffFormatArg::Text => Format::Diff(style),
        DiffFormatArg::Json => Format::DiffEvents(style),
    };
    run_inputs(&cleaner, &args.paths, &args.input, format, false, None, site_from(&args.cleaning))
}

fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner(&args.cleaning)?;
    let text = match (&args.text, &args.file, args.line) {
        (Some(text), _, _) => explain::explain_line(&cleaner, text, &args.lang),
        (None, Some(path), Some(line)) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let source = path.display().to_string();
            match explain::explain_in_page(&cleaner, &source, &bytes, line) {
                Ok(text) => text,
                Err(problem) => {
                    eprintln!("boilerstrip: {problem}");
                    return Ok(ExitCode::from(EXIT_INPUT_FAILED));
                }
            }
        }
        _ => bail!("give a line of text, or --file and --line"),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Walks `paths`, cleans every input and writes each rendered in `format`, to `--output` or
/// stdout; failures go to stderr and `--errors`.
fn run_inputs(
    cleaner: &Cleaner,
    paths: &[PathBuf],
    args: &InputArgs,
    format: Format,
    include_removed: bool,
    report: Option<&mut Report>,
    site_from: SiteFrom,
) -> Result<ExitCode> {
    set_threads(args.threads)?;
    let walk = WalkOptions { hidden: args.hidden, globs: args.glob.clone() };
    let inputs = input::collect(paths, &walk).context("bad --glob")?;
    let options = RunOptions {
        format,
        include_removed,
        progress: !args.quiet && io::stderr().is_terminal(),
        batch_size: 0,
        site_from,
    };

    let mut errors = ErrorLog::create(args.errors.as_deref())?;
    let mut on_error = |source: &str, err: &InputError| errors.report(source, err);

    let summary = match &args.output {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            let mut out = CompressedWriter::new(&mut file.writer, Compression::of(path))?;
            let summary = run(cleaner, inputs, &mut out, &mut on_error, &options, report)
                .with_context(|| format!("writing {}", path.display()))?;
            out.finish()?;
            file.commit()?;
            summary
        }
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            run(cleaner, inputs, &mut out, &mut on_error, &options, report).context("writing to stdout")?
        }
    };
    errors.commit()?;
    Ok(if summary.failed > 0 { ExitCode::from(EXIT_INPUT_FAILED) } else { ExitCode::SUCCESS })
}

/// A file written under a temporary name in the same folder and renamed into place on
/// `commit`: readers never see a half-written file, and an interrupted run leaves any earlier
/// file of that name untouched.
struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    fn create(path: &Path) -> Result<Self> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".boilerstrip-").suffix(".tmp");
        // A temporary file is private (0600) by default; the output is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        // Created and registered under the lock the signal handler takes, so a signal cannot
        // fall between the two and leave an unregistered file behind.
        let mut registered = TEMPORARY_FILES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let temp = builder.tempfile_in(dir).with_context(|| format!("cannot create a file in {}", dir.display()))?;
        registered.push(temp.path().to_path_buf());
        drop(registered);
        Ok(Self { path: path.to_path_buf(), writer: BufWriter::with_capacity(1 << 16, temp) })
    }

    fn commit(self) -> Result<()> {
        let temp = self
            .writer
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", self.path.display()))?;
        temp.as_file().sync_all().ok();
        temp.persist(&self.path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}
