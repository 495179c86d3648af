//! Lesson 04 tests. They run against your exercise with
//! `cargo test -p lesson-04-static-files`, and against the reference with
//! `cargo test -p solution-04-static-files`.
//!
//! Most tests serve the app on a free port and talk to it over TCP, as a
//! browser would. A few start the server program itself, from another
//! folder, to check that it still finds its files.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use axum::http::{Method, Request, StatusCode};
use test_support::{ServerProcess, TestApp, TestResponse};

use crate::subject;

/// Serves the lesson's app, with the lesson's `public/` folder, on a free port.
async fn spawn_app() -> TestApp {
    TestApp::serve(subject::app(&subject::public_dir())).await
}

/// The bytes of a file in the site folder, to compare with what was served.
fn site_file(relative_path: &str) -> Vec<u8> {
    let path = subject::public_dir().join(relative_path);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// `GET path` with one extra request header.
async fn get_with_header(app: &TestApp, path: &str, name: &str, value: &str) -> TestResponse {
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
        "`GET /` should send public/index.html: mount `ServeDir::new(public_dir)` \
         with `.fallback_service(...)` (TODO 2).",
    );
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "index.html is sent as HTML, got content-type {:?}",
        response.header("content-type")
    );
    assert_eq!(
        response.body,
        site_file("index.html"),
        "`/` should be exactly the file public/index.html"
    );
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
            "Every file in public/ is served at its own path (TODO 2).",
        );
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "GET {path}: browsers need the right Content-Type to use the file; \
             ServeDir guesses it from the extension"
        );
        assert_eq!(
            response.body,
            site_file(file),
            "GET {path} should send public/{file}"
        );
    }
}

#[tokio::test]
async fn missing_file_gets_the_sites_404_page() {
    let app = spawn_app().await;

    let response = app.get("/no-such-page.html").await;

    response.assert_status(
        StatusCode::NOT_FOUND,
        "A file that does not exist is a 404.",
    );
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"),
        "the 404 answer is a page, got content-type {:?}",
        response.header("content-type")
    );
    assert_eq!(
        response.body,
        site_file("404.html"),
        "a missing file should get the site's own page, public/404.html: \
         add `.not_found_service(ServeFile::new(public_dir.join(\"404.html\")))` (TODO 3)"
    );
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

        assert!(
            !response.text().contains("[package]"),
            "GET {path} sent the crate's Cargo.toml, a file outside public/! \
             ServeDir refuses `..` in a path: serve files only through it."
        );
        assert!(
            response.status.is_client_error(),
            "GET {path}: expected a 4xx refusal, got {}",
            response.status
        );
    }
}

#[tokio::test]
async fn files_carry_validators_for_caching() {
    let app = spawn_app().await;

    let response = app.get("/css/style.css").await;

    response.assert_status(StatusCode::OK, "The stylesheet is served (TODO 2).");
    assert!(
        response.header("etag").is_some(),
        "ServeDir sends an ETag (a fingerprint of the file) with every file"
    );
    assert!(
        response.header("last-modified").is_some(),
        "ServeDir sends Last-Modified with every file"
    );
    response.assert_header(
        "cache-control",
        "no-cache",
        "Tell browsers to check before reusing a file: wrap the files service in \
         `SetResponseHeader::overriding(files, CACHE_CONTROL, HeaderValue::from_static(\"no-cache\"))` \
         (TODO 4).",
    );
}

#[tokio::test]
async fn conditional_get_with_the_etag_is_304_not_modified() {
    let app = spawn_app().await;
    let first = app.get("/css/style.css").await;
    let etag = first
        .header("etag")
        .expect("the stylesheet is served with an ETag (TODO 2)");

    let again = get_with_header(&app, "/css/style.css", "if-none-match", etag).await;

    again.assert_status(
        StatusCode::NOT_MODIFIED,
        "The browser already has this version (same ETag): the answer is 304, with no body.",
    );
    assert!(again.body.is_empty(), "a 304 has no body");
    assert_eq!(again.header("etag"), Some(etag), "a 304 repeats the ETag");
}

#[tokio::test]
async fn conditional_get_with_the_date_is_304_not_modified() {
    let app = spawn_app().await;
    let first = app.get("/js/app.js").await;
    let last_modified = first
        .header("last-modified")
        .expect("the script is served with Last-Modified (TODO 2)");

    let again = get_with_header(&app, "/js/app.js", "if-modified-since", last_modified).await;

    again.assert_status(
        StatusCode::NOT_MODIFIED,
        "The file has not changed since that date: the answer is 304, with no body.",
    );
    assert!(again.body.is_empty(), "a 304 has no body");
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
        "The browser's copy is another version: send the file again (TODO 2).",
    );
    assert_eq!(response.body, site_file("css/style.css"));
}

#[tokio::test]
async fn files_can_only_be_read() {
    let app = spawn_app().await;

    let response = app
        .send_raw(Method::POST, "/index.html", "text/plain", "hello")
        .await;

    response.assert_status(
        StatusCode::METHOD_NOT_ALLOWED,
        "Files are read with GET (or HEAD); ServeDir answers other methods with 405 (TODO 2).",
    );
    response.assert_header(
        "allow",
        "GET,HEAD",
        "A 405 lists the methods that are allowed.",
    );
}

#[tokio::test]
async fn the_api_route_still_answers_beside_the_files() {
    let app = spawn_app().await;

    let response = app.get("/messages").await;

    response.assert_status(
        StatusCode::OK,
        "`GET /messages` is a route: routes answer before the files are looked up.",
    );
    response.assert_header("content-type", "application/json", "The API speaks JSON.");
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
fn the_site_folder_is_an_absolute_path() {
    if std::env::var_os(subject::PUBLIC_DIR_VAR).is_some() {
        return; // Someone chose the folder on purpose; nothing to check.
    }

    let folder = subject::public_dir();

    assert!(
        folder.is_absolute(),
        "public_dir() is {folder:?}, a relative path: it is looked up from the folder the \
         server is started in. Build it from env!(\"CARGO_MANIFEST_DIR\") (TODO 1)."
    );
    assert!(
        folder.join("index.html").is_file(),
        "{folder:?} should hold index.html"
    );
}

#[tokio::test]
async fn the_server_finds_its_site_when_started_from_another_folder() {
    let elsewhere = TempFolder::new("elsewhere");
    let server = ServerInFolder::start(elsewhere.path(), &[]).unwrap_or_else(|stderr| {
        panic!(
            "Started from {}, the server did not start. Is public_dir() still a relative \
             path? Build it from env!(\"CARGO_MANIFEST_DIR\") (TODO 1). Its error output:\n{stderr}",
            elsewhere.path().display()
        )
    });
    let site = TestApp::at(&server.url);

    let response = site.get("/css/style.css").await;

    response.assert_status(
        StatusCode::OK,
        "Started from another folder, the server should still serve its stylesheet (TODOs 1 and 2).",
    );
    assert_eq!(response.body, site_file("css/style.css"));
}

#[tokio::test]
async fn public_dir_variable_serves_another_folder() {
    let other_site = TempFolder::new("other-site");
    std::fs::write(
        other_site.path().join("index.html"),
        "<!doctype html><h1>Another site</h1>",
    )
    .unwrap();
    let other_site_path = other_site.path().to_string_lossy().into_owned();
    let server = ServerInFolder::start(
        other_site.path(),
        &[(subject::PUBLIC_DIR_VAR, other_site_path.as_str())],
    )
    .unwrap_or_else(|stderr| panic!("the server did not start:\n{stderr}"));

    let response = TestApp::at(&server.url).get("/").await;

    response.assert_status(
        StatusCode::OK,
        "The other site's index.html should be served.",
    );
    assert!(
        response.text().contains("Another site"),
        "with PUBLIC_DIR set, the files come from that folder: read it with \
         `std::env::var_os(PUBLIC_DIR_VAR)` in public_dir() (TODO 1). Got:\n{}",
        response.text()
    );
}

#[test]
fn missing_site_folder_gives_a_one_line_error() {
    let parent = TempFolder::new("missing");
    let missing = parent.path().join("no-such-folder");
    let missing_text = missing.to_string_lossy().into_owned();

    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[
            (subject::PUBLIC_DIR_VAR, missing_text.as_str()),
            ("PORT", "0"),
        ],
    );

    exit.assert_one_line_error(
        &[&missing_text],
        "With PUBLIC_DIR set to a folder that does not exist, the server should name that \
         folder: read the variable with `std::env::var_os(PUBLIC_DIR_VAR)` in public_dir() \
         (TODO 1), and src/main.rs reports the folder it gets.",
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

/// A fresh folder under the system's temporary folder, deleted on drop.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new(label: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("course-04-{label}-{}-{count}", std::process::id()));
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The lesson's server program, started with `folder` as its working
/// directory (`test_support::ServerProcess` always starts it in the crate's
/// own folder, where a relative `public` happens to work). Killed on drop.
struct ServerInFolder {
    child: Child,
    url: String,
}

impl ServerInFolder {
    /// Starts the server on a free port and waits for the URL it prints.
    /// When it does not start, returns what it wrote to stderr.
    fn start(folder: &Path, envs: &[(&str, &str)]) -> Result<Self, String> {
        let mut command = Command::new(test_support::binary(env!("CARGO_PKG_NAME")));
        command
            .current_dir(folder)
            .env("PORT", "0")
            .env_remove(subject::PUBLIC_DIR_VAR)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in envs {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server program");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            // Read every line, so the server never writes into a closed pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(start) = line.find("http://") {
                    let _ = sender.send(line[start..].trim().to_owned());
                }
            }
        });
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(url) => Ok(Self { child, url }),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                Err(stderr)
            }
        }
    }
}

impl Drop for ServerInFolder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
