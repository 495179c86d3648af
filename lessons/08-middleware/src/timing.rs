//! A middleware that times every request and says how long it took in a
//! `Server-Timing` response header (browsers show it in the developer
//! tools, under Network → Timing).
//!
//! It is written as `async fn (Request, Next) -> Response`: the code before
//! `next.run(..)` runs on the way in, the code after it on the way out.

// TODO 4 needs `std::time::Instant` and `axum::http::HeaderValue`.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// Adds `Server-Timing: app;dur=<milliseconds>` to every response.
pub async fn server_timing(request: Request, next: Next) -> Response {
    // TODO 4: - on the way in, note the time: `let started = Instant::now();`
    //         - pass the request on and keep the response, which you will
    //           change: `let mut response = next.run(request).await;`
    //         - on the way out, `started.elapsed().as_secs_f64() * 1000.0`
    //           is the time taken in milliseconds. Format it as
    //           `app;dur={millis:.3}` (three decimals), make it a header
    //           value with `HeaderValue::from_str(..)` (it returns a
    //           `Result`: a number always fits, so `.expect(..)` is fine),
    //           and `response.headers_mut().insert("server-timing", value);`
    //         - return the response.
    todo!(
        "TODO 4 in src/timing.rs: time {} {} through {next:?}",
        request.method(),
        request.uri()
    )
}
