//! What every lesson's tests share.
//!
//! - [`TestApp`]: send requests to a router or to a real server, read the
//!   answers, and carry cookies from one request to the next like a browser.
//! - [`TestDatabase`]: a real MongoDB database of its own for each test.
//!
//! Learners never need to edit this crate. Read it when a test fails and
//! you want to know exactly what it sent.

mod database;
mod http;
mod server;

pub use database::{TestDatabase, mongodb_uri};
pub use http::{TestApp, TestResponse};
pub use server::{ServerProcess, binary};
