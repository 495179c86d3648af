//! Reading a lesson's `hints.md`: hints per TODO, weakest first, and the
//! answers last.
//!
//! ```text
//! # Hints for lesson 03                  (a title and a line: not hints)
//!
//! ## Hint · TODO 1 · the idea            (hints of TODO 1, in order)
//! ## Hint · TODO 1 · where to look
//! ## Hint · TODO 2 · the idea
//! …
//! ## Answers                             (last: nothing follows it)
//! ### TODO 1                             (the code of TODO 1)
//! ### TODO 2
//! ```
//!
//! A section runs to the next heading of its level; headings inside code
//! fences do not count. A `## Hint` that names no TODO is the older format:
//! it is kept as a hint for the whole lesson, and `cargo course check`
//! reports it.

use std::collections::BTreeSet;

use crate::todos::TodoId;

/// Everything in a `hints.md`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HintsFile {
    /// The hints that name a TODO, in the file's order.
    pub hints: Vec<Hint>,
    /// The answers under `## Answers`, in the file's order.
    pub answers: Vec<Answer>,
    /// `## Hint` sections that name no TODO (the older format), in order.
    pub lesson_hints: Vec<String>,
    /// Whether there is a `## Answers` section.
    pub has_answers_section: bool,
    /// What does not follow the format, each with its line number.
    pub problems: Vec<String>,
}

/// One hint about one TODO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub todo: TodoId,
    /// What the hint gives, such as "the idea" (the heading's last part).
    pub title: String,
    pub text: String,
}

/// The code of one TODO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub todo: TodoId,
    pub text: String,
}

/// The section being read.
enum Section {
    Preamble,
    Hint(Hint),
    LessonHint,
    Answers,
    Answer(TodoId),
    Other,
}

impl HintsFile {
    pub fn parse(markdown: &str) -> HintsFile {
        let mut file = HintsFile::default();
        let mut section = Section::Preamble;
        let mut lines: Vec<&str> = Vec::new();
        let mut in_fence = false;
        let mut answers_at: Option<usize> = None;
        for (index, line) in markdown.lines().enumerate() {
            let number = index + 1;
            let fence =
                line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
            if fence {
                in_fence = !in_fence;
            }
            let heading = if in_fence || fence {
                None
            } else if let Some(heading) = line.strip_prefix("## ") {
                Some((2, heading.trim()))
            } else {
                line.strip_prefix("### ").map(|heading| (3, heading.trim()))
            };
            let in_answers = matches!(section, Section::Answers | Section::Answer(_));
            match heading {
                Some((2, heading)) => {
                    file.finish(section, &lines);
                    lines.clear();
                    if let Some(at) = answers_at {
                        file.problems.push(format!(
                            "line {number}: `## {heading}` follows `## Answers` (line {at}): \
                             the answers must be the last section"
                        ));
                    }
                    section = file.open_section(heading, number, &mut answers_at);
                }
                Some((3, heading)) if in_answers => {
                    file.finish(section, &lines);
                    lines.clear();
                    section = match heading.strip_prefix("TODO ").and_then(TodoId::parse) {
                        Some(id) => Section::Answer(id),
                        None => {
                            file.problems.push(format!(
                                "line {number}: `### {heading}` under `## Answers` is not \
                                 `### TODO N`"
                            ));
                            Section::Answers
                        }
                    };
                }
                _ => lines.push(line),
            }
        }
        file.finish(section, &lines);
        file
    }

    /// The section a level-two heading opens.
    fn open_section(
        &mut self,
        heading: &str,
        number: usize,
        answers_at: &mut Option<usize>,
    ) -> Section {
        if heading.eq_ignore_ascii_case("answers") {
            if answers_at.is_some() {
                self.problems
                    .push(format!("line {number}: a second `## Answers` section"));
            }
            answers_at.get_or_insert(number);
            self.has_answers_section = true;
            return Section::Answers;
        }
        let Some(rest) = heading.strip_prefix("Hint") else {
            self.problems.push(format!(
                "line {number}: `## {heading}` is neither `## Hint · TODO N · …` nor \
                 `## Answers`"
            ));
            return Section::Other;
        };
        let rest = rest.trim_start_matches(is_separator);
        if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
            // `## Hint`, `## Hint 2`: the older format, one list per lesson.
            self.problems.push(format!(
                "line {number}: `## {heading}` names no TODO (the format is \
                 `## Hint · TODO N · title`)"
            ));
            return Section::LessonHint;
        }
        let parsed = rest.strip_prefix("TODO ").and_then(|rest| {
            let (id, title) = rest.split_once(is_separator).unwrap_or((rest, ""));
            Some((TodoId::parse(id)?, title.trim_matches(is_separator)))
        });
        match parsed {
            Some((todo, title)) => Section::Hint(Hint {
                todo,
                title: title.to_owned(),
                text: String::new(),
            }),
            None => {
                self.problems.push(format!(
                    "line {number}: `## {heading}` does not name its TODO as \
                     `## Hint · TODO N · title`"
                ));
                Section::Other
            }
        }
    }

    /// Stores the section that ends, with its text.
    fn finish(&mut self, section: Section, lines: &[&str]) {
        let text = join(lines);
        match section {
            Section::Hint(mut hint) => {
                if text.is_empty() {
                    self.problems.push(format!(
                        "a hint of TODO {} (\"{}\") is empty",
                        hint.todo, hint.title
                    ));
                }
                hint.text = text;
                self.hints.push(hint);
            }
            Section::LessonHint if !text.is_empty() => self.lesson_hints.push(text),
            Section::Answer(todo) => {
                if text.is_empty() {
                    self.problems
                        .push(format!("the answer of TODO {todo} is empty"));
                }
                self.answers.push(Answer { todo, text });
            }
            _ => {}
        }
    }

    /// The hints of `todo`, in order.
    pub fn hints_for(&self, todo: &TodoId) -> Vec<&Hint> {
        self.hints
            .iter()
            .filter(|hint| &hint.todo == todo)
            .collect()
    }

    /// The answer of `todo`.
    pub fn answer_for(&self, todo: &TodoId) -> Option<&Answer> {
        self.answers.iter().find(|answer| &answer.todo == todo)
    }

    /// Every TODO with a hint or an answer, in order.
    pub fn todos(&self) -> BTreeSet<TodoId> {
        self.hints
            .iter()
            .map(|hint| hint.todo.clone())
            .chain(self.answers.iter().map(|answer| answer.todo.clone()))
            .collect()
    }

    /// What breaks the format, given the TODOs of the exercise's code:
    /// each TODO has at least two hints and exactly one answer, every hint
    /// and answer names a TODO of the code, `## Answers` comes last.
    pub fn problems(&self, code_todos: &BTreeSet<TodoId>) -> Vec<String> {
        let mut problems = self.problems.clone();
        if self.hints.is_empty() && self.lesson_hints.is_empty() {
            problems.push("no `## Hint · TODO N · title` section".to_owned());
        }
        if !self.has_answers_section {
            problems.push("no `## Answers` section (it comes last)".to_owned());
        }
        for todo in code_todos {
            let hints = self.hints_for(todo).len();
            if hints < 2 {
                problems.push(format!(
                    "TODO {todo} has {hints} hint(s): it needs at least two \
                     (`## Hint · TODO {todo} · …`)"
                ));
            }
            match self.answers.iter().filter(|a| &a.todo == todo).count() {
                0 => problems.push(format!(
                    "TODO {todo} has no answer (`### TODO {todo}` under `## Answers`)"
                )),
                1 => {}
                n => problems.push(format!(
                    "TODO {todo} has {n} answers (`### TODO {todo}`): it needs exactly one"
                )),
            }
        }
        for todo in self
            .hints
            .iter()
            .map(|hint| &hint.todo)
            .collect::<BTreeSet<_>>()
        {
            if !code_todos.contains(todo) {
                problems.push(format!(
                    "hints name TODO {todo}, but the exercise's code has no `TODO {todo}:` line"
                ));
            }
        }
        for todo in self
            .answers
            .iter()
            .map(|a| &a.todo)
            .collect::<BTreeSet<_>>()
        {
            if !code_todos.contains(todo) {
                problems.push(format!(
                    "an answer names TODO {todo}, but the exercise's code has no \
                     `TODO {todo}:` line"
                ));
            }
        }
        problems
    }
}

/// The separators between a heading's parts: `·`, `-`, `:`, `—`, spaces.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '·' | '-' | ':' | '—' | '–' | '|')
}

/// The lines of a section without the blank lines around them.
fn join(lines: &[&str]) -> String {
    lines.join("\n").trim_matches('\n').trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> TodoId {
        TodoId::parse(text).unwrap()
    }

    fn ids(texts: &[&str]) -> BTreeSet<TodoId> {
        texts.iter().map(|text| id(text)).collect()
    }

    const GOOD: &str = "# Hints for lesson 03\n\n\
        `cargo course hint 03` shows the next hint for the TODO you are on.\n\n\
        ## Hint · TODO 1 · the idea\n\nAnswer with JSON.\n\n\
        ## Hint · TODO 1 · where to look\n\naxum's `Json`.\n\n### A sub-heading stays\n\n\
        ## Hint · TODO 3a · the idea\n\nFirst.\n\n\
        ```rust\n## not a heading in a fence\n```\n\n\
        ## Hint · TODO 3a · the shape\n\nSecond.\n\n\
        ## Hint · TODO 1 · the shape\n\nThird of TODO 1.\n\n\
        ## Answers\n\nSpoilers below.\n\n\
        ### TODO 1\n\n```rust\nJson(contact)\n```\n\n\
        ### TODO 3a\n\n```rust\n### not a heading either\nsign()\n```\n";

    #[test]
    fn hints_are_grouped_by_todo_in_the_files_order() {
        let file = HintsFile::parse(GOOD);
        assert_eq!(file.problems, Vec::<String>::new());
        let first: Vec<(&str, &str)> = file
            .hints_for(&id("1"))
            .iter()
            .map(|hint| (hint.title.as_str(), hint.text.as_str()))
            .collect();
        assert_eq!(
            first,
            [
                ("the idea", "Answer with JSON."),
                ("where to look", "axum's `Json`.\n\n### A sub-heading stays"),
                ("the shape", "Third of TODO 1."),
            ]
        );
        let second = file.hints_for(&id("3a"));
        assert_eq!(second.len(), 2);
        assert_eq!(
            second[0].text,
            "First.\n\n```rust\n## not a heading in a fence\n```"
        );
        assert_eq!(
            file.answer_for(&id("1")).unwrap().text,
            "```rust\nJson(contact)\n```"
        );
        assert_eq!(
            file.answer_for(&id("3a")).unwrap().text,
            "```rust\n### not a heading either\nsign()\n```"
        );
        assert_eq!(file.todos(), ids(&["1", "3a"]));
        assert_eq!(file.problems(&ids(&["1", "3a"])), Vec::<String>::new());
    }

    #[test]
    fn headings_may_use_other_separators() {
        let file = HintsFile::parse("## Hint - TODO 2 - the idea\nA.\n## Hint: TODO 2\nB.\n");
        let hints = file.hints_for(&id("2"));
        assert_eq!(hints[0].title, "the idea");
        assert_eq!(hints[1].title, "");
        assert_eq!(hints[1].text, "B.");
    }

    #[test]
    fn the_check_finds_every_breach_of_the_format() {
        let markdown = "## Hint · TODO 1 · the idea\nOnly one.\n\
                        ## Hint · TODO 7 · the idea\nNo such TODO.\n\
                        ## Hint · TODO 2 · a\nA.\n## Hint · TODO 2 · b\n\n\
                        ## Answers\n### TODO 2\nOne.\n### TODO 2\nTwo.\n### TODO 8\nEight.\n\
                        ### Notes\n\
                        ## Hint · TODO 3 · late\nAfter the answers.\n";
        let problems = HintsFile::parse(markdown).problems(&ids(&["1", "2", "3"]));
        let expected = [
            "a hint of TODO 2 (\"b\") is empty",
            "line 16: `### Notes` under `## Answers` is not `### TODO N`",
            "line 17: `## Hint · TODO 3 · late` follows `## Answers` (line 9): \
             the answers must be the last section",
            "TODO 1 has 1 hint(s): it needs at least two (`## Hint · TODO 1 · …`)",
            "TODO 1 has no answer (`### TODO 1` under `## Answers`)",
            "TODO 2 has 2 answers (`### TODO 2`): it needs exactly one",
            "TODO 3 has 1 hint(s): it needs at least two (`## Hint · TODO 3 · …`)",
            "TODO 3 has no answer (`### TODO 3` under `## Answers`)",
            "hints name TODO 7, but the exercise's code has no `TODO 7:` line",
            "an answer names TODO 8, but the exercise's code has no `TODO 8:` line",
        ];
        assert_eq!(problems, expected);
    }

    #[test]
    fn the_older_format_is_read_as_hints_for_the_whole_lesson() {
        let markdown = "# Hints for lesson 01\n\nRead one at a time.\n\n\
                        ## Hint\n\nFirst, weakest.\n\n\
                        ## Hint 2: arms\n\nSecond.\n\n## Hint\n\n";
        let file = HintsFile::parse(markdown);
        assert_eq!(file.lesson_hints, ["First, weakest.", "Second."]);
        assert!(file.hints.is_empty());
        let problems = file.problems(&BTreeSet::new());
        assert!(
            problems[0].starts_with("line 5: `## Hint` names no TODO"),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"no `## Answers` section (it comes last)".to_owned()),
            "{problems:?}"
        );
    }

    #[test]
    fn an_empty_file_has_nothing_and_says_so() {
        let file = HintsFile::parse("# Hints\n\nNothing yet.\n");
        assert_eq!(file, HintsFile::default());
        assert_eq!(
            file.problems(&BTreeSet::new()),
            [
                "no `## Hint · TODO N · title` section",
                "no `## Answers` section (it comes last)"
            ]
        );
        let unknown = HintsFile::parse("## Tips\nx\n## Hint · TODO x · bad id\ny\n");
        assert_eq!(
            unknown.problems,
            [
                "line 1: `## Tips` is neither `## Hint · TODO N · …` nor `## Answers`",
                "line 3: `## Hint · TODO x · bad id` does not name its TODO as \
                 `## Hint · TODO N · title`"
            ]
        );
    }
}
