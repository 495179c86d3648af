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
    // TODO 1: `GET /contact` answers the object of the notes' Express code, as JSON.
    //         Exactly `{"id": 1, "page": "contactPages"}`, with the
    //         `Content-Type` that says it is JSON: the return type already
    //         promises a `Json`. Build the value the way a JavaScript object
    //         literal would. Notes: "2. A first route"; docs.rs: serde_json's
    //         `json!` macro.
    todo!("TODO 1: answer the contact JSON")
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
    // TODO 3: `POST /messages` stores a checked message and answers where it now lives.
    //         - A body axum refused, or one that breaks our rules, is answered
    //           with its `ApiError`, and nothing is stored.
    //         - Success is `201 Created`, a `Location` header with the address
    //           of *this* message (the client reads it back from there), and
    //           the stored message, id included, as the body. The return type
    //           already lists the three parts, in order.
    //         Rename `_store` and `_body` to `store` and `body`: the `_` only
    //         keeps the compiler quiet while this is a stub.
    //         Notes: "7. JSON in and out", "8. Create: 201 Created and Location".
    todo!("TODO 3: create the message, answer 201 with Location")
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
    // TODO 4: `PUT /messages/{id}` replaces an existing message's name and email, keeping its id.
    //         - A bad id, a refused body or a broken rule: answered with its
    //           `ApiError`, and the store unchanged.
    //         - No message with that id: `404`, and nothing is created. PUT
    //           here replaces what exists; it never makes a new message.
    //         - Success: `200` and the new version.
    //         `read_message` above shows the id and the lookup; your TODO 3
    //         shows the body. Rename the `_` parameters.
    //         Notes: "9. Read, replace, delete"; `MessageStore::replace`.
    todo!("TODO 4: replace the message, or answer 404")
}

/// `DELETE /messages/{id}`: `204 No Content` (nothing left to show), or `404`.
pub async fn delete_message(
    State(_store): State<MessageStore>,
    _id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    // TODO 5: `DELETE /messages/{id}` removes the message: `204 No Content`, or `404`.
    //         A 204 has no body: there is nothing left to show. An id that
    //         is not there (never was, or deleted already) is a 404 and
    //         removes nothing. Rename the `_` parameters.
    //         Notes: "9. Read, replace, delete"; `MessageStore::remove`.
    todo!("TODO 5: delete the message, answer 204 or 404")
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}
