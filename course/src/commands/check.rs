//! `cargo course check [NN…]`: the maintainers' exercise check (CI runs it
//! through `.ci/check-exercises`). For every lesson, or the ones named:
//!
//! - the exercise builds with its tests, without warnings;
//! - its tests FAIL: an exercise never ships solved;
//! - the solution's tests PASS;
//! - the lesson has its shared tests file and its notes;
//! - the exercise's `Cargo.toml` has a valid `[package.metadata.course]`;
//! - its `hints.md` follows the format (see [`crate::hints`]): every TODO in
//!   the exercise's code has at least two hints and exactly one answer,
//!   every hint and answer names a TODO of the code, `## Answers` is last;
//! - every `TODO N:` line of the exercise has its goal on that line, and
//!   every `todo!()` stub names its `TODO N` in a plain message, and no
//!   `let _ = (…)` silences unused values (one stub convention).
//!
//! One line per lesson, then one line per problem of a lesson in breach;
//! exit status 1 when any lesson is in breach.
//!
//! All the test programs are built by one `cargo build --workspace --tests`
//! (found in cargo's JSON messages), then run one by one as `cargo test`
//! would run them. One build sees the whole
//! workspace, so every crate is compiled with the same features as in
//! `cargo build --workspace`; one `cargo test -p` per package would compile
//! a variant of many dependencies for each package instead.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cargo;
use crate::commands::Session;
use crate::course::Lesson;
use crate::hints::HintsFile;
use crate::libtest::{self, TestReport};
use crate::manifest::Manifest;
use crate::messages::BuildOutput;
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
        "--quiet",
        "--message-format=json",
    ]);
    let build_log = cargo::capture(build, "building the tests")?;
    let build = BuildOutput::read(&build_log.stdout);

    let mut breaches = 0;
    for lesson in &lessons {
        match check_lesson(root, lesson, &build)? {
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

/// Checks one lesson; `build` is what the workspace's test build printed.
fn check_lesson(root: &Path, lesson: &Lesson, build: &BuildOutput) -> Result<LessonCheck> {
    let exercise = &lesson.exercise_package;
    let solution = &lesson.solution_package;
    let exercise_dir = root.join(lesson.exercise_dir());
    let solution_dir = root.join(lesson.solution_dir());
    let mut problems = Vec::new();

    let exercise_tests = build.test_programs_of(&lesson.exercise_dir());
    let mut exercise_report = TestReport::default();
    if exercise_tests.is_empty() {
        problems.push(format!(
            "exercise does not compile (see: cargo test -p {exercise})"
        ));
    } else if build.has_warnings_about(&lesson.exercise_dir()) {
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

    let solution_tests = build.test_programs_of(&lesson.solution_dir());
    let (passed, solution_report) = run_tests(&solution_tests, &solution_dir, &lesson.slug)?;
    if solution_tests.is_empty() || !passed || !solution_report.all_passed() {
        problems.push(format!(
            "solution FAILS its tests (see: cargo test -p {solution})"
        ));
    }

    problems.extend(manifest_problems(root, lesson));
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
/// What is wrong with the exercise's `[package.metadata.course]`: missing,
/// or not as [`crate::manifest`] documents it.
fn manifest_problems(root: &Path, lesson: &Lesson) -> Option<String> {
    let file = lesson.exercise_dir().join("Cargo.toml");
    let facts = Manifest::read(&root.join(&file)).map(|manifest| manifest.lesson_facts());
    match facts {
        Some(Ok(Some(_))) => None,
        Some(Ok(None)) => Some(format!(
            "{}: no [package.metadata.course] table (title, needs-mongodb, secrets)",
            file.display()
        )),
        Some(Err(err)) => Some(format!("{}: {err}", file.display())),
        None => Some(format!("{}: missing, or not valid TOML", file.display())),
    }
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
/// goal (the runner lists that line alone), and a stub that breaks the one
/// convention (see [`todos::StubProblem`]).
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
    let stubs = todos::stub_problems(root, lesson)
        .into_iter()
        .map(|(path, line, problem)| format!("{}:{line}: {}", path.display(), problem.explain()));
    no_goal.chain(stubs).collect()
}

/// Runs test programs as `cargo test` does, and returns whether they all
/// succeeded, with their results added up.
fn run_tests(programs: &[&Path], crate_dir: &Path, label: &str) -> Result<(bool, TestReport)> {
    let programs = programs
        .iter()
        .map(|program| cargo::test_program(program, crate_dir))
        .collect();
    let run = cargo::capture_all(programs, label)?;
    Ok((run.success, libtest::parse(&run.stdout)))
}
