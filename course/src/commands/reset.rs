//! `cargo course reset NN`: put the exercise back as it was committed, after
//! keeping a copy of it; `cargo course reset NN --undo`: bring that copy back.
//!
//! Nothing is lost either way: reset copies the exercise's files (new ones
//! included) to `.course/backups/NN-topic/<time>/` before it restores them,
//! and undo copies the files it replaces in the same way, so running undo
//! twice swaps back.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::backups;
use crate::commands::Session;
use crate::course::Lesson;
use crate::error::UsageError;
use crate::git;
use crate::prompt;
use crate::style::{GOOD, WARN, command, paint};

pub fn run(session: &mut Session, lesson: &str, yes: bool, undo: bool) -> Result<ExitCode> {
    let lesson = session.lesson(lesson)?;
    if undo {
        return bring_back_the_latest_copy(session, &lesson);
    }
    let root = &session.course.root;
    let folder = lesson.exercise_dir();
    if !git::is_checkout(root) {
        bail!(
            "reset needs a git checkout of the course, and {} is not one (or git is not \
             installed). Copy {} from a fresh download of the course instead.",
            root.display(),
            folder.display()
        );
    }
    let changes = git::changes(root, &folder).unwrap_or_default();
    if changes.is_empty() {
        bail!("{}/ has no changes: nothing to reset.", folder.display());
    }

    anstream::println!(
        "{} these changes in {}/ will be replaced by the committed files \
         (a copy is kept first):",
        paint(WARN, "Careful:"),
        folder.display()
    );
    for change in &changes {
        anstream::println!("  {:<9} {}", change.describe(), change.path);
    }
    if !yes {
        if !prompt::interactive() {
            bail!(UsageError::new(format!(
                "reset asks before it replaces your files; to reset without a question, run: \
                 cargo course reset {} --yes",
                lesson.number
            )));
        }
        if !prompt::confirm(&format!("Reset {} to its starting state?", lesson.title())) {
            anstream::println!("Nothing was changed.");
            return Ok(ExitCode::FAILURE);
        }
    }

    let copy = backups::keep(root, &lesson)?;
    if let Err(err) = git::restore(root, &folder) {
        // Where the files went is said after the cause, which context (said
        // before it) cannot do: the message is written out whole.
        bail!(
            "{err:#}. Your files as they were are in {}/",
            copy.display()
        );
    }
    let entry = session.progress.lesson_mut(&lesson.slug);
    entry.done = false;
    entry.last_result = None;
    session.progress.save_or_warn();
    anstream::println!(
        "{} {} is back to its starting state. Your files as they were are kept in {}/: {} \
         brings them back.",
        paint(GOOD, "Done:"),
        lesson.title(),
        copy.display(),
        command(format!("cargo course reset {} --undo", lesson.number))
    );
    anstream::println!(
        "Start again with {}",
        command(lesson.notes_file().display())
    );
    Ok(ExitCode::SUCCESS)
}

/// `--undo`: the latest copy comes back, after a copy of what it replaces.
fn bring_back_the_latest_copy(session: &Session, lesson: &Lesson) -> Result<ExitCode> {
    let root = &session.course.root;
    let Some(latest) = backups::list(root, lesson).pop() else {
        bail!(
            "there is no copy of {} to bring back: {} keeps one each time it resets \
             the exercise (in {}/).",
            lesson.title(),
            command(format!("cargo course reset {}", lesson.number)),
            backups::folder(lesson).display()
        );
    };
    let replaced = backups::keep(root, lesson)?;
    if let Err(err) = backups::bring_back(root, lesson, &latest) {
        // As above: the note comes after the cause.
        bail!(
            "{err:#}. The files it was replacing are in {}/",
            replaced.display()
        );
    }
    anstream::println!(
        "{} {}/ is back as it was in {}/.",
        paint(GOOD, "Done:"),
        lesson.exercise_dir().display(),
        latest.display()
    );
    anstream::println!(
        "The files it replaced are kept in {}/: run {} again to swap back.",
        replaced.display(),
        command(format!("cargo course reset {} --undo", lesson.number))
    );
    let count = backups::list(root, lesson).len();
    if count > 2 {
        anstream::println!(
            "All {count} copies of this lesson, oldest first, are in {}/.",
            backups::folder(lesson).display()
        );
    }
    anstream::println!(
        "Check it with {}",
        command(format!("cargo course verify {}", lesson.number))
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn copies_live_in_the_courses_state_folder() {
        let lesson = Lesson::from_slug("01-raw-routing").unwrap();
        assert_eq!(
            backups::folder(&lesson),
            Path::new(".course/backups/01-raw-routing")
        );
    }
}
