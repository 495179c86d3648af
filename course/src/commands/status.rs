//! `cargo course`: every lesson with its state, a progress bar, the current
//! lesson and the exact next step.

use std::collections::HashSet;
use std::process::ExitCode;

use anyhow::Result;

use crate::commands::{Session, verify};
use crate::course::Lesson;
use crate::git;
use crate::progress::{LessonProgress, TestResult};
use crate::style::{BAD, CODE, DIM, GOOD, STRONG, WARN, command, paint};
use crate::todos::{self, TodoId};

/// Where a lesson stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Its last `verify` passed.
    Done,
    /// Verified without passing, hinted, or its files changed.
    InProgress,
    NotStarted,
}

impl State {
    pub fn of(progress: &LessonProgress, files_changed: bool) -> State {
        if progress.done {
            State::Done
        } else if progress.last_result.is_some() || progress.saw_hints() || files_changed {
            State::InProgress
        } else {
            State::NotStarted
        }
    }
}

pub fn run(session: &Session, json: bool) -> Result<ExitCode> {
    if json {
        anstream::println!("{}", progress_json(session, &changed_lessons(session)));
        return Ok(ExitCode::SUCCESS);
    }
    let lessons = &session.course.lessons;
    if lessons.is_empty() {
        anstream::println!("This course has no lessons yet: add a lessons/NN-topic/ folder.");
        return Ok(ExitCode::SUCCESS);
    }
    let changed = changed_lessons(session);
    let states: Vec<State> = lessons
        .iter()
        .map(|l| State::of(&session.progress.lesson(&l.slug), changed.contains(&l.slug)))
        .collect();
    let done = states.iter().filter(|s| **s == State::Done).count();
    let current = session.current_lesson();

    anstream::println!(
        "{}  {done} of {} lessons done",
        paint(STRONG, "Rust backend course"),
        lessons.len()
    );
    anstream::println!("{}\n", progress_bar(done, lessons.len(), 40));
    for (lesson, state) in lessons.iter().zip(&states) {
        let is_current = current.is_some_and(|c| c.slug == lesson.slug);
        print_row(session, lesson, *state, is_current);
    }
    anstream::println!();
    match current {
        Some(lesson) => {
            print_next_step(lesson, states[index_of(session, lesson)]);
            let todos = todos::scan(&session.course.root, lesson);
            let remembered = session.progress.lesson(&lesson.slug).current_todo;
            let on = remembered.as_deref().and_then(TodoId::parse);
            verify::print_todos(lesson, &todos, on.as_ref());
        }
        None => print_all_done(session),
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo course status --json`: per lesson, its state, whether its last
/// `verify` passed, the test counts of that run (`null` before any run, or
/// when the exercise did not compile) and the TODO the learner is on.
fn progress_json(session: &Session, changed: &HashSet<String>) -> String {
    let current = session.current_lesson().map(|lesson| lesson.slug.clone());
    let lessons: Vec<serde_json::Value> = session
        .course
        .lessons
        .iter()
        .map(|lesson| {
            let progress = session.progress.lesson(&lesson.slug);
            let state = match State::of(&progress, changed.contains(&lesson.slug)) {
                State::Done => "done",
                State::InProgress => "in_progress",
                State::NotStarted => "not_started",
            };
            let tests = match progress.last_result {
                Some(TestResult::Ran { passed, failed }) => {
                    serde_json::json!({ "passed": passed, "failed": failed })
                }
                _ => serde_json::Value::Null,
            };
            serde_json::json!({
                "lesson": lesson.slug,
                "number": lesson.number,
                "state": state,
                "passed": progress.done,
                "compiles": progress.last_result.map(|r| r != TestResult::DoesNotCompile),
                "tests": tests,
                "todo": progress.current_todo,
            })
        })
        .collect();
    let done = lessons.iter().filter(|l| l["passed"] == true).count();
    serde_json::to_string_pretty(&serde_json::json!({
        "lessons": lessons,
        "done": done,
        "current": current,
    }))
    .expect("progress is JSON")
}

fn print_row(session: &Session, lesson: &Lesson, state: State, is_current: bool) {
    let marker = if is_current {
        paint(CODE, ">")
    } else {
        " ".into()
    };
    let detail = match state {
        State::Done => paint(GOOD, "done"),
        State::InProgress => paint(WARN, "in progress"),
        State::NotStarted => paint(DIM, "not started"),
    };
    let result = match session.progress.lesson(&lesson.slug).last_result {
        Some(TestResult::Ran { passed, failed }) if state != State::Done && failed > 0 => {
            format!("  {passed} of {} tests pass", passed + failed)
        }
        Some(TestResult::DoesNotCompile) => format!("  {}", paint(BAD, "does not compile")),
        _ => String::new(),
    };
    let mongodb = if lesson.needs_mongodb {
        paint(DIM, "  [MongoDB]")
    } else {
        String::new()
    };
    // One column for every subject, as wide as the longest.
    let width = session
        .course
        .lessons
        .iter()
        .map(|lesson| lesson.subject.chars().count())
        .max()
        .unwrap_or_default()
        .max(18);
    let subject = format!("{:<width$}", lesson.subject);
    let subject = if is_current {
        paint(STRONG, subject)
    } else {
        subject
    };
    anstream::println!(
        " {marker} {}  {subject} {detail}{result}{mongodb}",
        lesson.number
    );
}

fn print_next_step(lesson: &Lesson, state: State) {
    let n = &lesson.number;
    anstream::println!("{} {}", paint(STRONG, "Next:"), lesson.title());
    if state == State::NotStarted {
        anstream::println!("  1. Read {}", command(lesson.notes_file().display()));
        anstream::println!(
            "  2. Do the TODOs in {}",
            command(format!("{}/src/", lesson.exercise_dir().display()))
        );
        anstream::println!(
            "  3. Check your work: {}",
            command(format!("cargo course verify {n}"))
        );
    } else {
        anstream::println!(
            "  Keep going in {} ({} explains it), then check: {}",
            command(format!("{}/src/", lesson.exercise_dir().display())),
            command(lesson.notes_file().display()),
            command(format!("cargo course verify {n}"))
        );
    }
    anstream::println!(
        "  {} re-checks on every save; stuck? {} gives one hint at a time.",
        command(format!("cargo course watch {n}")),
        command(format!("cargo course hint {n}"))
    );
    if lesson.needs_mongodb {
        anstream::println!(
            "  This lesson uses MongoDB: started in Docker for you, or set MONGODB_URI \
             (check with {}).",
            command("cargo course doctor")
        );
    }
}

fn print_all_done(session: &Session) {
    let last = session.course.lessons.last().map_or("01", |l| &l.number);
    anstream::println!("{}", paint(GOOD, "Every lesson is done. Well done!"));
    anstream::println!(
        "Compare your code with the reference solutions ({}), or run a server: {}",
        command(format!("cargo course solution {last}")),
        command(format!("cargo course run {last}"))
    );
}

fn index_of(session: &Session, lesson: &Lesson) -> usize {
    session
        .course
        .lessons
        .iter()
        .position(|l| l.slug == lesson.slug)
        .expect("the current lesson is one of the lessons")
}

/// Slugs of the lessons whose committed exercise files were edited. (New,
/// untracked files alone do not count: a lesson still being written is
/// untracked as a whole.)
fn changed_lessons(session: &Session) -> HashSet<String> {
    let mut changes = git::changes(&session.course.root, "lessons".as_ref()).unwrap_or_default();
    changes.retain(|change| change.status != "??");
    session
        .course
        .lessons
        .iter()
        .filter(|lesson| {
            let prefix = format!("lessons/{}/", lesson.slug);
            changes.iter().any(|change| change.path.contains(&prefix))
        })
        .map(|lesson| lesson.slug.clone())
        .collect()
}

/// `[########--------------------------------]  20%`
pub fn progress_bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    let bar = "#".repeat(filled);
    let bar = if bar.is_empty() {
        bar
    } else {
        paint(GOOD, bar)
    };
    format!("[{bar}{}] {percent:>3}%", "-".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_comes_from_progress_and_changes() {
        let fresh = LessonProgress::default();
        assert_eq!(State::of(&fresh, false), State::NotStarted);
        assert_eq!(State::of(&fresh, true), State::InProgress);
        let hinted = LessonProgress {
            hints_shown: 1,
            ..Default::default()
        };
        assert_eq!(State::of(&hinted, false), State::InProgress);
        let failing = LessonProgress {
            last_result: Some(TestResult::Ran {
                passed: 1,
                failed: 2,
            }),
            ..Default::default()
        };
        assert_eq!(State::of(&failing, false), State::InProgress);
        let done = LessonProgress {
            done: true,
            ..Default::default()
        };
        assert_eq!(State::of(&done, true), State::Done);
    }

    #[test]
    fn the_bar_fills_with_progress() {
        let plain = |text: String| anstream::adapter::strip_str(&text).to_string();
        assert_eq!(plain(progress_bar(0, 9, 9)), "[---------]   0%");
        assert_eq!(plain(progress_bar(3, 9, 9)), "[###------]  33%");
        assert_eq!(plain(progress_bar(9, 9, 9)), "[#########] 100%");
        assert_eq!(plain(progress_bar(0, 0, 4)), "[----]   0%");
    }
}
