//! Lesson 08 tests. They run against your exercise with
//! `cargo test -p lesson-08-middleware`, and against the reference with
//! `cargo test -p solution-08-middleware`.
//!
//! Most tests send requests straight into the app, with a cookie jar that
//! behaves like a browser's. Each test keeps a handle on the guestbook it
//! gives the app, to check what a request changed (or that it changed
//! nothing). The last tests run the server binary, to read its log.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::routing::post;
use axum::{Router, middleware};
use serde_json::{Value, json};
use test_support::{ServerProcess, TestApp, TestResponse};

use crate::subject::auth::{self, CurrentUser};
use crate::subject::pages::Pages;
use crate::subject::{AppState, Entry, Guestbook, app};

/// The app under test, and the guestbook it writes to.
struct Site {
    browser: TestApp,
    guestbook: Guestbook,
}

impl Site {
    /// Puts a `token` cookie in the browser's jar, as `POST /login` would.
    fn log_in_as(&self, name: &str) {
        self.browser.set_cookie("token", name);
    }
}

fn spawn_app() -> Site {
    let guestbook = Guestbook::new();
    Site {
        browser: TestApp::new(app(guestbook.clone())),
        guestbook,
    }
}

fn entry(name: &str, message: &str) -> Entry {
    Entry {
        name: name.to_owned(),
        message: message.to_owned(),
    }
}

/// Checks a response is the login page the middleware shows.
#[track_caller]
fn assert_login_page(response: &TestResponse, what_to_fix: &str) {
    response.assert_status(StatusCode::OK, what_to_fix);
    let page = response.text();
    assert!(
        page.contains("<h1>Log in</h1>") && page.contains("action=\"/login\""),
        "{}: expected the login page.\n{what_to_fix}\nGot:\n{page}",
        response.request
    );
}

/// Checks a response is the course's JSON error with this status and code.
#[track_caller]
fn assert_json_error(response: &TestResponse, status: StatusCode, code: &str, what_to_fix: &str) {
    response.assert_status(status, what_to_fix);
    let body: Value = response.json();
    assert_eq!(
        body["error"]["code"], code,
        "{}: the body should be {{\"error\": {{\"code\": {code:?}, ...}}}}, got {body}",
        response.request
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}: the error needs a message for people, got {body}",
        response.request
    );
}

// ---- The pages, guarded by `require_user_for_pages` ----

#[tokio::test]
async fn without_a_token_the_home_page_is_the_login_page() {
    let site = spawn_app();

    let response = site.browser.get("/").await;

    assert_login_page(
        &response,
        "with no `token` cookie, `require_user_for_pages` answers with the login page itself, \
         and never calls `next.run`",
    );
    assert!(
        !response.text().contains("Hello,"),
        "the logout page's handler must not run for a visitor without a token"
    );
}

#[tokio::test]
async fn with_a_token_the_home_page_greets_the_user() {
    let site = spawn_app();
    site.log_in_as("Ada");

    let response = site.browser.get("/").await;

    response.assert_status(
        StatusCode::OK,
        "with a `token` cookie the middleware lets the request through to the handler. A 500 \
         that says \"Missing request extension\" means the middleware did not insert the \
         CurrentUser: `request.extensions_mut().insert(user)`",
    );
    let page = response.text();
    assert!(
        page.contains("Hello, Ada!") && page.contains("action=\"/logout\""),
        "the handler greets the user the middleware found, and offers to log out. Got:\n{page}"
    );
}

#[tokio::test]
async fn an_empty_or_blank_token_counts_as_none() {
    let site = spawn_app();

    // `%20` is a space: the jar decodes it, the middleware trims it.
    for token in ["", "%20%20"] {
        site.log_in_as(token);
        let response = site.browser.get("/").await;
        assert_login_page(&response, "an empty `token` cookie is no login");
    }
}

#[tokio::test]
async fn logging_in_sets_the_token_cookie() {
    let site = spawn_app();

    let response = site
        .browser
        .post_form("/login", &[("name", "  Ada ")])
        .await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "after logging in, the browser goes home",
    );
    response.assert_header("location", "/", "the redirect goes to the home page");
    let cookie = response
        .set_cookie("token")
        .expect("POST /login should set the `token` cookie");
    assert_eq!(
        cookie.value(),
        "Ada",
        "the token is the trimmed name (lesson 09 signs it)"
    );
    assert_eq!(cookie.http_only(), Some(true), "a token cookie is HttpOnly");
    assert_eq!(
        cookie.same_site(),
        Some(axum_extra::extract::cookie::SameSite::Lax),
        "a token cookie is SameSite=Lax"
    );
    assert_eq!(cookie.secure(), Some(true), "a token cookie is Secure");
    assert_eq!(
        cookie.path(),
        Some("/"),
        "the token is sent with every page: Path=/"
    );
    assert_eq!(
        cookie.max_age().map(|age| age.whole_seconds()),
        Some(3600),
        "a login lasts one hour"
    );
    let page = site.browser.get("/").await.text();
    assert!(
        page.contains("Hello, Ada!"),
        "logged in, `/` greets Ada. Got:\n{page}"
    );
}

#[tokio::test]
async fn a_bad_login_form_gets_the_login_page_again() {
    let site = spawn_app();
    let too_long = "a".repeat(101);

    for name in ["   ", too_long.as_str()] {
        let response = site.browser.post_form("/login", &[("name", name)]).await;
        response.assert_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a blank name, or one over 100 characters, cannot log in",
        );
        assert!(
            response.text().contains("action=\"/login\""),
            "the login form comes back"
        );
        assert!(
            response.set_cookie("token").is_none(),
            "and no token is set"
        );
    }

    let without_field = site
        .browser
        .send_raw(
            Method::POST,
            "/login",
            "application/x-www-form-urlencoded",
            "nick=Ada",
        )
        .await;
    without_field.assert_status(StatusCode::UNPROCESSABLE_ENTITY, "a form without `name`");
    let as_json = site
        .browser
        .send_raw(
            Method::POST,
            "/login",
            "application/json",
            r#"{"name":"Ada"}"#,
        )
        .await;
    as_json.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "the login takes a form");
    assert!(as_json.set_cookie("token").is_none(), "no token is set");
    assert_login_page(&site.browser.get("/").await, "still logged out");
}

#[tokio::test]
async fn logging_out_expires_the_token_on_the_same_path() {
    let site = spawn_app();
    site.browser.post_form("/login", &[("name", "Ada")]).await;

    let response = site
        .browser
        .send_raw(
            Method::POST,
            "/logout",
            "application/x-www-form-urlencoded",
            "",
        )
        .await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "after logging out, the browser goes home",
    );
    let cookie = response
        .set_cookie("token")
        .expect("POST /logout should send an expired `token` cookie");
    assert_eq!(cookie.value(), "");
    assert_eq!(cookie.max_age().map(|age| age.whole_seconds()), Some(0));
    assert_eq!(
        cookie.path(),
        Some("/"),
        "the removal needs the login cookie's path, `/`"
    );
    assert_login_page(
        &site.browser.get("/").await,
        "after logging out, `/` asks to log in",
    );
}

// ---- Public routes: no middleware of their own ----

#[tokio::test]
async fn public_routes_work_with_or_without_a_token() {
    let site = spawn_app();

    for logged_in in [false, true] {
        if logged_in {
            site.log_in_as("Ada");
        }
        let about = site.browser.get("/about").await;
        about.assert_status(StatusCode::OK, "/about is public");
        assert!(about.text().contains("<h1>About</h1>"));

        let health = site.browser.get("/api/health").await;
        health.assert_status(StatusCode::OK, "/api/health is public");
        assert_eq!(health.json::<Value>(), json!({ "status": "ok" }));
    }
}

// ---- The JSON API, guarded by `require_user` ----

#[tokio::test]
async fn without_a_token_the_api_answers_401_in_json() {
    let site = spawn_app();

    let requests = [
        site.browser.get("/api/me").await,
        site.browser.get("/api/guestbook").await,
        site.browser
            .post_json("/api/guestbook", &json!({ "message": "hi" }))
            .await,
    ];

    for response in &requests {
        assert_json_error(
            response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "the API's middleware, `require_user`, answers 401 with a JSON error when there \
             is no `token` cookie",
        );
    }
}

#[tokio::test]
async fn a_rejected_request_never_reaches_the_handler() {
    let site = spawn_app();

    let response = site
        .browser
        .post_json("/api/guestbook", &json!({ "message": "let me in" }))
        .await;

    response.assert_status(StatusCode::UNAUTHORIZED, "no token, no signing");
    assert_eq!(
        site.guestbook.entries(),
        [],
        "after rejecting, the middleware must return its answer WITHOUT calling `next.run`: \
         the handler ran and signed the guestbook"
    );
}

/// A router of our own with the lesson's middleware in front of a probe
/// handler that counts its runs: the middleware is reusable on any routes.
fn probe_router(
    guard: impl FnOnce(Router) -> Router,
) -> (TestApp, Arc<AtomicUsize>, Arc<Mutex<Option<String>>>) {
    let runs = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(None));
    let (counter, user_seen) = (runs.clone(), seen.clone());
    let probe = move |request: Request| async move {
        counter.fetch_add(1, Ordering::SeqCst);
        let user = request.extensions().get::<CurrentUser>().cloned();
        *user_seen.lock().unwrap() = user.map(|user| user.name);
        "the probe ran"
    };
    let router = guard(Router::new().route("/probe", post(probe)));
    (TestApp::new(router), runs, seen)
}

#[tokio::test]
async fn require_user_never_runs_a_handler_it_rejects() {
    let (browser, runs, seen) =
        probe_router(|routes| routes.route_layer(middleware::from_fn(auth::require_user)));

    let rejected = browser.post_json("/probe", &json!({})).await;
    assert_json_error(
        &rejected,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "no token: 401",
    );
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "`require_user` called `next.run` for a request it rejected: return the 401 \
         without running the rest of the chain"
    );

    browser.set_cookie("token", "Ada");
    let accepted = browser.post_json("/probe", &json!({})).await;
    accepted.assert_status(StatusCode::OK, "with a token, the handler runs");
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the handler runs once");
    assert_eq!(
        seen.lock().unwrap().as_deref(),
        Some("Ada"),
        "the handler finds the CurrentUser in the request's extensions"
    );
}

#[tokio::test]
async fn require_user_for_pages_never_runs_a_handler_it_rejects() {
    let state = AppState {
        pages: Arc::new(Pages::new()),
        guestbook: Guestbook::new(),
    };
    let (browser, runs, seen) = probe_router(|routes| {
        routes.route_layer(middleware::from_fn_with_state(
            state,
            auth::require_user_for_pages,
        ))
    });

    let rejected = browser.post_json("/probe", &json!({})).await;
    assert_login_page(&rejected, "no token: the login page");
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "`require_user_for_pages` called `next.run` for a request it rejected: answer with \
         the login page only"
    );

    browser.set_cookie("token", "Ada");
    browser
        .post_json("/probe", &json!({}))
        .await
        .assert_status(StatusCode::OK, "with a token, the handler runs");
    assert_eq!(runs.load(Ordering::SeqCst), 1, "the handler runs once");
    assert_eq!(seen.lock().unwrap().as_deref(), Some("Ada"));
}

#[tokio::test]
async fn the_api_handlers_see_the_user_the_middleware_found() {
    let site = spawn_app();
    site.log_in_as("Ada");

    let response = site.browser.get("/api/me").await;

    response.assert_status(
        StatusCode::OK,
        "with a token, `require_user` puts a CurrentUser in the request's extensions and \
         calls `next.run(request)`",
    );
    assert_eq!(response.json::<Value>(), json!({ "name": "Ada" }));
}

#[tokio::test]
async fn signing_the_guestbook_records_the_logged_in_user() {
    let site = spawn_app();
    site.log_in_as("Ada");

    let response = site
        .browser
        .post_json("/api/guestbook", &json!({ "message": "  Hello!  " }))
        .await;

    response.assert_status(StatusCode::CREATED, "signing answers 201 Created");
    assert_eq!(
        response.json::<Value>(),
        json!({ "name": "Ada", "message": "Hello!" })
    );
    assert_eq!(site.guestbook.entries(), [entry("Ada", "Hello!")]);
    let list = site.browser.get("/api/guestbook").await;
    list.assert_status(StatusCode::OK, "a logged-in user reads the guestbook");
    assert_eq!(
        list.json::<Value>(),
        json!([{ "name": "Ada", "message": "Hello!" }])
    );
}

/// A body `POST /api/guestbook` must refuse, and how.
struct BadBody {
    what: &'static str,
    content_type: &'static str,
    body: String,
    status: StatusCode,
    code: &'static str,
    field: Option<&'static str>,
}

fn bad_json_body(
    what: &'static str,
    body: &str,
    status: StatusCode,
    code: &'static str,
) -> BadBody {
    BadBody {
        what,
        content_type: "application/json",
        body: body.to_owned(),
        status,
        code,
        field: None,
    }
}

#[tokio::test]
async fn bad_guestbook_bodies_get_clear_errors_and_change_nothing() {
    let site = spawn_app();
    site.log_in_as("Ada");
    let too_long = json!({ "message": "a".repeat(201) }).to_string();
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;

    let cases = [
        bad_json_body(
            "malformed JSON",
            r#"{"message": "#,
            StatusCode::BAD_REQUEST,
            "bad_json",
        ),
        bad_json_body(
            "a number for the message",
            r#"{"message": 5}"#,
            invalid,
            "validation",
        ),
        bad_json_body("no message", "{}", invalid, "validation"),
        BadBody {
            field: Some("message"),
            ..bad_json_body(
                "a blank message",
                r#"{"message": "   "}"#,
                invalid,
                "validation",
            )
        },
        BadBody {
            field: Some("message"),
            ..bad_json_body(
                "a message over 200 characters",
                &too_long,
                invalid,
                "validation",
            )
        },
        BadBody {
            content_type: "text/plain",
            ..bad_json_body(
                "plain text",
                "Hello",
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            )
        },
    ];
    for case in cases {
        let response = site
            .browser
            .send_raw(Method::POST, "/api/guestbook", case.content_type, case.body)
            .await;

        assert_json_error(
            &response,
            case.status,
            case.code,
            &format!("{} is refused", case.what),
        );
        if let Some(field) = case.field {
            assert_eq!(
                response.json::<Value>()["error"]["field"],
                field,
                "{}: the error names the field at fault",
                case.what
            );
        }
    }
    assert_eq!(site.guestbook.entries(), [], "a refused body signs nothing");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_even_without_a_token() {
    let site = spawn_app();

    let response = site.browser.get("/api/no-such-thing").await;

    assert_json_error(
        &response,
        StatusCode::NOT_FOUND,
        "not_found",
        "an unknown API path is a 404 for everyone. A 401 here means the middleware also \
         wraps the fallback: put it on with `route_layer`, not `layer`",
    );
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    let site = spawn_app();

    let response = site.browser.get("/no-such-page").await;

    response.assert_status(StatusCode::NOT_FOUND, "unknown paths answer 404");
    assert!(response.text().contains("404"), "with a page that says so");
}

// ---- Around everything: timing and logging ----

#[tokio::test]
async fn every_response_carries_server_timing_even_errors() {
    let site = spawn_app();

    let responses = [
        site.browser.get("/").await,
        site.browser.get("/about").await,
        site.browser.get("/no-such-page").await,
        site.browser.get("/api/health").await,
        site.browser.get("/api/me").await,
        site.browser.get("/api/no-such-thing").await,
        site.browser.post_form("/login", &[("name", "")]).await,
    ];

    for response in &responses {
        let value = response.header("server-timing").unwrap_or_else(|| {
            panic!(
                "{} ({}): no `Server-Timing` header. The timing middleware must wrap the \
                 whole router, fallback and other middleware included: add it with `.layer`, \
                 after `.fallback(..)`",
                response.request, response.status
            )
        });
        let millis = value
            .strip_prefix("app;dur=")
            .and_then(|number| number.parse::<f64>().ok());
        assert!(
            millis.is_some_and(|millis| millis >= 0.0),
            "{}: `Server-Timing` should look like `app;dur=0.123`, got {value:?}",
            response.request
        );
    }
}

/// How long the server binary may take to print its URL.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for a log line once the server has stopped: it wrote
/// its lines before it answered, so they are already in the pipe.
const LOG_TIMEOUT: Duration = Duration::from_secs(1);

/// The server binary, with its output read line by line; killed on drop.
struct LoggingServer {
    child: Child,
    lines: Receiver<String>,
    url: String,
}

impl LoggingServer {
    /// Starts the binary of the crate under test on a free port, with no
    /// `RUST_LOG`: what it logs then is what it logs by default.
    fn start() -> Self {
        let binary = test_support::binary(env!("CARGO_PKG_NAME"));
        let mut child = Command::new(&binary)
            .env_remove("RUST_LOG")
            .env("PORT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", binary.display()));
        let (sender, lines) = channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = sender.send(without_colours(&line));
                }
            });
        }
        let mut server = Self {
            child,
            lines,
            url: String::new(),
        };
        let line = server
            .wait_for_line(START_TIMEOUT, |line| line.contains("http://"))
            .expect("the server should print `Listening on http://...`");
        server.url = line[line.find("http://").unwrap()..].trim().to_owned();
        server
    }

    /// The first line of output (from now on) that passes `test`, waiting
    /// up to `timeout`; with the lines seen on the way, for messages.
    fn wait_for_line(
        &self,
        timeout: Duration,
        test: impl Fn(&str) -> bool,
    ) -> Result<String, Vec<String>> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if test(&line) => return Ok(line),
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        Err(seen)
    }
}

impl LoggingServer {
    /// Stops the server. Its output stays readable up to the last line, and
    /// then [`LoggingServer::wait_for_line`] stops waiting at once.
    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for LoggingServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Removes terminal colour codes (`ESC [ ... m`), in case a log has them.
fn without_colours(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[tokio::test]
async fn the_server_logs_every_request_at_info() {
    let mut server = LoggingServer::start();

    TestApp::at(&server.url)
        .get("/about")
        .await
        .assert_status(StatusCode::OK, "the running server serves /about");
    TestApp::at(&server.url)
        .get("/no-such-page")
        .await
        .assert_status(StatusCode::NOT_FOUND, "the running server answers 404");
    server.stop();

    for (uri, status) in [("/about", "200"), ("/no-such-page", "404")] {
        let logged = server.wait_for_line(LOG_TIMEOUT, |line| {
            line.contains("INFO")
                && line.contains(&format!("uri={uri} "))
                && line.contains(&format!("status={status}"))
        });
        assert!(
            logged.is_ok(),
            "expected an INFO log line for GET {uri} with status={status}. Add \
             `TraceLayer::new_for_http()` around the app, with its span and its response \
             at `Level::INFO` (its default, DEBUG, is hidden by the default filter). \
             The server printed:\n{}",
            logged.unwrap_err().join("\n")
        );
    }
}

#[test]
fn a_taken_port_gives_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let exit = ServerProcess::run_until_exit(env!("CARGO_PKG_NAME"), &[("PORT", &port)]);

    exit.assert_one_line_error(
        &[&port],
        "When PORT is already in use, print one line that names the port and exit with \
         `ExitCode::FAILURE`: see how src/main.rs handles the error of `TcpListener::bind`.",
    );
}
