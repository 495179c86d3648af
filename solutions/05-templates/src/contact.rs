//! The contact form: a page with an HTML form, and the handler that
//! receives it, checks it, and adds a message to the list.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use crate::{AppState, PageError};

/// The longest name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 100;

/// A message in the list: the name and email of its sender.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub name: String,
    pub email: String,
}

/// What the form sends, exactly as typed.
///
/// `#[serde(default)]`: a field missing from the request arrives as empty
/// text, which validation then refuses with a message next to the field.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ContactForm {
    pub name: String,
    pub email: String,
}

/// A form that passed validation: trimmed, and ready to store.
#[derive(Debug)]
pub struct NewMessage {
    pub name: String,
    pub email: String,
}

/// What is wrong with each field; `None` when the field is fine.
#[derive(Debug, Default, Serialize)]
pub struct FormErrors {
    pub name: Option<&'static str>,
    pub email: Option<&'static str>,
}

impl ContactForm {
    /// Checks the form: the message to store, or what is wrong with it.
    pub fn validate(&self) -> Result<NewMessage, FormErrors> {
        let name = self.name.trim();
        let email = self.email.trim();
        let errors = FormErrors {
            name: if name.is_empty() {
                Some("name must not be empty")
            } else if name.chars().count() > NAME_MAX_CHARS {
                Some("name must be at most 100 characters")
            } else {
                None
            },
            email: (!looks_like_an_email(email))
                .then_some("email must look like an address, such as ada@example.com"),
        };
        if errors.name.is_some() || errors.email.is_some() {
            return Err(errors);
        }
        Ok(NewMessage {
            name: name.to_owned(),
            email: email.to_owned(),
        })
    }
}

/// `something@domain.tld`, with no spaces: enough to catch typing mistakes.
/// (Only sending an email proves that an address works.)
pub fn looks_like_an_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// `GET /contact`: the empty form.
pub async fn form(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    render_form(&state, &ContactForm::default(), &FormErrors::default())
}

/// `POST /contact`: stores a valid form and sends the browser to the list;
/// shows an invalid one again, with what was typed and what is wrong.
pub async fn submit(
    State(state): State<AppState>,
    Form(form): Form<ContactForm>,
) -> Result<Response, PageError> {
    match form.validate() {
        Ok(new_message) => {
            state.add_message(new_message);
            // 303 See Other: the browser follows with a GET, so reloading
            // the list does not send the form a second time.
            Ok(Redirect::to("/messages").into_response())
        }
        Err(errors) => {
            // 422, and the same page with what was typed and what is wrong:
            // the visitor corrects the form instead of typing it again.
            let page = render_form(&state, &form, &errors)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The contact page, with the values typed so far and the errors to show.
fn render_form(
    state: &AppState,
    form: &ContactForm,
    errors: &FormErrors,
) -> Result<Html<String>, PageError> {
    state.templates.render(
        "contact.html",
        context! { page => "contact", form => Serde(form), errors => Serde(errors) },
    )
}
