//! The runner's few colours. Everything is printed through `anstream`, which
//! drops the colours when the output is not a terminal or when `NO_COLOR`
//! is set, so the same code prints plain text into a pipe or a file.

use anstyle::{AnsiColor, Style};

pub const GOOD: Style = AnsiColor::Green.on_default().bold();
pub const BAD: Style = AnsiColor::Red.on_default().bold();
pub const WARN: Style = AnsiColor::Yellow.on_default().bold();
pub const STRONG: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
/// Commands to type and files to open.
pub const CODE: Style = AnsiColor::Cyan.on_default();

/// `text` in `style` (reset afterwards).
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// `cargo course verify 01`, coloured as a command.
pub fn command(text: impl std::fmt::Display) -> String {
    paint(CODE, text)
}

/// Whether colours reach standard output (a terminal, and no `NO_COLOR`).
pub fn stdout_has_colour() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Whether standard error is a terminal (for progress lines that redraw).
pub fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// Clears the terminal (nothing happens when the output is not a terminal).
pub fn clear_screen() {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        print!("\x1b[2J\x1b[H");
    }
}
