//! The handlers: one async function per route, as in lesson 03. What
//! changed is where the messages live: each handler now makes one or two
//! driver calls on the model, a `Collection<Message>`.
//!
//! Cloning a `Collection` is cheap (it shares the client's connection
//! pool), so axum hands every request its own copy as `State`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
// TODO 4 needs `LOCATION` from `axum::http::header`.
use axum::http::{HeaderName, Method, StatusCode, Uri};
// TODO 6 needs `futures::TryStreamExt`, for `try_collect`.
use mongodb::Collection;
// TODO 6 to 9 need the `doc!` macro: `use mongodb::bson::doc;`
use mongodb::bson::oid::ObjectId;

use crate::page::PageQuery;
use crate::{ApiError, Message, MessageInput, MessageJson};

/// What `POST /messages` answers: `201 Created`, the new message's address
/// in `Location`, and the message. axum makes a response of such a tuple.
pub type Created = (StatusCode, [(HeaderName, String); 1], Json<MessageJson>);

/// `POST /messages`: checks the body, inserts a document, and answers
/// `201 Created` with its address in `Location` and the message itself.
pub async fn create_message(
    State(messages): State<Collection<Message>>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Created, ApiError> {
    let Json(input) = body?;
    // The id is made here, before the insert, so we know it without asking
    // the server. (Given a document without `_id`, the driver adds one.)
    let message = input.validate()?.into_message(ObjectId::new());
    // TODO 4: insert `message` with `messages.insert_one(&message).await`;
    //         turn an error into an answer with
    //         `.map_err(ApiError::from_message_write)?` (a duplicate email
    //         becomes a 409). Then answer as lesson 03 did:
    //         `Ok((StatusCode::CREATED, [(LOCATION, location)], Json(MessageJson::from(message))))`,
    //         where `location` is `format!("/messages/{}", message.id.to_hex())`.
    todo!("TODO 4: insert {message:?} into `{}`", messages.name())
}

/// `GET /messages?limit=20&skip=0`: one page of messages, oldest first.
pub async fn list_messages(
    State(messages): State<Collection<Message>>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Vec<MessageJson>>, ApiError> {
    let Query(query) = query?;
    let page = query.validate()?;
    // TODO 6: get a cursor with `messages.find(doc! {})`, then, before
    //         `.await?`: `.sort(doc! { "_id": 1 })` (oldest first),
    //         `.skip(u64::from(page.skip))` and `.limit(i64::from(page.limit))`.
    //         Read it into a `Vec<Message>` with `cursor.try_collect().await?`
    //         (from `futures::TryStreamExt`), and answer
    //         `Json(found.into_iter().map(MessageJson::from).collect())`.
    todo!("TODO 6: list one page ({page:?}) of `{}`", messages.name())
}

/// `GET /messages/{id}`: one message, or `404`.
///
/// `Path<ObjectId>` turns the 24 hex digits of the path into an ObjectId
/// (with `ObjectId::parse_str`); anything else is a `PathRejection`.
pub async fn read_message(
    State(messages): State<Collection<Message>>,
    id: Result<Path<ObjectId>, PathRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    let Path(id) = id?;
    // TODO 7: `messages.find_one(doc! { "_id": id }).await?` gives an
    //         `Option<Message>`: answer `Json(message.into())` for `Some`,
    //         and `ApiError::message_not_found(id)` for `None`.
    todo!(
        "TODO 7: find the message with _id {id} in `{}`",
        messages.name()
    )
}

/// `PUT /messages/{id}`: replaces a message's name and email, keeps its id.
///
/// PUT sends the whole message, so both fields are required, and `$set`
/// writes both.
pub async fn replace_message(
    State(messages): State<Collection<Message>>,
    id: Result<Path<ObjectId>, PathRejection>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    let Path(id) = id?;
    let Json(input) = body?;
    let message = input.validate()?.into_message(id);
    // TODO 8: `messages.update_one(filter, update)` with the filter
    //         `doc! { "_id": id }` and the update
    //         `doc! { "$set": { "name": &message.name, "email": &message.email } }`;
    //         `.await`, then `.map_err(ApiError::from_message_write)?` as in
    //         TODO 4. If the result's `matched_count` is 0, no document has
    //         this id: `ApiError::message_not_found(id)`. Otherwise answer
    //         `Json(message.into())`.
    todo!(
        "TODO 8: replace the message with _id {id} in `{}` by {message:?}",
        messages.name()
    )
}

/// `DELETE /messages/{id}`: `204 No Content` (nothing left to show), or `404`.
pub async fn delete_message(
    State(messages): State<Collection<Message>>,
    id: Result<Path<ObjectId>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    // TODO 9: `messages.delete_one(doc! { "_id": id }).await?`; when its
    //         `deleted_count` is 0 answer `ApiError::message_not_found(id)`,
    //         otherwise `StatusCode::NO_CONTENT`.
    todo!(
        "TODO 9: delete the message with _id {id} from `{}`",
        messages.name()
    )
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}
