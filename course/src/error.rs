//! What can go wrong, how it is told, and the exit status each case gives
//! a script.
//!
//! The rule the runner follows:
//!
//! - A command and the steps it takes return [`anyhow::Result`]. Each step
//!   that can fail says what it was doing, in the learner's words, and keeps
//!   the error it got as its cause, rather than pasting the cause's text
//!   into a new string: `.with_context(|| format!("cannot read {}",
//!   path.display()))?`. Small helpers may return their own error
//!   (`io::Result`); the caller adds the context. An error with no cause to
//!   keep (a check that found a problem) is made with `bail!("…")` or
//!   `anyhow!("…")`.
//! - A typed error exists only where a caller decides something by it:
//!   [`UsageError`], "the command itself was wrong", which `main` turns into
//!   exit status 2. Everything else is a plain failure, exit status 1.
//! - An error is printed once, by `main`, with `{:#}`: the context and each
//!   cause after it on one line, `error: cannot start cargo: No such file or
//!   directory (os error 2)`. Nothing on the way up prints it. (`cargo
//!   course watch` is the one exception: it reports a run that could not
//!   start the same way, and keeps watching.)

use std::fmt;
use std::process::ExitCode;

// Everything went well (the tests pass, every check is ok): exit status 0.

/// The work is not there yet: tests fail, a check found a problem, or
/// something needed could not be done.
pub const FAILURE: u8 = 1;
/// The command itself was wrong: unknown lesson, run outside the course.
pub const USAGE: u8 = 2;

/// The command itself was wrong (exit status 2); its message says how to
/// write it instead. Raise it with `bail!(UsageError::new(…))`.
#[derive(Debug)]
pub struct UsageError {
    message: String,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
        }
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UsageError {}

/// Whether `error` says the command was wrong: a [`UsageError`] anywhere
/// in its chain (context added on the way up does not hide it).
pub fn is_usage(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.is::<UsageError>())
}

/// The exit status for `error`: 2 when the command was wrong, else 1.
pub fn exit_code(error: &anyhow::Error) -> ExitCode {
    ExitCode::from(if is_usage(error) { USAGE } else { FAILURE })
}

#[cfg(test)]
mod tests {
    use anyhow::{Context, anyhow, bail};

    use super::*;

    #[test]
    fn a_usage_error_is_found_under_any_context() {
        let wrong = || -> anyhow::Result<()> { bail!(UsageError::new("there is no lesson 42")) };
        let error = wrong().context("cannot verify").unwrap_err();
        assert!(is_usage(&error));
        assert_eq!(exit_code(&error), ExitCode::from(USAGE));
        assert_eq!(format!("{error:#}"), "cannot verify: there is no lesson 42");
    }

    #[test]
    fn any_other_error_is_a_failure_with_its_cause_chained() {
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = anyhow!(missing).context("cannot start cargo");
        assert!(!is_usage(&error));
        assert_eq!(exit_code(&error), ExitCode::from(FAILURE));
        assert_eq!(format!("{error:#}"), "cannot start cargo: no such file");
        assert_eq!(
            error.to_string(),
            "cannot start cargo",
            "Display alone shows no cause"
        );
    }
}
