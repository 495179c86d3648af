//! The messages, kept in memory for as long as the server runs.
//!
//! In Node a module-level `const messages = []` is shared by every request,
//! because one thread runs all the JavaScript. An axum server runs handlers
//! on several threads at once, so shared data needs two things:
//! - `Arc` (atomically reference-counted): many owners of one value; a
//!   clone is a new handle to the same messages, not a copy of them;
//! - `RwLock`: many readers at once, or one writer alone, never a reader
//!   seeing half a write.
//!
//! A restart forgets everything: lesson 06 keeps the messages in MongoDB.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::{Message, ValidMessage};

/// A handle to the shared messages. Clones share the same data.
#[derive(Clone, Default)]
pub struct MessageStore {
    inner: Arc<RwLock<Messages>>,
}

/// What the lock protects.
#[derive(Default)]
struct Messages {
    /// The last id given out; ids start at 1 and are never reused.
    last_id: u64,
    /// The messages by id; a `BTreeMap` keeps them sorted, oldest first.
    by_id: BTreeMap<u64, Message>,
}

impl MessageStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every message, oldest first.
    pub fn list(&self) -> Vec<Message> {
        self.read().by_id.values().cloned().collect()
    }

    /// The message with this id, if there is one.
    pub fn get(&self, id: u64) -> Option<Message> {
        self.read().by_id.get(&id).cloned()
    }

    /// Stores a new message under the next id and returns it.
    pub fn insert(&self, valid: ValidMessage) -> Message {
        let mut messages = self.write();
        messages.last_id += 1;
        let message = valid.into_message(messages.last_id);
        messages.by_id.insert(message.id, message.clone());
        message
    }

    /// Replaces the message with this id; `None` (and no change) if there is none.
    pub fn replace(&self, id: u64, valid: ValidMessage) -> Option<Message> {
        let mut messages = self.write();
        let stored = messages.by_id.get_mut(&id)?;
        *stored = valid.into_message(id);
        Some(stored.clone())
    }

    /// Removes the message with this id and returns it; `None` if there was none.
    pub fn remove(&self, id: u64) -> Option<Message> {
        self.write().by_id.remove(&id)
    }

    // A lock is "poisoned" when a thread panicked while holding it. No code
    // here can panic halfway through a change, so that would be a bug.
    fn read(&self) -> RwLockReadGuard<'_, Messages> {
        self.inner
            .read()
            .expect("the message store's lock is poisoned")
    }

    fn write(&self) -> RwLockWriteGuard<'_, Messages> {
        self.inner
            .write()
            .expect("the message store's lock is poisoned")
    }
}
