//! `cargo course hint [NN]`: the lesson's hints, one more each time.

use std::process::ExitCode;

use crate::commands::Session;
use crate::error::{Error, Result};
use crate::hints::parse_hints;
use crate::style::{DIM, STRONG, command, paint};

pub fn run(session: &mut Session, lesson: Option<&str>, all: bool) -> Result<ExitCode> {
    let lesson = session.lesson_or_current(lesson, "hint")?;
    let file = lesson.hints_file();
    let hints = std::fs::read_to_string(session.course.path(&file))
        .map(|text| parse_hints(&text))
        .unwrap_or_default();
    if hints.is_empty() {
        return Err(Error::Failed(format!(
            "{} has no hints yet ({} is missing or has no `## Hint` section). \
             The notes may help: {}",
            lesson.title(),
            file.display(),
            lesson.notes_file().display()
        )));
    }
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
            print_hint(index, hints.len(), hint);
        }
        return Ok(ExitCode::SUCCESS);
    }

    let index = if seen < hints.len() {
        seen
    } else {
        hints.len() - 1
    };
    print_hint(index, hints.len(), &hints[index]);
    if seen < hints.len() {
        session.progress.lesson_mut(&lesson.slug).hints_shown = seen + 1;
        session.progress.save_or_warn();
    }
    if index + 1 < hints.len() {
        anstream::println!(
            "{}",
            paint(
                DIM,
                format!("Still stuck? `cargo course hint {n}` shows the next hint.")
            )
        );
    } else {
        anstream::println!(
            "{}",
            paint(
                DIM,
                format!(
                    "That was the last hint. `cargo course hint {n} --all` shows them all again; \
                     `cargo course solution {n}` shows the solution."
                )
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_hint(index: usize, count: usize, hint: &str) {
    anstream::println!(
        "{}\n",
        paint(STRONG, format!("Hint {} of {count}", index + 1))
    );
    for line in hint.lines() {
        anstream::println!("  {line}");
    }
    anstream::println!();
}
