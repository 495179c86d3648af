//! One function per page: each builds the complete response.
//!
//! In Express these would be the `(req, res) => { ... }` callbacks. None of
//! ours needs the request, so they take no arguments.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};

// `crate::` starts a path at the root of this crate (`src/lib.rs`).
use crate::{HttpResponse, pages};

/// `GET /`: the home page.
pub fn home() -> HttpResponse {
    html(StatusCode::OK, pages::HOME)
}

/// `GET /contact`: the contact page.
pub fn contact() -> HttpResponse {
    html(StatusCode::OK, pages::CONTACT)
}

/// `GET /about`: the about page.
pub fn about() -> HttpResponse {
    html(StatusCode::OK, pages::ABOUT)
}

/// Any path no route knows: `404 Not Found`, with a page that says so.
pub fn not_found() -> HttpResponse {
    html(StatusCode::NOT_FOUND, pages::NOT_FOUND)
}

/// A known path asked for with another method than `GET`:
/// `405 Method Not Allowed`, with the `Allow` header HTTP requires.
pub fn method_not_allowed() -> HttpResponse {
    let mut response = html(StatusCode::METHOD_NOT_ALLOWED, pages::METHOD_NOT_ALLOWED);
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET"));
    response
}

/// An HTML response with the given status.
///
/// Not `pub`: only the handlers in this file need it, so nothing else can
/// call it, and it can change without breaking any other file.
fn html(status: StatusCode, body: &'static str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
