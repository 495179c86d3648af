//! `cargo course solution NN`: how the exercise differs from the reference
//! solution, as a diff (`-` lines are yours, `+` lines the solution's).

use std::path::Path;
use std::process::ExitCode;

use similar::TextDiff;

use crate::commands::Session;
use crate::error::Result;
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

    let yours = lesson.exercise_dir().join("src");
    let theirs = lesson.solution_dir().join("src");
    let root = &session.course.root;
    let mut files = relative_files(&root.join(&yours));
    files.extend(relative_files(&root.join(&theirs)));
    files.sort();
    files.dedup();

    let mut differing = 0;
    for file in &files {
        let old = read(&root.join(&yours).join(file));
        let new = read(&root.join(&theirs).join(file));
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

    anstream::println!();
    if differing == 0 {
        anstream::println!(
            "{}",
            paint(GOOD, "Your exercise matches the solution exactly.")
        );
    } else {
        anstream::println!(
            "{differing} file(s) differ: lines with {} are yours, lines with {} the solution's.",
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
