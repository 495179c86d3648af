//! `cargo course watch [NN]`: verify again on every save, until Ctrl-C.
//!
//! Saves are debounced (an editor writes a file in several steps), and the
//! screen is redrawn for each run. Without a lesson number, watch follows
//! the current lesson: once it passes, the next lesson is watched.

use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::commands::Session;
use crate::commands::verify::{self, Mode, Verdict};
use crate::course::Lesson;
use crate::error::{Error, Result};
use crate::style::{self, DIM, command, paint};

/// Quiet time after the last change before verifying.
const DEBOUNCE: Duration = Duration::from_millis(300);

pub fn run(session: &mut Session, lesson: Option<&str>) -> Result<ExitCode> {
    let follow_current = lesson.is_none();
    let mut lesson = session.lesson_or_current(lesson, "watch")?;

    let (sender, changes) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, sender)
        .map_err(|err| Error::Failed(format!("cannot watch files: {err}")))?;
    let mut watched = session.course.path(lesson.exercise_dir());
    watch(&mut debouncer, &watched, true)?;

    loop {
        style::clear_screen();
        let verdict = verify::verify(session, &lesson, Mode::Watching)?;
        if verdict == Verdict::Passed
            && follow_current
            && let Some(next) = session.course.next_after(&lesson).cloned()
        {
            watch(&mut debouncer, &watched, false)?;
            watched = session.course.path(next.exercise_dir());
            watch(&mut debouncer, &watched, true)?;
            lesson = next;
        }
        anstream::println!(
            "\n{}",
            paint(
                DIM,
                format!(
                    "Watching {}/ for changes: save a file to check again. Ctrl-C stops.",
                    lesson.exercise_dir().display()
                )
            )
        );
        wait_for_a_source_change(&changes, &lesson)?;
    }
}

fn watch(
    debouncer: &mut notify_debouncer_mini::Debouncer<
        notify_debouncer_mini::notify::RecommendedWatcher,
    >,
    folder: &Path,
    on: bool,
) -> Result<()> {
    let watcher = debouncer.watcher();
    let outcome = if on {
        watcher.watch(folder, RecursiveMode::Recursive)
    } else {
        watcher.unwatch(folder)
    };
    outcome.map_err(|err| Error::Failed(format!("cannot watch {}: {err}", folder.display())))
}

/// Blocks until a Rust file or a manifest changes, then lets the changes
/// that arrive with it settle.
fn wait_for_a_source_change(
    changes: &mpsc::Receiver<DebounceEventResult>,
    lesson: &Lesson,
) -> Result<()> {
    loop {
        let events = changes.recv().map_err(|_| {
            Error::Failed(format!(
                "stopped watching {}: run {} again",
                lesson.exercise_dir().display(),
                command("cargo course watch")
            ))
        })?;
        let relevant = match events {
            Ok(events) => events.iter().any(|event| is_source(&event.path)),
            Err(err) => {
                anstream::eprintln!("warning: watching files: {err}");
                false
            }
        };
        if relevant {
            // Saves made while we were busy belong to this run.
            while changes.try_recv().is_ok() {}
            return Ok(());
        }
    }
}

/// Source files trigger a run; editor swap files and the like do not.
fn is_source(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "rs" || ext == "toml" || ext == "html" || ext == "css")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_source_files_trigger_a_run() {
        for source in [
            "src/lib.rs",
            "Cargo.toml",
            "templates/page.html",
            "static/site.css",
        ] {
            assert!(is_source(Path::new(source)), "{source}");
        }
        for noise in ["src/.lib.rs.swp", "src/lib.rs~", "4913", "hints.md"] {
            assert!(!is_source(Path::new(noise)), "{noise}");
        }
    }
}
