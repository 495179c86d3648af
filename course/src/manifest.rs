//! Reading the few facts the runner needs from a `Cargo.toml`: package
//! names, the course's `rust-version`, and what each exercise says about
//! its lesson in `[package.metadata.course]`:
//!
//! ```toml
//! [package.metadata.course]
//! title = "JWT authentication"   # how sentences name the lesson
//! needs-mongodb = true           # its tests and server need a MongoDB
//! secrets = ["JWT_SECRET"]       # made up for `cargo course run` when unset
//! ```
//!
//! Cargo ignores `package.metadata`; it is there for tools such as this one.

use std::path::Path;

use serde::Deserialize;
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

    /// `[package.metadata.course]`: `Ok(None)` when the manifest has no such
    /// table, an error naming the mistake when it is not as documented
    /// above (an unknown key, a number for a title).
    pub fn lesson_facts(&self) -> Result<Option<LessonFacts>, String> {
        let Some(table) = self.get(&["package", "metadata", "course"]) else {
            return Ok(None);
        };
        table
            .clone()
            .try_into()
            .map(Some)
            .map_err(|err: toml::de::Error| format!("[package.metadata.course]: {}", err.message()))
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

/// What an exercise's manifest says about its lesson.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LessonFacts {
    /// How sentences name the lesson, such as `JWT authentication`.
    pub title: String,
    /// Its tests and its server need a MongoDB.
    #[serde(default)]
    pub needs_mongodb: bool,
    /// Environment variables its server refuses to start without, which
    /// `cargo course run` fills with throwaway random values when unset.
    #[serde(default)]
    pub secrets: Vec<String>,
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
    fn the_lesson_facts_are_read() {
        let m = manifest(
            "[package]\nname = \"lesson-09-jwt\"\n\n[package.metadata.course]\n\
             title = \"JWT authentication\"\nneeds-mongodb = true\nsecrets = [\"JWT_SECRET\"]\n",
        );
        assert_eq!(
            m.lesson_facts(),
            Ok(Some(LessonFacts {
                title: "JWT authentication".to_owned(),
                needs_mongodb: true,
                secrets: vec!["JWT_SECRET".to_owned()],
            }))
        );
        let plain = manifest("[package.metadata.course]\ntitle = \"raw routing\"\n");
        let facts = plain.lesson_facts().unwrap().unwrap();
        assert!(
            !facts.needs_mongodb && facts.secrets.is_empty(),
            "{facts:?}"
        );
    }

    #[test]
    fn no_table_is_none_and_a_mistake_is_named() {
        assert_eq!(
            manifest("[package]\nname = \"x\"\n").lesson_facts(),
            Ok(None)
        );
        let typo = manifest("[package.metadata.course]\ntitle = \"x\"\nneeds-mongo = true\n");
        let error = typo.lesson_facts().unwrap_err();
        assert!(error.contains("needs-mongo"), "{error}");
        let untitled = manifest("[package.metadata.course]\nneeds-mongodb = true\n");
        assert!(untitled.lesson_facts().unwrap_err().contains("title"));
        let wrong_type = manifest("[package.metadata.course]\ntitle = 3\n");
        assert!(wrong_type.lesson_facts().is_err());
    }

    #[test]
    fn the_workspace_rust_version_is_read() {
        let m = manifest("[workspace.package]\nedition = \"2024\"\nrust-version = \"1.88\"\n");
        assert_eq!(m.workspace_rust_version(), Some("1.88"));
    }
}
