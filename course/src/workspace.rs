//! What cargo itself says about the course's workspace, from
//! `cargo metadata --no-deps`: its packages and its target folder.
//!
//! Asking cargo, rather than reading `Cargo.toml` files by hand, gives the
//! answer every other cargo command will act on: a package left out of
//! `members`, a `CARGO_TARGET_DIR` or a `build.target-dir` setting.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cargo;

/// The workspace as `cargo metadata --format-version 1 --no-deps` describes it.
#[derive(Debug, Deserialize)]
pub struct Workspace {
    /// Every package of the workspace.
    packages: Vec<Package>,
    /// Where cargo puts what it builds (`target/`, unless configured).
    pub target_directory: PathBuf,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: String,
}

impl Workspace {
    /// Asks cargo about the workspace at `root`. Fails with cargo's own
    /// message when it cannot read the manifests (a typo in a
    /// `Cargo.toml`, say).
    pub fn load(root: &Path) -> Result<Workspace> {
        let mut metadata = cargo::command(root);
        metadata.args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ]);
        let output = metadata.output().context("cannot start cargo")?;
        if !output.status.success() {
            bail!(
                "cargo cannot read the course's workspace:\n{}",
                String::from_utf8_lossy(&output.stderr).trim_end()
            );
        }
        Workspace::parse(&output.stdout)
    }

    fn parse(json: &[u8]) -> Result<Workspace> {
        serde_json::from_slice(json).context("cannot read the output of `cargo metadata`")
    }

    /// Whether the workspace has a package of that name.
    pub fn has_package(&self, name: &str) -> bool {
        self.packages.iter().any(|package| package.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_the_target_folder_are_read() {
        let json = serde_json::json!({
            "packages": [
                {"name": "course", "version": "0.1.0", "manifest_path": "/c/course/Cargo.toml"},
                {"name": "lesson-01-raw-routing", "version": "0.1.0"}
            ],
            "workspace_members": ["path+file:///c/course#0.1.0"],
            "target_directory": "/c/target",
            "version": 1,
            "workspace_root": "/c"
        });
        let workspace = Workspace::parse(json.to_string().as_bytes()).unwrap();
        assert!(workspace.has_package("lesson-01-raw-routing"));
        assert!(!workspace.has_package("lesson-01"));
        assert_eq!(workspace.target_directory, Path::new("/c/target"));
    }

    #[test]
    fn output_that_is_not_metadata_is_an_error() {
        assert!(Workspace::parse(b"warning: something").is_err());
    }

    #[test]
    fn this_workspace_has_the_runner_in_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let workspace = Workspace::load(root).unwrap();
        assert!(workspace.has_package("course"));
        assert!(workspace.target_directory.is_absolute());
    }
}
