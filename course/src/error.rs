//! What can go wrong, and the exit status each case gives a script.

use std::fmt;
use std::process::ExitCode;

// Everything went well (the tests pass, every check is ok): exit status 0.

/// The work is not there yet: tests fail, a check found a problem.
pub const FAILURE: u8 = 1;
/// The command itself was wrong: unknown lesson, run outside the course.
pub const USAGE: u8 = 2;

/// An error the learner can act on; its message says what to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Error {
    /// The command was wrong (exit status 2).
    Usage(String),
    /// Something needed could not be done (exit status 1).
    Failed(String),
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::from(USAGE),
            Error::Failed(_) => ExitCode::from(FAILURE),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(message) | Error::Failed(message) => f.write_str(message),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
