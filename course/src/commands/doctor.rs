//! `cargo course doctor`: is this machine ready for class? One line per
//! check, and the fix for each problem.

use std::net::TcpListener;
use std::process::{ExitCode, Stdio};

use crate::cargo;
use crate::commands::Session;
use crate::docker;
use crate::error::{Error, Result};
use crate::git;
use crate::manifest::Manifest;
use crate::mongo;
use crate::style::{BAD, DIM, GOOD, WARN, command, paint};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Works, but something could be better before class.
    Warn,
    /// Must be fixed before class.
    Fail,
    /// Not checked, because an earlier check failed.
    Skip,
}

/// One line of the report.
#[derive(Debug)]
pub struct Check {
    pub level: Level,
    pub name: &'static str,
    pub detail: String,
    pub fix: Option<String>,
}

impl Check {
    fn new(level: Level, name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            level,
            name,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(fix.into());
        self
    }
}

pub fn run(session: &Session) -> Result<ExitCode> {
    let checks = run_checks(session)?;
    print_report(&checks);
    let failures = checks.iter().filter(|c| c.level == Level::Fail).count();
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Every check, in the order they are printed.
pub fn run_checks(session: &Session) -> Result<Vec<Check>> {
    let root = &session.course.root;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::Failed(err.to_string()))?;
    let (docker_state, mongodb_answers) = runtime.block_on(async {
        let mongodb = match mongo::configured_uri() {
            Some(uri) => mongo::ping(&uri).await.map(|()| uri),
            None => mongo::ping(mongo::LOCAL_URI)
                .await
                .map(|()| mongo::LOCAL_URI.to_owned()),
        };
        let docker = match docker::connect().await {
            Ok(docker) => {
                let image = mongo::image();
                let has_image = docker::has_image(&docker, &image).await;
                Ok((docker::version(&docker).await, image, has_image))
            }
            Err(err) => Err(err),
        };
        (docker, mongodb)
    });

    let mut checks = vec![rust(root), dependencies(root)];
    let need_docker = mongodb_answers.is_err();
    match &docker_state {
        Ok((version, image, has_image)) => {
            let version = version.as_deref().unwrap_or("unknown version");
            checks.push(Check::new(
                Level::Ok,
                "Docker",
                format!("Docker {version} answers at {}", docker::address()),
            ));
            checks.push(if *has_image {
                Check::new(
                    Level::Ok,
                    "MongoDB image",
                    format!("{image} is on this machine"),
                )
            } else {
                Check::new(
                    if need_docker {
                        Level::Fail
                    } else {
                        Level::Warn
                    },
                    "MongoDB image",
                    format!("{image} is not downloaded yet (needs the internet on first use)"),
                )
                .fix(format!("{} downloads it", command("cargo course prepare")))
            });
        }
        Err(err) => {
            checks.push(
                Check::new(
                    if need_docker {
                        Level::Fail
                    } else {
                        Level::Warn
                    },
                    "Docker",
                    format!("does not answer at {}: {err}", docker::address()),
                )
                .fix(
                    "start Docker (Docker Desktop, or `sudo systemctl start docker`); \
                     without Docker, set MONGODB_URI to a MongoDB you run",
                ),
            );
            checks.push(Check::new(
                Level::Skip,
                "MongoDB image",
                "not checked: Docker does not answer",
            ));
        }
    }
    checks.push(mongodb_check(&mongodb_answers, docker_state.is_ok()));
    checks.push(port());
    checks.push(if git::is_checkout(root) {
        Check::new(
            Level::Ok,
            "git",
            "the course is a git checkout (`cargo course reset` works)",
        )
    } else {
        Check::new(
            Level::Warn,
            "git",
            "not a git checkout: `cargo course reset` will not work",
        )
        .fix("clone the course with `git clone` rather than downloading an archive")
    });
    Ok(checks)
}

fn rust(root: &std::path::Path) -> Check {
    let needed = Manifest::read(&root.join("Cargo.toml"))
        .and_then(|m| m.workspace_rust_version().map(str::to_owned));
    let output = std::process::Command::new("rustc")
        .arg("--version")
        .output();
    let Ok(output) = output
        .as_ref()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    else {
        return Check::new(Level::Fail, "Rust", "rustc not found")
            .fix("install Rust from https://rustup.rs");
    };
    let found = output.split_whitespace().nth(1).unwrap_or("?").to_owned();
    match needed {
        Some(needed) if version_tuple(&found) < version_tuple(&needed) => Check::new(
            Level::Fail,
            "Rust",
            format!("rustc {found}, but the course needs {needed} or newer"),
        )
        .fix("rustup update stable"),
        Some(needed) => Check::new(
            Level::Ok,
            "Rust",
            format!("rustc {found} (the course needs {needed} or newer)"),
        ),
        None => Check::new(Level::Ok, "Rust", format!("rustc {found}")),
    }
}

fn dependencies(root: &std::path::Path) -> Check {
    let mut fetch = cargo::command(root);
    fetch.args(["fetch", "--offline", "--quiet"]);
    if let Some(host) = cargo::host_target() {
        fetch.args(["--target", &host]);
    }
    let fetched = fetch
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if fetched {
        Check::new(Level::Ok, "Dependencies", "every crate is downloaded")
    } else {
        Check::new(
            Level::Fail,
            "Dependencies",
            "some crates are not downloaded yet",
        )
        .fix(format!(
            "{} (needs the internet once)",
            command("cargo course prepare")
        ))
    }
}

fn mongodb_check(answers: &std::result::Result<String, String>, docker_ok: bool) -> Check {
    match (answers, mongo::configured_uri()) {
        (Ok(uri), Some(_)) => Check::new(
            Level::Ok,
            "MongoDB",
            format!("answers at {uri} (MONGODB_URI): the tests and servers use it"),
        ),
        (Err(err), Some(uri)) => Check::new(
            Level::Fail,
            "MongoDB",
            format!("MONGODB_URI is {uri}, but nothing answers there: {err}"),
        )
        .fix("start that server, or unset MONGODB_URI to let the course start one in Docker"),
        (Ok(uri), None) => Check::new(
            Level::Ok,
            "MongoDB",
            format!("answers at {uri}: `cargo course verify` and `run` use it"),
        ),
        (Err(_), None) if docker_ok => Check::new(
            Level::Ok,
            "MongoDB",
            "none running: started in Docker when a lesson needs it",
        ),
        (Err(_), None) => Check::new(
            Level::Fail,
            "MongoDB",
            format!(
                "none answers at {} and Docker cannot start one",
                mongo::LOCAL_URI
            ),
        )
        .fix(format!(
            "start Docker; or run a MongoDB yourself ({}); or set MONGODB_URI",
            command("docker run -d -p 27017:27017 mongo:8.0")
        )),
    }
}

fn port() -> Check {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    match TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => Check::new(
            Level::Ok,
            "Port",
            format!("{port} is free for the lesson servers"),
        ),
        Err(err) => {
            Check::new(Level::Warn, "Port", format!("{port} is taken: {err}")).fix(format!(
                "stop the program using it, or pick another port: {}",
                command("PORT=3001 cargo course run 01")
            ))
        }
    }
}

fn print_report(checks: &[Check]) {
    for check in checks {
        let label = match check.level {
            Level::Ok => paint(GOOD, "ok  "),
            Level::Warn => paint(WARN, "warn"),
            Level::Fail => paint(BAD, "FAIL"),
            Level::Skip => paint(DIM, "--  "),
        };
        anstream::println!("{label}  {:<14} {}", check.name, check.detail);
        if let Some(fix) = &check.fix {
            anstream::println!("      {:<14} fix: {fix}", "");
        }
    }
    let failures = checks.iter().filter(|c| c.level == Level::Fail).count();
    anstream::println!();
    if failures == 0 {
        anstream::println!("{}", paint(GOOD, "Ready for class."));
    } else {
        anstream::println!(
            "{} {failures} problem(s) to fix; then run {} again.",
            paint(BAD, "Not ready:"),
            command("cargo course doctor")
        );
    }
}

/// `1.88.0` as `(1, 88, 0)`, for comparing versions.
fn version_tuple(version: &str) -> (u32, u32, u32) {
    let mut parts = version
        .split(['.', '-'])
        .map(|part| part.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_tuple("1.95.0") > version_tuple("1.88"));
        assert!(version_tuple("1.9.0") < version_tuple("1.88"));
        assert_eq!(version_tuple("1.88"), (1, 88, 0));
        assert_eq!(version_tuple("1.90.0-nightly"), (1, 90, 0));
    }

    #[test]
    fn without_mongodb_and_docker_the_mongodb_check_fails_with_a_fix() {
        let check = mongodb_check(&Err("refused".into()), false);
        if mongo::configured_uri().is_none() {
            assert_eq!(check.level, Level::Fail);
            assert!(check.fix.unwrap().contains("docker run -d -p 27017:27017"));
        }
    }
}
