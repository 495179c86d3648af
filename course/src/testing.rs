//! Helpers for the unit tests: a temporary folder, removed when dropped.

use std::path::Path;

/// A fresh, empty folder under the system's temporary folder
/// (`tempfile` names it uniquely and removes it when dropped).
pub struct TempDir {
    dir: tempfile::TempDir,
}

impl TempDir {
    /// A folder named after the test, `course-unit-<name>-…`, so one left
    /// behind by a crash says where it came from.
    pub fn new(name: &str) -> TempDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("course-unit-{name}-"))
            .tempdir()
            .expect("create a temporary folder");
        TempDir { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `relative`, creating folders on the way.
    pub fn write(&self, relative: &str, contents: &str) {
        let file = self.path().join(relative);
        std::fs::create_dir_all(file.parent().expect("a file has a parent folder"))
            .expect("create folders");
        std::fs::write(file, contents).expect("write a file");
    }
}
