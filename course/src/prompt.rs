//! Asking the learner a yes/no question.

use std::io::{BufRead, IsTerminal, Write};

/// Whether someone can answer questions (standard input is a terminal).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// Asks `question` and waits for an answer; only `y` or `yes` means yes.
pub fn confirm(question: &str) -> bool {
    anstream::print!("{question} [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    is_yes(&answer)
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_means_yes() {
        for yes in ["y", "Y", "yes", " YES \n"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "sure"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
