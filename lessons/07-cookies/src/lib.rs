//! Lesson 07 — cookies: a browser that remembers your name, and a visit
//! counter kept in a cookie you can neither read nor forge. EXERCISE.
//!
//! Read `notes/07-cookies.md` first. Then do the `TODO`s, in order: they
//! are in `src/cookies.rs` and `src/routes.rs`. Check your work with
//! `cargo test -p lesson-07-cookies`.
//!
//! - `GET /` greets you by the plain `name` cookie, or asks for your name.
//!   Each visit adds one to the count in the `visits` cookie.
//! - `POST /remember` (an HTML form with a `name` field) sets `name`.
//! - `POST /forget` deletes both cookies.
//!
//! Run it (the app's key is 64 random bytes):
//!
//! ```text
//! export COOKIE_KEY="$(openssl rand -base64 64)"
//! cargo run -p lesson-07-cookies
//! ```
//!
//! then open <http://127.0.0.1:3000>.

use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum_extra::extract::cookie::Key;

pub mod config;
pub mod cookies;
pub mod pages;
pub mod routes;

pub use config::{ConfigError, CookieConfig};

use pages::Pages;

/// What every handler can reach through `State<AppState>`.
#[derive(Clone)]
pub struct AppState {
    pub config: CookieConfig,
    pub pages: Arc<Pages>,
}

/// Tells the jars that need the key (`SignedCookieJar`, `PrivateCookieJar`)
/// where to find it: such an extractor asks the state for a `Key` through
/// this impl.
impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Self {
        state.config.key.clone()
    }
}

/// The whole application. No cookie middleware: each handler that needs
/// cookies asks for a jar.
pub fn app(config: CookieConfig) -> Router {
    let state = AppState {
        config,
        pages: Arc::new(Pages::new()),
    };
    Router::new()
        .route("/", get(routes::home))
        .route("/remember", post(routes::remember))
        .route("/forget", post(routes::forget))
        .fallback(routes::not_found)
        .with_state(state)
}
