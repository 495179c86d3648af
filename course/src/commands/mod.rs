//! One module per subcommand, and the session they share: the course, its
//! lessons and the learner's progress.

pub mod book;
pub mod check;
pub mod classroom;
pub mod doctor;
pub mod hint;
pub mod mongo;
pub mod prepare;
pub mod reset;
pub mod run;
pub mod solution;
pub mod status;
pub mod verify;
pub mod watch;

use anyhow::Result;

use crate::course::{Course, Lesson};
use crate::error::UsageError;
use crate::progress::ProgressFile;

/// The course found from the current folder, with its progress loaded.
pub struct Session {
    pub course: Course,
    pub progress: ProgressFile,
}

impl Session {
    pub fn open() -> Result<Session> {
        let course = Course::from_current_dir()?;
        let slugs: Vec<&str> = course.lessons.iter().map(|l| l.slug.as_str()).collect();
        let progress = ProgressFile::load(&course.root, &slugs);
        Ok(Session { course, progress })
    }

    /// The lesson named on the command line.
    pub fn lesson(&self, name: &str) -> Result<Lesson> {
        self.course.find(name).cloned()
    }

    /// The lesson named, or else the current one.
    pub fn lesson_or_current(&self, name: Option<&str>, command: &str) -> Result<Lesson> {
        match name {
            Some(name) => self.lesson(name),
            None => self.current_lesson().cloned().ok_or_else(|| {
                let message = match self.course.lessons.first() {
                    Some(first) => format!(
                        "every lesson is done, so there is no current lesson: name one, \
                         such as `cargo course {command} {}`",
                        first.number
                    ),
                    None => "this course has no lessons yet (no lessons/NN-topic/ folder)".into(),
                };
                UsageError::new(message).into()
            }),
        }
    }

    /// The first lesson not done yet, in order.
    pub fn current_lesson(&self) -> Option<&Lesson> {
        self.course
            .lessons
            .iter()
            .find(|lesson| !self.progress.lesson(&lesson.slug).done)
    }
}
