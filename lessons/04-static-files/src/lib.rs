//! Lesson 04 — static files: a small website served from a folder, beside
//! a JSON API. EXERCISE.
//!
//! Read `notes/04-static-files.md` first. Then do the `TODO`s below, and
//! check your work with `cargo test -p lesson-04-static-files`. The site
//! itself, in `public/`, is complete: only the Rust is missing.
//!
//! Express does this with `app.use(express.static(folder))`. Here tower-http's
//! `ServeDir` does the same job, mounted as the router's *fallback*: the
//! routes answer first, and any other request is looked up as a file in
//! `public/`.
//!
//! Run it: `cargo run -p lesson-04-static-files`, then open
//! <http://127.0.0.1:3000/>.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

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
    // TODO 1: "public" is a relative path: it is looked up in the folder the
    //         server was started from (the working directory), exactly like
    //         `path.resolve()` in the Express version. Started from any other
    //         folder than this crate's, the server finds no site.
    //         - Return `Path::new(env!("CARGO_MANIFEST_DIR")).join("public")`
    //           instead: the compiler fills in this crate's absolute folder.
    //         - But when the environment variable named by `PUBLIC_DIR_VAR`
    //           is set, return its value: `match` on
    //           `std::env::var_os(PUBLIC_DIR_VAR)`, and turn `Some(folder)`
    //           into `PathBuf::from(folder)`.
    PathBuf::from("public")
}

/// The whole app: the `/messages` API route, and the files in `public_dir`
/// for every other path.
pub fn app(public_dir: &Path) -> Router {
    // TODO 2: serve the files. Above the router, write
    //         `let files = ServeDir::new(public_dir);`
    //         (import `tower_http::services::ServeDir`), then replace the
    //         `.fallback(...)` line below with `.fallback_service(files)`:
    //         whatever no route matched is then looked up as a file.
    //         Delete `not_served_yet`, which only stands in until then.
    // TODO 3: a missing file should get the site's own page, public/404.html,
    //         with the status 404. Chain onto `ServeDir::new(public_dir)`:
    //         `.not_found_service(ServeFile::new(public_dir.join("404.html")))`
    //         (import `ServeFile` from the same module as `ServeDir`).
    // TODO 4: browsers may keep a copy of each file, but should ask whether
    //         it changed before using it. Before the router, wrap the files:
    //         `let files = SetResponseHeader::overriding(files, CACHE_CONTROL, HeaderValue::from_static("no-cache"));`
    //         (imports: `tower_http::set_header::SetResponseHeader`,
    //         `axum::http::header::CACHE_CONTROL` and `axum::http::HeaderValue`).
    let not_served_yet = format!(
        "Nothing is served from {} yet: do TODO 2 in src/lib.rs.",
        public_dir.display()
    );
    Router::new()
        .route("/messages", get(list_messages))
        .fallback(move || async move { (StatusCode::NOT_FOUND, not_served_yet) })
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
