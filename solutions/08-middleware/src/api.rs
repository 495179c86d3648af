//! The JSON side of the app, under `/api`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::guestbook::Entry;

/// The longest guestbook message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 200;

/// `GET /api/health`: public, answers whether the server is up.
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /api/me`, behind [`crate::auth::require_user`]: who is logged in,
/// as the middleware found out.
pub async fn me(Extension(user): Extension<CurrentUser>) -> Json<Value> {
    Json(json!({ "name": user.name }))
}

/// `GET /api/guestbook`, behind the middleware: every entry.
pub async fn list(State(state): State<AppState>) -> Json<Vec<Entry>> {
    Json(state.guestbook.entries())
}

/// The body of `POST /api/guestbook`.
#[derive(Debug, Deserialize)]
pub struct NewEntry {
    pub message: String,
}

/// `POST /api/guestbook`, behind the middleware: signs the guestbook in the
/// name of the logged-in user. `201 Created` with the new entry.
///
/// When the middleware rejects the request, this function never runs, and
/// the guestbook does not change.
pub async fn sign(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    body: Result<Json<NewEntry>, JsonRejection>,
) -> Result<(StatusCode, Json<Entry>), ApiError> {
    let Json(new) = body?;
    let message = new.message.trim();
    if message.is_empty() {
        return Err(ApiError::invalid_field(
            "message",
            "message must not be empty",
        ));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid_field(
            "message",
            format!("message must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    let entry = Entry {
        name: user.name,
        message: message.to_owned(),
    };
    state.guestbook.sign(entry.clone());
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Any path under `/api` that no route matched: a JSON 404.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such API route")
}
