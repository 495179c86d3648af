//! The pages that only show something: home, the list of messages, and the
//! page for unknown addresses.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

use crate::{AppState, PageError};

/// The query string of the home page: `/?name=Ada`.
#[derive(Debug, Deserialize)]
pub struct Greeting {
    /// `None` when the address has no `?name=`.
    pub name: Option<String>,
}

/// `GET /`: a greeting, with the name from the query string when there is one.
///
/// The query string arrives as a `Result`: when axum cannot read it into a
/// `Greeting` (`/?name=a&name=b` gives two names), the visitor gets the
/// site's 400 page instead of axum's plain-text rejection.
pub async fn home(
    State(state): State<AppState>,
    query: Result<Query<Greeting>, QueryRejection>,
) -> Result<Response, PageError> {
    let Ok(Query(greeting)) = query else {
        let page = state
            .templates
            .render("bad_request.html", context! { page => "" })?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    // `/?name=` with nothing (or only spaces) after it counts as no name.
    let name = greeting.name.filter(|name| !name.trim().is_empty());
    let page = state
        .templates
        .render("home.html", context! { page => "home", name })?;
    Ok(page.into_response())
}

/// `GET /messages`: every message sent through the contact form.
pub async fn messages(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    // Copy the list, so the lock is released before the page is rendered.
    let messages = state.messages().clone();
    // `Serde` hands any `Serialize` value to the template.
    state.templates.render(
        "messages.html",
        context! { page => "messages", messages => Serde(messages) },
    )
}

/// Any other address: the 404 page, in the same layout as the others.
pub async fn not_found(
    State(state): State<AppState>,
) -> Result<(StatusCode, Html<String>), PageError> {
    let page = state
        .templates
        .render("not_found.html", context! { page => "" })?;
    Ok((StatusCode::NOT_FOUND, page))
}
