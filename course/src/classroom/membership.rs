//! The learner's membership of a board: `.course/classroom.json`, with the
//! board's address, the name shown there and the token of that row. While
//! the file exists, each test run is reported; `leave` removes it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::progress::STATE_FOLDER;

/// Where the membership is kept, relative to the course root.
pub const MEMBERSHIP_FILE: &str = ".course/classroom.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// Such as `http://192.168.1.20:4000`.
    pub board: String,
    pub name: String,
    pub token: String,
}

impl Membership {
    fn path(course_root: &Path) -> PathBuf {
        course_root.join(MEMBERSHIP_FILE)
    }

    /// The board this checkout joined; `None` when it joined none (or the
    /// file cannot be read, which is the same to the learner).
    pub fn load(course_root: &Path) -> Option<Membership> {
        let bytes = std::fs::read(Self::path(course_root)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Keeps the membership, replacing any earlier one in one step.
    pub fn save(&self, course_root: &Path) -> io::Result<()> {
        let folder = course_root.join(STATE_FOLDER);
        std::fs::create_dir_all(&folder)?;
        let mut temporary = tempfile::Builder::new()
            .prefix(".classroom-")
            .tempfile_in(&folder)?;
        serde_json::to_writer_pretty(&mut temporary, self).map_err(io::Error::other)?;
        temporary.write_all(b"\n")?;
        temporary
            .persist(Self::path(course_root))
            .map_err(|err| err.error)?;
        Ok(())
    }

    /// Forgets the board; `false` when there was none.
    pub fn remove(course_root: &Path) -> io::Result<bool> {
        match std::fs::remove_file(Self::path(course_root)) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(err),
        }
    }
}
