//! The few git questions the runner asks: is this a checkout, what changed
//! in a folder, and putting a folder back as it was committed.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Result, bail};

/// One changed path, as `git status --porcelain -z` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Two letters, such as ` M` (modified) or `??` (new, untracked).
    pub status: String,
    /// The path from the repository's root.
    pub path: String,
}

impl Change {
    /// "modified", "new file", "deleted"… for people.
    pub fn describe(&self) -> &'static str {
        match self.status.trim() {
            "??" | "A" | "AM" => "new file",
            status if status.contains('D') => "deleted",
            status if status.contains('R') => "renamed",
            _ => "modified",
        }
    }
}

/// Whether `root` is inside a git work tree (and git is installed).
pub fn is_checkout(root: &Path) -> bool {
    git(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Every uncommitted change under `folder` (relative to `root`), new
/// files included; `None` when git cannot tell (not a checkout, no git).
pub fn changes(root: &Path, folder: &Path) -> Option<Vec<Change>> {
    let output = git(root)
        .args([
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
        ])
        .arg(folder)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| parse_porcelain(&String::from_utf8_lossy(&output.stdout)))
}

/// Puts `folder` back as it is in the last commit: changed and deleted
/// files are restored, new files removed (ignored files are left alone).
pub fn restore(root: &Path, folder: &Path) -> Result<()> {
    let restore = git(root)
        .args(["restore", "--source=HEAD", "--staged", "--worktree", "--"])
        .arg(folder)
        .status();
    let clean = || {
        git(root)
            .args(["clean", "-f", "-d", "-q", "--"])
            .arg(folder)
            .status()
    };
    if !restore.is_ok_and(|status| status.success()) {
        bail!("`git restore` could not reset {}", folder.display());
    }
    if !clean().is_ok_and(|status| status.success()) {
        bail!(
            "`git clean` could not remove the new files in {}",
            folder.display()
        );
    }
    Ok(())
}

fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(root);
    command
}

/// Reads `git status --porcelain=v1 -z`: entries `XY path`, each ending
/// in a NUL byte, paths as they are (no quotes, no escapes). A rename or
/// copy is followed by one more entry, the path it came from.
fn parse_porcelain(text: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut entries = text.split('\0');
    while let Some(entry) = entries.next() {
        let (Some(status), Some(path)) = (entry.get(..2), entry.get(3..)) else {
            continue;
        };
        if status.contains(['R', 'C']) {
            entries.next();
        }
        changes.push(Change {
            status: status.to_owned(),
            path: path.to_owned(),
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_lines_become_changes() {
        let changes = parse_porcelain(
            " M lessons/01-raw-routing/src/lib.rs\0?? lessons/01-raw-routing/src/my \"extra\".rs\0 \
             D lessons/01-raw-routing/hints.md\0R  lessons/01-raw-routing/src/new.rs\0\
             lessons/01-raw-routing/src/old.rs\0",
        );
        let described: Vec<(&str, &str)> = changes
            .iter()
            .map(|c| (c.describe(), c.path.as_str()))
            .collect();
        assert_eq!(
            described,
            [
                ("modified", "lessons/01-raw-routing/src/lib.rs"),
                ("new file", "lessons/01-raw-routing/src/my \"extra\".rs"),
                ("deleted", "lessons/01-raw-routing/hints.md"),
                ("renamed", "lessons/01-raw-routing/src/new.rs"),
            ]
        );
    }

    #[test]
    fn a_folder_outside_git_is_not_a_checkout() {
        let dir = crate::testing::TempDir::new("not-git");
        // The temporary folder may sit inside some repository; only check
        // what git itself says about it.
        let inside = Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["rev-parse", "--is-inside-work-tree"])
            .output()
            .is_ok_and(|output| output.status.success());
        assert_eq!(is_checkout(dir.path()), inside);
    }
}
