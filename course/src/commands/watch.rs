//! `cargo course watch [NN]`: verify again on every save, until Ctrl-C.
//!
//! Saves are debounced (an editor writes a file in several steps), and the
//! screen is redrawn for each run. Without a lesson number, watch follows
//! the current lesson: once it passes, the next lesson is watched.
//!
//! Only changes start a run: a file merely opened or read (by the compiler,
//! say, during the run itself) does not. Editors' temporary, swap, backup
//! and lock files (`.lib.rs.swp`, `lib.rs~`, vim's `4913`, `.#lib.rs`,
//! `lib.rs.tmp`…) never start one either.
//!
//! A save that removes a file and writes it again is waited for, so the
//! run sees the new file; and a run that cannot start (cargo cannot be
//! found, say) is reported without ending the watch.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
// notify comes with its debouncer; the events are debounced here instead,
// because only here can a file being read be told from a file changed.
use notify_debouncer_mini::notify::event::{AccessKind, AccessMode};
use notify_debouncer_mini::notify::{self, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::commands::Session;
use crate::commands::verify::{self, Mode, Verdict};
use crate::course::Lesson;
use crate::style::{self, BAD, DIM, command, paint};

/// Quiet time after the last change before verifying.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// How long a source file that a save removed may take to come back before
/// the run goes ahead without it.
const REAPPEAR: Duration = Duration::from_secs(2);

/// The files whose changes start a run, by extension: code, manifests,
/// templates and the static files the tests serve.
const SOURCE_EXTENSIONS: &[&str] = &["rs", "toml", "html", "css", "js"];

pub fn run(session: &mut Session, lesson: Option<&str>) -> Result<ExitCode> {
    let follow_current = lesson.is_none();
    let mut lesson = session.lesson_or_current(lesson, "watch")?;

    let (sender, changes) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(sender).context("cannot watch files")?;
    let mut watched = session.course.path(lesson.exercise_dir());
    watch(&mut watcher, &watched, true)?;

    loop {
        style::clear_screen();
        let verdict = match verify::verify(session, &lesson, Mode::Watching) {
            Ok(verdict) => Some(verdict),
            Err(err) => {
                // The one error not left to `main`: the watch goes on.
                anstream::eprintln!("{} {err:#}", paint(BAD, "error:"));
                None
            }
        };
        if verdict == Some(Verdict::Passed)
            && follow_current
            && let Some(next) = session.course.next_after(&lesson).cloned()
        {
            watch(&mut watcher, &watched, false)?;
            watched = session.course.path(next.exercise_dir());
            watch(&mut watcher, &watched, true)?;
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
        wait_for_a_source_change(&changes, &lesson, &watched)?;
    }
}

fn watch(watcher: &mut RecommendedWatcher, folder: &Path, on: bool) -> Result<()> {
    let outcome = if on {
        watcher.watch(folder, RecursiveMode::Recursive)
    } else {
        watcher.unwatch(folder)
    };
    outcome.with_context(|| format!("cannot watch {}", folder.display()))
}

/// Blocks until a source file under `folder` changes, then waits until
/// the changes stop for a moment (an editor saves in several steps).
fn wait_for_a_source_change(
    changes: &mpsc::Receiver<notify::Result<notify::Event>>,
    lesson: &Lesson,
    folder: &Path,
) -> Result<()> {
    let stopped = || {
        anyhow!(
            "stopped watching {}: run {} again",
            lesson.exercise_dir().display(),
            command("cargo course watch")
        )
    };
    let mut changed = Vec::new();
    while changed.is_empty() {
        changed = sources_in(changes.recv().map_err(|_| stopped())?, folder);
    }
    let settle = |changed: &mut Vec<PathBuf>| loop {
        match changes.recv_timeout(DEBOUNCE) {
            Ok(event) => changed.extend(sources_in(event, folder)),
            Err(mpsc::RecvTimeoutError::Timeout) => return Ok(()),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(stopped()),
        }
    };
    settle(&mut changed)?;
    // A save that removed the file first: wait for it to come back.
    let deadline = Instant::now() + REAPPEAR;
    if changed.iter().any(|path| !path.exists()) {
        while changed.iter().any(|path| !path.exists()) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(50));
        }
        settle(&mut changed)?;
    }
    Ok(())
}

/// The source files an event says changed: none for a file only opened or
/// read, nor for an editor's own files. A failed event is reported and
/// starts nothing.
fn sources_in(event: notify::Result<notify::Event>, folder: &Path) -> Vec<PathBuf> {
    match event {
        Ok(event) if is_a_change(&event.kind) => event
            .paths
            .into_iter()
            .filter(|path| starts_a_run(path, folder))
            .collect(),
        Ok(_) => Vec::new(),
        Err(err) => {
            anstream::eprintln!("warning: watching files: {err}");
            Vec::new()
        }
    }
}

/// Whether an event is about a change: opening, reading and closing a file
/// without writing it are not.
fn is_a_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether a change to `path` (in the watched `folder`) should run the
/// tests: a source file, not an editor's temporary, swap, backup or lock
/// file, and not in a hidden folder or a build folder.
fn starts_a_run(path: &Path, folder: &Path) -> bool {
    // Outside the folder (a path spelled another way), only the name counts.
    let relative = path
        .strip_prefix(folder)
        .unwrap_or(Path::new(path.file_name().unwrap_or_default()));
    let hidden_or_built = relative.parent().is_some_and(|parent| {
        parent.components().any(|part| match part {
            Component::Normal(name) => {
                let name = name.to_string_lossy();
                name.starts_with('.') || name == "target"
            }
            _ => false,
        })
    });
    let Some(name) = relative.file_name().map(|name| name.to_string_lossy()) else {
        return false;
    };
    let editors_file = name.starts_with('.') // .lib.rs.swp, .#lib.rs (a lock)
        || name.starts_with('#') // #lib.rs# (an autosave)
        || name.ends_with('~') // lib.rs~ (a backup)
        || name.contains("___jb_"); // lib.rs___jb_tmp___
    let source = Path::new(name.as_ref())
        .extension()
        .is_some_and(|ext| SOURCE_EXTENSIONS.iter().any(|source| ext == *source));
    source && !editors_file && !hidden_or_built
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLDER: &str = "/home/me/course/lessons/03-express-routing";

    fn starts(relative: &str) -> bool {
        starts_a_run(&Path::new(FOLDER).join(relative), Path::new(FOLDER))
    }

    #[test]
    fn source_files_start_a_run() {
        for source in [
            "src/lib.rs",
            "src/routes/mod.rs",
            "Cargo.toml",
            "templates/page.html",
            "templates/partials/nav.html",
            "public/css/site.css",
            "public/js/app.js",
        ] {
            assert!(starts(source), "{source}");
        }
    }

    #[test]
    fn editors_temporary_swap_backup_and_lock_files_do_not() {
        for noise in [
            // vim: swap files, its write test, backups.
            "src/.lib.rs.swp",
            "src/.lib.rs.swo",
            "src/.lib.rs.swx",
            "src/4913",
            "4913",
            "src/lib.rs~",
            "Cargo.toml~",
            // emacs: lock files and autosaves.
            "src/.#lib.rs",
            "src/#lib.rs#",
            // Editors that save through a temporary file.
            "src/lib.rs.tmp",
            "src/lib.rs.tmp.12345.1700000000000",
            "src/.lib.rs.tmp",
            "src/lib.rs___jb_tmp___",
            "src/lib.rs___jb_old___",
            "src/.goutputstream-ABC123",
            "src/.lib.rs.kate-swp",
            "src/lib.rs.orig",
            "src/lib.rs.bak",
            // Not code.
            "hints.md",
            "src/notes.txt",
            ".DS_Store",
            "src/",
            // In a hidden or build folder.
            ".idea/workspace.rs",
            "src/.cache/lib.rs",
            "target/debug/build/out.rs",
        ] {
            assert!(!starts(noise), "{noise}");
        }
    }

    #[test]
    fn only_the_part_inside_the_watched_folder_counts() {
        // A course kept in a hidden folder is still watched.
        let folder = Path::new("/home/me/.local/course/lessons/01-raw-routing");
        assert!(starts_a_run(&folder.join("src/lib.rs"), folder));
        assert!(!starts_a_run(&folder.join("src/.lib.rs.swp"), folder));
    }

    #[test]
    fn an_event_keeps_only_its_source_files() {
        use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};
        let folder = Path::new(FOLDER);
        let event = |kind: EventKind, relatives: &[&str]| {
            let mut event = notify::Event::new(kind);
            for relative in relatives {
                event = event.add_path(folder.join(relative));
            }
            Ok(event)
        };
        let renamed = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["src/lib.rs.tmp", "src/lib.rs"],
        );
        assert_eq!(sources_in(renamed, folder), [folder.join("src/lib.rs")]);
        let swap = event(EventKind::Create(CreateKind::File), &["src/.lib.rs.swp"]);
        assert!(sources_in(swap, folder).is_empty());
        let removed = event(EventKind::Remove(RemoveKind::File), &["src/lib.rs"]);
        assert_eq!(sources_in(removed, folder), [folder.join("src/lib.rs")]);
        let opened = event(
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            &["src/lib.rs"],
        );
        assert!(
            sources_in(opened, folder).is_empty(),
            "reading is not changing"
        );
        let failed = Err(notify::Error::generic("the watch was lost"));
        assert!(sources_in(failed, folder).is_empty());
    }

    #[test]
    fn reading_a_file_is_not_changing_it() {
        use notify::event::{CreateKind, DataChange, MetadataKind, ModifyKind};
        for read in [
            EventKind::Access(AccessKind::Open(AccessMode::Any)),
            EventKind::Access(AccessKind::Read),
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            EventKind::Access(AccessKind::Any),
        ] {
            assert!(!is_a_change(&read), "{read:?}");
        }
        for change in [
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
            EventKind::Create(CreateKind::File),
            EventKind::Any,
        ] {
            assert!(is_a_change(&change), "{change:?}");
        }
    }
}
