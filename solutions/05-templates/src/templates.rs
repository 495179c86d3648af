//! Loading the templates once, rendering them, and what a visitor sees when
//! a page cannot be rendered.

use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, UndefinedBehavior, Value, path_loader};

/// Every template the app uses, the layout and the partial included.
/// [`Templates::check`] compiles them all at start-up.
pub const TEMPLATE_NAMES: &[&str] = &[
    "base.html",
    "partials/nav.html",
    "home.html",
    "messages.html",
    "contact.html",
    "not_found.html",
    "bad_request.html",
];

/// The app's templates: one minijinja `Environment`, built once and shared.
///
/// Cloning it is cheap (an `Arc`), and that is what axum does for each
/// request.
#[derive(Clone)]
pub struct Templates {
    environment: Arc<Environment<'static>>,
}

impl Templates {
    /// Prepares the templates in `folder`.
    ///
    /// A template file is read and compiled the first time a page needs it,
    /// then kept in memory. minijinja checks the file's date on each use and
    /// reads it again after you edit it, so a running server shows your
    /// changes at the next reload of the page.
    pub fn load(folder: impl AsRef<Path>) -> Self {
        let mut environment = Environment::new();
        environment.set_loader(path_loader(folder));
        // Using a variable the handler did not pass (a typo such as
        // `{{ nmae }}`) is an error, as it is in EJS, instead of quietly
        // printing nothing.
        environment.set_undefined_behavior(UndefinedBehavior::Strict);
        Self {
            environment: Arc::new(environment),
        }
    }

    /// Reads and compiles every template in [`TEMPLATE_NAMES`], so that a
    /// missing file or a syntax error stops the server at start-up instead
    /// of showing up on the first visit.
    pub fn check(&self) -> Result<(), minijinja::Error> {
        for name in TEMPLATE_NAMES {
            self.environment.get_template(name)?;
        }
        Ok(())
    }

    /// Renders the template `name` with the variables in `context`.
    pub fn render(&self, name: &'static str, context: Value) -> Result<Html<String>, PageError> {
        self.environment
            .get_template(name)
            .and_then(|template| template.render(context))
            .map(Html)
            .map_err(|error| PageError {
                template: name,
                error,
            })
    }
}

/// A page that could not be rendered: the template is missing, has a
/// syntax error, or failed while running.
///
/// Handlers return it with `?`. axum turns it into a response with
/// [`IntoResponse`]: a 500 page for the visitor, the details for the
/// developer on stderr.
#[derive(Debug)]
pub struct PageError {
    template: &'static str,
    error: minijinja::Error,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        // The details go to the log, on one line: the file, the line number
        // and what went wrong. They would help an attacker as much as you,
        // so the page says nothing about them.
        eprintln!(
            "error: the page {} could not be rendered: {}",
            self.template, self.error
        );
        (StatusCode::INTERNAL_SERVER_ERROR, Html(INTERNAL_ERROR_PAGE)).into_response()
    }
}

/// The page a visitor sees when rendering failed. It is a plain string, not
/// a template: when the templates are what is broken, it still works.
pub const INTERNAL_ERROR_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Something went wrong · Message board</title>
  <link rel="icon" href="/static/images/logo.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/css/style.css">
</head>
<body>
  <header class="site-header">
    <a class="brand" href="/"><img src="/static/images/logo.svg" alt="" width="32" height="32"> Message board</a>
  </header>
  <main>
    <h1>Something went wrong</h1>
    <p class="lead">This page could not be shown. The problem is on our side, and it has been logged.</p>
    <p><a class="button" href="/">Back to the home page</a></p>
  </main>
</body>
</html>
"#;
