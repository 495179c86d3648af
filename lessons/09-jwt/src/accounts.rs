//! Signing up, logging in and out, and `GET /me`.
//!
//! `/register` and `/login` take JSON (from an API client) or a form (from
//! the pages) and answer in kind: JSON for JSON; a redirect, or the form
//! again with the reason, for a form.

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;

use crate::auth::{CurrentUser, login_cookie, logout_cookie};
use crate::error::is_duplicate_key;
use crate::input::{Submitted, is_form};
use crate::pages::PageError;
use crate::user::{Credentials, User, UserJson};
use crate::{ApiError, AppState, site};

/// `POST /register`: `201` and the new user (JSON) or a redirect to the
/// log-in form (form). `409` for a taken email, `422` for a bad email or a
/// weak password.
pub async fn register(
    State(state): State<AppState>,
    input: Submitted<Credentials>,
) -> Result<Response, PageError> {
    match input {
        Submitted::Json(credentials) => Ok(match sign_up(&state, credentials).await {
            Ok(user) => (StatusCode::CREATED, Json(UserJson::from(&user))).into_response(),
            Err(err) => err.into_response(),
        }),
        Submitted::Form(credentials) => {
            let typed = credentials.email.clone();
            match sign_up(&state, credentials).await {
                Ok(_) => Ok(Redirect::to("/login?registered=1").into_response()),
                Err(err) => {
                    let (status, message) = err.into_page_parts();
                    let page = site::register_page(&state, &typed, Some(&message))?;
                    Ok((status, page).into_response())
                }
            }
        }
    }
}

/// `POST /login`: sets the `token` cookie and answers with the user (JSON)
/// or a redirect home (form). `401` for a wrong email or password.
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    input: Submitted<Credentials>,
) -> Result<Response, PageError> {
    match input {
        Submitted::Json(credentials) => Ok(match log_in(&state, credentials).await {
            Ok((user, token)) => {
                let jar = jar.add(login_cookie(token, &state.config));
                (jar, Json(UserJson::from(&user))).into_response()
            }
            Err(err) => err.into_response(),
        }),
        Submitted::Form(credentials) => {
            let typed = credentials.email.clone();
            match log_in(&state, credentials).await {
                Ok((_, token)) => {
                    let jar = jar.add(login_cookie(token, &state.config));
                    Ok((jar, Redirect::to("/")).into_response())
                }
                Err(err) => {
                    let (status, message) = err.into_page_parts();
                    let page = site::login_page(&state, &typed, Some(&message))?;
                    Ok((status, page).into_response())
                }
            }
        }
    }
}

/// `POST /logout`: tells the browser to delete the cookie. `204`, or a
/// redirect home for the page's form.
///
/// What it cannot do: recall the token. The server keeps no list of
/// tokens, so a copy kept somewhere stays valid until its `exp`.
pub async fn logout(State(state): State<AppState>, jar: CookieJar, headers: HeaderMap) -> Response {
    // `add`, where lesson 08 used `jar.remove(..)`: the jar sends a removal
    // only for a cookie that came with the request, and this one should go
    // out every time.
    let jar = jar.add(logout_cookie(&state.config));
    if is_form(&headers) {
        (jar, Redirect::to("/")).into_response()
    } else {
        (jar, StatusCode::NO_CONTENT).into_response()
    }
}

/// `GET /me`: who the token says you are.
pub async fn me(Extension(user): Extension<CurrentUser>) -> Json<UserJson> {
    Json(UserJson::from(&user))
}

/// Checks the sign-up, hashes the password and inserts the user.
async fn sign_up(state: &AppState, credentials: Credentials) -> Result<User, ApiError> {
    let user = credentials.validate()?.into_user(&state.passwords).await?;
    // No "is this email taken?" query first: two sign-ups at the same moment
    // would both hear "no". The unique index decides, atomically.
    match state.users.insert_one(&user).await {
        Ok(_) => {
            tracing::info!(user = %user.id, "signed up");
            Ok(user)
        }
        Err(err) if is_duplicate_key(&err) => Err(ApiError::email_taken()),
        Err(err) => Err(err.into()),
    }
}

/// Checks the email and password, and issues a token for the user.
// TODO 4: Log in: the user and a new token, or one 401 for a wrong email or a wrong password.
//   Look the email up the way it is stored (`crate::user` says how). Both
//   failures get the same answer, 401 "wrong email or password", and cost
//   the same argon2 work: `state.passwords` knows what to do about a user
//   who does not exist, if you let it. A token that cannot be signed is our
//   fault: log it, answer 500. Rename the parameters when you use them.
//   Read: notes, step 7 "Logging in, and the cookie".
async fn log_in(_state: &AppState, _credentials: Credentials) -> Result<(User, String), ApiError> {
    todo!("TODO 4: check the email and password, and issue a token")
}
