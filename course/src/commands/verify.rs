//! `cargo course verify [NN]`: run the lesson's tests against the exercise,
//! show the failing tests in the order of the TODOs they are about, the
//! compiler's warnings about the exercise, the TODOs left in its code, and
//! record the result.
//!
//! "The TODO you are on" ([`todo_you_are_on`]) is worked out here and
//! shared with `cargo course hint`: the lowest TODO that a failing test
//! names.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cargo;
use crate::classroom;
use crate::commands::Session;
use crate::course::Lesson;
use crate::libtest::{self, Failure, TestReport};
use crate::messages::BuildOutput;
use crate::mongo;
use crate::progress::TestResult;
use crate::style::{BAD, CODE, DIM, GOOD, STRONG, WARN, command, paint};
use crate::todos::{self, Todo, TodoId};
use crate::workspace::Workspace;

/// Failing tests shown with their message; the others are only named.
const FAILURES_IN_FULL: usize = 3;
/// Of the other failing tests, how many are named per TODO.
const NAMED_PER_TODO: usize = 4;
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
    /// Every test passes, but the compiler warns about the lesson's code:
    /// not done yet (an unused variable is often a forgotten step).
    Warned,
    Failed,
    DoesNotCompile,
}

pub fn run(session: &mut Session, lesson: Option<&str>) -> Result<ExitCode> {
    let lesson = session.lesson_or_current(lesson, "verify")?;
    Ok(match verify(session, &lesson, Mode::Once)? {
        Verdict::Passed => ExitCode::SUCCESS,
        Verdict::Warned | Verdict::Failed | Verdict::DoesNotCompile => ExitCode::FAILURE,
    })
}

/// One run of a lesson's tests on the exercise, read.
pub struct TestRun {
    /// What cargo printed while it built the tests.
    pub build_log: cargo::Captured,
    /// Cargo's messages: the compiler's diagnostics, the test programs.
    pub build: BuildOutput,
    /// What the test programs printed (`None`: the build failed).
    pub tests_log: Option<cargo::Captured>,
    /// The tests' results.
    pub report: TestReport,
    /// The TODOs in the exercise's code, in order.
    pub todos: Vec<Todo>,
}

/// Builds the tests of `lesson` on the exercise (`cargo test --no-run`,
/// cargo's messages as JSON, to tell the lesson's own warnings from the
/// rest and find the test programs), then runs them as `cargo test` would.
/// Shows cargo's progress as `label`.
pub fn run_tests(session: &Session, lesson: &Lesson, label: &str) -> Result<TestRun> {
    let root = &session.course.root;
    let package = &lesson.exercise_package;
    if !Workspace::load(root)?.has_package(package) {
        bail!(
            "the package {package} is not in the workspace: add \"{}\" to `members` in \
             the root Cargo.toml",
            lesson.exercise_dir().display()
        );
    }
    let mut build = cargo::command(root);
    let format = if crate::style::stdout_has_colour() {
        "--message-format=json-diagnostic-rendered-ansi"
    } else {
        "--message-format=json"
    };
    build
        .args(["test", "--no-run", "--quiet", "--package", package, format])
        .args(cargo::colour_flag());
    let build_log = cargo::capture(build, label)?;
    let build = BuildOutput::read(&build_log.stdout);

    let tests_log = if build.built() {
        let crate_dir = root.join(lesson.exercise_dir());
        let mongodb_uri = lesson.needs_mongodb.then(mongodb_for_the_tests).flatten();
        let programs = build
            .test_programs_of(&lesson.exercise_dir())
            .into_iter()
            .map(|program| {
                let mut test = cargo::test_program(program, &crate_dir);
                if let Some(uri) = &mongodb_uri {
                    test.env("MONGODB_URI", uri);
                }
                test
            })
            .collect();
        Some(cargo::capture_all(programs, "Testing")?)
    } else {
        None
    };
    let mut report = libtest::parse(tests_log.as_ref().map_or("", |log| &log.stdout));
    let todos = todos::scan(root, lesson);
    report.file_panics_under_todos(&todos);
    if let Ok(source) = std::fs::read_to_string(root.join(lesson.tests_file())) {
        report.order_as_written(&source);
    }
    Ok(TestRun {
        build_log,
        build,
        tests_log,
        report,
        todos,
    })
}

/// Why the runner thinks the learner is on a TODO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Because {
    /// The first failing test in TODO order names it.
    FailingTest(String),
    /// The tests did not run; it was the TODO at the last run.
    LastRun,
    /// No failure names a TODO: the first TODO in the code.
    FirstInCode,
}

/// The TODO the learner is on: the lowest TODO a failing test names; when
/// the tests did not run (the exercise does not compile), the one of the
/// last run (`remembered`) if the code still has it; else the first TODO
/// in the code. `None` when every test passes, or when there is no TODO.
pub fn todo_you_are_on(
    report: &TestReport,
    todos: &[Todo],
    remembered: Option<&str>,
) -> Option<(TodoId, Because)> {
    if report.all_passed() {
        return None;
    }
    if let Some(failure) = report.failures.iter().find(|f| f.todo.is_some()) {
        let todo = failure.todo.clone().expect("found with a TODO");
        return Some((
            todo,
            Because::FailingTest(short_name(&failure.name).to_owned()),
        ));
    }
    if !report.ran
        && let Some(todo) = remembered.and_then(TodoId::parse)
        && todos.iter().any(|t| t.id == todo)
    {
        return Some((todo, Because::LastRun));
    }
    todos
        .first()
        .map(|first| (first.id.clone(), Because::FirstInCode))
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
    let run = run_tests(session, lesson, "Building")?;
    let report = &run.report;
    let remembered = session.progress.lesson(&lesson.slug).current_todo;
    let on = todo_you_are_on(report, &run.todos, remembered.as_deref());

    let verdict = if report.all_passed() {
        let warned = print_warnings(lesson, &run.build);
        print_success(session, lesson, report, warned);
        print_todos_left(&run.todos);
        if warned {
            Verdict::Warned
        } else {
            Verdict::Passed
        }
    } else if report.ran {
        print_failures(lesson, report);
        print_warnings(lesson, &run.build);
        print_summary(lesson, report, &run.todos, on.as_ref(), mode);
        Verdict::Failed
    } else {
        let verdict = print_not_run(lesson, &run, mode);
        print_todos(lesson, &run.todos, on.as_ref().map(|(todo, _)| todo));
        verdict
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
    let todo = on.map(|(todo, _)| todo.to_string());
    entry.current_todo = todo.clone();
    session.progress.save_or_warn();
    classroom::client::tell_the_board(
        &session.course.root,
        classroom::Report {
            lesson: lesson.slug.clone(),
            passed: u32::try_from(report.passed).unwrap_or(u32::MAX),
            failed: u32::try_from(report.failed).unwrap_or(u32::MAX),
            failing_test: report
                .failures
                .first()
                .map(|f| short_name(&f.name).to_owned()),
            todo,
            at: classroom::now(),
        },
    );
    Ok(verdict)
}

/// The tests find MongoDB themselves (`MONGODB_URI`, else Docker); a server
/// already running on this machine is handed to them, which spares Docker.
/// Says which one they use; returns the URI to hand over, if any.
fn mongodb_for_the_tests() -> Option<String> {
    let (uri, said) = match mongo::running_server() {
        Some(mongo::Server::Local) => (
            Some(mongo::LOCAL_URI.to_owned()),
            format!("The tests use the MongoDB at {}.", mongo::LOCAL_URI),
        ),
        Some(server) => (None, format!("The tests use {}.", server.describe())),
        None => (
            None,
            "The tests find or start a MongoDB (Docker, or FerretDB built with Go); \
             `cargo course mongo status` shows which."
                .to_owned(),
        ),
    };
    anstream::println!("{}", paint(DIM, said));
    uri
}

/// `warned`: the compiler still warns about the exercise (printed above).
fn print_success(session: &Session, lesson: &Lesson, report: &TestReport, warned: bool) {
    let n = &lesson.number;
    let done = if warned {
        "Clear the warnings above, and the lesson is done."
    } else {
        "Lesson done!"
    };
    anstream::println!(
        "\n{} all {} tests of {} pass. {done}",
        paint(GOOD, "PASS"),
        report.passed,
        lesson.title()
    );
    if warned {
        anstream::println!(
            "Then run {} again.",
            command(format!("cargo course verify {n}"))
        );
        return;
    }
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
        None => {
            let open: Vec<&str> = session
                .course
                .lessons
                .iter()
                .filter(|other| other.slug != lesson.slug)
                .filter(|other| !session.progress.lesson(&other.slug).done)
                .map(|other| other.number.as_str())
                .collect();
            if open.is_empty() {
                anstream::println!("That was the last lesson. The course is done: well done!");
            } else {
                anstream::println!(
                    "That was the last lesson. Still to pass: {}. {} shows where each stands.",
                    open.join(", "),
                    command("cargo course")
                );
            }
        }
    }
}

fn print_failures(lesson: &Lesson, report: &TestReport) {
    anstream::println!();
    let mut shown: Vec<&Failure> = Vec::new();
    for failure in report.failures.iter().take(FAILURES_IN_FULL) {
        // Tests that fail for one reason often say it in the same words:
        // once is enough.
        let said_before = shown
            .iter()
            .any(|before| before.message == failure.message && before.stub == failure.stub);
        if said_before {
            print_failure_head(failure);
            anstream::println!("     {}", paint(DIM, "the same message as above"));
            anstream::println!();
        } else {
            print_failure(failure, &lesson.exercise_package);
            shown.push(failure);
        }
    }
    if report.failures.len() > FAILURES_IN_FULL {
        anstream::println!(
            "{} more failing (one thing at a time: start with the first above):",
            report.failures.len() - FAILURES_IN_FULL
        );
        let rest = &report.failures[FAILURES_IN_FULL..];
        for group in rest.chunk_by(|a, b| a.todo == b.todo) {
            for failure in group.iter().take(NAMED_PER_TODO) {
                anstream::println!(
                    "{} {}{}",
                    paint(BAD, "FAIL"),
                    short_name(&failure.name),
                    todo_tag(failure)
                );
            }
            if group.len() > NAMED_PER_TODO {
                let about = match &group[0].todo {
                    Some(todo) => format!("about TODO {todo}"),
                    None => "that name no TODO".to_owned(),
                };
                anstream::println!(
                    "     {}",
                    paint(
                        DIM,
                        format!("… and {} more {about}", group.len() - NAMED_PER_TODO)
                    )
                );
            }
        }
        anstream::println!();
    }
}

/// The verdict's last lines: how many pass, the TODO you are on, the
/// TODOs left, and where to get help.
fn print_summary(
    lesson: &Lesson,
    report: &TestReport,
    todos: &[Todo],
    on: Option<&(TodoId, Because)>,
    mode: Mode,
) {
    anstream::println!(
        "{} of {} tests pass.",
        paint(STRONG, report.passed),
        report.total()
    );
    if let Some((todo, because)) = on {
        let at = todos
            .iter()
            .find(|t| &t.id == todo)
            .map(|t| format!(" ({})", command(t.location())))
            // Learners delete a TODO's comment when they think it is done.
            .unwrap_or_else(|| " (its comment is no longer in the code)".to_owned());
        let why = match because {
            Because::FailingTest(_) => "the first failure above is about it",
            _ => "no failure names a TODO, so start with the first one",
        };
        anstream::println!(
            "You are on {}{at}: {why}.",
            paint(STRONG, format!("TODO {todo}"))
        );
    }
    anstream::println!("Fix the first failure, then {}", again(lesson, mode));
    print_todos(lesson, todos, on.map(|(todo, _)| todo));
    let n = &lesson.number;
    let for_todo = on
        .map(|(todo, _)| format!(" for TODO {todo}"))
        .unwrap_or_default();
    anstream::println!(
        "Stuck? {} gives a hint{for_todo}. Full output: {}",
        command(format!("cargo course hint {n}")),
        command(format!("cargo test -p {}", lesson.exercise_package))
    );
}

/// The TODOs left in the exercise's code, as `path:line  TODO N: goal`,
/// the one the learner is on marked with `>`.
pub fn print_todos(lesson: &Lesson, todos: &[Todo], on: Option<&TodoId>) {
    if todos.is_empty() {
        return;
    }
    anstream::println!(
        "\n{}",
        paint(STRONG, format!("TODOs in the code of {}:", lesson.title()))
    );
    for todo in todos {
        let marker = if on == Some(&todo.id) {
            paint(CODE, ">")
        } else {
            " ".to_owned()
        };
        anstream::println!(
            "{marker} {}  TODO {}: {}",
            command(todo.location()),
            todo.id,
            todo.goal
        );
    }
    anstream::println!();
}

/// After a pass: the TODO comments still in the code. A step the tests
/// cannot see (tidying `main.rs`, say) may be among them.
fn print_todos_left(todos: &[Todo]) {
    if todos.is_empty() {
        return;
    }
    anstream::println!(
        "\n{} TODO comment(s) are still in the code. The tests pass, so delete each \
         one once you have checked it is done (some steps, such as tidying up, no test \
         can see):",
        todos.len()
    );
    for todo in todos {
        anstream::println!(
            "  {}  TODO {}: {}",
            command(todo.location()),
            todo.id,
            todo.goal
        );
    }
}

/// The compiler's warnings about the lesson's own files: the build
/// succeeded, but an unused import or an unreachable arm is often the
/// clue to the failure. Returns whether there were any.
fn print_warnings(lesson: &Lesson, build: &BuildOutput) -> bool {
    let warnings = build.warnings_in(&lesson.exercise_dir());
    if warnings.is_empty() {
        return false;
    }
    anstream::println!(
        "{} the compiler warns about {} (often the clue):\n",
        paint(WARN, "warning:"),
        lesson.exercise_dir().display()
    );
    for warning in warnings {
        anstream::println!("{}", warning.trim_end());
        anstream::println!();
    }
    true
}

/// `  · TODO 3` after a failure's name, when its output names a TODO.
fn todo_tag(failure: &Failure) -> String {
    failure
        .todo
        .as_ref()
        .map(|todo| format!("  {}", paint(STRONG, format!("· TODO {todo}"))))
        .unwrap_or_default()
}

/// A failure's first line: the test, its TODO, where it failed.
fn print_failure_head(failure: &Failure) {
    let name = short_name(&failure.name);
    let location = failure
        .location
        .as_deref()
        .map(|at| paint(DIM, format!("  ({})", where_it_failed(at))))
        .unwrap_or_default();
    anstream::println!(
        "{} {}{}{location}",
        paint(BAD, "FAIL"),
        paint(STRONG, name),
        todo_tag(failure)
    );
}

/// A failure's place, said so that a learner knows what it is: a line of
/// the tests is the check that failed, to read, not the code to change
/// (that is the TODO's); any other place is the learner's own code.
fn where_it_failed(location: &str) -> String {
    if location.starts_with("tests/") {
        format!("checked at {location}")
    } else {
        location.to_owned()
    }
}

fn print_failure(failure: &Failure, package: &str) {
    print_failure_head(failure);
    let name = short_name(&failure.name);
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
    if let Some(stub) = &failure.stub {
        let at = stub.location.as_deref().unwrap_or("the exercise");
        anstream::println!(
            "     {} {}",
            paint(DIM, "It reached a `todo!()` at"),
            command(at)
        );
        for line in stub.message.lines().take(3) {
            anstream::println!("       {line}");
        }
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
/// compile (the usual case), cargo stopped before building, or the test
/// program crashed or was stopped.
fn print_not_run(lesson: &Lesson, run: &TestRun, mode: Mode) -> Verdict {
    anstream::println!("\n{}", cargo::build_problems(&run.build_log));
    match (&run.tests_log, run.build.build_success) {
        (Some(_), _)
            if run
                .build
                .test_programs_of(&lesson.exercise_dir())
                .is_empty() =>
        {
            anstream::println!(
                "{} {} built, but has no tests to run: its `tests/` folder should mount {}.",
                paint(BAD, "error:"),
                lesson.exercise_dir().display(),
                lesson.tests_file().display()
            );
            Verdict::Failed
        }
        (Some(tests_log), _) => {
            anstream::println!("{}", tests_log.stderr.trim_end());
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
        (None, Some(false)) => {
            anstream::println!(
                "\n{} {} does not compile yet. Read the first error above: it says which file \
                 and line, and often how to fix it. Then {}",
                paint(BAD, "FAIL"),
                lesson.title(),
                again(lesson, mode)
            );
            Verdict::DoesNotCompile
        }
        (None, _) => {
            anstream::println!(
                "\n{} cargo stopped before building {}: its message is above (often a \
                 mistake in a Cargo.toml). Fix it, then {}",
                paint(BAD, "FAIL"),
                lesson.title(),
                again(lesson, mode)
            );
            Verdict::DoesNotCompile
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn todo(id: &str, line: usize) -> Todo {
        Todo {
            id: TodoId::parse(id).unwrap(),
            goal: format!("goal {id}"),
            path: PathBuf::from("lessons/03-x/src/lib.rs"),
            line,
        }
    }

    fn failure(name: &str, todo: Option<&str>) -> Failure {
        Failure {
            name: format!("cases::{name}"),
            todo: todo.and_then(TodoId::parse),
            ..Failure::default()
        }
    }

    fn on(report: &TestReport, remembered: Option<&str>) -> Option<(String, Because)> {
        let todos = [todo("1", 10), todo("2", 20), todo("3a", 30)];
        todo_you_are_on(report, &todos, remembered).map(|(id, why)| (id.to_string(), why))
    }

    #[test]
    fn a_line_of_the_tests_is_named_as_the_check_not_as_code_to_change() {
        assert_eq!(
            where_it_failed("tests/04-static-files.rs:507:5"),
            "checked at tests/04-static-files.rs:507:5"
        );
        assert_eq!(
            where_it_failed("lessons/07-cookies/src/cookies.rs:38:5"),
            "lessons/07-cookies/src/cookies.rs:38:5"
        );
    }

    #[test]
    fn the_todo_you_are_on_is_the_first_failures() {
        // libtest::parse sorts failures by TODO: the first tagged one is the lowest.
        let report = TestReport {
            ran: true,
            passed: 1,
            failed: 3,
            failures: vec![
                failure("posts", Some("2")),
                failure("lists", Some("3a")),
                failure("untagged", None),
            ],
            ..TestReport::default()
        };
        assert_eq!(
            on(&report, Some("1")),
            Some(("2".into(), Because::FailingTest("posts".into())))
        );
    }

    #[test]
    fn without_a_tagged_failure_it_is_the_first_in_the_code() {
        let report = TestReport {
            ran: true,
            passed: 1,
            failed: 1,
            failures: vec![failure("untagged", None)],
            ..TestReport::default()
        };
        assert_eq!(
            on(&report, Some("3a")),
            Some(("1".into(), Because::FirstInCode)),
            "the tests ran: what was remembered no longer counts"
        );
        assert_eq!(todo_you_are_on(&report, &[], None), None, "no TODO at all");
    }

    #[test]
    fn when_the_tests_did_not_run_it_is_the_one_of_the_last_run() {
        let not_run = TestReport::default();
        assert_eq!(
            on(&not_run, Some("3a")),
            Some(("3a".into(), Because::LastRun))
        );
        assert_eq!(
            on(&not_run, Some("7")),
            Some(("1".into(), Because::FirstInCode)),
            "a TODO that left the code is forgotten"
        );
        assert_eq!(
            on(&not_run, Some("not an id")),
            Some(("1".into(), Because::FirstInCode))
        );
    }

    #[test]
    fn when_every_test_passes_there_is_none() {
        let passed = TestReport {
            ran: true,
            passed: 4,
            ..TestReport::default()
        };
        assert_eq!(on(&passed, Some("2")), None);
    }
}
