//! The network side: accept connections, read requests, send responses.
//!
//! The module is private; `lib.rs` re-exports [`serve`] with
//! `pub use server::serve;`, so users write `solution_02_modules::serve`.

use std::convert::Infallible;

use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

// `super::` starts a path at the parent module, here the crate root, where
// `lib.rs` defines `HttpResponse`.
use super::HttpResponse;
use crate::routes::route;

/// Accepts connections for ever and serves each one on its own task.
///
/// This is what Node's `http.createServer(handler).listen(port)` does for you.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    loop {
        let (stream, _client_address) = listener.accept().await?;
        tokio::spawn(async move {
            // `TokioIo` adapts Tokio's socket to the I/O traits hyper uses.
            let connection = TokioIo::new(stream);
            if let Err(err) = http1::Builder::new()
                .serve_connection(connection, service_fn(handle))
                .await
            {
                eprintln!("error serving a connection: {err}");
            }
        });
    }
}

/// Called by hyper once for every request. Private: only `serve` uses it.
async fn handle(request: Request<Incoming>) -> Result<HttpResponse, Infallible> {
    // `uri().path()` leaves out the query string: `/contact?from=nav` is `/contact`.
    Ok(route(request.method(), request.uri().path()))
}
