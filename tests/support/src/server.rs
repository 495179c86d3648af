//! Running a lesson's server binary, as `cargo run` would, to test start-up
//! (that it prints its URL, that it fails with a clear message) and
//! shutdown (that SIGTERM lets the requests in flight finish).
//!
//! Everything the server writes, on stdout and on stderr, is read line by
//! line from start to end, so a server that prints after start-up never
//! writes into a closed pipe; [`ServerProcess::stop`] hands all of it back.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::panics::TODO_PANIC;

/// How long a server may take to print its URL.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a server that cannot start may take to say so and stop.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(8);
/// How long a server may take to stop once it has been asked to.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the graceful-shutdown check lets the server read the first
/// bytes of the request in flight, where it cannot see when it has.
const READ_THE_FIRST_BYTES: Duration = Duration::from_millis(200);

/// A lesson's server running as its own process; killed when dropped.
///
/// ```text
/// let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
/// let server = ServerProcess::command(env!("CARGO_PKG_NAME"))
///     .current_dir(folder)
///     .env("PORT", "0")
///     .start();
/// ```
pub struct ServerProcess {
    child: Child,
    url: String,
    output: Output,
}

/// How to start a lesson's server: [`ServerProcess::command`], then any of
/// [`env`](Self::env), [`env_remove`](Self::env_remove) and
/// [`current_dir`](Self::current_dir), then [`start`](Self::start),
/// [`try_start`](Self::try_start) or
/// [`assert_refuses_to_start`](Self::assert_refuses_to_start).
pub struct ServerCommand {
    command: Command,
}

/// How a server process ended, with everything it wrote.
#[derive(Debug)]
pub struct Exit {
    /// It exited by itself with code 0 (not when killed by a signal).
    pub success: bool,
    /// How it ended, such as `exit status: 1` or `signal: 15 (SIGTERM)`.
    pub status: String,
    pub stdout: String,
    pub stderr: String,
}

impl ServerProcess {
    /// Prepares to run the binary of `package` (pass
    /// `env!("CARGO_PKG_NAME")`), with stdin closed, no `RUST_LOG`, and
    /// `PORT=0`: the system picks a free port, and the server prints it.
    pub fn command(package: &str) -> ServerCommand {
        let mut command = Command::new(binary(package));
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("RUST_LOG")
            .env("PORT", "0");
        ServerCommand { command }
    }

    /// Starts the binary of `package` with extra environment variables
    /// (`PORT` is 0 unless they set it), and waits for the `http://…` URL it
    /// prints.
    #[track_caller]
    pub fn start(package: &str, envs: &[(&str, &str)]) -> Self {
        Self::command(package).envs(envs).start()
    }

    /// The URL the server printed, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Kills the server, then returns everything it wrote, from its first
    /// line to its last.
    pub fn stop(&mut self) -> Exit {
        let _ = self.child.kill();
        finish(&mut self.child, &mut self.output)
    }

    /// Checks that SIGTERM stops the server gracefully: a request that is
    /// still arriving when the signal comes is answered (any status), and then
    /// the server exits by itself, with code 0, within a few seconds.
    ///
    /// The request is `GET path`, its head sent in two parts: the first
    /// before the signal, the blank line that ends it once the server has
    /// stopped taking new connections. A failure shows everything the
    /// server wrote.
    #[cfg(unix)]
    #[track_caller]
    pub fn assert_graceful_shutdown(mut self, path: &str) {
        let what_to_fix = "Given code: src/main.rs serves with \
                           `axum::serve(...).with_graceful_shutdown(shutdown_signal())`.";
        use std::io::Write;
        use std::net::TcpStream;

        let address = self.url.trim_start_matches("http://").to_owned();
        let mut request = TcpStream::connect(&address).expect("a connection to the server");
        write!(request, "GET {path} HTTP/1.1\r\nhost: {address}\r\n").unwrap();
        // The signal must come after the server has accepted that connection.
        // It accepts connections in the order they came: once a later one is
        // answered, the first one is in.
        let mut later = TcpStream::connect(&address).expect("a second connection");
        write!(
            later,
            "GET {path} HTTP/1.1\r\nhost: {address}\r\nconnection: close\r\n\r\n"
        )
        .unwrap();
        assert!(
            read_answer(&mut later).is_some(),
            "\nGET {path}: no answer before any signal was sent.\n{what_to_fix}\n"
        );
        // Accepted is not yet read: until the server has read the first
        // bytes, it has not chosen between HTTP/1 and HTTP/2, and a shutdown
        // then closes the connection unanswered (hyper-util's `auto`
        // connection). That is no fault of the code under test.
        wait_until_the_server_reads(&request);

        self.send_sigterm();
        let stopped_listening =
            wait_until(SHUTDOWN_TIMEOUT, || TcpStream::connect(&address).is_err());
        // The server has the signal: now the request's head ends.
        let answer = request
            .write_all(b"\r\n")
            .ok()
            .and_then(|()| read_answer(&mut request));
        let exited = wait_until(SHUTDOWN_TIMEOUT, || {
            matches!(self.child.try_wait(), Ok(Some(_)))
        });
        let exit = self.stop();

        let status_line = answer.as_deref().and_then(|answer| answer.lines().next());
        assert!(
            stopped_listening,
            "\nafter SIGTERM the server still took new connections {} s later: it should \
             stop listening at once.\n{what_to_fix}\n{exit}",
            SHUTDOWN_TIMEOUT.as_secs()
        );
        assert!(
            status_line.is_some_and(|line| line.starts_with("HTTP/1.1 ")),
            "\nGET {path} was on its way when SIGTERM came: the server should answer it \
             before it stops, got {status_line:?} (`None`: the connection closed without \
             an answer).\n{what_to_fix}\n{exit}"
        );
        assert!(
            exited,
            "\nafter SIGTERM and the last answer, the server kept running for {} s: it \
             should stop by itself.\n{what_to_fix}\n{exit}",
            SHUTDOWN_TIMEOUT.as_secs()
        );
        assert!(
            exit.success,
            "\nafter SIGTERM the server should exit with code 0, a clean stop.\n\
             {what_to_fix}\n{exit}"
        );
    }

    /// Sends SIGTERM, what `kill`, `docker stop` and systemd send.
    #[cfg(unix)]
    fn send_sigterm(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("the `kill` command");
        assert!(sent.success(), "`kill -TERM` failed: {sent}");
    }
}

impl ServerCommand {
    /// Sets an environment variable for the server.
    pub fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(name, value);
        self
    }

    /// Sets several environment variables for the server.
    pub fn envs(mut self, envs: &[(&str, &str)]) -> Self {
        self.command.envs(envs.iter().copied());
        self
    }

    /// Removes a variable the tests themselves may have been given.
    pub fn env_remove(mut self, name: &str) -> Self {
        self.command.env_remove(name);
        self
    }

    /// Starts the server in `folder` rather than in the folder of the tests.
    pub fn current_dir(mut self, folder: &Path) -> Self {
        self.command.current_dir(folder);
        self
    }

    /// Starts the server and waits for the `http://…` URL it prints; panics
    /// with its error output when it never does.
    #[track_caller]
    pub fn start(self) -> ServerProcess {
        self.try_start().unwrap_or_else(|exit| {
            panic!(
                "the server never printed the URL it listens on \
                 (a line such as `Listening on http://127.0.0.1:3000`).\n\
                 Its error output was:\n{}",
                exit.stderr
            )
        })
    }

    /// Starts the server and waits for the `http://…` URL it prints. When
    /// it does not print one, stops it and returns how it ended.
    pub fn try_start(self) -> Result<ServerProcess, Exit> {
        let (mut child, mut output) = self.spawn();
        match output.wait_for_url(START_TIMEOUT) {
            Ending::Listening(url) => Ok(ServerProcess { child, url, output }),
            Ending::Exited | Ending::StillRunning => {
                let _ = child.kill();
                Err(finish(&mut child, &mut output))
            }
        }
    }

    /// Runs the server expecting it to refuse to start, and checks that it
    /// refused in a way a person can act on: an error exit code, and exactly
    /// one line on stderr, not a panic, that contains every text in
    /// `mentioning` (the port, the folder, the variable to set…).
    ///
    /// A server that prints its URL instead, or keeps running, fails the
    /// test at once. Every failure shows `what_to_fix` (which names the TODO
    /// or the given code) and what the server wrote; but a server that
    /// stopped at a `todo!()` is shown that `todo!()`, which names its own
    /// TODO. Returns how it ended, for more checks on its output.
    ///
    /// ```text
    /// ServerProcess::command(env!("CARGO_PKG_NAME"))
    ///     .env("PORT", &port)
    ///     .assert_refuses_to_start(&[&port], "TODO 3: name the taken port.");
    /// ```
    #[track_caller]
    pub fn assert_refuses_to_start(self, mentioning: &[&str], what_to_fix: &str) -> Exit {
        let (mut child, mut output) = self.spawn();
        let ending = output.wait_for_url(REFUSAL_TIMEOUT);
        if !matches!(ending, Ending::Exited) {
            let _ = child.kill();
        }
        let exit = finish(&mut child, &mut output);
        match ending {
            Ending::Exited => {}
            Ending::Listening(url) => panic!(
                "\nthe server was expected to refuse to start, but it started: it printed \
                 {url}.\n{what_to_fix}\n{exit}\n"
            ),
            Ending::StillRunning => panic!(
                "\nthe server was expected to refuse to start and stop within {} s, but it \
                 kept running.\n{what_to_fix}\n{exit}\n",
                REFUSAL_TIMEOUT.as_secs()
            ),
        }
        // A `todo!()` names its own TODO: that one comes first.
        if let Some(TodoPanic { words, .. }) = todo_reached(&exit.stderr) {
            panic!(
                "\nthe server stopped at a `todo!()` before it got this far: {words}\n\
                 Do that TODO first; this test checks what comes after it.\n"
            );
        }
        exit.assert_one_line_error(mentioning, what_to_fix);
        exit
    }

    fn spawn(mut self) -> (Child, Output) {
        let program = PathBuf::from(self.command.get_program());
        let mut child = self
            .command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        for (stream, pipe) in [
            (Stream::Stdout, Box::new(stdout) as Box<dyn Read + Send>),
            (Stream::Stderr, Box::new(stderr)),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for text in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = sender.send(Line { stream, text });
                }
            });
        }
        let output = Output {
            lines,
            seen: Vec::new(),
        };
        (child, output)
    }
}

impl Exit {
    /// Checks that something was logged once: exactly one line the server
    /// wrote, on stdout or on stderr, contains any of `words`.
    #[track_caller]
    pub fn assert_logged_once(&self, words: &[&str], what_to_fix: &str) {
        let lines = self
            .stdout
            .lines()
            .chain(self.stderr.lines())
            .filter(|line| words.iter().any(|word| line.contains(word)))
            .count();
        assert_eq!(
            lines, 1,
            "\nexpected exactly one line of the server's output to mention any of {words:?}, \
             found {lines}.\n{what_to_fix}\nIts output was:\n{}{}\n",
            self.stdout, self.stderr
        );
    }

    /// The error exit and the one line of
    /// [`ServerCommand::assert_refuses_to_start`].
    #[track_caller]
    fn assert_one_line_error(&self, mentioning: &[&str], what_to_fix: &str) {
        let stderr = &self.stderr;
        assert!(
            !self.success,
            "\nthe server stopped, but with a success exit code: \
             a server that cannot start must exit with an error code.\n\
             {what_to_fix}\nIts error output was:\n{stderr}\n"
        );
        assert!(
            !stderr.contains("panicked"),
            "\nthe server panicked: a server that cannot start should print one \
             clear line with `eprintln!` and exit with an error code.\n\
             {what_to_fix}\nIts error output was:\n{stderr}\n"
        );
        let lines = stderr.trim().lines().count();
        assert_eq!(
            lines, 1,
            "\nexpected exactly one line on stderr, got {lines}.\n\
             {what_to_fix}\nIts error output was:\n{stderr}\n"
        );
        for text in mentioning {
            assert!(
                stderr.contains(text),
                "\nthe error line should mention {text:?}.\n\
                 {what_to_fix}\nIts error output was:\n{stderr}\n"
            );
        }
    }
}

/// For failure messages: how the server ended and what it wrote.
impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only a test kills a server (`ServerProcess::stop`, or a server
        // that kept running when it should have stopped): not a crash.
        if self.status.contains("SIGKILL") {
            f.write_str("The test stopped the server, which was still running.")?;
        } else {
            write!(f, "The server ended with {}.", self.status)?;
        }
        write!(
            f,
            "\nIts output was:\n{}\nIts error output was:\n{}",
            self.stdout, self.stderr
        )
    }
}

/// Checks that starting the server with `PORT` set to a port that is
/// already in use fails with one line that names the port. `envs` are the
/// other variables the server needs to get that far; `where_to_look` says
/// which code does it (a TODO, or given code), for the failure message.
#[track_caller]
pub fn assert_taken_port_is_refused(package: &str, envs: &[(&str, &str)], where_to_look: &str) {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("its address").port().to_string();

    ServerProcess::command(package)
        .envs(envs)
        .env("PORT", &port)
        .assert_refuses_to_start(
            &[&port],
            &format!(
                "When PORT is already in use, the server prints one line that names the port \
                 and exits with an error code: see how src/main.rs handles the error of \
                 `TcpListener::bind` ({where_to_look})."
            ),
        );
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        if !std::thread::panicking() {
            let _ = self.child.wait();
            return;
        }
        // The test failed. If the server stopped at a `todo!()` on the way
        // (a request's task panicked, so the request got no answer), that
        // TODO comes first: show its panic as the server printed it.
        let exit = finish(&mut self.child, &mut self.output);
        if let Some(TodoPanic { head, words }) = todo_reached(&exit.stderr) {
            // `note: ` ends the test's own message for `cargo course verify`.
            eprintln!(
                "\nnote: the server reached a `todo!()` while this test ran; do that TODO \
                 first:\n{}{words}",
                head.map(|head| format!("{head}\n")).unwrap_or_default()
            );
        }
    }
}

/// A `todo!()` panic, as a server printed it on stderr.
#[derive(Debug, PartialEq)]
struct TodoPanic<'a> {
    /// `thread '…' panicked at src/routes.rs:48:5:`, when it is there.
    head: Option<&'a str>,
    /// `not yet implemented: TODO 2: …`
    words: &'a str,
}

/// The first `todo!()` panic in what a server wrote on stderr.
fn todo_reached(stderr: &str) -> Option<TodoPanic<'_>> {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines.iter().position(|line| line.starts_with(TODO_PANIC))?;
    let head = at
        .checked_sub(1)
        .map(|before| lines[before])
        .filter(|line| line.starts_with("thread '"));
    Some(TodoPanic {
        head,
        words: lines[at],
    })
}

/// Which pipe a line came from.
#[derive(Clone, Copy, PartialEq)]
enum Stream {
    Stdout,
    Stderr,
}

/// One line the server wrote.
struct Line {
    stream: Stream,
    text: String,
}

/// The server's output: lines arrive from two reader threads, one per pipe.
struct Output {
    lines: Receiver<Line>,
    /// The lines read so far.
    seen: Vec<Line>,
}

/// What [`Output::wait_for_url`] saw first.
enum Ending {
    /// The server printed a line with its URL: it is listening.
    Listening(String),
    /// The server closed its output: it has stopped.
    Exited,
    /// Neither, in time.
    StillRunning,
}

impl Output {
    /// Reads lines until one on stdout holds a URL, or both pipes close.
    fn wait_for_url(&mut self, timeout: Duration) -> Ending {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let url = line
                        .text
                        .find("http://")
                        .filter(|_| line.stream == Stream::Stdout)
                        .map(|start| line.text[start..].trim().to_owned());
                    self.seen.push(line);
                    if let Some(url) = url {
                        return Ending::Listening(url);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Ending::Exited,
                Err(RecvTimeoutError::Timeout) => return Ending::StillRunning,
            }
        }
    }

    /// Every line written on `stream`, each ended by a newline.
    fn text(&self, stream: Stream) -> String {
        self.seen
            .iter()
            .filter(|line| line.stream == stream)
            .map(|line| format!("{}\n", line.text))
            .collect()
    }
}

/// Waits for `child` to end (it has been killed, or is about to stop), then
/// reads the rest of its output: its pipes are closed, so this never waits
/// for lines that might still come.
fn finish(child: &mut Child, output: &mut Output) -> Exit {
    let status = child.wait().expect("the server's exit status");
    // The reader threads may still hold the last lines: wait for them.
    while let Ok(line) = output.lines.recv_timeout(Duration::from_secs(5)) {
        output.seen.push(line);
    }
    Exit {
        success: status.success(),
        status: status.to_string(),
        stdout: output.text(Stream::Stdout),
        stderr: output.text(Stream::Stderr),
    }
}

/// Calls `done` every 20 ms until it is true (returns true) or `timeout`
/// has passed (returns false).
#[cfg(unix)]
/// Waits until the server has read what `connection` sent. Linux shows in
/// /proc/net/tcp how many bytes each socket holds unread, and the server's
/// end of this connection must hold none. Where that cannot be told, waits
/// [`READ_THE_FIRST_BYTES`] instead.
#[cfg(unix)]
fn wait_until_the_server_reads(connection: &std::net::TcpStream) {
    if unread_by_the_server(connection).is_none() {
        std::thread::sleep(READ_THE_FIRST_BYTES);
        return;
    }
    wait_until(SHUTDOWN_TIMEOUT, || {
        unread_by_the_server(connection) == Some(0)
    });
}

/// How many bytes the server's end of `connection` (IPv4) holds unread,
/// read from /proc/net/tcp; `None` when that cannot be told.
#[cfg(unix)]
fn unread_by_the_server(connection: &std::net::TcpStream) -> Option<u64> {
    use std::net::{SocketAddr, SocketAddrV4};

    let (SocketAddr::V4(client), SocketAddr::V4(server)) =
        (connection.local_addr().ok()?, connection.peer_addr().ok()?)
    else {
        return None;
    };
    // As the kernel prints them: the address in the machine's byte order.
    let hex = |address: SocketAddrV4| {
        let ip = u32::from_ne_bytes(address.ip().octets());
        format!("{ip:08X}:{:04X}", address.port())
    };
    let (servers_end, clients_end) = (hex(server), hex(client));
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|line| {
        // `sl local_address rem_address st tx_queue:rx_queue …`
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, local, remote, _, queues, ..] = fields.as_slice() else {
            return None;
        };
        if *local != servers_end || *remote != clients_end {
            return None;
        }
        let (_, unread) = queues.split_once(':')?;
        u64::from_str_radix(unread, 16).ok()
    })
}

fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

/// Reads an HTTP answer to its end; `None` when nothing came back.
#[cfg(unix)]
fn read_answer(stream: &mut std::net::TcpStream) -> Option<String> {
    stream
        .set_read_timeout(Some(SHUTDOWN_TIMEOUT))
        .expect("a read timeout");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    (!answer.is_empty()).then_some(answer)
}

/// Where cargo put the binary of `package`: the test executable lives in
/// `target/<profile>/deps/`, the package's binaries one folder up.
pub fn binary(package: &str) -> PathBuf {
    let test_executable = std::env::current_exe().expect("the test executable's path");
    let profile_dir = test_executable
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    profile_dir.join(format!("{package}{}", std::env::consts::EXE_SUFFIX))
}

#[cfg(test)]
mod tests {
    use super::{TodoPanic, todo_reached};

    #[cfg(target_os = "linux")]
    #[test]
    fn the_bytes_a_server_has_not_read_yet_are_seen() {
        use std::io::{Read, Write};

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        let (mut server, _) = listener.accept().unwrap();
        assert!(super::wait_until(super::SHUTDOWN_TIMEOUT, || {
            super::unread_by_the_server(&client) == Some(16)
        }));

        let mut read = [0; 16];
        server.read_exact(&mut read).unwrap();
        assert_eq!(super::unread_by_the_server(&client), Some(0));
    }

    #[test]
    fn the_first_todo_panic_of_a_server_is_found_with_its_place() {
        let stderr = "Listening on http://127.0.0.1:3000\n\
                      thread 'tokio-runtime-worker' (7) panicked at src/routes.rs:48:5:\n\
                      not yet implemented: TODO 2: read the name\n\
                      note: run with `RUST_BACKTRACE=1` to display a backtrace\n\
                      thread 'tokio-runtime-worker' (8) panicked at src/cookies.rs:9:5:\n\
                      not yet implemented: TODO 4: count\n";
        assert_eq!(
            todo_reached(stderr),
            Some(TodoPanic {
                head: Some("thread 'tokio-runtime-worker' (7) panicked at src/routes.rs:48:5:"),
                words: "not yet implemented: TODO 2: read the name",
            })
        );
        assert_eq!(todo_reached("Listening on http://127.0.0.1:3000\n"), None);
    }
}
