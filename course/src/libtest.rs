//! Reading the output of `cargo test`, as a person would.
//!
//! Stable Rust has no machine-readable test output (`--format json` needs
//! nightly), so this reads the human one, which has been stable for years:
//!
//! ```text
//! test cases::about_page_is_routed ... FAILED
//! ---- cases::about_page_is_routed stdout ----
//! thread 'cases::about_page_is_routed' (22115) panicked at tests/01-raw-routing.rs:53:14:
//! GET /about: expected 200 OK, got 404 Not Found.
//! note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
//! test result: FAILED. 5 passed; 5 failed; 0 ignored; 0 measured; 0 filtered out; …
//! ```

use std::path::{Component, Path, PathBuf};

use crate::todos::{self, Todo, TodoId};

/// What a `cargo test` run reported, over all its test binaries.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TestReport {
    /// At least one test binary ran to its `test result:` line. When this is
    /// false, the tests did not compile or did not finish.
    pub ran: bool,
    pub passed: usize,
    pub failed: usize,
    pub ignored: usize,
    /// Each failing test, in the order of the TODO it names (see
    /// [`Failure::todo`]), then by name; tests that name no TODO come last.
    /// (Tests run in parallel: the order they finish in means nothing.)
    pub failures: Vec<Failure>,
}

/// One failing test and why it failed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// The test's path, such as `cases::about_page_is_routed`.
    pub name: String,
    /// Where it panicked, such as `tests/01-raw-routing.rs:53:14`.
    pub location: Option<String>,
    /// The panic message: what the test expected, and what to fix.
    pub message: String,
    /// The first `TODO <id>` the test's output mentions: the step it is about.
    pub todo: Option<TodoId>,
    /// The first `todo!()` the test reached (a `not yet implemented`
    /// panic), when that is not the test's own panic: a stub called by
    /// the server the test talks to, say.
    pub stub: Option<Panic>,
    /// Where each panic in its output happened, in order, such as
    /// `lessons/05-x/src/contact.rs:110:60`.
    pub panic_places: Vec<String>,
}

/// How far below a TODO's comment a panic may be and still be filed under
/// it: about the length of the code a TODO asks for.
const LINES_OF_A_TODO: usize = 40;

/// One panic in a test's output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The thread that panicked: a test's thread is named after the test.
    pub thread: String,
    /// Such as `lessons/03-x/src/handlers.rs:58:5`.
    pub location: Option<String>,
    pub message: String,
}

impl Panic {
    /// Whether this is a `todo!()` (or `unimplemented!()`) panic.
    pub fn is_stub(&self) -> bool {
        self.message.starts_with("not yet implemented")
            || self.message.starts_with("not implemented")
    }
}

impl TestReport {
    /// Orders the failures of each TODO as their tests stand in `source`,
    /// the lesson's test file, rather than by name. Its author puts a
    /// TODO's tests in the order a learner should meet them: the simple
    /// case and the rule that matters most first. Tests not found there
    /// keep their order, after the others of their TODO.
    pub fn order_as_written(&mut self, source: &str) {
        let place = |failure: &Failure| {
            let name = failure.name.rsplit("::").next().unwrap_or(&failure.name);
            source.find(&format!("fn {name}(")).unwrap_or(usize::MAX)
        };
        self.failures.sort_by_cached_key(|failure| {
            (failure.todo.is_none(), failure.todo.clone(), place(failure))
        });
    }

    /// Files each failure that names no TODO under the TODO whose comment
    /// stands just above a panic in the learner's code (an `.unwrap()` in a
    /// handler, say): that code was written for that TODO. A panic far
    /// below any TODO's comment stays unfiled.
    pub fn file_panics_under_todos(&mut self, todos: &[Todo]) {
        for failure in self.failures.iter_mut().filter(|f| f.todo.is_none()) {
            failure.todo = failure
                .panic_places
                .iter()
                .find_map(|place| todo_just_above(place, todos));
        }
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed
    }

    pub fn all_passed(&self) -> bool {
        self.ran && self.failed == 0 && self.passed > 0
    }
}

/// Reads the standard output of `cargo test`.
pub fn parse(output: &str) -> TestReport {
    let mut report = TestReport::default();
    let lines: Vec<&str> = output.lines().collect();
    for line in &lines {
        if let Some(name) = failed_test_name(line) {
            report.failures.push(Failure {
                name: name.to_owned(),
                ..Failure::default()
            });
        } else if let Some(summary) = line.strip_prefix("test result: ") {
            report.ran = true;
            report.passed += count(summary, "passed");
            report.failed += count(summary, "failed");
            report.ignored += count(summary, "ignored");
        }
    }
    for (name, block) in output_blocks(&lines) {
        if let Some(failure) = report.failures.iter_mut().find(|f| f.name == name) {
            failure.todo = todos::first_mention(&block.join("\n"));
            let panics = read_panics(&block);
            failure.panic_places = panics
                .iter()
                .filter_map(|panic| panic.location.clone())
                .collect();
            // The test's own panic: the last on its thread (named after the
            // test), else the last of all.
            let own = panics
                .iter()
                .rposition(|panic| panic.thread == name)
                .or(panics.len().checked_sub(1));
            let stub = panics.iter().position(Panic::is_stub);
            match own {
                Some(own) => {
                    if let Some(stub) = stub.filter(|&stub| stub != own) {
                        // A test stopped by a `todo!()` is about that TODO
                        // first, whatever its own message names.
                        let stub = panics[stub].clone();
                        if let Some(todo) = todos::first_mention(&stub.message) {
                            failure.todo = Some(todo);
                        }
                        failure.stub = Some(stub);
                    }
                    failure.location = panics[own].location.clone();
                    failure.message = panics[own].message.clone();
                }
                // No panic line (a test that returned `Err`, say): show what it printed.
                None => failure.message = tidy(&block),
            }
        }
    }
    report.failures.sort_by(|a, b| {
        (a.todo.is_none(), &a.todo, &a.name).cmp(&(b.todo.is_none(), &b.todo, &b.name))
    });
    report
}

/// The TODO whose comment stands in the same file as `place`
/// (`path:line:column`), at most [`LINES_OF_A_TODO`] lines above it.
fn todo_just_above(place: &str, todos: &[Todo]) -> Option<TodoId> {
    let mut parts = place.rsplitn(3, ':');
    let (_column, line, path) = (parts.next()?, parts.next()?, parts.next()?);
    let line: usize = line.parse().ok()?;
    todos
        .iter()
        .filter(|todo| todo.path == Path::new(path) && todo.line <= line)
        .max_by_key(|todo| todo.line)
        .filter(|todo| line - todo.line <= LINES_OF_A_TODO)
        .map(|todo| todo.id.clone())
}

/// `name` from `test name ... FAILED`.
fn failed_test_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("test ")?.strip_suffix(" ... FAILED")?;
    // `should_panic` tests are listed as `name - should panic`.
    Some(rest.strip_suffix(" - should panic").unwrap_or(rest))
}

/// `5` from `5 passed` in `ok. 5 passed; 0 failed; …`.
fn count(summary: &str, label: &str) -> usize {
    summary
        .split([';', '.'])
        .filter_map(|part| part.trim().strip_suffix(label))
        .find_map(|number| number.trim().parse().ok())
        .unwrap_or(0)
}

/// The captured output of each failing test: the lines after
/// `---- name stdout ----`, up to the next such header or the closing
/// `failures:` list.
fn output_blocks<'a>(lines: &[&'a str]) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut blocks: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut inside = false;
    for line in lines {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            blocks.push((name, Vec::new()));
            inside = true;
        } else if *line == "failures:" || line.starts_with("test result: ") {
            inside = false;
        } else if inside && let Some((_, block)) = blocks.last_mut() {
            block.push(line);
        }
    }
    blocks
}

/// Every panic in a test's captured output, in order: its location and
/// its message (up to the next panic, the backtrace note or a backtrace).
/// The last one is the test's own; the ones before come from code the
/// test called on other threads (a server's handler, say).
fn read_panics(block: &[&str]) -> Vec<Panic> {
    let mut panics = Vec::new();
    // The panic being read: its first line, and the lines of its message.
    let mut current: Option<(&str, Vec<&str>)> = None;
    let mut finish = |current: Option<(&str, Vec<&str>)>| {
        if let Some((first_line, lines)) = current {
            panics.push(Panic {
                thread: panic_thread(first_line).to_owned(),
                location: panic_location(first_line).map(clean_location),
                message: tidy(&lines),
            });
        }
    };
    for line in block {
        if panic_location(line).is_some() {
            finish(current.take());
            current = Some((line, Vec::new()));
        } else if line.starts_with("note: ") || line.starts_with("stack backtrace:") {
            // libtest's notes (`note: run with RUST_BACKTRACE=1 …`), and the
            // test support's, end a panic's message.
            finish(current.take());
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    finish(current);
    panics
}

/// `name` from `thread 'name' (123) panicked at …`.
fn panic_thread(line: &str) -> &str {
    line.strip_prefix("thread '")
        .and_then(|rest| rest.split_once('\''))
        .map_or("", |(name, _)| name)
}

/// `path:line:col` from `thread 'name' (123) panicked at path:line:col:`.
fn panic_location(line: &str) -> Option<&str> {
    if !line.starts_with("thread '") {
        return None;
    }
    let (_, rest) = line.split_once("' panicked at ").or_else(|| {
        // Since Rust 1.89 the thread id follows the name: `'name' (123) panicked at`.
        line.split_once(") panicked at ")
    })?;
    rest.strip_suffix(':')
}

/// `lessons/01-x/tests/../../../tests/01-x.rs:53:14` becomes `tests/01-x.rs:53:14`.
fn clean_location(location: &str) -> String {
    let mut parts = location.rsplitn(3, ':');
    let (column, line, path) = (parts.next(), parts.next(), parts.next());
    match (path, line, column) {
        (Some(path), Some(line), Some(column)) => {
            format!("{}:{line}:{column}", normalise(Path::new(path)).display())
        }
        _ => location.to_owned(),
    }
}

/// Resolves `.` and `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if clean.file_name().is_some() => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// Joins message lines without the noise: the bare "assertion failed:"
/// line before a custom message, runs of blank lines, blank ends.
fn tidy(lines: &[&str]) -> String {
    let mut lines = lines.to_vec();
    if let Some(first) = lines.first()
        && first.starts_with("assertion `")
        && first.trim_end().ends_with("failed:")
    {
        let must_differ = first.contains("left != right");
        lines.remove(0);
        // Without its first line, an `assert_ne!` would show two equal
        // values and nothing to say that is the fault.
        if must_differ && let Some(left) = lines.iter().position(|l| l.starts_with("  left:")) {
            lines.insert(left, "(the two values must differ)");
        }
    }
    let mut text = String::new();
    let mut previous_blank = true;
    for line in lines {
        let blank = line.trim().is_empty();
        if blank && previous_blank {
            continue;
        }
        text.push_str(line.trim_end());
        text.push('\n');
        previous_blank = blank;
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_learners_code_is_filed_under_the_todo_just_above_it() {
        let todo = |id: &str, line: usize| Todo {
            id: TodoId::parse(id).unwrap(),
            goal: String::new(),
            path: PathBuf::from("lessons/05-x/src/contact.rs"),
            line,
        };
        let todos = [todo("6", 100), todo("7", 112)];
        let failure = |places: &[&str]| Failure {
            name: "cases::a".to_owned(),
            panic_places: places.iter().map(|place| (*place).to_owned()).collect(),
            ..Failure::default()
        };
        let mut report = TestReport {
            failures: vec![
                failure(&["lessons/05-x/src/contact.rs:120:60"]),
                failure(&["tests/05-x.rs:9:5", "lessons/05-x/src/contact.rs:105:9"]),
                failure(&["lessons/05-x/src/contact.rs:400:9"]),
                failure(&["lessons/05-x/src/pages.rs:120:9"]),
                failure(&["lessons/05-x/src/contact.rs:50:9"]),
            ],
            ..TestReport::default()
        };

        report.file_panics_under_todos(&todos);

        let filed: Vec<Option<String>> = report
            .failures
            .iter()
            .map(|failure| failure.todo.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(
            filed,
            [Some("7".to_owned()), Some("6".to_owned()), None, None, None],
            "under the TODO just above; none when far below, in another file, or above all"
        );
    }

    const FAILING: &str = "
running 4 tests
test cases::route_is_a_plain_function ... FAILED
test cases::home_page_answers_with_html ... ok
test cases::it_panics - should panic ... FAILED
test cases::about_page_is_routed ... FAILED

failures:

---- cases::about_page_is_routed stdout ----

thread 'cases::about_page_is_routed' (22115) panicked at lessons/01-raw-routing/tests/../../../tests/01-raw-routing.rs:53:14:
assertion `left == right` failed: 
GET /about: expected 200 OK, got 404 Not Found.
Add a match arm in `route`.
Response body:
<h1>404</h1>


  left: 404
 right: 200
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- cases::it_panics stdout ----
note: test did not panic as expected at tests/x.rs:9:5
---- cases::route_is_a_plain_function stdout ----
some printed output
thread 'cases::route_is_a_plain_function' panicked at src/lib.rs:12:5:
not yet implemented: answer GET /about
stack backtrace:
   0: somewhere

failures:
    cases::about_page_is_routed
    cases::it_panics
    cases::route_is_a_plain_function

test result: FAILED. 1 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.40s
";

    #[test]
    fn counts_come_from_the_result_line() {
        let report = parse(FAILING);
        assert!(report.ran);
        assert_eq!((report.passed, report.failed, report.ignored), (1, 3, 0));
        assert_eq!(report.total(), 4);
        assert!(!report.all_passed());
    }

    #[test]
    fn each_failure_has_its_location_and_message_sorted_by_name() {
        let report = parse(FAILING);
        let names: Vec<&str> = report.failures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "cases::about_page_is_routed",
                "cases::it_panics",
                "cases::route_is_a_plain_function"
            ]
        );

        let about = &report.failures[0];
        assert_eq!(
            about.location.as_deref(),
            Some("tests/01-raw-routing.rs:53:14")
        );
        assert_eq!(
            about.message,
            "GET /about: expected 200 OK, got 404 Not Found.\nAdd a match arm in `route`.\n\
             Response body:\n<h1>404</h1>\n\n  left: 404\n right: 200"
        );

        let should_panic = &report.failures[1];
        assert_eq!(should_panic.location, None);
        assert_eq!(
            should_panic.message,
            "note: test did not panic as expected at tests/x.rs:9:5"
        );

        let todo = &report.failures[2];
        assert_eq!(todo.location.as_deref(), Some("src/lib.rs:12:5"));
        assert_eq!(todo.message, "not yet implemented: answer GET /about");
    }

    const BY_TODO: &str = "
test cases::a_first_by_name ... FAILED
test cases::creates_a_message ... FAILED
test cases::deletes_a_message ... FAILED
test cases::forgets_both_cookies ... FAILED
test cases::lists_messages ... FAILED
test cases::signs_a_token ... FAILED
test cases::zz_also_todo_3 ... FAILED

failures:

---- cases::a_first_by_name stdout ----
thread 'cases::a_first_by_name' (7) panicked at tests/x.rs:1:1:
Something broke, and no step is named.
---- cases::creates_a_message stdout ----
thread 'tokio-runtime-worker' (8) panicked at lessons/03-x/src/handlers.rs:58:5:
not yet implemented: TODO 3: create the message
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
server log line
thread 'cases::creates_a_message' (9) panicked at tests/x.rs:20:5:
POST /messages: expected 201 Created, got 500 (TODO 3, notes section 4).
---- cases::deletes_a_message stdout ----
thread 'cases::deletes_a_message' (10) panicked at tests/x.rs:30:5:
DELETE /messages/1: expected 204, got 405 (TODO 10; see also TODO 2).
thread 'tokio-runtime-worker' (14) panicked at tokio/src/runtime.rs:1:1:
the runtime is shutting down
---- cases::forgets_both_cookies stdout ----
thread 'cases::forgets_both_cookies' (15) panicked at tests/x.rs:35:5:
POST /forget: expected both cookies deleted (TODO 6).

note: the server reached a `todo!()` while this test ran; do that TODO first:
thread 'tokio-runtime-worker' (3) panicked at lessons/07-x/src/cookies.rs:53:5:
not yet implemented: TODO 5: the cookie that deletes one of ours
---- cases::lists_messages stdout ----
thread 'cases::lists_messages' (11) panicked at lessons/03-x/src/handlers.rs:70:5:
not yet implemented: TODO 3a: list the messages
---- cases::signs_a_token stdout ----
thread 'cases::signs_a_token' (12) panicked at tests/x.rs:40:5:
GET /me: expected 200 (TODO 2), got 401.
---- cases::zz_also_todo_3 stdout ----
thread 'cases::zz_also_todo_3' (13) panicked at tests/x.rs:50:5:
the server printed: TODO 3: something
test result: FAILED. 0 passed; 7 failed; 0 ignored; 0 measured; 0 filtered out
";

    #[test]
    fn failures_are_ordered_by_the_first_todo_their_output_names() {
        let report = parse(BY_TODO);
        let order: Vec<(&str, Option<String>)> = report
            .failures
            .iter()
            .map(|f| (short(&f.name), f.todo.as_ref().map(ToString::to_string)))
            .collect();
        assert_eq!(
            order,
            [
                ("signs_a_token", Some("2".into())),
                ("creates_a_message", Some("3".into())),
                ("zz_also_todo_3", Some("3".into())),
                ("lists_messages", Some("3a".into())),
                ("forgets_both_cookies", Some("5".into())),
                ("deletes_a_message", Some("10".into())),
                ("a_first_by_name", None),
            ]
        );
    }

    #[test]
    fn within_a_todo_failures_follow_the_test_file() {
        let mut report = parse(BY_TODO);
        let source = "fn zz_also_todo_3() {}\nfn signs_a_token() {}\nfn creates_a_message() {}";
        report.order_as_written(source);
        let order: Vec<&str> = report.failures.iter().map(|f| short(&f.name)).collect();
        assert_eq!(
            order,
            [
                "signs_a_token",
                "zz_also_todo_3",
                "creates_a_message",
                "lists_messages",
                "forgets_both_cookies",
                "deletes_a_message",
                "a_first_by_name",
            ]
        );
    }

    #[test]
    fn an_assert_ne_keeps_saying_the_values_must_differ() {
        let lines = [
            "assertion `left != right` failed: ",
            "POST /contact: the Allow header promises POST (TODO 4).",
            "  left: 405",
            " right: 405",
        ];
        assert_eq!(
            tidy(&lines),
            "POST /contact: the Allow header promises POST (TODO 4).\n\
             (the two values must differ)\n  left: 405\n right: 405"
        );
        let equal = [
            "assertion `left == right` failed: ",
            "the id (TODO 3)",
            "  left: 1",
        ];
        assert_eq!(tidy(&equal), "the id (TODO 3)\n  left: 1");
    }

    fn short(name: &str) -> &str {
        name.strip_prefix("cases::").unwrap_or(name)
    }

    #[test]
    fn a_stub_reached_on_another_thread_is_kept_beside_the_tests_own_panic() {
        let report = parse(BY_TODO);
        let creates = &report.failures[1];
        assert_eq!(creates.location.as_deref(), Some("tests/x.rs:20:5"));
        assert_eq!(
            creates.message,
            "POST /messages: expected 201 Created, got 500 (TODO 3, notes section 4)."
        );
        let stub = creates
            .stub
            .as_ref()
            .expect("the handler's todo!() is kept");
        assert_eq!(
            stub.location.as_deref(),
            Some("lessons/03-x/src/handlers.rs:58:5")
        );
        assert_eq!(
            stub.message,
            "not yet implemented: TODO 3: create the message"
        );
        assert!(stub.is_stub());

        let lists = &report.failures[3];
        assert_eq!(
            lists.location.as_deref(),
            Some("lessons/03-x/src/handlers.rs:70:5")
        );
        assert_eq!(lists.stub, None, "the test's own panic is the stub");
        assert_eq!(report.failures[0].stub, None);

        let forgets = &report.failures[4];
        assert_eq!(
            forgets.message,
            "POST /forget: expected both cookies deleted (TODO 6)."
        );
        assert_eq!(
            forgets.stub.as_ref().map(|stub| stub.message.as_str()),
            Some("not yet implemented: TODO 5: the cookie that deletes one of ours"),
            "a todo!() the server process reached, shown after the test's panic"
        );

        let deletes = &report.failures[5];
        assert_eq!(
            deletes.message,
            "DELETE /messages/1: expected 204, got 405 (TODO 10; see also TODO 2).",
            "a later panic on another thread is not the test's"
        );
        assert_eq!(panic_thread("thread 'a::b' (3) panicked at x:1:1:"), "a::b");
    }

    #[test]
    fn results_of_several_test_binaries_add_up() {
        let output = "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out\n\
                      test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";
        let report = parse(output);
        assert_eq!((report.passed, report.failed, report.ignored), (5, 0, 1));
        assert!(report.all_passed());
    }

    #[test]
    fn no_result_line_means_the_tests_did_not_run() {
        let report = parse("");
        assert!(!report.ran);
        assert!(!report.all_passed());
        let none_ran = parse("test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured\n");
        assert!(none_ran.ran);
        assert!(!none_ran.all_passed(), "a lesson without tests is not done");
    }

    #[test]
    fn the_old_panic_line_without_a_thread_id_is_read_too() {
        let line = "thread 'main' panicked at src/main.rs:2:5:";
        assert_eq!(panic_location(line), Some("src/main.rs:2:5"));
        assert_eq!(panic_location("some output"), None);
    }

    #[test]
    fn locations_are_normalised() {
        assert_eq!(clean_location("a/b/../c.rs:1:2"), "a/c.rs:1:2");
        assert_eq!(clean_location("./tests/x.rs:1:2"), "tests/x.rs:1:2");
        assert_eq!(clean_location("no-line-number"), "no-line-number");
    }
}
