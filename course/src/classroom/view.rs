//! The board as the teacher sees it: learners × lessons, a state per cell,
//! and per lesson how many are done and stuck. The page, its live updates
//! and `/api/board` all show this same view.

use serde::Serialize;

use super::store::{Board, State};
use crate::course::Lesson;

/// The whole board, as `/api/board` returns it and the page shows it.
#[derive(Debug, Serialize)]
pub struct BoardView {
    pub lessons: Vec<Column>,
    pub stuck_after_minutes: u64,
    pub learners: Vec<Row>,
}

/// A lesson, with how many learners are done with it and stuck in it.
#[derive(Debug, Serialize)]
pub struct Column {
    pub lesson: String,
    pub number: String,
    pub topic: String,
    pub done: usize,
    pub stuck: usize,
}

/// A learner and one cell per lesson, in the course's order.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub cells: Vec<CellView>,
}

/// One learner in one lesson: the last report, and the state it gives.
#[derive(Debug, Serialize)]
pub struct CellView {
    pub lesson: String,
    pub state: State,
    pub passed: Option<u32>,
    pub failed: Option<u32>,
    pub failing_test: Option<String>,
    pub todo: Option<String>,
    /// When the tests ran (the learner's clock, seconds since 1970).
    pub at: Option<u64>,
    /// For how many minutes the same test has been failing.
    pub failing_minutes: Option<u64>,
}

impl CellView {
    fn not_started(lesson: &str) -> CellView {
        CellView {
            lesson: lesson.to_owned(),
            state: State::NotStarted,
            passed: None,
            failed: None,
            failing_test: None,
            todo: None,
            at: None,
            failing_minutes: None,
        }
    }
}

impl BoardView {
    /// `board` at `now`, for the course's `lessons` in order; a learner is
    /// stuck after `stuck_after_seconds` on the same failure.
    pub fn of(board: &Board, lessons: &[Lesson], stuck_after_seconds: u64, now: u64) -> BoardView {
        let learners: Vec<Row> = board
            .learners
            .iter()
            .map(|learner| Row {
                name: learner.name.clone(),
                cells: lessons
                    .iter()
                    .map(|lesson| match learner.lessons.get(&lesson.slug) {
                        None => CellView::not_started(&lesson.slug),
                        Some(cell) => CellView {
                            lesson: lesson.slug.clone(),
                            state: cell.state(now, stuck_after_seconds),
                            passed: Some(cell.report.passed),
                            failed: Some(cell.report.failed),
                            failing_test: cell.report.failing_test.clone(),
                            todo: cell.report.todo.clone(),
                            at: Some(cell.report.at),
                            failing_minutes: cell
                                .failing_since
                                .map(|since| now.saturating_sub(since) / 60),
                        },
                    })
                    .collect(),
            })
            .collect();
        let count = |slug: &str, state: State| {
            learners
                .iter()
                .flat_map(|row| &row.cells)
                .filter(|cell| cell.lesson == slug && cell.state == state)
                .count()
        };
        BoardView {
            lessons: lessons
                .iter()
                .map(|lesson| Column {
                    lesson: lesson.slug.clone(),
                    number: lesson.number.clone(),
                    topic: lesson.topic.clone(),
                    done: count(&lesson.slug, State::Passed),
                    stuck: count(&lesson.slug, State::Stuck),
                })
                .collect(),
            stuck_after_minutes: stuck_after_seconds / 60,
            learners,
        }
    }
}
