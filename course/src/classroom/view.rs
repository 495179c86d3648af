//! The board as the teacher sees it: learners × lessons, a state per cell,
//! and per lesson how many are done and stuck. The page, its live updates
//! and `/api/board` all show this same view.

use serde::Serialize;

use super::store::{Board, Cell, Learner, State};
use crate::course::Lesson;

/// The whole board, as `/api/board` returns it and the page shows it.
#[derive(Debug, Serialize)]
pub struct BoardView {
    /// What learners type to join, shown on the page for the room.
    pub code: String,
    pub lessons: Vec<Column>,
    pub stuck_after_minutes: u64,
    pub learners: Vec<Row>,
    /// Who is stuck now, the longest stuck first: what the teacher sees
    /// first, without searching the grid.
    pub stuck_now: Vec<Stuck>,
}

/// A learner stuck in a lesson, with what they are stuck on.
#[derive(Debug, Serialize)]
pub struct Stuck {
    pub name: String,
    pub lesson: String,
    pub number: String,
    pub todo: Option<String>,
    pub failing_test: Option<String>,
    pub minutes: u64,
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

impl Row {
    /// `learner`'s row at `now`: one cell per lesson of `lessons`. A cell is
    /// stuck only in the lesson the learner reported on last: a lesson left
    /// behind for the next one is not where they are stuck.
    fn of(learner: &Learner, lessons: &[Lesson], stuck_after_seconds: u64, now: u64) -> Row {
        let current = learner
            .lessons
            .iter()
            .max_by_key(|(_, cell)| cell.received)
            .map(|(slug, _)| slug.as_str());
        let cell_view = |slug: &str, cell: &Cell| CellView {
            lesson: slug.to_owned(),
            state: match cell.state(now, stuck_after_seconds) {
                State::Stuck if Some(slug) != current => State::Failing,
                state => state,
            },
            passed: Some(cell.report.passed),
            failed: Some(cell.report.failed),
            failing_test: cell.report.failing_test.clone(),
            todo: cell.report.todo.clone(),
            at: Some(cell.report.at),
            failing_minutes: cell
                .failing_since
                .map(|since| now.saturating_sub(since) / 60),
        };
        Row {
            name: learner.name.clone(),
            cells: lessons
                .iter()
                .map(|lesson| match learner.lessons.get(&lesson.slug) {
                    None => CellView::not_started(&lesson.slug),
                    Some(cell) => cell_view(&lesson.slug, cell),
                })
                .collect(),
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
            .map(|learner| Row::of(learner, lessons, stuck_after_seconds, now))
            .collect();
        let count = |slug: &str, state: State| {
            learners
                .iter()
                .flat_map(|row| &row.cells)
                .filter(|cell| cell.lesson == slug && cell.state == state)
                .count()
        };
        let mut stuck_now: Vec<Stuck> = learners
            .iter()
            .flat_map(|row| row.cells.iter().map(move |cell| (row, cell)))
            .filter(|(_, cell)| cell.state == State::Stuck)
            .map(|(row, cell)| Stuck {
                name: row.name.clone(),
                lesson: cell.lesson.clone(),
                number: lessons
                    .iter()
                    .find(|lesson| lesson.slug == cell.lesson)
                    .map(|lesson| lesson.number.clone())
                    .unwrap_or_default(),
                todo: cell.todo.clone(),
                failing_test: cell.failing_test.clone(),
                minutes: cell.failing_minutes.unwrap_or_default(),
            })
            .collect();
        stuck_now.sort_by_key(|stuck| std::cmp::Reverse(stuck.minutes));
        BoardView {
            code: board.code.clone(),
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
            stuck_now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classroom::Report;

    fn failing(lesson: &str) -> Report {
        Report {
            lesson: lesson.into(),
            passed: 1,
            failed: 3,
            failing_test: Some("adds_two_numbers".into()),
            todo: Some("1".into()),
            at: 0,
        }
    }

    fn states(view: &BoardView) -> Vec<State> {
        view.learners[0]
            .cells
            .iter()
            .map(|cell| cell.state)
            .collect()
    }

    #[test]
    fn a_learner_is_stuck_only_in_the_lesson_they_are_on() {
        let lessons: Vec<Lesson> = ["01-adding", "02-greeting"]
            .iter()
            .map(|slug| Lesson::from_slug(slug).expect("a lesson slug"))
            .collect();
        let mut board = Board::new();
        let code = board.code.clone();
        let token = board.add_learner(&code, "Chen").unwrap().token.clone();
        let chen = board.learner_mut(&token).unwrap();
        chen.record(failing("01-adding"), 0);

        let stuck_after = 600;
        let view = BoardView::of(&board, &lessons, stuck_after, 700);
        assert_eq!(states(&view), [State::Stuck, State::NotStarted]);
        assert_eq!(view.lessons[0].stuck, 1);

        // Chen moves on to 02 with 01 still failing: 01 is behind, not stuck.
        let chen = board.learner_mut(&token).unwrap();
        chen.record(failing("02-greeting"), 650);
        let view = BoardView::of(&board, &lessons, stuck_after, 700);
        assert_eq!(states(&view), [State::Failing, State::Failing]);
        let view = BoardView::of(&board, &lessons, stuck_after, 1300);
        assert_eq!(states(&view), [State::Failing, State::Stuck]);
        assert_eq!((view.lessons[0].stuck, view.lessons[1].stuck), (0, 1));
        let stuck: Vec<(&str, &str, u64)> = view
            .stuck_now
            .iter()
            .map(|stuck| (stuck.name.as_str(), stuck.number.as_str(), stuck.minutes))
            .collect();
        assert_eq!(
            stuck,
            [("Chen", "02", 10)],
            "listed with the lesson and the time"
        );
    }
}
