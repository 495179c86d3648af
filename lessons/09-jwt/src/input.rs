//! Bodies that come either as JSON (from an API client) or as an HTML form
//! (from the pages), read into the same typed struct.

use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::{Form, Json};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// A body sent as JSON or as a form. Handlers answer in kind: JSON for
/// JSON, a page or a redirect for a form.
pub enum Submitted<T> {
    Json(T),
    Form(T),
}

/// Reads the body according to its `Content-Type`: a form when it says
/// `application/x-www-form-urlencoded`, JSON otherwise (so a missing or
/// other type gets the JSON extractor's `415`).
impl<T, S> FromRequest<S> for Submitted<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if is_form(request.headers()) {
            let Form(value) = Form::from_request(request, state).await?;
            Ok(Self::Form(value))
        } else {
            let Json(value) = Json::from_request(request, state).await?;
            Ok(Self::Json(value))
        }
    }
}

/// Whether a request's body is an HTML form.
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"))
}
