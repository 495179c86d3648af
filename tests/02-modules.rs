//! Lesson 02 tests. They run against your exercise with
//! `cargo test -p lesson-02-modules`, and against the reference with
//! `cargo test -p solution-02-modules`.
//!
//! They use the library the way another crate would: only through its
//! public paths. `subject::handlers::contact` compiles only because
//! `handlers` is a `pub mod` with a `pub fn contact`; `subject::serve` only
//! because the crate root re-exports it with `pub use`.

use http_body_util::BodyExt;
use hyper::header::{ALLOW, CONTENT_TYPE, HeaderName};
use hyper::{Method, StatusCode};
use test_support::{ServerProcess, TestApp};

use crate::subject;
use crate::subject::{HttpResponse, handlers, routes};

/// What a handler answered, read completely.
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    allow: Option<String>,
    body: String,
}

/// Reads a response built by the library (no network involved).
async fn read(response: HttpResponse) -> Answer {
    let (parts, body) = response.into_parts();
    let header = |name: HeaderName| {
        let value = parts.headers.get(name)?;
        Some(value.to_str().expect("a text header").to_owned())
    };
    Answer {
        status: parts.status,
        content_type: header(CONTENT_TYPE),
        allow: header(ALLOW),
        body: String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap(),
    }
}

/// Starts the library's `serve` (re-exported at the crate root) on a free port.
async fn spawn_app() -> TestApp {
    TestApp::spawn(subject::serve).await
}

impl Answer {
    #[track_caller]
    fn assert_html_page(&self, status: StatusCode, heading: &str, what_to_fix: &str) {
        assert_eq!(self.status, status, "{what_to_fix}");
        assert_eq!(
            self.content_type.as_deref(),
            Some("text/html; charset=utf-8"),
            "pages are HTML: build them with the private `html` helper in handlers.rs"
        );
        assert!(
            self.body.contains(heading),
            "the page should contain {heading:?}: use the right constant from `pages`. Got:\n{}",
            self.body
        );
    }
}

#[tokio::test]
async fn handlers_home_answers_the_home_page() {
    let answer = read(handlers::home()).await;

    answer.assert_html_page(
        StatusCode::OK,
        "<h1>Home</h1>",
        "`handlers::home()` returns `html(StatusCode::OK, pages::HOME)`",
    );
}

#[tokio::test]
async fn handlers_contact_answers_the_contact_page() {
    let answer = read(handlers::contact()).await;

    answer.assert_html_page(
        StatusCode::OK,
        "<h1>Contact Page</h1>",
        "`handlers::contact()` returns `html(StatusCode::OK, pages::CONTACT)`",
    );
}

#[tokio::test]
async fn handlers_about_answers_the_about_page() {
    let answer = read(handlers::about()).await;

    answer.assert_html_page(
        StatusCode::OK,
        "<h1>About</h1>",
        "`handlers::about()` returns `html(StatusCode::OK, pages::ABOUT)`",
    );
}

#[tokio::test]
async fn handlers_not_found_answers_404_with_a_page() {
    let answer = read(handlers::not_found()).await;

    answer.assert_html_page(
        StatusCode::NOT_FOUND,
        "404",
        "`handlers::not_found()` returns `html(StatusCode::NOT_FOUND, pages::NOT_FOUND)`",
    );
}

#[tokio::test]
async fn handlers_method_not_allowed_answers_405_with_allow_header() {
    let answer = read(handlers::method_not_allowed()).await;

    answer.assert_html_page(
        StatusCode::METHOD_NOT_ALLOWED,
        "405",
        "`handlers::method_not_allowed()` answers 405 with `pages::METHOD_NOT_ALLOWED`",
    );
    assert_eq!(
        answer.allow.as_deref(),
        Some("GET"),
        "a 405 must carry `Allow: GET`: move the whole `method_not_allowed` function \
         from main.rs, header included"
    );
}

#[tokio::test]
async fn routes_route_sends_each_get_to_its_handler() {
    for (path, heading) in [
        ("/", "<h1>Home</h1>"),
        ("/contact", "<h1>Contact Page</h1>"),
        ("/about", "<h1>About</h1>"),
    ] {
        let answer = read(routes::route(&Method::GET, path)).await;

        answer.assert_html_page(
            StatusCode::OK,
            heading,
            &format!("`routes::route(&Method::GET, {path:?})` should call its handler"),
        );
    }
}

#[tokio::test]
async fn routes_route_answers_405_for_other_methods_on_known_paths() {
    for (method, path) in [
        (Method::POST, "/contact"),
        (Method::DELETE, "/"),
        (Method::PUT, "/about"),
    ] {
        let answer = read(routes::route(&method, path)).await;

        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "`{method} {path}`: the path exists, but only for GET. Keep the arm \
             `(_, \"/\" | \"/contact\" | \"/about\") => handlers::method_not_allowed()` \
             after the GET arms"
        );
        assert_eq!(answer.allow.as_deref(), Some("GET"));
    }
}

#[tokio::test]
async fn routes_route_answers_404_for_unknown_and_inexact_paths() {
    for path in ["/no-such-page", "/contact/", "/CONTACT", "/contact/extra"] {
        let answer = read(routes::route(&Method::GET, path)).await;

        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "`GET {path}` is no page: the last arm, `_ => handlers::not_found()`, answers it"
        );
        assert!(
            answer.body.contains("404"),
            "a 404 still has a page, got {:?}",
            answer.body
        );
    }
}

#[tokio::test]
async fn serve_at_the_crate_root_serves_every_page_over_tcp() {
    let app = spawn_app().await;

    for (path, heading) in [
        ("/", "<h1>Home</h1>"),
        ("/contact", "<h1>Contact Page</h1>"),
        ("/contact?from=nav", "<h1>Contact Page</h1>"),
        ("/about", "<h1>About</h1>"),
    ] {
        let response = app.get(path).await;

        response.assert_status(
            StatusCode::OK,
            "`subject::serve` must be the real server: move `serve` and `handle` into \
             server.rs, then replace the stub in lib.rs by `pub use server::serve;`",
        );
        response.assert_header("content-type", "text/html; charset=utf-8", "pages are HTML");
        assert!(
            response.text().contains(heading),
            "`GET {path}` should show {heading:?}, got:\n{}",
            response.text()
        );
    }
}

#[tokio::test]
async fn serve_answers_404_and_405_like_lesson_01() {
    let app = spawn_app().await;

    app.get("/no-such-page")
        .await
        .assert_status(StatusCode::NOT_FOUND, "unknown paths answer 404");
    app.send_raw(Method::POST, "/contact", "text/plain", "")
        .await
        .assert_status(
            StatusCode::METHOD_NOT_ALLOWED,
            "POST /contact is not allowed",
        )
        .assert_header("allow", "GET", "a 405 lists the allowed methods");
}

#[tokio::test]
async fn server_binary_prints_its_url_and_serves_pages() {
    // PORT=0 asks the system for any free port; the server prints the real one.
    let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
    assert!(server.url().starts_with("http://127.0.0.1:"));

    let response = TestApp::at(server.url()).get("/contact").await;

    response.assert_status(
        StatusCode::OK,
        "The running server should serve the contact page.",
    );
    assert!(response.text().contains("<h1>Contact Page</h1>"));
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
