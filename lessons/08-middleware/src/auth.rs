//! The lesson's middleware: `isAuthenticated` from the source notes, in
//! Rust. It looks for the `token` cookie; with one, the request goes on to
//! the handler (Express's `next()`), carrying a [`CurrentUser`]; without
//! one, the middleware answers by itself and the handler never runs.
//!
//! Two versions, one per kind of route:
//! - [`require_user_for_pages`]: a browser asking for a page gets the login
//!   page, as in the notes.
//! - [`require_user`]: a program asking the JSON API gets `401` and a JSON
//!   error it can read.
//!
//! The token is only the name typed at login: anyone can write such a
//! cookie by hand, so it proves nothing. Lesson 09 replaces it with a signed
//! token; these middlewares keep their shape.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use time::Duration;

use crate::AppState;
use crate::error::ApiError;

/// The cookie that says "logged in", named as in the source notes.
pub const TOKEN_COOKIE: &str = "token";
/// How long a login lasts.
pub const LOGIN_LASTS: Duration = Duration::hours(1);

/// Who is logged in: what the middleware hands on to the handlers, in the
/// request's extensions. A handler takes it with `Extension<CurrentUser>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub name: String,
}

/// The user named by the request's `token` cookie, if there is one that is
/// not empty.
// TODO 1: Find who is logged in: the trimmed `token` cookie, or nobody.
// No cookie, or an empty or blank one, is nobody. Both middlewares below ask
// this function, so the rule lives in one place.
// Rename `_jar` to `jar`. Read: notes § 3, "`isAuthenticated`, in Rust";
// lesson 07 for `CookieJar::get`; `bool::then` or `Option::filter` on docs.rs.
pub fn current_user(_jar: &CookieJar) -> Option<CurrentUser> {
    todo!("TODO 1: the user named by the `token` cookie, or nobody")
}

/// Middleware for pages: lets the request through with a [`CurrentUser`],
/// or shows the login page instead of the handler's page.
///
/// `from_fn_with_state` runs it: it needs the state to render the page.
/// Extractors come first (any that read only the head of the request),
/// then the `Request` itself, then `Next`, the rest of the chain.
// TODO 2: Let logged-in visitors through with their user; show others the login page.
// For the others, the page's handler must never run. The handler takes the
// user with `Extension<CurrentUser>`: it must find it in the request's
// extensions. The login page is `site::login_page`, with nothing typed and
// no error. Rename the `_` parameters you use.
// Read: notes § 3 and § 4, "Passing data on: request extensions".
pub async fn require_user_for_pages(
    State(_state): State<AppState>,
    _jar: CookieJar,
    _request: Request,
    _next: Next,
) -> Response {
    todo!("TODO 2: the login page, or the page with the user passed on")
}

/// Middleware for the JSON API: lets the request through with a
/// [`CurrentUser`], or answers `401 Unauthorized`.
///
/// `from_fn` runs it: it needs no state. Returning `Result` works because
/// both `Response` and `ApiError` turn into a response.
// TODO 3: Let logged-in API calls through with their user; answer others 401 in JSON.
// A refused request never reaches the handler. A program reads the status,
// not a login form. The error type is `ApiError` (src/error.rs); say in its
// message how to log in.
// Rename the `_` parameters you use. Read: notes § 5, "Pages or JSON".
pub async fn require_user(
    _jar: CookieJar,
    _request: Request,
    _next: Next,
) -> Result<Response, ApiError> {
    todo!("TODO 3: 401 in JSON, or the request passed on with the user")
}

/// The cookie that logs a browser in: `HttpOnly`, `SameSite=Lax`,
/// `Secure`, `Path=/`, kept for [`LOGIN_LASTS`] (lesson 07 explains each).
///
/// Always `Secure` here: browsers keep a `Secure` cookie from
/// `http://127.0.0.1` too, since they count the machine itself as secure.
/// For a browser on another machine over plain HTTP, lesson 07's
/// `COOKIE_SECURE=false` comes back in lesson 09.
pub fn login_cookie(name: String) -> Cookie<'static> {
    Cookie::build((TOKEN_COOKIE, name))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(true)
        .path("/")
        .max_age(LOGIN_LASTS)
        .build()
}

/// What to pass to `jar.remove(..)` to log a browser out: same name, same
/// path.
pub fn logout_cookie() -> Cookie<'static> {
    Cookie::build(TOKEN_COOKIE).path("/").build()
}
