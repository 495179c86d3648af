//! Lesson 08 — middleware: code that runs around the handlers. EXERCISE.
//!
//! Read `notes/08-middleware.md` first. Then do the `TODO`s, in order: 1
//! and 2 in `src/auth.rs`, 3 here, 4 in `src/timing.rs`, 5 here. Check your
//! work with `cargo test -p lesson-08-middleware`.
//!
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
// TODO 3 needs `axum::middleware`. TODO 5 needs `tracing::Level` and, from
// `tower_http::trace`, `DefaultMakeSpan`, `DefaultOnResponse` and `TraceLayer`.

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

    // Pages for logged-in visitors only.
    // TODO 3a: put `auth::require_user_for_pages` in front of this route:
    //          chain `.route_layer(middleware::from_fn_with_state(state.clone(),
    //          auth::require_user_for_pages))` after `.route(..)`. It needs the
    //          state (to render the login page), hence `from_fn_with_state`.
    //          Until then, `Extension<CurrentUser>` in the handler finds
    //          nothing, and the page is a 500.
    let member_pages = Router::new().route("/", get(site::logout_page));

    Router::new()
        .merge(member_pages)
        .route("/about", get(site::about))
        .route("/login", post(site::login))
        .route("/logout", post(site::logout))
        .route("/api/health", get(api::health))
        .nest("/api", members_api())
        .fallback(site::not_found)
        // TODO 5: wrap everything above, the fallback too, in two layers,
        //         here, after `.fallback(..)` (a layer wraps only what is
        //         already there):
        //         - `.layer(middleware::from_fn(timing::server_timing))`
        //         - then, outermost, a `TraceLayer` that logs at INFO:
        //           `.layer(TraceLayer::new_for_http()
        //               .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
        //               .on_response(DefaultOnResponse::new().level(Level::INFO)))`
        .with_state(state)
}

/// The JSON API for logged-in users, mounted under `/api`.
fn members_api() -> Router<AppState> {
    Router::new()
        .route("/me", get(api::me))
        .route("/guestbook", get(api::list).post(api::sign))
        .fallback(api::not_found)
    // TODO 3b: put `auth::require_user` in front of these routes: chain
    //          `.route_layer(middleware::from_fn(auth::require_user))` after
    //          `.fallback(..)`. `route_layer`, not `layer`: the middleware
    //          must run only when a route matched, so an unknown path gets
    //          the JSON 404 from the fallback instead of a 401.
}
