//! Lesson 02 — modules: the lesson 01 server, split into files. EXERCISE.
//!
//! Read `notes/02-modules.md` first. Then do the `TODO`s, in order, and
//! check your work with `cargo test -p lesson-02-modules`.
//!
//! Today the whole server lives in `src/main.rs`, one long file. It works,
//! but no other crate (and no test) can use any of it. Your job is to move
//! it, piece by piece, into this library:
//!
//! | module | file | job | visible outside? |
//! |---|---|---|---|
//! | [`routes`] | `src/routes.rs` | picks a handler for a method and a path | yes |
//! | [`handlers`] | `src/handlers.rs` | one function per page, builds the response | yes |
//! | `pages` | `src/pages.rs` (you create it) | the HTML text of every page | no |
//! | `server` | `src/server.rs` (you create it) | accepts connections, hands requests to `routes` | only `serve` |
//!
//! Run it: `cargo run -p lesson-02-modules`, then open
//! <http://127.0.0.1:3000/contact>.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

// `pub mod`: the module and its `pub` items are part of the library's API.
// The tests call `handlers::contact()` and `routes::route(…)`, so these two
// are declared already.
pub mod handlers;
pub mod routes;

// TODO 1: The page texts get their own module, `pages`, hidden from other crates.
//         It lives in its own file; the handlers can use its constants, no
//         other crate can. Declare it here first, build, and read what the
//         compiler says (E0583). Copy the constants from `src/main.rs`, which
//         keeps its own copies until TODO 5; inside `pages`, their names may
//         drop the `_PAGE` the module's name already says. Notes "2. `mod`"
//         and "3. `pub`".

// TODO 4: The network side moves to a private module, `server`; `serve` keeps one path.
//         `server` lives in its own file. Users of the library still start
//         the server as `lesson_02_modules::serve`, by that one path only,
//         and the stub below goes away. Notes "6. `pub use`", and "Compiler
//         errors you will meet" for E0255 and for `std::net` or `tokio::net`.

/// Every response in this lesson: a status, some headers and a body that is
/// already complete in memory (`Full<Bytes>`).
///
/// Defined here, at the root, it has one public path: `lesson_02_modules::HttpResponse`.
/// The modules import it with a plain `use`, which adds no path of its own.
pub type HttpResponse = Response<Full<Bytes>>;

/// A stub, so that the tests compile: TODO 4 replaces it.
pub async fn serve(_listener: tokio::net::TcpListener) -> std::io::Result<()> {
    todo!("TODO 4: `serve` is still the stub in src/lib.rs, not the server")
}
