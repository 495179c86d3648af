//! Measuring one server after the other under the same load: each is
//! started alone (pinned to a CPU core when the machine has two), warmed
//! up, measured with wrk, checked to still answer, and stopped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Result, bail};

use super::benchmark::{Comparison, Measured};
use super::server::{ANSWER_WITHIN, ServerProcess, Stalled, answers_within, free_port, shell_line};
use super::{EXPRESS_DIR, wrk};
use crate::style::{STRONG, paint};

/// Which CPU core runs the server and which runs wrk.
pub struct Cores {
    pub server: Option<usize>,
    pub load: Option<usize>,
}

impl Cores {
    /// Core 0 for the server, core 1 for wrk, when `taskset` is there and
    /// the machine has two cores; else no pinning at all.
    pub fn pick() -> Cores {
        let count = std::thread::available_parallelism().map_or(1, |count| count.get());
        if count >= 2 && which::which("taskset").is_ok() {
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

    pub fn describe(&self) -> String {
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
pub struct Bench {
    /// The course's root folder.
    pub root: PathBuf,
    /// Where `cargo build --release` put the Rust servers.
    pub release_dir: PathBuf,
    pub measure: wrk::Settings,
    pub warm_up: wrk::Settings,
    pub server_core: Option<usize>,
}

impl Bench {
    /// Measures `path` on the Rust `package`, then on the Express app, one
    /// server at a time, both started with the environment `env`.
    pub fn compare(
        &self,
        endpoint: &str,
        path: &str,
        package: &str,
        env: &[(&str, &str)],
    ) -> Result<Comparison> {
        let rust_server = self.pinned(&self.release_dir.join(package));
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
        wrk::run(&url, &self.warm_up)?;
        // wrk hangs up on its connections at the end of a run, some of them
        // with a request in flight. A server must shrug that off: one that
        // does not answer now would make the measurement below a lie.
        if !answers_within(port, path, ANSWER_WITHIN) {
            bail!(stalled("the warm-up").explain());
        }
        let load = wrk::run(&url, &self.measure)?;
        if load.requests == 0 || !answers_within(port, path, ANSWER_WITHIN) {
            bail!(stalled("the measurement").explain());
        }
        if load.errors > 0 {
            bail!(
                "{name} gave {} errors out of {} requests on {path}: the numbers would \
                 not mean much. Try fewer connections, such as --connections 20.",
                load.errors,
                load.requests
            );
        }
        let peak_rss_kib = process.peak_rss_kib();
        Ok(Measured { load, peak_rss_kib })
    }
}
