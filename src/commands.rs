//! The commands: each reads its arguments, runs the library over the inputs and says how it
//! went as an exit code.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use crate::cli::{
    CleanArgs, ColorArg, DiffArgs, DiffFormatArg, ExplainArgs, FormatArg, InputArgs, LearnArgs, SeparatorArg,
};
use crate::config::{build_cleaner, build_cleaner_with, jsonl_options, set_threads, site_from, Uses};
use crate::output::{with_output, AtomicFile, ErrorLog};
use boilerstrip::compress::open_reader;
use boilerstrip::emit::diff::DiffStyle;
use boilerstrip::emit::report::Report;
use boilerstrip::emit::{Format, TextSeparator};
use boilerstrip::input::{self, Input, SiteFrom, WalkOptions};
use boilerstrip::jsonl::{run_jsonl, JsonlOptions};
use boilerstrip::learn::{learn_files, learn_jsonl};
use boilerstrip::run::{run, RunOptions, Summary};
use boilerstrip::site_stats::LineStats;
use boilerstrip::timings::{self, StageTimes};
use boilerstrip::{explain, Cleaner, InputError};

/// Some inputs failed; the others are in the output.
const EXIT_INPUT_FAILED: u8 = 1;

pub fn clean(args: CleanArgs) -> Result<ExitCode> {
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
        FormatArg::Text => Format::Text(match args.separator {
            SeparatorArg::Formfeed => TextSeparator::FormFeed,
            SeparatorArg::Blank => TextSeparator::BlankLine,
            SeparatorArg::Nul => TextSeparator::Nul,
            SeparatorArg::None => TextSeparator::None,
        }),
    };
    let mut report = args.report.as_ref().map(|_| Report::new()).transpose().context("cannot start the report")?;
    // Created now, so that a report into a missing folder fails before any output is replaced.
    let report_file = args.report.as_deref().map(AtomicFile::create).transpose()?;
    let code = run_inputs(
        cleaner,
        &args.paths,
        &args.input,
        format,
        args.removed,
        report.as_mut().zip(args.report.as_deref()),
        site_from(&args.cleaning),
    )?;
    if let (Some(path), Some(report), Some(mut file)) = (&args.report, report, report_file) {
        report.write_html(&mut file.writer).with_context(|| format!("writing {}", path.display()))?;
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
        ..jsonl_options(&args.record, &args.cleaning)
    };
    if options.output_key == options.text_field {
        bail!("--output-key {:?} is the text field's name; choose another key", options.output_key);
    }
    let own_outputs = OwnOutputs::refused_among(&args.paths, &[args.input.output(), args.input.errors.as_deref()])?;
    let inputs = jsonl_inputs(&args.paths, &args.input, &own_outputs)?;
    let mut errors = ErrorLog::create(args.input.errors.as_deref())?;
    let summary = with_output(
        args.input.output(),
        |out| {
            for_each_stream(inputs, &mut errors, |source, reader, errors| {
                let mut on_error = |source: &str, err: &InputError| errors.report(source, err);
                run_jsonl(cleaner, reader, source, out, &mut on_error, &options)
                    .with_context(|| format!("cleaning {source}"))
            })
        },
        |summary| summary.documents == 0,
    )?;
    errors.commit()?;
    Ok(if summary.failed > 0 { ExitCode::from(EXIT_INPUT_FAILED) } else { ExitCode::SUCCESS })
}

/// The JSONL streams of `paths`: files, the files of folders (walked as `clean` walks them, so a
/// folder of part files is read in order), or `-`; without the run's own outputs.
fn jsonl_inputs(paths: &[PathBuf], input: &InputArgs, own_outputs: &OwnOutputs) -> Result<Vec<Input>> {
    let walk = WalkOptions { hidden: input.hidden, globs: input.glob.clone() };
    Ok(own_outputs.left_out_of(input::collect(paths, &walk).context("bad --glob")?))
}

/// Runs `each` on every JSONL stream of `inputs` (with its source name); a stream that cannot be
/// opened is reported and counted as failed. Returns what all of them did.
fn for_each_stream(
    inputs: Vec<Input>,
    errors: &mut ErrorLog,
    mut each: impl FnMut(&str, Box<dyn io::BufRead>, &mut ErrorLog) -> Result<Summary>,
) -> Result<Summary> {
    let mut total = Summary::default();
    for input in inputs {
        let source = input.source();
        let stream = match input {
            Input::File(path) => jsonl_reader(&path),
            Input::Stdin => jsonl_reader(Path::new("-")),
            Input::Failed(_, err) => Err(err),
        };
        match stream {
            Ok(reader) => {
                let summary = each(&source, reader, errors)?;
                total.documents += summary.documents;
                total.failed += summary.failed;
                total.bytes_in += summary.bytes_in;
            }
            Err(err) => {
                errors.report(&source, &err);
                total.failed += 1;
            }
        }
    }
    Ok(total)
}

/// The output files of a run that exist already, as the inputs must not name or hold them.
struct OwnOutputs(Vec<PathBuf>);

impl OwnOutputs {
    /// The outputs among `outputs` that exist, by their canonical paths. Refuses a run that
    /// would write over one of the `paths` it was given (`clean page.txt -o page.txt` would
    /// replace the page with its record).
    fn refused_among(paths: &[PathBuf], outputs: &[Option<&Path>]) -> Result<Self> {
        let outputs: Vec<PathBuf> =
            outputs.iter().flatten().filter_map(|path| std::fs::canonicalize(path).ok()).collect();
        for path in paths {
            if std::fs::canonicalize(path).is_ok_and(|input| outputs.contains(&input)) {
                bail!("{} is both an input and an output; refusing to write over it", path.display());
            }
        }
        Ok(Self(outputs))
    }

    /// `inputs` without these files, which a walk of an input folder finds there after an
    /// earlier run (`clean scraped/ -o scraped/out.jsonl` run twice).
    fn left_out_of(&self, inputs: Vec<Input>) -> Vec<Input> {
        if self.0.is_empty() {
            return inputs;
        }
        // Only a file of an output's name is looked up on disk: most runs have many inputs.
        let names: Vec<&std::ffi::OsStr> = self.0.iter().filter_map(|path| path.file_name()).collect();
        inputs
            .into_iter()
            .filter(|input| match input {
                Input::File(path) if path.file_name().is_some_and(|name| names.contains(&name)) => {
                    std::fs::canonicalize(path).map_or(true, |path| !self.0.contains(&path))
                }
                _ => true,
            })
            .collect()
    }
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

/// `learn`: site statistics from pages or JSONL records, or the sum of statistics files.
pub fn learn(args: LearnArgs) -> Result<ExitCode> {
    let Some(output) = args.input.output() else { bail!("learn needs -o FILE for the statistics") };
    // Pages take their site from their folder and need no patterns; records without a site
    // field, and --site-from page, are cleaned to find it.
    let uses =
        if args.jsonl || site_from(&args.cleaning) != SiteFrom::Folder { Uses::Patterns } else { Uses::LinesOnly };
    let cleaner = build_cleaner_with(&args.cleaning, uses)?;
    set_threads(args.input.threads)?;
    let mut errors = ErrorLog::create(args.input.errors.as_deref())?;
    // --merge reads its inputs whole before it writes, so `learn --merge all.bin new.bin -o
    // all.bin` adds to a file in place; pages and records are read while the output is written.
    let inputs_named = if args.merge { &[][..] } else { &args.paths[..] };
    let own_outputs = OwnOutputs::refused_among(inputs_named, &[Some(output), args.input.errors.as_deref()])?;
    // Created now, so that a missing folder fails before anything is read.
    let mut file = AtomicFile::create(output)?;
    let mut stats = LineStats::new();
    let mut failed = 0;
    let mut learned_nothing = false;
    if args.merge {
        for path in &args.paths {
            let mut file = io::BufReader::new(
                std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            );
            stats.merge(&LineStats::read_from(&mut file).with_context(|| path.display().to_string())?);
        }
    } else if args.jsonl {
        let options = jsonl_options(&args.record, &args.cleaning);
        let inputs = jsonl_inputs(&args.paths, &args.input, &own_outputs)?;
        let summary = for_each_stream(inputs, &mut errors, |source, reader, errors| {
            let (one, summary) =
                learn_jsonl(&cleaner, reader, source, &options, &mut |source, err| errors.report(source, err))
                    .with_context(|| format!("reading {source}"))?;
            stats.merge(&one);
            Ok(summary)
        })?;
        failed += summary.failed;
        learned_nothing = summary.documents == 0;
    } else {
        let walk = WalkOptions { hidden: args.input.hidden, globs: args.input.glob.clone() };
        let inputs = input::collect(&args.paths, &walk).context("bad --glob")?;
        let inputs = own_outputs.left_out_of(inputs);
        let (one, summary) =
            learn_files(&cleaner, inputs, site_from(&args.cleaning), &mut |source, err| errors.report(source, err))?;
        stats.merge(&one);
        failed += summary.failed;
        learned_nothing = summary.documents == 0;
    }
    if learned_nothing && file.replaces_a_file() {
        eprintln!("boilerstrip: nothing was learned; {} is left as it was", output.display());
    } else {
        stats.write_to(&mut file.writer).with_context(|| format!("writing {}", output.display()))?;
        file.commit()?;
    }
    errors.commit()?;
    Ok(if failed > 0 { ExitCode::from(EXIT_INPUT_FAILED) } else { ExitCode::SUCCESS })
}

pub fn diff(args: DiffArgs) -> Result<ExitCode> {
    let cleaner = build_cleaner(&args.cleaning)?;
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            args.input.output().is_none()
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

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
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
    report: Option<(&mut Report, &Path)>,
    site_from: SiteFrom,
) -> Result<ExitCode> {
    let (report, report_path) = match report {
        Some((report, path)) => (Some(report), Some(path)),
        None => (None, None),
    };
    set_threads(args.threads)?;
    let outputs = [args.output(), args.errors.as_deref(), report_path];
    let own_outputs = OwnOutputs::refused_among(paths, &outputs)?;
    let walk = WalkOptions { hidden: args.hidden, globs: args.glob.clone() };
    let inputs = own_outputs.left_out_of(input::collect(paths, &walk).context("bad --glob")?);
    let options = RunOptions {
        format,
        include_removed,
        progress: !args.quiet && io::stderr().is_terminal(),
        batch_size: 0,
        site_from,
    };

    let mut errors = ErrorLog::create(args.errors.as_deref())?;
    let mut on_error = |source: &str, err: &InputError| errors.report(source, err);

    let summary = with_output(
        args.output(),
        |out| {
            let written = run(cleaner, inputs, out, &mut on_error, &options, report);
            written.with_context(|| match args.output() {
                Some(path) => format!("writing {}", path.display()),
                None => "writing to stdout".to_string(),
            })
        },
        |summary| summary.documents == 0,
    )?;
    errors.commit()?;
    Ok(if summary.failed > 0 { ExitCode::from(EXIT_INPUT_FAILED) } else { ExitCode::SUCCESS })
}
