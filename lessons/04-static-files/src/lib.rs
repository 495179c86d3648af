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

/// The folder the site is served from: the folder named by `PUBLIC_DIR`
/// when it is set, otherwise this crate's own `public/` folder, whatever
/// folder the server is started from.
pub fn public_dir() -> PathBuf {
    // TODO 1: The server finds its site whatever folder it is started from, and `PUBLIC_DIR` can point it elsewhere.
    //         "public" is a relative path: the operating system looks it up
    //         in the folder the server was started from, the trap of
    //         `path.resolve()` in the Express version. Return this crate's
    //         own `public/` folder as an absolute path, unless the variable
    //         named by `PUBLIC_DIR_VAR` is set when the program runs: then
    //         its value. One is known when the program is compiled, the
    //         other only when it runs: pick the tool for each.
    //         Notes: "2. Find the folder"; docs.rs: `std::env!`, `std::env::var_os`.
    PathBuf::from("public")
}

/// The whole app: the `/messages` API route, and the files in `public_dir`
/// for every other path.
pub fn app(public_dir: &Path) -> Router {
    // TODO 2: Every request no route takes is answered from the files in `public_dir`, and never from outside it.
    //         `/css/style.css` is `public_dir/css/style.css`, `/` is its
    //         `index.html`, each with its content type and its caching
    //         validators; `/messages` stays the API's. Use the folder this
    //         function is given, not `public_dir()`. Never build file paths
    //         from the request yourself. Then delete `not_served_yet`, which
    //         only stands in until this is done.
    //         Notes: "3. ServeDir behind the routes", "6. Path traversal";
    //         docs.rs: `tower_http::services::ServeDir`, and the `Router`
    //         methods that take a service.
    // TODO 3: A missing file gets the site's own page, `404.html`, with a status that says it is missing.
    //         Never `200` for a page that does not exist. `ServeDir` has two
    //         ways to answer what it cannot find: they differ in the status.
    //         Notes: "3. ServeDir behind the routes", the single-page example;
    //         docs.rs: `ServeDir`'s methods, `tower_http::services::ServeFile`.
    // TODO 4: Browsers may keep a copy of each file, and never use a stale one after the file changes.
    //         Decide the `Cache-Control` every file is sent with. The file
    //         names never change when their content does (`style.css` stays
    //         `style.css`). Notes: "5. Caching" weighs the choices;
    //         docs.rs: `tower_http::set_header::SetResponseHeader`.
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
