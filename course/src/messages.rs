//! Cargo's JSON messages (`--message-format=json`), typed: the compiler's
//! diagnostics, the test programs it built, and whether the build worked.
//!
//! With a JSON message format, cargo prints one JSON object a line on
//! standard output while it builds, ending with `build-finished`. Under
//! `cargo test` the test programs then print their usual text after it;
//! the runner builds with `cargo test --no-run` and runs the programs
//! itself, but anything after `build-finished` is kept as text either way.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One line of cargo's JSON output (the kinds the runner reads), named
/// by its `reason` as cargo names it.
#[derive(Debug, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum Message {
    #[serde(rename = "compiler-message")]
    Compiler {
        manifest_path: String,
        message: Diagnostic,
    },
    CompilerArtifact {
        manifest_path: String,
        profile: Profile,
        /// The program built, for binaries and test targets.
        executable: Option<PathBuf>,
        #[serde(default)]
        target: Target,
        /// Already built, and found up to date: nothing was compiled.
        #[serde(default)]
        fresh: bool,
    },
    BuildFinished {
        success: bool,
    },
    #[serde(other)]
    Other,
}

/// What an artifact was built from; only its name matters here.
#[derive(Debug, Default, Deserialize)]
struct Target {
    /// The crate's name, such as `tokio` or `lesson_07_cookies`.
    name: String,
}

/// The crate that one line of cargo's JSON output says was just compiled
/// (not found up to date): what a progress line shows while cargo builds.
pub fn compiled_crate(line: &str) -> Option<String> {
    if !line.starts_with('{') {
        return None;
    }
    match serde_json::from_str::<Message>(line).ok()? {
        Message::CompilerArtifact {
            target,
            fresh: false,
            ..
        } => Some(target.name),
        _ => None,
    }
}

/// How an artifact was compiled; only `test` matters here.
#[derive(Debug, Deserialize)]
struct Profile {
    /// Built as a test program (`cargo test`'s harness).
    test: bool,
}

/// A compiler error or warning.
#[derive(Debug, Clone, Deserialize)]
pub struct Diagnostic {
    /// `error`, `warning`, `note`, …
    pub level: String,
    /// The text rustc would print, with colour codes when asked for.
    pub rendered: Option<String>,
    #[serde(default)]
    pub spans: Vec<Span>,
}

/// A place in the source that a diagnostic points at.
#[derive(Debug, Clone, Deserialize)]
pub struct Span {
    /// Relative to the workspace root for the workspace's own crates.
    pub file_name: String,
    pub is_primary: bool,
}

/// What `cargo test --message-format=json…` printed on standard output.
#[derive(Debug, Default)]
pub struct BuildOutput {
    /// Each compiler message, with the manifest of the crate it is about.
    pub diagnostics: Vec<(String, Diagnostic)>,
    /// Each test program built, with the manifest of its crate.
    pub test_programs: Vec<(String, PathBuf)>,
    /// Whether the build finished, and how (`None`: cargo stopped before
    /// it built anything, on a broken manifest for instance).
    pub build_success: Option<bool>,
    /// Everything else: the test programs' output.
    pub test_output: String,
}

impl BuildOutput {
    /// Splits cargo's standard output into its JSON messages and the rest.
    pub fn read(stdout: &str) -> BuildOutput {
        let mut output = BuildOutput::default();
        for line in stdout.lines() {
            let message = if output.build_success.is_none() && line.starts_with('{') {
                serde_json::from_str::<Message>(line).ok()
            } else {
                None
            };
            match message {
                Some(Message::Compiler {
                    manifest_path,
                    message,
                }) => output.diagnostics.push((manifest_path, message)),
                Some(Message::CompilerArtifact {
                    manifest_path,
                    profile,
                    executable: Some(executable),
                    ..
                }) if profile.test => output.test_programs.push((manifest_path, executable)),
                Some(Message::CompilerArtifact { .. }) => {}
                Some(Message::BuildFinished { success }) => output.build_success = Some(success),
                Some(Message::Other) => {}
                None => {
                    output.test_output.push_str(line);
                    output.test_output.push('\n');
                }
            }
        }
        output
    }

    /// Whether the build finished and worked.
    pub fn built(&self) -> bool {
        self.build_success == Some(true)
    }

    /// The test programs built for the crate in `crate_dir` (relative to
    /// the workspace root), in the order cargo built them.
    pub fn test_programs_of(&self, crate_dir: &Path) -> Vec<&Path> {
        let manifest = crate_dir.join("Cargo.toml");
        self.test_programs
            .iter()
            .filter(|(manifest_path, _)| Path::new(manifest_path).ends_with(&manifest))
            .map(|(_, program)| program.as_path())
            .collect()
    }

    /// Whether the compiler warned about the crate in `crate_dir` at all
    /// (its tests included; warnings in other crates do not count).
    pub fn has_warnings_about(&self, crate_dir: &Path) -> bool {
        let manifest = crate_dir.join("Cargo.toml");
        self.diagnostics.iter().any(|(manifest_path, diagnostic)| {
            diagnostic.level == "warning" && Path::new(manifest_path).ends_with(&manifest)
        })
    }

    /// Every diagnostic as rustc prints it, in order, without repeats.
    pub fn rendered(&self) -> Vec<&str> {
        let mut shown: Vec<&str> = Vec::new();
        for (_, diagnostic) in &self.diagnostics {
            if let Some(text) = diagnostic.rendered.as_deref()
                && !shown.contains(&text)
            {
                shown.push(text);
            }
        }
        shown
    }

    /// The warnings about the crate in `crate_dir` (relative to the
    /// workspace root) whose primary span is in that crate's own files:
    /// an unused import, an unreachable arm. Summaries ("2 warnings
    /// emitted") have no span and are left out.
    pub fn warnings_in(&self, crate_dir: &Path) -> Vec<&str> {
        let manifest = crate_dir.join("Cargo.toml");
        let mut shown: Vec<&str> = Vec::new();
        for (manifest_path, diagnostic) in &self.diagnostics {
            let in_crate = diagnostic.level == "warning"
                && Path::new(manifest_path).ends_with(&manifest)
                && diagnostic
                    .spans
                    .iter()
                    .filter(|span| span.is_primary)
                    .any(|span| is_inside(&span.file_name, crate_dir));
            if in_crate
                && let Some(text) = diagnostic.rendered.as_deref()
                && !shown.contains(&text)
            {
                shown.push(text);
            }
        }
        shown
    }
}

/// Whether `file` (relative to the workspace root, or absolute) is in `dir`.
fn is_inside(file: &str, dir: &Path) -> bool {
    let file = Path::new(file);
    file.starts_with(dir)
        || (file.is_absolute()
            && file
                .to_string_lossy()
                .contains(&format!("/{}/", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(manifest: &str, file: &str, text: &str) -> String {
        serde_json::json!({
            "reason": "compiler-message",
            "package_id": "path+file:///course/lessons/03-x#0.1.0",
            "manifest_path": manifest,
            "target": {"name": "x"},
            "message": {
                "level": "warning",
                "message": text,
                "rendered": format!("warning: {text}\n --> {file}:3:5\n"),
                "spans": [
                    {"file_name": "elsewhere.rs", "line_start": 1, "is_primary": false},
                    {"file_name": file, "line_start": 3, "is_primary": true}
                ],
                "children": [],
                "code": null
            }
        })
        .to_string()
    }

    #[test]
    fn messages_and_test_output_are_told_apart() {
        let stdout = [
            artifact("/c/Cargo.toml", false, None),
            warning(
                "/course/lessons/03-x/Cargo.toml",
                "lessons/03-x/src/lib.rs",
                "unused import: `Json`",
            ),
            r#"{"reason":"build-finished","success":true}"#.to_owned(),
            String::new(),
            "running 1 test".to_owned(),
            r#"{"reason":"build-finished","success":false}"#.to_owned(),
            "test result: ok. 1 passed; 0 failed".to_owned(),
        ]
        .join("\n");
        let output = BuildOutput::read(&stdout);
        assert_eq!(output.build_success, Some(true));
        assert_eq!(output.diagnostics.len(), 1);
        assert_eq!(
            output.test_output,
            "\nrunning 1 test\n{\"reason\":\"build-finished\",\"success\":false}\n\
             test result: ok. 1 passed; 0 failed\n",
            "after the build, every line is the tests' output"
        );
    }

    fn artifact(manifest: &str, test: bool, executable: Option<&str>) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": "path+file:///course/lessons/03-x#0.1.0",
            "manifest_path": manifest,
            "target": {"name": "x", "kind": ["test"]},
            "profile": {"opt_level": "0", "debuginfo": 0, "test": test},
            "filenames": [],
            "executable": executable,
            "fresh": true
        })
        .to_string()
    }

    #[test]
    fn test_programs_are_found_by_their_crate() {
        let lesson = "/course/lessons/03-x/Cargo.toml";
        let stdout = [
            artifact(lesson, false, None),
            artifact(lesson, false, Some("/course/target/debug/lesson-03-x")),
            artifact(lesson, true, Some("/course/target/debug/deps/cases-1a2b")),
            artifact(
                "/course/solutions/03-x/Cargo.toml",
                true,
                Some("/course/target/debug/deps/cases-3c4d"),
            ),
            r#"{"reason":"build-finished","success":true}"#.to_owned(),
        ]
        .join("\n");
        let output = BuildOutput::read(&stdout);
        assert!(output.built());
        assert_eq!(
            output.test_programs_of(Path::new("lessons/03-x")),
            [Path::new("/course/target/debug/deps/cases-1a2b")],
            "the lesson's binary is not a test program; the solution's is not the lesson's"
        );
        assert!(
            output
                .test_programs_of(Path::new("lessons/04-y"))
                .is_empty()
        );
    }

    #[test]
    fn a_build_that_failed_or_never_finished_is_not_built() {
        let failed = BuildOutput::read(r#"{"reason":"build-finished","success":false}"#);
        assert_eq!(failed.build_success, Some(false));
        assert!(!failed.built());
        let stopped = BuildOutput::read("");
        assert_eq!(stopped.build_success, None);
        assert!(!stopped.built());
    }

    #[test]
    fn any_warning_about_the_crate_counts_for_the_check() {
        let lesson = "/course/lessons/03-x/Cargo.toml";
        let in_tests = BuildOutput::read(&warning(lesson, "tests/03-x.rs", "unused variable"));
        assert!(in_tests.has_warnings_about(Path::new("lessons/03-x")));
        let elsewhere = BuildOutput::read(&warning(
            "/course/tests/support/Cargo.toml",
            "tests/support/src/lib.rs",
            "dead code",
        ));
        assert!(!elsewhere.has_warnings_about(Path::new("lessons/03-x")));
        assert!(!BuildOutput::read("not json\n").has_warnings_about(Path::new("lessons/03-x")));
    }

    #[test]
    fn only_warnings_in_the_lessons_own_files_are_its_warnings() {
        let lesson = "/course/lessons/03-x/Cargo.toml";
        let stdout = [
            warning(lesson, "lessons/03-x/src/lib.rs", "unused import: `Json`"),
            warning(lesson, "lessons/03-x/src/lib.rs", "unused import: `Json`"),
            warning(lesson, "/course/lessons/03-x/src/main.rs", "unreachable pattern"),
            warning(lesson, "tests/03-x.rs", "unused variable in the shared tests"),
            warning(
                "/course/tests/support/Cargo.toml",
                "tests/support/src/lib.rs",
                "dead code elsewhere",
            ),
            r#"{"reason":"compiler-message","manifest_path":"/course/lessons/03-x/Cargo.toml","message":{"level":"warning","rendered":"warning: 2 warnings emitted","spans":[]}}"#.to_owned(),
        ]
        .join("\n");
        let output = BuildOutput::read(&stdout);
        let warnings = output.warnings_in(Path::new("lessons/03-x"));
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert!(warnings[0].starts_with("warning: unused import: `Json`"));
        assert!(warnings[1].starts_with("warning: unreachable pattern"));
        assert_eq!(output.rendered().len(), 5, "every message, once");
    }
}
