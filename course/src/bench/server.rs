//! A server started by the bench, and the questions asked of it: does it
//! listen, does it still answer after a load, how much memory did it use.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How long a server may take to start listening.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// How soon a healthy server answers one request once a load has stopped.
/// Milliseconds are usual; a server that takes longer has stalled.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// Does the server answer `GET path` with a status line within `limit`?
/// One plain HTTP/1.1 request on a fresh connection, as `curl -m` would send.
pub fn answers_within(port: u16, path: &str, limit: Duration) -> bool {
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
pub struct Stalled<'a> {
    pub name: &'a str,
    /// `the warm-up` or `the measurement`.
    pub after: &'a str,
    pub url: &'a str,
    pub connections: u32,
    /// How the server was started, as a shell line (see [`shell_line`]).
    pub started_with: &'a str,
}

impl Stalled<'_> {
    /// Says which server stalled, why no figure is printed, and the commands
    /// that show the stall by hand.
    pub fn explain(&self) -> String {
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
pub fn shell_line(command: &Command) -> String {
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

/// A loopback port free right now (the system picks it).
pub fn free_port() -> Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .context("cannot find a free port on 127.0.0.1")
}

/// A server started by the bench; dropping it kills the server.
pub struct ServerProcess {
    name: String,
    child: Child,
}

impl ServerProcess {
    pub fn start(name: &str, mut command: Command) -> Result<ServerProcess> {
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {name}"))?;
        Ok(ServerProcess {
            name: name.to_owned(),
            child,
        })
    }

    /// Waits until the server accepts connections on `port`, or stops.
    pub fn wait_until_listening(&mut self, port: u16) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                bail!(
                    "{} stopped at start-up ({status}); its message is above",
                    self.name
                );
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!(
            "{} did not listen on port {port} within {} s",
            self.name,
            START_TIMEOUT.as_secs()
        )
    }

    /// `VmHWM` from `/proc/<pid>/status`: the most resident memory the
    /// process has held since it started (Linux only).
    pub fn peak_rss_kib(&self) -> Option<u64> {
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
