//! The `boilerstrip` command: parse the arguments, dispatch to a command (`commands`), and map
//! the outcome to an exit code (0 all inputs cleaned, 1 some inputs failed, 2 usage or
//! configuration error).

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
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}
