//! The TODOs of an exercise, and how they are numbered.
//!
//! A TODO is one comment line in the exercise's `src/` or `templates/`:
//!
//! ```text
//! // TODO 3: <one-line goal>          (Rust: `//`, `///` or `//!`)
//! {# TODO 4: <one-line goal> #}       (a minijinja template: `{#` or `{#-`)
//! ```
//!
//! Its id is a number with an optional letter (`3`, `3a`). Ids are ordered
//! as a lesson numbers its steps: 1 < 2 < 3 < 3a < 3b < 4 < 10. Test
//! failures and `todo!()` messages name the TODO they are about as
//! `TODO 3`, which is how the runner knows where the learner is.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::course::Lesson;
use crate::files;

/// A TODO's id: `3`, `3a`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TodoId {
    // Field order is the sort order: the number, then the letter (none first).
    number: u32,
    letter: Option<char>,
}

impl TodoId {
    /// The id spelled exactly `text` (`3`, `3a`), or `None`.
    pub fn parse(text: &str) -> Option<TodoId> {
        match TodoId::read_prefix(text.trim()) {
            Some((id, "")) => Some(id),
            _ => None,
        }
    }

    /// The id at the start of `text`, and what follows it: `3a: goal`
    /// gives `3a` and `: goal`. A letter counts only when a word does not
    /// go on after it (`3 and` is TODO 3 followed by ` and`).
    fn read_prefix(text: &str) -> Option<(TodoId, &str)> {
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 6 {
            return None;
        }
        let number = text[..digits].parse().ok()?;
        let rest = &text[digits..];
        let mut chars = rest.chars();
        let letter = chars.next().filter(char::is_ascii_lowercase);
        let after_letter = chars.next();
        match letter {
            Some(letter) if !after_letter.is_some_and(char::is_alphanumeric) => Some((
                TodoId {
                    number,
                    letter: Some(letter),
                },
                &rest[1..],
            )),
            _ if rest.starts_with(char::is_alphanumeric) => None,
            _ => Some((
                TodoId {
                    number,
                    letter: None,
                },
                rest,
            )),
        }
    }
}

impl fmt::Display for TodoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number)?;
        if let Some(letter) = self.letter {
            write!(f, "{letter}")?;
        }
        Ok(())
    }
}

/// The first `TODO <id>` that `text` mentions (a test's output, a
/// `todo!()` message), or `None`.
pub fn first_mention(text: &str) -> Option<TodoId> {
    let mut start = 0;
    while let Some(found) = text[start..].find("TODO ") {
        let at = start + found;
        let word_starts_here = !text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if word_starts_here && let Some((id, _)) = TodoId::read_prefix(&text[at + 5..]) {
            return Some(id);
        }
        start = at + 5;
    }
    None
}

/// One TODO comment in an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    pub id: TodoId,
    /// The one-line goal after `TODO N:`.
    pub goal: String,
    /// The file, relative to the course root (so a terminal can open it).
    pub path: PathBuf,
    /// The line number, from 1.
    pub line: usize,
}

impl Todo {
    /// `lessons/03-x/src/handlers.rs:22`
    pub fn location(&self) -> String {
        format!("{}:{}", self.path.display(), self.line)
    }
}

/// Every TODO in the exercise of `lesson` (its `src/` and `templates/`
/// folders), in the order they are numbered.
pub fn scan(root: &Path, lesson: &Lesson) -> Vec<Todo> {
    let mut todos = Vec::new();
    for folder in ["src", "templates"] {
        let relative_folder = lesson.exercise_dir().join(folder);
        for file in files::relative_files(&root.join(&relative_folder)) {
            let path = relative_folder.join(file);
            let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
                continue; // not text: an image, say
            };
            todos.extend(todos_in(&text).into_iter().map(|(line, id, goal)| Todo {
                id,
                goal,
                path: path.clone(),
                line,
            }));
        }
    }
    todos.sort_by(|a, b| (&a.id, &a.path, a.line).cmp(&(&b.id, &b.path, b.line)));
    todos
}

/// What is wrong with a stub in an exercise, by the course's one
/// convention: a function body left to the learner is
/// `todo!("TODO N: a few words")`, a plain message, and the parameters it
/// leaves unused get a `_` prefix (the TODO says to rename them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StubProblem {
    /// The `todo!()` names no `TODO N`: its failure cannot point at its step.
    NamesNoTodo,
    /// The `todo!()` message formats values: a second way to silence
    /// unused parameters, and a panic that prints the learner's data.
    FormatsValues,
    /// `let _ = (…)` silences unused values: a third way.
    SilencesValues,
}

impl StubProblem {
    /// What to write instead, for `cargo course check`.
    pub fn explain(self) -> &'static str {
        match self {
            Self::NamesNoTodo => "this `todo!()` names no `TODO N` in its message",
            Self::FormatsValues => {
                "this `todo!()` formats values: keep its message a plain \"TODO N: …\" and give \
                 unused parameters a `_` prefix"
            }
            Self::SilencesValues => {
                "`let _ = (…)` silences unused values: give unused parameters a `_` prefix \
                 instead"
            }
        }
    }
}

/// Every stub in the exercise's Rust code that breaks the one convention
/// (see [`StubProblem`]), as `(path relative to the course root, line,
/// problem)`.
pub fn stub_problems(root: &Path, lesson: &Lesson) -> Vec<(PathBuf, usize, StubProblem)> {
    let folder = lesson.exercise_dir().join("src");
    let mut found = Vec::new();
    for file in files::relative_files(&root.join(&folder)) {
        let path = folder.join(file);
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
            continue;
        };
        found.extend(
            problems_in(&text)
                .into_iter()
                .map(|(line, problem)| (path.clone(), line, problem)),
        );
    }
    found
}

/// The stub problems of one Rust file, by line.
fn problems_in(text: &str) -> Vec<(usize, StubProblem)> {
    let mut problems: Vec<(usize, StubProblem)> = stubs_in(text)
        .into_iter()
        .flat_map(|(line, arguments)| {
            let unnamed = first_mention(arguments).is_none();
            let formats = arguments.contains('{');
            [
                unnamed.then_some((line, StubProblem::NamesNoTodo)),
                formats.then_some((line, StubProblem::FormatsValues)),
            ]
        })
        .flatten()
        .collect();
    problems.extend(
        text.lines()
            .enumerate()
            .filter(|(_, line)| line.trim_start().starts_with("let _ = ("))
            .map(|(index, _)| (index + 1, StubProblem::SilencesValues)),
    );
    problems.sort_by_key(|(line, _)| *line);
    problems
}

/// The `todo!(…)` calls of a Rust file outside comments: (line, the text
/// between the parentheses).
fn stubs_in(text: &str) -> Vec<(usize, &str)> {
    let mut stubs = Vec::new();
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut from = 0;
        while let Some(at) = code[from..].find("todo!(") {
            let start = offset + from + at + "todo!(".len();
            stubs.push((index + 1, arguments(&text[start..])));
            from += at + "todo!(".len();
        }
        offset += line.len();
    }
    stubs
}

/// The text up to the parenthesis that closes an opened one, skipping
/// string literals (so `todo!("(201)")` ends where it should).
fn arguments(text: &str) -> &str {
    let mut depth = 1;
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return &text[..at];
                }
            }
            _ => {}
        }
    }
    text
}

/// The TODO lines of one file: (line number, id, goal).
fn todos_in(text: &str) -> Vec<(usize, TodoId, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let (id, goal) = todo_in_line(line)?;
            Some((index + 1, id, goal))
        })
        .collect()
}

/// `(3, "goal")` from `    // TODO 3: goal` or `{#- TODO 3: goal #}`.
fn todo_in_line(line: &str) -> Option<(TodoId, String)> {
    let text = line.trim_start();
    let rest = if let Some(rest) = text.strip_prefix("//") {
        rest.strip_prefix(['/', '!']).unwrap_or(rest)
    } else if let Some(rest) = text.strip_prefix("{#") {
        rest.strip_prefix('-').unwrap_or(rest)
    } else {
        return None;
    };
    let rest = rest.trim_start().strip_prefix("TODO ")?;
    let (id, rest) = TodoId::read_prefix(rest)?;
    let goal = rest.strip_prefix(':')?.trim();
    let goal = goal
        .strip_suffix("#}")
        .map(|goal| goal.trim_end().trim_end_matches('-'))
        .unwrap_or(goal);
    Some((id, goal.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    fn id(text: &str) -> TodoId {
        TodoId::parse(text).unwrap_or_else(|| panic!("{text:?} is an id"))
    }

    #[test]
    fn ids_are_ordered_as_lessons_number_them() {
        let mut ids: Vec<TodoId> = ["10", "3b", "4", "1", "3", "3a", "2"]
            .into_iter()
            .map(id)
            .collect();
        ids.sort();
        let spelled: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(spelled, ["1", "2", "3", "3a", "3b", "4", "10"]);
    }

    #[test]
    fn only_a_number_with_one_optional_letter_is_an_id() {
        assert_eq!(id(" 12 ").to_string(), "12");
        for not_an_id in ["", "a", "3ab", "3A", "N", "3 a", "-1"] {
            assert_eq!(TodoId::parse(not_an_id), None, "{not_an_id:?}");
        }
    }

    #[test]
    fn the_first_mention_is_found_in_any_text() {
        let first = |text| first_mention(text).map(|id| id.to_string());
        assert_eq!(
            first("not yet implemented: TODO 3a: sign the token"),
            Some("3a".into())
        );
        assert_eq!(
            first("expected 201 (TODO 4 in src/handlers.rs), see TODO 2"),
            Some("4".into())
        );
        assert_eq!(first("TODO 3 and then TODO 5"), Some("3".into()));
        assert_eq!(first("Do the TODOs in order; MYTODO 3"), None);
        assert_eq!(first("TODO N: the format"), None);
        assert_eq!(first("ends with TODO"), None);
    }

    #[test]
    fn todo_lines_are_read_from_rust_and_templates() {
        let text = "//! Do the TODOs below.\n\
                    // TODO 2 needs `LOCATION` too.\n\
                    fn f() {\n    // TODO 1: the contact page answers with JSON.\n\
                    \x20   //     More lines of the same TODO.\n\
                    \x20   todo!(\"TODO 1: answer the contact JSON\")\n}\n\
                    /// TODO 3a: a doc comment counts too\n\
                    {#- TODO 4: one <li> per message. -#}\n\
                    {# TODO 10: the layout #}\n\
                    // TODO: no number\n";
        let found: Vec<(usize, String, String)> = todos_in(text)
            .into_iter()
            .map(|(line, id, goal)| (line, id.to_string(), goal))
            .collect();
        assert_eq!(
            found,
            [
                (4, "1".into(), "the contact page answers with JSON.".into()),
                (8, "3a".into(), "a doc comment counts too".into()),
                (9, "4".into(), "one <li> per message.".into()),
                (10, "10".into(), "the layout".into()),
            ]
        );
    }

    #[test]
    fn stubs_that_break_the_convention_are_found() {
        use StubProblem::*;
        let text = "fn a() -> u8 {\n    todo!(\"TODO 3: create (201) \\\" quoted\")\n}\n\
                    fn b(x: u8) {\n    todo!(\n        \"TODO 4a: {}\",\n        f(x)\n    )\n}\n\
                    fn c() { todo!() }\n\
                    fn d() { todo!(\"write (this) later\") } // not TODO 5\n\
                    // todo!() in a comment does not count\n\
                    /// todo!(\"nor in a doc comment\")\n\
                    fn e(a: u8, b: u8) {\n    let _ = (a, b);\n    todo!(\"TODO 6: add\")\n}\n";
        assert_eq!(
            problems_in(text),
            [
                (5, FormatsValues),
                (10, NamesNoTodo),
                (11, NamesNoTodo),
                (15, SilencesValues),
            ]
        );

        let dir = TempDir::new("stubs");
        dir.write("lessons/05-pages/src/lib.rs", text);
        dir.write("lessons/05-pages/templates/x.html", "todo!()");
        let lesson = Lesson::from_slug("05-pages").unwrap();
        let lib = PathBuf::from("lessons/05-pages/src/lib.rs");
        assert_eq!(
            stub_problems(dir.path(), &lesson),
            [
                (lib.clone(), 5, FormatsValues),
                (lib.clone(), 10, NamesNoTodo),
                (lib.clone(), 11, NamesNoTodo),
                (lib, 15, SilencesValues),
            ]
        );
    }

    #[test]
    fn a_lesson_is_scanned_in_src_and_templates_and_sorted_by_id() {
        let dir = TempDir::new("todos");
        dir.write(
            "lessons/05-pages/src/lib.rs",
            "// TODO 10: last\n// TODO 2: second\n",
        );
        dir.write("lessons/05-pages/src/routes/mod.rs", "\n// TODO 1: first\n");
        dir.write(
            "lessons/05-pages/templates/home.html",
            "<p>\n{# TODO 3: third #}\n",
        );
        dir.write("lessons/05-pages/hints.md", "// TODO 4: not code\n");
        dir.write(
            "solutions/05-pages/src/lib.rs",
            "// TODO 5: not the exercise\n",
        );
        let lesson = Lesson::from_slug("05-pages").unwrap();
        let listed: Vec<String> = scan(dir.path(), &lesson)
            .iter()
            .map(|todo| format!("{}  TODO {}: {}", todo.location(), todo.id, todo.goal))
            .collect();
        assert_eq!(
            listed,
            [
                "lessons/05-pages/src/routes/mod.rs:2  TODO 1: first",
                "lessons/05-pages/src/lib.rs:2  TODO 2: second",
                "lessons/05-pages/templates/home.html:2  TODO 3: third",
                "lessons/05-pages/src/lib.rs:1  TODO 10: last",
            ]
        );
    }
}
