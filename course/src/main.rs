//! The course runner, `cargo course`: where you are, what to do next, and
//! the tools to get there.
//!
//! `cargo course` is an alias (in `.cargo/config.toml`) for
//! `cargo run --package course --`. Start with `cargo course`; it
//! prints the next step. `cargo course --help` lists every command.
//!
//! Exit status: 0 when all went well, 1 when tests fail or a check finds a
//! problem, 2 for a mistake in the command itself.

mod backups;
mod benchmark;
mod cargo;
mod chart;
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
mod secrets;
mod style;
#[cfg(test)]
mod testing;
mod todos;
mod wrk;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::Session;
use crate::error::Result;
use crate::style::{BAD, paint};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Status { json: false })) {
        Ok(code) => code,
        Err(error) => {
            anstream::eprintln!("{} {error}", paint(BAD, "error:"));
            error.exit_code()
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    // The course's MongoDB needs no course folder.
    if let Command::Mongo { action } = &command {
        return commands::mongo::run(action);
    }
    let mut session = Session::open()?;
    match command {
        Command::Status { json } => commands::status::run(&session, json),
        Command::Verify { lesson } => commands::verify::run(&mut session, lesson.as_deref()),
        Command::Watch { lesson } => commands::watch::run(&mut session, lesson.as_deref()),
        Command::Hint { lesson, all } => commands::hint::run(&mut session, lesson.as_deref(), all),
        Command::Reset { lesson, yes, undo } => {
            commands::reset::run(&mut session, &lesson, yes, undo)
        }
        Command::Solution { lesson, yes } => commands::solution::run(&session, &lesson, yes),
        Command::Run { lesson, solution } => commands::run::run(&session, &lesson, solution),
        Command::Doctor => commands::doctor::run(&session),
        Command::Prepare => commands::prepare::run(&session),
        Command::Check { lessons } => commands::check::run(&session, &lessons),
        Command::Bench {
            duration,
            connections,
            smoke,
            database,
        } => commands::bench::run(
            &session,
            &commands::bench::Options {
                seconds: duration,
                connections,
                smoke,
                database,
            },
        ),
        Command::Book => commands::book::run(&session),
        Command::Classroom { action } => commands::classroom::run(&session, action),
        Command::Mongo { .. } => unreachable!("handled above"),
    }
}
