//! The runner end to end, on a tiny course of its own (`tests/fixture/`):
//! two lessons without dependencies, copied to a folder per test and built
//! in a target folder of their own, so the nested `cargo` never waits for
//! the workspace's build lock and builds in seconds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
        .says("cargo course verify 01");
}

#[test]
fn verify_reports_failures_then_marks_the_lesson_done() {
    let course = Fixture::new("verify");

    course
        .course(&["verify", "01"])
        .exits_with(1)
        .says("Checking lesson 01 (adding): cargo test -p lesson-01-adding")
        .says("FAIL adds_two_numbers  (tests/01-adding.rs:")
        .says("add(2, 3) should be 5: use `+`")
        .says("1 of 2 tests pass");
    let progress = course.progress();
    assert_eq!(progress["lessons"]["01-adding"]["done"], false);
    assert_eq!(progress["lessons"]["01-adding"]["last_result"]["failed"], 1);

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
        .says("PASS all 2 tests of lesson 01 (adding) pass")
        .says("Next: lesson 02 (greeting): read notes/02-greeting.md");
    assert_eq!(course.progress()["lessons"]["01-adding"]["done"], true);

    course
        .course(&[])
        .says("1 of 2 lessons done")
        .says("   01  adding             done")
        .says(" > 02  greeting");
    // Without a number, verify checks the current lesson.
    course
        .course(&["verify"])
        .exits_with(1)
        .says("Checking lesson 02 (greeting)");
}

#[test]
fn check_accepts_a_failing_exercise_and_flags_a_solved_one() {
    let course = Fixture::new("check");
    course.course(&["check", "01"]).exits_with(0).says(
        "ok      01-adding            exercise fails (1 failing tests), solution passes (2 tests)",
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
fn hints_come_one_at_a_time_and_are_remembered() {
    let course = Fixture::new("hints");
    course
        .course(&["hint", "01"])
        .exits_with(0)
        .says("Hint 1 of 2")
        .says("Look at the operator.")
        .says("cargo course hint 01` shows the next hint");
    course
        .course(&["hint", "1"])
        .says("Hint 2 of 2")
        .says("Use `+`.")
        .says("That was the last hint");
    course.course(&["hint", "adding"]).says("Hint 2 of 2");
    let all = course.course(&["hint", "01", "--all"]);
    all.says("Hint 1 of 2").says("Hint 2 of 2");
    assert_eq!(course.progress()["lessons"]["01-adding"]["hints_shown"], 2);
    // A lesson with hints shown counts as started.
    course
        .course(&[])
        .says("01  adding             in progress");
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
    course.solve("01-adding");
    course
        .course(&["solution", "01"])
        .says("Your exercise matches the solution exactly.");
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
        .says("FAIL  Docker         does not answer at unix:///nonexistent/docker.sock")
        .says("fix: start Docker")
        .says("--    MongoDB image  not checked")
        .says("FAIL  MongoDB        MONGODB_URI is mongodb://127.0.0.1:9, but nothing answers")
        .says("Not ready: 2 problem(s) to fix");
}

#[test]
fn prepare_builds_everything_and_says_when_the_image_cannot_be_pulled() {
    let course = Fixture::new("prepare");
    let run = Run::from(
        course
            .command(&["prepare"])
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .output()
            .unwrap(),
    );
    run.exits_with(1)
        .says("==> Fetching every crate: cargo fetch")
        .says("==> Building every lesson and its tests: cargo test --workspace --no-run")
        .says("==> Downloading the MongoDB image: mongo:8.0")
        .says("skipped: Docker does not answer at unix:///nonexistent/docker.sock")
        .says("==> Checking the machine: cargo course doctor")
        .says("ok    Dependencies");
    assert!(
        course.path("target/debug/deps").read_dir().unwrap().count() > 0,
        "the lessons were built"
    );
}

#[test]
fn doctor_sees_docker_when_it_runs() {
    let socket = Path::new("/var/run/docker.sock");
    if std::env::var_os("DOCKER_HOST").is_some() || !socket.exists() {
        eprintln!("no Docker socket on this machine: only the test without Docker applies");
        return;
    }
    let course = Fixture::new("doctor-docker");
    course
        .course(&["doctor"])
        .says("ok    Docker         Docker ")
        .says("answers at the default Docker socket");
}
