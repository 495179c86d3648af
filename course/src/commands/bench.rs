//! `cargo course bench`: the notes' Express app and the lesson 03 solution
//! on the same endpoint, `GET /contact`, under the same load, side by side.
//! With `--database`, also lesson 06's `GET /messages` against an Express +
//! Mongoose equivalent, both on the same MongoDB.
//!
//! Each server runs alone (one after the other), in release mode for Rust,
//! pinned to one CPU core while wrk runs on another (with `taskset`, when
//! the machine has two cores or more). wrk warms the server up first, then
//! measures. Every process started here is stopped before the command ends,
//! also when something fails: [`ServerProcess`] kills its server when dropped.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::benchmark::{Comparison, Measured};
use crate::commands::Session;
use crate::error::{Error, Result};
use crate::style::{DIM, STRONG, command, paint};
use crate::{cargo, chart, mongo, secrets, wrk};

/// Where the Express app lives, from the course root.
const EXPRESS_DIR: &str = "course/bench/express";
const CONTACT_PACKAGE: &str = "solution-03-express-routing";
const MESSAGES_PACKAGE: &str = "solution-06-mongo-models";
/// How many messages the database comparison lists (lesson 06's default page).
const SEEDED_MESSAGES: usize = 20;
/// How long a server may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The command's options (see `cargo course bench --help`).
#[derive(Debug, Clone)]
pub struct Options {
    pub seconds: u32,
    pub connections: u32,
    pub smoke: bool,
    pub database: bool,
}

pub fn run(session: &Session, options: &Options) -> Result<ExitCode> {
    let root = &session.course.root;
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
        (options.seconds.max(1), 2)
    };
    let bench = Bench {
        root: root.clone(),
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
    report(root, &contact, "bench.svg")?;

    if options.database {
        let messages = compare_through_database(&bench)?;
        report(root, &messages, "bench-database.svg")?;
        explain_database(&contact, &messages);
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
        .filter(|(program, _)| find_program(program).is_none())
        .map(|(program, how)| format!("  {program} is missing. {how}"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "the bench needs programs this machine lacks:\n{}",
            missing.join("\n")
        )))
    }
}

/// The full path of `program` in `PATH`, if it is there.
fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|folder| folder.join(program))
        .find(|candidate| candidate.is_file())
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
        .map_err(|err| Error::Failed(format!("cannot start npm: {err}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "`npm ci` failed in {} (it needs the npm registry once):\n{}",
            folder.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// `cargo build --release` of the solutions: a benchmark of a debug build
/// measures the missing optimisations, not the code.
fn build_release(root: &Path, packages: &[&str]) -> Result<()> {
    let mut build = cargo::command(root);
    build
        .args(["build", "--release"])
        .args(cargo::colour_flag());
    for package in packages {
        build.args(["--package", package]);
    }
    let label = format!("Building {} in release mode", packages.join(" and "));
    let built = cargo::capture(build, &label)?;
    if built.success {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "cannot build {}:\n{}",
            packages.join(", "),
            built.diagnostics()
        )))
    }
}

/// Which CPU core runs the server and which runs wrk.
struct Cores {
    server: Option<usize>,
    load: Option<usize>,
}

impl Cores {
    /// Core 0 for the server, core 1 for wrk, when `taskset` is there and
    /// the machine has two cores; else no pinning at all.
    fn pick() -> Cores {
        let count = std::thread::available_parallelism().map_or(1, |count| count.get());
        if count >= 2 && find_program("taskset").is_some() {
            Cores {
                server: Some(0),
                load: Some(1),
            }
        } else {
            Cores {
                server: None,
                load: None,
            }
        }
    }

    fn describe(&self) -> String {
        match (self.server, self.load) {
            (Some(server), Some(load)) => {
                format!("server on CPU core {server}, wrk on core {load} (taskset)")
            }
            _ => "not pinned to cores (needs taskset and two cores): server and wrk share \
                  the CPU, so the numbers are rougher"
                .to_owned(),
        }
    }
}

/// What every measurement shares.
struct Bench {
    root: PathBuf,
    measure: wrk::Settings,
    warm_up: wrk::Settings,
    server_core: Option<usize>,
}

impl Bench {
    /// Measures `path` on the Rust `package`, then on the Express app, one
    /// server at a time, both started with the environment `env`.
    fn compare(
        &self,
        endpoint: &str,
        path: &str,
        package: &str,
        env: &[(&str, &str)],
    ) -> Result<Comparison> {
        let rust_server = self.pinned(&release_dir(&self.root).join(package));
        let rust = self.measure_server(&format!("Rust ({package})"), rust_server, path, env)?;
        let mut express_server = self.pinned(Path::new("node"));
        express_server
            .arg("app.js")
            .current_dir(self.root.join(EXPRESS_DIR));
        let express = self.measure_server("Express (node app.js)", express_server, path, env)?;
        Ok(Comparison {
            endpoint: endpoint.to_owned(),
            rust,
            express,
        })
    }

    /// `program`, through `taskset` when the server has a core of its own.
    fn pinned(&self, program: &Path) -> Command {
        match self.server_core {
            Some(core) => {
                let mut taskset = Command::new("taskset");
                taskset.args(["--cpu-list", &core.to_string()]).arg(program);
                taskset
            }
            None => Command::new(program),
        }
    }

    /// Starts a server, warms it up, measures it, reads its peak memory,
    /// and stops it.
    fn measure_server(
        &self,
        name: &str,
        mut server: Command,
        path: &str,
        env: &[(&str, &str)],
    ) -> Result<Measured> {
        let port = free_port()?;
        server
            .env("PORT", port.to_string())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        anstream::println!("Measuring {} on port {port}…", paint(STRONG, name));
        let started_with = shell_line(&server);
        let mut process = ServerProcess::start(name, server)?;
        process.wait_until_listening(port)?;

        let url = format!("http://127.0.0.1:{port}{path}");
        let stalled = |after: &'static str| Stalled {
            name,
            after,
            url: &url,
            connections: self.measure.connections,
            started_with: &started_with,
        };
        wrk::run(&url, &self.warm_up).map_err(Error::Failed)?;
        // wrk hangs up on its connections at the end of a run, some of them
        // with a request in flight. A server must shrug that off: one that
        // does not answer now would make the measurement below a lie.
        if !answers_within(port, path, ANSWER_WITHIN) {
            return Err(Error::Failed(stalled("the warm-up").explain()));
        }
        let load = wrk::run(&url, &self.measure).map_err(Error::Failed)?;
        if load.requests == 0 || !answers_within(port, path, ANSWER_WITHIN) {
            return Err(Error::Failed(stalled("the measurement").explain()));
        }
        if load.errors > 0 {
            return Err(Error::Failed(format!(
                "{name} gave {} errors out of {} requests on {path}: the numbers would \
                 not mean much. Try fewer connections, such as --connections 20.",
                load.errors, load.requests
            )));
        }
        let peak_rss_kib = process.peak_rss_kib();
        Ok(Measured { load, peak_rss_kib })
    }
}

/// `target/release`, or its place under `CARGO_TARGET_DIR`.
/// How soon a healthy server answers one request once a load has stopped.
/// Milliseconds are usual; a server that takes longer has stalled.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// Does the server answer `GET path` with a status line within `limit`?
/// One plain HTTP/1.1 request on a fresh connection, as `curl -m` would send.
fn answers_within(port: u16, path: &str, limit: Duration) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), limit)
    else {
        return false;
    };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    let mut status_line = [0_u8; 12];
    stream.set_read_timeout(Some(limit)).is_ok()
        && stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut status_line).is_ok()
        && status_line.starts_with(b"HTTP/1.1 ")
}

/// A server that stopped answering after a load: what to tell the reader.
struct Stalled<'a> {
    name: &'a str,
    /// `the warm-up` or `the measurement`.
    after: &'a str,
    url: &'a str,
    connections: u32,
    /// How the server was started, as a shell line (see [`shell_line`]).
    started_with: &'a str,
}

impl Stalled<'_> {
    /// Says which server stalled, why no figure is printed, and the commands
    /// that show the stall by hand.
    fn explain(&self) -> String {
        format!(
            "{name} stopped answering: after {after}, when wrk's {connections} clients hung up, \
             a request to {url} got no answer within {limit} s. A figure measured now would \
             be wrong, so none is printed.\n\
             See it by hand, in two terminals:\n  \
             {started_with}\n  \
             wrk -t1 -c{connections} -d2s {url}; curl -m 5 -w '%{{http_code}} %{{time_total}} s\\n' {url}",
            name = self.name,
            after = self.after,
            connections = self.connections,
            url = self.url,
            limit = ANSWER_WITHIN.as_secs(),
            started_with = self.started_with,
        )
    }
}

/// `MONGODB_DB=bench PORT=3001 target/release/solution-06-mongo-models`:
/// the settings a command was given, then its program and arguments, after
/// a `cd` to its folder when it has one.
fn shell_line(command: &Command) -> String {
    let settings = command
        .get_envs()
        .filter_map(|(key, value)| Some(format!("{}={}", key.to_str()?, value?.to_str()?)));
    let words = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|word| word.to_string_lossy().into_owned());
    let line = settings.chain(words).collect::<Vec<_>>().join(" ");
    match command.get_current_dir() {
        Some(folder) => format!("cd {} && {line}", folder.display()),
        None => line,
    }
}

fn release_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release")
}

/// A loopback port free right now (the system picks it).
fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|err| Error::Failed(format!("cannot find a free port on 127.0.0.1: {err}")))
}

/// A server started by the bench; dropping it kills the server.
struct ServerProcess {
    name: String,
    child: Child,
}

impl ServerProcess {
    fn start(name: &str, mut command: Command) -> Result<ServerProcess> {
        let child = command
            .spawn()
            .map_err(|err| Error::Failed(format!("cannot start {name}: {err}")))?;
        Ok(ServerProcess {
            name: name.to_owned(),
            child,
        })
    }

    /// Waits until the server accepts connections on `port`, or stops.
    fn wait_until_listening(&mut self, port: u16) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(Error::Failed(format!(
                    "{} stopped at start-up ({status}); its message is above",
                    self.name
                )));
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(Error::Failed(format!(
            "{} did not listen on port {port} within {} s",
            self.name,
            START_TIMEOUT.as_secs()
        )))
    }

    /// `VmHWM` from `/proc/<pid>/status`: the most resident memory the
    /// process has held since it started (Linux only).
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prints the table and writes the chart into `target/bench/`.
fn report(root: &Path, comparison: &Comparison, chart_name: &str) -> Result<()> {
    anstream::println!("\n{}", comparison.table());
    let folder = root.join("target").join("bench");
    std::fs::create_dir_all(&folder)
        .map_err(|err| Error::Failed(format!("cannot create {}: {err}", folder.display())))?;
    let path = folder.join(chart_name);
    chart::draw(comparison, &path).map_err(Error::Failed)?;
    anstream::println!("Chart: {}\n", command(path.display()));
    Ok(())
}

/// Lesson 06's `GET /messages` and the Express + Mongoose equivalent, on
/// one MongoDB, in a fresh database seeded with a page of messages and
/// dropped afterwards.
fn compare_through_database(bench: &Bench) -> Result<Comparison> {
    anstream::println!("Looking for a MongoDB…");
    let server = mongo::find_or_start().map_err(Error::Failed)?;
    anstream::println!("Using {}.", server.describe());
    let uri = server.uri().to_owned();
    let suffix = secrets::random_secret()
        .map_err(|err| Error::Failed(format!("cannot name the database: {err}")))?;
    let database = format!("course_bench_{}", &suffix[..12]);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::Failed(format!("cannot start: {err}")))?;
    let db = runtime
        .block_on(seed(&uri, &database))
        .map_err(|err| Error::Failed(format!("cannot seed {database} at {uri}: {err}")))?;
    let env = [
        ("MONGODB_URI", uri.as_str()),
        ("MONGODB_DB", database.as_str()),
    ];
    let outcome = bench.compare("GET /messages", "/messages", MESSAGES_PACKAGE, &env);
    if let Err(err) = runtime.block_on(async { db.drop().await }) {
        anstream::eprintln!("could not drop the bench database {database}: {err}");
    }
    outcome
}

/// A fresh database with [`SEEDED_MESSAGES`] messages in `messages`.
async fn seed(uri: &str, database: &str) -> mongodb::error::Result<mongodb::Database> {
    use mongodb::bson::doc;
    let client = mongodb::Client::with_uri_str(uri).await?;
    let db = client.database(database);
    let messages: Vec<_> = (1..=SEEDED_MESSAGES)
        .map(|n| doc! { "name": format!("Reader {n}"), "email": format!("reader{n}@example.com") })
        .collect();
    db.collection("messages").insert_many(messages).await?;
    Ok(db)
}

/// Why the gap narrows when both servers wait for the same database.
fn explain_database(contact: &Comparison, messages: &Comparison) {
    anstream::println!(
        "Through the database the gap narrows: {} the requests per second on {}, \
         {} on {}.\n\
         Each request now waits for MongoDB, the same server for both, which does the \
         same work for either: find, sort, read 20 documents. That time is spent in neither \
         Rust nor JavaScript, so the language matters less. What is left is the work around \
         it: parsing, turning documents into JSON, the driver.",
        paint(STRONG, crate::benchmark::ratio(contact.throughput_ratio())),
        contact.endpoint,
        paint(STRONG, crate::benchmark::ratio(messages.throughput_ratio())),
        messages.endpoint,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_answers_is_told_from_one_that_stalled() {
        let answering = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let answering_port = answering.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = answering.accept().unwrap();
            let mut request = [0_u8; 64];
            let _ = stream.read(&mut request).unwrap();
            stream.write_all(b"HTTP/1.1 200 OK\r\n\r\n").unwrap();
        });
        assert!(answers_within(answering_port, "/", ANSWER_WITHIN));
        server.join().unwrap();

        // Accepts the connection (the kernel does), never answers.
        let silent = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let silent_port = silent.local_addr().unwrap().port();
        let started = Instant::now();
        assert!(!answers_within(
            silent_port,
            "/",
            Duration::from_millis(200)
        ));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn the_stall_report_names_the_server_and_how_to_see_it() {
        let mut server = Command::new("target/release/solution-06-mongo-models");
        server.env("PORT", "3001").env("MONGODB_DB", "bench");
        let report = Stalled {
            name: "Rust (solution-06-mongo-models)",
            after: "the warm-up",
            url: "http://127.0.0.1:3001/messages",
            connections: 50,
            started_with: &shell_line(&server),
        }
        .explain();
        assert!(report.starts_with("Rust (solution-06-mongo-models) stopped answering"));
        assert!(report.contains("none is printed"));
        assert!(
            report.contains("MONGODB_DB=bench PORT=3001 target/release/solution-06-mongo-models")
        );
        assert!(report.contains("wrk -t1 -c50 -d2s http://127.0.0.1:3001/messages; curl -m 5"));
    }
}
