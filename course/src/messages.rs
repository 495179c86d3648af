//! Cargo's JSON messages (`cargo test --message-format=json`): the
//! compiler's diagnostics, typed, apart from the tests' own output.
//!
//! With a JSON message format, cargo prints one JSON object a line on
//! standard output while it builds, ending with `build-finished`; the test
//! programs then print their usual text after it.

use std::path::Path;

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
    BuildFinished {
        success: bool,
    },
    #[serde(other)]
    Other,
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
    /// Whether the build finished, and how (`None`: no `build-finished`).
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
            r#"{"reason":"compiler-artifact","package_id":"x","manifest_path":"/c/Cargo.toml"}"#
                .to_owned(),
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
