//! Lesson 08 tests. They run against your exercise with
//! `cargo test -p lesson-08-middleware`, and against the reference with
//! `cargo test -p solution-08-middleware`.
//!
//! Most tests send requests straight into the app, with a cookie jar that
//! behaves like a browser's. Each test keeps a handle on the guestbook it
//! gives the app, to check what a request changed (or that it changed
//! nothing). A few put your middleware in front of a route of their own, to
//! check it is reusable; the last ones run the server binary, to read its
//! log.
//!
//! Every rule the notes state, and the tests that fail when it is broken
//! ("§ N" is the section of `notes/08-middleware.md`):
//!
//! | rule | TODO | test(s) |
//! |---|---|---|
//! | An empty or blank `token` cookie is no login (§ 3) | 1, 2, 3 | `current_user_is_the_trimmed_token_or_nobody`, `an_empty_or_blank_token_is_no_login_for_pages_or_api` |
//! | A middleware that refuses answers by itself: it never calls `next.run`, the handler never runs (§ 3, § 5) | 2, 3 | `require_user_for_pages_never_runs_a_handler_it_rejects`, `require_user_never_runs_a_handler_it_rejects`, `a_rejected_request_never_reaches_the_handler` |
//! | The user goes into the request's extensions before `next.run`; handlers take it with `Extension` (§ 4) | 2, 3 | the two `…_never_runs_a_handler_it_rejects`, `with_a_token_the_home_page_greets_the_user`, `the_api_handlers_see_the_user_the_middleware_found` |
//! | Pages answer with the login page (200); the API answers `401` in JSON, whatever `Accept` says (§ 5) | 2, 3 | `without_a_token_the_home_page_is_the_login_page`, `without_a_token_the_api_answers_401_in_json` |
//! | A guard covers the routes it must and no others: public routes stay public (§ 6) | 4, 5 | `public_routes_work_with_or_without_a_token` |
//! | `route_layer`, not `layer`, for a guard: an unknown path is `404`, never `401` or the login page (§ 6) | 4, 5 | `unknown_api_paths_are_json_404s_with_or_without_a_token`, `unknown_pages_are_404_pages_with_or_without_a_token` |
//! | `Server-Timing` counts milliseconds (§ 7) | 6 | `server_timing_value_counts_milliseconds` |
//! | The clock starts before `next.run` and stops after it; the handler's response goes out unchanged (§ 7) | 7 | `server_timing_times_the_whole_chain_and_keeps_the_response` |
//! | A layer wraps what the router holds when `.layer` is called: every response, `404` and `401` included, is timed (§ 7, § 9) | 8 | `every_response_carries_server_timing_even_errors` |
//! | Every request is logged at `INFO`, `404`s included (§ 8) | 8 | `the_server_logs_every_request_at_info` |
//! | A page that cannot render: details in the log, a plain `500` for the visitor (given, `src/pages.rs`) | — | `a_page_that_cannot_render_is_a_plain_500` |
//! | Limits hold at their boundary: 100-character names, 200-character messages (given) | — | `a_name_of_100_characters_is_the_longest_that_logs_in`, `a_message_of_200_characters_is_the_longest_accepted` |
//! | A start-up error is one line and a non-zero exit (given, `src/main.rs`) | — | `a_taken_port_gives_a_one_line_error` |
//!
//! Each failure names the TODO to look at first. When a guarded handler
//! runs with nobody in front of it, axum answers `500 Missing request
//! extension`: the tests then name the TODO that puts the middleware on
//! the route (4 or 5), not the middleware's body.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Router, middleware};
use axum_extra::extract::cookie::CookieJar;
use serde_json::{Value, json};
use test_support::{ServerProcess, TestClient, TestResponse, assert_taken_port_is_refused};

use crate::subject::auth::{self, CurrentUser};
use crate::subject::pages::Pages;
use crate::subject::timing;
use crate::subject::{AppState, Entry, Guestbook, app};

// ---- Where the notes explain each rule ----

const NOTES_CHECK: &str = "notes/08-middleware.md, § 3 \"isAuthenticated, in Rust\"";
const NOTES_EXTENSIONS: &str = "notes/08-middleware.md, § 4 \"Passing data on\"";
const NOTES_API: &str = "notes/08-middleware.md, § 5 \"Pages or JSON\"";
const NOTES_ROUTES: &str = "notes/08-middleware.md, § 6 \"Putting middleware on routes\"";
const NOTES_TIMING: &str = "notes/08-middleware.md, § 7 \"Around everything: timing\"";
const NOTES_TRACE: &str = "notes/08-middleware.md, § 8 \"Logging every request\"";

/// The app under test, and the guestbook it writes to.
struct Site {
    browser: TestClient,
    guestbook: Guestbook,
}

impl Site {
    /// Puts a `token` cookie in the browser's jar, as `POST /login` would.
    fn log_in_as(&self, name: &str) {
        self.browser.set_cookie("token", name);
    }

    /// `POST /login` with `name` in the form's `name` field, as the login
    /// page's form sends it.
    async fn submit_login(&self, name: &str) -> TestResponse {
        self.browser.post_form("/login", &[("name", name)]).await
    }
}

fn spawn_app() -> Site {
    let guestbook = Guestbook::new();
    Site {
        browser: TestClient::new(app(guestbook.clone())),
        guestbook,
    }
}

fn entry(name: &str, message: &str) -> Entry {
    Entry {
        name: name.to_owned(),
        message: message.to_owned(),
    }
}

// ---- What a response says about the TODOs behind it ----

/// Fails with `todo`'s advice when the response is axum's
/// `500 Missing request extension`: a handler that takes
/// `Extension<CurrentUser>` ran, and nothing had put a user in the request.
#[track_caller]
fn assert_guarded(response: &TestResponse, todo: &str) {
    if response.status == StatusCode::INTERNAL_SERVER_ERROR
        && response.text().starts_with("Missing request extension")
    {
        panic!(
            "\n{todo}: {} reached its handler with no CurrentUser in the request's \
             extensions, so axum answered `500 Missing request extension`. No middleware \
             stands in front of this route yet ({NOTES_ROUTES}). (If one does, it let the \
             request through without inserting the user: {NOTES_EXTENSIONS}.)\n",
            response.request
        );
    }
}

fn is_login_page(response: &TestResponse) -> bool {
    let page = response.text();
    page.contains("<h1>Log in</h1>") && page.contains("action=\"/login\"")
}

fn is_json_error(response: &TestResponse, code: &str) -> bool {
    serde_json::from_slice::<Value>(&response.body)
        .is_ok_and(|body| body["error"]["code"] == code && body["error"]["message"].is_string())
}

/// Checks a response is the login page that `require_user_for_pages`
/// shows (TODO 2), once the guard is on the route (TODO 4).
#[track_caller]
fn assert_login_page(response: &TestResponse, what_to_fix: &str) {
    assert_guarded(response, "TODO 4");
    response.assert_status(StatusCode::OK, what_to_fix);
    assert!(
        is_login_page(response),
        "\n{}: expected the login page.\n{what_to_fix}\nGot:\n{}\n",
        response.request,
        response.text()
    );
}

/// Checks a response is the API's `401`: first that the guard is on the
/// route (TODO 5), then that `require_user` answered it (TODO 3).
#[track_caller]
fn assert_api_refused(response: &TestResponse, why: &str) {
    assert_guarded(response, "TODO 5");
    assert!(
        !response.status.is_success(),
        "\nTODO 5: {} answered {} without a `token` cookie: its handler ran, and no \
         middleware stands in front of the API's routes ({NOTES_ROUTES}).\n",
        response.request,
        response.status
    );
    assert!(
        !is_login_page(response),
        "\nTODO 5: {} answered the login page: that is the pages' guard. A program calling \
         the API needs `require_user`'s 401 in JSON ({NOTES_API}).\n",
        response.request
    );
    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        &format!(
            "TODO 3: {why}, `require_user` answers by itself: 401 with the course's JSON \
             error, and the handler never runs ({NOTES_API})."
        ),
    );
}

// ---- TODO 1: who is logged in ----

/// The user `auth::current_user` finds for a request with this `Cookie`
/// header (or none).
fn current_user_for(cookie_header: Option<&str>) -> Option<CurrentUser> {
    let mut headers = HeaderMap::new();
    if let Some(cookies) = cookie_header {
        headers.insert(header::COOKIE, cookies.parse().unwrap());
    }
    auth::current_user(&CookieJar::from_headers(&headers))
}

#[test]
fn current_user_is_the_trimmed_token_or_nobody() {
    let user = |name: &str| {
        Some(CurrentUser {
            name: name.to_owned(),
        })
    };
    // `%20` is a space: the jar decodes it.
    let cases = [
        (None, None, "no cookie at all"),
        (Some("name=Ada"), None, "other cookies, but no `token`"),
        (Some("token=Ada"), user("Ada"), "a token"),
        (
            Some("theme=dark; token=Grace"),
            user("Grace"),
            "a token among other cookies",
        ),
        (
            Some("token=%20Ada%20"),
            user("Ada"),
            "a token with spaces around it",
        ),
        (Some("token="), None, "an empty token"),
        (Some("token=%20%20"), None, "a token of spaces only"),
    ];
    for (cookie_header, expected, what) in cases {
        let found = current_user_for(cookie_header);
        assert_eq!(
            found, expected,
            "\nTODO 1: `current_user` for {what} (Cookie header: {cookie_header:?}) should \
             give {expected:?}, got {found:?}. The rule: the `token` cookie's value, trimmed, \
             names the user; no cookie, or an empty or blank one, is nobody ({NOTES_CHECK}).\n"
        );
    }
}

// ---- TODO 2: the pages' middleware, on its own ----

/// A router of our own with the lesson's middleware in front of a probe
/// handler that counts its runs: the middleware is reusable on any routes.
fn probe_router(
    guard: impl FnOnce(Router) -> Router,
) -> (TestClient, Arc<AtomicUsize>, Arc<Mutex<Option<String>>>) {
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
    (TestClient::new(router), runs, seen)
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
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "\nTODO 2: `require_user_for_pages` called `next.run` for a request with no `token` \
         cookie: the handler behind it ran. A middleware that refuses answers by itself, and \
         never runs the rest of the chain ({NOTES_CHECK}).\n"
    );
    assert!(
        rejected.status == StatusCode::OK && is_login_page(&rejected),
        "\nTODO 2: with no `token` cookie, `require_user_for_pages` answers with the login \
         page (`site::login_page`), 200 OK, as the notes' `res.render(\"login\")` does \
         ({NOTES_CHECK}). It answered {}:\n{}\n",
        rejected.status,
        rejected.text()
    );

    browser.set_cookie("token", "Ada");
    let accepted = browser.post_json("/probe", &json!({})).await;
    assert_eq!(
        (accepted.status, runs.load(Ordering::SeqCst)),
        (StatusCode::OK, 1),
        "\nTODO 2: with a `token` cookie, `require_user_for_pages` lets the request through: \
         the handler behind it runs once, and its answer goes out ({NOTES_CHECK}). Got {} \
         and {} run(s) of the handler.\n",
        accepted.status,
        runs.load(Ordering::SeqCst)
    );
    assert_eq!(
        seen.lock().unwrap().as_deref(),
        Some("Ada"),
        "\nTODO 2: the handler behind `require_user_for_pages` found no CurrentUser named \
         Ada in the request's extensions: insert the user before passing the request on \
         ({NOTES_EXTENSIONS}).\n"
    );
}

// ---- TODO 3: the API's middleware, on its own ----

#[tokio::test]
async fn require_user_never_runs_a_handler_it_rejects() {
    let (browser, runs, seen) =
        probe_router(|routes| routes.route_layer(middleware::from_fn(auth::require_user)));

    let rejected = browser.post_json("/probe", &json!({})).await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        0,
        "\nTODO 3: `require_user` called `next.run` for a request with no `token` cookie: the \
         handler behind it ran. Return the 401 without running the rest of the chain \
         ({NOTES_API}).\n"
    );
    rejected.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        &format!(
            "TODO 3: with no `token` cookie, `require_user` answers 401 with the course's JSON \
             error (`ApiError::unauthorized`), not a page: a program reads the status \
             ({NOTES_API})."
        ),
    );

    browser.set_cookie("token", "Ada");
    let accepted = browser.post_json("/probe", &json!({})).await;
    assert_eq!(
        (accepted.status, runs.load(Ordering::SeqCst)),
        (StatusCode::OK, 1),
        "\nTODO 3: with a `token` cookie, `require_user` lets the request through: the \
         handler behind it runs once, and its answer goes out. Got {} and {} run(s) of the \
         handler.\n",
        accepted.status,
        runs.load(Ordering::SeqCst)
    );
    assert_eq!(
        seen.lock().unwrap().as_deref(),
        Some("Ada"),
        "\nTODO 3: the handler behind `require_user` found no CurrentUser named Ada in the \
         request's extensions: insert the user before passing the request on \
         ({NOTES_EXTENSIONS}).\n"
    );
}

// ---- TODO 4: the pages, guarded ----

#[tokio::test]
async fn without_a_token_the_home_page_is_the_login_page() {
    let site = spawn_app();

    let response = site.browser.get("/").await;

    assert_login_page(
        &response,
        &format!(
            "TODO 2: with no `token` cookie, `require_user_for_pages` answers with the login \
             page itself, and never calls `next.run` ({NOTES_CHECK})."
        ),
    );
    response.assert_body_lacks(
        "Hello,",
        &format!(
            "TODO 2: the logout page's handler must not run for a visitor without a token \
             ({NOTES_CHECK})."
        ),
    );
}

#[tokio::test]
async fn with_a_token_the_home_page_greets_the_user() {
    let site = spawn_app();
    site.log_in_as("Ada");

    let response = site.browser.get("/").await;

    assert_guarded(&response, "TODO 4");
    response.assert_status(
        StatusCode::OK,
        &format!(
            "TODO 2: with a `token` cookie, `require_user_for_pages` lets the request through \
             to the handler ({NOTES_CHECK})."
        ),
    );
    let page = response.text();
    assert!(
        page.contains("Hello, Ada!") && page.contains("action=\"/logout\""),
        "\nTODO 2: with the cookie `token=Ada`, `/` is the page that greets Ada and offers to \
         log out: the middleware passes the request on to its handler ({NOTES_CHECK}). \
         Got:\n{page}\n"
    );
}

#[tokio::test]
async fn an_empty_or_blank_token_is_no_login_for_pages_or_api() {
    let site = spawn_app();

    // `%20` is a space: the jar decodes it, `current_user` trims it.
    for token in ["", "%20%20"] {
        site.log_in_as(token);

        let page = site.browser.get("/").await;
        assert_login_page(
            &page,
            &format!(
                "TODO 2: the cookie `token={token}` is no login: `require_user_for_pages` \
                 must let in only a user `current_user` (TODO 1) found ({NOTES_CHECK})."
            ),
        );

        let me = site.browser.get("/api/me").await;
        assert_api_refused(
            &me,
            &format!("with the cookie `token={token}`, which is no login ({NOTES_CHECK})"),
        );
    }
}

#[tokio::test]
async fn logging_in_sets_the_token_cookie() {
    let site = spawn_app();

    let response = site.submit_login("  Ada ").await;

    let public = "TODO 4: `POST /login` is public, and given (src/site.rs): if it answered \
                  the login page, the pages' guard covers it too";
    response.assert_status(StatusCode::SEE_OTHER, public);
    response.assert_header("location", "/", public);
    let cookie = response
        .set_cookie("token")
        .unwrap_or_else(|| panic!("\n{public}: it set no `token` cookie.\n"));
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

    let home = site.browser.get("/").await;
    assert_guarded(&home, "TODO 4");
    home.assert_body_contains(
        "Hello, Ada!",
        &format!("TODO 2: once logged in as Ada, `/` greets Ada ({NOTES_CHECK})."),
    );
}

#[tokio::test]
async fn a_bad_login_form_gets_the_login_page_again() {
    let site = spawn_app();
    let too_long = "a".repeat(101);

    for name in ["   ", too_long.as_str()] {
        let response = site.submit_login(name).await;
        response
            .assert_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                "a blank name, or one over 100 characters, cannot log in (given: src/site.rs)",
            )
            .assert_body_contains("action=\"/login\"", "the login form comes back");
        assert!(
            response.set_cookie("token").is_none(),
            "and no token is set"
        );
    }

    let without_field = site.browser.post_form("/login", &[("nick", "Ada")]).await;
    without_field.assert_status(StatusCode::UNPROCESSABLE_ENTITY, "a form without `name`");
    let as_json = site
        .browser
        .post_json("/login", &json!({ "name": "Ada" }))
        .await;
    as_json.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "the login takes a form");
    assert!(as_json.set_cookie("token").is_none(), "no token is set");
    assert_login_page(
        &site.browser.get("/").await,
        &format!("TODO 2: still logged out, `/` is the login page ({NOTES_CHECK})."),
    );
}

#[tokio::test]
async fn a_name_of_100_characters_is_the_longest_that_logs_in() {
    let site = spawn_app();
    let longest = "a".repeat(100);

    let response = site.submit_login(longest.as_str()).await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "TODO 4: `POST /login` is public (given: src/site.rs), and a name of exactly 100 \
         characters is allowed: the limit is 100 at most",
    );
    assert_eq!(
        response.set_cookie("token").map(|c| c.value().len()),
        Some(100),
        "the 100-character name becomes the token"
    );
}

#[tokio::test]
async fn logging_out_expires_the_token_on_the_same_path() {
    let site = spawn_app();
    site.submit_login("Ada").await;

    let response = site.browser.post_form("/logout", &()).await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "TODO 4: `POST /logout` is public (given: src/site.rs); after logging out, the \
         browser goes home",
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
        &format!("TODO 2: after logging out, `/` asks to log in ({NOTES_CHECK})."),
    );
}

#[tokio::test]
async fn public_routes_work_with_or_without_a_token() {
    let site = spawn_app();

    for logged_in in [false, true] {
        if logged_in {
            site.log_in_as("Ada");
        }
        let who = if logged_in {
            "with the cookie `token=Ada`"
        } else {
            "without a `token` cookie"
        };
        let requests = [
            site.browser.get("/about").await,
            site.browser.get("/api/health").await,
            site.browser.post_form("/logout", &[("name", "")]).await,
        ];
        for response in &requests {
            assert!(
                !is_login_page(response),
                "\nTODO 4: {} is public, but {who} it answered the login page: the pages' \
                 guard covers it too. Guard `GET /` and nothing else: a `route_layer` wraps \
                 the routes added before it, not those added after ({NOTES_ROUTES}).\n",
                response.request
            );
            assert!(
                !is_json_error(response, "unauthorized"),
                "\nTODO 5: {} is public, but {who} it answered 401: the API's guard covers \
                 it too. Guard only the routes that need a user ({NOTES_ROUTES}).\n",
                response.request
            );
        }
        let [about, health, logout] = requests;
        about
            .assert_status(StatusCode::OK, "/about is public")
            .assert_body_contains("<h1>About</h1>", "/about is the about page");
        health.assert_status(StatusCode::OK, "/api/health is public");
        assert_eq!(health.json::<Value>(), json!({ "status": "ok" }));
        logout.assert_status(StatusCode::SEE_OTHER, "/logout is public");
        site.browser.clear_cookies();
    }
}

#[tokio::test]
async fn unknown_pages_are_404_pages_with_or_without_a_token() {
    let site = spawn_app();

    for logged_in in [false, true] {
        if logged_in {
            site.log_in_as("Ada");
        }
        let response = site.browser.get("/no-such-page").await;
        assert!(
            !is_login_page(&response),
            "\nTODO 4: an unknown path is a 404 for everyone, but GET /no-such-page answered \
             the login page: the pages' guard wraps the fallback too. `layer` wraps the \
             fallback, `route_layer` does not ({NOTES_ROUTES}).\n"
        );
        response
            .assert_status(StatusCode::NOT_FOUND, "unknown paths answer 404")
            .assert_body_contains("404", "with a page that says so");
    }
}

// ---- TODO 5: the JSON API, guarded ----

#[tokio::test]
async fn without_a_token_the_api_answers_401_in_json() {
    let site = spawn_app();

    let as_from_a_browser = axum::http::Request::get("/api/me")
        .header(header::ACCEPT, "text/html")
        .body("")
        .unwrap();
    let requests = [
        site.browser.get("/api/me").await,
        site.browser.get("/api/guestbook").await,
        site.browser
            .post_json("/api/guestbook", &json!({ "message": "hi" }))
            .await,
        site.browser.send(as_from_a_browser).await,
    ];

    for response in &requests {
        assert_api_refused(response, "with no `token` cookie (whatever `Accept` says)");
    }
}

#[tokio::test]
async fn a_rejected_request_never_reaches_the_handler() {
    let site = spawn_app();

    let response = site
        .browser
        .post_json("/api/guestbook", &json!({ "message": "let me in" }))
        .await;

    assert_api_refused(&response, "with no `token` cookie");
    assert_eq!(
        site.guestbook.entries(),
        [],
        "\nTODO 3: after refusing, the middleware returns its answer WITHOUT calling \
         `next.run`: the handler ran and signed the guestbook ({NOTES_API}).\n"
    );
}

#[tokio::test]
async fn the_api_handlers_see_the_user_the_middleware_found() {
    let site = spawn_app();
    site.log_in_as("Ada");

    let response = site.browser.get("/api/me").await;

    assert_guarded(&response, "TODO 5");
    response.assert_status(
        StatusCode::OK,
        &format!(
            "TODO 3: with a `token` cookie, `require_user` puts a CurrentUser in the \
             request's extensions and passes the request on ({NOTES_EXTENSIONS})."
        ),
    );
    assert_eq!(
        response.json::<Value>(),
        json!({ "name": "Ada" }),
        "TODO 3: GET /api/me answers the name the middleware found"
    );
}

#[tokio::test]
async fn signing_the_guestbook_records_the_logged_in_user() {
    let site = spawn_app();
    site.log_in_as("Ada");

    let response = site
        .browser
        .post_json("/api/guestbook", &json!({ "message": "  Hello!  " }))
        .await;

    assert_guarded(&response, "TODO 5");
    response.assert_status(
        StatusCode::CREATED,
        "TODO 3: a logged-in user signs the guestbook: 201 Created",
    );
    assert_eq!(
        response.json::<Value>(),
        json!({ "name": "Ada", "message": "Hello!" })
    );
    assert_eq!(site.guestbook.entries(), [entry("Ada", "Hello!")]);
    let list = site.browser.get("/api/guestbook").await;
    list.assert_status(
        StatusCode::OK,
        "TODO 3: a logged-in user reads the guestbook",
    );
    assert_eq!(
        list.json::<Value>(),
        json!([{ "name": "Ada", "message": "Hello!" }])
    );
}

#[tokio::test]
async fn a_message_of_200_characters_is_the_longest_accepted() {
    let site = spawn_app();
    site.log_in_as("Ada");
    let longest = "a".repeat(200);

    let response = site
        .browser
        .post_json("/api/guestbook", &json!({ "message": longest }))
        .await;

    assert_guarded(&response, "TODO 5");
    response.assert_status(
        StatusCode::CREATED,
        "a message of exactly 200 characters is allowed: the limit is 200 at most (given: \
         src/api.rs)",
    );
    assert_eq!(site.guestbook.entries(), [entry("Ada", &longest)]);
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

        assert_guarded(&response, "TODO 5");
        response.assert_error(
            case.status,
            case.code,
            &format!("{} is refused (given: src/api.rs)", case.what),
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
async fn unknown_api_paths_are_json_404s_with_or_without_a_token() {
    let site = spawn_app();

    for logged_in in [false, true] {
        if logged_in {
            site.log_in_as("Ada");
        }
        let response = site.browser.get("/api/no-such-thing").await;
        assert!(
            !is_json_error(&response, "unauthorized"),
            "\nTODO 5: an unknown API path is a 404 for everyone, but GET /api/no-such-thing \
             without a token answered 401 (\"log in first\" for a path that does not exist). \
             The API's guard wraps the fallback too: `layer` wraps the fallback, \
             `route_layer` does not ({NOTES_ROUTES}).\n"
        );
        response.assert_error(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!(
                "TODO 5: an unknown path under /api is the API's JSON 404 (its fallback), \
                 with or without a token ({NOTES_ROUTES})."
            ),
        );
    }
}

// ---- TODOs 6 and 7: the timing middleware ----

#[test]
fn server_timing_value_counts_milliseconds() {
    let cases = [
        (Duration::ZERO, "app;dur=0.000"),
        (Duration::from_micros(1_500), "app;dur=1.500"),
        (Duration::from_nanos(123_456_789), "app;dur=123.457"),
        (Duration::from_secs(2), "app;dur=2000.000"),
    ];
    for (elapsed, expected) in cases {
        let value = timing::server_timing_value(elapsed);
        assert_eq!(
            value.to_str().ok(),
            Some(expected),
            "\nTODO 6: `server_timing_value({elapsed:?})` should be {expected:?}, got \
             {value:?}. `Server-Timing` counts milliseconds, shown with three decimals \
             ({NOTES_TIMING}).\n"
        );
    }
}

/// How long the probe handler below takes, at least.
const PROBE_SLEEPS: Duration = Duration::from_millis(20);

#[tokio::test]
async fn server_timing_times_the_whole_chain_and_keeps_the_response() {
    // A handler that takes at least PROBE_SLEEPS, and answers something
    // other than a plain 200. A sleep never ends early, so any clock that
    // runs around the handler reads at least 20 ms: this cannot be flaky.
    let router = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(PROBE_SLEEPS).await;
                (StatusCode::ACCEPTED, [("x-from", "handler")], "slow answer")
            }),
        )
        .layer(middleware::from_fn(timing::server_timing));
    let browser = TestClient::new(router);

    let response = browser.get("/slow").await;

    let kept = response.status == StatusCode::ACCEPTED
        && response.header("x-from") == Some("handler")
        && response.text() == "slow answer";
    assert!(
        kept,
        "\nTODO 7: `server_timing` must send out the handler's own response, with the header \
         added: expected 202 Accepted, `x-from: handler` and \"slow answer\", got {} {:?} \
         {:?} ({NOTES_TIMING}).\n",
        response.status,
        response.headers,
        response.text()
    );
    let value = response.header("server-timing").unwrap_or_else(|| {
        panic!(
            "\nTODO 7: `server_timing` added no `Server-Timing` header to the response \
             ({NOTES_TIMING}).\n"
        )
    });
    let millis = value
        .strip_prefix("app;dur=")
        .and_then(|number| number.parse::<f64>().ok())
        .unwrap_or_else(|| {
            panic!(
                "\nTODO 7: `Server-Timing` should be what `server_timing_value` gives, such \
                 as `app;dur=0.123`; got {value:?}.\n"
            )
        });
    assert!(
        millis >= PROBE_SLEEPS.as_secs_f64() * 1000.0,
        "\nTODO 7: the handler took at least {PROBE_SLEEPS:?}, but `Server-Timing` says \
         {value}. The clock starts on the way in, before `next.run`, and stops on the way \
         out, after it ({NOTES_TIMING}).\n"
    );
}

// ---- TODO 8: around everything, timing and logging ----

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
        site.submit_login("").await,
    ];

    for response in &responses {
        let value = response.header("server-timing").unwrap_or_else(|| {
            panic!(
                "\nTODO 8: {} ({}) has no `Server-Timing` header. Every response carries \
                 one, the 404s and the 401s too: the timing layer must wrap the whole app, \
                 its fallback and the routers merged or nested into it. A layer wraps what \
                 the router holds when `.layer` is called ({NOTES_TIMING}).\n",
                response.request, response.status
            )
        });
        let millis = value
            .strip_prefix("app;dur=")
            .and_then(|number| number.parse::<f64>().ok());
        assert!(
            millis.is_some_and(|millis| millis >= 0.0),
            "\nTODO 8: {}: `Server-Timing` should look like `app;dur=0.123`, got {value:?}.\n",
            response.request
        );
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

/// What the server printed after its `Listening on …` line, for a message.
fn printed(lines: &[String]) -> String {
    if lines.is_empty() {
        "(nothing after `Listening on …`)".to_owned()
    } else {
        lines.join("\n")
    }
}

#[tokio::test]
async fn the_server_logs_every_request_at_info() {
    // No RUST_LOG: what it logs then is what it logs by default.
    let mut server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);

    TestClient::at(server.url())
        .get("/about")
        .await
        .assert_status(StatusCode::OK, "the running server serves /about");
    TestClient::at(server.url())
        .get("/no-such-page")
        .await
        .assert_status(StatusCode::NOT_FOUND, "the running server answers 404");
    // It logged each request before it answered: stop it and read it all.
    let exit = server.stop();

    let output = format!("{}{}", exit.stdout, exit.stderr);
    let lines: Vec<String> = output.lines().map(without_colours).collect();
    let after_listening: Vec<String> = lines
        .iter()
        .skip_while(|line| !line.contains("http://"))
        .skip(1)
        .cloned()
        .collect();
    let logged_at_info = |uri: &str, status: &str| {
        lines.iter().any(|line| {
            line.contains("INFO")
                && line.contains(&format!("uri={uri} "))
                && line.contains(&format!("status={status}"))
        })
    };
    assert!(
        logged_at_info("/about", "200"),
        "\nTODO 8: expected an INFO log line for GET /about with status=200: every request \
         is logged. `TraceLayer` logs at DEBUG unless told otherwise, and the default filter \
         shows INFO and above ({NOTES_TRACE}). The server printed:\n{}\n",
        printed(&after_listening)
    );
    assert!(
        logged_at_info("/no-such-page", "404"),
        "\nTODO 8: GET /about was logged at INFO, but GET /no-such-page (a 404) was not: \
         the logging layer does not wrap the fallback. A layer wraps what was added before \
         it ({NOTES_TIMING}). The server printed:\n{}\n",
        printed(&after_listening)
    );
}

#[cfg(unix)]
#[test]
fn sigterm_answers_the_request_in_flight_then_exits_cleanly() {
    ServerProcess::start(env!("CARGO_PKG_NAME"), &[]).assert_graceful_shutdown("/about");
}

// ---- Given code: errors ----

#[tokio::test]
async fn a_page_that_cannot_render_is_a_plain_500() {
    let error = Pages::new()
        .render("no-such-template.html", minijinja::context! {})
        .expect_err("a template that does not exist cannot render");

    let page =
        TestResponse::read("a page with no template".to_owned(), error.into_response()).await;

    page.assert_error_page_hides(
        "no-such-template",
        "Given code: `PageError` in src/pages.rs.",
    );
}

#[test]
fn a_taken_port_gives_a_one_line_error() {
    assert_taken_port_is_refused(env!("CARGO_PKG_NAME"), &[], "given code");
}
