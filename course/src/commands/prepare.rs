//! `cargo course prepare`: make a machine ready to work offline in class.
//! Fetch and build every dependency and every lesson, pull the MongoDB
//! image, then run the doctor.

use std::process::ExitCode;

use crate::cargo;
use crate::commands::{Session, doctor};
use crate::docker;
use crate::error::{Error, Result};
use crate::mongo;
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

    let image = mongo::image();
    step(&format!("Downloading the MongoDB image: {image}"));
    ok &= pull_image(&image)?;

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

fn pull_image(image: &str) -> Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::Failed(err.to_string()))?;
    Ok(runtime.block_on(async {
        let docker = match docker::connect().await {
            Ok(docker) => docker,
            Err(err) => {
                anstream::println!(
                    "{} Docker does not answer at {} ({err}): the image was not downloaded. \
                     Start Docker and run this again, or use a MongoDB of your own with MONGODB_URI.",
                    paint(WARN, "skipped:"),
                    docker::address()
                );
                return mongo::configured_uri().is_some();
            }
        };
        if docker::has_image(&docker, image).await {
            anstream::println!("{} {image} is already here.", paint(GOOD, "ok"));
            return true;
        }
        match docker::pull(&docker, image).await {
            Ok(()) => {
                anstream::println!("{} {image} downloaded.", paint(GOOD, "ok"));
                true
            }
            Err(err) => {
                anstream::println!("{} cannot download {image}: {err}", paint(BAD, "FAIL"));
                false
            }
        }
    }))
}
