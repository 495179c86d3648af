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
//! | `pages` | `src/pages.rs` | the HTML text of every page | no |
//! | `server` | `src/server.rs` | accepts connections, hands requests to `routes` | only [`serve`] |
//!
//! The modules are declared below already, so the tests can name them; the
//! functions in them are stubs that stop with `todo!()` until you fill them.
//!
//! Run it: `cargo run -p lesson-02-modules`, then open
//! <http://127.0.0.1:3000/contact>.

// `pub mod`: the module and its `pub` items are part of the library's API.
pub mod handlers;
pub mod routes;

// `mod` alone: the module is private to this crate. Its `pub` items can be
// used from anywhere inside the crate, and from nowhere outside it.
mod pages;
mod server;

// A re-export: `lesson_02_modules::HttpResponse` is a shorter path to
// `lesson_02_modules::handlers::HttpResponse`.
pub use handlers::HttpResponse;

// TODO 6: `serve` belongs in `src/server.rs` (TODO 5), and `server` is a
//         private module. Give it a public path here instead: delete this
//         whole stub function and write, under the re-export above,
//             pub use server::serve;
/// A stub: replace it by a re-export of `server::serve` (TODO 6).
pub async fn serve(_listener: tokio::net::TcpListener) -> std::io::Result<()> {
    todo!("TODO 6 in src/lib.rs: replace this stub by `pub use server::serve;`")
}
