//! Loading the templates once, rendering them, and what a visitor sees when
//! a page cannot be rendered.

use std::path::Path;
use std::sync::Arc;

use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, Value};

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
    pub fn load(_folder: impl AsRef<Path>) -> Self {
        // TODO 1: build the one environment that reads the templates from `folder` and treats an undefined variable as an error.
        //   - The templates stay files in `folder`, read when a page first
        //     needs them: not copied into the program, not read again in each
        //     handler.
        //   - A variable the handler did not pass (a typo such as `{{ nmae }}`,
        //     or `{% if nmae %}`) must be an error, as it is in EJS: neither an
        //     empty string nor a quiet `false`. minijinja has four behaviours
        //     for undefined values: notes §3 compares them.
        //   - Every request shares this one environment: the struct holds it
        //     in an `Arc`.
        //   Read: notes §3 "Load the templates once, share them"; on docs.rs,
        //   minijinja's `Environment`, `path_loader` and `UndefinedBehavior`.
        //   (Drop the `_` of `_folder` once you use it.)
        todo!("TODO 1: build the environment for the templates")
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
        // TODO 2: log a page that cannot be rendered once, for the developer, and answer the visitor with the plain 500 page.
        //   - The log is stderr. One line, with what the developer needs: the
        //     template (`self.template`) and what went wrong (`self.error`).
        //   - The visitor gets the status 500 and `INTERNAL_ERROR_PAGE`, as
        //     HTML, and nothing of the error: file names, lines and variable
        //     names help an attacker as much as you.
        //   - No panic: a handler that panics drops the connection, and the
        //     browser shows an error page of its own.
        //   Read: notes §9 "When a page cannot be rendered"; axum's
        //   `IntoResponse`, and which tuples implement it.
        //   (The two fields are named with a `_` until you use them.)
        let Self {
            template: _template,
            error: _error,
        } = self;
        todo!("TODO 2: log the error, answer with the 500 page")
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
