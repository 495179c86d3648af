//! The live classroom board: who is stuck where, without walking every row.
//!
//! The teacher runs `cargo course classroom serve`; it prints the board's
//! address, a join code for the learners and a teacher link with a secret
//! key. A learner runs `cargo course classroom join URL CODE --name NAME`
//! once; from then on each `verify` (and each run of `watch`) sends the
//! board a [`Report`]: the lesson, the counts of passing and failing tests,
//! the first failing test and the TODO it points to, and the time. Nothing
//! else leaves the learner's machine. `cargo course classroom leave` stops it.
//!
//! - [`store`]: the board's memory, saved to a file after every change.
//! - [`server`]: the routes (join, post a report, the page, its JSON, its
//!   live updates).
//! - [`client`]: the learner's side, which never slows or breaks `verify`.
//! - [`view`]: the board as the page and its JSON show it.
//! - [`membership`]: the learner's token, kept in the course's state folder.

pub mod client;
pub mod membership;
pub mod server;
pub mod store;
pub mod view;

use serde::{Deserialize, Serialize};

/// What a learner's runner sends after each test run, and nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The lesson's slug, such as `01-raw-routing`.
    pub lesson: String,
    /// Tests that passed, and tests that failed (both 0: nothing compiled).
    pub passed: u32,
    pub failed: u32,
    /// The first failing test, in the order of the TODOs.
    #[serde(default)]
    pub failing_test: Option<String>,
    /// The TODO the learner is on, such as `3a`.
    #[serde(default)]
    pub todo: Option<String>,
    /// When the tests ran, in seconds since 1970 (the learner's clock).
    pub at: u64,
}

/// Seconds since 1970 on this machine's clock.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// `bytes` random bytes from the operating system, as hex digits.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system gives random bytes");
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests;
