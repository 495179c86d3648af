//! Every error the API answers, in one JSON shape:
//!
//! ```json
//! {"error": {"code": "validation", "message": "name must not be empty", "field": "name"}}
//! ```
//!
//! `code` is for programs (it never changes wording), `message` is for
//! people, and `field` appears only when one field is at fault.
//!
//! Lesson 03's errors, plus what a database adds: a duplicate email (409),
//! a database that does not answer (503), and everything unexpected (500).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mongodb::bson::oid::ObjectId;
use mongodb::error::ErrorKind;
use serde::Serialize;

/// The code MongoDB gives a write that breaks a unique index.
pub const DUPLICATE_KEY: i32 = 11000;

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
    /// What went wrong on our side, for the server's log; never sent.
    cause: Option<String>,
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

    /// `404 Not Found` for an id no document has.
    pub fn message_not_found(id: ObjectId) -> Self {
        Self::not_found(format!("there is no message with id {id}"))
    }

    /// `409 Conflict`: the unique index on `email` refused the write.
    pub fn email_taken() -> Self {
        Self {
            field: Some("email"),
            ..Self::new(
                StatusCode::CONFLICT,
                "conflict",
                "a message with this email already exists",
            )
        }
    }

    /// Any other error, with no field at fault.
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

    /// For an insert or an update of a message: code 11000 can only come
    /// from the unique index on `email`, so it becomes a 409; anything
    /// else is a database error like any other.
    pub fn from_message_write(err: mongodb::error::Error) -> Self {
        if is_duplicate_key(&err) {
            Self::email_taken()
        } else {
            Self::from(err)
        }
    }
}

/// What `?` does with a driver error: `503` when MongoDB cannot be reached
/// (worth trying again later), `500` for anything else. The details go to
/// the server's log (when the answer is sent), never to the client.
impl From<mongodb::error::Error> for ApiError {
    fn from(err: mongodb::error::Error) -> Self {
        let answer = match *err.kind {
            ErrorKind::ServerSelection { .. }
            | ErrorKind::Io(_)
            | ErrorKind::ConnectionPoolCleared { .. } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not reachable right now; try again in a moment",
            ),
            _ => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on the server",
            ),
        };
        // The kind says what went wrong, in one line. The whole error
        // (`{err}`) adds the server's raw answer, dumped in hexadecimal.
        answer.with_cause(format_args!("database error: {}", err.kind))
    }
}

/// Did MongoDB refuse the write because of a unique index?
pub fn is_duplicate_key(_err: &mongodb::error::Error) -> bool {
    // TODO 5: decide which driver errors mean "this email is taken".
    //         True only when MongoDB refused a write because of the unique
    //         index; false for every other failure. The two mistakes cost
    //         differently: a wrong true tells a client its email is taken
    //         when the database was down or something else broke; a wrong
    //         false turns a plain duplicate into a 500. The driver says
    //         what happened in its error's kind and in the code the server
    //         sent, in more than one shape. Rename `_err` to `err`.
    //         Read: notes §7, "Which errors mean taken"; `ErrorKind`,
    //         `WriteFailure` and `CommandError` in `mongodb::error`.
    todo!("TODO 5: does this error mean the email is taken?")
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

/// The one place an error is logged: when it becomes an answer. A 5xx is
/// our fault, so it goes to the server's log, with its cause; a 4xx is the
/// client's, and the answer says it all.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            let cause = self.cause.as_deref().unwrap_or(&self.message);
            eprintln!("error: {} {}: {cause}", self.status.as_u16(), self.code);
        }
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

/// Why axum's `Json` extractor refused a body, in our shape (as in lesson 03).
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
            // Valid JSON of the wrong shape: a field missing, or a number
            // where a string belongs. serde's words name the field.
            JsonRejection::JsonDataError(err) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                format!("the body does not fit: {}", serde_reason(&err)),
            ),
            // Anything else, such as a body too large to read: keep axum's
            // status and words.
            other => Self::new(other.status(), "bad_request", other.body_text()),
        }
    }
}

/// Why axum's `Path` extractor refused the `{id}` in the path: here, text
/// that is not 24 hexadecimal digits cannot become an `ObjectId`.
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            PathRejection::FailedToDeserializePathParams(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_id",
                "a message id is 24 hexadecimal digits, such as /messages/65f1c0ffee0123456789abcd",
            ),
            // A route without `{id}` used a handler that wants one: our bug.
            other => Self::new(other.status(), "internal", other.body_text()),
        }
    }
}

/// Why axum's `Query` extractor refused the query string, such as
/// `?limit=1&limit=2`.
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

/// The error serde reported, without axum's general sentence in front:
/// `name: invalid type: integer `5`, expected a string at line 1 column 10`.
fn serde_reason(rejection: &dyn std::error::Error) -> String {
    match rejection.source() {
        Some(reason) => reason.to_string(),
        None => rejection.to_string(),
    }
}
