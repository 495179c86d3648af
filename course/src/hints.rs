//! Reading a lesson's `hints.md`: one hint per `## Hint` section, weakest first.

/// The hints of a lesson, in order. Text before the first `## Hint` heading
/// (a title, a line on how to read them) is not a hint. A hint ends at the
/// next level-two heading.
pub fn parse_hints(markdown: &str) -> Vec<String> {
    let mut hints = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            if let Some(lines) = current.take() {
                hints.push(join(&lines));
            }
            if heading.trim_start().starts_with("Hint") {
                current = Some(Vec::new());
            }
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    if let Some(lines) = current {
        hints.push(join(&lines));
    }
    hints.retain(|hint| !hint.is_empty());
    hints
}

/// The lines of a section without the blank lines around them.
fn join(lines: &[&str]) -> String {
    lines.join("\n").trim_matches('\n').trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hint_section_is_one_hint_in_order() {
        let markdown = "# Hints for lesson 01\n\nRead one at a time.\n\n\
                        ## Hint\n\nFirst, weakest.\n\n\
                        ## Hint 2: arms\n\nSecond\nover two lines.\n\n    indented code\n\n\
                        ## Hint\nThird.\n";
        assert_eq!(
            parse_hints(markdown),
            [
                "First, weakest.",
                "Second\nover two lines.\n\n    indented code",
                "Third.",
            ]
        );
    }

    #[test]
    fn other_sections_and_deeper_headings_are_handled() {
        let markdown = "## Hint\nOne.\n### A sub-heading stays in the hint\nStill one.\n\
                        ## Not a hint\nIgnored.\n## Hint\nTwo.\n";
        assert_eq!(
            parse_hints(markdown),
            [
                "One.\n### A sub-heading stays in the hint\nStill one.",
                "Two."
            ]
        );
    }

    #[test]
    fn no_hint_sections_means_no_hints() {
        assert!(parse_hints("# Hints\n\nNothing yet.\n").is_empty());
        assert!(
            parse_hints("## Hint\n\n## Hint\n").is_empty(),
            "empty sections are skipped"
        );
    }
}
