//! `cargo course hint [NN]`: the next hint for the TODO you are on.
//!
//! The lesson's tests run first, to find that TODO (the lowest one a
//! failing test names: [`verify::todo_you_are_on`]). Each call shows one
//! more hint of that TODO, weakest first; after its last hint comes its
//! answer, after a spoiler warning. What was seen is remembered per TODO.
//! `--all` shows again every hint seen so far, for every TODO.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::commands::Session;
use crate::commands::verify::{self, Because};
use crate::course::Lesson;
use crate::hints::HintsFile;
use crate::style::{BAD, DIM, GOOD, STRONG, WARN, command, paint};
use crate::todos::{Todo, TodoId};

pub fn run(session: &mut Session, lesson: Option<&str>, all: bool) -> Result<ExitCode> {
    let lesson = session.lesson_or_current(lesson, "hint")?;
    let file = lesson.hints_file();
    let hints = std::fs::read_to_string(session.course.path(&file))
        .map(|text| HintsFile::parse(&text))
        .unwrap_or_default();
    if hints.hints.is_empty() && hints.answers.is_empty() {
        if !hints.lesson_hints.is_empty() {
            return lesson_hints(session, &lesson, &hints.lesson_hints, all);
        }
        bail!(
            "{} has no hints yet ({} is missing or has no `## Hint · TODO N · …` section). \
             The notes may help: {}",
            lesson.title(),
            file.display(),
            lesson.notes_file().display()
        );
    }
    if all {
        show_seen(session, &lesson, &hints);
        return Ok(ExitCode::SUCCESS);
    }

    let n = &lesson.number;
    anstream::println!(
        "{}",
        paint(
            DIM,
            format!(
                "Finding the TODO you are on: cargo test -p {}",
                lesson.exercise_package
            )
        )
    );
    let run = verify::run_tests(session, &lesson, "Testing")?;
    if run.report.all_passed() {
        anstream::println!(
            "{} every test of {} passes: no hint needed. {} shows the hints you have seen; \
             {} compares with the solution.",
            paint(GOOD, "PASS"),
            lesson.title(),
            command(format!("cargo course hint {n} --all")),
            command(format!("cargo course solution {n}"))
        );
        return Ok(ExitCode::SUCCESS);
    }
    let progress = session.progress.lesson(&lesson.slug);
    let on = verify::todo_you_are_on(&run.report, &run.todos, progress.current_todo.as_deref())
        .or_else(|| {
            // No TODO in the code: the first one in hints.md not seen through.
            hints
                .todos()
                .into_iter()
                .find(|todo| seen(session, &lesson, &hints, todo) < steps(&hints, todo))
                .or_else(|| hints.todos().into_iter().next())
                .map(|todo| (todo, Because::FirstInCode))
        });
    let Some((todo, because)) = on else {
        bail!("{} has no hints yet", lesson.title());
    };
    if !hints.todos().contains(&todo) {
        bail!(
            "{} {} has no hints for TODO {todo} yet. The notes may help: {}",
            why(&todo, &because),
            file.display(),
            lesson.notes_file().display()
        );
    }
    anstream::println!("{}\n", paint(DIM, why(&todo, &because)));

    let count = steps(&hints, &todo);
    let already = seen(session, &lesson, &hints, &todo);
    let step = already.min(count - 1);
    let goal = run.todos.iter().find(|t| t.id == todo);
    print_step(&hints, &todo, step, goal);
    let entry = session.progress.lesson_mut(&lesson.slug);
    entry.current_todo = Some(todo.to_string());
    if already < count {
        entry.hints_seen.insert(todo.to_string(), step + 1);
    }
    session.progress.save_or_warn();

    anstream::println!("{}", what_next(&hints, &todo, step, n));
    Ok(ExitCode::SUCCESS)
}

/// The line after step `step` of `todo`: what the next call shows.
fn what_next(hints: &HintsFile, todo: &TodoId, step: usize, n: &str) -> String {
    let hint_count = hints.hints_for(todo).len();
    let has_answer = hints.answer_for(todo).is_some();
    if step + 1 < hint_count {
        format!(
            "Still stuck? {} shows the next hint for TODO {todo}.",
            command(format!("cargo course hint {n}"))
        )
    } else if step < hint_count && has_answer {
        format!(
            "That was the last hint for TODO {todo}. {} once more shows its answer.",
            command(format!("cargo course hint {n}"))
        )
    } else if step < hint_count {
        format!(
            "That was the last hint for TODO {todo}. {} shows the reference solution.",
            command(format!("cargo course solution {n}"))
        )
    } else {
        format!(
            "Type it in yourself, then check: {}. {} shows every hint you have seen.",
            command(format!("cargo course verify {n}")),
            command(format!("cargo course hint {n} --all"))
        )
    }
}

/// One line on why this TODO.
fn why(todo: &TodoId, because: &Because) -> String {
    match because {
        Because::FailingTest(test) => {
            format!("You are on TODO {todo}: the first failing test, {test}, is about it.")
        }
        Because::LastRun => {
            format!("The exercise does not compile; at the last run you were on TODO {todo}.")
        }
        Because::FirstInCode => {
            format!("No failing test names a TODO: here is TODO {todo}, the first one.")
        }
    }
}

/// How many steps a TODO has: its hints, then its answer.
fn steps(hints: &HintsFile, todo: &TodoId) -> usize {
    hints.hints_for(todo).len() + usize::from(hints.answer_for(todo).is_some())
}

/// How many steps of `todo` the learner has seen (an older count is
/// clamped to the steps the TODO has now).
fn seen(session: &Session, lesson: &Lesson, hints: &HintsFile, todo: &TodoId) -> usize {
    let progress = session.progress.lesson(&lesson.slug);
    let seen = progress.hints_seen.get(&todo.to_string()).copied();
    seen.unwrap_or(0).min(steps(hints, todo))
}

/// Prints step `step` of `todo`: a hint, or (after the last hint) the answer.
fn print_step(hints: &HintsFile, todo: &TodoId, step: usize, goal: Option<&Todo>) {
    let todo_hints = hints.hints_for(todo);
    if let Some(hint) = todo_hints.get(step) {
        let title = if hint.title.is_empty() {
            String::new()
        } else {
            format!(": {}", hint.title)
        };
        anstream::println!(
            "{}",
            paint(
                STRONG,
                format!(
                    "TODO {todo}, hint {} of {}{title}",
                    step + 1,
                    todo_hints.len()
                )
            )
        );
        print_goal(goal);
        print_text(&hint.text);
    } else if let Some(answer) = hints.answer_for(todo) {
        anstream::println!(
            "{} the answer to TODO {todo} follows. Read it, close it, then write it \
             yourself: that is how it sticks.",
            paint(WARN, "Spoiler:")
        );
        anstream::println!(
            "{}",
            paint(
                BAD,
                format!(
                    "TODO {todo}, the answer (after {} hint(s))",
                    todo_hints.len()
                )
            )
        );
        print_goal(goal);
        print_text(&answer.text);
    }
}

/// `lessons/…/handlers.rs:47  TODO 3: goal`, under a step's header.
fn print_goal(goal: Option<&Todo>) {
    if let Some(todo) = goal {
        anstream::println!(
            "{}",
            paint(
                DIM,
                format!("{}  TODO {}: {}", todo.location(), todo.id, todo.goal)
            )
        );
    }
    anstream::println!();
}

fn print_text(text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            anstream::println!();
        } else {
            anstream::println!("  {line}");
        }
    }
    anstream::println!();
}

/// `--all`: every step seen so far, TODO by TODO.
fn show_seen(session: &Session, lesson: &Lesson, hints: &HintsFile) {
    let todos_in_code = crate::todos::scan(&session.course.root, lesson);
    let mut shown = 0;
    for todo in hints.todos() {
        let goal = todos_in_code.iter().find(|t| t.id == todo);
        for step in 0..seen(session, lesson, hints, &todo) {
            print_step(hints, &todo, step, goal);
            shown += 1;
        }
    }
    if shown == 0 {
        anstream::println!(
            "You have not seen any hint for {} yet: {} shows the first, for the TODO \
             you are on.",
            lesson.title(),
            command(format!("cargo course hint {}", lesson.number))
        );
    }
}

/// A `hints.md` whose hints name no TODO (the older format): one list for
/// the whole lesson, one more hint each time.
fn lesson_hints(
    session: &mut Session,
    lesson: &Lesson,
    hints: &[String],
    all: bool,
) -> Result<ExitCode> {
    let n = &lesson.number;
    let seen = session
        .progress
        .lesson(&lesson.slug)
        .hints_shown
        .min(hints.len());
    if all {
        if seen == 0 {
            anstream::println!(
                "You have not seen any hint for {} yet: {} shows the first.",
                lesson.title(),
                command(format!("cargo course hint {n}"))
            );
        }
        for (index, hint) in hints.iter().enumerate().take(seen) {
            print_lesson_hint(index, hints.len(), hint);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let index = seen.min(hints.len() - 1);
    print_lesson_hint(index, hints.len(), &hints[index]);
    if seen < hints.len() {
        session.progress.lesson_mut(&lesson.slug).hints_shown = seen + 1;
        session.progress.save_or_warn();
    }
    let next = if index + 1 < hints.len() {
        format!("Still stuck? `cargo course hint {n}` shows the next hint.")
    } else {
        format!(
            "That was the last hint. `cargo course hint {n} --all` shows them all again; \
             `cargo course solution {n}` shows the solution."
        )
    };
    anstream::println!("{}", paint(DIM, next));
    Ok(ExitCode::SUCCESS)
}

fn print_lesson_hint(index: usize, count: usize, hint: &str) {
    anstream::println!(
        "{}\n",
        paint(STRONG, format!("Hint {} of {count}", index + 1))
    );
    print_text(hint);
}
