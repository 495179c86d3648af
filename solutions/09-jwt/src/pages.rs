//! The HTML pages, rendered with minijinja (as in lessons 05 to 08).
//!
//! The templates are compiled into the binary with `include_str!`, so the
//! server finds them whatever folder it is started from. Their names end in
//! `.html`, which turns on HTML escaping: a name such as `<script>` is shown
//! as text, never run.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, Value};

/// Every template, by name.
const TEMPLATES: [(&str, &str); 5] = [
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("register.html", include_str!("../templates/register.html")),
    ("logout.html", include_str!("../templates/logout.html")),
    ("error.html", include_str!("../templates/error.html")),
];

/// The template engine, loaded once at start-up and shared by every request.
pub struct Pages {
    templates: Environment<'static>,
}

impl Pages {
    /// Loads every template; panics if one does not parse (the tests render
    /// each of them, so that cannot reach a learner unnoticed).
    pub fn new() -> Self {
        let mut templates = Environment::new();
        for (name, source) in TEMPLATES {
            templates
                .add_template(name, source)
                .unwrap_or_else(|err| panic!("template {name} does not parse: {err}"));
        }
        Self { templates }
    }

    /// Renders template `name` with `context` into an HTML response.
    pub fn render(&self, name: &str, context: Value) -> Result<Html<String>, PageError> {
        let template = self.templates.get_template(name)?;
        Ok(Html(template.render(context)?))
    }
}

impl Default for Pages {
    fn default() -> Self {
        Self::new()
    }
}

/// A page that could not be rendered: a bug on our side, so a 500.
#[derive(Debug)]
pub struct PageError(minijinja::Error);

impl From<minijinja::Error> for PageError {
    fn from(err: minijinja::Error) -> Self {
        Self(err)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        // The details go to the server's log, not to the visitor.
        tracing::error!(error = %format_args!("{:#}", self.0), "a page could not be rendered");
        let page = "<!doctype html>\n<title>Error</title>\n<h1>500: something went wrong</h1>\n";
        (StatusCode::INTERNAL_SERVER_ERROR, Html(page)).into_response()
    }
}
