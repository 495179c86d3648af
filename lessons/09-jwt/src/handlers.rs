//! The `/messages` handlers of lesson 06, behind the log-in.
//!
//! Two things changed. Every handler runs after [`crate::auth::require_user`],
//! so it can ask for the [`CurrentUser`]. And a message now has an owner:
//! everyone logged in reads every message, only the owner replaces or
//! deletes one (`403 Forbidden` for anyone else).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;
use futures::TryStreamExt;
use mongodb::Collection;
use mongodb::bson::doc;
use mongodb::bson::oid::ObjectId;

use crate::auth::CurrentUser;
use crate::page::PageQuery;
use crate::{ApiError, Message, MessageInput, MessageJson};

/// `POST /messages`: stores a message owned by the logged-in user, and
/// answers `201 Created` with its address in `Location` and the message.
pub async fn create_message(
    State(messages): State<Collection<Message>>,
    Extension(user): Extension<CurrentUser>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Json(input) = body?;
    // The owner comes from the token, never from the body.
    let message = input.validate()?.into_message(ObjectId::new(), user.id);
    messages.insert_one(&message).await?;
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
    let cursor = messages
        .find(doc! {})
        .sort(doc! { "_id": 1 })
        .skip(u64::from(page.skip))
        .limit(i64::from(page.limit))
        .await?;
    let found: Vec<Message> = cursor.try_collect().await?;
    Ok(Json(found.into_iter().map(MessageJson::from).collect()))
}

/// `GET /messages/{id}`: one message, or `404`.
pub async fn read_message(
    State(messages): State<Collection<Message>>,
    id: Result<Path<ObjectId>, PathRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    let Path(id) = id?;
    let message = find_message(&messages, id).await?;
    Ok(Json(message.into()))
}

/// `PUT /messages/{id}`: replaces the name and email of one of your own
/// messages. `404` if there is none, `403` if it is someone else's.
pub async fn replace_message(
    State(messages): State<Collection<Message>>,
    Extension(user): Extension<CurrentUser>,
    id: Result<Path<ObjectId>, PathRejection>,
    body: Result<Json<MessageInput>, JsonRejection>,
) -> Result<Json<MessageJson>, ApiError> {
    let Path(id) = id?;
    let Json(input) = body?;
    let valid = input.validate()?;
    check_owner(&find_message(&messages, id).await?, &user)?;
    let message = valid.into_message(id, user.id);
    // The filter names the owner too, so this write can only ever change
    // one of the user's own messages.
    let result = messages
        .update_one(
            doc! { "_id": id, "owner_id": user.id },
            doc! { "$set": { "name": &message.name, "email": &message.email } },
        )
        .await?;
    if result.matched_count == 0 {
        // Deleted by its owner between the check and the update.
        return Err(ApiError::message_not_found(id));
    }
    Ok(Json(message.into()))
}

/// `DELETE /messages/{id}`: `204 No Content` for one of your own messages,
/// `404` if there is none, `403` if it is someone else's.
pub async fn delete_message(
    State(messages): State<Collection<Message>>,
    Extension(user): Extension<CurrentUser>,
    id: Result<Path<ObjectId>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    check_owner(&find_message(&messages, id).await?, &user)?;
    let result = messages
        .delete_one(doc! { "_id": id, "owner_id": user.id })
        .await?;
    if result.deleted_count == 0 {
        return Err(ApiError::message_not_found(id));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Every request no route matches: `404`, in the API's error shape.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no route for {method} {}", uri.path()))
}

/// The message with this id, or `404`.
async fn find_message(messages: &Collection<Message>, id: ObjectId) -> Result<Message, ApiError> {
    messages
        .find_one(doc! { "_id": id })
        .await?
        .ok_or_else(|| ApiError::message_not_found(id))
}

/// `Ok` if `user` owns `message`, `403 Forbidden` otherwise.
///
/// 401 would be wrong here: we know exactly who is asking. 403 says
/// "logging in again will not help".
// TODO 7: Let a message's owner through; anyone else gets a 403 that says why.
//   The owner is the user the middleware found, never something the client
//   sent. Rename the parameters when you use them. Read: notes, step 9
//   "Owners".
pub fn check_owner(_message: &Message, _user: &CurrentUser) -> Result<(), ApiError> {
    todo!("TODO 7: let only the owner change a message")
}
