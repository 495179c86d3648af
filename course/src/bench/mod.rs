//! `cargo course bench`: the notes' Express app and the lesson 03 solution
//! on the same endpoint, `GET /contact`, under the same load, side by side.
//! With `--database`, also lesson 06's `GET /messages` against an Express +
//! Mongoose equivalent, both on the same MongoDB.
//!
//! Each server runs alone (one after the other), in release mode for Rust,
//! pinned to one CPU core while wrk runs on another (with `taskset`, when
//! the machine has two cores or more). wrk warms the server up first, then
//! measures. Every process started here is stopped before the command ends,
//! also when something fails: a [`server::ServerProcess`] kills its server
//! when dropped.
//!
//! The parts: [`measure`] starts each server and drives wrk ([`wrk`]) at it,
//! [`benchmark`] holds the figures and prints the table, [`chart`] draws
//! them, [`database`] seeds MongoDB for the `--database` comparison.

mod benchmark;
mod chart;
mod database;
mod measure;
mod server;
mod wrk;

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};
use clap::Args;

use self::benchmark::Comparison;
use self::measure::{Bench, Cores};
use crate::cargo;
use crate::commands::Session;
use crate::style::{DIM, command, paint};
use crate::workspace::Workspace;

/// Where the Express app lives, from the course root.
const EXPRESS_DIR: &str = "course/bench/express";
const CONTACT_PACKAGE: &str = "solution-03-express-routing";
const MESSAGES_PACKAGE: &str = "solution-06-mongo-models";

/// `cargo course bench`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// How long wrk drives each server, in seconds (after a short warm-up).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub duration: u32,
    /// How many connections wrk keeps open, each sending requests one after another.
    #[arg(long, default_value_t = 50)]
    pub connections: u32,
    /// A 2-second run of each server: checks it all works, the numbers are rough.
    #[arg(long)]
    pub smoke: bool,
    /// Also compare through MongoDB: lesson 06's `GET /messages` against
    /// Express + Mongoose (MONGODB_URI, or a local or Docker MongoDB).
    #[arg(long)]
    pub database: bool,
}

pub fn run(session: &Session, options: &BenchArgs) -> Result<ExitCode> {
    let root = &session.course.root;
    let target = Workspace::load(root)?.target_directory;
    check_tools()?;
    install_express_app(&root.join(EXPRESS_DIR))?;
    let mut packages = vec![CONTACT_PACKAGE];
    if options.database {
        packages.push(MESSAGES_PACKAGE);
    }
    build_release(root, &packages)?;

    let cores = Cores::pick();
    let (seconds, warm_up) = if options.smoke {
        (2, 1)
    } else {
        (options.duration.max(1), 2)
    };
    let bench = Bench {
        root: root.clone(),
        release_dir: target.join("release"),
        measure: wrk::Settings {
            seconds,
            connections: options.connections.max(1),
            core: cores.load,
        },
        warm_up: wrk::Settings {
            seconds: warm_up,
            connections: options.connections.max(1),
            core: cores.load,
        },
        server_core: cores.server,
    };
    anstream::println!(
        "{}",
        paint(
            DIM,
            format!(
                "wrk: {} connections, keep-alive, {seconds} s after a {warm_up} s warm-up; {}",
                bench.measure.connections,
                cores.describe()
            )
        )
    );

    let contact = bench.compare("GET /contact", "/contact", CONTACT_PACKAGE, &[])?;
    report(&target, &contact, "bench.svg")?;

    if options.database {
        let messages = database::compare(&bench, MESSAGES_PACKAGE)?;
        report(&target, &messages, "bench-database.svg")?;
        database::explain(&contact, &messages);
    }
    Ok(ExitCode::SUCCESS)
}

/// Node, npm and wrk, each with the way to get it when missing.
fn check_tools() -> Result<()> {
    let tools = [
        (
            "node",
            "Node.js runs the Express app: install it from https://nodejs.org \
             (or `sudo apt-get install nodejs npm`, `brew install node`)",
        ),
        (
            "npm",
            "npm installs the Express app's packages: it comes with Node.js from \
             https://nodejs.org (or `sudo apt-get install npm`)",
        ),
        (
            "wrk",
            "wrk is the load generator: `sudo apt-get install wrk` (Debian, Ubuntu), \
             `brew install wrk` (macOS), or build it from https://github.com/wg/wrk",
        ),
    ];
    let missing: Vec<String> = tools
        .iter()
        .filter(|(program, _)| which::which(program).is_err())
        .map(|(program, how)| format!("  {program} is missing. {how}"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        bail!(
            "the bench needs programs this machine lacks:\n{}",
            missing.join("\n")
        )
    }
}

/// `npm ci` in the Express app's folder the first time: it installs the
/// exact versions in `package-lock.json` into `node_modules/`.
fn install_express_app(folder: &Path) -> Result<()> {
    if folder.join("node_modules").is_dir() {
        return Ok(());
    }
    anstream::println!(
        "First run: installing the Express app's packages ({} in {})…",
        command("npm ci"),
        folder.display()
    );
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(folder)
        .stdin(Stdio::null())
        .output()
        .context("cannot start npm")?;
    if output.status.success() {
        Ok(())
    } else {
        bail!(
            "`npm ci` failed in {} (it needs the npm registry once):\n{}",
            folder.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )
    }
}

/// `cargo build --release` of the solutions: a benchmark of a debug build
/// measures the missing optimisations, not the code.
fn build_release(root: &Path, packages: &[&str]) -> Result<()> {
    let mut build = cargo::command(root);
    build
        .args([
            "build",
            "--release",
            "--quiet",
            "--message-format=json-diagnostic-rendered-ansi",
        ])
        .args(cargo::colour_flag());
    for package in packages {
        build.args(["--package", package]);
    }
    let label = format!("Building {} in release mode", packages.join(" and "));
    let built = cargo::capture(build, &label)?;
    if built.success {
        Ok(())
    } else {
        bail!(
            "cannot build {}:\n{}",
            packages.join(", "),
            cargo::build_problems(&built)
        )
    }
}

/// Prints the table and writes the chart into `target/bench/` (`target`
/// being cargo's target folder).
fn report(target: &Path, comparison: &Comparison, chart_name: &str) -> Result<()> {
    anstream::println!("\n{}", comparison.table());
    let folder = target.join("bench");
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let path = folder.join(chart_name);
    chart::draw(comparison, &path)?;
    anstream::println!("Chart: {}\n", command(path.display()));
    Ok(())
}
