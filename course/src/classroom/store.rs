//! The board's memory: its join code and teacher key, the learners who
//! joined, and the last report of each learner for each lesson.
//!
//! It lives in a JSON file, rewritten in one step after every change (a
//! temporary file moved over the old one), so a board stopped at any moment
//! comes back with its learners, their tokens and the same code and key.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Report, random_hex};

/// The longest learner name, in characters.
pub const MAX_NAME: usize = 40;
/// The longest test name or lesson slug kept, in characters.
pub const MAX_TEST_NAME: usize = 200;
/// How many learners one board takes.
pub const MAX_LEARNERS: usize = 300;

/// Everything the board remembers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// What learners type to join.
    pub code: String,
    /// The teacher's secret: the page and its JSON need it.
    pub key: String,
    pub learners: Vec<Learner>,
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    pub name: String,
    /// The secret the learner's runner sends with each report.
    pub token: String,
    /// The last report per lesson slug.
    pub lessons: BTreeMap<String, Cell>,
}

/// The last report of one learner for one lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub report: Report,
    /// When the board received it (the board's clock).
    pub received: u64,
    /// Since when the same test (or the same compile failure) has been
    /// failing, on the board's clock; `None` once the lesson passes.
    pub failing_since: Option<u64>,
}

/// Where a learner stands in a lesson, as the board shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    NotStarted,
    Failing,
    Passed,
    /// The same test has been failing for longer than the board allows.
    Stuck,
}

/// Why a join was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum JoinError {
    WrongCode,
    BadName(String),
    NameTaken,
    Full,
}

impl Board {
    /// A new board with a fresh code and key.
    pub fn new() -> Board {
        Board {
            code: join_code(),
            key: random_hex(16),
            learners: Vec::new(),
        }
    }

    /// Adds a learner named `name` (trimmed), when `code` is the board's.
    pub fn add_learner(&mut self, code: &str, name: &str) -> Result<&Learner, JoinError> {
        if code.trim() != self.code {
            return Err(JoinError::WrongCode);
        }
        let name = valid_name(name).map_err(JoinError::BadName)?;
        if self
            .learners
            .iter()
            .any(|l| l.name.eq_ignore_ascii_case(&name))
        {
            return Err(JoinError::NameTaken);
        }
        if self.learners.len() >= MAX_LEARNERS {
            return Err(JoinError::Full);
        }
        self.learners.push(Learner {
            name,
            token: random_hex(16),
            lessons: BTreeMap::new(),
        });
        Ok(self.learners.last().expect("just added"))
    }

    /// The learner whose token this is.
    pub fn learner_mut(&mut self, token: &str) -> Option<&mut Learner> {
        self.learners.iter_mut().find(|l| l.token == token)
    }

    /// Takes the row of the learner whose token this is off the board, so
    /// that the name is free again; `false` when no learner has it.
    pub fn remove_learner(&mut self, token: &str) -> bool {
        let before = self.learners.len();
        self.learners.retain(|l| l.token != token);
        self.learners.len() < before
    }
}

impl Default for Board {
    fn default() -> Self {
        Board::new()
    }
}

impl Learner {
    /// Records `report`, received at `now`: the time a failure started is
    /// kept while the same test keeps failing.
    pub fn record(&mut self, report: Report, now: u64) {
        let failing = !passed(&report);
        let failing_since = match self.lessons.get(&report.lesson) {
            _ if !failing => None,
            Some(Cell {
                report: last,
                failing_since: Some(since),
                ..
            }) if last.failing_test == report.failing_test => Some(*since),
            _ => Some(now),
        };
        self.lessons.insert(
            report.lesson.clone(),
            Cell {
                report,
                received: now,
                failing_since,
            },
        );
    }
}

impl Cell {
    /// The state at `now`, "stuck" after `stuck_after` seconds on one failure.
    pub fn state(&self, now: u64, stuck_after: u64) -> State {
        match self.failing_since {
            None => State::Passed,
            Some(since) if now.saturating_sub(since) >= stuck_after => State::Stuck,
            Some(_) => State::Failing,
        }
    }
}

/// A lesson is passed when tests ran and none failed.
fn passed(report: &Report) -> bool {
    report.failed == 0 && report.passed > 0
}

/// The name trimmed, or why it cannot be used.
pub fn valid_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("the name is longer than {MAX_NAME} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("the name has control characters".into());
    }
    Ok(name.to_owned())
}

/// Six letters and digits that cannot be mistaken for one another.
fn join_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes
        .iter()
        .map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char)
        .collect()
}

/// The file a board is kept in.
#[derive(Debug, Clone)]
pub struct BoardFile {
    pub path: PathBuf,
}

impl BoardFile {
    /// The board saved at `path`, or a new one when there is no file yet.
    pub fn load(&self) -> io::Result<Board> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|err| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{} is not a board ({err})", self.path.display()),
                )
            }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Board::new()),
            Err(err) => Err(err),
        }
    }

    /// Writes the board, replacing the old file in one step.
    pub fn save(&self, board: &Board) -> io::Result<()> {
        let folder = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder)?;
        let mut temporary = tempfile::Builder::new()
            .prefix(".board-")
            .suffix(".tmp")
            .tempfile_in(folder)?;
        serde_json::to_writer_pretty(&mut temporary, board).map_err(io::Error::other)?;
        temporary.write_all(b"\n")?;
        temporary.persist(&self.path).map_err(|err| err.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    /// Joins `board`, returning the learner's token.
    fn join(board: &mut Board, code: &str, name: &str) -> Result<String, JoinError> {
        board
            .add_learner(code, name)
            .map(|learner| learner.token.clone())
    }

    fn report(lesson: &str, passed: u32, failed: u32, test: Option<&str>) -> Report {
        Report {
            lesson: lesson.into(),
            passed,
            failed,
            failing_test: test.map(Into::into),
            todo: None,
            at: 0,
        }
    }

    #[test]
    fn joining_needs_the_code_and_a_fresh_name() {
        let mut board = Board::new();
        let code = board.code.clone();
        assert_eq!(join(&mut board, "WRONG1", "Ada"), Err(JoinError::WrongCode));
        assert!(matches!(
            join(&mut board, &code, "  "),
            Err(JoinError::BadName(_))
        ));
        assert!(matches!(
            join(&mut board, &code, &"x".repeat(MAX_NAME + 1)),
            Err(JoinError::BadName(_))
        ));
        assert!(matches!(
            join(&mut board, &code, "A\u{7}da"),
            Err(JoinError::BadName(_))
        ));
        let token = join(&mut board, &code, " Ada ").unwrap();
        assert_eq!(board.learners[0].name, "Ada");
        assert_eq!(join(&mut board, &code, "ada"), Err(JoinError::NameTaken));
        assert_ne!(
            join(&mut board, &code, "Bob").unwrap(),
            token,
            "tokens differ"
        );
    }

    #[test]
    fn the_same_failure_for_long_enough_is_stuck() {
        let mut board = Board::new();
        let code = board.code.clone();
        let token = join(&mut board, &code, "Ada").unwrap();
        let ada = board.learner_mut(&token).unwrap();
        let minute = 60;

        ada.record(report("01-x", 1, 2, Some("adds")), 1000);
        ada.record(report("01-x", 1, 2, Some("adds")), 1000 + 5 * minute);
        let cell = ada.lessons["01-x"].clone();
        assert_eq!(cell.state(1000 + 9 * minute, 10 * minute), State::Failing);
        assert_eq!(cell.state(1000 + 10 * minute, 10 * minute), State::Stuck);

        // Another failing test starts the clock again.
        ada.record(report("01-x", 2, 1, Some("multiplies")), 1000 + 11 * minute);
        let cell = ada.lessons["01-x"].clone();
        assert_eq!(cell.state(1000 + 12 * minute, 10 * minute), State::Failing);

        ada.record(report("01-x", 3, 0, None), 1000 + 13 * minute);
        let cell = ada.lessons["01-x"].clone();
        assert_eq!(cell.state(u64::MAX, 10 * minute), State::Passed);
        assert_eq!(cell.failing_since, None);
    }

    #[test]
    fn nothing_that_compiled_is_not_a_pass() {
        let mut board = Board::new();
        let code = board.code.clone();
        let token = join(&mut board, &code, "Ada").unwrap();
        let ada = board.learner_mut(&token).unwrap();
        ada.record(report("01-x", 0, 0, None), 10);
        assert_eq!(ada.lessons["01-x"].state(11, 600), State::Failing);
    }

    #[test]
    fn a_board_survives_a_save_and_a_load() {
        let dir = TempDir::new("board-roundtrip");
        let file = BoardFile {
            path: dir.path().join(".course/board.json"),
        };
        let mut board = file.load().unwrap();
        let code = board.code.clone();
        let token = join(&mut board, &code, "Ada").unwrap();
        board
            .learner_mut(&token)
            .unwrap()
            .record(report("01-x", 1, 1, Some("adds")), 5);
        file.save(&board).unwrap();
        assert_eq!(file.load().unwrap(), board);
        let names: Vec<_> = std::fs::read_dir(dir.path().join(".course"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["board.json"], "no temporary file left behind");
    }

    #[test]
    fn a_damaged_board_file_is_an_error_not_a_new_board() {
        let dir = TempDir::new("board-damaged");
        dir.write("board.json", "{ not json");
        let file = BoardFile {
            path: dir.path().join("board.json"),
        };
        let error = file.load().unwrap_err();
        assert!(error.to_string().contains("is not a board"), "{error}");
    }

    #[test]
    fn join_codes_use_only_unambiguous_characters() {
        for _ in 0..50 {
            let code = join_code();
            assert_eq!(code.len(), 6);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }
}
