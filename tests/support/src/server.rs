//! Running a lesson's server binary, as `cargo run` would, to test start-up:
//! that it prints its URL, and that it fails with a clear message.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a server may take to print its URL.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a server that cannot start may take to say so and stop.
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(8);

/// A lesson's server running as its own process; killed when dropped.
pub struct ServerProcess {
    child: Child,
    url: String,
}

/// How a server process ended when it was expected to refuse to start.
#[derive(Debug)]
pub struct Exit {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl ServerProcess {
    /// Starts the binary of `package` (pass `env!("CARGO_PKG_NAME")`) with
    /// extra environment variables, and waits for the `http://…` URL it
    /// prints on its first line of output.
    #[track_caller]
    pub fn start(package: &str, envs: &[(&str, &str)]) -> Self {
        let mut child = command(package, envs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary(package).display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(start) = line.find("http://") {
                    let _ = sender.send(line[start..].trim().to_owned());
                    return;
                }
            }
        });
        match receiver.recv_timeout(START_TIMEOUT) {
            Ok(url) => Self { child, url },
            Err(_) => {
                let _ = child.kill();
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                panic!(
                    "the server never printed the URL it listens on \
                     (a line such as `Listening on http://127.0.0.1:3000`).\n\
                     Its error output was:\n{stderr}"
                );
            }
        }
    }

    /// The URL the server printed, such as `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs the binary of `package` expecting it to stop by itself (because
    /// it cannot start), and returns how it ended.
    ///
    /// A server that prints its URL instead has started, so the test fails
    /// at once rather than waiting for an exit that will never come.
    #[track_caller]
    pub fn run_until_exit(package: &str, envs: &[(&str, &str)]) -> Exit {
        let mut child = command(package, envs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary(package).display()));
        let (sender, receiver) = mpsc::channel();
        let stdout_pipe = child.stdout.take().expect("piped stdout");
        let mut stderr_pipe = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            let mut stdout = String::new();
            for line in BufReader::new(stdout_pipe).lines().map_while(Result::ok) {
                if line.contains("http://") {
                    let _ = sender.send(Ending::Listening(line));
                    return;
                }
                stdout.push_str(&line);
                stdout.push('\n');
            }
            let mut stderr = String::new();
            let _ = stderr_pipe.read_to_string(&mut stderr);
            let _ = sender.send(Ending::Exited { stdout, stderr });
        });
        let ending = receiver.recv_timeout(REFUSAL_TIMEOUT);
        let (stdout, stderr) = match ending {
            Ok(Ending::Exited { stdout, stderr }) => (stdout, stderr),
            Ok(Ending::Listening(line)) => {
                let _ = child.kill();
                panic!(
                    "the server was expected to refuse to start with an error, \
                     but it started: it printed `{line}`"
                );
            }
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the server was expected to stop with an error within {} s, \
                     but it kept running",
                    REFUSAL_TIMEOUT.as_secs()
                );
            }
        };
        let status = child.wait().expect("the server's exit status");
        Exit {
            success: status.success(),
            stdout,
            stderr,
        }
    }
}

impl Exit {
    /// Checks that the server refused to start in a way a person can act on:
    /// it exited with an error code, and wrote exactly one line on stderr,
    /// not a panic, that contains every text in `mentioning` (the port, the
    /// folder, the variable to set…).
    ///
    /// `what_to_fix` is shown when the check fails, with the server's error
    /// output. Returns `self`, so a test can go on checking `stdout`.
    ///
    /// ```text
    /// ServerProcess::run_until_exit(env!("CARGO_PKG_NAME"), &[("PORT", &port)])
    ///     .assert_one_line_error(&[&port], "Print one line naming the taken port.");
    /// ```
    #[track_caller]
    pub fn assert_one_line_error(&self, mentioning: &[&str], what_to_fix: &str) -> &Self {
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
        self
    }
}

/// What [`ServerProcess::run_until_exit`] saw first.
enum Ending {
    /// The server printed a line with its URL: it is listening.
    Listening(String),
    /// The server closed its output: it has stopped.
    Exited { stdout: String, stderr: String },
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(package: &str, envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(binary(package));
    command.stdin(Stdio::null()).env_remove("RUST_LOG");
    for (name, value) in envs {
        command.env(name, value);
    }
    command
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
