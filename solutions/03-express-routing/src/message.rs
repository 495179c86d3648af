//! A message: what clients send, what the checks accept, what is stored.
//!
//! Three types for three moments, so the compiler keeps them apart:
//! - [`MessageInput`]: the JSON body as received, not checked yet;
//! - [`ValidMessage`]: the same data once [`MessageInput::validate`]
//!   accepted it; the store takes nothing else;
//! - [`Message`]: a stored message, with its id; this is what clients get.

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The longest name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// A stored message, as the API shows it: `{"id": 1, "name": "…", "email": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub id: u64,
    pub name: String,
    pub email: String,
}

/// The body of `POST /messages` and `PUT /messages/{id}`:
/// `{"name": "Ada", "email": "ada@example.com"}`.
///
/// serde already guarantees both fields are there and are strings; a body
/// without them never becomes a `MessageInput`: the `Json` extractor refuses
/// it first, and `From<JsonRejection>` in `error.rs` says how we answer.
#[derive(Debug, Clone, Deserialize)]
pub struct MessageInput {
    pub name: String,
    pub email: String,
}

/// A message that passed the checks, with its spaces trimmed.
///
/// Its fields are private: outside this file, the only way to make one is
/// [`MessageInput::validate`]. So no unchecked data can reach the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    name: String,
    email: String,
}

impl MessageInput {
    /// Checks the input: the name, once trimmed, is not empty and at most
    /// [`NAME_MAX_CHARS`] long; the email looks like an address.
    /// Fails with a `422` [`ApiError`] that names the field at fault.
    pub fn validate(self) -> Result<ValidMessage, ApiError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(ApiError::validation("name", "name must not be empty"));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(ApiError::validation(
                "name",
                format!("name must be at most {NAME_MAX_CHARS} characters long"),
            ));
        }
        let email = self.email.trim();
        if !looks_like_an_email(email) {
            return Err(ApiError::validation(
                "email",
                "email must look like an address, such as ada@example.com",
            ));
        }
        Ok(ValidMessage {
            name: name.to_owned(),
            email: email.to_owned(),
        })
    }
}

impl ValidMessage {
    /// The stored form of this message, under the given id.
    pub fn into_message(self, id: u64) -> Message {
        Message {
            id,
            name: self.name,
            email: self.email,
        }
    }
}

/// A light check, not a full address parser: one `@`, something before it,
/// a domain with a dot after it (`example.com`), no spaces.
/// The only real test of an address is sending it an email.
fn looks_like_an_email(email: &str) -> bool {
    let Some((local_part, domain)) = email.split_once('@') else {
        return false;
    };
    !local_part.is_empty()
        && email.len() <= 254
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}
