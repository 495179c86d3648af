//! Code under test that panics: what it said, and where the learner should
//! look.
//!
//! A panic fails a test with the panic's own words, which say what broke but
//! not which TODO to open. [`without_panic`] puts the TODO first. A
//! `todo!()` panic is passed on as it is: its words already name its TODO.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// How the words of a `todo!()` panic begin.
pub(crate) const TODO_PANIC: &str = "not yet implemented";

/// The words of a panic, as `panic!`, `expect` or `todo!` wrote them.
pub fn panic_text(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(a panic without words)")
}

/// Runs `work`, which should not panic, and returns what it returns.
///
/// A panic other than a `todo!()` fails the test with `what_to_fix` (which
/// names the TODO to look at), then the panic's own words.
#[track_caller]
pub fn without_panic<T>(work: impl FnOnce() -> T, what_to_fix: &str) -> T {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => value,
        Err(panic) => explain_panic(panic, what_to_fix),
    }
}

/// Fails the test for a panic caught from the code under test, such as the
/// one a spawned task's `JoinError::into_panic` gives back: as
/// [`without_panic`] does.
#[track_caller]
pub fn explain_panic(panic: Box<dyn Any + Send>, what_to_fix: &str) -> ! {
    let words = panic_text(&*panic);
    if words.starts_with(TODO_PANIC) {
        resume_unwind(panic);
    }
    panic!("\n{what_to_fix}\nIt panicked instead: {words}\n")
}
