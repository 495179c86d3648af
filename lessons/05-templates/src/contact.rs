//! The contact form: a page with an HTML form, and the handler that
//! receives it, checks it, and adds a message to the list.

use axum::Form;
use axum::extract::State;
use axum::response::{Html, Response};
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
            // TODO 6: answer a stored form by sending the browser to /messages, so that reloading the list cannot send the form again.
            //   - The browser must load the list with a GET. axum offers several
            //     redirects: only one status tells the browser to change the
            //     method; the others make it send the POST again, to the new
            //     address.
            //   Read: notes §10 "A form, checked on the server" (Post/Redirect/Get);
            //   axum's `response::Redirect`.
            todo!("TODO 6: send the browser to the list of messages")
        }
        Err(_errors) => {
            // TODO 7: show an invalid form again, with what was typed, what is wrong with each field, and a status that says the fields were refused.
            //   - `render_form`, below, renders the contact page from a form and
            //     its errors. A broken template must still end as the 500 page.
            //   - The status tells the browser, and any script, that the form
            //     was refused: not 200, which says all went well.
            //   - Drop the `_` of `_errors` once you use them.
            //   Read: notes §10 "A form, checked on the server"; axum's
            //   `http::StatusCode`.
            todo!("TODO 7: show the form again, with its errors")
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
