//! Every error the API answers, in one JSON shape (as in lessons 03 and 06):
//!
//! ```json
//! {"error": {"code": "validation", "message": "name must not be empty", "field": "name"}}
//! ```
//!
//! `code` is for programs, `message` for people, and `field` appears only
//! when one field is at fault. New in this lesson: `401 unauthorized` (we
//! do not know who you are) and `403 forbidden` (we do, and you may not).

use axum::Json;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mongodb::bson::oid::ObjectId;
use mongodb::error::{CommandError, ErrorKind, WriteError, WriteFailure};
use serde::Serialize;

/// The code MongoDB gives a write that breaks a unique index.
pub const DUPLICATE_KEY: i32 = 11000;

/// An error answer: a status code and the JSON body that explains it.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<&'static str>,
    /// What went wrong on our side, for the server's log; never sent.
    cause: Option<String>,
}

impl ApiError {
    /// Any error, with no field at fault.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            cause: None,
        }
    }

    /// The same answer, with what went wrong for the server's log.
    pub fn with_cause(self, cause: impl std::fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string()),
            ..self
        }
    }

    /// `422 Unprocessable Entity`: the JSON is fine, but `field` breaks a rule.
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", message)
        }
    }

    /// `401 Unauthorized`: no valid log-in came with the request.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// `403 Forbidden`: we know who you are, and you may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// `404 Not Found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// `404 Not Found` for an id no message has.
    pub fn message_not_found(id: ObjectId) -> Self {
        Self::not_found(format!("there is no message with id {id}"))
    }

    /// `409 Conflict`: the unique index on the users' `email` refused the write.
    pub fn email_taken() -> Self {
        Self {
            field: Some("email"),
            ..Self::new(
                StatusCode::CONFLICT,
                "conflict",
                "an account with this email already exists: log in instead",
            )
        }
    }

    /// `500 Internal Server Error`: a bug or an outage on our side. The
    /// `cause` goes to the server's log, never to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server",
        )
        .with_cause(cause)
    }

    /// For an HTML page that shows the error: its status and its message,
    /// logged first if it is our fault, as [`IntoResponse`] does.
    pub fn into_page_parts(self) -> (StatusCode, String) {
        self.log_if_ours();
        (self.status, self.message)
    }

    /// A 5xx is our fault: it goes to the server's log, with its cause. A
    /// 4xx is the client's, and the answer says it all.
    fn log_if_ours(&self) {
        if self.status.is_server_error() {
            let cause = self.cause.as_deref().unwrap_or(&self.message);
            tracing::error!(
                status = self.status.as_u16(),
                code = self.code,
                cause,
                "request failed"
            );
        }
    }
}

/// What `?` does with a driver error: `503` when MongoDB cannot be reached
/// (worth trying again later), `500` for anything else. The details go to
/// the server's log (when the answer is sent), never to the client.
impl From<mongodb::error::Error> for ApiError {
    fn from(err: mongodb::error::Error) -> Self {
        let cause = format!("database error: {}", err.kind);
        match *err.kind {
            ErrorKind::ServerSelection { .. }
            | ErrorKind::Io(_)
            | ErrorKind::ConnectionPoolCleared { .. } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not reachable right now; try again in a moment",
            )
            .with_cause(cause),
            _ => Self::internal(cause),
        }
    }
}

/// Did MongoDB refuse the write because of a unique index (code 11000)?
pub fn is_duplicate_key(err: &mongodb::error::Error) -> bool {
    matches!(
        err.kind.as_ref(),
        ErrorKind::Write(WriteFailure::WriteError(WriteError {
            code: DUPLICATE_KEY,
            ..
        })) | ErrorKind::Command(CommandError {
            code: DUPLICATE_KEY,
            ..
        })
    )
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
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// An error is logged in one place: when it becomes an answer.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log_if_ours();
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
/// This is also where NoSQL operator injection ends: `{"email": {"$ne":
/// null}}` is valid JSON, but an object is not the `String` the struct
/// asks for, so it is a `JsonDataError`, a 422, and no query ever sees it.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            // No `Content-Type: application/json`.
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
            // Valid JSON of the wrong shape: a field missing, or an object
            // where a string belongs. serde's words name the field.
            JsonRejection::JsonDataError(err) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                format!("the body does not fit: {}", serde_reason(&err)),
            ),
            // Anything else, such as a body too large to read.
            other => Self::new(other.status(), "bad_request", other.body_text()),
        }
    }
}

/// The same for the HTML forms of the log-in and sign-up pages.
impl From<FormRejection> for ApiError {
    fn from(rejection: FormRejection) -> Self {
        match rejection {
            FormRejection::FailedToDeserializeFormBody(err) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                format!("the form does not fit: {}", serde_reason(&err)),
            ),
            other => Self::new(other.status(), "bad_request", other.body_text()),
        }
    }
}

/// Why axum's `Path` extractor refused the `{id}` in the path: text that is
/// not 24 hexadecimal digits cannot become an `ObjectId`.
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            PathRejection::FailedToDeserializePathParams(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_id",
                "a message id is 24 hexadecimal digits, such as /messages/65f1c0ffee0123456789abcd",
            ),
            other => Self::new(other.status(), "internal", other.body_text()),
        }
    }
}

/// Why axum's `Query` extractor refused the query string.
impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            format!(
                "the query string does not fit: {}",
                serde_reason(&rejection)
            ),
        )
    }
}

/// The error serde reported, without axum's general sentence in front.
fn serde_reason(rejection: &dyn std::error::Error) -> String {
    match rejection.source() {
        Some(reason) => reason.to_string(),
        None => rejection.to_string(),
    }
}
