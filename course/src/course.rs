//! Finding the course folder and the lessons in it.
//!
//! A lesson is any folder `lessons/NN-topic/` (two digits, a dash, a topic).
//! Its slug is the folder name; its parts are found by convention:
//! `solutions/NN-topic/`, `notes/NN-topic.md`, `lessons/NN-topic/hints.md`.
//! What the runner must know beyond that (its title, whether it needs
//! MongoDB, the secrets its server reads) the exercise's `Cargo.toml` says
//! in `[package.metadata.course]` (see [`crate::manifest`]). New lessons
//! therefore show up without touching the runner.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::error::UsageError;
use crate::manifest::Manifest;

/// The course checkout: its root folder and its lessons, in order.
#[derive(Debug)]
pub struct Course {
    pub root: PathBuf,
    pub lessons: Vec<Lesson>,
}

/// One lesson and where its parts live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The folder name, such as `01-raw-routing`: the key of its progress.
    pub slug: String,
    /// The two digits, such as `01`.
    pub number: String,
    /// The part after the number, such as `raw-routing`.
    pub topic: String,
    /// Package of the exercise, such as `lesson-01-raw-routing`.
    pub exercise_package: String,
    /// Package of the reference solution, such as `solution-01-raw-routing`.
    pub solution_package: String,
    /// How sentences name it, such as `raw routing` (its topic when the
    /// manifest gives no title).
    pub subject: String,
    /// Its tests and its server need a MongoDB.
    pub needs_mongodb: bool,
    /// The secrets its server reads from the environment (see
    /// [`crate::manifest::LessonFacts`]).
    pub secrets: Vec<String>,
}

impl Lesson {
    /// Builds a lesson from its folder name, or `None` when the name is not
    /// `NN-topic`.
    pub fn from_slug(slug: &str) -> Option<Lesson> {
        let (number, topic) = slug.split_once('-')?;
        let well_formed = number.len() == 2
            && number.chars().all(|c| c.is_ascii_digit())
            && !topic.is_empty()
            && topic
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        well_formed.then(|| Lesson {
            slug: slug.to_owned(),
            number: number.to_owned(),
            topic: topic.to_owned(),
            exercise_package: format!("lesson-{slug}"),
            solution_package: format!("solution-{slug}"),
            subject: topic.to_owned(),
            needs_mongodb: false,
            secrets: Vec::new(),
        })
    }

    pub fn exercise_dir(&self) -> PathBuf {
        Path::new("lessons").join(&self.slug)
    }

    pub fn solution_dir(&self) -> PathBuf {
        Path::new("solutions").join(&self.slug)
    }

    pub fn notes_file(&self) -> PathBuf {
        Path::new("notes").join(format!("{}.md", self.slug))
    }

    pub fn hints_file(&self) -> PathBuf {
        self.exercise_dir().join("hints.md")
    }

    pub fn tests_file(&self) -> PathBuf {
        Path::new("tests").join(format!("{}.rs", self.slug))
    }

    /// "lesson 01 (raw routing)", as sentences say it.
    pub fn title(&self) -> String {
        format!("lesson {} ({})", self.number, self.subject)
    }
}

impl Course {
    /// Finds the course from the current folder, looking upwards.
    pub fn from_current_dir() -> Result<Course> {
        let here = std::env::current_dir().context("cannot read the current folder")?;
        match find_root(&here) {
            Some(root) => Course::open(root),
            None => bail!(UsageError::new(outside_the_course(&here))),
        }
    }

    /// Reads the lessons of the course at `root`.
    pub fn open(root: PathBuf) -> Result<Course> {
        let lessons = discover_lessons(&root)?;
        Ok(Course { root, lessons })
    }

    /// The lesson a learner means by `name`: `01`, `1`, `01-raw-routing` or
    /// `raw-routing`. An unknown name gives the list of valid ones.
    pub fn find(&self, name: &str) -> Result<&Lesson> {
        let name = name.trim().trim_end_matches('/');
        let name = name.strip_prefix("lessons/").unwrap_or(name);
        let wanted_number = name.parse::<u32>().ok();
        self.lessons
            .iter()
            .find(|lesson| {
                lesson.slug == name
                    || lesson.topic == name
                    || wanted_number.is_some_and(|n| lesson.number.parse() == Ok(n))
            })
            .ok_or_else(|| UsageError::new(self.unknown_lesson(name)).into())
    }

    fn unknown_lesson(&self, name: &str) -> String {
        if self.lessons.is_empty() {
            return format!("there is no lesson {name:?}: this course has no lessons yet");
        }
        let list: Vec<String> = self
            .lessons
            .iter()
            .map(|lesson| format!("  {}  {}", lesson.number, lesson.topic))
            .collect();
        format!(
            "there is no lesson {name:?}. Name one of these by its number, such as `{}`:\n{}",
            self.lessons[0].number,
            list.join("\n")
        )
    }

    /// The lesson after `lesson`, if any.
    pub fn next_after(&self, lesson: &Lesson) -> Option<&Lesson> {
        let index = self.lessons.iter().position(|l| l.slug == lesson.slug)?;
        self.lessons.get(index + 1)
    }

    /// `path` (relative to the course root) as an absolute path.
    pub fn path(&self, path: impl AsRef<Path>) -> PathBuf {
        self.root.join(path)
    }
}

/// The nearest folder at or above `start` that holds a `Cargo.toml`, a
/// `lessons/` and a `solutions/` folder.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            dir.join("Cargo.toml").is_file()
                && dir.join("lessons").is_dir()
                && dir.join("solutions").is_dir()
        })
        .map(Path::to_path_buf)
}

fn discover_lessons(root: &Path) -> Result<Vec<Lesson>> {
    let lessons_dir = root.join("lessons");
    let entries = fs::read_dir(&lessons_dir)
        .with_context(|| format!("cannot read {}", lessons_dir.display()))?;
    let mut lessons: Vec<Lesson> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| Lesson::from_slug(&entry.file_name().to_string_lossy()))
        .map(|lesson| read_manifests(root, lesson))
        .collect();
    lessons.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(lessons)
}

/// Takes the package names from the lesson's manifests, and the lesson's
/// facts from the exercise's; a lesson still being written keeps the
/// conventional names and no facts (`cargo course check` flags that).
fn read_manifests(root: &Path, mut lesson: Lesson) -> Lesson {
    let exercise = Manifest::read(&root.join(lesson.exercise_dir()).join("Cargo.toml"));
    let solution = Manifest::read(&root.join(lesson.solution_dir()).join("Cargo.toml"));
    if let Some(name) = exercise.as_ref().and_then(Manifest::package_name) {
        lesson.exercise_package = name.to_owned();
    }
    if let Some(name) = solution.as_ref().and_then(Manifest::package_name) {
        lesson.solution_package = name.to_owned();
    }
    if let Some(Ok(Some(facts))) = exercise.as_ref().map(Manifest::lesson_facts) {
        lesson.subject = facts.title;
        lesson.needs_mongodb = facts.needs_mongodb;
        lesson.secrets = facts.secrets;
    }
    lesson
}

/// The message for someone who runs the runner outside the course.
fn outside_the_course(here: &Path) -> String {
    // Where this runner was built from: the course it belongs to.
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).parent();
    let go_there = match built_from {
        Some(root) if find_root(root).is_some() => {
            format!("Go there first:\n  cd {}\n  cargo course", root.display())
        }
        _ => "Go to the folder you cloned the course into, then run `cargo course`.".to_owned(),
    };
    format!(
        "{} is not inside the course: `cargo course` runs from the course folder \
         (the one with lessons/, solutions/ and notes/ in it).\n{go_there}",
        here.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    fn course_with(slugs: &[&str]) -> Course {
        Course {
            root: PathBuf::from("/course"),
            lessons: slugs
                .iter()
                .map(|s| Lesson::from_slug(s).unwrap())
                .collect(),
        }
    }

    #[test]
    fn a_lesson_folder_is_two_digits_a_dash_and_a_topic() {
        let lesson = Lesson::from_slug("01-raw-routing").unwrap();
        assert_eq!(lesson.number, "01");
        assert_eq!(lesson.topic, "raw-routing");
        assert_eq!(lesson.exercise_package, "lesson-01-raw-routing");
        assert_eq!(lesson.solution_package, "solution-01-raw-routing");
        assert_eq!(lesson.notes_file(), Path::new("notes/01-raw-routing.md"));
        assert_eq!(
            lesson.hints_file(),
            Path::new("lessons/01-raw-routing/hints.md")
        );
        for not_a_lesson in [
            "1-routing",
            "001-routing",
            "ab-routing",
            "01-",
            "01",
            "target",
            "01-Raw",
        ] {
            assert_eq!(Lesson::from_slug(not_a_lesson), None, "{not_a_lesson}");
        }
    }

    #[test]
    fn lessons_are_found_by_number_slug_or_topic() {
        let course = course_with(&["01-raw-routing", "02-modules", "10-deploy"]);
        for name in ["02", "2", "02-modules", "modules", "lessons/02-modules/"] {
            assert_eq!(course.find(name).unwrap().slug, "02-modules", "{name}");
        }
        assert_eq!(course.find("10").unwrap().slug, "10-deploy");
    }

    #[test]
    fn an_unknown_lesson_lists_the_valid_ones() {
        let course = course_with(&["01-raw-routing", "02-modules"]);
        let error = course.find("42").unwrap_err();
        let Some(usage) = error.downcast_ref::<UsageError>() else {
            panic!("lesson 42 should be a usage error, not {error:#}");
        };
        let message = usage.to_string();
        assert!(message.contains("no lesson \"42\""), "{message}");
        assert!(message.contains("01  raw-routing"), "{message}");
        assert!(message.contains("02  modules"), "{message}");
    }

    #[test]
    fn the_next_lesson_follows_the_order() {
        let course = course_with(&["01-raw-routing", "02-modules"]);
        assert_eq!(
            course.next_after(&course.lessons[0]).unwrap().slug,
            "02-modules"
        );
        assert_eq!(course.next_after(&course.lessons[1]), None);
    }

    #[test]
    fn discovery_reads_folders_in_order_with_their_manifests() {
        let dir = TempDir::new("discovery");
        dir.write("Cargo.toml", "[workspace]\n");
        dir.write(
            "lessons/02-db/Cargo.toml",
            "[package]\nname = \"lesson-02-db\"\n\n[package.metadata.course]\n\
             title = \"a database\"\nneeds-mongodb = true\nsecrets = [\"DB_KEY\"]\n\n\
             [dependencies]\ntokio.workspace = true\n",
        );
        dir.write(
            "solutions/02-db/Cargo.toml",
            "[package]\nname = \"solution-02-db\"\n[dependencies]\nmongodb.workspace = true\n",
        );
        dir.write(
            "lessons/01-first/Cargo.toml",
            "[package]\nname = \"custom-name\"\n",
        );
        dir.write("lessons/not-a-lesson/Cargo.toml", "");
        dir.write("lessons/03-readme.md", "a file, not a lesson folder");

        let course = Course::open(dir.path().to_path_buf()).unwrap();
        let slugs: Vec<&str> = course.lessons.iter().map(|l| l.slug.as_str()).collect();
        assert_eq!(slugs, ["01-first", "02-db"]);
        assert_eq!(course.lessons[0].exercise_package, "custom-name");
        assert_eq!(course.lessons[0].solution_package, "solution-01-first");
        assert_eq!(
            course.lessons[0].title(),
            "lesson 01 (first)",
            "no facts: the topic"
        );
        assert!(!course.lessons[0].needs_mongodb);
        assert_eq!(course.lessons[1].title(), "lesson 02 (a database)");
        assert!(course.lessons[1].needs_mongodb);
        assert_eq!(course.lessons[1].secrets, ["DB_KEY"]);
    }

    #[test]
    fn the_root_is_found_from_any_folder_inside() {
        let dir = TempDir::new("root");
        dir.write("Cargo.toml", "[workspace]\n");
        dir.write("lessons/01-first/src/lib.rs", "");
        dir.write("solutions/01-first/src/lib.rs", "");
        let deep = dir.path().join("lessons/01-first/src");
        assert_eq!(find_root(&deep).as_deref(), Some(dir.path()));
        assert_eq!(find_root(Path::new("/")), None);
    }

    #[test]
    fn outside_the_course_says_where_to_go() {
        let message = outside_the_course(Path::new("/tmp"));
        assert!(
            message.contains("/tmp is not inside the course"),
            "{message}"
        );
        assert!(message.contains("cargo course"), "{message}");
    }
}
