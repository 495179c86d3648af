//! Every error the API answers, in one JSON shape:
//!
//! ```json
//! {"error": {"code": "validation", "message": "name must not be empty", "field": "name"}}
//! ```
//!
//! `code` is for programs (it never changes wording), `message` is for
//! people, and `field` appears only when one field is at fault.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answer: a status code and the JSON body that explains it.
///
/// Handlers return `Result<_, ApiError>`; axum turns the `Err` side into a
/// response through the [`IntoResponse`] implementation below.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<&'static str>,
}

impl ApiError {
    /// `422 Unprocessable Entity`: the JSON is fine, but `field` breaks a rule.
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", message)
        }
    }

    /// `404 Not Found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// `404 Not Found` for a message id that is not in the store.
    pub fn message_not_found(id: u64) -> Self {
        Self::not_found(format!("there is no message with id {id}"))
    }

    /// Any other error, with no field at fault.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }
}

/// The body: `{"error": {...}}`.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetails<'a>,
}

#[derive(Serialize)]
struct ErrorDetails<'a> {
    code: &'a str,
    message: &'a str,
    // Left out of the JSON when there is no field to name.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetails {
                code: self.code,
                message: &self.message,
                field: self.field,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// Why axum's `Json` extractor refused a body, in our shape.
///
/// Each status tells the client what to fix: `415` its `Content-Type`
/// header, `400` its JSON, `422` its data. A client that only reads the
/// status still knows which.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            // No `Content-Type: application/json`: we cannot know the body
            // is JSON, so we do not try to read it.
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON, with the header `Content-Type: application/json`",
            ),
            // The body is not JSON at all, such as `{"name": "Ada",`.
            JsonRejection::JsonSyntaxError(err) => Self::new(
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("the body is not valid JSON: {}", serde_reason(&err)),
            ),
            // Valid JSON of the wrong shape: a field missing, or a number
            // where a string belongs. serde's words name the field.
            JsonRejection::JsonDataError(err) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                format!("the JSON has the wrong shape: {}", serde_reason(&err)),
            ),
            // Anything else, such as a body too large to read: keep axum's
            // status and words.
            other => Self::new(other.status(), "bad_request", other.body_text()),
        }
    }
}

/// Why axum's `Path` extractor refused the `{id}` in the path.
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            // `/messages/abc` or `/messages/-1`: not a `u64`.
            PathRejection::FailedToDeserializePathParams(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_id",
                "a message id is a whole number, such as /messages/1",
            ),
            // A route without `{id}` used a handler that wants one: our bug.
            other => Self::new(other.status(), "internal", other.body_text()),
        }
    }
}

/// The error serde reported, without axum's general sentence in front:
/// `name: invalid type: integer `5`, expected a string at line 1 column 10`.
fn serde_reason(rejection: &dyn std::error::Error) -> String {
    match rejection.source() {
        Some(reason) => reason.to_string(),
        None => rejection.to_string(),
    }
}
