//! `cargo course doctor`: is this machine ready for class? One line per
//! check, and the fix for each problem.

use std::net::TcpListener;
use std::path::Path;
use std::process::{ExitCode, Stdio};

use anyhow::Result;
use mongodb_server::docker_address;

use crate::cargo;
use crate::commands::Session;
use crate::git;
use crate::manifest::Manifest;
use crate::mongo::{self, Settings, Survey, Way};
use crate::style::{BAD, GOOD, WARN, command, paint};
use crate::workspace::Workspace;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Works, but something could be better before class.
    Warn,
    /// Must be fixed before class.
    Fail,
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
    let settings = Settings::from_env();
    let survey = mongodb_server::survey_blocking(&settings);

    let mut checks = vec![rust(root), dependencies(root)];
    if let Ok(workspace) = Workspace::load(root) {
        checks.push(build_folder(root, &workspace.target_directory));
    }
    checks.extend(docker_checks(&survey));
    if settings.uri.is_none() {
        checks.push(go_check(&survey));
    }
    checks.push(mongodb_check(&survey, &settings));
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
        Some(needed) if is_older(&found, &needed) => Check::new(
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

/// Where cargo builds. A build folder outside the course may be shared with
/// another copy of it (a `CARGO_TARGET_DIR` set for every project, say).
/// Cargo names a lesson's build the same in every copy and trusts the files'
/// dates: after the other copy builds a lesson, this copy's older files look
/// already built, and its tests run the other copy's code.
fn build_folder(root: &Path, target: &Path) -> Check {
    if target.starts_with(root) {
        return Check::new(
            Level::Ok,
            "Build folder",
            format!("{} (this copy's own)", target.display()),
        );
    }
    Check::new(
        Level::Warn,
        "Build folder",
        format!(
            "{} is outside the course: another copy of the course that builds there \
             can make your tests run its code instead of yours",
            target.display()
        ),
    )
    .fix("give each copy of the course its own build folder: unset CARGO_TARGET_DIR (or `build.target-dir`) for it")
}

/// Docker, and the image in it: one way to a MongoDB, not the only one.
fn docker_checks(survey: &Survey) -> Vec<Check> {
    match &survey.docker {
        Ok(docker) => {
            let version = docker.version.as_deref().unwrap_or("unknown version");
            let image = &docker.image;
            vec![
                Check::new(
                    Level::Ok,
                    "Docker",
                    format!("Docker {version} answers at {}", docker_address()),
                ),
                if docker.has_image {
                    Check::new(
                        Level::Ok,
                        "MongoDB image",
                        format!("{image} is on this machine"),
                    )
                } else {
                    Check::new(
                        Level::Warn,
                        "MongoDB image",
                        format!("{image} is not downloaded yet (needs the internet on first use)"),
                    )
                    .fix(format!("{} downloads it", command("cargo course prepare")))
                },
            ]
        }
        Err(err) => vec![
            Check::new(
                if survey.way() == Way::None {
                    Level::Fail
                } else {
                    Level::Warn
                },
                "Docker",
                format!("{err}: no MongoDB container"),
            )
            .fix(
                "start Docker (Docker Desktop, or `sudo systemctl start docker`) to use \
                 the official MongoDB image; without it, see the MongoDB line",
            ),
        ],
    }
}

/// Go: what builds FerretDB, the MongoDB-compatible server used without Docker.
fn go_check(survey: &Survey) -> Check {
    let go = survey.go.as_ref().map(|path| path.display().to_string());
    match (&go, &survey.ferretdb, survey.way()) {
        (_, Some(binary), _) => Check::new(
            Level::Ok,
            "Go",
            format!("FerretDB is built: {}", binary.display()),
        ),
        (Some(go), None, Way::FerretDb { .. }) => Check::new(
            Level::Warn,
            "Go",
            format!(
                "Go is at {go}; FerretDB is not built yet ({}, needs the internet once)",
                mongodb_server::BUILD_TIME
            ),
        )
        .fix(format!("{} builds it", command("cargo course prepare"))),
        (Some(go), None, _) => Check::new(
            Level::Ok,
            "Go",
            format!("Go is at {go}: FerretDB can be built if Docker is not at hand"),
        ),
        (None, None, way) => Check::new(
            if way == Way::None {
                Level::Fail
            } else {
                Level::Warn
            },
            "Go",
            "not installed: FerretDB, a MongoDB-compatible server, cannot be built",
        )
        .fix("install Go 1.24 or newer (https://go.dev/dl/) to run MongoDB without Docker"),
    }
}

/// Which way the tests and `cargo course run` will take, and why.
fn mongodb_check(survey: &Survey, settings: &Settings) -> Check {
    match mongo::way_sentence(survey, settings) {
        Ok(way) => Check::new(Level::Ok, "MongoDB", format!("the course uses {way}")),
        Err(problem) if survey.way() == Way::ConfiguredUnreachable => {
            Check::new(Level::Fail, "MongoDB", problem)
                .fix("start that server, or unset MONGODB_URI to let the course find or start one")
        }
        Err(_) => Check::new(
            Level::Fail,
            "MongoDB",
            "none answers, Docker does not either, and Go is not installed",
        )
        .fix(
            "start Docker; or install Go 1.24 or newer; or set MONGODB_URI to any MongoDB \
             (a local mongod, a classroom server, an Atlas free cluster)",
        ),
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

/// Whether rustc `found` (`1.95.0`, `1.90.0-nightly`) is older than the
/// course's `rust-version` (`1.88`). A nightly or beta counts as its
/// release. A version that cannot be read is not called older.
fn is_older(found: &str, needed: &str) -> bool {
    let (Ok(mut found), Ok(needed)) = (
        semver::Version::parse(found),
        semver::VersionReq::parse(&format!(">={needed}")),
    ) else {
        return false;
    };
    found.pre = semver::Prerelease::EMPTY;
    !needed.matches(&found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert!(!is_older("1.95.0", "1.88"));
        assert!(!is_older("1.88.0", "1.88"));
        assert!(is_older("1.87.1", "1.88"));
        assert!(is_older("1.9.0", "1.88"), "9 is less than 88");
        assert!(
            !is_older("1.90.0-nightly", "1.88"),
            "a nightly counts as its release"
        );
        assert!(is_older("1.80.0-beta.2", "1.88"));
        assert!(!is_older("?", "1.88"), "unreadable: not called older");
    }

    #[test]
    fn a_build_folder_outside_the_course_is_a_warning() {
        let root = Path::new("/home/ada/course");
        let own = build_folder(root, &root.join("target"));
        assert_eq!(own.level, Level::Ok, "{}", own.detail);

        let shared = build_folder(root, Path::new("/home/ada/.cache/target"));
        assert_eq!(shared.level, Level::Warn, "{}", shared.detail);
        assert!(shared.fix.unwrap().contains("CARGO_TARGET_DIR"));
    }

    fn nothing() -> Survey {
        Survey {
            configured: None,
            recorded: None,
            local: false,
            docker: Err("does not answer".to_owned()),
            go: None,
            ferretdb: None,
        }
    }

    fn settings() -> Settings {
        Settings {
            uri: None,
            image: "mongo:8.0".to_owned(),
            docker: true,
            local: true,
            go: None,
            cache: std::path::PathBuf::from("/cache/rust-course"),
        }
    }

    #[test]
    fn without_docker_go_or_mongodb_uri_the_mongodb_check_fails_with_the_ways_out() {
        let check = mongodb_check(&nothing(), &settings());
        assert_eq!(check.level, Level::Fail);
        let fix = check.fix.unwrap();
        assert!(
            fix.contains("start Docker") && fix.contains("install Go"),
            "{fix}"
        );
        assert_eq!(docker_checks(&nothing())[0].level, Level::Fail);
        assert_eq!(go_check(&nothing()).level, Level::Fail);
    }

    #[test]
    fn with_go_alone_the_course_is_ready_and_says_it_builds_ferretdb() {
        let survey = Survey {
            go: Some(std::path::PathBuf::from("/usr/local/go/bin/go")),
            ..nothing()
        };
        let check = mongodb_check(&survey, &settings());
        assert_eq!(check.level, Level::Ok);
        assert!(check.detail.contains("FerretDB"), "{}", check.detail);
        assert_eq!(docker_checks(&survey)[0].level, Level::Warn);
        assert_eq!(go_check(&survey).level, Level::Warn, "not built yet");
    }
}
