//! `cargo course verify [NN]`: run the lesson's tests against the exercise,
//! show each failing test with its message, and record the result.

use std::process::ExitCode;

use crate::cargo;
use crate::commands::Session;
use crate::course::Lesson;
use crate::error::Result;
use crate::libtest::{self, Failure, TestReport};
use crate::mongo;
use crate::progress::TestResult;
use crate::style::{BAD, DIM, GOOD, STRONG, command, paint};

/// Failing tests shown with their message; the others are only named.
const FAILURES_IN_FULL: usize = 5;
/// Lines of a failure message shown before "…".
const MESSAGE_LINES: usize = 14;

/// Who asks: a single `verify`, or `watch` (which checks again on save).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Once,
    Watching,
}

/// How a verification ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
    DoesNotCompile,
}

pub fn run(session: &mut Session, lesson: Option<&str>) -> Result<ExitCode> {
    let lesson = session.lesson_or_current(lesson, "verify")?;
    Ok(match verify(session, &lesson, Mode::Once)? {
        Verdict::Passed => ExitCode::SUCCESS,
        Verdict::Failed | Verdict::DoesNotCompile => ExitCode::FAILURE,
    })
}

/// Runs the tests of `lesson` on the exercise, prints the outcome and
/// records it in the progress file.
pub fn verify(session: &mut Session, lesson: &Lesson, mode: Mode) -> Result<Verdict> {
    let package = &lesson.exercise_package;
    anstream::println!(
        "Checking {}: {}",
        paint(STRONG, lesson.title()),
        command(format!("cargo test -p {package}"))
    );
    let mut test = cargo::command(&session.course.root);
    test.args(["test", "--package", package, "--no-fail-fast"])
        .args(cargo::colour_flag())
        // Backtraces would bury the messages; `cargo test` shows them if wanted.
        .env("RUST_BACKTRACE", "0");
    if lesson.needs_mongodb {
        tell_about_mongodb(&mut test);
    }
    let captured = cargo::capture(test, "Building")?;
    let report = libtest::parse(&captured.stdout);

    let verdict = if report.all_passed() {
        print_success(session, lesson, &report);
        Verdict::Passed
    } else if report.ran {
        print_failures(lesson, &report, mode);
        Verdict::Failed
    } else {
        print_not_run(lesson, &captured, mode)
    };

    let entry = session.progress.lesson_mut(&lesson.slug);
    entry.done = verdict == Verdict::Passed;
    entry.last_result = Some(match verdict {
        Verdict::DoesNotCompile => TestResult::DoesNotCompile,
        _ => TestResult::Ran {
            passed: report.passed,
            failed: report.failed,
        },
    });
    session.progress.save_or_warn();
    Ok(verdict)
}

/// The tests find MongoDB themselves (`MONGODB_URI`, else Docker); a server
/// already running on this machine is handed to them, which spares Docker.
fn tell_about_mongodb(test: &mut std::process::Command) {
    match mongo::running_server() {
        Some(mongo::Server::Local) => {
            test.env("MONGODB_URI", mongo::LOCAL_URI);
            anstream::println!(
                "{}",
                paint(
                    DIM,
                    format!("The tests use the MongoDB at {}.", mongo::LOCAL_URI)
                )
            );
        }
        Some(server) => {
            anstream::println!(
                "{}",
                paint(DIM, format!("The tests use {}.", server.describe()))
            )
        }
        None => anstream::println!(
            "{}",
            paint(
                DIM,
                format!(
                    "The tests start a MongoDB in Docker ({}); the first time it is downloaded.",
                    mongo::image()
                )
            )
        ),
    }
}

fn print_success(session: &Session, lesson: &Lesson, report: &TestReport) {
    let n = &lesson.number;
    anstream::println!(
        "\n{} all {} tests of {} pass. Lesson done!",
        paint(GOOD, "PASS"),
        report.passed,
        lesson.title()
    );
    anstream::println!(
        "Compare with the reference solution: {}",
        command(format!("cargo course solution {n}"))
    );
    match session.course.next_after(lesson) {
        Some(next) => anstream::println!(
            "{} {}: read {}, then {}",
            paint(STRONG, "Next:"),
            next.title(),
            command(next.notes_file().display()),
            command(format!("cargo course verify {}", next.number))
        ),
        None => anstream::println!("That was the last lesson. The course is done: well done!"),
    }
}

fn print_failures(lesson: &Lesson, report: &TestReport, mode: Mode) {
    anstream::println!();
    for failure in report.failures.iter().take(FAILURES_IN_FULL) {
        print_failure(failure, &lesson.exercise_package);
    }
    if report.failures.len() > FAILURES_IN_FULL {
        anstream::println!(
            "{} more failing (one thing at a time: start with the first above):",
            report.failures.len() - FAILURES_IN_FULL
        );
        for failure in report.failures.iter().skip(FAILURES_IN_FULL) {
            anstream::println!("{} {}", paint(BAD, "FAIL"), short_name(&failure.name));
        }
        anstream::println!();
    }
    anstream::println!(
        "{} of {} tests pass. Fix the first failure, then {}",
        paint(STRONG, report.passed),
        report.total(),
        again(lesson, mode)
    );
    let n = &lesson.number;
    anstream::println!(
        "Stuck? {} gives a hint. Full output: {}",
        command(format!("cargo course hint {n}")),
        command(format!("cargo test -p {}", lesson.exercise_package))
    );
}

fn print_failure(failure: &Failure, package: &str) {
    let name = short_name(&failure.name);
    let location = failure
        .location
        .as_deref()
        .map(|at| paint(DIM, format!("  ({at})")))
        .unwrap_or_default();
    anstream::println!("{} {}{location}", paint(BAD, "FAIL"), paint(STRONG, name));
    let lines: Vec<&str> = failure.message.lines().collect();
    for line in lines.iter().take(MESSAGE_LINES) {
        if line.is_empty() {
            anstream::println!();
        } else {
            anstream::println!("     {line}");
        }
    }
    if lines.len() > MESSAGE_LINES {
        anstream::println!(
            "     {}",
            paint(
                DIM,
                format!(
                    "… {} more lines: cargo test -p {package} -- {name}",
                    lines.len() - MESSAGE_LINES
                )
            )
        );
    }
    anstream::println!();
}

/// How to check again: save (when watching) or run verify again.
fn again(lesson: &Lesson, mode: Mode) -> String {
    let n = &lesson.number;
    match mode {
        Mode::Watching => "save: it is checked again at once.".to_owned(),
        Mode::Once => format!(
            "run {} again ({} re-checks on every save).",
            command(format!("cargo course verify {n}")),
            command(format!("cargo course watch {n}"))
        ),
    }
}

/// `about_page_is_routed` for `cases::about_page_is_routed` (every lesson
/// mounts its tests as the module `cases`).
fn short_name(name: &str) -> &str {
    name.strip_prefix("cases::").unwrap_or(name)
}

/// The tests did not run to their result line: the exercise does not
/// compile (the usual case), or the test program crashed or was stopped.
fn print_not_run(lesson: &Lesson, captured: &cargo::Captured, mode: Mode) -> Verdict {
    let plain = captured.plain_stderr();
    anstream::println!();
    if plain.contains("did not match any packages") {
        anstream::println!(
            "{} the package {} is not in the workspace: add {} to `members` in the root Cargo.toml.",
            paint(BAD, "error:"),
            lesson.exercise_package,
            lesson.exercise_dir().display()
        );
        return Verdict::DoesNotCompile;
    }
    anstream::println!("{}", captured.diagnostics());
    if plain.contains("could not compile") {
        anstream::println!(
            "\n{} {} does not compile yet. Read the first error above: it says which file \
             and line, and often how to fix it. Then {}",
            paint(BAD, "FAIL"),
            lesson.title(),
            again(lesson, mode)
        );
        Verdict::DoesNotCompile
    } else {
        anstream::println!(
            "\n{} the tests of {} stopped before the end: the test program crashed \
             (see above; a stack overflow often comes from a function that calls itself \
             forever). Find the cause, then {}",
            paint(BAD, "FAIL"),
            lesson.title(),
            again(lesson, mode)
        );
        Verdict::Failed
    }
}
