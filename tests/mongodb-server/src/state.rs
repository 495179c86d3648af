//! The state file that records the server the course started, and the lock
//! that lets one process at a time start one.

use std::fs::{self, File, OpenOptions};
use std::path::Path;

use fs4::fs_std::FileExt;

use crate::{Error, Server, say};

/// The recorded server; `None` when there is none or the file is unreadable
/// (an unreadable file is as good as none: the server is found or started
/// again, and the file rewritten).
pub fn read(path: &Path) -> Option<Server> {
    let text = fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Records `server`, replacing the file in one step so that a reader never
/// sees half of it.
pub fn write(path: &Path, server: &Server) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(server)
        .map_err(|err| Error::Failed(format!("cannot record the server: {err}")))?;
    let partial = path.with_extension(format!("json.{}", std::process::id()));
    fs::write(&partial, text + "\n")
        .and_then(|()| fs::rename(&partial, path))
        .map_err(|err| Error::Failed(format!("cannot write {}: {err}", path.display())))
}

pub fn remove(path: &Path) -> Result<(), Error> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(Error::Failed(format!(
            "cannot remove {}: {err}",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Holds the course's lock in `cache` until dropped; waits for it, saying
/// so, when another process holds it.
pub fn lock(cache: &Path) -> Result<File, Error> {
    fs::create_dir_all(cache)
        .map_err(|err| Error::Failed(format!("cannot create {}: {err}", cache.display())))?;
    let path = cache.join("mongodb.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|err| Error::Failed(format!("cannot open {}: {err}", path.display())))?;
    let failed =
        |err: std::io::Error| Error::Failed(format!("cannot lock {}: {err}", path.display()));
    if !FileExt::try_lock_exclusive(&file).map_err(failed)? {
        say("Another run is starting the course's MongoDB: waiting for it…");
        FileExt::lock_exclusive(&file).map_err(failed)?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_server_reads_back() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("mongodb.json");
        assert_eq!(read(&path), None);
        let server = Server::FerretDb {
            uri: "mongodb://127.0.0.1:40123".to_owned(),
            pid: 4242,
        };
        write(&path, &server).unwrap();
        assert_eq!(read(&path), Some(server));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(r#""kind": "ferretdb""#), "{text}");
        remove(&path).unwrap();
        remove(&path).unwrap();
        assert_eq!(read(&path), None);
    }

    #[test]
    fn a_damaged_state_file_counts_as_none() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("mongodb.json");
        fs::write(&path, "{ not json").unwrap();
        assert_eq!(read(&path), None);
    }

    #[test]
    fn the_lock_is_taken_and_given_back() {
        let folder = tempfile::tempdir().unwrap();
        let held = lock(folder.path()).unwrap();
        let other = File::open(folder.path().join("mongodb.lock")).unwrap();
        assert!(!FileExt::try_lock_exclusive(&other).unwrap());
        drop(held);
        assert!(FileExt::try_lock_exclusive(&other).unwrap());
    }
}
