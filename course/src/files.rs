//! Listing the files of a folder.

use std::path::{Path, PathBuf};

/// Every file under `dir`, as paths relative to it, sorted. A missing
/// folder has no files.
pub fn relative_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let Ok(relative) = path.strip_prefix(base) {
            files.push(relative.to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    #[test]
    fn files_are_listed_recursively_and_sorted() {
        let dir = TempDir::new("files");
        dir.write("src/main.rs", "");
        dir.write("src/lib.rs", "");
        dir.write("src/routes/mod.rs", "");
        dir.write("src/page.html", "");
        let listed = relative_files(&dir.path().join("src"));
        assert_eq!(
            listed,
            [
                PathBuf::from("lib.rs"),
                PathBuf::from("main.rs"),
                PathBuf::from("page.html"),
                PathBuf::from("routes/mod.rs"),
            ]
        );
        assert!(relative_files(&dir.path().join("missing")).is_empty());
    }
}
