//! Lesson 04 — static files: a small website served from a folder, beside
//! a JSON API.
//!
//! Express does this with `app.use(express.static(folder))`. Here tower-http's
//! [`ServeDir`] does the same job, mounted as the router's *fallback*: the
//! routes answer first, and any other request is looked up as a file in
//! `public/`.
//!
//! Run it: `cargo run -p solution-04-static-files` (from any folder), then
//! open <http://127.0.0.1:3000/>.

use std::path::{Path, PathBuf};

use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeader;

/// The environment variable that points the server at another site folder.
pub const PUBLIC_DIR_VAR: &str = "PUBLIC_DIR";

/// The folder the site is served from.
///
/// `PUBLIC_DIR` when it is set. Otherwise the `public/` folder beside this
/// crate's `Cargo.toml`: the compiler writes that absolute path into the
/// program (`env!` is read at compile time), so the server finds its files
/// whatever folder it is started from. A bare `"public"` would be looked up
/// in the *working directory*, which is the trap Node's `path.resolve()`
/// sets in the Express version.
pub fn public_dir() -> PathBuf {
    match std::env::var_os(PUBLIC_DIR_VAR) {
        Some(folder) => PathBuf::from(folder),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("public"),
    }
}

/// The whole app: the `/messages` API route, and the files in `public_dir`
/// for every other path.
pub fn app(public_dir: &Path) -> Router {
    // `/css/style.css` is the file `public/css/style.css`, and `/` is
    // `public/index.html`. A missing file gets the site's own page, 404.html,
    // with the status 404.
    let files =
        ServeDir::new(public_dir).not_found_service(ServeFile::new(public_dir.join("404.html")));
    // Browsers may keep a copy of each file, but must ask before using it
    // whether it changed. That question is a conditional GET, and ServeDir
    // answers it with `304 Not Modified` when the file is the same.
    let files =
        SetResponseHeader::overriding(files, CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Router::new()
        .route("/messages", get(list_messages))
        // Whatever no route matched is looked up as a file.
        .fallback_service(files)
}

/// A message, in the JSON shape lesson 03's API sends.
#[derive(Debug, Serialize)]
pub struct Message {
    pub id: u64,
    pub name: &'static str,
    pub email: &'static str,
}

/// What `GET /messages` lists. Lesson 03 keeps messages in memory and
/// lesson 06 in MongoDB; a fixed list is enough to show an API route living
/// beside the static files.
pub const MESSAGES: &[Message] = &[
    Message {
        id: 1,
        name: "Ada Lovelace",
        email: "ada@example.com",
    },
    Message {
        id: 2,
        name: "Grace Hopper",
        email: "grace@example.com",
    },
];

/// `GET /messages`: the list as JSON. The home page's script fetches it.
async fn list_messages() -> Json<&'static [Message]> {
    Json(MESSAGES)
}
