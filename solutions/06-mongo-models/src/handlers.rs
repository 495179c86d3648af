//! The handlers: one async function per route, as in lesson 03. What
//! changed is where the messages live: each handler now makes one or two
//! driver calls on the model, a `Collection<Message>`.
//!
//! Cloning a `Collection` is cheap (it shares the client's connection
//! pool), so axum hands every request its own copy as `State`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderName, Method, StatusCode, Uri};
use futures::TryStreamExt;
use mongodb::Collection;
use mongodb::bson::doc;
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
    messages
        .insert_one(&message)
        .await
        .map_err(ApiError::from_message_write)?;
    let location = format!("/messages/{}", message.id.to_hex());
    Ok((
        StatusCode::CREATED,
        [(LOCATION, location)],
        Json(MessageJson::from(message)),
    ))
}

/// `GET /messages?limit=20&skip=0`: one page of messages, oldest first.
pub async fn list_messages(
    State(messages): State<Collection<Message>>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<Vec<MessageJson>>, ApiError> {
    let Query(query) = query?;
    let page = query.validate()?;
    // An ObjectId starts with the time it was made, so sorting on `_id`
    // lists the messages in the order they were created.
    let cursor = messages
        .find(doc! {})
        .sort(doc! { "_id": 1 })
        .skip(u64::from(page.skip))
        .limit(i64::from(page.limit))
        .await?;
    // A cursor brings the documents in batches as it is read;
    // `try_collect` reads it to the end, stopping at the first error.
    let found: Vec<Message> = cursor.try_collect().await?;
    Ok(Json(found.into_iter().map(MessageJson::from).collect()))
}

/// `GET /messages/{id}`: one message, or `404`.
///
/// `Path<ObjectId>` turns the 24 hex digits of the path into an ObjectId
/// (with `ObjectId::parse_str`); anything else is a `PathRejection`.
pub async fn read_message(
    State(messages): State<Collection<Message>>,
    path: Result<Path<ObjectId>, PathRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    let Path(id) = path?;
    let message = messages.find_one(doc! { "_id": id }).await?;
    match message {
        Some(message) => Ok(Json(message.into())),
        None => Err(ApiError::message_not_found(id)),
    }
}

/// `PUT /messages/{id}`: replaces a message's name and email, keeps its id.
///
/// PUT sends the whole message, so both fields are required, and `$set`
/// writes both.
pub async fn replace_message(
    State(messages): State<Collection<Message>>,
    path: Result<Path<ObjectId>, PathRejection>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    let Path(id) = path?;
    let Json(input) = body?;
    let message = input.validate()?.into_message(id);
    let result = messages
        .update_one(
            doc! { "_id": id },
            doc! { "$set": { "name": &message.name, "email": &message.email } },
        )
        .await
        .map_err(ApiError::from_message_write)?;
    if result.matched_count == 0 {
        return Err(ApiError::message_not_found(id));
    }
    // The answer is what this PUT wrote. Reading it back would cost a
    // round trip, and could show another client's PUT that landed between.
    Ok(Json(message.into()))
}

/// `DELETE /messages/{id}`: `204 No Content` (nothing left to show), or `404`.
pub async fn delete_message(
    State(messages): State<Collection<Message>>,
    path: Result<Path<ObjectId>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = path?;
    let result = messages.delete_one(doc! { "_id": id }).await?;
    if result.deleted_count == 0 {
        return Err(ApiError::message_not_found(id));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}
