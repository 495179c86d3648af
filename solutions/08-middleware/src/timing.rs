//! A middleware that times every request and says how long it took in a
//! `Server-Timing` response header (browsers show it in the developer
//! tools, under Network → Timing).
//!
//! It is written as `async fn (Request, Next) -> Response`: the code before
//! `next.run(..)` runs on the way in, the code after it on the way out.

use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Adds `Server-Timing: app;dur=<milliseconds>` to every response.
pub async fn server_timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let value = HeaderValue::from_str(&format!("app;dur={millis:.3}"))
        .expect("a number is a valid header value");
    response.headers_mut().insert("server-timing", value);
    response
}
