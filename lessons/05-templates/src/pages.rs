//! The pages that only show something: home, the list of messages, and the
//! page for unknown addresses.

use axum::extract::State;
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
pub async fn home(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    // TODO 3: greet the visitor by the `name` in the query string (`/?name=Ada`); no name, or a blank one, greets a stranger.
    //   - `Greeting`, above, is what the query string holds. axum has an
    //     extractor that fills it: one more argument of `home`.
    //   - `/?name=` and `/?name=%20%20` count as no name: for them, the
    //     template's `{% if name %}` must see none.
    //   Read: notes §5 "Render a page from a handler"; axum's `extract::Query`
    //   and Rust's `Option` (its methods that keep or drop the value).
    //
    // TODO 4: answer a query string that cannot be read into a `Greeting` (`/?name=a&name=b`) with the 400 page bad_request.html, in the layout.
    //   - Left to itself, axum answers such an address before `home` runs,
    //     with a plain-text 400 of its own, outside the site's layout.
    //   - Take the extractor's result instead, and answer a failure yourself:
    //     the status 400 and the page bad_request.html (the 404 page, built
    //     by `not_found` below, is a model). `home` then has two kinds of
    //     answer: its return type must allow both.
    //   Read: notes §6 "When the address cannot be read"; axum's
    //   `extract::rejection::QueryRejection`.
    let name: Option<String> = None;
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
