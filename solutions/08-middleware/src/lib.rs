//! Lesson 08 — middleware: code that runs around the handlers.
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
//! Run it: `cargo run -p solution-08-middleware`, then open
//! <http://127.0.0.1:3000> and watch the log in the terminal.

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

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

    // Pages for logged-in visitors only, in a router of their own: the
    // guard covers exactly these routes, and a route added to the app later
    // cannot slip under it by accident. `route_layer` runs the middleware
    // only when one of these routes matched.
    let member_pages = Router::new()
        .route("/", get(site::logout_page))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_user_for_pages,
        ));

    Router::new()
        .merge(member_pages)
        .route("/about", get(site::about))
        .route("/login", post(site::login))
        .route("/logout", post(site::logout))
        .route("/api/health", get(api::health))
        .nest("/api", members_api())
        .fallback(site::not_found)
        // `layer` wraps everything above, the fallback too. The last layer
        // added is the outermost: a request meets TraceLayer first, then
        // the timing, then the router.
        .layer(middleware::from_fn(timing::server_timing))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// The JSON API for logged-in users, mounted under `/api`.
fn members_api() -> Router<AppState> {
    Router::new()
        .route("/me", get(api::me))
        .route("/guestbook", get(api::list).post(api::sign))
        .fallback(api::not_found)
        // `route_layer`, not `layer`: the middleware runs only when a route
        // matched. An unknown path gets the JSON 404 from the fallback,
        // with or without a token, instead of a misleading 401.
        .route_layer(middleware::from_fn(auth::require_user))
}
