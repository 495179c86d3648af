//! The handlers. Each one takes the cookie jars it needs as extractors, and
//! returns the jar it changed: a jar that is not returned changes nothing.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{CookieJar, PrivateCookieJar};
use minijinja::context;
use serde::Deserialize;

use crate::AppState;
use crate::cookies::{self, NAME_COOKIE, VISITS_COOKIE};
use crate::pages::PageError;

/// The longest name we remember, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// `GET /`: greets the visitor by the `name` cookie, or asks for a name.
/// Every visit also adds one to the count in the private `visits` cookie.
pub async fn home(
    State(state): State<AppState>,
    jar: CookieJar,
    private: PrivateCookieJar,
) -> Result<(PrivateCookieJar, Html<String>), PageError> {
    let name = remembered_name(&jar);
    // The count lives in the private jar: the visitor can neither read it
    // nor change it. A `visits` cookie written by hand, tampered with, or
    // encrypted with another key is not in this jar at all.
    let visits = cookies::visits(private.get(VISITS_COOKIE).as_ref()).saturating_add(1);
    // `add` encrypts the value with the key; returning the jar sends it.
    let private = private.add(cookies::long_lived(
        VISITS_COOKIE,
        visits.to_string(),
        state.config.secure,
    ));

    let page = state.pages.render("home.html", context! { name, visits })?;
    Ok((private, page))
}

/// The name in the `name` cookie, if the request carried one (and it is
/// not empty).
pub fn remembered_name(jar: &CookieJar) -> Option<String> {
    // The jar holds the cookies of the request's `Cookie` header, their
    // values already percent-decoded; `get` finds one by name.
    jar.get(NAME_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|name| !name.is_empty())
}

/// The form on the home page.
#[derive(Debug, Deserialize)]
pub struct RememberForm {
    pub name: String,
}

/// `POST /remember`: stores the typed name in the `name` cookie and sends
/// the browser back home (`303 See Other`, so a reload does not post again).
/// A blank or too long name shows the form again with the problem (422).
pub async fn remember(
    State(state): State<AppState>,
    jar: CookieJar,
    form: Result<Form<RememberForm>, FormRejection>,
) -> Result<Response, PageError> {
    let typed = match form {
        Ok(Form(form)) => form.name,
        // No form, or one without `name`: axum says what was wrong.
        Err(rejection) => {
            return form_with_error(&state, rejection.status(), "", &rejection.body_text());
        }
    };
    match validate_name(&typed) {
        Ok(name) => {
            let jar = jar.add(cookies::long_lived(NAME_COOKIE, name, state.config.secure));
            Ok((jar, Redirect::to("/")).into_response())
        }
        Err(problem) => form_with_error(&state, StatusCode::UNPROCESSABLE_ENTITY, &typed, problem),
    }
}

/// `POST /forget`: deletes both cookies and sends the browser back home.
///
/// The plain `CookieJar` does it: deleting needs no key, and the plain jar
/// also sees a `visits` cookie the private jar would reject as tampered.
pub async fn forget(jar: CookieJar) -> (CookieJar, Redirect) {
    let jar = jar
        .remove(cookies::removal(NAME_COOKIE))
        .remove(cookies::removal(VISITS_COOKIE));
    (jar, Redirect::to("/"))
}

/// Any other path: a 404 page.
pub async fn not_found(State(state): State<AppState>) -> Result<Response, PageError> {
    let page = state.pages.render("not_found.html", context! {})?;
    Ok((StatusCode::NOT_FOUND, page).into_response())
}

/// The name to remember (trimmed), or what is wrong with it.
pub fn validate_name(typed: &str) -> Result<String, &'static str> {
    let name = typed.trim();
    if name.is_empty() {
        Err("Please type your name.")
    } else if name.chars().count() > NAME_MAX_CHARS {
        Err("That name is too long: 100 characters at most.")
    } else {
        Ok(name.to_owned())
    }
}

/// The home page's form again, with what the visitor typed and the problem.
fn form_with_error(
    state: &AppState,
    status: StatusCode,
    typed: &str,
    error: &str,
) -> Result<Response, PageError> {
    let page = state.pages.render("home.html", context! { typed, error })?;
    Ok((status, page).into_response())
}
