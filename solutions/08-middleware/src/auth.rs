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
    mut request: Request,
    next: Next,
) -> Response {
    match current_user(&jar) {
        Some(user) => {
            request.extensions_mut().insert(user);
            next.run(request).await
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
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let user = current_user(&jar).ok_or_else(|| {
        ApiError::unauthorized("log in first: POST /login sets the `token` cookie this needs")
    })?;
    request.extensions_mut().insert(user);
    Ok(next.run(request).await)
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
