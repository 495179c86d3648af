//! The course runner, `cargo course`: where you are, what to do next, and
//! the tools to get there.
//!
//! `cargo course` is an alias (in `.cargo/config.toml`) for
//! `cargo run --package course --`. Start with `cargo course`; it
//! prints the next step. `cargo course --help` lists every command.
//!
//! Exit status: 0 when all went well, 1 when tests fail or a check finds a
//! problem, 2 for a mistake in the command itself.
//!
//! Errors come up to [`main`] with what was being done and why (see
//! [`error`]), and are printed there, once.

mod backups;
mod bench;
mod cargo;
mod classroom;
mod cli;
mod commands;
mod course;
mod error;
mod files;
mod git;
mod hints;
mod libtest;
mod manifest;
mod messages;
mod mongo;
mod progress;
mod prompt;
#[cfg(test)]
mod schedule;
mod secrets;
mod style;
#[cfg(test)]
mod testing;
mod todos;
mod workspace;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::Session;
use crate::style::{BAD, paint};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Status { json: false })) {
        Ok(code) => code,
        Err(err) => {
            // `{:#}`: what was being done, then each cause, on one line.
            anstream::eprintln!("{} {err:#}", paint(BAD, "error:"));
            error::exit_code(&err)
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        // The course's MongoDB needs no course folder.
        Command::Mongo { action } => commands::mongo::run(&action),
        Command::Status { json } => commands::status::run(&Session::open()?, json),
        Command::Verify { lesson } => {
            commands::verify::run(&mut Session::open()?, lesson.as_deref())
        }
        Command::Watch { lesson } => commands::watch::run(&mut Session::open()?, lesson.as_deref()),
        Command::Hint { lesson, all } => {
            commands::hint::run(&mut Session::open()?, lesson.as_deref(), all)
        }
        Command::Reset { lesson, yes, undo } => {
            commands::reset::run(&mut Session::open()?, &lesson, yes, undo)
        }
        Command::Solution { lesson, yes } => {
            commands::solution::run(&Session::open()?, &lesson, yes)
        }
        Command::Run { lesson, solution } => {
            commands::run::run(&Session::open()?, &lesson, solution)
        }
        Command::Doctor => commands::doctor::run(&Session::open()?),
        Command::Prepare => commands::prepare::run(&Session::open()?),
        Command::Check { lessons } => commands::check::run(&Session::open()?, &lessons),
        Command::Bench(arguments) => bench::run(&Session::open()?, &arguments),
        Command::Book => commands::book::run(&Session::open()?),
        Command::Classroom { action } => commands::classroom::run(&Session::open()?, action),
    }
}
