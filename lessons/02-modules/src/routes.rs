//! The routing table: which handler answers which method and path.
//!
//! This file only decides; the handlers build the responses.

use hyper::Method;

use crate::HttpResponse;

/// Chooses the response from the method and the path.
pub fn route(_method: &Method, _path: &str) -> HttpResponse {
    // TODO 3: `route` decides as lesson 01 did, and lets `handlers` build answers.
    //         Every method and path gets what `route` in `src/main.rs` gives,
    //         but this file builds no page itself: each answer comes from a
    //         function of `handlers`, called by a path that shows where it
    //         lives. Notes "4. `use` and paths". (Drop the `_` of the
    //         parameters once you use them.)
    todo!("TODO 3: `routes::route` is still a stub")
}
