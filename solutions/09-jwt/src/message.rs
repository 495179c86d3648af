//! A message, as in lesson 06, plus the one thing this lesson adds: who
//! owns it.
//!
//! - [`MessageInput`]: the JSON body as received, not checked yet;
//! - [`ValidMessage`]: the same data once [`MessageInput::validate`]
//!   accepted it;
//! - [`Message`]: a document of the `messages` collection, with its `_id`
//!   and its `owner_id`;
//! - [`MessageJson`]: a message as the API shows it, ids as hex text.

use mongodb::bson::oid::ObjectId;
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::user::looks_like_an_email;

/// The longest name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// One document of the `messages` collection, exactly as it is stored:
/// `{ "_id": ObjectId("65f…"), "name": "Ada", "email": "ada@example.com",
/// "owner_id": ObjectId("65e…") }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    #[serde(rename = "_id")]
    pub id: ObjectId,
    pub name: String,
    pub email: String,
    /// The `_id` of the user who created the message.
    pub owner_id: ObjectId,
}

/// The body of `POST /messages` and `PUT /messages/{id}`:
/// `{"name": "Ada", "email": "ada@example.com"}`.
///
/// There is no `owner_id` here: the owner is whoever the token says is
/// logged in. A body that sends one anyway has it ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct MessageInput {
    pub name: String,
    pub email: String,
}

/// A message that passed the checks, with its spaces trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    name: String,
    email: String,
}

/// A message as the API shows it:
/// `{"id": "65f…", "name": "…", "email": "…", "owner_id": "65e…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageJson {
    pub id: String,
    pub name: String,
    pub email: String,
    pub owner_id: String,
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
    /// The document to store for this message, under the given id and owner.
    pub fn into_message(self, id: ObjectId, owner_id: ObjectId) -> Message {
        Message {
            id,
            name: self.name,
            email: self.email,
            owner_id,
        }
    }
}

impl From<Message> for MessageJson {
    fn from(message: Message) -> Self {
        Self {
            id: message.id.to_hex(),
            name: message.name,
            email: message.email,
            owner_id: message.owner_id.to_hex(),
        }
    }
}
