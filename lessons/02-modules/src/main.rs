//! Starts the lesson 02 server on 127.0.0.1, port `PORT` (default 3000).
//!
//! `cargo run -p lesson-02-modules`, or `PORT=8080 cargo run -p lesson-02-modules`.
//!
//! TODO 5: This file keeps only `main`, which starts the library's server.
//!         Every line of the server then exists once, in the library.
//!         Until then, this file still holds the whole lesson 01 server, and
//!         it runs; the TODOs in `src/lib.rs`, `src/handlers.rs` and
//!         `src/routes.rs` give each piece a home in the library first.
//!         Do this one last, when every other test passes. The warnings the
//!         compiler prints then tell you what is left. Notes "8. A library
//!         and a binary in one package".

use std::convert::Infallible;
use std::process::ExitCode;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let port = match std::env::var("PORT") {
        Ok(text) => match text.parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("error: PORT must be a number from 0 to 65535, got {text:?}");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => 3000,
    };
    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "error: cannot listen on 127.0.0.1:{port}: {err}. \
                 Is another server using that port? Stop it, or pick another: PORT=3001"
            );
            return ExitCode::FAILURE;
        }
    };
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("Listening on http://{address}");
    if let Err(err) = serve(listener).await {
        eprintln!("error: the server stopped: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Every response in this lesson: a status, some headers and a body that is
/// already complete in memory (`Full<Bytes>`).
type HttpResponse = Response<Full<Bytes>>;

/// Accepts connections for ever and serves each one on its own task.
async fn serve(listener: TcpListener) -> std::io::Result<()> {
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

/// Called by hyper once for every request.
async fn handle(request: Request<Incoming>) -> Result<HttpResponse, Infallible> {
    // `uri().path()` leaves out the query string: `/contact?from=nav` is `/contact`.
    Ok(route(request.method(), request.uri().path()))
}

/// Chooses the response from the method and the path.
fn route(method: &Method, path: &str) -> HttpResponse {
    match (method, path) {
        (&Method::GET, "/") => html(StatusCode::OK, HOME_PAGE),
        (&Method::GET, "/contact") => html(StatusCode::OK, CONTACT_PAGE),
        (&Method::GET, "/about") => html(StatusCode::OK, ABOUT_PAGE),
        // The path exists, but not for this method.
        (_, "/" | "/contact" | "/about") => method_not_allowed(),
        _ => html(StatusCode::NOT_FOUND, NOT_FOUND_PAGE),
    }
}

/// `405 Method Not Allowed`, with the `Allow` header HTTP requires.
fn method_not_allowed() -> HttpResponse {
    let mut response = html(StatusCode::METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED_PAGE);
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET"));
    response
}

/// An HTML response with the given status.
fn html(status: StatusCode, body: &'static str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

const HOME_PAGE: &str = "<!doctype html>\n<title>Home</title>\n<h1>Home</h1>\n\
    <p>Welcome! Try <a href=\"/contact\">contact</a> or <a href=\"/about\">about</a>.</p>\n";
const CONTACT_PAGE: &str = "<!doctype html>\n<title>Contact</title>\n<h1>Contact Page</h1>\n\
    <p>Write to us at hello@example.com.</p>\n";
const ABOUT_PAGE: &str = "<!doctype html>\n<title>About</title>\n<h1>About</h1>\n\
    <p>A server with no framework: just hyper and a match.</p>\n";
const NOT_FOUND_PAGE: &str = "<!doctype html>\n<title>Not found</title>\n<h1>404: page not found</h1>\n\
    <p>Go back <a href=\"/\">home</a>.</p>\n";
const METHOD_NOT_ALLOWED_PAGE: &str = "<!doctype html>\n<title>Method not allowed</title>\n\
    <h1>405: method not allowed</h1>\n<p>This page can only be read with GET.</p>\n";
