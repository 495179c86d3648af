//! What every lesson's tests share.
//!
//! - [`TestClient`]: send requests to a router or to a real server, read the
//!   answers, and carry cookies from one request to the next like a browser.
//! - [`ServerProcess`]: run the lesson's server binary, as `cargo run` does,
//!   and check how it starts and stops.
//! - [`temp_folder`]: a temporary folder, deleted when dropped; and
//!   [`assert_folder_of_the_crate`] for the folders an app finds by itself.
//! - [`without_panic`]: code under test that panics fails the test with its
//!   TODO first.
//!
//! The MongoDB lessons also use `test_mongodb`, in `tests/mongodb/`.
//!
//! Learners never need to edit this crate. Read it when a test fails and
//! you want to know exactly what it sent.

mod folder;
mod http;
mod panics;
mod server;

pub use folder::{TempDir, assert_folder_of_the_crate, temp_folder};
pub use http::{Burst, TestClient, TestResponse};
pub use panics::{explain_panic, panic_text, without_panic};
pub use server::{Exit, ServerCommand, ServerProcess, assert_taken_port_is_refused, binary};
