//! `cargo course check [NN…]`: the maintainers' exercise check (CI runs it
//! through `.ci/check-exercises`). For every lesson, or the ones named:
//!
//! - the exercise builds with its tests, without warnings;
//! - its tests FAIL: an exercise never ships solved;
//! - the solution's tests PASS;
//! - the lesson has its shared tests file, its notes and at least one hint.
//!
//! One line per lesson; exit status 1 when any lesson is in breach.

use std::path::Path;
use std::process::ExitCode;

use crate::cargo;
use crate::commands::Session;
use crate::course::Lesson;
use crate::error::Result;
use crate::hints::parse_hints;
use crate::libtest::{self, TestReport};
use crate::style::{BAD, GOOD, paint};

pub fn run(session: &Session, names: &[String]) -> Result<ExitCode> {
    let lessons: Vec<Lesson> = if names.is_empty() {
        session.course.lessons.clone()
    } else {
        names
            .iter()
            .map(|name| session.lesson(name))
            .collect::<Result<_>>()?
    };
    let mut breaches = 0;
    for lesson in &lessons {
        match check_lesson(&session.course.root, lesson)? {
            Ok((failing, passing)) => anstream::println!(
                "{}      {:<20} exercise fails ({failing} failing tests), solution passes ({passing} tests)",
                paint(GOOD, "ok"),
                lesson.slug
            ),
            Err(problems) => {
                breaches += 1;
                anstream::println!(
                    "{}  {:<20} {}",
                    paint(BAD, "BREACH"),
                    lesson.slug,
                    problems.join("; ")
                );
            }
        }
    }
    if breaches > 0 {
        anstream::println!("{breaches} lesson(s) in breach");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `Ok((failing exercise tests, passing solution tests))`, or the problems.
type LessonCheck = std::result::Result<(usize, usize), Vec<String>>;

fn check_lesson(root: &Path, lesson: &Lesson) -> Result<LessonCheck> {
    let exercise = &lesson.exercise_package;
    let solution = &lesson.solution_package;
    let mut problems = Vec::new();

    let mut build = cargo::command(root);
    build.args([
        "test",
        "--package",
        exercise,
        "--no-run",
        "--message-format=json",
    ]);
    let build = cargo::capture(build, &lesson.slug)?;
    let mut exercise_report = TestReport::default();
    if !build.success {
        problems.push(format!(
            "exercise does not compile (see: cargo test -p {exercise})"
        ));
    } else if has_warnings(&build.stdout, &root.join(lesson.exercise_dir())) {
        problems.push(format!(
            "exercise compiles with warnings (see: cargo build -p {exercise} --tests)"
        ));
    } else {
        let tests = cargo::capture(test_command(root, exercise), &lesson.slug)?;
        exercise_report = libtest::parse(&tests.stdout);
        if tests.success {
            problems.push("exercise PASSES its tests: it ships solved".to_owned());
        } else if !exercise_report.ran {
            problems.push(format!(
                "exercise tests did not run to a verdict (see: cargo test -p {exercise})"
            ));
        }
    }

    let tests = cargo::capture(test_command(root, solution), &lesson.slug)?;
    let solution_report = libtest::parse(&tests.stdout);
    if !tests.success || !solution_report.all_passed() {
        problems.push(format!(
            "solution FAILS its tests (see: cargo test -p {solution})"
        ));
    }

    let hints = std::fs::read_to_string(root.join(lesson.hints_file())).unwrap_or_default();
    if parse_hints(&hints).is_empty() {
        problems.push(format!(
            "no hints ({} needs `## Hint` sections)",
            lesson.hints_file().display()
        ));
    }
    if !root.join(lesson.tests_file()).is_file() {
        problems.push(format!(
            "no tests ({} is missing)",
            lesson.tests_file().display()
        ));
    }
    if !root.join(lesson.notes_file()).is_file() {
        problems.push(format!(
            "no notes ({} is missing)",
            lesson.notes_file().display()
        ));
    }

    Ok(if problems.is_empty() {
        Ok((exercise_report.failed, solution_report.passed))
    } else {
        Err(problems)
    })
}

fn test_command(root: &Path, package: &str) -> std::process::Command {
    let mut command = cargo::command(root);
    command
        .args(["test", "--package", package, "--no-fail-fast"])
        .env("RUST_BACKTRACE", "0");
    command
}

/// Whether cargo's JSON messages hold a compiler warning about the crate
/// in `crate_dir` (warnings in dependencies do not count).
fn has_warnings(json_lines: &str, crate_dir: &Path) -> bool {
    let manifest = crate_dir.join("Cargo.toml");
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-message")
        .filter(|message| {
            message["manifest_path"]
                .as_str()
                .is_some_and(|path| Path::new(path) == manifest)
        })
        .any(|message| message["message"]["level"] == "warning")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_warnings_about_the_exercise_count() {
        let dir = Path::new("/course/lessons/01-raw-routing");
        let warning_here = r#"{"reason":"compiler-message","manifest_path":"/course/lessons/01-raw-routing/Cargo.toml","message":{"level":"warning","message":"unused variable"}}"#;
        let warning_elsewhere = r#"{"reason":"compiler-message","manifest_path":"/course/tests/support/Cargo.toml","message":{"level":"warning","message":"unused"}}"#;
        let artifact = r#"{"reason":"compiler-artifact","manifest_path":"/course/lessons/01-raw-routing/Cargo.toml"}"#;
        assert!(has_warnings(&format!("{artifact}\n{warning_here}\n"), dir));
        assert!(!has_warnings(
            &format!("{artifact}\n{warning_elsewhere}\n"),
            dir
        ));
        assert!(!has_warnings("not json\n", dir));
    }
}
