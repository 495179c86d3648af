//! Keeps the teaching plan in `notes/teaching.md` true to the course.
//!
//! The page estimates each lesson's minutes from three counts: the words of
//! its notes, its `TODO`s and its tests. Done in full, a lesson takes
//! `words ÷ 200 + 8 × TODOs + tests ÷ 2` minutes; shown live only,
//! `words ÷ 400 + 5`. A plan scales the estimates of its lessons by one
//! factor, `f = available ÷ sum`, rounded to two decimals, rounds each
//! lesson's share to 5 minutes, and gives what is left over to the longest
//! lesson.
//!
//! The counts change whenever a lesson does. The tests below count them
//! again, redo the arithmetic, and compare every figure of the page: its
//! table of lessons, both plans, their clock times and their totals. A
//! failure prints the figures the page should show.

use std::path::{Path, PathBuf};

use crate::course::{Course, Lesson};
use crate::todos;

/// What the estimates are made of, for one lesson.
#[derive(Debug)]
struct Figures {
    number: String,
    words: usize,
    todos: usize,
    tests: usize,
}

impl Figures {
    /// Counts the lesson as the page says: the words of `notes/NN-*.md`
    /// (as `wc -w` counts them), the `TODO`s that `cargo course verify`
    /// lists, and the tests in `tests/NN-*.rs`.
    fn count(root: &Path, lesson: &Lesson) -> Figures {
        let read = |path: PathBuf| {
            std::fs::read_to_string(root.join(&path))
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
        };
        let mut ids: Vec<_> = todos::scan(root, lesson)
            .into_iter()
            .map(|todo| todo.id)
            .collect();
        ids.dedup();
        let tests = read(lesson.tests_file())
            .lines()
            .map(str::trim_start)
            .filter(|line| line.starts_with("#[test]") || line.starts_with("#[tokio::test"))
            .count();
        Figures {
            number: lesson.number.clone(),
            words: read(lesson.notes_file()).split_whitespace().count(),
            todos: ids.len(),
            tests,
        }
    }

    fn full_minutes(&self) -> f64 {
        self.words as f64 / 200.0 + 8.0 * self.todos as f64 + self.tests as f64 / 2.0
    }

    fn live_minutes(&self) -> f64 {
        self.words as f64 / 400.0 + 5.0
    }

    /// Whether a row of the page's table (its cells) still tells the truth.
    /// `TODO`s and tests are exact. Words and minutes may lag a little, so
    /// that a small edit to the notes does not make the page wrong.
    fn is_close_to(&self, said: &[String]) -> bool {
        let [_, words, todos, tests, full, live] = said else {
            return false;
        };
        let words_count = self.words as f64;
        close(number(words), words_count, words_count * WORDS_SLACK)
            && close(number(todos), self.todos as f64, 0.0)
            && close(number(tests), self.tests as f64, 0.0)
            && close(number(full), self.full_minutes(), MINUTES_SLACK)
            && close(number(live), self.live_minutes(), MINUTES_SLACK)
    }

    /// The row of the page's table, as it should read.
    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {} | {:.1} | {:.1} |",
            thousands(self.words),
            self.todos,
            self.tests,
            self.full_minutes(),
            self.live_minutes()
        )
    }
}

/// How far the words in the table may be from the count: 2 %.
const WORDS_SLACK: f64 = 0.02;
/// How far a lesson's minutes in the table may be from the estimate.
const MINUTES_SLACK: f64 = 1.0;

/// A figure as the page writes it (`7,048`, `151.7`).
fn number(text: &str) -> Option<f64> {
    text.replace(',', "").parse().ok()
}

/// The figure that follows the first `marker` in `text`.
fn number_after(text: &str, marker: &str) -> Option<f64> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(rest.len());
    number(rest[..end].trim_end_matches('.'))
}

/// Whether the page's figure is within `slack` of the right one.
fn close(said: Option<f64>, right: f64, slack: f64) -> bool {
    said.is_some_and(|said| (said - right).abs() <= slack)
}

/// `7048` as `7,048`, as the page writes it.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A plan's factor (two decimals) and each lesson's minutes, in the order
/// of `estimates`.
fn share(estimates: &[f64], available: u32) -> (f64, Vec<u32>) {
    let sum: f64 = estimates.iter().sum();
    let factor = (f64::from(available) / sum * 100.0).round() / 100.0;
    let mut minutes: Vec<u32> = estimates
        .iter()
        .map(|estimate| ((estimate * factor / 5.0).round() * 5.0) as u32)
        .collect();
    let given: u32 = minutes.iter().sum();
    let longest = estimates
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i);
    minutes[longest] = (minutes[longest] + available)
        .checked_sub(given)
        .expect("the rounded shares exceed what is available by more than the longest lesson");
    (factor, minutes)
}

/// The cells of a Markdown table row, trimmed, without `**`.
fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|cell| cell.trim().replace("**", ""))
        .collect()
}

/// `5:45` in minutes.
fn clock(text: &str) -> u32 {
    let (hours, minutes) = text.split_once(':').expect("a time such as 1:05");
    hours.parse::<u32>().expect("hours") * 60 + minutes.parse::<u32>().expect("minutes")
}

/// One row of a plan: when it starts, how long, and what.
struct Slot {
    start: u32,
    minutes: u32,
    what: String,
    how: String,
}

impl Slot {
    /// The two digits of a lesson row (`06 MongoDB models, part 1` gives
    /// `06`), or `None` for the opening and the closing.
    fn lesson(&self) -> Option<&str> {
        let number = self.what.get(..2)?;
        number.chars().all(|c| c.is_ascii_digit()).then_some(number)
    }
}

/// The rows of the plan table that follows `heading` in `page`; the last
/// row holds the total.
fn plan_table(page: &str, heading: &str) -> (Vec<Slot>, u32) {
    let start = page
        .find(heading)
        .unwrap_or_else(|| panic!("notes/teaching.md has no {heading:?}"));
    let mut slots = Vec::new();
    let mut in_table = false;
    for line in page[start..].lines().skip(1) {
        if !line.starts_with('|') {
            if in_table {
                break;
            }
            continue;
        }
        in_table = true;
        let cells = cells(line);
        if cells[0] == "time" || cells[0].starts_with("---") {
            continue;
        }
        if cells[2].is_empty() {
            return (slots, cells[1].parse().expect("the total minutes"));
        }
        slots.push(Slot {
            start: clock(&cells[0]),
            minutes: cells[1].parse().expect("minutes"),
            what: cells[2].clone(),
            how: cells.get(3).cloned().unwrap_or_default(),
        });
    }
    panic!("the table after {heading:?} has no total row")
}

/// Checks that each row starts when the one before it ends, and that the
/// total is the sum.
fn assert_times_add_up(slots: &[Slot], total: u32, plan: &str) {
    let mut now = 0;
    for slot in slots {
        assert_eq!(
            slot.start,
            now,
            "{plan}: {:?} should start at {}:{:02}",
            slot.what,
            now / 60,
            now % 60
        );
        now += slot.minutes;
    }
    assert_eq!(total, now, "{plan}: the total row should say {now}");
}

/// What a plan's lessons should take, next to what it says.
fn assert_shares(slots: &[Slot], estimates: &[(String, f64)], page: &str, plan: &str) {
    let available: u32 = slots
        .iter()
        .filter(|slot| slot.lesson().is_some())
        .map(|slot| slot.minutes)
        .sum();
    let other_minutes: u32 = slots.iter().map(|slot| slot.minutes).sum::<u32>() - available;
    let values: Vec<f64> = estimates.iter().map(|(_, estimate)| *estimate).collect();
    let sum: f64 = values.iter().sum();
    let (factor, minutes) = share(&values, available);

    let mut wrong = Vec::new();
    let said_sum = number_after(page, "Estimates: ");
    let said_available = number_after(page, " minutes for ");
    if !close(said_sum, sum, 3.0 * MINUTES_SLACK) || said_available != Some(f64::from(available)) {
        wrong.push(format!(
            "the sentence \"Estimates: {sum:.1} minutes for {available} available\""
        ));
    }
    let formula = format!("f = {available} ÷ ");
    let said_factor = page
        .find(&formula)
        .and_then(|at| number_after(&page[at + formula.len()..], " = "));
    if !close(said_factor, factor, 0.001) {
        wrong.push(format!("the factor \"{formula}{sum:.1} = {factor:.2}\""));
    }
    for ((number, estimate), expected) in estimates.iter().zip(&minutes) {
        let parts: Vec<u32> = slots
            .iter()
            .filter(|slot| slot.lesson() == Some(number))
            .map(|slot| slot.minutes)
            .collect();
        let said: u32 = parts.iter().sum();
        if said != *expected {
            wrong.push(format!("lesson {number}: {expected} minutes, not {said}"));
        }
        // A lesson cut in two says how its parts add up.
        if let [first, second] = parts[..] {
            let split = format!("Lesson {number} takes {first} + {second} = {said} minutes");
            let sentence = page.find(&split).map(|at| &page[at..]);
            let said_estimate = sentence.and_then(|text| number_after(text, "its estimate, "));
            let said_factor = sentence.and_then(|text| number_after(text, " × "));
            if !close(said_estimate, *estimate, MINUTES_SLACK) || !close(said_factor, factor, 0.001)
            {
                wrong.push(format!(
                    "the sentence \"{split}: its estimate, {estimate:.1} × {factor:.2}, \
                     rounded.\""
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "\nnotes/teaching.md, {plan} ({other_minutes} minutes of opening and closing, \
         {available} for the lessons) should say:\n  {}\n",
        wrong.join("\n  ")
    );
}

fn course() -> (Course, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the course root")
        .to_path_buf();
    let page = std::fs::read_to_string(root.join("notes/teaching.md")).expect("notes/teaching.md");
    (Course::open(root).expect("the course"), page)
}

fn figures(course: &Course) -> Vec<Figures> {
    course
        .lessons
        .iter()
        .map(|lesson| Figures::count(&course.root, lesson))
        .collect()
}

#[test]
fn the_table_of_lessons_matches_the_course() {
    let (course, page) = course();
    let figures = figures(&course);
    let mut wrong = Vec::new();
    for lesson in &figures {
        let prefix = format!("| {} ", lesson.number);
        let Some(line) = page.lines().find(|line| line.starts_with(&prefix)) else {
            wrong.push(format!("a row for lesson {}", lesson.number));
            continue;
        };
        let said = cells(line);
        if !lesson.is_close_to(&said) {
            wrong.push(lesson.row(&said[0]));
        }
    }
    let total: f64 = figures.iter().map(Figures::full_minutes).sum();
    let total_said = page
        .lines()
        .find(|line| line.starts_with("| **all nine, in full** |"))
        .and_then(|line| number(&cells(line)[4]));
    if !close(total_said, total, 3.0 * MINUTES_SLACK) {
        wrong.push(format!(
            "| **all nine, in full** | | | | **{total:.1}** | |"
        ));
    }
    assert!(
        wrong.is_empty(),
        "\nnotes/teaching.md's table of lessons no longer matches the course. It should \
         have:\n{}\n",
        wrong.join("\n")
    );
}

#[test]
fn the_one_day_plan_adds_up() {
    let (course, page) = course();
    let figures = figures(&course);
    let (slots, total) = plan_table(&page, "## A one-day workshop");
    assert_times_add_up(&slots, total, "the one-day plan");
    let estimates: Vec<(String, f64)> = slots
        .iter()
        .filter_map(|slot| {
            let number = slot.lesson()?;
            let lesson = figures.iter().find(|f| f.number == number)?;
            let estimate = match slot.how.as_str() {
                "exercise" => lesson.full_minutes(),
                _ => lesson.live_minutes(),
            };
            Some((number.to_owned(), estimate))
        })
        .collect();
    assert_eq!(estimates.len(), figures.len(), "every lesson has its row");
    let plan = &page[page.find("## A one-day workshop").unwrap()..];
    assert_shares(&slots, &estimates, plan, "the one-day plan");
}

#[test]
fn the_two_day_plan_adds_up() {
    let (course, page) = course();
    let figures = figures(&course);
    let plan = &page[page.find("## A two-day workshop").unwrap()..];
    let (day1, total1) = plan_table(plan, "Day 1:");
    let (day2, total2) = plan_table(plan, "Day 2:");
    assert_times_add_up(&day1, total1, "day 1 of the two-day plan");
    assert_times_add_up(&day2, total2, "day 2 of the two-day plan");
    let slots: Vec<Slot> = day1.into_iter().chain(day2).collect();
    let estimates: Vec<(String, f64)> = figures
        .iter()
        .map(|lesson| (lesson.number.clone(), lesson.full_minutes()))
        .collect();
    assert_shares(&slots, &estimates, plan, "the two-day plan");
}

#[test]
fn a_plan_gives_what_rounding_leaves_to_the_longest_lesson() {
    let (factor, minutes) = share(&[10.0, 30.0, 20.0], 50);
    assert_eq!(factor, 0.83);
    // 8.3, 24.9 and 16.6 round to 10, 25 and 15: 50, nothing left over.
    assert_eq!(minutes, [10, 25, 15]);
    let (_, minutes) = share(&[10.0, 30.0, 20.0], 55);
    // 0.92: 9.2, 27.6, 18.4 round to 10, 30, 20 = 60: the longest gives 5 back.
    assert_eq!(minutes, [10, 25, 20]);
    assert_eq!(thousands(7048), "7,048");
    assert_eq!(thousands(982), "982");
}
