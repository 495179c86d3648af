//! Lesson 03 — express-style routing with axum: a JSON API with create,
//! read, update and delete, over messages kept in memory. EXERCISE.
//!
//! Read `notes/03-express-routing.md` first. Then do the `TODO`s, by number
//! (they are in `src/handlers.rs`, this file and `src/error.rs`), and check
//! your work with `cargo test -p lesson-03-express-routing`.
//!
//! | request | answer |
//! |---|---|
//! | `GET /contact` | `{"id":1,"page":"contactPages"}` |
//! | `GET /messages` | every message, oldest first |
//! | `POST /messages` | `201 Created`, `Location: /messages/{id}`, the new message |
//! | `GET /messages/{id}` | that message, or `404` |
//! | `PUT /messages/{id}` | replaces it: `200` and the message, or `404` |
//! | `DELETE /messages/{id}` | `204 No Content`, or `404` |
//!
//! Every error has one JSON shape (see [`ApiError`]):
//! `{"error": {"code": "validation", "message": "…", "field": "email"}}`.
//!
//! Run it: `cargo run -p lesson-03-express-routing`, then
//! `curl http://127.0.0.1:3000/contact`.

use axum::Router;
use axum::routing::get;

pub mod handlers;

mod error;
mod message;
mod store;

pub use error::ApiError;
pub use message::{Message, MessageInput, ValidMessage};
pub use store::MessageStore;

/// The whole API: every route, its handlers, and the store they share.
///
/// In Express each `app.get(path, handler)` adds one route. Here each
/// `.route(path, ...)` takes every method for one path at once.
pub fn app(store: MessageStore) -> Router {
    Router::new()
        .route("/contact", get(handlers::contact))
        // TODO 2: Send each message request of the table above to its handler in `handlers`.
        //         Five requests on two paths. Each path is one `.route(...)`
        //         that carries all of its methods; its `{id}` part is a path
        //         parameter. A method a path does not take must answer `405`
        //         with an `Allow` header, which axum does by itself once the
        //         routes are right.
        //         Notes: "3. Every route in one place"; docs.rs: `axum::routing`.
        // Any path no route matches.
        .fallback(handlers::route_not_found)
        // Every handler that asks for `State<MessageStore>` gets a clone of this one.
        .with_state(store)
}
