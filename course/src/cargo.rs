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

use crate::style;

/// What a captured cargo run printed.
#[derive(Debug)]
pub struct Captured {
    pub success: bool,
    /// Standard output: for `cargo test`, the test results.
    pub stdout: String,
    /// Standard error, with colour codes when the runner's output has colour.
    pub stderr: String,
}

impl Captured {
    /// Cargo's diagnostics (errors and warnings) without its progress lines
    /// (`Compiling …`, `Running …`), ready to show to the learner.
    pub fn diagnostics(&self) -> String {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|line| !is_progress(&anstream::adapter::strip_str(line).to_string()))
            .collect();
        lines.join("\n").trim().to_owned()
    }
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

/// Runs `command` (cargo, or a program cargo built), capturing its output,
/// showing cargo's progress as `label`.
pub fn capture(mut command: Command, label: &str) -> Result<Captured> {
    let program = Path::new(command.get_program()).display().to_string();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let label = label.to_owned();
    let stderr_reader = thread::spawn(move || read_with_progress(stderr, &label));
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
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

/// How many crates a build compiles before the runner says that this is a
/// long first build: a one-line change recompiles two or three.
const CRATES_OF_A_FIRST_BUILD: usize = 12;

/// Said once, when a build compiles many crates: without it a first build
/// shows only cargo's lines for minutes.
const FIRST_BUILD_NOTE: &str = "This build compiles the libraries the lessons use, once: \
                                up to ten minutes on a small laptop. Later runs take seconds.";

/// Collects standard error; on a terminal, shows its latest progress line,
/// with a count of the crates compiled so far.
fn read_with_progress(stderr: impl Read, label: &str) -> String {
    let show = style::stderr_is_terminal();
    let mut collected = String::new();
    let mut compiled = 0;
    for line in BufReader::new(stderr).lines().map_while(|line| line.ok()) {
        if show {
            let plain = anstream::adapter::strip_str(&line).to_string();
            if is_progress(&plain) {
                if plain.trim_start().starts_with("Compiling ") {
                    compiled += 1;
                    if compiled == CRATES_OF_A_FIRST_BUILD {
                        eprintln!("\r\x1b[2K{FIRST_BUILD_NOTE}");
                    }
                }
                let status: String = plain.trim().chars().take(60).collect();
                let count = if compiled >= CRATES_OF_A_FIRST_BUILD {
                    format!(" ({compiled} crates compiled)")
                } else {
                    String::new()
                };
                eprint!("\r\x1b[2K{label}: {status}{count}");
                let _ = std::io::stderr().flush();
            }
        }
        collected.push_str(&line);
        collected.push('\n');
    }
    if show {
        eprint!("\r\x1b[2K");
    }
    collected
}

/// Cargo's status lines: a right-aligned verb, such as `   Compiling x`.
fn is_progress(line: &str) -> bool {
    const VERBS: [&str; 13] = [
        "Compiling",
        "Checking",
        "Finished",
        "Running",
        "Blocking",
        "Downloading",
        "Downloaded",
        "Updating",
        "Locking",
        "Adding",
        "Fresh",
        "Doc-tests",
        "Executable",
    ];
    let Some(first) = line.split_whitespace().next() else {
        return false;
    };
    line.starts_with(' ') && VERBS.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_are_told_from_diagnostics() {
        assert!(is_progress("   Compiling tokio v1.54.1"));
        assert!(is_progress(
            "     Running tests/lesson.rs (target/debug/deps/lesson-1)"
        ));
        assert!(is_progress(
            "    Blocking waiting for file lock on build directory"
        ));
        assert!(!is_progress(
            "error[E0425]: cannot find value `x` in this scope"
        ));
        assert!(!is_progress("warning: unused variable: `y`"));
        assert!(!is_progress("  --> src/lib.rs:3:5"));
        assert!(!is_progress(""));
    }

    #[test]
    fn diagnostics_leave_out_progress() {
        let captured = Captured {
            success: false,
            stdout: String::new(),
            stderr: "   Compiling lesson v0.1.0\nerror: expected `;`\n  --> src/lib.rs:1:9\n\
                     error: could not compile `lesson`\n"
                .to_owned(),
        };
        assert_eq!(
            captured.diagnostics(),
            "error: expected `;`\n  --> src/lib.rs:1:9\nerror: could not compile `lesson`"
        );
    }
}
