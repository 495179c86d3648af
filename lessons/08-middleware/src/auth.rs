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
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use time::Duration;

use crate::AppState;
use crate::error::ApiError;
use crate::site;

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
pub fn current_user(jar: &CookieJar) -> Option<CurrentUser> {
    let token = jar.get(TOKEN_COOKIE)?.value().trim();
    (!token.is_empty()).then(|| CurrentUser {
        name: token.to_owned(),
    })
}

/// Middleware for pages: lets the request through with a [`CurrentUser`],
/// or shows the login page instead of the handler's page.
///
/// `from_fn_with_state` runs it: it needs the state to render the page.
/// Extractors come first (any that read only the head of the request),
/// then the `Request` itself, then `Next`, the rest of the chain.
pub async fn require_user_for_pages(
    State(state): State<AppState>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    match current_user(&jar) {
        Some(user) => {
            // TODO 1: let the request through, carrying the user:
            //         - put `user` in the request's extensions, where the
            //           handler's `Extension<CurrentUser>` will find it:
            //           `request.extensions_mut().insert(user);`
            //           (this changes `request`: make the parameter
            //           `mut request`);
            //         - run the rest of the chain (the handler) and return
            //           its response: `next.run(request).await`.
            todo!(
                "TODO 1 in src/auth.rs: pass {user:?} on with {} to {next:?}",
                request.uri()
            )
        }
        // No `next.run`: the handler does not run, this is the answer.
        None => site::login_page(&state, "", None).into_response(),
    }
}

/// Middleware for the JSON API: lets the request through with a
/// [`CurrentUser`], or answers `401 Unauthorized`.
///
/// `from_fn` runs it: it needs no state. Returning `Result` works because
/// both `Response` and `ApiError` turn into a response.
pub async fn require_user(
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    // TODO 2: the same check as `require_user_for_pages`, for programs:
    //         - no user: return `Err(ApiError::unauthorized("log in first: ..."))`,
    //           a 401 with a JSON body, and do not call `next.run`. The `?`
    //           operator does it in one line: `current_user(&jar)
    //           .ok_or_else(|| ApiError::unauthorized("..."))?`;
    //         - a user: insert it in the extensions (`mut request`), then
    //           `Ok(next.run(request).await)`.
    todo!(
        "TODO 2 in src/auth.rs: check {jar:?} before {} reaches {next:?}",
        request.uri()
    )
}

/// The cookie that logs a browser in: `HttpOnly`, `SameSite=Lax`,
/// `Secure`, `Path=/`, kept for [`LOGIN_LASTS`] (lesson 07 explains each).
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
