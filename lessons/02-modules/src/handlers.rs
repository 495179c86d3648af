//! One function per page: each builds the complete response.
//!
//! In Express these would be the `(req, res) => { ... }` callbacks. None of
//! ours needs the request, so they take no arguments.

use crate::HttpResponse;

// TODO 2: Each handler answers exactly what lesson 01 answered for its page.
//         Its arm of the `match` in `src/main.rs` says what: same status,
//         same headers, same page, the page taken from your `pages` module.
//         The `html` helper moves here and stays private: nothing outside
//         this file may come to depend on it. Each file imports what it
//         uses. Notes "3. `pub`" and "4. `use` and paths".

/// `GET /`: the home page.
pub fn home() -> HttpResponse {
    todo!("TODO 2: `handlers::home` answers the home page, 200")
}

/// `GET /contact`: the contact page.
pub fn contact() -> HttpResponse {
    todo!("TODO 2: `handlers::contact` answers the contact page, 200")
}

/// `GET /about`: the about page.
pub fn about() -> HttpResponse {
    todo!("TODO 2: `handlers::about` answers the about page, 200")
}

/// Any path no route knows: `404 Not Found`, with a page that says so.
pub fn not_found() -> HttpResponse {
    todo!("TODO 2: `handlers::not_found` answers the not-found page, 404")
}

/// A known path asked for with another method than `GET`:
/// `405 Method Not Allowed`, with the `Allow` header HTTP requires.
pub fn method_not_allowed() -> HttpResponse {
    todo!("TODO 2: `handlers::method_not_allowed` answers 405, as `src/main.rs` does")
}
