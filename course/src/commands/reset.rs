//! `cargo course reset NN`: put the exercise back as it was committed.

use std::process::ExitCode;

use crate::commands::Session;
use crate::error::{Error, Result};
use crate::git;
use crate::prompt;
use crate::style::{GOOD, WARN, command, paint};

pub fn run(session: &mut Session, lesson: &str, yes: bool) -> Result<ExitCode> {
    let lesson = session.lesson(lesson)?;
    let root = &session.course.root;
    let folder = lesson.exercise_dir();
    if !git::is_checkout(root) {
        return Err(Error::Failed(format!(
            "reset needs a git checkout of the course, and {} is not one (or git is not \
             installed). Copy {} from a fresh download of the course instead.",
            root.display(),
            folder.display()
        )));
    }
    let changes = git::changes(root, &folder).unwrap_or_default();
    if changes.is_empty() {
        return Err(Error::Failed(format!(
            "{}/ has no changes: nothing to reset.",
            folder.display()
        )));
    }

    anstream::println!(
        "{} these changes in {}/ will be lost:",
        paint(WARN, "Careful:"),
        folder.display()
    );
    for change in &changes {
        anstream::println!("  {:<9} {}", change.describe(), change.path);
    }
    if !yes {
        if !prompt::interactive() {
            return Err(Error::Usage(format!(
                "reset asks before deleting your work; to reset without a question, run: \
                 cargo course reset {} --yes",
                lesson.number
            )));
        }
        if !prompt::confirm(&format!("Reset {} to its starting state?", lesson.title())) {
            anstream::println!("Nothing was changed.");
            return Ok(ExitCode::FAILURE);
        }
    }

    git::restore(root, &folder)?;
    let entry = session.progress.lesson_mut(&lesson.slug);
    entry.done = false;
    entry.last_result = None;
    session.progress.save_or_warn();
    anstream::println!(
        "{} {} is back to its starting state. Start again with {}",
        paint(GOOD, "Done:"),
        lesson.title(),
        command(lesson.notes_file().display())
    );
    Ok(ExitCode::SUCCESS)
}
