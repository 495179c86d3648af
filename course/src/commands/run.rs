//! `cargo course run NN [--solution]`: run the lesson's server, with what it
//! needs: a MongoDB (found, or started in Docker or as FerretDB) and, for
//! lessons with cookies or tokens, throwaway secrets when none are set.

use std::process::ExitCode;

use crate::cargo;
use crate::commands::Session;
use crate::commands::mongo::keeps_running_note;
use crate::course::Lesson;
use crate::error::{Error, Result};
use crate::mongo;
use crate::secrets;
use crate::style::{DIM, STRONG, command, paint};

pub fn run(session: &Session, lesson: &str, solution: bool) -> Result<ExitCode> {
    let lesson = session.lesson(lesson)?;
    let package = if solution {
        &lesson.solution_package
    } else {
        &lesson.exercise_package
    };
    let mut server = cargo::command(&session.course.root);
    server.args(["run", "--package", package]);

    let mongodb = if lesson.needs_mongodb {
        anstream::println!("{} uses MongoDB; looking for one…", lesson.title());
        let found = mongo::find_or_start().map_err(Error::Failed)?;
        anstream::println!("Using {}.", found.describe());
        server.env("MONGODB_URI", found.uri());
        Some(found)
    } else {
        None
    };
    for name in missing_secrets(&lesson) {
        let value = secrets::random_secret()
            .map_err(|err| Error::Failed(format!("cannot make a random {name}: {err}")))?;
        server.env(&name, value);
        anstream::println!(
            "{}",
            paint(
                DIM,
                format!(
                    "{name} is not set: made a throwaway one for this run (set {name} yourself \
                     to keep sessions and tokens valid across restarts)."
                )
            )
        );
    }
    anstream::println!(
        "Starting {}: {}. Ctrl-C stops it.\n",
        paint(STRONG, package),
        command(format!("cargo run -p {package}"))
    );

    let outcome = run_until_ctrl_c(server)?;
    if let Some(note) = mongodb.as_ref().and_then(keeps_running_note) {
        anstream::println!("\n{note}");
    }
    Ok(outcome)
}

/// The secrets the lesson's server reads (its manifest names them) that
/// the environment lacks.
fn missing_secrets(lesson: &Lesson) -> Vec<String> {
    lesson
        .secrets
        .iter()
        .filter(|name| std::env::var_os(name).is_none())
        .cloned()
        .collect()
}

/// Runs the server until it stops or Ctrl-C is pressed (which reaches the
/// server too: it shares the terminal).
fn run_until_ctrl_c(server: std::process::Command) -> Result<ExitCode> {
    mongodb_server::block_on(async {
        let mut child = tokio::process::Command::from(server)
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| Error::Failed(format!("cannot start cargo: {err}")))?;
        tokio::select! {
            status = child.wait() => Ok(match status {
                Ok(status) if status.success() => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            }),
            _ = tokio::signal::ctrl_c() => {
                let _ = child.wait().await;
                anstream::println!("\nServer stopped.");
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
