//! Lesson 02 tests. They run against your exercise with
//! `cargo test -p lesson-02-modules`, and against the reference with
//! `cargo test -p solution-02-modules`.
//!
//! They use the library the way another crate would: only through its
//! public paths. `subject::handlers::contact` compiles only because
//! `handlers` is a `pub mod` with a `pub fn contact`; `subject::serve` only
//! because the crate root has a public `serve`. What a compiled crate cannot
//! show from outside (which modules are private, what is left in
//! `main.rs`), the tests read in the crate's source files.
//!
//! Every rule of `notes/02-modules.md`, and the tests that fail when it is
//! broken:
//!
//! | rule (notes section) | TODO | tests |
//! |---|---|---|
//! | each module has its own file, declared with `mod name;` (2) | 1, 4 | `pages_is_a_private_module_in_its_own_file`, `server_is_private_and_serve_has_one_public_path` |
//! | what other crates must not depend on stays private: `pages` (3) | 1 | `pages_is_a_private_module_in_its_own_file` |
//! | the `html` helper stays private to `handlers` (3) | 2 | `html_helper_stays_private_to_handlers` |
//! | a move changes nothing seen from outside: same status, headers, page (the exercise) | 2, 3, 4 | `handlers_*`, `routes_route_*`, `serve_*` |
//! | `routes` only decides; the handlers build the pages (4) | 3 | `routes_builds_no_page_itself` |
//! | functions are called through their module, `handlers::home()` (4) | 3 | `routes_call_each_handler_through_its_module` |
//! | one public path per item: `server` private, `serve` re-exported at the root (6) | 4 | `server_is_private_and_serve_has_one_public_path`, `serve_at_the_crate_root_serves_every_page_over_tcp` |
//! | the binary keeps only `main`, never its own copy of the library or its modules (8) | 5 | `main_rs_keeps_only_main` |
//! | a taken port is one clear line and an error exit (8; `main` is given) | 5 | `taken_port_gives_a_one_line_error` |

use hyper::{Method, StatusCode};
use test_support::{
    ServerProcess, TestClient, TestResponse, assert_taken_port_is_refused, panic_text,
};

use crate::subject;
use crate::subject::{HttpResponse, handlers, routes};

const NOTES: &str = "notes/02-modules.md";

/// Reads a response built by the library (no network involved); `call`
/// names the call that built it, for failure messages.
async fn read(call: &str, response: HttpResponse) -> TestResponse {
    TestResponse::read(call.to_owned(), response).await
}

/// What `routes::route` answers to `method` on `path` (TODO 3's function).
async fn route(method: Method, path: &str) -> TestResponse {
    let call = format!("routes::route(&Method::{method}, {path:?})");
    read(&call, routes::route(&method, path)).await
}

/// Checks status, content type and page of what `todo` moved: it must
/// answer exactly as lesson 01 did.
#[track_caller]
fn assert_html_page(answer: &TestResponse, status: StatusCode, heading: &str, todo: &str) {
    answer
        .assert_status(
            status,
            &format!(
                "{todo}: it must answer exactly as lesson 01 did: moving code changes \
                 nothing seen from outside."
            ),
        )
        .assert_header(
            "content-type",
            "text/html; charset=utf-8",
            &format!("{todo}: every page is built by the `html` helper, which sets it."),
        )
        .assert_body_contains(
            heading,
            &format!("{todo}: check which constant of `pages` it sends."),
        );
}

/// Starts the library's `serve` (the one at the crate root) on a free port.
///
/// A `serve` that stops at once (the stub's `todo!()`) is reported as
/// such, instead of as a refused connection.
async fn spawn_app() -> TestClient {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    let address = listener.local_addr().expect("the listener's address");
    let server = tokio::spawn(subject::serve(listener));
    // The test runtime has one thread: yielding lets the server task run
    // until it waits for its first connection, or stops.
    tokio::task::yield_now().await;
    if server.is_finished() {
        let why = match server.await {
            Err(err) if err.is_panic() => panic_text(&*err.into_panic()).to_owned(),
            Ok(result) => format!("it returned {result:?}"),
            Err(err) => err.to_string(),
        };
        panic!(
            "\n`lesson_02_modules::serve` stopped at once instead of serving: {why}\n\
             TODO 4: the crate root's public `serve` must be the real server of \
             src/server.rs. ({NOTES}, \"6. `pub use`: a module's public face\")\n"
        );
    }
    TestClient::at(&format!("http://{address}"))
}

#[tokio::test]
async fn handlers_home_answers_the_home_page() {
    let answer = read("handlers::home()", handlers::home()).await;

    assert_html_page(&answer, StatusCode::OK, "<h1>Home</h1>", "TODO 2");
}

#[tokio::test]
async fn handlers_contact_answers_the_contact_page() {
    let answer = read("handlers::contact()", handlers::contact()).await;

    assert_html_page(&answer, StatusCode::OK, "<h1>Contact Page</h1>", "TODO 2");
}

#[tokio::test]
async fn handlers_about_answers_the_about_page() {
    let answer = read("handlers::about()", handlers::about()).await;

    assert_html_page(&answer, StatusCode::OK, "<h1>About</h1>", "TODO 2");
}

#[tokio::test]
async fn handlers_not_found_answers_404_with_a_page() {
    let answer = read("handlers::not_found()", handlers::not_found()).await;

    assert_html_page(
        &answer,
        StatusCode::NOT_FOUND,
        "<h1>404: page not found</h1>",
        "TODO 2",
    );
}

#[tokio::test]
async fn handlers_method_not_allowed_answers_405_with_allow_header() {
    let answer = read(
        "handlers::method_not_allowed()",
        handlers::method_not_allowed(),
    )
    .await;

    assert_html_page(
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
        "<h1>405: method not allowed</h1>",
        "TODO 2",
    );
    answer.assert_header(
        "allow",
        "GET",
        "TODO 2: a 405 must list the methods the path accepts (lesson 01); moving the \
         function must not lose its header.",
    );
}

#[tokio::test]
async fn routes_route_sends_each_get_to_its_handler() {
    for (path, heading) in [
        ("/", "<h1>Home</h1>"),
        ("/contact", "<h1>Contact Page</h1>"),
        ("/about", "<h1>About</h1>"),
    ] {
        let answer = route(Method::GET, path).await;

        assert_html_page(&answer, StatusCode::OK, heading, "TODO 3");
    }
}

#[tokio::test]
async fn routes_route_answers_405_for_other_methods_on_known_paths() {
    for (method, path) in [
        (Method::POST, "/contact"),
        (Method::DELETE, "/"),
        (Method::PUT, "/about"),
    ] {
        let answer = route(method, path).await;

        answer
            .assert_status(
                StatusCode::METHOD_NOT_ALLOWED,
                "TODO 3: the path exists, but only for GET, as in lesson 01; the order of \
                 the arms matters.",
            )
            .assert_header(
                "allow",
                "GET",
                "TODO 3: the 405 comes from `handlers::method_not_allowed`.",
            );
    }
}

#[tokio::test]
async fn routes_route_answers_404_for_unknown_and_inexact_paths() {
    for (method, path) in [
        (Method::GET, "/no-such-page"),
        (Method::GET, "/contact/"),
        (Method::GET, "/CONTACT"),
        (Method::POST, "/contact/extra"),
    ] {
        let answer = route(method, path).await;

        answer
            .assert_status(
                StatusCode::NOT_FOUND,
                "TODO 3: this is no page of the site, whatever the method, as in lesson 01.",
            )
            .assert_body_contains("404", "TODO 3: a 404 still has a page.");
    }
}

#[test]
fn routes_call_each_handler_through_its_module() {
    let routes = source("routes.rs").expect("src/routes.rs");
    let code = code_lines(&routes).collect::<Vec<_>>().join("\n");
    for handler in [
        "home",
        "contact",
        "about",
        "not_found",
        "method_not_allowed",
    ] {
        assert!(
            code.contains(&format!("handlers::{handler}(")),
            "\nsrc/routes.rs never calls `{handler}` through the module `handlers`.\nTODO 3: \
             each answer comes from a function of `handlers`, called by a path that shows \
             where it lives: import the module, not its functions ({NOTES}, \"4. `use` and \
             paths\").\n"
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

        response
            .assert_status(
                StatusCode::OK,
                "TODO 4: the library's `serve` answers every page as lesson 01 did.",
            )
            .assert_header(
                "content-type",
                "text/html; charset=utf-8",
                "TODO 4: pages are HTML.",
            )
            .assert_body_contains(heading, "TODO 4: each path shows its own page.");
    }
}

#[tokio::test]
async fn serve_answers_404_and_405_like_lesson_01() {
    let app = spawn_app().await;

    app.get("/no-such-page")
        .await
        .assert_status(StatusCode::NOT_FOUND, "TODO 4: unknown paths answer 404.");
    app.send_raw(Method::POST, "/contact", "text/plain", "")
        .await
        .assert_status(
            StatusCode::METHOD_NOT_ALLOWED,
            "TODO 4: POST /contact is not allowed.",
        )
        .assert_header("allow", "GET", "TODO 4: a 405 lists the allowed methods.");
}

// ---------------------------------------------------------------------------
// The shape of the crate: what a compiled library cannot show from outside.
// ---------------------------------------------------------------------------

/// The source of `src/<file>` in the crate under test, or `None`.
fn source(file: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(file);
    std::fs::read_to_string(path).ok()
}

/// The lines of `code` without their `//` comments, trimmed, non-empty.
fn code_lines(code: &str) -> impl Iterator<Item = &str> {
    code.lines()
        .map(|line| line.split("//").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
}

/// How `lib.rs` declares the module `name` from its own file (`mod name;`):
/// `Some("")` when private, `Some("pub")`, `Some("pub(crate)")`…, or `None`
/// when there is no such line.
fn module_declaration(lib: &str, name: &str) -> Option<String> {
    let ending = format!("mod {name};");
    code_lines(lib).find_map(|line| {
        let before = line.strip_suffix(&ending)?;
        (before.is_empty() || before.ends_with(' ')).then(|| before.trim().to_owned())
    })
}

/// The items `code` defines at the start of a line: `fn serve`, `const HOME`…
fn items(code: &str) -> Vec<String> {
    const KINDS: [&str; 8] = [
        "fn", "const", "static", "type", "struct", "enum", "mod", "trait",
    ];
    code_lines(code)
        .filter_map(|line| {
            let mut words = line
                .split(|c: char| c.is_whitespace() || "():;".contains(c))
                .filter(|word| !word.is_empty())
                .skip_while(|word| {
                    word.starts_with("pub") || ["async", "unsafe", "crate", "super"].contains(word)
                });
            let kind = words.next()?;
            let name = words.next()?;
            KINDS
                .contains(&kind)
                .then(|| format!("{kind} {}", name.trim_end_matches(['<', '{', '='])))
        })
        .collect()
}

#[test]
fn pages_is_a_private_module_in_its_own_file() {
    let lib = source("lib.rs").expect("src/lib.rs");

    let Some(visibility) = module_declaration(&lib, "pages") else {
        panic!(
            "\nsrc/lib.rs declares no module `pages` from its own file.\nTODO 1: the page \
             texts get a module of their own, in src/pages.rs, declared in src/lib.rs. \
             ({NOTES}, \"2. `mod`: a file becomes a module when it is declared\")\n"
        )
    };
    assert_ne!(
        visibility, "pub",
        "\nsrc/lib.rs declares `pub mod pages;`: every crate that uses this library could \
         then depend on the page texts, and no page could change without breaking them.\n\
         TODO 1: `pages` is for the handlers of this crate only; its constants are `pub` \
         for them. ({NOTES}, \"3. `pub`: Rust's `export`\")\n"
    );
}

#[test]
fn html_helper_stays_private_to_handlers() {
    let handlers = source("handlers.rs").expect("src/handlers.rs");

    let helper = code_lines(&handlers).find(|line| line.contains("fn html("));
    let Some(helper) = helper else {
        panic!(
            "\nsrc/handlers.rs has no `html` helper.\nTODO 2: the helper that builds every \
             page moves from src/main.rs to src/handlers.rs, where the handlers use it. \
             ({NOTES}, \"3. `pub`: Rust's `export`\")\n"
        )
    };
    assert!(
        !helper.starts_with("pub"),
        "\nsrc/handlers.rs: `{helper}`\nTODO 2: only the handlers in this file use `html`: \
         keep it private, so that nothing else can come to depend on it. \
         ({NOTES}, \"3. `pub`: Rust's `export`\")\n"
    );
}

#[test]
fn routes_builds_no_page_itself() {
    let routes = source("routes.rs").expect("src/routes.rs");

    for line in code_lines(&routes) {
        assert!(
            !line.contains("html(") && !line.contains("pages::"),
            "\nsrc/routes.rs: `{line}`\nTODO 3: `routes` only decides which handler \
             answers; the handlers build the pages. ({NOTES}, \"4. `use` and paths: \
             `crate::`, `super::`, `self`\")\n"
        );
    }
}

#[test]
fn server_is_private_and_serve_has_one_public_path() {
    let lib = source("lib.rs").expect("src/lib.rs");

    let Some(visibility) = module_declaration(&lib, "server") else {
        panic!(
            "\nsrc/lib.rs declares no module `server` from its own file.\nTODO 4: the \
             network side gets a module of its own, in src/server.rs. ({NOTES}, \
             \"2. `mod`: a file becomes a module when it is declared\")\n"
        )
    };
    assert_ne!(
        visibility, "pub",
        "\nsrc/lib.rs declares `pub mod server;`: `serve` then has two public paths, \
         `server::serve` and `serve`, and the file layout becomes part of the library's \
         API.\nTODO 4: keep `server` private and give `serve` its one path at the crate \
         root. ({NOTES}, \"6. `pub use`: a module's public face\")\n"
    );
    let stub = items(&lib).into_iter().find(|item| item == "fn serve");
    assert!(
        stub.is_none(),
        "\nsrc/lib.rs still defines a function `serve` of its own.\nTODO 4: the stub goes \
         away; the crate root passes on the `serve` of src/server.rs. ({NOTES}, \
         \"6. `pub use`: a module's public face\")\n"
    );
}

#[test]
fn main_rs_keeps_only_main() {
    let main = source("main.rs").expect("src/main.rs");

    let extra: Vec<String> = items(&main)
        .into_iter()
        .filter(|item| item != "fn main")
        .collect();
    assert!(
        extra.is_empty(),
        "\nsrc/main.rs still defines: {}.\nTODO 5: the binary keeps only `main`; the \
         server it starts is the library's, so every line exists once. A `mod` line here \
         would compile the library's files a second time, into the binary. ({NOTES}, \
         \"8. A library and a binary in one package\")\n",
        extra.join(", ")
    );
}

#[tokio::test]
async fn server_binary_prints_its_url_and_serves_pages() {
    // PORT=0 asks the system for any free port; the server prints the real one.
    let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
    assert!(server.url().starts_with("http://127.0.0.1:"));

    let response = TestClient::at(server.url()).get("/contact").await;

    response
        .assert_status(
            StatusCode::OK,
            "TODO 5: the running server (src/main.rs) should serve the contact page, \
             before and after the move.",
        )
        .assert_body_contains("<h1>Contact Page</h1>", "TODO 5: the contact page.");
}

#[test]
fn taken_port_gives_a_one_line_error() {
    assert_taken_port_is_refused(
        env!("CARGO_PKG_NAME"),
        &[],
        "TODO 5: keep the given `main` as it is when you empty src/main.rs",
    );
}
