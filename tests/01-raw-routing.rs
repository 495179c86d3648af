//! Lesson 01 tests. They run against your exercise with
//! `cargo test -p lesson-01-raw-routing`, and against the reference with
//! `cargo test -p solution-01-raw-routing`.
//!
//! Most tests start the server on a free port and talk to it over a real
//! TCP connection, exactly as a browser would.
//!
//! Every rule of `notes/01-raw-routing.md`, and the tests that fail when it
//! is broken:
//!
//! | rule (notes section) | TODO | tests |
//! |---|---|---|
//! | each known page answers `GET` with 200 (5) | 1, 2 | `contact_page_is_routed`, `about_page_is_routed`, `route_is_a_plain_function_of_method_and_path` |
//! | route on the path, never on the whole URL with its query (4) | 1 | `query_string_does_not_change_the_route` |
//! | paths match exactly (5) | 1, 2 | `paths_match_exactly` |
//! | an arm for any method comes after the `GET` arms, or it catches `GET` too (5) | 3 | `home_page_answers_with_html`, `contact_page_is_routed`, `about_page_is_routed` |
//! | a known path with another method is 405, not 404 (6) | 3 | `known_path_with_another_method_is_405` |
//! | every request gets an answer: unknown paths get a 404 page (5, 6) | 3 | `unknown_path_is_404_with_a_page`, `paths_match_exactly` |
//! | a 405 always carries `Allow`, listing the methods the path accepts, and only those (6) | 4 | `method_not_allowed_lists_the_accepted_methods`, `known_path_with_another_method_is_405` |
//! | every page says `Content-Type: text/html; charset=utf-8` (6) | 1–4 | `every_answer_is_html_in_utf8` |
//! | listen on 127.0.0.1 only (2) | given | `server_binary_prints_its_url_and_serves_pages` |
//! | a taken port is one clear line and an error exit, not a panic (2) | given | `taken_port_gives_a_one_line_error` |

use hyper::{Method, StatusCode};
use test_support::{ServerProcess, TestClient, TestResponse, assert_taken_port_is_refused};

use crate::subject;

/// Starts the lesson's `serve` function on a free port.
async fn spawn_app() -> TestClient {
    TestClient::spawn(subject::serve).await
}

const NOTES_ROUTER: &str = "notes/01-raw-routing.md, \"5. The router is a `match`\"";
const NOTES_STATUS: &str = "notes/01-raw-routing.md, \"6. Status codes and headers\"";

/// What to say when `GET path`, a page that exists, did not answer 200.
/// A 405 means an arm for any method stands above this page's arm (TODO 3);
/// anything else means the page's own arm is missing: `todo` says which
/// TODO writes it.
fn page_advice(status: StatusCode, path: &str, todo: &str) -> String {
    if status == StatusCode::METHOD_NOT_ALLOWED {
        format!(
            "TODO 3: `GET {path}` is a page that exists, yet it was refused as a wrong \
             method. A `match` takes the first arm that fits: an arm that accepts any \
             method, tried before the `GET` arms, catches `GET` too. ({NOTES_ROUTER})"
        )
    } else {
        format!("{todo}: `GET {path}` should answer its page with 200 OK. ({NOTES_ROUTER})")
    }
}

/// Checks that `response`, the answer to `GET path`, is 200 with its page,
/// which holds `heading`. `todo` names the TODO that writes the page's arm.
#[track_caller]
fn assert_page(response: &TestResponse, path: &str, heading: &str, todo: &str) {
    response
        .assert_status(StatusCode::OK, &page_advice(response.status, path, todo))
        .assert_body_contains(
            heading,
            &format!("{todo}: `GET {path}` answered 200, but not with its own page."),
        );
}

#[tokio::test]
async fn home_page_answers_with_html() {
    let app = spawn_app().await;
    let response = app.get("/").await;

    assert_page(
        &response,
        "/",
        "<h1>Home</h1>",
        "The home page's arm is given",
    );
}

#[tokio::test]
async fn contact_page_is_routed() {
    let app = spawn_app().await;
    let response = app.get("/contact").await;

    assert_page(&response, "/contact", "<h1>Contact Page</h1>", "TODO 1");
}

#[tokio::test]
async fn query_string_does_not_change_the_route() {
    let app = spawn_app().await;

    let response = app.get("/contact?from=nav").await;

    let advice = match response.status {
        StatusCode::METHOD_NOT_ALLOWED => page_advice(response.status, "/contact", "TODO 1"),
        _ => "TODO 1: `/contact?from=nav` is still the contact page: the query is not part \
              of the path, and `handle` (given) passes `route` the path alone. `GET /contact` \
              must work first. (notes/01-raw-routing.md, \"4. One function per request\")"
            .to_owned(),
    };
    response
        .assert_status(StatusCode::OK, &advice)
        .assert_body_contains(
            "<h1>Contact Page</h1>",
            "TODO 1: the query changes nothing.",
        );
}

#[tokio::test]
async fn about_page_is_routed() {
    let app = spawn_app().await;

    let response = app.get("/about").await;

    assert_page(&response, "/about", "<h1>About</h1>", "TODO 2");
}

#[test]
fn route_is_a_plain_function_of_method_and_path() {
    let response = subject::route(&Method::GET, "/about");

    assert_eq!(
        response.status(),
        StatusCode::OK,
        "`route(&Method::GET, \"/about\")`, called directly with no server: {}",
        page_advice(response.status(), "/about", "TODO 2")
    );
}

#[tokio::test]
async fn paths_match_exactly() {
    let app = spawn_app().await;

    for path in [
        "/contact/",
        "/CONTACT",
        "/contact/extra",
        "/about.html",
        "/abou",
    ] {
        app.get(path).await.assert_status(
            StatusCode::NOT_FOUND,
            &format!(
                "`{path}` is not a page of this site: only the exact paths `/`, `/contact` \
                 and `/about` are. A `match` on strings compares them letter by letter; \
                 check the arms of TODO 1 and TODO 2. ({NOTES_ROUTER})"
            ),
        );
    }
}

#[tokio::test]
async fn unknown_path_is_404_with_a_page() {
    let app = spawn_app().await;

    for method in [Method::GET, Method::POST] {
        let response = app
            .send_raw(method, "/no-such-page", "text/plain", "")
            .await;

        response
            .assert_status(
                StatusCode::NOT_FOUND,
                &format!(
                    "TODO 3: a path that does not exist is 404 Not Found, whatever the \
                     method: 405 is only for the paths that do exist. Check which paths \
                     your 405 arm accepts. ({NOTES_STATUS})"
                ),
            )
            .assert_body_contains(
                "404",
                "TODO 3: a 404 still has a body that tells the visitor what happened.",
            );
    }
}

#[tokio::test]
async fn known_path_with_another_method_is_405() {
    let app = spawn_app().await;

    for (method, path) in [
        (Method::POST, "/contact"),
        (Method::DELETE, "/"),
        (Method::PUT, "/about"),
        (Method::PATCH, "/contact"),
    ] {
        let response = app.send_raw(method.clone(), path, "text/plain", "").await;

        response.assert_status(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!(
                "TODO 3: `{path}` exists, but only for GET. A client that asks with \
                 {method} must learn that the method is wrong (405), not that the page is \
                 missing (404). ({NOTES_STATUS})"
            ),
        );
        assert!(
            response.header("allow").is_some(),
            "\n{method} {path}: got 405 without an `Allow` header.\nTODO 4: HTTP requires \
             every 405 to list the methods the path accepts. ({NOTES_STATUS})\n"
        );
    }
}

#[test]
fn method_not_allowed_lists_the_accepted_methods() {
    let response = subject::method_not_allowed();

    assert_eq!(
        response.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "`method_not_allowed()` must keep its status, 405 Method Not Allowed (TODO 4)"
    );
    let Some(allow) = response.headers().get("allow") else {
        panic!(
            "\n`method_not_allowed()` returned a 405 with no `Allow` header.\nTODO 4: HTTP \
             requires a 405 to say which methods the path does accept. ({NOTES_STATUS})\n"
        )
    };
    let allow = allow.to_str().unwrap_or_default();
    let listed: Vec<&str> = allow.split(',').map(str::trim).collect();
    assert!(
        listed.contains(&"GET"),
        "\n`method_not_allowed()`: `Allow: {allow}`, but every page of this site accepts \
         GET.\nTODO 4: list the methods the pages accept, separated by commas. \
         ({NOTES_STATUS})\n"
    );
    for name in listed {
        let method = Method::from_bytes(name.as_bytes()).unwrap_or_else(|_| {
            panic!(
                "\n`Allow: {allow}`: {name:?} is not a method name.\nTODO 4: the value is a \
                 list of method names, such as `GET` or `GET, POST`. ({NOTES_STATUS})\n"
            )
        });
        for path in ["/", "/contact", "/about"] {
            assert!(
                subject::route(&method, path).status() != StatusCode::METHOD_NOT_ALLOWED,
                "\n`Allow: {allow}` promises that {method} works, but `route` answers \
                 {method} {path} with 405.\nTODO 4: list only the methods the router \
                 really accepts ({NOTES_STATUS}). (If you did write an arm for {method} \
                 {path}, an arm for any method above it takes {method} first: TODO 3, \
                 {NOTES_ROUTER}.)\n"
            );
        }
    }
}

#[tokio::test]
async fn every_answer_is_html_in_utf8() {
    let app = spawn_app().await;

    for (method, path, todo) in [
        (Method::GET, "/", "TODO 1"),
        (Method::GET, "/contact", "TODO 1"),
        (Method::GET, "/about", "TODO 2"),
        (Method::GET, "/no-such-page", "TODO 3"),
        (Method::POST, "/contact", "TODO 3"),
    ] {
        let response = app.send_raw(method, path, "text/plain", "").await;

        response.assert_header(
            "content-type",
            "text/html; charset=utf-8",
            &format!(
                "{todo}: every page is HTML in UTF-8, and says so, or the browser may show \
                 it as plain text or garble its accents. The `html` helper sets this \
                 header. ({NOTES_STATUS})"
            ),
        );
    }
}

#[tokio::test]
async fn server_binary_prints_its_url_and_serves_pages() {
    // PORT=0 asks the system for any free port; the server prints the real one.
    let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
    assert!(
        server.url().starts_with("http://127.0.0.1:"),
        "the server should listen on 127.0.0.1 only (this computer), and say so: \
         src/main.rs is given, compare it with the notes, \"2. Listen on a port\". \
         It printed {}",
        server.url()
    );

    let response = TestClient::at(server.url()).get("/").await;

    response.assert_status(
        StatusCode::OK,
        &format!(
            "The running server (src/main.rs calls `serve`) should serve the home page. {}",
            page_advice(response.status, "/", "The home page's arm is given")
        ),
    );
}

#[test]
fn taken_port_gives_a_one_line_error() {
    assert_taken_port_is_refused(
        env!("CARGO_PKG_NAME"),
        &[],
        "given code; notes, \"2. Listen on a port\"",
    );
}
