//! Lesson 08 — middleware: code that runs around the handlers. EXERCISE.
//!
//! Read `notes/08-middleware.md` first. Then do the `TODO`s, in order: 1 to
//! 3 in `src/auth.rs`, 4 and 5 here, 6 and 7 in `src/timing.rs`, 8 here.
//! `cargo course` lists them; check your work with
//! `cargo test -p lesson-08-middleware`.
//!
//! What the finished app does:
//! - `GET /` is guarded by [`auth::require_user_for_pages`], the notes'
//!   `isAuthenticated`: without a `token` cookie you get the login page,
//!   with one the "logout" page that greets you.
//! - `POST /login` sets the cookie, `POST /logout` deletes it;
//!   `GET /about` is public.
//! - The JSON API under `/api` is guarded by [`auth::require_user`], which
//!   answers `401` instead: `GET /api/me`, and a guestbook,
//!   `GET /api/guestbook` and `POST /api/guestbook`. `GET /api/health` is
//!   public.
//! - Around everything: [`timing::server_timing`] adds a `Server-Timing`
//!   header to every response, and `TraceLayer` logs every request.
//!
//! Run it: `cargo run -p lesson-08-middleware`, then open
//! <http://127.0.0.1:3000> and watch the log in the terminal.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

pub mod api;
pub mod auth;
pub mod error;
pub mod guestbook;
pub mod pages;
pub mod site;
pub mod timing;

pub use guestbook::{Entry, Guestbook};

use pages::Pages;

/// What every handler (and `from_fn_with_state` middleware) can reach.
#[derive(Clone)]
pub struct AppState {
    pub pages: Arc<Pages>,
    pub guestbook: Guestbook,
}

/// The whole application, around the given guestbook.
pub fn app(guestbook: Guestbook) -> Router {
    let state = AppState {
        pages: Arc::new(Pages::new()),
        guestbook,
    };

    // TODO 4: Guard `GET /` with `auth::require_user_for_pages`, and no other route.
    // `/about`, `/login`, `/logout` and `/api/health` stay public, and an
    // unknown path still gets the 404 page, logged in or not.
    // You decide how: where the guard goes in this chain decides what it
    // covers. The middleware takes `State`. Read: notes § 6, "Putting
    // middleware on routes"; `Router::route_layer` and
    // `axum::middleware::from_fn_with_state` on docs.rs.
    //
    // TODO 8: Time and log every request, the 404s and the 401s included.
    // Each response carries `Server-Timing` (`timing::server_timing`), and
    // each request is logged at INFO by tower-http's `TraceLayer`.
    // You decide where these layers go, and in which order.
    // Read: notes § 7, § 8 "Logging every request: `TraceLayer`" and § 9
    // "The order layers run in".
    Router::new()
        .route("/", get(site::logout_page))
        .route("/about", get(site::about))
        .route("/login", post(site::login))
        .route("/logout", post(site::logout))
        .route("/api/health", get(api::health))
        .nest("/api", members_api())
        .fallback(site::not_found)
        .with_state(state)
}

/// The JSON API for logged-in users, mounted under `/api`.
fn members_api() -> Router<AppState> {
    // TODO 5: Guard these routes with `auth::require_user`; unknown paths still get the 404.
    // `/api/me` and `/api/guestbook` answer 401 without a login, while an
    // unknown path under `/api` still gets the JSON 404 of this fallback,
    // with or without a token ("log in first" for a path that does not
    // exist would mislead). Read: notes § 6; `axum::middleware::from_fn`.
    Router::new()
        .route("/me", get(api::me))
        .route("/guestbook", get(api::list).post(api::sign))
        .fallback(api::not_found)
}
