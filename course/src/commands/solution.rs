//! `cargo course solution NN`: how the exercise differs from the reference
//! solution, as a diff (`-` lines are yours, `+` lines the solution's).
//!
//! The code is compared, not the comments: the exercise's comments guide
//! (its `//!` header lists the TODOs), the solution's explain, and neither
//! makes the two programs differ. So both sides are [`normalise`]d first:
//! comments left out, the exercise's crate name read as the solution's.
//! A finished exercise can then be told that it matches.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use similar::TextDiff;

use crate::commands::Session;
use crate::files::relative_files;
use crate::prompt;
use crate::style::{BAD, CODE, DIM, GOOD, STRONG, WARN, command, paint};

pub fn run(session: &Session, lesson: &str, yes: bool) -> Result<ExitCode> {
    let lesson = session.lesson(lesson)?;
    anstream::println!(
        "{} this shows the reference solution of {}.",
        paint(WARN, "Spoiler ahead:"),
        lesson.title()
    );
    anstream::println!(
        "Working it out yourself is how it sticks: {} gives a hint first.",
        command(format!("cargo course hint {}", lesson.number))
    );
    if !yes && prompt::interactive() && !prompt::confirm("Show the solution?") {
        return Ok(ExitCode::SUCCESS);
    }

    let root = &session.course.root;
    let names = CrateNames {
        exercise: lesson.exercise_package.clone(),
        solution: lesson.solution_package.clone(),
    };
    let mut differing = 0;
    for folder in COMPARED_FOLDERS {
        let yours = lesson.exercise_dir().join(folder);
        let theirs = lesson.solution_dir().join(folder);
        let mut files = relative_files(&root.join(&yours));
        files.extend(relative_files(&root.join(&theirs)));
        files.sort();
        files.dedup();
        for file in &files {
            let old = names.as_solutions(&normalise(file, &read(&root.join(&yours).join(file))));
            let new = normalise(file, &read(&root.join(&theirs).join(file)));
            if old == new {
                continue;
            }
            differing += 1;
            let diff = TextDiff::from_lines(&old, &new);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (yours)", yours.join(file).display()),
                    &format!("{} (solution)", theirs.join(file).display()),
                )
                .to_string();
            anstream::println!();
            print_coloured(&text);
        }
    }

    anstream::println!();
    if differing == 0 {
        anstream::println!(
            "{}",
            paint(
                GOOD,
                "Your exercise matches the solution (comments aside): well done."
            )
        );
    } else {
        anstream::println!(
            "{differing} file(s) differ: lines with {} are yours, lines with {} the solution's \
             (comments left out; the solution's crate name stands for yours).",
            paint(BAD, "-"),
            paint(GOOD, "+")
        );
    }
    anstream::println!(
        "{}",
        paint(
            DIM,
            format!(
                "The whole solution is in {}/; run it with `cargo course run {} --solution`.",
                lesson.solution_dir().display(),
                lesson.number
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// The folders of a lesson that hold its program: Rust code, templates,
/// static files.
const COMPARED_FOLDERS: [&str; 3] = ["src", "templates", "public"];

/// The package names of a lesson's two crates.
struct CrateNames {
    exercise: String,
    solution: String,
}

impl CrateNames {
    /// `text` with the exercise's names (`lesson-05-templates`, and
    /// `lesson_05_templates` as code says it) read as the solution's.
    fn as_solutions(&self, text: &str) -> String {
        let crate_name = |package: &str| package.replace('-', "_");
        text.replace(&self.exercise, &self.solution)
            .replace(&crate_name(&self.exercise), &crate_name(&self.solution))
    }
}

/// `text` without its comments: in Rust, every line that is a comment
/// (`//`, `///`, `//!`); in templates, `{# … #}`, across lines too. Runs of
/// blank lines left behind become one, and the text ends in one newline.
fn normalise(file: &Path, text: &str) -> String {
    let is_rust = file.extension().is_some_and(|ext| ext == "rs");
    let uncommented = if is_rust {
        text.lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        without_template_comments(text)
    };
    let mut kept: Vec<&str> = Vec::new();
    for line in uncommented.lines().map(str::trim_end) {
        let blank_again = line.is_empty() && kept.last().is_none_or(|last| last.is_empty());
        if !blank_again {
            kept.push(line);
        }
    }
    while kept.last().is_some_and(|last| last.is_empty()) {
        kept.pop();
    }
    kept.iter().map(|line| format!("{line}\n")).collect()
}

/// `text` without minijinja's `{# … #}` comments (an unclosed one runs
/// to the end). A line that only held a comment is dropped.
fn without_template_comments(text: &str) -> String {
    let mut rest = text;
    let mut out = String::new();
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("#}")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    // A comment's line is left as indentation only; a blank line stays.
    out.lines()
        .filter(|line| line.is_empty() || !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file's text; a file that exists on one side only is empty on the other.
fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn print_coloured(diff: &str) {
    for line in diff.lines() {
        let style = if line.starts_with("---") || line.starts_with("+++") {
            STRONG
        } else if line.starts_with("@@") {
            CODE
        } else if line.starts_with('-') {
            BAD
        } else if line.starts_with('+') {
            GOOD
        } else {
            anstyle::Style::new()
        };
        anstream::println!("{}", paint(style, line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_headers_do_not_count_in_rust() {
        let exercise = "//! Lesson 05. EXERCISE: do the TODOs.\n//!\n\nuse lesson_05_templates::app;\n\n\
                        /// Starts the server.\nfn main() {\n    // TODO 1: done now.\n    app();  \n}\n\n";
        let solution = "//! Lesson 05.\n\nuse solution_05_templates::app;\n\n/// Runs it.\nfn main() {\n    app();\n}\n";
        let names = CrateNames {
            exercise: "lesson-05-templates".to_owned(),
            solution: "solution-05-templates".to_owned(),
        };
        let file = Path::new("main.rs");
        assert_eq!(
            names.as_solutions(&normalise(file, exercise)),
            normalise(file, solution)
        );
        assert_eq!(
            normalise(file, solution),
            "use solution_05_templates::app;\n\nfn main() {\n    app();\n}\n"
        );
        let changed = solution.replace("app();", "app(); // and more\n    more();");
        assert_ne!(
            normalise(file, &changed),
            normalise(file, solution),
            "code counts"
        );
    }

    #[test]
    fn template_comments_do_not_count_across_lines_either() {
        let exercise = "<ul>\n  {# TODO 5: one <li> per message.\n     Read the notes. #}\n</ul>\n";
        let solution = "<ul>\n</ul>\n";
        let file = Path::new("messages.html");
        assert_eq!(normalise(file, exercise), normalise(file, solution));
        let filled =
            "<ul>\n  {# a loop #}{% for m in messages %}<li>{{ m }}</li>{% endfor %}\n</ul>\n";
        assert_eq!(
            normalise(file, filled),
            "<ul>\n  {% for m in messages %}<li>{{ m }}</li>{% endfor %}\n</ul>\n"
        );
        assert_eq!(normalise(file, "a {# never closed\nb\n"), "a\n");
    }
}
