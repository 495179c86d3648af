//! The handlers: one async function per route.
//!
//! Each one says what it needs in its arguments (extractors such as
//! `State`, `Path` and `Json`), and what it answers in its return type.
//! axum does the rest: it reads the request, calls the function, and turns
//! the returned value into a response.
//!
//! `list_messages` and `read_message` are done: read them first, they show
//! the pattern the others follow.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::HeaderName;
use axum::http::{Method, StatusCode, Uri};
use serde_json::Value;

use crate::{ApiError, Message, MessageInput, MessageStore};

/// `GET /contact`: the notes' `res.json({ id: 1, page: "contactPages" })`.
pub async fn contact() -> Json<Value> {
    // TODO 1: Answer `{"id": 1, "page": "contactPages"}`.
    //         `serde_json::json!` builds a JSON value the way a JavaScript
    //         object literal does: import it (`use serde_json::{Value, json};`)
    //         and return `Json(json!({ "id": 1, "page": "contactPages" }))`.
    todo!("TODO 1 in src/handlers.rs: answer the contact JSON")
}

/// `GET /messages`: every message, oldest first.
pub async fn list_messages(State(store): State<MessageStore>) -> Json<Vec<Message>> {
    Json(store.list())
}

/// `POST /messages`: checks the body, stores a new message, and answers
/// `201 Created` with its address in `Location` and the message itself.
///
/// A tuple is a response: a status, headers (an array of name and value
/// pairs), then the body. axum builds the response from it, in that order.
///
/// The body is taken as `Result<Json<_>, JsonRejection>`: when it is not
/// the JSON we want, we get the reason, and `?` turns it into an
/// [`ApiError`] in our own shape instead of axum's plain-text answer.
pub async fn create_message(
    State(_store): State<MessageStore>,
    _body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<(StatusCode, [(HeaderName, String); 1], Json<Message>), ApiError> {
    // TODO 3: First rename `_store` to `store` and `_body` to `body` (a
    //         leading `_` only keeps the compiler quiet about unused
    //         variables while this is a stub). Then, one line each:
    //         1. take the input out of the body, or return the error:
    //                let Json(input) = body?;
    //         2. check it and store it:
    //                let message = store.insert(input.validate()?);
    //         3. build its address: `format!("/messages/{}", message.id)`;
    //         4. answer with a tuple, which axum turns into one response:
    //                Ok((StatusCode::CREATED, [(LOCATION, location)], Json(message)))
    //            (import `LOCATION`: `use axum::http::header::{HeaderName, LOCATION};`).
    todo!("TODO 3 in src/handlers.rs: create the message, answer 201 with Location")
}

/// `GET /messages/{id}`: one message, or `404`.
pub async fn read_message(
    State(store): State<MessageStore>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<Message>, ApiError> {
    let Path(id) = id?;
    store
        .get(id)
        .map(Json)
        .ok_or_else(|| ApiError::message_not_found(id))
}

/// `PUT /messages/{id}`: replaces a message's name and email, keeps its id.
pub async fn replace_message(
    State(_store): State<MessageStore>,
    _id: Result<Path<u64>, PathRejection>,
    _body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Json<Message>, ApiError> {
    // TODO 4: Rename `_store`, `_id` and `_body` as in TODO 3. Then take the
    //         id out of the path as `read_message` does, the input out of
    //         the body as `create_message` does, and check it with
    //         `input.validate()?`. `store.replace(id, valid)` returns
    //         `Some(message)` or `None` (no such id): finish like
    //         `read_message`, with `.map(Json).ok_or_else(...)`.
    todo!("TODO 4 in src/handlers.rs: replace the message, or answer 404")
}

/// `DELETE /messages/{id}`: `204 No Content` (nothing left to show), or `404`.
pub async fn delete_message(
    State(_store): State<MessageStore>,
    _id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    // TODO 5: Rename `_store` and `_id`, take the id out of the path, then
    //         `match store.remove(id)`: `Some(_)` answers
    //         `Ok(StatusCode::NO_CONTENT)`, `None` answers
    //         `Err(ApiError::message_not_found(id))`.
    todo!("TODO 5 in src/handlers.rs: delete the message, answer 204 or 404")
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}
