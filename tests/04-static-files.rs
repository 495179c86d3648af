//! Lesson 04 tests. They run against your exercise with
//! `cargo test -p lesson-04-static-files`, and against the reference with
//! `cargo test -p solution-04-static-files`.
//!
//! Most tests serve the app on a free port and talk to it over TCP, as a
//! browser would. A few start the server program itself, from another
//! folder, to check that it still finds its files.
//!
//! The rules of the notes, and the tests that fail when one is broken:
//!
//! | rule (notes section) | tests |
//! |---|---|
//! | the site folder is absolute, never looked up from where the server starts (§2) | `the_site_folder_is_an_absolute_path`, `the_server_finds_its_site_when_started_from_another_folder` |
//! | `PUBLIC_DIR`, read when the program runs, overrides it (§2) | `public_dir_variable_serves_another_folder`, `missing_site_folder_gives_a_one_line_error` |
//! | `app` serves the folder it is given (§3) | `app_serves_the_folder_it_is_given` |
//! | routes answer before files are looked up (§3) | `the_api_route_still_answers_beside_the_files`, `a_route_wins_over_a_file_of_the_same_name` |
//! | each file is sent with its content type, `/` is `index.html` (§4) | `home_page_is_index_html`, `each_asset_is_sent_with_its_content_type` |
//! | the learner's decision: a missing file is the site's 404 page, never a `200` (§3, §4) | `missing_file_gets_the_sites_404_page` |
//! | files are only read: other methods are `405` (§4) | `files_can_only_be_read` |
//! | files carry validators, and an unchanged file is a `304` (§5) | `files_carry_validators_for_caching`, `conditional_get_with_the_etag_is_304_not_modified`, `conditional_get_with_the_date_is_304_not_modified`, `a_stale_etag_gets_the_whole_file` |
//! | the learner's decision: browsers may keep files, and must check before reusing them; never `no-store`, never a lifetime for names that do not change (§5) | `files_may_be_kept_but_are_checked_before_reuse` |
//! | never a file outside the folder, whatever the path says (§6) | `path_traversal_never_leaves_the_public_folder` |
//! | the page's script puts names in with `textContent`, never `innerHTML` (§7) | `the_script_never_puts_text_in_as_html` |
//! | a server that cannot start prints one line and fails | `missing_site_folder_gives_a_one_line_error`, `taken_port_gives_a_one_line_error` |

use std::path::Path;

use axum::Router;
use axum::http::{Method, Request, StatusCode};
use test_support::{
    ServerProcess, TempDir, TestClient, TestResponse, assert_folder_of_the_crate,
    assert_taken_port_is_refused, temp_folder, without_panic,
};

use crate::subject;

// Where each part of the exercise is, for the failure messages.
const FOLDER: &str = "TODO 1, notes §2 \"Find the folder\"";
const FILES: &str = "TODO 2, notes §3 \"ServeDir behind the routes\"";
const NOT_FOUND: &str = "TODO 3, notes §3 \"ServeDir behind the routes\"";
const CACHING: &str = "TODO 4, notes §5 \"Caching\"";

/// The app over the files of `folder`.
///
/// axum checks the router while it is built, and panics on a service nested
/// at the root. That panic is reported here, with the TODO it belongs to.
fn router(folder: &Path) -> Router {
    without_panic(
        || subject::app(folder),
        &format!(
            "`app()` must build the router, and axum refuses a service nested at the root \
             while it is built ({FILES}; see also \"Compiler errors you will meet\")."
        ),
    )
}

/// Serves the lesson's app, with the lesson's `public/` folder, on a free port.
async fn spawn_app() -> TestClient {
    TestClient::serve(router(&subject::public_dir())).await
}

/// The part of the exercise a server that did not start points at: a
/// panic comes from building the router, anything else from finding the
/// folder.
fn blame_start(stderr: &str) -> &'static str {
    if stderr.contains("panicked") {
        FILES
    } else {
        FOLDER
    }
}

/// The bytes of a file in the site folder, to compare with what was served.
fn site_file(relative_path: &str) -> Vec<u8> {
    let path = subject::public_dir().join(relative_path);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// `GET path` with one extra request header.
/// Checks that `response` is exactly the file `public/<relative_path>`. A
/// failure says what came instead in a few words, not as bytes.
#[track_caller]
fn assert_sent_file(response: &TestResponse, relative_path: &str, what_to_fix: &str) {
    let file = site_file(relative_path);
    if response.body != file {
        let got = if response.body.is_empty() {
            "an empty body".to_owned()
        } else {
            format!("{} bytes: {}", response.body.len(), gist(&response.text()))
        };
        panic!(
            "\n{}: expected the file public/{relative_path} ({} bytes), got {got}.\n{what_to_fix}\n",
            response.request,
            file.len()
        );
    }
}

async fn get_with_header(app: &TestClient, path: &str, name: &str, value: &str) -> TestResponse {
    let request = Request::get(path)
        .header(name, value)
        .body(String::new())
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn home_page_is_index_html() {
    let app = spawn_app().await;

    let response = app.get("/").await;

    response.assert_status(
        StatusCode::OK,
        &format!("`GET /` is the site's home page, public/index.html ({FILES})."),
    );
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "GET /: index.html is sent as HTML, got content-type {:?} ({FILES})",
        response.header("content-type")
    );
    assert_sent_file(&response, "index.html", FILES);
}

#[tokio::test]
async fn path_traversal_never_leaves_the_public_folder() {
    // The file an attacker is after: the crate's Cargo.toml, one folder
    // above public/. It exists, so a server that let the path escape would
    // send it.
    let public_dir = subject::public_dir();
    let secret = public_dir.parent().unwrap().join("Cargo.toml");
    let secret_text = std::fs::read_to_string(&secret).expect("the crate's Cargo.toml");
    assert!(secret_text.contains("[package]"));
    let app = spawn_app().await;

    let absolute = format!("/{}", percent_encode_every_byte(&secret.to_string_lossy()));
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/..%2fCargo.toml",
        "/..%2FCargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/css/../../Cargo.toml",
        "/css/%2e%2e/%2e%2e/Cargo.toml",
        "/..%5cCargo.toml",
        absolute.as_str(),
    ] {
        let response = app.get(path).await;

        response.assert_body_lacks(
            "[package]",
            &format!(
                "That is the crate's Cargo.toml, a file outside public/! Never build a file \
                 path from the request yourself: serve files only through a file server \
                 that refuses `..` ({FILES}, notes §6 \"Path traversal\")."
            ),
        );
        // Cargo.toml did not leak (checked above): a 200 here is another
        // page, such as the site's 404 page sent with the wrong status.
        let got = if response.status.is_success() {
            format!(
                "{} with {}. Nothing leaked, but a page that does not exist never \
                 answers 200 ({NOT_FOUND})",
                response.status,
                gist(&response.text())
            )
        } else {
            format!("{} ({FILES}, notes §6)", response.status)
        };
        assert!(
            response.status.is_client_error(),
            "GET {path}: a path that leaves the folder is refused with a 4xx, got {got}."
        );
    }
}

#[tokio::test]
async fn each_asset_is_sent_with_its_content_type() {
    let app = spawn_app().await;

    for (path, file, content_type) in [
        ("/index.html", "index.html", "text/html"),
        ("/css/style.css", "css/style.css", "text/css"),
        ("/js/app.js", "js/app.js", "text/javascript"),
        ("/images/logo.svg", "images/logo.svg", "image/svg+xml"),
    ] {
        let response = app.get(path).await;

        response.assert_status(
            StatusCode::OK,
            &format!("Every file in public/ is served at its own path ({FILES})."),
        );
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "GET {path}: browsers need the right Content-Type to use the file; a file \
             server guesses it from the extension ({FILES}, notes §4)"
        );
        assert_sent_file(&response, file, FILES);
    }
}

#[tokio::test]
async fn missing_file_gets_the_sites_404_page() {
    let app = spawn_app().await;

    let response = app.get("/no-such-page.html").await;

    if response.text().contains("Nothing is served from") {
        panic!("\nGET /no-such-page.html: nothing is served from the folder yet ({FILES}).\n");
    }
    if response.status == StatusCode::OK {
        panic!(
            "\nGET /no-such-page.html answered 200 OK, for a page that does not exist. \
             Never answer a missing page with 200: browsers, search engines and link \
             checkers take it as a real page. The site's 404.html is right, with the \
             status 404 ({NOT_FOUND}: of ServeDir's two ways to answer a missing file, \
             one keeps the status of the page it sends).\nResponse body:\n{}\n",
            response.text()
        );
    }
    response.assert_status(
        StatusCode::NOT_FOUND,
        &format!("A file that does not exist is a 404 ({NOT_FOUND})."),
    );
    assert_sent_file(
        &response,
        "404.html",
        &format!("A missing file gets the site's own page, one a person can read ({NOT_FOUND})."),
    );
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "GET /no-such-page.html: the 404 page is HTML, got content-type {:?} ({NOT_FOUND})",
        response.header("content-type")
    );
}

#[tokio::test]
async fn files_carry_validators_for_caching() {
    let app = spawn_app().await;

    let response = app.get("/css/style.css").await;

    response.assert_status(
        StatusCode::OK,
        &format!("The stylesheet is served ({FILES})."),
    );
    assert!(
        response.header("etag").is_some(),
        "GET /css/style.css: a file comes with an ETag, a fingerprint of its version \
         ({FILES}, notes §5)"
    );
    assert!(
        response.header("last-modified").is_some(),
        "GET /css/style.css: a file comes with Last-Modified ({FILES}, notes §5)"
    );
}

/// The directives of a `Cache-Control` header, lower case:
/// `public, max-age=0` is `["public", "max-age=0"]`.
fn directives(cache_control: &str) -> Vec<String> {
    cache_control
        .split(',')
        .map(|directive| directive.trim().to_ascii_lowercase())
        .filter(|directive| !directive.is_empty())
        .collect()
}

#[tokio::test]
async fn files_may_be_kept_but_are_checked_before_reuse() {
    let app = spawn_app().await;

    for path in ["/css/style.css", "/", "/js/app.js"] {
        let response = app.get(path).await;
        response.assert_status(StatusCode::OK, &format!("The file is served ({FILES})."));
        let Some(cache_control) = response.header("cache-control") else {
            panic!(
                "\nGET {path}: no `Cache-Control` header. Without one, each browser guesses \
                 how long its copy is good, and may show an old stylesheet after you change \
                 it. Decide what browsers may do with their copy ({CACHING}).\n"
            );
        };
        let directives = directives(cache_control);
        assert!(
            !directives.iter().any(|d| d == "no-store"),
            "\nGET {path}: `Cache-Control: {cache_control}` forbids keeping a copy, so every \
             visit downloads every file again and the ETag is never used for a 304. \
             Browsers may keep the files; they must only check before reusing them \
             ({CACHING}).\n"
        );
        let must_check = directives
            .iter()
            .any(|d| d == "no-cache" || d == "max-age=0");
        let lifetime = directives
            .iter()
            .find(|d| d.starts_with("max-age=") && d.as_str() != "max-age=0");
        assert!(
            must_check && lifetime.is_none(),
            "\nGET {path}: `Cache-Control: {cache_control}` lets a browser reuse its copy \
             without asking. The file names never change when the files do, so after an \
             edit browsers would show the old file. A browser must check before each reuse \
             (a `304` makes that cheap) ({CACHING}).\n"
        );
    }
}

#[tokio::test]
async fn conditional_get_with_the_etag_is_304_not_modified() {
    let app = spawn_app().await;
    let first = app.get("/css/style.css").await;
    let etag = first.header("etag").unwrap_or_else(|| {
        panic!("GET /css/style.css: the stylesheet is served with an ETag ({FILES})")
    });

    let again = get_with_header(&app, "/css/style.css", "if-none-match", etag).await;

    again.assert_status(
        StatusCode::NOT_MODIFIED,
        &format!(
            "The browser already has this version (same ETag): the answer is 304, with \
             no body ({FILES}, notes §5)."
        ),
    );
    assert!(again.body.is_empty(), "a 304 has no body ({FILES})");
    assert_eq!(
        again.header("etag"),
        Some(etag),
        "a 304 repeats the ETag ({FILES})"
    );
}

#[tokio::test]
async fn conditional_get_with_the_date_is_304_not_modified() {
    let app = spawn_app().await;
    let first = app.get("/js/app.js").await;
    let last_modified = first.header("last-modified").unwrap_or_else(|| {
        panic!("GET /js/app.js: the script is served with Last-Modified ({FILES})")
    });

    let again = get_with_header(&app, "/js/app.js", "if-modified-since", last_modified).await;

    again.assert_status(
        StatusCode::NOT_MODIFIED,
        &format!(
            "The file has not changed since that date: the answer is 304, with no body \
             ({FILES}, notes §5)."
        ),
    );
    assert!(again.body.is_empty(), "a 304 has no body ({FILES})");
}

#[tokio::test]
async fn a_stale_etag_gets_the_whole_file() {
    let app = spawn_app().await;

    let response = get_with_header(
        &app,
        "/css/style.css",
        "if-none-match",
        "\"an-old-version\"",
    )
    .await;

    response.assert_status(
        StatusCode::OK,
        &format!("The browser's copy is another version: send the file again ({FILES})."),
    );
    assert_sent_file(
        &response,
        "css/style.css",
        &format!("A stale ETag gets the whole file ({FILES})."),
    );
}

#[tokio::test]
async fn files_can_only_be_read() {
    let app = spawn_app().await;

    let response = app
        .send_raw(Method::POST, "/index.html", "text/plain", "hello")
        .await;

    response.assert_status(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "Files are read with GET (or HEAD); a file server answers other methods \
             with 405 ({FILES}, notes §4)."
        ),
    );
    response.assert_header(
        "allow",
        "GET,HEAD",
        &format!("A 405 lists the methods that are allowed ({FILES})."),
    );
}

#[tokio::test]
async fn the_api_route_still_answers_beside_the_files() {
    let app = spawn_app().await;

    let response = app.get("/messages").await;

    response.assert_status(
        StatusCode::OK,
        &format!(
            "`GET /messages` is a route: routes answer before the files are looked up \
             ({FILES})."
        ),
    );
    response.assert_header(
        "content-type",
        "application/json",
        &format!("The API speaks JSON ({FILES})."),
    );
    let messages: Vec<serde_json::Value> = response.json();
    assert!(!messages.is_empty(), "the API lists a few messages");
    for message in &messages {
        assert!(
            message["id"].is_u64() && message["name"].is_string() && message["email"].is_string(),
            "each message is {{\"id\": number, \"name\": text, \"email\": text}}, got {message}"
        );
    }
}

#[test]
fn the_script_never_puts_text_in_as_html() {
    let script = String::from_utf8(site_file("js/app.js")).expect("app.js is text");
    let code: Vec<&str> = script
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect();

    assert!(
        code.iter().any(|line| line.contains("textContent"))
            && !code.iter().any(|line| line.contains("innerHTML")),
        "\npublic/js/app.js should put each name in with `textContent`, never `innerHTML`: \
         a name such as <script>…</script> must be shown as text, never run (notes §7 \
         \"An API route beside the files\").\n"
    );
}

/// A site folder of its own: an `index.html`, and a file named like the
/// API's route, `messages`.
fn another_site() -> TempDir {
    let site = temp_folder("another-site");
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><h1>Another site</h1>",
    )
    .unwrap();
    std::fs::write(site.path().join("messages"), "a file, not the API").unwrap();
    site
}

#[tokio::test]
async fn app_serves_the_folder_it_is_given() {
    let site = another_site();
    let app = TestClient::serve(router(site.path())).await;

    let response = app.get("/").await;

    response.assert_status(
        StatusCode::OK,
        &format!(
            "`app({})` serves that folder's index.html ({FILES}).",
            site.path().display()
        ),
    );
    assert!(
        response.text().contains("Another site"),
        "\nGET /: `app(folder)` should serve the files of the folder it is given, here {}, \
         not another one: the tests and `PUBLIC_DIR` rely on it ({FILES}). Got: {}\n",
        site.path().display(),
        gist(&response.text())
    );
}

#[tokio::test]
async fn a_route_wins_over_a_file_of_the_same_name() {
    let site = another_site();
    let app = TestClient::serve(router(site.path())).await;

    let response = app.get("/messages").await;

    response.assert_status(
        StatusCode::OK,
        &format!("`GET /messages` is the API's route ({FILES})."),
    );
    response.assert_body_lacks(
        "a file, not the API",
        &format!(
            "That is the file `messages` of the site folder, not the API: routes answer \
             first, and only what no route takes is looked up as a file ({FILES})."
        ),
    );
}

#[test]
fn the_site_folder_is_an_absolute_path() {
    assert_folder_of_the_crate(
        subject::public_dir,
        subject::PUBLIC_DIR_VAR,
        &["index.html"],
        &format!(
            "`public_dir()` is this crate's public/ folder, wherever the server starts: a \
             relative path is the `path.resolve()` trap ({FOLDER})."
        ),
    );
}

#[tokio::test]
async fn the_server_finds_its_site_when_started_from_another_folder() {
    // The binary builds the same router: report a router that cannot be
    // built here, with its TODO, rather than as a server that went away.
    drop(router(&subject::public_dir()));
    let elsewhere = temp_folder("elsewhere");
    let server = start_in_folder(elsewhere.path(), &[]).unwrap_or_else(|stderr| {
        panic!(
            "\nStarted from {}, the server did not start. Does it look for its site from \
             the folder it was started in? ({}) Its error output:\n{stderr}\n",
            elsewhere.path().display(),
            blame_start(&stderr)
        )
    });
    let site = TestClient::at(server.url());

    let response = site.get("/css/style.css").await;

    response.assert_status(
        StatusCode::OK,
        &format!("Started from another folder, the server serves its stylesheet ({FILES})."),
    );
    assert_sent_file(
        &response,
        "css/style.css",
        &format!("Started elsewhere, the server still sends its own stylesheet ({FOLDER})."),
    );
}

#[cfg(unix)]
#[test]
fn sigterm_answers_the_request_in_flight_then_exits_cleanly() {
    ServerProcess::start(env!("CARGO_PKG_NAME"), &[]).assert_graceful_shutdown("/");
}

#[tokio::test]
async fn public_dir_variable_serves_another_folder() {
    drop(router(&subject::public_dir()));
    let other_site = temp_folder("other-site");
    std::fs::write(
        other_site.path().join("index.html"),
        "<!doctype html><h1>Another site</h1>",
    )
    .unwrap();
    let other_site_path = other_site.path().to_string_lossy().into_owned();
    let server = start_in_folder(
        other_site.path(),
        &[(subject::PUBLIC_DIR_VAR, other_site_path.as_str())],
    )
    .unwrap_or_else(|stderr| {
        panic!(
            "\nWith {}={other_site_path}, the server did not start ({}). Its error \
             output:\n{stderr}\n",
            subject::PUBLIC_DIR_VAR,
            blame_start(&stderr)
        )
    });

    let response = TestClient::at(server.url()).get("/").await;

    response.assert_status(
        StatusCode::OK,
        &format!("The home page is served ({FILES})."),
    );
    assert!(
        response.text().contains("Another site"),
        "\nWith {}={other_site_path}, the files come from that folder: the variable is read \
         when the program runs ({FOLDER}). Got: {}\n",
        subject::PUBLIC_DIR_VAR,
        gist(&response.text())
    );
}

#[test]
fn missing_site_folder_gives_a_one_line_error() {
    let parent = temp_folder("missing");
    let missing = parent.path().join("no-such-folder");
    let missing_text = missing.to_string_lossy().into_owned();

    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .env(subject::PUBLIC_DIR_VAR, &missing)
        .assert_refuses_to_start(
            &[&missing_text],
            &format!(
                "With {} set to a folder that does not exist, the server refuses to start \
                 and names that folder in one line: `public_dir()` returns the variable's \
                 value, and src/main.rs reports it ({FOLDER}).",
                subject::PUBLIC_DIR_VAR
            ),
        );
}

#[test]
fn taken_port_gives_a_one_line_error() {
    assert_taken_port_is_refused(env!("CARGO_PKG_NAME"), &[], "given code");
}

/// What a page is, in a few words for a failure message: its `<title>`,
/// or its first 200 characters.
fn gist(page: &str) -> String {
    let title = page
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title);
    match title {
        Some(title) => format!("the page titled {title:?}"),
        None => format!("{:?}", page.chars().take(200).collect::<String>()),
    }
}

/// `%XX` for every byte but letters and digits: `/a b` becomes `%2Fa%20b`.
fn percent_encode_every_byte(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// The lesson's server program, started on a free port with `folder` as its
/// working directory (from the crate's own folder, a relative `public` would
/// happen to work). When it does not start, what it wrote to stderr.
fn start_in_folder(folder: &Path, envs: &[(&str, &str)]) -> Result<ServerProcess, String> {
    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .current_dir(folder)
        .env("PORT", "0")
        .env_remove(subject::PUBLIC_DIR_VAR)
        .envs(envs)
        .try_start()
        .map_err(|exit| exit.stderr)
}
