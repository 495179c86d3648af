//! Every request runs to its end, even when its client hangs up.
//!
//! When a client closes its connection before its answer is ready, hyper
//! (the HTTP engine under axum) drops the handler's future. The handler
//! stops at the `.await` it was waiting on and never resumes. For most code
//! that is harmless. For the MongoDB driver it is not: its documentation
//! asks that every future it returns be polled to completion. An operation
//! dropped while it waits for a pooled connection leaves its request in the
//! pool's queue, and the pool then hands out connections slowly, one per
//! half second. After a burst of clients that hang up, the next requests
//! wait for seconds.
//!
//! [`run_to_completion`] moves each request onto a task of its own with
//! `tokio::spawn`. Dropping a task's `JoinHandle` does not stop the task:
//! it runs to its end, and only its answer is thrown away.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// Middleware: runs the rest of the app on a task of its own, so that a
/// client that hangs up cannot cancel a database operation halfway.
pub async fn run_to_completion(request: Request, next: Next) -> Response {
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        // The handler panicked. (A task is cancelled only when the whole
        // runtime shuts down, and this one goes with it.) Let the panic go
        // on here, as if the handler had run on this task.
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}
