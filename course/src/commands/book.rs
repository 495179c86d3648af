//! `cargo course book`: the notes as a book, with a table of contents, search
//! and the hidden set-up lines of the code blocks hidden.
//!
//! The notes are an mdBook (`notes/book.toml`, `notes/SUMMARY.md`). This
//! command runs `mdbook build notes` and prints the page to open. It installs
//! nothing: when mdBook is missing, it says how to install it.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, anyhow, bail};

use crate::commands::Session;
use crate::style::{GOOD, command, paint};

/// The program that builds the book.
const MDBOOK: &str = "mdbook";
/// The book's folder, from the course root.
const NOTES: &str = "notes";
/// Where `notes/book.toml` puts the built book (its `build-dir`), from the course root.
const BUILT: &str = "target/book";

pub fn run(session: &Session) -> Result<ExitCode> {
    let index = build(&session.course.root, MDBOOK)?;
    anstream::println!("{} {}", paint(GOOD, "The book is ready:"), index.display());
    anstream::println!(
        "Open it in a browser, or run {} to read it with live reload.",
        command("mdbook serve notes --open")
    );
    Ok(ExitCode::SUCCESS)
}

/// Builds the book in `root` with `program` and returns its index page.
fn build(root: &Path, program: &str) -> Result<PathBuf> {
    let status = match Command::new(program)
        .arg("build")
        .arg(NOTES)
        .current_dir(root)
        .status()
    {
        Err(err) if err.kind() == ErrorKind::NotFound => return Err(missing(program)),
        started => started.with_context(|| format!("could not run `{program}`"))?,
    };
    if !status.success() {
        bail!("`{program} build {NOTES}` failed (its messages are above)");
    }
    Ok(root.join(BUILT).join("index.html"))
}

/// What to do when mdBook is not installed.
fn missing(program: &str) -> anyhow::Error {
    anyhow!(
        "the book needs mdBook, and `{program}` is not installed.\n  \
         Install it once with `cargo install mdbook --locked` (a few minutes), \
         then run `cargo course book` again.\n  \
         Without it, read the notes as they are: notes/SUMMARY.md lists them in order."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_mdbook_says_how_to_install_it() {
        let root = std::env::temp_dir();
        let error = build(&root, "mdbook-that-does-not-exist").unwrap_err();
        assert!(
            !crate::error::is_usage(&error),
            "expected a failure, got {error:?}"
        );
        let message = format!("{error:#}");
        assert!(
            message.contains("`mdbook-that-does-not-exist` is not installed"),
            "{message}"
        );
        assert!(
            message.contains("cargo install mdbook --locked"),
            "{message}"
        );
    }
}
