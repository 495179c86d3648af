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

/// What a `cargo test` run reported, over all its test binaries.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TestReport {
    /// At least one test binary ran to its `test result:` line. When this is
    /// false, the tests did not compile or did not finish.
    pub ran: bool,
    pub passed: usize,
    pub failed: usize,
    pub ignored: usize,
    /// Each failing test, sorted by name as libtest's closing list is (tests
    /// run in parallel, so the order they finish in changes from run to run).
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
}

impl TestReport {
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
    report.failures.sort_by(|a, b| a.name.cmp(&b.name));
    for (name, block) in output_blocks(&lines) {
        if let Some(failure) = report.failures.iter_mut().find(|f| f.name == name) {
            let (location, message) = read_panic(block);
            failure.location = location;
            failure.message = message;
        }
    }
    report
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

/// The panic location and message in a test's captured output.
fn read_panic(block: Vec<&str>) -> (Option<String>, String) {
    let Some(start) = block.iter().position(|line| panic_location(line).is_some()) else {
        // No panic line (a test that returned `Err`, say): show what it printed.
        return (None, tidy(&block));
    };
    let location = panic_location(block[start]).map(clean_location);
    let message: Vec<&str> = block[start + 1..]
        .iter()
        .take_while(|line| {
            !line.starts_with("note: run with `RUST_BACKTRACE")
                && !line.starts_with("stack backtrace:")
        })
        .copied()
        .collect();
    (location, tidy(&message))
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
        lines.remove(0);
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
