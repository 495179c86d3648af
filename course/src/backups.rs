//! Copies of an exercise, kept before `cargo course reset` replaces its
//! files, so that `cargo course reset NN --undo` can bring them back.
//!
//! Each copy is a folder `.course/backups/NN-topic/<time>/` holding the
//! exercise's files as they were, the learner's new files included. The
//! time is UTC (`2026-12-02T16-30-05Z`), so the names sort in the order the
//! copies were made; a second copy within the same second gets `-2`, `-3`…
//! A copy is written under a hidden name and renamed when complete, so an
//! interrupted copy is never taken for the latest one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::course::Lesson;
use crate::progress::STATE_FOLDER;

/// The folder of a lesson's copies, relative to the course root.
pub fn folder(lesson: &Lesson) -> PathBuf {
    Path::new(STATE_FOLDER).join("backups").join(&lesson.slug)
}

/// Copies every file of the lesson's exercise into a new folder of copies,
/// and returns that folder (relative to the course root).
pub fn keep(root: &Path, lesson: &Lesson) -> Result<PathBuf> {
    let exercise = root.join(lesson.exercise_dir());
    let copies = root.join(folder(lesson));
    let name = copy_into_a_new_folder(&exercise, &copies).with_context(|| {
        format!(
            "could not keep a copy of {}/ in {}/ (nothing was changed)",
            lesson.exercise_dir().display(),
            folder(lesson).display()
        )
    })?;
    Ok(folder(lesson).join(name))
}

/// Copies the files of `exercise` into a new folder in `copies`, and
/// returns its name.
fn copy_into_a_new_folder(exercise: &Path, copies: &Path) -> io::Result<String> {
    fs::create_dir_all(copies)?;
    let staging = tempfile::Builder::new()
        .prefix(".incomplete-")
        .tempdir_in(copies)?;
    copy_files(exercise, staging.path())?;
    let name = unused_name(copies, &timestamp(time::OffsetDateTime::now_utc()));
    fs::rename(staging.path(), copies.join(&name))?;
    // The folder is in place under its final name: nothing left to remove.
    let _ = staging.keep();
    Ok(name)
}

/// The lesson's copies, oldest first, as paths relative to the course root.
pub fn list(root: &Path, lesson: &Lesson) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(root.join(folder(lesson))) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    names
        .into_iter()
        .map(|name| folder(lesson).join(name))
        .collect()
}

/// Makes the lesson's exercise folder hold exactly the files of `copy`
/// (relative to the course root): files the copy lacks are removed, the
/// others written. Keep a copy of the exercise first: this replaces it.
pub fn bring_back(root: &Path, lesson: &Lesson, copy: &Path) -> Result<()> {
    let exercise = root.join(lesson.exercise_dir());
    let copy = root.join(copy);
    replace_files(&copy, &exercise).with_context(|| {
        format!(
            "could not bring back {} into {}/",
            copy.display(),
            lesson.exercise_dir().display()
        )
    })?;
    remove_empty_folders(&exercise);
    Ok(())
}

/// Makes `exercise` hold exactly the regular files of `copy`.
fn replace_files(copy: &Path, exercise: &Path) -> io::Result<()> {
    let wanted = regular_files(copy)?;
    for present in regular_files(exercise)? {
        if !wanted.contains(&present) {
            fs::remove_file(exercise.join(&present))?;
        }
    }
    for file in &wanted {
        let target = exercise.join(file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        // Whatever is in the way (a read-only file, a link, a folder) goes:
        // its content is in the copy kept before.
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&target)?,
            Ok(_) => fs::remove_file(&target)?,
            Err(_) => {}
        }
        fs::copy(copy.join(file), &target)?;
    }
    Ok(())
}

/// Copies the regular files under `from` to `to`, keeping their relative
/// paths; links and other special files are left out.
fn copy_files(from: &Path, to: &Path) -> io::Result<()> {
    for file in regular_files(from)? {
        let target = to.join(&file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from.join(&file), target)?;
    }
    Ok(())
}

/// Every regular file under `dir`, relative to it, sorted. A missing folder
/// has none.
fn regular_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file()
            && let Ok(relative) = entry.path().strip_prefix(dir)
        {
            files.push(relative.to_path_buf());
        }
    }
    Ok(files)
}

/// Removes the folders under `dir` (not `dir` itself) left empty.
fn remove_empty_folders(dir: &Path) {
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            // Fails, as it should, when the folder is not empty.
            let _ = fs::remove_dir(entry.path());
        }
    }
}

/// `2026-12-02T16-30-05Z`: sortable, and valid as a file name everywhere.
fn timestamp(now: time::OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}-{:02}-{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// `stamp`, or `stamp-2`, `stamp-3`… when a copy already has that name.
fn unused_name(copies: &Path, stamp: &str) -> String {
    let mut name = stamp.to_owned();
    let mut n = 1;
    while copies.join(&name).exists() {
        n += 1;
        name = format!("{stamp}-{n}");
    }
    name
}

/// Sorts `stamp` before `stamp-2` before `stamp-10`.
fn order_key(name: &str) -> (&str, u32) {
    match name.rsplit_once("Z-") {
        Some((stamp, n)) => match n.parse() {
            Ok(n) => (stamp, n),
            Err(_) => (name, 0),
        },
        None => (name.strip_suffix('Z').unwrap_or(name), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    fn lesson() -> Lesson {
        Lesson::from_slug("01-first").unwrap()
    }

    fn files_of(dir: &Path) -> Vec<(PathBuf, String)> {
        regular_files(dir)
            .unwrap()
            .into_iter()
            .map(|file| {
                let text = fs::read_to_string(dir.join(&file)).unwrap();
                (file, text)
            })
            .collect()
    }

    #[test]
    fn a_copy_holds_every_file_and_comes_back_exactly() {
        let dir = TempDir::new("backups-roundtrip");
        dir.write("lessons/01-first/src/lib.rs", "my work\n");
        dir.write("lessons/01-first/src/extra/new.rs", "a new file\n");
        dir.write("lessons/01-first/Cargo.toml", "[package]\n");
        let exercise = dir.path().join("lessons/01-first");
        let before = files_of(&exercise);

        let copy = keep(dir.path(), &lesson()).unwrap();
        assert!(copy.starts_with(".course/backups/01-first"), "{copy:?}");
        assert_eq!(files_of(&dir.path().join(&copy)), before);

        // The exercise changes: a file edited, one removed, one added.
        dir.write("lessons/01-first/src/lib.rs", "started again\n");
        fs::remove_file(exercise.join("src/extra/new.rs")).unwrap();
        dir.write("lessons/01-first/src/other.rs", "another\n");

        bring_back(dir.path(), &lesson(), &copy).unwrap();
        assert_eq!(files_of(&exercise), before);
    }

    #[test]
    fn empty_folders_left_behind_are_removed() {
        let dir = TempDir::new("backups-empty-folders");
        dir.write("lessons/01-first/src/lib.rs", "work\n");
        let copy = keep(dir.path(), &lesson()).unwrap();
        dir.write("lessons/01-first/src/deep/er/new.rs", "new\n");
        bring_back(dir.path(), &lesson(), &copy).unwrap();
        assert!(!dir.path().join("lessons/01-first/src/deep").exists());
        assert!(dir.path().join("lessons/01-first/src/lib.rs").exists());
    }

    #[test]
    fn copies_are_listed_oldest_first_and_never_overwritten() {
        let dir = TempDir::new("backups-order");
        dir.write("lessons/01-first/src/lib.rs", "one\n");
        let first = keep(dir.path(), &lesson()).unwrap();
        dir.write("lessons/01-first/src/lib.rs", "two\n");
        let second = keep(dir.path(), &lesson()).unwrap();
        assert_ne!(first, second);
        assert_eq!(list(dir.path(), &lesson()), [first.clone(), second.clone()]);
        let text = fs::read_to_string(dir.path().join(&first).join("src/lib.rs")).unwrap();
        assert_eq!(text, "one\n");
        // An interrupted copy is not a copy.
        fs::create_dir_all(dir.path().join(folder(&lesson())).join(".incomplete-x")).unwrap();
        assert_eq!(list(dir.path(), &lesson()).last(), Some(&second));
    }

    #[test]
    fn a_lesson_without_copies_has_none() {
        let dir = TempDir::new("backups-none");
        assert!(list(dir.path(), &lesson()).is_empty());
    }

    #[test]
    fn names_are_utc_times_that_sort_with_their_counters() {
        // 2026-12-02 16:03:05 UTC.
        let moment = time::OffsetDateTime::from_unix_timestamp(1_796_227_385).unwrap();
        assert_eq!(timestamp(moment), "2026-12-02T16-03-05Z");
        let mut names = vec![
            "2026-12-02T16-03-05Z-10",
            "2026-12-02T16-03-06Z",
            "2026-12-02T16-03-05Z-2",
            "2026-12-02T16-03-05Z",
        ];
        names.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        assert_eq!(
            names,
            [
                "2026-12-02T16-03-05Z",
                "2026-12-02T16-03-05Z-2",
                "2026-12-02T16-03-05Z-10",
                "2026-12-02T16-03-06Z",
            ]
        );
    }
}
