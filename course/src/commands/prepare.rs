//! `cargo course prepare`: make a machine ready to work offline in class.
//! Fetch and build every dependency and every lesson, get the MongoDB the
//! course will use (pull the image in Docker, or build FerretDB with Go),
//! then run the doctor.

use std::process::ExitCode;

use anyhow::Result;

use crate::cargo;
use crate::commands::{Session, doctor};
use crate::mongo::{Settings, Way};
use crate::style::{BAD, GOOD, STRONG, WARN, paint};

pub fn run(session: &Session) -> Result<ExitCode> {
    let root = &session.course.root;
    let mut ok = true;

    step("Fetching every crate: cargo fetch");
    let mut fetch = cargo::command(root);
    fetch.arg("fetch");
    if let Some(host) = cargo::host_target() {
        fetch.args(["--target", &host]);
    }
    ok &= cargo_succeeds(&mut fetch);

    step("Building every lesson and its tests: cargo test --workspace --no-run");
    ok &= cargo_succeeds(cargo::command(root).args(["test", "--workspace", "--no-run"]));

    // `cargo run -p` builds a server without the tests' dev-dependencies,
    // so some libraries come with other features, and are built again.
    step("Building every lesson's server, as `cargo course run` does: cargo build --bins");
    let mut servers = cargo::command(root);
    servers.args(["build", "--bins"]);
    for lesson in &session.course.lessons {
        servers.args(["--package", &lesson.exercise_package]);
        servers.args(["--package", &lesson.solution_package]);
    }
    ok &= cargo_succeeds(&mut servers);

    step("Getting MongoDB ready: the image in Docker, or FerretDB built with Go");
    ok &= prepare_mongodb();

    step("Checking the machine: cargo course doctor");
    let doctor = doctor::run(session)?;
    Ok(if ok { doctor } else { ExitCode::FAILURE })
}

fn step(title: &str) {
    anstream::println!("\n{} {title}", paint(STRONG, "==>"));
}

fn cargo_succeeds(command: &mut std::process::Command) -> bool {
    let succeeded = command.status().is_ok_and(|status| status.success());
    if !succeeded {
        anstream::println!(
            "{} this step failed: see cargo's messages above.",
            paint(BAD, "FAIL")
        );
    }
    succeeded
}

/// Pulls the image when Docker answers; otherwise, or when the pull fails,
/// builds FerretDB when Go is installed. Nothing is started.
fn prepare_mongodb() -> bool {
    let settings = Settings::from_env();
    let survey = mongodb_server::survey_blocking(&settings);
    match survey.way() {
        Way::Configured => {
            anstream::println!("{} MONGODB_URI answers: nothing to get.", paint(GOOD, "ok"));
            return true;
        }
        Way::ConfiguredUnreachable => {
            anstream::println!(
                "{} MONGODB_URI is set, but nothing answers there.",
                paint(BAD, "FAIL")
            );
            return false;
        }
        Way::Recorded | Way::Local => {
            anstream::println!("{} a MongoDB already answers.", paint(GOOD, "ok"));
            return true;
        }
        _ => {}
    }
    if let Ok(docker) = &survey.docker {
        let image = &docker.image;
        if docker.has_image {
            anstream::println!("{} {image} is already here.", paint(GOOD, "ok"));
            return true;
        }
        let pulled = mongodb_server::block_on(async {
            let client = mongodb_server::connect_docker().await?;
            mongodb_server::pull(&client, image, &mut |status| {
                anstream::println!("  {status}")
            })
            .await
        });
        match pulled {
            Ok(()) => {
                anstream::println!("{} {image} downloaded.", paint(GOOD, "ok"));
                return true;
            }
            Err(err) => anstream::println!(
                "{} cannot download {image}: {err}; trying FerretDB instead.",
                paint(WARN, "warn")
            ),
        }
    }
    match mongodb_server::build_ferretdb(&settings) {
        Ok(binary) => {
            anstream::println!(
                "{} FerretDB, a MongoDB-compatible server, is built: {}",
                paint(GOOD, "ok"),
                binary.display()
            );
            true
        }
        Err(err) => {
            anstream::println!("{} {err}", paint(BAD, "FAIL"));
            false
        }
    }
}
