//! Reading the few facts the runner needs from a `Cargo.toml`.

use std::path::Path;

use toml::{Table, Value};

/// A parsed `Cargo.toml`.
#[derive(Debug)]
pub struct Manifest {
    table: Table,
}

impl Manifest {
    /// Reads and parses the manifest at `path`; `None` when it is missing or
    /// not valid TOML (a lesson still being written).
    pub fn read(path: &Path) -> Option<Manifest> {
        std::fs::read_to_string(path).ok()?.parse().ok()
    }

    /// `[package] name`.
    pub fn package_name(&self) -> Option<&str> {
        self.get(&["package", "name"])?.as_str()
    }

    /// Whether `[dependencies]` names `crate_name`, in any of the ways a
    /// manifest can (`mongodb.workspace = true`, `mongodb = "3"`,
    /// `[dependencies.mongodb]`).
    pub fn depends_on(&self, crate_name: &str) -> bool {
        self.get(&["dependencies", crate_name]).is_some()
    }

    /// `[workspace.package] rust-version`, the oldest Rust the course builds with.
    pub fn workspace_rust_version(&self) -> Option<&str> {
        self.get(&["workspace", "package", "rust-version"])?
            .as_str()
    }

    fn get(&self, keys: &[&str]) -> Option<&Value> {
        let (first, rest) = keys.split_first()?;
        rest.iter()
            .try_fold(self.table.get(*first)?, |value, key| value.get(key))
    }
}

impl std::str::FromStr for Manifest {
    type Err = toml::de::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Manifest {
            table: text.parse()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        text.parse().expect("valid TOML")
    }

    #[test]
    fn the_package_name_is_read() {
        let m = manifest("[package]\nname = \"solution-06-mongo-models\"\nversion = \"0.1.0\"\n");
        assert_eq!(m.package_name(), Some("solution-06-mongo-models"));
        assert_eq!(manifest("[workspace]\n").package_name(), None);
    }

    #[test]
    fn a_dependency_is_found_whatever_its_spelling() {
        for text in [
            "[dependencies]\nmongodb.workspace = true\n",
            "[dependencies]\nmongodb = \"3.3\"\n",
            "[dependencies]\nmongodb = { workspace = true }\n",
            "[dependencies.mongodb]\nworkspace = true\n",
        ] {
            assert!(manifest(text).depends_on("mongodb"), "{text}");
        }
    }

    #[test]
    fn a_dev_dependency_or_a_lookalike_does_not_count() {
        for text in [
            "[dev-dependencies]\nmongodb.workspace = true\n",
            "[dependencies]\nmongodb-extra = \"1\"\n",
            "# mongodb\n[dependencies]\ntokio.workspace = true\n",
        ] {
            assert!(!manifest(text).depends_on("mongodb"), "{text}");
        }
    }

    #[test]
    fn the_workspace_rust_version_is_read() {
        let m = manifest("[workspace.package]\nedition = \"2024\"\nrust-version = \"1.88\"\n");
        assert_eq!(m.workspace_rust_version(), Some("1.88"));
    }
}
