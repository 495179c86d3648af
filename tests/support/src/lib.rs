//! What every lesson's tests share.
//!
//! - [`TestClient`]: send requests to a router or to a real server, read the
//!   answers, and carry cookies from one request to the next like a browser.
//! - [`ServerProcess`]: run the lesson's server binary, as `cargo run` does,
//!   and check how it starts and stops.
//! - [`TempFolder`]: a temporary folder, deleted when dropped.
//!
//! The MongoDB lessons also use `test_mongodb`, in `tests/mongodb/`.
//!
//! Learners never need to edit this crate. Read it when a test fails and
//! you want to know exactly what it sent.

mod folder;
mod http;
mod server;

pub use folder::TempFolder;
pub use http::{Burst, TestClient, TestResponse};
pub use server::{Exit, ServerCommand, ServerProcess, assert_taken_port_is_refused, binary};
