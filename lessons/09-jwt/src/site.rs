//! The HTML side of the app: the home page, the log-in and sign-up forms.
//!
//! The forms post to the same `/login`, `/register` and `/logout` as the
//! JSON API does (see [`crate::accounts`]).

use axum::extract::{Extension, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::pages::PageError;

/// `GET /`, behind [`crate::auth::require_user_for_pages`]: the "logout"
/// page of the notes, for the user the token names.
pub async fn logout_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Html<String>, PageError> {
    state
        .pages
        .render("logout.html", context! { email => user.email })
}

/// The log-in form: what the middleware shows instead of a page when nobody
/// is logged in, and what a failed log-in shows again.
pub fn login_page(
    state: &AppState,
    typed: &str,
    error: Option<&str>,
) -> Result<Html<String>, PageError> {
    state.pages.render("login.html", context! { typed, error })
}

/// A page for a request that failed for a reason the visitor can only wait
/// out, such as MongoDB being down: its status, and what to do.
pub fn error_page(state: &AppState, status: StatusCode, message: &str) -> Response {
    let context = context! { status => status.as_u16(), message };
    let page = state.pages.render("error.html", context);
    page.map(|page| (status, page)).into_response()
}

/// The sign-up form, again with what was typed and what went wrong.
pub fn register_page(
    state: &AppState,
    typed: &str,
    error: Option<&str>,
) -> Result<Html<String>, PageError> {
    state
        .pages
        .render("register.html", context! { typed, error })
}

/// The query string of `GET /login`: `?registered=1` after a sign-up.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub registered: Option<String>,
}

/// `GET /login`: the log-in form, with a word of welcome after a sign-up.
pub async fn login_form(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> Result<Html<String>, PageError> {
    let registered = query.registered.is_some();
    state
        .pages
        .render("login.html", context! { registered, typed => "" })
}

/// `GET /register`: the sign-up form.
pub async fn register_form(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    register_page(&state, "", None)
}
