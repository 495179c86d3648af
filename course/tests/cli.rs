//! The runner end to end, on a tiny course of its own (`tests/fixture/`):
//! two lessons without dependencies, copied to a folder per test and built
//! in a target folder of their own, so the nested `cargo` never waits for
//! the workspace's build lock and builds in seconds.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A fresh copy of the fixture course.
struct Fixture {
    root: PathBuf,
}

/// What one run of the runner printed, and how it exited.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Fixture {
    /// Copies the fixture to `<target>/tmp/course-fixtures/<name>`, keeping
    /// that copy's own `target/` from an earlier run so builds stay quick.
    fn new(name: &str) -> Fixture {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("course-fixtures")
            .join(name);
        Fixture::copy_to(root)
    }

    /// A copy in the system's temporary folder, outside any git checkout.
    fn outside_git(name: &str) -> Fixture {
        let root =
            std::env::temp_dir().join(format!("course-fixture-{name}-{}", std::process::id()));
        Fixture::copy_to(root)
    }

    fn copy_to(root: PathBuf) -> Fixture {
        if let Ok(entries) = std::fs::read_dir(&root) {
            for entry in entries.flatten() {
                if entry.file_name() != "target" {
                    let path = entry.path();
                    let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
                }
            }
        }
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture"),
            &root,
        );
        Fixture { root }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_course"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env("GIT_CEILING_DIRECTORIES", self.root.parent().unwrap())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("MONGODB_URI")
            .env_remove("MONGODB_IMAGE")
            .stdin(Stdio::null());
        command
    }

    fn course(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("the runner starts"))
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path(relative), text).expect("write a fixture file");
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).expect("read a fixture file")
    }

    /// The learner's finished work: the solution copied into the exercise.
    fn solve(&self, slug: &str) {
        let solution = self.read(&format!("solutions/{slug}/src/lib.rs"));
        self.write(&format!("lessons/{slug}/src/lib.rs"), &solution);
    }

    /// The copies `reset` kept of a lesson, oldest first.
    fn copies(&self, slug: &str) -> Vec<PathBuf> {
        let mut copies: Vec<PathBuf> =
            std::fs::read_dir(self.path(&format!(".course/backups/{slug}")))
                .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
                .unwrap_or_default();
        copies.sort();
        copies
    }

    fn progress(&self) -> serde_json::Value {
        serde_json::from_str(&self.read(".course/progress.json")).expect("progress is JSON")
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=Course",
                "-c",
                "user.email=course@example.com",
            ])
            .args(args)
            .current_dir(&self.root)
            .env("GIT_CEILING_DIRECTORIES", self.root.parent().unwrap())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?} failed");
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    fn says(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text),
            "expected {text:?} in the output:\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    fn complains(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "expected {text:?} in the error output:\n{}\n--- stdout ---\n{}",
            self.stderr,
            self.stdout
        );
        self
    }

    fn lacks(&self, text: &str) -> &Run {
        assert!(
            !self.stdout.contains(text),
            "expected no {text:?} in the output:\n{}",
            self.stdout
        );
        self
    }

    /// Asserts that `texts` appear in the output in this order.
    fn says_in_order(&self, texts: &[&str]) -> &Run {
        let mut from = 0;
        for text in texts {
            match self.stdout[from..].find(text) {
                Some(at) => from += at + text.len(),
                None => panic!(
                    "expected {text:?} after the earlier texts of {texts:?} in:\n{}",
                    self.stdout
                ),
            }
        }
        self
    }

    fn exits_with(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit status\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a fixture folder");
    for entry in std::fs::read_dir(from).expect("read the fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a fixture file");
        }
    }
}

#[test]
fn the_status_screen_lists_lessons_and_the_next_step() {
    let course = Fixture::new("status");
    course
        .course(&[])
        .exits_with(0)
        .says("0 of 2 lessons done")
        .says("[----------------------------------------]   0%")
        .says(" > 01  adding")
        .says("   02  greeting")
        .says("Read notes/01-adding.md")
        .says("cargo course verify 01")
        .says_in_order(&[
            "TODOs in the code of lesson 01 (adding):",
            "  lessons/01-adding/src/lib.rs:5  TODO 1: `add` gives the sum of its two numbers, \
             not their difference.",
            "  lessons/01-adding/src/lib.rs:11  TODO 2: `multiply` gives the product of its two \
             numbers.",
        ]);
}

#[test]
fn verify_reports_failures_then_marks_the_lesson_done() {
    let course = Fixture::new("verify");

    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says("Checking lesson 01 (adding): cargo test -p lesson-01-adding")
        .says("FAIL adds_two_numbers  · TODO 1  (checked at tests/01-adding.rs:")
        .says("add(2, 3) should be 5 (TODO 1)")
        .says("1 of 4 tests pass");
    let progress = course.progress();
    assert_eq!(progress["lessons"]["01-adding"]["done"], false);
    assert_eq!(progress["lessons"]["01-adding"]["last_result"]["failed"], 3);

    course.write(
        "lessons/01-adding/src/lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 { a + }\n",
    );
    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says("error")
        .says("does not compile yet");
    assert_eq!(
        course.progress()["lessons"]["01-adding"]["last_result"]["outcome"],
        "does_not_compile"
    );

    course.solve("01-adding");
    course
        .course(&["verify", "01"])
        .exits_with(0)
        .says("PASS all 4 tests of lesson 01 (adding) pass")
        .says("Next: lesson 02 (greeting): read notes/02-greeting.md")
        .lacks("TODOs in the code");
    assert_eq!(course.progress()["lessons"]["01-adding"]["done"], true);

    course
        .course(&[])
        .says("1 of 2 lessons done")
        .says("   01  adding             done")
        .says(" > 02  greeting")
        .says("  lessons/02-greeting/src/lib.rs:5  TODO 1: the greeting says hello.");
    // Without a number, verify checks the current lesson.
    course
        .course(&["verify"])
        .exits_with(1)
        .says("Checking lesson 02 (greeting)");
}

#[test]
fn verify_says_when_the_lesson_is_not_in_the_workspace_or_cargo_cannot_build() {
    let course = Fixture::new("verify-workspace");
    let manifest = course.read("Cargo.toml");
    course.write(
        "Cargo.toml",
        &manifest.replace("    \"lessons/02-greeting\",\n", ""),
    );
    course
        .course(&["verify", "02"])
        .exits_with(1)
        .complains("the package lesson-02-greeting is not in the workspace")
        .complains("add \"lessons/02-greeting\" to `members`");

    // Cargo reads the workspace, but not the lesson's own manifest.
    course.write("Cargo.toml", &manifest);
    let lesson = course.read("lessons/01-adding/Cargo.toml");
    course.write(
        "lessons/01-adding/Cargo.toml",
        &format!("{lesson}\n[dependencies]\nno-such-crate-here = {{ path = \"nowhere\" }}\n"),
    );
    course
        .course(&["verify", "01"])
        .exits_with(1)
        .complains("cargo cannot read the course's workspace");
}

#[test]
fn verify_orders_failures_by_todo_and_lists_the_todos() {
    let course = Fixture::new("verify-order");
    // Alphabetically a_product (TODO 2) and aa_one_and_one (no TODO) come
    // first; the verdict follows the TODOs instead, untagged failures last.
    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says_in_order(&[
            "FAIL adds_two_numbers  · TODO 1",
            "FAIL a_product_of_two_numbers  · TODO 2  (lessons/01-adding/src/lib.rs:13:5)",
            "not yet implemented: TODO 2: multiply the numbers",
            "FAIL aa_one_and_one  (checked at tests/01-adding.rs:",
            "1 of 4 tests pass.",
            "You are on TODO 1 (lessons/01-adding/src/lib.rs:5): the first failure above is \
             about it.",
            "TODOs in the code of lesson 01 (adding):",
            "> lessons/01-adding/src/lib.rs:5  TODO 1: `add` gives the sum",
            "  lessons/01-adding/src/lib.rs:11  TODO 2: `multiply` gives the product",
            "cargo course hint 01 gives a hint for TODO 1.",
        ]);
    assert_eq!(
        course.progress()["lessons"]["01-adding"]["current_todo"],
        "1"
    );

    // TODO 1 done: the first failure, and the TODO you are on, move to TODO 2.
    let exercise = course.read("lessons/01-adding/src/lib.rs");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &exercise.replace("    a - b\n", "    a + b\n"),
    );
    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says_in_order(&[
            "FAIL a_product_of_two_numbers  · TODO 2",
            "3 of 4 tests pass.",
            "You are on TODO 2",
            "> lessons/01-adding/src/lib.rs:11  TODO 2",
        ])
        .lacks("FAIL adds_two_numbers");
    assert_eq!(
        course.progress()["lessons"]["01-adding"]["current_todo"],
        "2"
    );
}

#[test]
fn verify_shows_the_compilers_warnings_about_the_lesson() {
    let course = Fixture::new("verify-warnings");
    let exercise = course.read("lessons/01-adding/src/lib.rs");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &exercise.replace("    a - b\n", "    let unused = 1;\n    a - b\n"),
    );
    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says_in_order(&[
            "FAIL adds_two_numbers",
            "warning: the compiler warns about lessons/01-adding (often the clue):",
            "unused variable: `unused`",
            "lessons/01-adding/src/lib.rs:6:9",
            "1 of 4 tests pass.",
        ]);

    // Warnings are shown when the tests pass too, and TODO comments left.
    course.solve("01-adding");
    let solution = course.read("lessons/01-adding/src/lib.rs");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &format!("// TODO 2: tidy up.\n{solution}\nuse std::fmt;\n"),
    );
    // A warning keeps the lesson open: it is often a step left out.
    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says("unused import: `std::fmt`")
        .says("PASS all 4 tests of lesson 01 (adding) pass. Clear the warnings above")
        .lacks("Next:")
        .says("1 TODO comment(s) are still in the code.")
        .says("  lessons/01-adding/src/lib.rs:1  TODO 2: tidy up.");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &format!("// TODO 2: tidy up.\n{solution}"),
    );
    course
        .course(&["verify", "01"])
        .exits_with(0)
        .says("Lesson done!");
}

#[test]
fn check_accepts_a_failing_exercise_and_flags_a_solved_one() {
    let course = Fixture::new("check");
    course.course(&["check", "01"]).exits_with(0).says(
        "ok      01-adding            exercise fails (3 failing tests), solution passes (4 tests)",
    );

    course.solve("01-adding");
    std::fs::remove_file(course.path("notes/01-adding.md")).unwrap();
    course
        .course(&["check", "01"])
        .exits_with(1)
        .says("BREACH  01-adding")
        .says("exercise PASSES its tests: it ships solved")
        .says("no notes (notes/01-adding.md is missing)")
        .says("1 lesson(s) in breach");
}

#[test]
fn check_validates_the_hints_against_the_todos() {
    let course = Fixture::new("check-hints");
    let hints = course.read("lessons/01-adding/hints.md");
    // TODO 2 loses its second hint and gains a second answer; a hint and an
    // answer name TODO 3, which the code does not have; a hint follows the answers.
    let broken = hints
        .replace(
            "## Hint · TODO 2 · the shape\n\nOne expression of both numbers, once they are renamed.\n",
            "## Hint · TODO 3 · the idea\n\nNo such TODO.\n",
        )
        .replace(
            "### TODO 2\n",
            "### TODO 2\n\nOne.\n\n### TODO 3\n\nThree.\n\n### TODO 2\n",
        )
        + "\n## Hint · TODO 1 · late\n\nAfter the answers.\n";
    course.write("lessons/01-adding/hints.md", &broken);
    // A stub whose message names no TODO, and a TODO line without its goal.
    let exercise = course
        .read("lessons/01-adding/src/lib.rs")
        .replace(
            "todo!(\"TODO 2: multiply the numbers\")",
            "todo!(\"multiply\")",
        )
        .replace("// TODO 1: `add` gives", "// TODO 1:\n    // `add` gives");
    course.write("lessons/01-adding/src/lib.rs", &exercise);
    course
        .course(&["check", "01"])
        .exits_with(1)
        .says("BREACH  01-adding")
        .says(
            "lessons/01-adding/hints.md: line 43: `## Hint · TODO 1 · late` follows \
             `## Answers` (line 21): the answers must be the last section",
        )
        .says("lessons/01-adding/hints.md: TODO 2 has 1 hint(s): it needs at least two")
        .says(
            "lessons/01-adding/hints.md: TODO 2 has 2 answers (`### TODO 2`): it needs exactly one",
        )
        .says(
            "lessons/01-adding/hints.md: hints name TODO 3, but the exercise's code has no \
             `TODO 3:` line",
        )
        .says(
            "lessons/01-adding/hints.md: an answer names TODO 3, but the exercise's code has no \
             `TODO 3:` line",
        )
        .says("lessons/01-adding/src/lib.rs:5: `TODO 1:` has no goal on its line")
        .says("lessons/01-adding/src/lib.rs:14: this `todo!()` names no `TODO N` in its message")
        .lacks("TODO 1 has");
}

#[test]
fn hints_follow_the_todo_you_are_on_up_to_its_answer() {
    let course = Fixture::new("hints");
    course
        .course(&["hint", "01"])
        .exits_with(0)
        .says("You are on TODO 1: the first failing test, adds_two_numbers, is about it.")
        .says_in_order(&[
            "TODO 1, hint 1 of 2: the idea",
            "lessons/01-adding/src/lib.rs:5  TODO 1: `add` gives the sum",
            "  Look at the operator.",
            "cargo course hint 01 shows the next hint for TODO 1.",
        ]);
    course
        .course(&["hint", "1"])
        .says("TODO 1, hint 2 of 2: where to look")
        .says("The operators in appendix B")
        .says("That was the last hint for TODO 1.");
    // After the last hint, the answer, after a spoiler warning.
    course.course(&["hint", "adding"]).says_in_order(&[
        "Spoiler: the answer to TODO 1 follows.",
        "TODO 1, the answer (after 2 hint(s))",
        "  a + b",
        "cargo course verify 01",
    ]);
    // And again, while TODO 1 is not done.
    course
        .course(&["hint", "01"])
        .says("TODO 1, the answer")
        .lacks("TODO 2, hint");
    assert_eq!(
        course.progress()["lessons"]["01-adding"]["hints_seen"]["1"],
        3
    );

    // TODO 1 done: the hints move on to TODO 2.
    let exercise = course.read("lessons/01-adding/src/lib.rs");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &exercise.replace("    a - b\n", "    a + b\n"),
    );
    course
        .course(&["hint", "01"])
        .says("You are on TODO 2: the first failing test, a_product_of_two_numbers, is about it.")
        .says("TODO 2, hint 1 of 2: the idea")
        .says("A product is a multiplication.");

    // While the exercise does not compile, the hints stay with the TODO of
    // the last run.
    let started = course.read("lessons/01-adding/src/lib.rs");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &format!("{started}\nfn unfinished( {{\n"),
    );
    course
        .course(&["hint", "01"])
        .says("The exercise does not compile; at the last run you were on TODO 2.")
        .says("TODO 2, hint 2 of 2: the shape");
    course.write("lessons/01-adding/src/lib.rs", &started);

    // --all: every step seen, TODO by TODO.
    course.course(&["hint", "01", "--all"]).says_in_order(&[
        "TODO 1, hint 1 of 2",
        "TODO 1, hint 2 of 2",
        "TODO 1, the answer",
        "TODO 2, hint 1 of 2",
        "TODO 2, hint 2 of 2",
    ]);
    // A lesson with hints shown counts as started.
    course
        .course(&[])
        .says("01  adding             in progress");
}

#[test]
fn hints_survive_an_older_or_damaged_progress_file() {
    let course = Fixture::new("hints-old-progress");
    std::fs::create_dir_all(course.path(".course")).unwrap();
    course.write(
        ".course/progress.json",
        r#"{"lessons": {"01-adding": {"hints_shown": 2, "hints_seen": "all of them"}}}"#,
    );
    course
        .course(&["hint", "01"])
        .exits_with(0)
        .says("TODO 1, hint 1 of 2");
    course.write(".course/progress.json", "{ not json");
    course
        .course(&["hint", "01"])
        .exits_with(0)
        .says("TODO 1, hint 1 of 2");
}

#[test]
fn hints_in_the_older_format_still_come_one_at_a_time() {
    let course = Fixture::new("hints-older-format");
    course.write(
        "lessons/02-greeting/hints.md",
        "# Hints for lesson 02\n\n## Hint\n\nSay hello.\n\n## Hint\n\nReturn \"Hello\".\n",
    );
    course
        .course(&["hint", "02"])
        .exits_with(0)
        .says("Hint 1 of 2");
    course
        .course(&["hint", "02"])
        .says("Hint 2 of 2")
        .says("That was the last hint");
    assert_eq!(
        course.progress()["lessons"]["02-greeting"]["hints_shown"],
        2
    );
}

#[test]
fn a_lesson_without_hints_says_so() {
    let course = Fixture::new("no-hints");
    std::fs::remove_file(course.path("lessons/02-greeting/hints.md")).unwrap();
    course
        .course(&["hint", "02"])
        .exits_with(1)
        .complains("lesson 02 (greeting) has no hints yet");
}

#[test]
fn an_unknown_lesson_lists_the_valid_ones() {
    let course = Fixture::new("unknown");
    course
        .course(&["verify", "42"])
        .exits_with(2)
        .complains("there is no lesson \"42\"")
        .complains("01  adding")
        .complains("02  greeting");
}

#[test]
fn bad_arguments_exit_with_status_2() {
    let course = Fixture::new("arguments");
    course
        .course(&["reset"])
        .exits_with(2)
        .complains("<LESSON>");
    course
        .course(&["fly"])
        .exits_with(2)
        .complains("unrecognized subcommand");
    course
        .course(&["--help"])
        .exits_with(0)
        .says("Usage: cargo course [COMMAND]")
        .says("verify");
}

#[test]
fn outside_the_course_it_says_where_to_run() {
    let elsewhere = std::env::temp_dir().join(format!("course-elsewhere-{}", std::process::id()));
    std::fs::create_dir_all(&elsewhere).unwrap();
    let run = Run::from(
        Command::new(env!("CARGO_BIN_EXE_course"))
            .current_dir(&elsewhere)
            .output()
            .unwrap(),
    );
    run.exits_with(2)
        .complains("is not inside the course")
        .complains("cargo course");
    std::fs::remove_dir_all(elsewhere).unwrap();
}

#[test]
fn reset_needs_git_and_changes_then_restores_the_exercise() {
    let course = Fixture::outside_git("reset");
    course
        .course(&["reset", "01", "--yes"])
        .exits_with(1)
        .complains("reset needs a git checkout");

    course.git(&["init", "-q"]);
    course.git(&["add", "."]);
    course.git(&["commit", "-q", "-m", "start"]);
    course
        .course(&["reset", "01", "--yes"])
        .exits_with(1)
        .complains("has no changes: nothing to reset");

    let original = course.read("lessons/01-adding/src/lib.rs");
    course.write("lessons/01-adding/src/lib.rs", "// my attempt\n");
    course.write("lessons/01-adding/src/extra.rs", "// a new file\n");
    // Without a terminal to answer the question, --yes is required.
    course
        .course(&["reset", "01"])
        .exits_with(2)
        .complains("--yes");
    course
        .course(&["reset", "01", "--yes"])
        .exits_with(0)
        .says("modified  lessons/01-adding/src/lib.rs")
        .says("new file  lessons/01-adding/src/extra.rs")
        .says("back to its starting state");
    assert_eq!(course.read("lessons/01-adding/src/lib.rs"), original);
    assert!(!course.path("lessons/01-adding/src/extra.rs").exists());
    std::fs::remove_dir_all(&course.root).unwrap();
}

#[test]
fn reset_keeps_a_copy_that_undo_brings_back() {
    let course = Fixture::outside_git("reset-undo");
    course
        .course(&["reset", "01", "--undo"])
        .exits_with(1)
        .complains("there is no copy of lesson 01 (adding) to bring back");
    course.git(&["init", "-q"]);
    course.git(&["add", "."]);
    course.git(&["commit", "-q", "-m", "start"]);
    let original = course.read("lessons/01-adding/src/lib.rs");

    course.write("lessons/01-adding/src/lib.rs", "// my attempt\n");
    course.write("lessons/01-adding/src/extra.rs", "// a new file\n");
    course
        .course(&["reset", "01", "--yes"])
        .exits_with(0)
        .says("a copy is kept first")
        .says("back to its starting state")
        .says("Your files as they were are kept in .course/backups/01-adding/")
        .says("cargo course reset 01 --undo");
    assert_eq!(course.read("lessons/01-adding/src/lib.rs"), original);
    assert!(!course.path("lessons/01-adding/src/extra.rs").exists());
    let copies = course.copies("01-adding");
    assert_eq!(copies.len(), 1, "one copy: {copies:?}");
    assert_eq!(
        std::fs::read_to_string(copies[0].join("src/lib.rs")).unwrap(),
        "// my attempt\n"
    );
    assert!(
        copies[0].join("src/extra.rs").exists(),
        "new files are kept"
    );

    // The learner starts again, then wants the old attempt back.
    course.write("lessons/01-adding/src/lib.rs", "// a fresh start\n");
    course
        .course(&["reset", "01", "--undo"])
        .exits_with(0)
        .says("lessons/01-adding/ is back as it was in .course/backups/01-adding/")
        .says("The files it replaced are kept in .course/backups/01-adding/");
    assert_eq!(
        course.read("lessons/01-adding/src/lib.rs"),
        "// my attempt\n"
    );
    assert_eq!(
        course.read("lessons/01-adding/src/extra.rs"),
        "// a new file\n"
    );

    // Undo itself loses nothing: undo again brings back the fresh start.
    course.course(&["reset", "01", "--undo"]).exits_with(0);
    assert_eq!(
        course.read("lessons/01-adding/src/lib.rs"),
        "// a fresh start\n"
    );
    assert!(!course.path("lessons/01-adding/src/extra.rs").exists());
    assert_eq!(course.copies("01-adding").len(), 3);
    std::fs::remove_dir_all(&course.root).unwrap();
}

#[test]
fn a_damaged_or_hand_edited_progress_file_stops_no_command() {
    let course = Fixture::new("damaged-progress");
    std::fs::create_dir_all(course.path(".course")).unwrap();
    let hand_edited = r#"{"lessons": {
        "01-adding": {"done": "yes", "hints_seen": {"1": 99999999999},
                      "last_result": {"outcome": "ran",
                                      "passed": 18446744073709551615, "failed": 1}},
        "02-greeting": ["not", "an", "entry"]}}"#;
    let damaged: [(&str, &str); 4] = [
        ("{ not json", "was moved to"),
        ("", "was moved to"),
        (r#"{"lessons": "all done"}"#, "was moved to"),
        (hand_edited, "01-adding: done"),
    ];
    let commands: [&[&str]; 6] = [
        &[],
        &["verify", "01"],
        &["hint", "01"],
        &["solution", "01", "--yes"],
        &["reset", "01", "--yes"],
        &["reset", "01", "--undo"],
    ];
    for (text, warning) in damaged {
        for args in commands {
            course.write(".course/progress.json", text);
            let run = course.course(args);
            assert!(
                !run.stderr.contains("panicked") && run.code != 101,
                "cargo course {args:?} with {text:?} in the progress file:\n{}",
                run.stderr
            );
            run.complains(warning);
        }
    }
    // A repaired file keeps what it could read, and reads cleanly.
    course.write(".course/progress.json", hand_edited);
    course.course(&[]).exits_with(0).says("01  adding ");
    let progress = course.progress();
    assert_eq!(
        progress["lessons"]["01-adding"]["hints_seen"]["1"],
        99999999999_u64
    );
    assert!(
        progress["lessons"]["01-adding"]
            .get("last_result")
            .is_none()
    );
    assert!(progress["lessons"].get("02-greeting").is_none());
    assert_eq!(
        course.read(".course/progress.json.damaged"),
        hand_edited,
        "the file as it was is kept"
    );
    course.course(&[]).exits_with(0);
    assert!(
        !course.course(&[]).stderr.contains("warning"),
        "the warning is given once"
    );
}

#[test]
fn watch_ignores_editors_files_and_survives_a_file_deleted_mid_save() {
    let course = Fixture::new("watch");
    let mut watch = Watching::start(&course, &["watch", "01"]);
    assert_eq!(watch.until_idle(), 1, "the first run");

    // An editor's swap, backup, lock and temporary files start no run.
    for noise in [".lib.rs.swp", "lib.rs~", "4913", ".#lib.rs", "lib.rs.tmp"] {
        course.write(&format!("lessons/01-adding/src/{noise}"), "noise\n");
    }
    std::fs::remove_file(course.path("lessons/01-adding/src/4913")).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    watch.says_nothing_new();

    // A real save runs the tests once.
    course.solve("01-adding");
    assert_eq!(watch.until_idle(), 1, "one run for one save");
    watch.saw("PASS all 4 tests");

    // A save that deletes the file, then writes it anew a moment later:
    // the run sees the new file, and the watch goes on.
    std::fs::remove_file(course.path("lessons/01-adding/src/lib.rs")).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    course.solve("01-adding");
    watch.seen.clear();
    assert_eq!(watch.until_idle(), 1);
    watch.saw("PASS all 4 tests");
    assert!(watch.child.try_wait().unwrap().is_none(), "still watching");
}

/// A `cargo course watch` running in the background, its output read line
/// by line; stopped when dropped.
struct Watching {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(course: &Fixture, args: &[&str]) -> Watching {
        let mut child = course
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the runner starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Watching {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads the output until watch waits for changes again, and returns
    /// how many runs it made meanwhile.
    fn until_idle(&mut self) -> usize {
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut runs = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else {
                panic!("watch stopped or hung; it said:\n{}", self.seen.join("\n"));
            };
            runs += usize::from(line.starts_with("Checking lesson"));
            let idle = line.starts_with("Watching ");
            self.seen.push(line);
            if idle {
                return runs;
            }
        }
    }

    fn says_nothing_new(&self) {
        if let Ok(line) = self.lines.try_recv() {
            panic!("expected no output, got {line:?}");
        }
    }

    fn saw(&self, text: &str) {
        assert!(
            self.seen.iter().any(|line| line.contains(text)),
            "expected {text:?} in:\n{}",
            self.seen.join("\n")
        );
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn solution_shows_the_difference_after_a_spoiler_warning() {
    let course = Fixture::new("solution");
    course
        .course(&["solution", "01"])
        .exits_with(0)
        .says("Spoiler ahead")
        .says("--- lessons/01-adding/src/lib.rs (yours)")
        .says("+++ solutions/01-adding/src/lib.rs (solution)")
        .says("-    a - b")
        .says("+    a + b")
        .says("1 file(s) differ");
    // Solved, with the exercise's comments still in: the code matches.
    course.solve("01-adding");
    let solved = course.read("lessons/01-adding/src/lib.rs");
    course.write(
        "lessons/01-adding/src/lib.rs",
        &format!("//! Lesson 01. EXERCISE.\n\n// TODO 1: done.\n{solved}\n\n"),
    );
    course
        .course(&["solution", "01"])
        .says("Your exercise matches the solution (comments aside)")
        .lacks("differ");
}

#[test]
fn piped_output_is_plain_and_colour_can_be_forced_or_refused() {
    let course = Fixture::new("colour");
    assert!(
        !course.course(&[]).stdout.contains('\u{1b}'),
        "no colour in a pipe"
    );
    let forced = Run::from(
        course
            .command(&[])
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap(),
    );
    assert!(
        forced.stdout.contains("\u{1b}["),
        "CLICOLOR_FORCE gives colour"
    );
    let refused = Run::from(
        course
            .command(&[])
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    );
    assert!(!refused.stdout.contains('\u{1b}'), "NO_COLOR wins");
}

#[test]
fn doctor_without_docker_or_mongodb_names_the_fixes() {
    let course = Fixture::new("doctor-no-docker");
    let run = Run::from(
        course
            .command(&["doctor"])
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env("MONGODB_URI", "mongodb://127.0.0.1:9")
            .output()
            .unwrap(),
    );
    run.exits_with(1)
        .says("ok    Rust")
        .says("(the course needs 1.88 or newer)")
        .says("ok    Dependencies")
        .says("warn  Docker         does not answer at unix:///nonexistent/docker.sock")
        .says("fix: start Docker")
        .says("FAIL  MongoDB        MONGODB_URI is mongodb://127.0.0.1:9, but nothing answers")
        .says("fix: start that server, or unset MONGODB_URI")
        .says("Not ready: 1 problem(s) to fix");
}

#[test]
fn prepare_builds_everything_and_says_when_mongodb_cannot_be_had() {
    let course = Fixture::new("prepare");
    let run = Run::from(
        course
            .command(&["prepare"])
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env("MONGODB_URI", "mongodb://127.0.0.1:9")
            .output()
            .unwrap(),
    );
    run.exits_with(1)
        .says("==> Fetching every crate: cargo fetch")
        .says("==> Building every lesson and its tests: cargo test --workspace --no-run")
        .says("==> Getting MongoDB ready: the image in Docker, or FerretDB built with Go")
        .says("FAIL MONGODB_URI is set, but nothing answers there.")
        .says("==> Checking the machine: cargo course doctor")
        .says("ok    Dependencies");
    assert!(
        course.path("target/debug/deps").read_dir().unwrap().count() > 0,
        "the lessons were built"
    );
}

#[test]
#[cfg(unix)]
fn doctor_sees_docker_when_it_runs() {
    // A socket file left behind by a stopped daemon is not a running Docker:
    // only a daemon that accepts the connection is.
    let socket = Path::new("/var/run/docker.sock");
    if std::env::var_os("DOCKER_HOST").is_some()
        || std::os::unix::net::UnixStream::connect(socket).is_err()
    {
        eprintln!("Docker does not run on this machine: only the test without Docker applies");
        return;
    }
    let course = Fixture::new("doctor-docker");
    course
        .course(&["doctor"])
        .says("ok    Docker         Docker ")
        .says("answers at the default Docker socket");
}
