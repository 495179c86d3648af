//! Folders: a temporary one (a site or templates to break on purpose, a
//! place to start the server from), and the check on the folders an app
//! finds by itself.

use std::path::PathBuf;

pub use tempfile::TempDir;

/// A fresh, empty folder under the system's temporary folder, deleted with
/// everything in it when dropped. `label` goes into its name, to tell the
/// folders apart.
pub fn temp_folder(label: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("course-{label}-"))
        .tempdir()
        .expect("a temporary folder")
}

/// Checks a folder that the app finds by itself, such as its `public/` or
/// its `templates/`: `folder()` is an absolute path, and it holds every file
/// of `files`.
///
/// A relative path is looked up from the folder the server is started in:
/// the server would find its files only when started from its own crate.
/// When the variable `chosen_by` is set, someone chose the folder on
/// purpose, and there is nothing to check. `what_to_fix` names the TODO or
/// the given code.
#[track_caller]
pub fn assert_folder_of_the_crate(
    folder: impl FnOnce() -> PathBuf,
    chosen_by: &str,
    files: &[&str],
    what_to_fix: &str,
) {
    if std::env::var_os(chosen_by).is_some() {
        return;
    }
    let folder = folder();
    assert!(
        folder.is_absolute(),
        "\n{folder:?} is a relative path: it is looked up from the folder the server is \
         started in, so the server finds it only when started from its crate.\n{what_to_fix}\n"
    );
    for name in files {
        assert!(
            folder.join(name).is_file(),
            "\n{folder:?} should hold {name}: it should be this crate's own folder.\n\
             {what_to_fix}\n"
        );
    }
}
