//! Running cargo from the runner.
//!
//! The runner itself runs under `cargo run`, which sets `CARGO` to the cargo
//! that started it: using it keeps the same toolchain. Output is captured
//! to be read; while cargo compiles, one line on a terminal shows what it is
//! doing, so a first build of several minutes never looks stuck.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{Context, Result};

use crate::{messages, style};

/// What a captured cargo run printed.
#[derive(Debug)]
pub struct Captured {
    pub success: bool,
    /// Standard output: for `cargo test`, the test results.
    pub stdout: String,
    /// Standard error, with colour codes when the runner's output has colour.
    pub stderr: String,
}

/// A `cargo` command run from the course root, with the same toolchain.
pub fn command(root: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command.current_dir(root);
    forget_the_runners_package(&mut command);
    command
}

/// `cargo run` describes the runner's own package in variables such as
/// CARGO_MANIFEST_DIR. Some build scripts (ring's) watch that variable, so
/// passing it on would make every nested build recompile them, and the
/// learner's next plain `cargo test` recompile them back; a test program
/// would see the runner's package instead of its own.
fn forget_the_runners_package(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_") || RUN_VARIABLES.contains(&name.as_ref()) {
            command.env_remove(name.as_ref());
        }
    }
}

/// Variables `cargo run` sets for the program it runs (besides CARGO_PKG_*).
const RUN_VARIABLES: [&str; 5] = [
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
];

/// A test program cargo built for the crate in `crate_dir` (absolute), set
/// up as `cargo test` runs it: from the crate's folder, with
/// `CARGO_MANIFEST_DIR` naming it, backtraces off (they would bury the
/// messages; `cargo test` shows them when wanted).
pub fn test_program(program: &Path, crate_dir: &Path) -> Command {
    let mut command = Command::new(program);
    forget_the_runners_package(&mut command);
    command
        .current_dir(crate_dir)
        .env("CARGO_MANIFEST_DIR", crate_dir)
        .env("RUST_BACKTRACE", "0");
    command
}

/// Runs `programs` one after another, as `cargo test` does, and gathers
/// what they printed: successful only when every one of them succeeded.
pub fn capture_all(programs: Vec<Command>, label: &str) -> Result<Captured> {
    let mut all = Captured {
        success: true,
        stdout: String::new(),
        stderr: String::new(),
    };
    for program in programs {
        let run = capture(program, label)?;
        all.success &= run.success;
        all.stdout.push_str(&run.stdout);
        all.stderr.push_str(&run.stderr);
    }
    Ok(all)
}

/// The platform Rust builds for here, such as `x86_64-unknown-linux-gnu`:
/// fetching for it alone skips crates only other systems need.
pub fn host_target() -> Option<String> {
    let output = Command::new("rustc").arg("-vV").output().ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
}

/// `--color always` when the runner's output has colour, else `never`.
pub fn colour_flag() -> [&'static str; 2] {
    [
        "--color",
        if style::stdout_has_colour() {
            "always"
        } else {
            "never"
        },
    ]
}

/// Runs `command` (cargo, or a program cargo built), capturing its output.
/// While it runs, a line on a terminal says `label`; for a cargo build with
/// JSON messages, it follows the crates compiled.
pub fn capture(mut command: Command, label: &str) -> Result<Captured> {
    let program = Path::new(command.get_program()).display().to_string();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let stderr_reader = thread::spawn(move || read_lossy(stderr));
    let mut progress = Progress::start(label);
    let mut stdout = String::new();
    if let Some(out) = child.stdout.take() {
        let mut out = BufReader::new(out);
        let mut line = Vec::new();
        while out.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            let text = String::from_utf8_lossy(&line);
            progress.follow(text.trim_end());
            stdout.push_str(&text);
            line.clear();
        }
    }
    progress.end();
    let stderr = stderr_reader.join().unwrap_or_default();
    let status = child
        .wait()
        .with_context(|| format!("{program} did not finish"))?;
    Ok(Captured {
        success: status.success(),
        stdout,
        stderr,
    })
}

/// All of `input` as text, any invalid UTF-8 replaced.
fn read_lossy(mut input: impl Read) -> String {
    let mut bytes = Vec::new();
    let _ = input.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// How many crates a build compiles before the runner says that this is a
/// long first build: a one-line change recompiles two or three.
const CRATES_OF_A_FIRST_BUILD: usize = 12;

/// Said once, when a build compiles many crates: without it a first build
/// shows only a crate name after another for minutes.
const FIRST_BUILD_NOTE: &str = "This build compiles the libraries the lessons use, once: \
                                up to ten minutes on a small laptop. Later runs take seconds.";

/// The one line a terminal shows while the runner waits on cargo or a test
/// program: the label, and the crates compiled so far, read from cargo's
/// JSON messages (`compiler-artifact`).
struct Progress<'a> {
    label: &'a str,
    /// Whether standard error is a terminal: elsewhere nothing is shown.
    on_a_terminal: bool,
    compiled: usize,
}

impl<'a> Progress<'a> {
    fn start(label: &'a str) -> Self {
        let progress = Progress {
            label,
            on_a_terminal: style::stderr_is_terminal(),
            compiled: 0,
        };
        progress.print(&format!("{label}…"));
        progress
    }

    /// Follows one line of standard output.
    fn follow(&mut self, line: &str) {
        if !self.on_a_terminal {
            return;
        }
        if let Some(status) = self.status(line) {
            self.print(&status);
        }
    }

    /// What the line says to show, if anything: the crate just compiled,
    /// and once, on a long build, [`FIRST_BUILD_NOTE`] on a line of its own.
    fn status(&mut self, line: &str) -> Option<String> {
        let name = messages::compiled_crate(line)?;
        self.compiled += 1;
        let note = if self.compiled == CRATES_OF_A_FIRST_BUILD {
            format!("{FIRST_BUILD_NOTE}\n")
        } else {
            String::new()
        };
        let crates = if self.compiled == 1 {
            "crate"
        } else {
            "crates"
        };
        Some(format!(
            "{note}{}: compiled {name} ({} {crates} so far)",
            self.label, self.compiled
        ))
    }

    fn print(&self, status: &str) {
        if self.on_a_terminal {
            eprint!("\r\x1b[2K{status}");
            let _ = std::io::stderr().flush();
        }
    }

    /// Clears the line.
    fn end(&self) {
        if self.on_a_terminal {
            eprint!("\r\x1b[2K");
        }
    }
}

/// What a build printed for the learner when it failed: the compiler's
/// diagnostics, read from cargo's JSON messages in `stdout`, then cargo's
/// own errors (a broken manifest, say) from `stderr`. Builds run with
/// `--quiet`, so no progress line stands among them.
pub fn build_problems(captured: &Captured) -> String {
    let build = messages::BuildOutput::read(&captured.stdout);
    let mut problems: Vec<&str> = build.rendered().into_iter().map(str::trim_end).collect();
    problems.push(captured.stderr.trim());
    problems.retain(|problem| !problem.is_empty());
    problems.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(name: &str, fresh: bool) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "manifest_path": format!("/course/{name}/Cargo.toml"),
            "target": {"name": name},
            "profile": {"test": false},
            "executable": null,
            "fresh": fresh,
        })
        .to_string()
    }

    fn progress() -> Progress<'static> {
        Progress {
            label: "Building",
            on_a_terminal: false,
            compiled: 0,
        }
    }

    #[test]
    fn progress_follows_the_crates_compiled_and_skips_the_fresh_ones() {
        let mut progress = progress();
        assert_eq!(progress.status(&artifact("tokio", true)), None);
        assert_eq!(progress.status("running 3 tests"), None);
        assert_eq!(
            progress
                .status(&artifact("lesson_07_cookies", false))
                .as_deref(),
            Some("Building: compiled lesson_07_cookies (1 crate so far)")
        );
    }

    #[test]
    fn a_long_build_says_once_that_it_is_a_first_build() {
        let mut progress = progress();
        let statuses: Vec<String> = (0..2 * CRATES_OF_A_FIRST_BUILD)
            .filter_map(|n| progress.status(&artifact(&format!("crate_{n}"), false)))
            .collect();
        let noted: Vec<usize> = statuses
            .iter()
            .enumerate()
            .filter(|(_, status)| status.starts_with(FIRST_BUILD_NOTE))
            .map(|(n, _)| n + 1)
            .collect();
        assert_eq!(noted, [CRATES_OF_A_FIRST_BUILD]);
        assert!(statuses.last().unwrap().ends_with("(24 crates so far)"));
    }

    #[test]
    fn build_problems_are_the_compilers_then_cargos() {
        let compiler = serde_json::json!({
            "reason": "compiler-message",
            "manifest_path": "/course/lessons/03-x/Cargo.toml",
            "message": {"level": "error", "rendered": "error: expected `;`\n", "spans": []},
        });
        let captured = Captured {
            success: false,
            stdout: format!("{compiler}\n{}\n", artifact("serde", false)),
            stderr: "error: could not compile `lesson`\n".to_owned(),
        };
        assert_eq!(
            build_problems(&captured),
            "error: expected `;`\n\nerror: could not compile `lesson`"
        );
    }
}
