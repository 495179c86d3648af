//! Lesson 02 — modules: the lesson 01 server, split into files.
//!
//! This file is the crate root of the library. It declares the modules
//! (one file each) and decides what the outside world may use:
//!
//! | module | file | job | visible outside? |
//! |---|---|---|---|
//! | [`routes`] | `src/routes.rs` | picks a handler for a method and a path | yes |
//! | [`handlers`] | `src/handlers.rs` | one function per page, builds the response | yes |
//! | `pages` | `src/pages.rs` | the HTML text of every page | no |
//! | `server` | `src/server.rs` | accepts connections, hands requests to `routes` | only [`serve`] |
//!
//! The binary, `src/main.rs`, is a second crate in the same package: it
//! uses this library by its name, `solution_02_modules`, exactly as any
//! other crate would.
//!
//! Run it: `cargo run -p solution-02-modules`, then open
//! <http://127.0.0.1:3000/contact>.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

// `pub mod`: the module and its `pub` items are part of the library's API.
pub mod handlers;
pub mod routes;

// `mod` alone: the module is private to this crate. Its `pub` items can be
// used from anywhere inside the crate, and from nowhere outside it.
mod pages;
mod server;

// A re-export: the short path users of the library should know.
// `solution_02_modules::serve` works although `server` is private.
pub use server::serve;

/// Every response in this lesson: a status, some headers and a body that is
/// already complete in memory (`Full<Bytes>`).
///
/// Defined here, at the root, it has one public path: `solution_02_modules::HttpResponse`.
/// The modules import it with a plain `use`, which adds no path of its own.
pub type HttpResponse = Response<Full<Bytes>>;
