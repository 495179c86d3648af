//! The progress cache: `.course/progress.json`, ignored by git.
//!
//! Progress is worked out from test results (`verify` writes it); the file
//! only remembers them between runs. Entries are keyed by lesson slug
//! (`01-raw-routing`), never by position, so adding or renumbering lessons
//! cannot give one lesson's progress to another. When a lesson is renumbered
//! (`04-templates` becomes `05-templates`), its entry follows it by topic.
//!
//! A damaged or hand-edited file is never fatal: what can be read is kept,
//! a value that cannot (a `"done": "yes"`, an entry that is not an object)
//! is dropped and comes back from the next `verify`, and the file as it was
//! is saved beside it as `progress.json.damaged`. A file that is not JSON at
//! all is set aside under that name, and progress starts again.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The runner's own folder at the course root, ignored by git: the progress
/// cache, and the copies `cargo course reset` keeps.
pub const STATE_FOLDER: &str = ".course";

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
    /// How many hints have been shown, for a lesson whose hints name no
    /// TODO (the older `hints.md` format).
    pub hints_shown: usize,
    /// How many steps of each TODO's hints have been shown, by TODO id
    /// (`"3a"`); the step after the last hint is the answer. A value of
    /// another shape (an older or damaged file) reads as nothing seen.
    #[serde(
        deserialize_with = "nothing_seen_unless_well_formed",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub hints_seen: BTreeMap<String, usize>,
    /// The TODO the learner was on at the last test run, for when the
    /// exercise does not compile (the tests then cannot say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_todo: Option<String>,
}

impl LessonProgress {
    /// Whether any hint of this lesson has been shown.
    pub fn saw_hints(&self) -> bool {
        self.hints_shown > 0 || self.hints_seen.values().any(|seen| *seen > 0)
    }

    /// The entry made of the `fields` that read well one by one; the others
    /// are named in `dropped`. Unknown fields are ignored, as usual.
    fn salvage(slug: &str, fields: Map<String, Value>, dropped: &mut Vec<String>) -> Self {
        let mut readable = Map::new();
        for (name, value) in fields {
            let alone = Value::Object(Map::from_iter([(name.clone(), value.clone())]));
            if serde_json::from_value::<LessonProgress>(alone).is_ok() {
                readable.insert(name, value);
            } else {
                dropped.push(format!("{slug}: {name}"));
            }
        }
        let mut lesson: LessonProgress =
            serde_json::from_value(Value::Object(readable)).unwrap_or_default();
        // Counts no test run can have given.
        if let Some(TestResult::Ran { passed, failed }) = lesson.last_result
            && passed.checked_add(failed).is_none()
        {
            lesson.last_result = None;
            dropped.push(format!("{slug}: last_result"));
        }
        lesson
    }
}

/// Reads `hints_seen`, or nothing seen when it is not a map of counts.
fn nothing_seen_unless_well_formed<'de, D>(
    deserializer: D,
) -> Result<BTreeMap<String, usize>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
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
    /// yet), repairs what a damaged or hand-edited file got wrong, and lets
    /// renumbered lessons find their entries. Never fails: at worst,
    /// progress starts again, with a warning that says why.
    pub fn load(root: &Path, lesson_slugs: &[&str]) -> ProgressFile {
        let mut file = ProgressFile {
            path: root.join(PROGRESS_FILE),
            progress: Progress::default(),
        };
        match fs::read(&file.path) {
            Ok(bytes) => file.read(&bytes),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => anstream::eprintln!(
                "warning: {} could not be read ({err}); progress is not remembered \
                 until it can be.",
                file.path.display()
            ),
        }
        file.progress.follow_renumbered(lesson_slugs);
        file
    }

    /// Takes the progress from the file's `bytes`, keeping whatever can be
    /// read.
    fn read(&mut self, bytes: &[u8]) {
        let damaged = self.path.with_extension("json.damaged");
        let salvaged = serde_json::from_slice::<Value>(bytes)
            .map_err(|err| err.to_string())
            .and_then(Progress::salvage);
        match salvaged {
            Ok((progress, dropped)) if dropped.is_empty() => self.progress = progress,
            Ok((progress, dropped)) => {
                self.progress = progress;
                let _ = fs::write(&damaged, bytes);
                anstream::eprintln!(
                    "warning: some values in {} could not be read ({}); the rest is \
                     kept, and those come back with your next `cargo course verify`. \
                     The file as it was is saved as {}.",
                    self.path.display(),
                    dropped.join(", "),
                    damaged.display()
                );
                self.save_or_warn();
            }
            Err(reason) => {
                let _ = fs::rename(&self.path, &damaged);
                anstream::eprintln!(
                    "warning: {} could not be read ({reason}); it was moved to {} and \
                     progress starts again from your next `cargo course verify`.",
                    self.path.display(),
                    damaged.display()
                );
            }
        }
    }

    /// Writes the cache, replacing the old file in one step so an
    /// interrupted write never leaves half a file, and two runners saving
    /// at once never mix their files.
    pub fn save(&self) -> io::Result<()> {
        let folder = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(folder)?;
        let text = serde_json::to_string_pretty(&self.progress).map_err(io::Error::other)?;
        let mut temporary = tempfile::Builder::new()
            .prefix(".progress-")
            .suffix(".tmp")
            .tempfile_in(folder)?;
        temporary.write_all(text.as_bytes())?;
        temporary.write_all(b"\n")?;
        temporary.persist(&self.path).map_err(|err| err.error)?;
        Ok(())
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
    /// Reads a progress file's JSON, dropping the values it cannot use
    /// (named `slug: field`, or `slug` for a whole entry) instead of failing;
    /// an error when nothing can be used.
    fn salvage(value: Value) -> Result<(Progress, Vec<String>), String> {
        let Value::Object(mut top) = value else {
            return Err("it is not a JSON object".to_owned());
        };
        let lessons = match top.remove("lessons") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(lessons)) => lessons,
            Some(_) => return Err("its `lessons` is not a JSON object".to_owned()),
        };
        let mut progress = Progress::default();
        let mut dropped = Vec::new();
        for (slug, entry) in lessons {
            let Value::Object(fields) = entry else {
                dropped.push(slug);
                continue;
            };
            let lesson = LessonProgress::salvage(&slug, fields, &mut dropped);
            progress.lessons.insert(slug, lesson);
        }
        Ok((progress, dropped))
    }

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
        lesson.hints_seen.insert("3a".to_owned(), 2);
        lesson.current_todo = Some("3a".to_owned());
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
    fn the_progress_file_is_in_the_state_folder() {
        assert!(Path::new(PROGRESS_FILE).starts_with(STATE_FOLDER));
    }

    #[test]
    fn a_file_that_cannot_be_used_at_all_is_set_aside() {
        let contents: [&[u8]; 7] = [
            b"",
            b"[1, 2]",
            b"\"done\"",
            b"{\"lessons\": [\"01-raw-routing\"]}",
            b"{\"lessons\": {\"01-raw-routing\": {\"done\": true}",
            b"\xff\xfe\x00garbage",
            b"\x00\x00\x00\x00",
        ];
        for bytes in contents {
            let dir = TempDir::new("progress-unusable");
            fs::create_dir_all(dir.path().join(STATE_FOLDER)).unwrap();
            fs::write(dir.path().join(PROGRESS_FILE), bytes).unwrap();
            let file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
            let shown = String::from_utf8_lossy(bytes);
            assert_eq!(file.progress, Progress::default(), "{shown}");
            let damaged = dir.path().join(".course/progress.json.damaged");
            assert_eq!(fs::read(damaged).unwrap(), bytes, "{shown}: kept aside");
            assert!(!dir.path().join(PROGRESS_FILE).exists(), "{shown}");
            file.save().unwrap();
            let again = ProgressFile::load(dir.path(), &["01-raw-routing"]);
            assert_eq!(again.progress, Progress::default(), "{shown}");
        }
    }

    #[test]
    fn an_empty_object_is_simply_no_progress() {
        for text in ["{}", r#"{"lessons": null}"#, r#"{"lessons": {}}"#] {
            let dir = TempDir::new("progress-empty");
            dir.write(PROGRESS_FILE, text);
            let file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
            assert_eq!(file.progress, Progress::default(), "{text}");
            assert!(!dir.path().join(".course/progress.json.damaged").exists());
        }
    }

    #[test]
    fn a_hand_edited_file_keeps_what_can_be_read() {
        let dir = TempDir::new("progress-hand-edited");
        let text = r#"{"lessons": {
            "01-raw-routing": {"done": true, "hints_shown": 2},
            "02-modules": {"done": "yes", "hints_shown": 3, "current_todo": 4},
            "03-routing": 7,
            "04-static": {"last_result": {"outcome": "ran",
                          "passed": 18446744073709551615, "failed": 1}, "done": false},
            "05-templates": {"last_result": {"outcome": "exploded"}, "hints_shown": -1}
        }}"#;
        dir.write(PROGRESS_FILE, text);
        let slugs = [
            "01-raw-routing",
            "02-modules",
            "03-routing",
            "04-static",
            "05-templates",
        ];
        let file = ProgressFile::load(dir.path(), &slugs);

        let first = file.lesson("01-raw-routing");
        assert!(first.done && first.hints_shown == 2, "untouched: {first:?}");
        let second = file.lesson("02-modules");
        assert!(!second.done, "an unreadable value reads as its default");
        assert_eq!(second.hints_shown, 3, "the entry's other values are kept");
        assert_eq!(second.current_todo, None);
        assert!(!file.progress.lessons.contains_key("03-routing"));
        assert_eq!(file.lesson("04-static").last_result, None, "no such run");
        assert_eq!(file.lesson("05-templates"), LessonProgress::default());

        // The file as it was is kept; the repaired one reads cleanly.
        let damaged = dir.path().join(".course/progress.json.damaged");
        assert_eq!(fs::read_to_string(damaged).unwrap(), text);
        let again = ProgressFile::load(dir.path(), &slugs);
        assert_eq!(again.progress, file.progress);
    }

    #[test]
    fn a_progress_file_that_is_a_folder_is_not_fatal() {
        let dir = TempDir::new("progress-folder");
        fs::create_dir_all(dir.path().join(PROGRESS_FILE)).unwrap();
        let mut file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
        assert_eq!(file.progress, Progress::default());
        file.lesson_mut("01-raw-routing").done = true;
        assert!(file.save().is_err(), "saving fails, and says so");
        file.save_or_warn();
    }

    #[test]
    fn saving_leaves_no_temporary_file_behind() {
        let dir = TempDir::new("progress-no-leftovers");
        let mut file = ProgressFile::load(dir.path(), &["01-raw-routing"]);
        file.lesson_mut("01-raw-routing").done = true;
        file.save().unwrap();
        file.save().unwrap();
        let names: Vec<String> = fs::read_dir(dir.path().join(STATE_FOLDER))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["progress.json"]);
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
    fn hints_seen_of_another_shape_read_as_nothing_seen() {
        for seen in [
            r#""3""#,
            "[1, 2]",
            r#"{"1": "two"}"#,
            "null",
            r#"{"1": -1}"#,
        ] {
            let text = format!(
                r#"{{"lessons": {{"03-routing": {{"done": true, "hints_seen": {seen}}}}}}}"#
            );
            let progress: Progress = serde_json::from_str(&text).unwrap();
            let lesson = &progress.lessons["03-routing"];
            assert!(lesson.done, "{seen}: the rest of the entry is kept");
            assert!(lesson.hints_seen.is_empty(), "{seen}");
            assert!(!lesson.saw_hints());
        }
        let text = r#"{"lessons": {"03-routing": {"hints_seen": {"1": 2, "3a": 0}}}}"#;
        let progress: Progress = serde_json::from_str(text).unwrap();
        assert_eq!(progress.lessons["03-routing"].hints_seen["1"], 2);
        assert!(progress.lessons["03-routing"].saw_hints());
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
