//! The handlers: one async function per route.
//!
//! Each one says what it needs in its arguments (extractors such as
//! `State`, `Path` and `Json`), and what it answers in its return type.
//! axum does the rest: it reads the request, calls the function, and turns
//! the returned value into a response.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::{HeaderName, LOCATION};
use axum::http::{Method, StatusCode, Uri};
use serde_json::{Value, json};

use crate::{ApiError, Message, MessageInput, MessageStore};

/// `GET /contact`: the notes' `res.json({ id: 1, page: "contactPages" })`.
///
/// `json!` builds a JSON value the way a JavaScript object literal does;
/// `Json(...)` sends it with `Content-Type: application/json`.
pub async fn contact() -> Json<Value> {
    Json(json!({ "id": 1, "page": "contactPages" }))
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
    State(store): State<MessageStore>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<(StatusCode, [(HeaderName, String); 1], Json<Message>), ApiError> {
    let Json(input) = body?;
    let message = store.insert(input.validate()?);
    let location = format!("/messages/{}", message.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(message)))
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
    State(store): State<MessageStore>,
    id: Result<Path<u64>, PathRejection>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Json<Message>, ApiError> {
    let Path(id) = id?;
    let Json(input) = body?;
    let valid = input.validate()?;
    store
        .replace(id, valid)
        .map(Json)
        .ok_or_else(|| ApiError::message_not_found(id))
}

/// `DELETE /messages/{id}`: `204 No Content` (nothing left to show), or `404`.
pub async fn delete_message(
    State(store): State<MessageStore>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    match store.remove(id) {
        Some(_removed) => Ok(StatusCode::NO_CONTENT),
        None => Err(ApiError::message_not_found(id)),
    }
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}
