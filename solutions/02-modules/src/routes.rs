//! The routing table: which handler answers which method and path.
//!
//! This file only decides; the handlers build the responses.

use hyper::Method;

use crate::{HttpResponse, handlers};

/// Chooses the response from the method and the path.
///
/// `handlers::contact()` names the function by its module: the reader sees
/// at once where it lives.
pub fn route(method: &Method, path: &str) -> HttpResponse {
    match (method, path) {
        (&Method::GET, "/") => handlers::home(),
        (&Method::GET, "/contact") => handlers::contact(),
        (&Method::GET, "/about") => handlers::about(),
        // The path exists, but not for this method.
        (_, "/" | "/contact" | "/about") => handlers::method_not_allowed(),
        _ => handlers::not_found(),
    }
}
