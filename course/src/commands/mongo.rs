//! `cargo course mongo status|start|stop`: the MongoDB the course starts.
//!
//! The tests, `cargo course run` and `start` find or start it with
//! `course-mongodb-server` (a container in Docker, or FerretDB built with
//! Go) and leave it running for the next time; `stop` stops it.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::MongoAction;
use crate::error::UsageError;
use crate::mongo::{self, Server, Settings};
use crate::style::{BAD, DIM, GOOD, command, paint};

pub fn run(action: &MongoAction) -> Result<ExitCode> {
    match action {
        MongoAction::Status => status(),
        MongoAction::Start => start(),
        MongoAction::Stop => stop(),
    }
}

fn status() -> Result<ExitCode> {
    let settings = Settings::from_env();
    let survey = mongodb_server::survey_blocking(&settings);
    match &survey.recorded {
        Some((server, true)) => {
            anstream::println!("{} {}.", paint(GOOD, "Running:"), server.name())
        }
        Some((server, false)) => anstream::println!(
            "{}",
            paint(
                DIM,
                format!(
                    "Recorded, but no longer answering: {} (the next start replaces it).",
                    server.uri()
                )
            )
        ),
        None => anstream::println!("The course has no MongoDB of its own running."),
    }
    anstream::println!(
        "{}",
        paint(
            DIM,
            format!("State file: {}", settings.state_file().display())
        )
    );
    Ok(match mongo::way_sentence(&survey, &settings) {
        Ok(way) => {
            anstream::println!("The tests and `cargo course run` use {way}.");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            anstream::println!("{} {problem}", paint(BAD, "No MongoDB:"));
            ExitCode::FAILURE
        }
    })
}

fn start() -> Result<ExitCode> {
    let settings = Settings::from_env();
    if let Some(uri) = &settings.uri {
        bail!(UsageError::new(format!(
            "MONGODB_URI is set ({uri}), so the course uses that server and starts none: \
             unset MONGODB_URI to start the course's own"
        )));
    }
    let server = mongodb_server::find_or_start_blocking(&settings)?;
    anstream::println!("{} {}.", paint(GOOD, "Ready:"), server.describe());
    anstream::println!(
        "Point a server or the tests at it with {}",
        command(format!("MONGODB_URI={}", server.uri()))
    );
    Ok(ExitCode::SUCCESS)
}

fn stop() -> Result<ExitCode> {
    let settings = Settings::from_env();
    let stopped = mongodb_server::stop_blocking(&settings)?;
    if stopped.is_empty() {
        anstream::println!("No MongoDB of the course is running.");
    } else {
        anstream::println!("{} {}", paint(GOOD, "Stopped:"), stopped.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `server` is one the course started, for the closing line of
/// commands that used it.
pub fn keeps_running_note(server: &Server) -> Option<String> {
    server.started_by_the_course().then(|| {
        format!(
            "The course's MongoDB keeps running, so the next start is instant: {} stops it.",
            command("cargo course mongo stop")
        )
    })
}
