//! `cargo course run NN [--solution]`: run the lesson's server, with what it
//! needs: a MongoDB (found, or started in Docker or as FerretDB) and, for
//! lessons with cookies or tokens, throwaway secrets when none are set.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cargo;
use crate::commands::Session;
use crate::commands::mongo::keeps_running_note;
use crate::course::Lesson;
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
        let found = mongo::find_or_start()?;
        anstream::println!("Using {}.", found.describe());
        server.env("MONGODB_URI", found.uri());
        if let Some(database) = own_database(&found, &lesson) {
            anstream::println!(
                "{}",
                paint(
                    DIM,
                    format!(
                        "MONGODB_DB is not set: this machine's data goes to the database \
                         {database}, apart from everyone else's on that server."
                    )
                )
            );
            server.env("MONGODB_DB", database);
        }
        Some(found)
    } else {
        None
    };
    for name in missing_secrets(&lesson) {
        let value =
            secrets::random_secret().with_context(|| format!("cannot make a random {name}"))?;
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

/// A database of this learner's own, for this lesson, on a server named by
/// `MONGODB_URI`, which may be the room's, shared by everyone: `None` when
/// `MONGODB_DB` is set, or when the server is this machine's alone.
fn own_database(server: &mongodb_server::Server, lesson: &Lesson) -> Option<String> {
    let shared = matches!(server, mongodb_server::Server::Configured(_));
    if !shared || std::env::var_os("MONGODB_DB").is_some() {
        return None;
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    Some(learner_database(&lesson.number, &user, &host))
}

/// `backendlearning<NN>_<user>_<machine>`, in the characters MongoDB
/// accepts and within its 63-byte limit on database names. Lab machines
/// often share a user name, so the machine's name is part of it. Each
/// lesson has its own: 06's messages have no owner, 09's do.
fn learner_database(lesson: &str, user: &str, host: &str) -> String {
    let mut name = format!(
        "backendlearning{}_{}_{}",
        mongodb_server::sanitise(lesson),
        mongodb_server::sanitise(user),
        mongodb_server::sanitise(host)
    );
    name.truncate(63);
    name
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
            .context("cannot start cargo")?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_learners_on_one_server_get_two_databases() {
        let ada = learner_database("09", "student", "lab-pc-01");
        let grace = learner_database("09", "student", "lab-pc-02");
        assert_eq!(ada, "backendlearning09_student_lab_pc_01");
        assert_ne!(ada, grace, "the same user name on two machines");
        assert_ne!(
            ada,
            learner_database("06", "student", "lab-pc-01"),
            "two lessons whose documents differ"
        );
    }

    #[test]
    fn a_long_or_strange_name_still_makes_a_valid_database_name() {
        let name = learner_database("09", "Ada Lovelace/é", &"x".repeat(100));
        assert!(name.len() <= 63, "{name} is longer than MongoDB allows");
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{name} has a character MongoDB refuses in a database name"
        );
    }

    #[test]
    fn a_server_of_this_machine_keeps_the_usual_database() {
        let own = mongodb_server::Server::FerretDb {
            uri: "mongodb://127.0.0.1:37017".to_owned(),
            pid: 1,
        };
        let lesson = Lesson::from_slug("09-jwt").unwrap();
        assert_eq!(own_database(&own, &lesson), None);
    }
}
