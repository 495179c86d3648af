//! The handlers. Each one takes the cookie jars it needs as extractors, and
//! returns the jar it changed: a jar that is not returned changes nothing.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use minijinja::context;
use serde::Deserialize;

use crate::AppState;
use crate::cookies::{self, VISITS_COOKIE};
use crate::pages::PageError;

/// The longest name we remember, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// `GET /`: greets the visitor by the `name` cookie, or asks for a name.
/// Every visit also adds one to the count in the `visits` cookie.
// TODO 4b: keep the visit count where the visitor can neither read it nor change it.
//   As given, the count is a plain cookie: anyone can send `visits=999999`
//   and collect the loyalty prize, or read how often they came. Choose the
//   jar that keeps it: it reads the count, adds the new one, and goes back
//   to the browser. The app's key is already there for the jars that need
//   one (`FromRef` in src/lib.rs). Notes §"A cookie is user input", §6 (the
//   three jars) and §8.
pub async fn home(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(CookieJar, Html<String>), PageError> {
    let name = remembered_name(&jar);
    let visits = cookies::visits(jar.get(VISITS_COOKIE)).saturating_add(1);
    let jar = jar.add(cookies::long_lived(
        VISITS_COOKIE,
        visits.to_string(),
        state.config.secure,
    ));

    let page = state.pages.render("home.html", context! { name, visits })?;
    Ok((jar, page))
}

/// The name in the `name` cookie, if the request carried one (and it is
/// not empty).
pub fn remembered_name(_jar: &CookieJar) -> Option<String> {
    // TODO 2: the name the browser sent in the `name` cookie, or `None` when it sent none (or an empty one).
    //   The jar holds the cookies of the request's `Cookie` header, their
    //   values already percent-decoded. No cookie is a first visit, not an
    //   error. Notes §2 "Reading a cookie"; the cookie's name is
    //   `cookies::NAME_COOKIE`. Rename `_jar` once you use it.
    todo!("TODO 2: read the name from the `name` cookie")
}

/// The form on the home page.
#[derive(Debug, Deserialize)]
pub struct RememberForm {
    pub name: String,
}

/// `POST /remember`: stores the typed name in the `name` cookie and sends
/// the browser back home. A blank or too long name shows the form again
/// with the problem (422).
pub async fn remember(
    State(state): State<AppState>,
    _jar: CookieJar,
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
        // TODO 3: keep `name` in the `name` cookie (made by TODO 1) and send the browser home.
        //   Afterwards the browser holds the cookie, is on `/`, and reloading
        //   that page does not post the form a second time. Mind what reaches
        //   the browser: only what this handler returns (a `Response`, as
        //   `form_with_error` below makes one). Notes §3 "Setting a
        //   cookie"; docs.rs: `CookieJar::add`, `axum::response::Redirect`.
        //   Rename `_name` and `_jar` once you use them.
        Ok(_name) => todo!("TODO 3: remember the name and send the browser home"),
        Err(problem) => form_with_error(&state, StatusCode::UNPROCESSABLE_ENTITY, &typed, problem),
    }
}

/// `POST /forget`: deletes both cookies and sends the browser back home.
// TODO 6: after `POST /forget` the browser holds neither `name` nor `visits`, and is back on `/`.
//   This handler takes no extractor yet: add the one(s) you need, and return
//   what makes the deletions reach the browser (any `IntoResponse` type).
//   `visits` must go too when this server can no longer read it (tampered
//   with, or made with an older key). Which jar sees that cookie? Notes §5
//   "Deleting a cookie" and §6 (the three jars); `removal` (TODO 5) gives
//   what to remove.
pub async fn forget() -> Response {
    todo!("TODO 6: delete both cookies and send the browser home")
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
