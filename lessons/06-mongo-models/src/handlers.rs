//! The handlers: one async function per route, as in lesson 03. What
//! changed is where the messages live: each handler now makes one or two
//! driver calls on the model, a `Collection<Message>`.
//!
//! Cloning a `Collection` is cheap (it shares the client's connection
//! pool), so axum hands every request its own copy as `State`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderName, Method, StatusCode, Uri};
use mongodb::Collection;
use mongodb::bson::oid::ObjectId;

use crate::page::PageQuery;
use crate::{ApiError, Message, MessageInput, MessageJson};

/// What `POST /messages` answers: `201 Created`, the new message's address
/// in `Location`, and the message. axum makes a response of such a tuple.
pub type Created = (StatusCode, [(HeaderName, String); 1], Json<MessageJson>);

/// `POST /messages`: checks the body, inserts a document, and answers
/// `201 Created` with its address in `Location` and the message itself.
pub async fn create_message(
    State(_messages): State<Collection<Message>>,
    _body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Created, ApiError> {
    // TODO 4: store a new message, and answer as lesson 03 did.
    //         What `validate` refuses is answered as in lesson 03 and never
    //         stored. A stored message gets 201 Created, its address in
    //         `Location`, and the message as JSON, its id the one stored.
    //         When MongoDB refuses the insert, the answer depends on why:
    //         `ApiError::from_message_write` (in error.rs) knows, with
    //         TODO 5's help. Rename `_messages` and `_body` when you use them.
    //         Read: notes §8, "Create"; notes/03-express-routing.md §8 for
    //         the `201 Created` and `Location` answer; `Collection::insert_one`
    //         in the mongodb crate's docs.
    todo!("TODO 4: store a new message")
}

/// `GET /messages?limit=20&skip=0`: one page of messages, oldest first.
pub async fn list_messages(
    State(_messages): State<Collection<Message>>,
    _query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Vec<MessageJson>>, ApiError> {
    // TODO 6: answer one page of the messages, oldest first.
    //         A query that `PageQuery::validate` (page.rs) refuses is a 422.
    //         Then ask MongoDB for that page and nothing more: the same
    //         messages in the same order on every call, whatever order the
    //         database happens to keep its documents in.
    //         Rename `_messages` and `_query` when you use them.
    //         Read: notes §9, "Read"; `Collection::find`, `Cursor` and
    //         `futures::TryStreamExt` in their crates' docs.
    todo!("TODO 6: one page of messages, oldest first")
}

/// `GET /messages/{id}`: one message, or `404`.
///
/// `Path<ObjectId>` turns the 24 hex digits of the path into an ObjectId
/// (with `ObjectId::parse_str`); anything else is a `PathRejection`.
pub async fn read_message(
    State(_messages): State<Collection<Message>>,
    _path: Result<Path<ObjectId>, PathRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    // TODO 7: answer the message with the id in the path, or 404.
    //         The id is the document's `_id`. No such message: 404.
    //         Rename `_messages` and `_path`.
    //         Read: notes §9, "Read"; `Collection::find_one`.
    todo!("TODO 7: the message with this id, or 404")
}

/// `PUT /messages/{id}`: replaces a message's name and email, keeps its id.
///
/// PUT sends the whole message, so both fields are required.
pub async fn replace_message(
    State(_messages): State<Collection<Message>>,
    _path: Result<Path<ObjectId>, PathRejection>,
    _body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    // TODO 8: replace this message's name and email, and keep the rest.
    //         The new name and email come from the body, checked as POST
    //         checks them; answer the message as this PUT left it. No message
    //         with this id: 404. The email of another message: refused as
    //         POST refuses it. Fields that another program stored in the
    //         document stay as they are.
    //         Rename `_messages`, `_path` and `_body`.
    //         Read: notes §10, "Update"; `Collection::update_one` and
    //         `UpdateResult`.
    todo!("TODO 8: replace this message's name and email")
}

/// `DELETE /messages/{id}`: `204 No Content` (nothing left to show), or `404`.
pub async fn delete_message(
    State(_messages): State<Collection<Message>>,
    _path: Result<Path<ObjectId>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    // TODO 9: delete the message with this id: 204, or 404 if none.
    //         A deletion answers 204 No Content, with no body.
    //         Rename `_messages` and `_path`.
    //         Read: notes §11, "Delete"; `Collection::delete_one` and
    //         `DeleteResult`.
    todo!("TODO 9: delete this message, or 404")
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}
