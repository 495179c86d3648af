//! The pages that only show something: home, the list of messages, and the
//! page for unknown addresses.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Html;
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
pub async fn home(
    State(state): State<AppState>,
    Query(greeting): Query<Greeting>,
) -> Result<Html<String>, PageError> {
    // `/?name=` with nothing (or only spaces) after it counts as no name.
    let name = greeting.name.filter(|name| !name.trim().is_empty());
    state
        .templates
        .render("home.html", context! { page => "home", name })
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
