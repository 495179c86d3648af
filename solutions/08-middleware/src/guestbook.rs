//! The guestbook: the app's only data, kept in memory.
//!
//! Tests hold a clone of the [`Guestbook`] they give to the app, so they can
//! check what a request changed, or that it changed nothing.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;

/// One signature: who signed, and what they wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub name: String,
    pub message: String,
}

/// The entries, shared by every request. Cloning a `Guestbook` gives
/// another handle on the same entries (the `Arc`); the `Mutex` lets one
/// request at a time change them.
#[derive(Debug, Clone, Default)]
pub struct Guestbook {
    entries: Arc<Mutex<Vec<Entry>>>,
}

impl Guestbook {
    /// An empty guestbook.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of every entry, oldest first.
    pub fn entries(&self) -> Vec<Entry> {
        self.lock().clone()
    }

    /// Adds an entry at the end.
    pub fn sign(&self, entry: Entry) {
        self.lock().push(entry);
    }

    /// The entries, locked until the guard is dropped. A lock is poisoned
    /// when a thread panicked while holding it; a `Vec` is still whole
    /// then, so we carry on with it.
    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
