//! A middleware that times every request and says how long it took in a
//! `Server-Timing` response header (browsers show it in the developer
//! tools, under Network → Timing).
//!
//! It is written as `async fn (Request, Next) -> Response`: the code before
//! `next.run(..)` runs on the way in, the code after it on the way out.
//! The arithmetic lives in its own function, [`server_timing_value`], so
//! that tests can check it with a duration of their choosing, without a
//! clock.

use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The `Server-Timing` value for a request that took `elapsed`: the
/// header counts in milliseconds, so 1.5 ms is `app;dur=1.500` (three
/// decimals: microseconds are as precise as it is worth being).
pub fn server_timing_value(elapsed: Duration) -> HeaderValue {
    let millis = elapsed.as_secs_f64() * 1000.0;
    HeaderValue::from_str(&format!("app;dur={millis:.3}"))
        .expect("a number is a valid header value")
}

/// Adds `Server-Timing: app;dur=<milliseconds>` to every response. The
/// clock starts before the rest of the chain runs and stops after it, so
/// the time covers everything inside this layer: other middleware, the
/// handler, the fallback.
pub async fn server_timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let value = server_timing_value(started.elapsed());
    response.headers_mut().insert("server-timing", value);
    response
}
