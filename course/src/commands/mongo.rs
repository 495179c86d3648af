//! `cargo course mongo start|stop`: the MongoDB container of the course.
//!
//! The tests and `cargo course run` start it through the test support and
//! keep it for the next run; `stop` removes every container labelled
//! `rust-course=mongodb`, through the Docker API.

use std::process::ExitCode;

use crate::cli::MongoAction;
use crate::docker;
use crate::error::{Error, Result};
use crate::mongo::{self, Server};
use crate::style::{GOOD, command, paint};

pub fn run(action: &MongoAction) -> Result<ExitCode> {
    match action {
        MongoAction::Start => start(),
        MongoAction::Stop => stop(),
    }
}

fn start() -> Result<ExitCode> {
    if let Some(uri) = mongo::configured_uri() {
        return Err(Error::Usage(format!(
            "MONGODB_URI is set ({uri}), so the course uses that server and starts none: \
             unset MONGODB_URI to start the course's container"
        )));
    }
    let server = mongo::start_in_docker()
        .map(Server::Docker)
        .map_err(Error::Failed)?;
    anstream::println!("{} {}.", paint(GOOD, "Ready:"), server.describe());
    anstream::println!(
        "Point a server or the tests at it with {}",
        command(format!("MONGODB_URI={}", server.uri()))
    );
    Ok(ExitCode::SUCCESS)
}

fn stop() -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::Failed(err.to_string()))?;
    let removed = runtime.block_on(async {
        let docker = docker::connect().await.map_err(|err| {
            Error::Failed(format!(
                "Docker does not answer at {}: {err}. Nothing to stop.",
                docker::address()
            ))
        })?;
        docker::remove_containers_labelled(&docker, docker::COURSE_LABEL)
            .await
            .map_err(Error::Failed)
    })?;
    if removed.is_empty() {
        anstream::println!("No MongoDB container of the course is running.");
    } else {
        anstream::println!("{} {}", paint(GOOD, "Removed:"), removed.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
