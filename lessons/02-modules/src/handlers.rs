//! One function per page: each builds the complete response.
//!
//! In Express these would be the `(req, res) => { ... }` callbacks. None of
//! ours needs the request, so they take no arguments.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

/// Every response in this lesson: a status, some headers and a body that is
/// already complete in memory (`Full<Bytes>`).
pub type HttpResponse = Response<Full<Bytes>>;

// TODO 2: Move the `html` helper function from `src/main.rs` to the bottom
//         of this file. Keep it private (no `pub`): only this file needs it.
//         It uses names this file has not imported yet: build, read the
//         errors, and add each one to the `use` lines above
//         (`StatusCode` comes from `hyper`; `CONTENT_TYPE` and `HeaderValue`
//         from `hyper::header`).
//
// TODO 3: Fill in the five handlers below. Each returns what its arm of the
//         `match` in `src/main.rs` returns, with the page taken from the
//         `pages` module: add `use crate::pages;` at the top, then write,
//         for example, `html(StatusCode::OK, pages::HOME)`.
//         For `method_not_allowed`, move the body of the function of the
//         same name from `src/main.rs` (it needs `ALLOW` from `hyper::header`).

/// `GET /`: the home page.
pub fn home() -> HttpResponse {
    todo!("TODO 3 in src/handlers.rs: return the home page, status 200")
}

/// `GET /contact`: the contact page.
pub fn contact() -> HttpResponse {
    todo!("TODO 3 in src/handlers.rs: return the contact page, status 200")
}

/// `GET /about`: the about page.
pub fn about() -> HttpResponse {
    todo!("TODO 3 in src/handlers.rs: return the about page, status 200")
}

/// Any path no route knows: `404 Not Found`, with a page that says so.
pub fn not_found() -> HttpResponse {
    todo!("TODO 3 in src/handlers.rs: return the not-found page, status 404")
}

/// A known path asked for with another method than `GET`:
/// `405 Method Not Allowed`, with the `Allow` header HTTP requires.
pub fn method_not_allowed() -> HttpResponse {
    todo!("TODO 3 in src/handlers.rs: move the body of `method_not_allowed` from src/main.rs")
}
