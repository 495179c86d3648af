//! The progress cache: `.course/progress.json`, ignored by git.
//!
//! Progress is worked out from test results (`verify` writes it); the file
//! only remembers them between runs. Entries are keyed by lesson slug
//! (`01-raw-routing`), never by position, so adding or renumbering lessons
//! cannot give one lesson's progress to another. When a lesson is renumbered
//! (`04-templates` becomes `05-templates`), its entry follows it by topic.
//! A damaged file is set aside and rebuilt, never fatal.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where the cache lives, relative to the course root.
pub const PROGRESS_FILE: &str = ".course/progress.json";

/// Everything remembered, by lesson slug.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub lessons: BTreeMap<String, LessonProgress>,
}

/// What is remembered about one lesson.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// The last `verify` passed every test.
    pub done: bool,
    /// The result of the last `verify`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_result: Option<TestResult>,
    /// How many hints have been shown.
    pub hints_shown: usize,
}

/// The outcome of running a lesson's tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum TestResult {
    /// The exercise did not compile.
    DoesNotCompile,
    /// The tests ran.
    Ran { passed: usize, failed: usize },
}

/// The progress file of one course, loaded in memory.
#[derive(Debug)]
pub struct ProgressFile {
    path: PathBuf,
    pub progress: Progress,
}

impl ProgressFile {
    /// Loads the cache of the course at `root` (empty when there is none
    /// yet), and lets renumbered lessons find their entries.
    pub fn load(root: &Path, lesson_slugs: &[&str]) -> ProgressFile {
        let path = root.join(PROGRESS_FILE);
        let mut progress = match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_else(|err| {
                let backup = path.with_extension("json.damaged");
                let _ = fs::rename(&path, &backup);
                anstream::eprintln!(
                    "warning: {} could not be read ({err}); it was moved to {} and \
                     progress starts again from your next `cargo course verify`.",
                    path.display(),
                    backup.display()
                );
                Progress::default()
            }),
            Err(_) => Progress::default(),
        };
        progress.follow_renumbered(lesson_slugs);
        ProgressFile { path, progress }
    }

    /// Writes the cache, replacing the old file in one step so an
    /// interrupted write never leaves half a file.
    pub fn save(&self) -> std::io::Result<()> {
        if let Some(folder) = self.path.parent() {
            fs::create_dir_all(folder)?;
        }
        let text = serde_json::to_string_pretty(&self.progress).map_err(std::io::Error::other)?;
        let temporary = self.path.with_extension("json.tmp");
        fs::write(&temporary, text + "\n")?;
        fs::rename(&temporary, &self.path)
    }

    /// Saves, and warns (without failing the command) when that is impossible.
    pub fn save_or_warn(&self) {
        if let Err(err) = self.save() {
            anstream::eprintln!(
                "warning: could not save progress to {}: {err}",
                self.path.display()
            );
        }
    }

    pub fn lesson(&self, slug: &str) -> LessonProgress {
        self.progress.lessons.get(slug).cloned().unwrap_or_default()
    }

    pub fn lesson_mut(&mut self, slug: &str) -> &mut LessonProgress {
        self.progress.lessons.entry(slug.to_owned()).or_default()
    }
}

impl Progress {
    /// Moves the entry of a lesson that was renumbered to its new slug: an
    /// entry whose slug no longer exists goes to the lesson with the same
    /// topic, when that lesson has no entry yet. Other unknown entries are
    /// kept untouched (another branch may still have those lessons).
    pub fn follow_renumbered(&mut self, lesson_slugs: &[&str]) {
        let orphans: Vec<String> = self
            .lessons
            .keys()
            .filter(|slug| !lesson_slugs.contains(&slug.as_str()))
            .cloned()
            .collect();
        for orphan in orphans {
            let new_slug = lesson_slugs
                .iter()
                .find(|slug| topic(slug) == topic(&orphan) && !self.lessons.contains_key(**slug));
            if let Some(new_slug) = new_slug {
                let entry = self.lessons.remove(&orphan).expect("the orphan exists");
                self.lessons.insert((*new_slug).to_owned(), entry);
            }
        }
    }
}

/// `raw-routing` for `01-raw-routing`.
fn topic(slug: &str) -> &str {
    slug.split_once('-').map_or(slug, |(_, topic)| topic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    #[test]
    fn a_missing_file_is_empty_progress() {
        let dir = TempDir::new("progress-missing");
        let file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
        assert_eq!(file.progress, Progress::default());
        assert!(!file.lesson("01-raw-routing").done);
    }

    #[test]
    fn progress_survives_a_save_and_a_load() {
        let dir = TempDir::new("progress-roundtrip");
        let mut file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
        let lesson = file.lesson_mut("01-raw-routing");
        lesson.done = true;
        lesson.hints_shown = 2;
        lesson.last_result = Some(TestResult::Ran {
            passed: 10,
            failed: 0,
        });
        file.save().unwrap();

        let again = ProgressFile::load(dir.path(), &["01-raw-routing"]);
        assert_eq!(again.progress, file.progress);
        let text = fs::read_to_string(dir.path().join(PROGRESS_FILE)).unwrap();
        assert!(text.contains("\"01-raw-routing\""), "keyed by slug: {text}");
    }

    #[test]
    fn a_damaged_file_is_set_aside_not_fatal() {
        let dir = TempDir::new("progress-damaged");
        dir.write(PROGRESS_FILE, "{ this is not json");
        let file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
        assert_eq!(file.progress, Progress::default());
        assert!(dir.path().join(".course/progress.json.damaged").exists());
    }

    #[test]
    fn unknown_fields_and_missing_fields_are_tolerated() {
        let text =
            r#"{"lessons": {"01-raw-routing": {"done": true, "future_field": 1}}, "other": 2}"#;
        let progress: Progress = serde_json::from_str(text).unwrap();
        let lesson = &progress.lessons["01-raw-routing"];
        assert!(lesson.done);
        assert_eq!(lesson.hints_shown, 0);
    }

    #[test]
    fn a_renumbered_lesson_keeps_its_progress() {
        let mut progress = Progress::default();
        progress.lessons.insert(
            "04-templates".to_owned(),
            LessonProgress {
                done: true,
                ..Default::default()
            },
        );
        progress
            .lessons
            .insert("09-gone".to_owned(), LessonProgress::default());

        // A new lesson 04 was inserted; templates is now 05.
        progress.follow_renumbered(&["04-static-files", "05-templates"]);

        assert!(progress.lessons["05-templates"].done);
        assert!(!progress.lessons.contains_key("04-templates"));
        assert!(
            !progress.lessons.contains_key("04-static-files"),
            "no progress invented"
        );
        assert!(
            progress.lessons.contains_key("09-gone"),
            "unknown entries are kept"
        );
    }

    #[test]
    fn an_existing_entry_is_never_overwritten_by_a_renumbered_one() {
        let mut progress = Progress::default();
        progress.lessons.insert(
            "04-templates".to_owned(),
            LessonProgress {
                done: true,
                ..Default::default()
            },
        );
        progress
            .lessons
            .insert("05-templates".to_owned(), LessonProgress::default());
        progress.follow_renumbered(&["05-templates"]);
        assert!(!progress.lessons["05-templates"].done);
        assert!(progress.lessons.contains_key("04-templates"));
    }
}
