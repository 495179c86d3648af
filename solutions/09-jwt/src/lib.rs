//! Lesson 09 — JWT: a complete, safe sign-up, log-in and log-out flow over
//! MongoDB.
//!
//! | request | answer |
//! |---|---|
//! | `POST /register` | `201` and the user; `409` taken email; `422` bad email or weak password |
//! | `POST /login` | `200`, the user and the `token` cookie; `401` wrong email or password |
//! | `POST /logout` | `204`, and the cookie deleted |
//! | `GET /me` | who you are, or `401` |
//! | `/messages`, `/messages/{id}` | lesson 06's API, logged in only; `403` on others' messages |
//! | `GET /register`, `GET /login`, `GET /` | the same flow as HTML pages |
//!
//! - [`user`], [`message`]: what is stored, what is received, the checks.
//! - [`password`]: argon2id hashing. [`token`]: signing and checking JWTs.
//! - [`auth`]: the cookie, and the middleware that guards the API.
//! - [`accounts`]: sign-up, log-in, log-out. [`handlers`]: the messages.
//! - [`site`]: the pages, rendered by [`pages`].
//!
//! Run it with a MongoDB running (`docker run -d -p 27017:27017 mongo:8.0`):
//!
//! ```text
//! export JWT_SECRET="$(openssl rand -hex 32)"
//! export MONGODB_URI=mongodb://127.0.0.1:27017
//! cargo run -p solution-09-jwt
//! ```
//!
//! then open <http://127.0.0.1:3000/register>.

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::middleware;
use axum::routing::{get, post};
use mongodb::{Collection, Database};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub mod accounts;
pub mod auth;
pub mod completion;
pub mod config;
pub mod database;
pub mod handlers;
pub mod input;
pub mod message;
pub mod page;
pub mod pages;
pub mod password;
pub mod site;
pub mod token;
pub mod user;

mod error;

pub use config::{AuthConfig, ConfigError, JwtSecret};
pub use database::{connect, prepare};
pub use error::{ApiError, is_duplicate_key};
pub use message::{Message, MessageInput, MessageJson, ValidMessage};
pub use user::{Credentials, User, UserJson};

use pages::Pages;
use password::Passwords;
use token::Tokens;

/// What handlers can reach. `FromRef` lets a handler ask for one part only,
/// as lesson 06's handlers do with `State<Collection<Message>>`.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub users: Collection<User>,
    pub messages: Collection<Message>,
    pub passwords: Passwords,
    pub tokens: Arc<Tokens>,
    pub config: Arc<AuthConfig>,
    pub pages: Arc<Pages>,
}

/// The whole application, over the users and messages of `db`. Call
/// [`prepare`] once before, so that the unique index on `email` exists.
pub fn app(db: Database, config: AuthConfig) -> Router {
    let state = AppState {
        users: database::users(&db),
        messages: database::messages(&db),
        passwords: config.passwords.clone(),
        tokens: Arc::new(Tokens::new(&config.jwt_secret, config.token_lifetime)),
        config: Arc::new(config),
        pages: Arc::new(Pages::new()),
    };

    // Everything in here needs a logged-in user. `route_layer` runs the
    // middleware for these routes only, once one of them has matched.
    let logged_in_only = Router::new()
        .route("/me", get(accounts::me))
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
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_user,
        ));

    // The logged-in page, behind the pages' middleware: without a valid
    // token, the log-in form shows instead.
    let member_pages = Router::new()
        .route("/", get(site::logout_page))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_user_for_pages,
        ));

    Router::new()
        .merge(member_pages)
        .route(
            "/register",
            get(site::register_form).post(accounts::register),
        )
        .route("/login", get(site::login_form).post(accounts::login))
        .route("/logout", post(accounts::logout))
        .merge(logged_in_only)
        .fallback(handlers::route_not_found)
        // Every request runs to its end on a task of its own, even when
        // its client hangs up halfway (see `completion` and lesson 06).
        .layer(middleware::from_fn(completion::run_to_completion))
        // One log line per answered request: method, path, status, time.
        // Never headers or bodies: they carry tokens and passwords.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}
