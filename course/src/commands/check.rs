//! `cargo course check [NN…]`: the maintainers' exercise check (CI runs it
//! through `.ci/check-exercises`). For every lesson, or the ones named:
//!
//! - the exercise builds with its tests, without warnings;
//! - its tests FAIL: an exercise never ships solved;
//! - the solution's tests PASS;
//! - the lesson has its shared tests file and its notes;
//! - its `hints.md` follows the format (see [`crate::hints`]): every TODO in
//!   the exercise's code has at least two hints and exactly one answer,
//!   every hint and answer names a TODO of the code, `## Answers` is last;
//! - every `TODO N:` line of the exercise has its goal on that line, and
//!   every `todo!()` stub names its `TODO N`.
//!
//! One line per lesson, then one line per problem of a lesson in breach;
//! exit status 1 when any lesson is in breach.
//!
//! All the test binaries are built by one `cargo build --workspace --tests`,
//! then run one by one as `cargo test` would run them. One build sees the whole
//! workspace, so every crate is compiled with the same features as in
//! `cargo build --workspace`; one `cargo test -p` per package would compile
//! a variant of many dependencies for each package instead.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::cargo;
use crate::commands::Session;
use crate::course::Lesson;
use crate::error::Result;
use crate::hints::HintsFile;
use crate::libtest::{self, TestReport};
use crate::style::{BAD, GOOD, paint};
use crate::todos;

pub fn run(session: &Session, names: &[String]) -> Result<ExitCode> {
    let lessons: Vec<Lesson> = if names.is_empty() {
        session.course.lessons.clone()
    } else {
        names
            .iter()
            .map(|name| session.lesson(name))
            .collect::<Result<_>>()?
    };
    let root = &session.course.root;
    let mut build = cargo::command(root);
    build.args([
        "build",
        "--workspace",
        "--tests",
        "--keep-going",
        "--message-format=json",
    ]);
    let build = cargo::capture(build, "building the tests")?;

    let mut breaches = 0;
    for lesson in &lessons {
        match check_lesson(root, lesson, &build.stdout)? {
            Ok((failing, passing)) => anstream::println!(
                "{}      {:<20} exercise fails ({failing} failing tests), solution passes ({passing} tests)",
                paint(GOOD, "ok"),
                lesson.slug
            ),
            Err(problems) => {
                breaches += 1;
                anstream::println!("{}  {}", paint(BAD, "BREACH"), lesson.slug);
                for problem in problems {
                    anstream::println!("        {problem}");
                }
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

/// Checks one lesson; `build_json` is what the workspace's test build
/// printed with `--message-format=json`.
fn check_lesson(root: &Path, lesson: &Lesson, build_json: &str) -> Result<LessonCheck> {
    let exercise = &lesson.exercise_package;
    let solution = &lesson.solution_package;
    let exercise_dir = root.join(lesson.exercise_dir());
    let solution_dir = root.join(lesson.solution_dir());
    let mut problems = Vec::new();

    let exercise_tests = test_executables(build_json, &exercise_dir);
    let mut exercise_report = TestReport::default();
    if exercise_tests.is_empty() {
        problems.push(format!(
            "exercise does not compile (see: cargo test -p {exercise})"
        ));
    } else if has_warnings(build_json, &exercise_dir) {
        problems.push(format!(
            "exercise compiles with warnings (see: cargo build -p {exercise} --tests)"
        ));
    } else {
        let passed;
        (passed, exercise_report) = run_tests(&exercise_tests, &exercise_dir, &lesson.slug)?;
        if passed {
            problems.push("exercise PASSES its tests: it ships solved".to_owned());
        } else if !exercise_report.ran {
            problems.push(format!(
                "exercise tests did not run to a verdict (see: cargo test -p {exercise})"
            ));
        }
    }

    let solution_tests = test_executables(build_json, &solution_dir);
    let (passed, solution_report) = run_tests(&solution_tests, &solution_dir, &lesson.slug)?;
    if solution_tests.is_empty() || !passed || !solution_report.all_passed() {
        problems.push(format!(
            "solution FAILS its tests (see: cargo test -p {solution})"
        ));
    }

    problems.extend(hint_problems(root, lesson));
    problems.extend(todo_problems(root, lesson));
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
/// What is wrong with the lesson's `hints.md`, each as
/// `lessons/NN-topic/hints.md: …`.
fn hint_problems(root: &Path, lesson: &Lesson) -> Vec<String> {
    let file = lesson.hints_file();
    let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
        return vec![format!("{}: missing", file.display())];
    };
    let code_todos = todos::scan(root, lesson)
        .into_iter()
        .map(|todo| todo.id)
        .collect();
    HintsFile::parse(&text)
        .problems(&code_todos)
        .into_iter()
        .map(|problem| format!("{}: {problem}", file.display()))
        .collect()
}

/// What is wrong with the exercise's TODOs: a `TODO N:` line without its
/// goal (the runner lists that line alone), a `todo!()` whose message
/// names no `TODO N` (its failure cannot say which step it is about).
fn todo_problems(root: &Path, lesson: &Lesson) -> Vec<String> {
    let no_goal = todos::scan(root, lesson)
        .into_iter()
        .filter(|todo| todo.goal.is_empty())
        .map(|todo| {
            format!(
                "{}: `TODO {}:` has no goal on its line",
                todo.location(),
                todo.id
            )
        });
    let unnamed = todos::stubs_naming_no_todo(root, lesson)
        .into_iter()
        .map(|(path, line)| {
            format!(
                "{}:{line}: this `todo!()` names no `TODO N` in its message",
                path.display()
            )
        });
    no_goal.chain(unnamed).collect()
}

/// The test executables cargo built for the crate in `crate_dir`, read
/// from its `compiler-artifact` messages. None when the crate did not build.
fn test_executables(json_lines: &str, crate_dir: &Path) -> Vec<PathBuf> {
    let manifest = crate_dir.join("Cargo.toml");
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| message["profile"]["test"] == true)
        .filter(|message| {
            message["manifest_path"]
                .as_str()
                .is_some_and(|path| Path::new(path) == manifest)
        })
        .filter_map(|message| message["executable"].as_str().map(PathBuf::from))
        .collect()
}

/// Runs test executables as `cargo test` does (from the crate's folder), and
/// returns whether they all succeeded, with their results added up.
fn run_tests(executables: &[PathBuf], crate_dir: &Path, label: &str) -> Result<(bool, TestReport)> {
    let mut success = true;
    let mut output = String::new();
    for executable in executables {
        let mut command = Command::new(executable);
        command
            .current_dir(crate_dir)
            .env("CARGO_MANIFEST_DIR", crate_dir)
            .env("RUST_BACKTRACE", "0");
        let run = cargo::capture(command, label)?;
        success &= run.success;
        output.push_str(&run.stdout);
    }
    Ok((success, libtest::parse(&output)))
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
