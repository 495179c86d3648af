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
impl From<JsonRejection> for ApiError {
    fn from(_rejection: JsonRejection) -> Self {
        // TODO 6: Give each way a JSON body can be refused the status that tells the client what to fix.
        //         Its header, its JSON, or its data: each has its own status
        //         in HTTP, and its own `code` in our table. Notes: "11. Bad
        //         bodies" (the statuses), "10. Errors in one shape" (the
        //         codes); docs.rs: `axum::extract::rejection::JsonRejection`.
        //         - The `message` is for people: say what went wrong, with
        //           serde's own reason when there is one (it names the field
        //           or the place in the JSON).
        //         - No single field is at fault: the error has no `field`.
        //         - axum may add kinds of refusal: any kind you do not pick
        //           out keeps the status axum gives it, in our shape.
        //         `From<PathRejection>` below does the same for the path.
        //         Rename `_rejection` to `rejection`.
        todo!("TODO 6: answer a refused JSON body in our shape")
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
