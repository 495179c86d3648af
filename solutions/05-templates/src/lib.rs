//! Lesson 05 — templates: HTML pages written by the server, with minijinja
//! in the role EJS plays in the Express version.
//!
//! - The pages are templates in `templates/`, and they share one layout,
//!   `base.html`.
//! - [`Templates::load`] builds one minijinja `Environment` at start-up;
//!   the router's state shares it with every request.
//! - A page that cannot be rendered becomes a plain 500 page and a line on
//!   stderr ([`PageError`]): never a panic, never the error in the page.
//! - Every answer a browser can meet is a page in that layout: the 404 for
//!   an unknown address, a 400 for an address the home page cannot read, a
//!   422 for a form to correct.
//!
//! Run it: `cargo run -p solution-05-templates` (from any folder), then
//! open <http://127.0.0.1:3000/?name=Ada>.

mod contact;
mod pages;
mod templates;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::routing::get;
use tower_http::services::ServeDir;

pub use contact::{ContactForm, FormErrors, Message, NewMessage};
pub use pages::Greeting;
pub use templates::{INTERNAL_ERROR_PAGE, PageError, TEMPLATE_NAMES, Templates};

/// The environment variable that points the server at another templates folder.
pub const TEMPLATES_DIR_VAR: &str = "TEMPLATES_DIR";
/// The environment variable that points the server at another folder of
/// static files (the stylesheet and the logo).
pub const PUBLIC_DIR_VAR: &str = "PUBLIC_DIR";

/// The folder the templates are read from: `TEMPLATES_DIR`, or this crate's
/// `templates/` folder.
pub fn templates_dir() -> PathBuf {
    folder_from_env_or_crate(TEMPLATES_DIR_VAR, "templates")
}

/// The folder the static files are read from: `PUBLIC_DIR`, or this
/// crate's `public/` folder.
pub fn public_dir() -> PathBuf {
    folder_from_env_or_crate(PUBLIC_DIR_VAR, "public")
}

/// The folder named by the environment variable `variable` when it is set,
/// otherwise the folder `name` beside this crate's `Cargo.toml`. As in
/// lesson 04, `env!("CARGO_MANIFEST_DIR")` is an absolute path written in
/// at compile time, so the server works from any working directory.
fn folder_from_env_or_crate(variable: &str, name: &str) -> PathBuf {
    match std::env::var_os(variable) {
        Some(folder) => PathBuf::from(folder),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(name),
    }
}

/// What every handler can reach. axum clones it for each request, so it
/// holds only `Arc`s: every clone shares the same templates and messages.
#[derive(Clone)]
pub struct AppState {
    pub templates: Templates,
    pub messages: Arc<Mutex<Vec<Message>>>,
}

impl AppState {
    /// The state of a new app: these templates, and no message yet.
    pub fn new(templates: Templates) -> Self {
        Self {
            templates,
            messages: Arc::default(),
        }
    }

    /// Adds a message that passed the form's checks to the end of the list.
    pub fn add_message(&self, new_message: NewMessage) {
        self.messages().push(Message {
            name: new_message.name,
            email: new_message.email,
        });
    }

    /// The list of messages, locked for the caller until the guard is
    /// dropped. A lock is *poisoned* when a thread panicked while holding
    /// it; a `Vec` is still whole then, so we carry on with it.
    pub fn messages(&self) -> MutexGuard<'_, Vec<Message>> {
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The whole app: three pages and a form, the static files of
/// `public_dir` under `/static`, and a 404 page for everything else.
///
/// The caller builds the `state`: the templates are loaded once, at
/// start-up, and shared by every request. (The tests keep a clone of the
/// state, to put messages in the list or to see what was stored.)
pub fn app(state: AppState, public_dir: &Path) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/messages", get(pages::messages))
        .route("/contact", get(contact::form).post(contact::submit))
        // `/static/css/style.css` is the file `public/css/style.css`:
        // `nest_service` strips the `/static` prefix before ServeDir looks.
        .nest_service("/static", ServeDir::new(public_dir))
        .fallback(pages::not_found)
        .with_state(state)
}
