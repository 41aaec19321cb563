//! The `boilerstrip` command: parse the arguments, dispatch to a command (`commands`), and map
//! the outcome to an exit code (0 all inputs cleaned, 1 some inputs failed, 2 usage or
//! configuration error, 3 the output could not be written).

mod cli;
mod commands;
mod config;
mod output;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use output::remove_temporary_files_on_signal;

const EXIT_USAGE: u8 = 2;
/// The disk (or quota) filled up, or the output's file system refused it: no usage error.
const EXIT_OUTPUT_FAILED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    remove_temporary_files_on_signal();
    let outcome = match cli.command {
        Command::Clean(args) => commands::clean(args),
        Command::Diff(args) => commands::diff(args),
        Command::Explain(args) => commands::explain(args),
        Command::Learn(args) => commands::learn(args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }

            eprintln!("boilerstrip: {err:#}");
            ExitCode::from(if is_output_full(&err) { EXIT_OUTPUT_FAILED } else { EXIT_USAGE })
        }
    }
}

fn is_output_full(err: &anyhow::Error) -> bool {
    use io::ErrorKind::{FileTooLarge, QuotaExceeded, ReadOnlyFilesystem, StorageFull, WriteZero};
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|e| {
            matches!(e.kind(), StorageFull | QuotaExceeded | FileTooLarge | ReadOnlyFilesystem | WriteZero)
        })
    })
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}
