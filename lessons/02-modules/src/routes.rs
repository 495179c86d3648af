//! The routing table: which handler answers which method and path.
//!
//! This file only decides; the handlers build the responses.

use hyper::Method;

use crate::handlers::HttpResponse;

/// Chooses the response from the method and the path.
pub fn route(method: &Method, path: &str) -> HttpResponse {
    // TODO 4: Move the `match` from `route` in `src/main.rs` here, and make
    //         each arm call a handler instead of building the page itself:
    //             (&Method::GET, "/") => handlers::home(),
    //         and so on, down to `_ => handlers::not_found()`.
    //         To write `handlers::home()`, import the module: change the
    //         `use` line above to `use crate::handlers::{self, HttpResponse};`
    todo!("TODO 4 in src/routes.rs: move the `match` here (asked for {method} {path})")
}
