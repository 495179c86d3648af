//! The HTML side of the app: the pages, and the login and logout forms.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use minijinja::context;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, CurrentUser};
use crate::pages::PageError;

/// The longest name one can log in with, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// `GET /`, behind [`auth::require_user_for_pages`]: the "logout" page of
/// the notes. The middleware put the [`CurrentUser`] in the request's
/// extensions; `Extension` takes it out.
pub async fn logout_page(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Result<Html<String>, PageError> {
    state
        .pages
        .render("logout.html", context! { name => user.name })
}

/// The login page: what the middleware shows instead of a page when nobody
/// is logged in, and what `POST /login` shows again after a bad name.
pub fn login_page(
    state: &AppState,
    typed: &str,
    error: Option<&str>,
) -> Result<Html<String>, PageError> {
    state.pages.render("login.html", context! { typed, error })
}

/// `GET /about`: a public page, with no middleware of its own.
pub async fn about(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    state.pages.render("about.html", context! {})
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub name: String,
}

/// `POST /login`: sets the `token` cookie and sends the browser home, where
/// the middleware now lets it through. A blank or too long name gets the
/// login page again (422).
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, PageError> {
    let typed = match form {
        Ok(Form(form)) => form.name,
        Err(rejection) => {
            let page = login_page(&state, "", Some(&rejection.body_text()))?;
            return Ok((rejection.status(), page).into_response());
        }
    };
    let name = typed.trim();
    let problem = if name.is_empty() {
        Some("Please type your name.")
    } else if name.chars().count() > NAME_MAX_CHARS {
        Some("That name is too long: 100 characters at most.")
    } else {
        None
    };
    if let Some(problem) = problem {
        let page = login_page(&state, &typed, Some(problem))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let jar = jar.add(auth::login_cookie(name.to_owned()));
    Ok((jar, Redirect::to("/")).into_response())
}

/// `POST /logout`: deletes the `token` cookie and sends the browser home,
/// where the middleware now shows the login page.
pub async fn logout(jar: CookieJar) -> (CookieJar, Redirect) {
    (jar.remove(auth::logout_cookie()), Redirect::to("/"))
}

/// Any path no route matched, outside `/api`: a 404 page.
pub async fn not_found(State(state): State<AppState>) -> Result<Response, PageError> {
    let page = state.pages.render("not_found.html", context! {})?;
    Ok((StatusCode::NOT_FOUND, page).into_response())
}
