//! Who is asking: the `token` cookie, and the two middlewares of lesson 08
//! that check it, one for the JSON API and one for the pages.
//!
//! In lesson 08 the cookie only had to be there: anyone could write one by
//! hand. Now its value is a JWT that must be signed with our secret, not be
//! expired, and name a user who still exists in MongoDB.

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use mongodb::bson::oid::ObjectId;

use crate::{ApiError, AppState, AuthConfig, site};

/// The cookie that carries the token, named as in the source notes.
pub const TOKEN_COOKIE: &str = "token";

/// Who is logged in: what the middleware hands on to the handlers, in the
/// request's extensions. A handler takes it with `Extension<CurrentUser>`.
/// There is no password hash in it: no handler needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: ObjectId,
    pub email: String,
}

/// The cookie that logs a browser in, with the attributes of lesson 07:
///
/// - `HttpOnly`: page scripts cannot read it, so a script injected into a
///   page cannot steal the token.
/// - `SameSite=Lax`: the browser leaves it out of requests that another
///   site starts in the background, such as a form on evil.example posting
///   here. That blocks the common cross-site request forgery: one layer
///   of the defence, not all of it (notes, "Where the token lives").
/// - `Secure` (unless `COOKIE_SECURE=false`): sent back over HTTPS only,
///   and to `127.0.0.1` or `localhost`, which browsers and curl trust.
/// - `Path=/`: sent with every request to this site.
/// - `Max-Age`: the token's lifetime; the browser drops the cookie when the
///   token would be refused anyway.
// TODO 5: Build the log-in cookie that carries `token`, with the five attributes that protect it.
//   The list above says which and why. Each one closes a door: page
//   scripts, other sites' requests, plain HTTP (unless
//   `config.secure_cookies` says otherwise), other paths, and a cookie that
//   outlives its token (`config.token_lifetime`). Rename the
//   parameters when you use them. Read: notes, "Where the token lives";
//   docs.rs: `axum_extra::extract::cookie::CookieBuilder`, and the `time`
//   crate's `Duration` for `Max-Age`.
pub fn login_cookie(_token: String, _config: &AuthConfig) -> Cookie<'static> {
    todo!("TODO 5: the log-in cookie and its attributes")
}

/// The same cookie, empty and already expired: `Set-Cookie: token=;
/// Max-Age=0; …` makes the browser delete its copy. Name and path match
/// the cookie being deleted.
pub fn logout_cookie(config: &AuthConfig) -> Cookie<'static> {
    let mut cookie = login_cookie(String::new(), config);
    cookie.make_removal();
    cookie
}

/// Middleware for the JSON API: lets the request through with a
/// [`CurrentUser`], or answers `401 Unauthorized`.
pub async fn require_user(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let user = authenticate(&state, request.headers()).await?;
    request.extensions_mut().insert(user);
    Ok(next.run(request).await)
}

/// Middleware for pages: lets the request through with a [`CurrentUser`],
/// or shows the log-in form instead of the page, as the notes'
/// `isAuthenticated` does.
pub async fn require_user_for_pages(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    match authenticate(&state, request.headers()).await {
        Ok(user) => {
            request.extensions_mut().insert(user);
            next.run(request).await
        }
        // Not a log-in problem: the database failed. Say so, on a page.
        Err(AuthError::Database(err)) => {
            let (status, message) = ApiError::from(err).into_page_parts();
            site::error_page(&state, status, &message)
        }
        Err(_) => site::login_page(&state, "", None).into_response(),
    }
}

/// Why a request was not let in. The two middlewares answer each reason
/// in their own way, and decide by the reason, never by a status code: the
/// API with a `401` in JSON, the pages with the log-in form. A database
/// that fails is no reason to log in again: both tell it as the server
/// error it is.
#[derive(Debug)]
pub enum AuthError {
    /// No `token` cookie came; `bearer`: an `Authorization` header came
    /// instead, which this app does not read (the notes say why).
    NoCookie { bearer: bool },
    /// The token was ours but has expired: the one refusal the user can act
    /// on, so it is the one that says what happened.
    Expired,
    /// Forged, tampered, malformed, or naming a user who no longer exists:
    /// one and the same answer for all, so that a forger learns nothing.
    InvalidSession,
    /// The user could not be looked up.
    Database(mongodb::error::Error),
}

impl From<mongodb::error::Error> for AuthError {
    fn from(err: mongodb::error::Error) -> Self {
        AuthError::Database(err)
    }
}

/// What the JSON API answers for each reason.
impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        match err {
            AuthError::NoCookie { bearer: true } => ApiError::unauthorized(
                "this API does not read the Authorization header: log in with POST /login \
                 and send the `token` cookie it sets",
            ),
            AuthError::NoCookie { bearer: false } => ApiError::unauthorized(
                "log in first: POST /login sets the `token` cookie this needs",
            ),
            AuthError::Expired => ApiError::unauthorized("your session has expired: log in again"),
            AuthError::InvalidSession => {
                ApiError::unauthorized("your session is not valid: log in again")
            }
            AuthError::Database(err) => ApiError::from(err),
        }
    }
}

/// The user the request's `token` cookie names, once everything checks out.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<CurrentUser, AuthError> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(TOKEN_COOKIE) else {
        return Err(AuthError::NoCookie {
            bearer: headers.contains_key(AUTHORIZATION),
        });
    };

    user_for_token(state, cookie.value()).await
}

/// The user `token` names, if the token checks out and the user still
/// exists.
// TODO 6: The user a valid token names, if they still exist; one and the same refusal for every bad token.
//   `state.tokens` checks the signature, the algorithm and the expiry
//   (TODO 3). Forged, tampered, malformed, a `sub` that is no id, or
//   naming no stored user: a forger must learn nothing from the answer, so
//   all of them are one `AuthError` (jsonwebtoken's words go to the log
//   instead, at `info`). The one exception is an expired token, which the
//   user can act on. A database that fails is no refusal: it stays an error.
//   Rename the parameters when you use them. Read: notes, step 8 "The
//   middleware, grown up"; docs.rs: `jsonwebtoken::errors::ErrorKind`.
async fn user_for_token(_state: &AppState, _token: &str) -> Result<CurrentUser, AuthError> {
    todo!("TODO 6: check the token and load its user")
}
