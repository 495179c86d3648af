//! Lesson 01 — raw routing: an HTTP server with no framework. EXERCISE.
//!
//! Read `notes/01-raw-routing.md` first. Then do the `TODO`s below, and
//! check your work with `cargo test -p lesson-01-raw-routing`.
//!
//! hyper hands every request to one function, [`handle`]. Routing is a
//! `match` on the method and the path, written by hand in [`route`].
//!
//! Run it: `cargo run -p lesson-01-raw-routing`, then open
//! <http://127.0.0.1:3000/contact>.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Every response in this lesson: a status, some headers and a body that is
/// already complete in memory (`Full<Bytes>`).
pub type HttpResponse = Response<Full<Bytes>>;

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

/// Called by hyper once for every request on every connection.
///
/// It cannot fail (`Infallible`): a bad request still gets a response.
pub async fn handle(request: Request<Incoming>) -> Result<HttpResponse, Infallible> {
    // `uri().path()` is the path without the query string:
    // for `/contact?from=nav` it is `/contact`.
    Ok(route(request.method(), request.uri().path()))
}

/// The router: chooses the response from the method and the path.
pub fn route(method: &Method, path: &str) -> HttpResponse {
    match (method, path) {
        (&Method::GET, "/") => html(StatusCode::OK, HOME_PAGE),
        // TODO 1: `GET /contact` answers the contact page, 200 OK.
        //         The arm above does the same for `/`.
        //         Notes "5. The router is a `match`".
        // TODO 2: `GET /about` answers the about page, 200 OK.
        // TODO 3: A known page asked for with another method says "wrong method".
        //         `POST /contact`, `DELETE /`…: the page exists, so the answer is
        //         not "not found"; the client learns that its method is wrong.
        //         Every `GET` above still gets its page, and an unknown path is
        //         still a 404. Notes "5. The router is a `match`" (the order of
        //         the arms), "6. Status codes and headers".
        _ => html(StatusCode::NOT_FOUND, NOT_FOUND_PAGE),
    }
}

/// `405 Method Not Allowed`, with the `Allow` header HTTP requires: it
/// lists the methods the path does accept.
pub fn method_not_allowed() -> HttpResponse {
    // TODO 4: This 405 says which methods the path accepts, as HTTP requires.
    //         It lists only methods that `route` really accepts, and keeps its
    //         page and its Content-Type. Notes "6. Status codes and headers";
    //         the `html` helper below already adds a header.
    html(StatusCode::METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED_PAGE)
}

/// An HTML response with the given status.
pub fn html(status: StatusCode, body: &'static str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

pub const HOME_PAGE: &str = "<!doctype html>\n<title>Home</title>\n<h1>Home</h1>\n\
    <p>Welcome! Try <a href=\"/contact\">contact</a> or <a href=\"/about\">about</a>.</p>\n";
pub const CONTACT_PAGE: &str = "<!doctype html>\n<title>Contact</title>\n<h1>Contact Page</h1>\n\
    <p>Write to us at hello@example.com.</p>\n";
pub const ABOUT_PAGE: &str = "<!doctype html>\n<title>About</title>\n<h1>About</h1>\n\
    <p>A server with no framework: just hyper and a match.</p>\n";
pub const NOT_FOUND_PAGE: &str = "<!doctype html>\n<title>Not found</title>\n<h1>404: page not found</h1>\n\
    <p>Go back <a href=\"/\">home</a>.</p>\n";
pub const METHOD_NOT_ALLOWED_PAGE: &str = "<!doctype html>\n<title>Method not allowed</title>\n\
    <h1>405: method not allowed</h1>\n<p>This page can only be read with GET.</p>\n";
