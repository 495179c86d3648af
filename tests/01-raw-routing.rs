//! Lesson 01 tests. They run against your exercise with
//! `cargo test -p lesson-01-raw-routing`, and against the reference with
//! `cargo test -p solution-01-raw-routing`.
//!
//! Most tests start the server on a free port and talk to it over a real
//! TCP connection, exactly as a browser would.

use hyper::{Method, StatusCode};
use test_support::{ServerProcess, TestApp};

use crate::subject;

/// Starts the lesson's `serve` function on a free port.
async fn spawn_app() -> TestApp {
    TestApp::spawn(subject::serve).await
}

#[tokio::test]
async fn home_page_answers_with_html() {
    let app = spawn_app().await;

    let response = app.get("/").await;

    response.assert_status(StatusCode::OK, "`GET /` should answer with the home page.");
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8"),
        "pages are HTML: use the `html` helper, which sets Content-Type"
    );
    assert!(response.text().contains("<h1>Home</h1>"));
}

#[tokio::test]
async fn contact_page_is_routed() {
    let app = spawn_app().await;

    let response = app.get("/contact").await;

    response.assert_status(
        StatusCode::OK,
        "Add a match arm in `route` for `(&Method::GET, \"/contact\")` that returns \
         `html(StatusCode::OK, CONTACT_PAGE)`.",
    );
    assert!(response.text().contains("Contact Page"));
}

#[tokio::test]
async fn about_page_is_routed() {
    let app = spawn_app().await;

    let response = app.get("/about").await;

    response.assert_status(
        StatusCode::OK,
        "Add a match arm in `route` for `(&Method::GET, \"/about\")` that returns the ABOUT_PAGE.",
    );
    assert!(response.text().contains("<h1>About</h1>"));
}

#[tokio::test]
async fn query_string_does_not_change_the_route() {
    let app = spawn_app().await;

    let response = app.get("/contact?from=nav").await;

    response.assert_status(
        StatusCode::OK,
        "`/contact?from=nav` is still the contact page: route on `uri().path()`, \
         which leaves out the `?query`.",
    );
    assert!(response.text().contains("Contact Page"));
}

#[tokio::test]
async fn unknown_path_is_404_with_a_page() {
    let app = spawn_app().await;

    let response = app.get("/no-such-page").await;

    response.assert_status(StatusCode::NOT_FOUND, "Unknown paths answer 404.");
    assert!(
        response.text().contains("404"),
        "a 404 still has a body that tells the visitor what happened, got {:?}",
        response.text()
    );
}

#[tokio::test]
async fn paths_match_exactly() {
    let app = spawn_app().await;

    for path in ["/contact/", "/CONTACT", "/contact/extra"] {
        app.get(path).await.assert_status(
            StatusCode::NOT_FOUND,
            "A `match` on strings compares them exactly: only `/contact` is the contact page.",
        );
    }
}

#[tokio::test]
async fn known_path_with_another_method_is_405_with_allow_header() {
    let app = spawn_app().await;

    for (method, path) in [
        (Method::POST, "/contact"),
        (Method::DELETE, "/"),
        (Method::PUT, "/about"),
    ] {
        let response = app.send_raw(method, path, "text/plain", "").await;
        response.assert_status(
            StatusCode::METHOD_NOT_ALLOWED,
            "The path exists but only for GET: add an arm `(_, \"/\" | \"/contact\" | \"/about\")` \
             that returns `method_not_allowed()`, placed after the GET arms.",
        );
        response.assert_header(
            "allow",
            "GET",
            "HTTP requires a 405 to list the allowed methods: insert `Allow: GET` \
             in `method_not_allowed`.",
        );
    }
}

#[test]
fn route_is_a_plain_function_of_method_and_path() {
    let response = subject::route(&Method::GET, "/about");

    assert_eq!(
        response.status(),
        StatusCode::OK,
        "`route(&Method::GET, \"/about\")` should return the about page"
    );
}

#[tokio::test]
async fn server_binary_prints_its_url_and_serves_pages() {
    // PORT=0 asks the system for any free port; the server prints the real one.
    let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
    assert!(server.url().starts_with("http://127.0.0.1:"));

    let response = TestApp::at(server.url()).get("/").await;

    response.assert_status(
        StatusCode::OK,
        "The running server should serve the home page.",
    );
}

#[test]
fn taken_port_gives_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let exit = ServerProcess::run_until_exit(env!("CARGO_PKG_NAME"), &[("PORT", &port)]);

    exit.assert_one_line_error(
        &[&port],
        "When PORT is already in use, print one line that names the port and exit with \
         `ExitCode::FAILURE`: see how src/main.rs handles the error of `TcpListener::bind`.",
    );
}
