//! A message: what clients send, what the checks accept, what is stored in
//! MongoDB, and what clients get back.
//!
//! Mongoose kept all of this in one `Schema`. Here, as in lesson 03, each
//! moment has its own type, so the compiler keeps them apart:
//! - [`MessageInput`]: the JSON body as received, not checked yet;
//! - [`ValidMessage`]: the same data once [`MessageInput::validate`]
//!   accepted it;
//! - [`Message`]: a document of the `messages` collection, with its `_id`;
//! - [`MessageJson`]: a message as the API shows it, the id as hex text.

use mongodb::bson::oid::ObjectId;
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// The longest name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// One document of the `messages` collection, exactly as it is stored:
/// `{ "_id": ObjectId("65f…"), "name": "Ada", "email": "ada@example.com" }`.
///
/// This struct is the schema: serde turns it into BSON and back, and a
/// document with a field missing or of the wrong type cannot be read into
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// MongoDB names the primary key `_id`; Rust code names it `id`.
    // TODO 1: store this field as the document's primary key.
    //         MongoDB keeps every document's id in a field named `_id`,
    //         while Rust code calls it `id`. Make serde write it, and read
    //         it back, under MongoDB's name: then a search by `_id` finds
    //         this id, and the driver adds no `_id` of its own.
    //         Read: notes §3, "The schema: a struct"; serde's field
    //         attributes, https://serde.rs/field-attrs.html
    pub id: ObjectId,
    pub name: String,
    pub email: String,
}

/// The body of `POST /messages` and `PUT /messages/{id}`:
/// `{"name": "Ada", "email": "ada@example.com"}`.
///
/// serde already guarantees both fields are there and are strings; a body
/// without them never becomes a `MessageInput` (the handler answers 422).
#[derive(Debug, Clone, Deserialize)]
pub struct MessageInput {
    pub name: String,
    pub email: String,
}

/// A message that passed the checks, with its spaces trimmed.
///
/// Its fields are private: outside this file, the only way to make one is
/// [`MessageInput::validate`]. So no unchecked data can reach the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMessage {
    name: String,
    email: String,
}

/// A message as the API shows it: `{"id": "65f…", "name": "…", "email": "…"}`.
///
/// The id is the ObjectId's 24 hexadecimal digits, a plain string, rather
/// than the `{"$oid": "65f…"}` an `ObjectId` becomes in JSON by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageJson {
    pub id: String,
    pub name: String,
    pub email: String,
}

impl MessageInput {
    /// Checks the input: the name, once trimmed, is not empty and at most
    /// [`NAME_MAX_CHARS`] long; the email looks like an address.
    /// Fails with a `422` [`ApiError`] that names the field at fault.
    ///
    /// Mongoose's `{ name: String }` only said "a string". The rules are
    /// code, here, before anything reaches the database.
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
    /// The document to store for this message, under the given id.
    pub fn into_message(self, id: ObjectId) -> Message {
        Message {
            id,
            name: self.name,
            email: self.email,
        }
    }
}

impl From<Message> for MessageJson {
    // TODO 2: show a stored message the way the API shows it.
    //         The same name and email, and the id as plain text, its 24
    //         hexadecimal digits: `"id": "65f1c0ffee0123456789abcd"`, never
    //         the `{"$oid": …}` an ObjectId becomes in JSON by itself.
    //         Rename `_message` to `message` when you use it.
    //         Read: notes §4, "ObjectIds in JSON: hex text"; `ObjectId` in
    //         the bson crate's docs (docs.rs/bson, `oid::ObjectId`).
    fn from(_message: Message) -> Self {
        todo!("TODO 2: the message as the API shows it, id in hex")
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
