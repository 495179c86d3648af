//! Lesson 06 — Mongo schemas and models: lesson 03's `/messages` API, with
//! the messages stored in MongoDB.
//!
//! | request | answer |
//! |---|---|
//! | `GET /messages?limit=20&skip=0` | a page of messages, oldest first |
//! | `POST /messages` | `201 Created`, `Location: /messages/{id}`, the new message |
//! | `GET /messages/{id}` | that message, or `404` |
//! | `PUT /messages/{id}` | replaces it: `200` and the message, or `404` |
//! | `DELETE /messages/{id}` | `204 No Content`, or `404` |
//!
//! Ids are ObjectIds, shown as 24 hex digits: `"id": "65f1c0ffee0123456789abcd"`.
//! Errors have lesson 03's JSON shape (see [`ApiError`]); a second message
//! with the same email is a `409`, a database that does not answer a `503`.
//!
//! - [`message`]: the schema, as serde structs, and the checks.
//! - [`database`]: connecting, the model (`Collection<Message>`), and the
//!   unique index on `email`.
//! - [`handlers`]: one function per route, each a driver call or two.
//!
//! Run it with a MongoDB running (`docker run -d -p 27017:27017 mongo:8.0`):
//! `cargo run -p solution-06-mongo-models`, then
//! `curl -i -H 'content-type: application/json' -d '{"name": "Ada", "email": "ada@example.com"}' http://127.0.0.1:3000/messages`.
//! `MONGODB_URI` (default `mongodb://127.0.0.1:27017`) and `MONGODB_DB`
//! (default `backendlearning`) choose the server and the database.

use axum::routing::get;
use axum::{Router, middleware};
use mongodb::Database;

pub mod completion;
pub mod database;
pub mod handlers;
pub mod message;
pub mod page;

mod error;

pub use database::{connect, messages, prepare};
pub use error::{ApiError, DUPLICATE_KEY, is_duplicate_key};
pub use message::{Message, MessageInput, MessageJson, ValidMessage};

/// The whole API, over the messages of `db`. Call [`prepare`] once before,
/// so that the unique index on `email` exists.
pub fn app(db: Database) -> Router {
    Router::new()
        .route(
            "/messages",
            get(handlers::list_messages).post(handlers::create_message),
        )
        .route(
            "/messages/{id}",
            get(handlers::read_message)
                .put(handlers::replace_message)
                .delete(handlers::delete_message),
        )
        // Any path no route matches.
        .fallback(handlers::route_not_found)
        // Every request runs to its end on a task of its own, even when
        // its client hangs up halfway (see `completion`).
        .layer(middleware::from_fn(completion::run_to_completion))
        // Every handler that asks for `State<Collection<Message>>` gets a
        // clone of the model.
        .with_state(messages(&db))
}
