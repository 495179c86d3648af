//! Lesson 07 tests. They run against your exercise with
//! `cargo test -p lesson-07-cookies`, and against the reference with
//! `cargo test -p solution-07-cookies`.
//!
//! Most tests send requests straight into the app, with a cookie jar that
//! behaves like a browser's: what the app sets comes back on the next
//! request, and what it expires is forgotten. The last tests run the
//! server binary, to check how it starts (and refuses to).

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum_extra::extract::cookie::{Cookie, Key, PrivateCookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use test_support::{ServerProcess, TestApp, TestResponse};

use crate::subject::config::{ConfigError, key_from_base64};
use crate::subject::{CookieConfig, app};

/// Thirty days, in seconds: how long both cookies are kept.
const THIRTY_DAYS: i64 = 30 * 24 * 60 * 60;

/// The app under test, and the key it encrypts private cookies with (so a
/// test can check what is inside them).
struct Site {
    browser: TestApp,
    key: Key,
}

/// Builds the app with a fresh random key, cookies marked `Secure`.
fn spawn_app() -> Site {
    let key = Key::generate();
    let config = CookieConfig {
        key: key.clone(),
        secure: true,
    };
    Site {
        browser: TestApp::new(app(config)),
        key,
    }
}

/// A cookie as the response set it, with its value percent-decoded (the
/// jar percent-encodes values, so `;` or spaces cannot break the header).
fn set_cookie(response: &TestResponse, name: &str) -> Option<Cookie<'static>> {
    response
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| Cookie::parse_encoded(value.to_owned()).ok())
        .find(|cookie| cookie.name() == name)
}

/// The `visits` count inside the private cookie the response set,
/// decrypted with `key`. `None` when there is no such cookie, or when `key`
/// cannot decrypt it.
fn visits_set_by(response: &TestResponse, key: &Key) -> Option<String> {
    let cookie = set_cookie(response, "visits")?;
    let cookie = Cookie::new("visits", cookie.value().to_owned());
    PrivateCookieJar::new(key.clone())
        .decrypt(cookie)
        .map(|cookie| cookie.value().to_owned())
}

/// A `visits` cookie encrypted with `key`, as it would travel in a
/// `Cookie` header: what a forger holding another key could make.
fn private_visits_cookie(key: &Key, count: &str) -> String {
    let response = PrivateCookieJar::new(key.clone())
        .add(Cookie::new("visits", count.to_owned()))
        .into_response();
    let header = response.headers()[SET_COOKIE].to_str().unwrap();
    let pair = header.split(';').next().unwrap();
    pair.strip_prefix("visits=").unwrap().to_owned()
}

/// Checks the attributes every cookie of this lesson carries.
#[track_caller]
fn assert_long_lived(cookie: &Cookie, secure: bool) {
    let name = cookie.name();
    assert_eq!(
        cookie.http_only(),
        Some(true),
        "cookie `{name}` needs `HttpOnly`, so page scripts cannot read it: `.http_only(true)`"
    );
    assert_eq!(
        cookie.same_site(),
        Some(SameSite::Lax),
        "cookie `{name}` needs `SameSite=Lax`: `.same_site(SameSite::Lax)`"
    );
    assert_eq!(
        cookie.path(),
        Some("/"),
        "cookie `{name}` needs `Path=/`, so every page of the site gets it: `.path(\"/\")`"
    );
    assert_eq!(
        cookie.max_age().map(|age| age.whole_seconds()),
        Some(THIRTY_DAYS),
        "cookie `{name}` should be kept for 30 days: `.max_age(REMEMBER_FOR)`"
    );
    assert_eq!(
        cookie.secure().unwrap_or(false),
        secure,
        "cookie `{name}`: `Secure` should follow the config: `.secure(secure)`"
    );
    assert_eq!(
        cookie.domain(),
        None,
        "cookie `{name}` should not set a Domain"
    );
}

#[tokio::test]
async fn first_visit_asks_for_a_name() {
    let site = spawn_app();

    let response = site.browser.get("/").await;

    response.assert_status(StatusCode::OK, "`GET /` should show the home page.");
    response.assert_header(
        "content-type",
        "text/html; charset=utf-8",
        "pages are HTML: return `Html(..)`",
    );
    let page = response.text();
    assert!(
        page.contains("action=\"/remember\"") && page.contains("name=\"name\""),
        "without a `name` cookie the home page shows the form that posts `name` to /remember, got:\n{page}"
    );
    assert!(
        set_cookie(&response, "name").is_none(),
        "only /remember sets the `name` cookie"
    );
}

#[tokio::test]
async fn remember_sets_the_name_cookie_with_safe_attributes() {
    let site = spawn_app();

    let response = site
        .browser
        .post_form("/remember", &[("name", "Ada")])
        .await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "after the form, send the browser home: return the jar with `Redirect::to(\"/\")`",
    );
    response.assert_header("location", "/", "the redirect goes to the home page");
    let cookie = set_cookie(&response, "name").expect(
        "POST /remember should answer with `Set-Cookie: name=...`: add the cookie to the \
         jar AND return the jar from the handler",
    );
    assert_eq!(
        cookie.value(),
        "Ada",
        "the cookie holds the name typed in the form"
    );
    assert_long_lived(&cookie, true);
}

#[tokio::test]
async fn the_name_comes_back_on_the_next_request() {
    let site = spawn_app();
    site.browser
        .post_form("/remember", &[("name", "Ada")])
        .await;

    let response = site.browser.get("/").await;

    response.assert_status(StatusCode::OK, "`GET /` should show the home page.");
    let page = response.text();
    assert!(
        page.contains("Welcome back, Ada!"),
        "with the cookie `name=Ada` the home page greets Ada: read it with \
         `jar.get(NAME_COOKIE)`. Got:\n{page}"
    );
    assert!(
        page.contains("action=\"/forget\""),
        "a remembered visitor gets the Forget me button (a form posting to /forget)"
    );
}

#[tokio::test]
async fn the_name_is_trimmed_and_survives_any_character() {
    let site = spawn_app();
    // Unencoded, `; Max-Age=0` would end the value and add an attribute.
    let typed = "  Ada Lovelace; Max-Age=0, née Byron  ";

    let response = site
        .browser
        .post_form("/remember", &[("name", typed)])
        .await;

    let cookie = set_cookie(&response, "name").expect("POST /remember sets `name`");
    assert_eq!(
        cookie.value(),
        "Ada Lovelace; Max-Age=0, née Byron",
        "the cookie holds the trimmed name, every character kept"
    );
    assert_long_lived(&cookie, true);
    let page = site.browser.get("/").await.text();
    assert!(
        page.contains("Welcome back, Ada Lovelace; Max-Age=0, née Byron!"),
        "the greeting shows the name exactly as typed (trimmed), got:\n{page}"
    );
}

#[tokio::test]
async fn html_in_a_forged_name_cookie_is_shown_as_text() {
    let site = spawn_app();
    // A visitor can write any cookie they like.
    site.browser.set_cookie("name", "<script>alert(1)</script>");

    let page = site.browser.get("/").await.text();

    assert!(
        !page.contains("<script>alert(1)"),
        "a cookie's value is untrusted input: it must be escaped, never pasted into the page"
    );
    assert!(
        page.contains("Welcome back, &lt;script&gt;alert(1)&lt;&#x2f;script&gt;!"),
        "the escaped name should still be greeted, got:\n{page}"
    );
}

#[tokio::test]
async fn blank_or_too_long_names_get_the_form_again() {
    let site = spawn_app();
    let too_long = "a".repeat(101);

    for (typed, problem) in [("   ", "Please type your name"), (&too_long, "too long")] {
        let response = site
            .browser
            .post_form("/remember", &[("name", typed)])
            .await;

        response.assert_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a blank name, or one over 100 characters, is refused with 422",
        );
        assert!(
            response.text().contains(problem) && response.text().contains("action=\"/remember\""),
            "the form comes back with the problem ({problem:?}), got:\n{}",
            response.text()
        );
        assert!(
            set_cookie(&response, "name").is_none(),
            "a refused name must not set the cookie"
        );
    }

    let longest = "a".repeat(100);
    let response = site
        .browser
        .post_form("/remember", &[("name", &longest)])
        .await;
    response.assert_status(StatusCode::SEE_OTHER, "100 characters is still fine");
}

#[tokio::test]
async fn a_post_without_the_form_is_refused() {
    let site = spawn_app();

    let without_field = site
        .browser
        .send_raw(
            Method::POST,
            "/remember",
            "application/x-www-form-urlencoded",
            "nickname=Ada",
        )
        .await;
    let as_json = site
        .browser
        .send_raw(
            Method::POST,
            "/remember",
            "application/json",
            r#"{"name":"Ada"}"#,
        )
        .await;

    without_field.assert_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        "a form without a `name` field is refused",
    );
    as_json.assert_status(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "the page takes an HTML form, not JSON",
    );
    for response in [without_field, as_json] {
        assert!(
            set_cookie(&response, "name").is_none(),
            "nothing is remembered"
        );
        assert!(
            response.text().contains("action=\"/remember\""),
            "the form comes back, got:\n{}",
            response.text()
        );
    }
}

#[tokio::test]
async fn forget_expires_both_cookies_on_the_same_path() {
    let site = spawn_app();
    site.browser
        .post_form("/remember", &[("name", "Ada")])
        .await;
    site.browser.get("/").await;

    let response = site
        .browser
        .send_raw(
            Method::POST,
            "/forget",
            "application/x-www-form-urlencoded",
            "",
        )
        .await;

    response.assert_status(StatusCode::SEE_OTHER, "POST /forget sends the browser home");
    response.assert_header("location", "/", "the redirect goes to the home page");
    for name in ["name", "visits"] {
        let cookie = set_cookie(&response, name).unwrap_or_else(|| {
            panic!(
                "POST /forget should delete `{name}`: `jar.remove(removal(..))`, and return the jar"
            )
        });
        assert_eq!(cookie.value(), "", "a removal cookie is empty");
        assert_eq!(
            cookie.max_age().map(|age| age.whole_seconds()),
            Some(0),
            "`Max-Age=0` tells the browser to delete `{name}` now"
        );
        assert_eq!(
            cookie.path(),
            Some("/"),
            "the removal must name the path `{name}` was set with (`/`), or the browser \
             keeps the original"
        );
    }
    let page = site.browser.get("/").await.text();
    assert!(
        page.contains("action=\"/remember\"") && !page.contains("Welcome back"),
        "after forgetting, the home page asks for a name again, got:\n{page}"
    );
}

#[tokio::test]
async fn visits_are_counted_in_a_private_cookie() {
    let site = spawn_app();

    let mut response = site.browser.get("/").await;
    for _ in 0..2 {
        response = site.browser.get("/").await;
    }

    let cookie = set_cookie(&response, "visits").expect(
        "every `GET /` sets the private `visits` cookie: add it to the private jar and return it",
    );
    assert_long_lived(&cookie, true);
    assert_ne!(
        cookie.value(),
        "3",
        "the visitor must not be able to read the count: use the PrivateCookieJar"
    );
    assert_eq!(
        visits_set_by(&response, &site.key).as_deref(),
        Some("3"),
        "after three visits, the private cookie should hold 3 (encrypted with the app's key)"
    );
    assert_eq!(
        visits_set_by(&response, &Key::generate()),
        None,
        "another key cannot open the private cookie"
    );
    assert!(
        response.text().contains("Visit number 3"),
        "the page shows the count, got:\n{}",
        response.text()
    );
}

#[tokio::test]
async fn a_tampered_or_foreign_private_cookie_counts_as_absent() {
    let site = spawn_app();
    site.browser.get("/").await;
    let genuine = site
        .browser
        .cookie("visits")
        .expect("the first visit sets `visits`");
    // Change one character in the middle of the encrypted value.
    let mut tampered: Vec<char> = genuine.chars().collect();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();

    let forgeries = [
        ("tampered with", tampered),
        (
            "encrypted with another key",
            private_visits_cookie(&Key::generate(), "1000"),
        ),
        ("written in plain text", "1000".to_owned()),
        ("not even base64", "%%%".to_owned()),
        ("empty", String::new()),
    ];
    for (how, value) in forgeries {
        let request = Request::get("/")
            .header(COOKIE, format!("visits={value}"))
            .body(String::new())
            .unwrap();
        let response = site.browser.send(request).await;

        response.assert_status(
            StatusCode::OK,
            "a bad private cookie is not an error: the jar leaves it out, as if absent",
        );
        assert_eq!(
            visits_set_by(&response, &site.key).as_deref(),
            Some("1"),
            "a `visits` cookie {how} must count as absent: the count starts again at 1"
        );
    }
}

#[tokio::test]
async fn secure_can_be_left_out_for_plain_http() {
    let config = CookieConfig {
        key: Key::generate(),
        secure: false,
    };
    let browser = TestApp::new(app(config));

    let response = browser.post_form("/remember", &[("name", "Ada")]).await;

    let cookie = set_cookie(&response, "name").expect("POST /remember sets `name`");
    assert_long_lived(&cookie, false);
}

#[tokio::test]
async fn unknown_paths_get_a_404_page() {
    let site = spawn_app();

    let response = site.browser.get("/no-such-page").await;

    response.assert_status(StatusCode::NOT_FOUND, "unknown paths answer 404");
    assert!(response.text().contains("404"), "with a page that says so");
}

#[test]
fn the_key_is_64_bytes_or_more_in_base64() {
    let bytes: Vec<u8> = (0..64).collect();
    let encoded = STANDARD.encode(&bytes);
    // `openssl rand -base64 64` breaks its output after 64 characters.
    let as_openssl_prints_it = format!("{}\n{}\n", &encoded[..64], &encoded[64..]);

    assert!(
        key_from_base64(&encoded).is_ok(),
        "64 bytes in base64 make a key"
    );
    assert!(
        key_from_base64(&as_openssl_prints_it).is_ok(),
        "line breaks and a final newline are ignored"
    );
    assert_eq!(
        key_from_base64(&STANDARD.encode([7u8; 32])).err(),
        Some(ConfigError::KeyTooShort(32)),
        "32 bytes are too few"
    );
    assert_eq!(
        key_from_base64("this is not base64!").err(),
        Some(ConfigError::KeyNotBase64)
    );
    assert_eq!(key_from_base64("  ").err(), Some(ConfigError::MissingKey));
}

/// A fresh key in base64, as `openssl rand -base64 64` makes one.
fn random_key_base64() -> String {
    STANDARD.encode(Key::generate().master())
}

#[test]
fn the_server_refuses_to_start_without_a_good_key() {
    let short = STANDARD.encode([1u8; 16]);
    for (key, says) in [
        ("", "COOKIE_KEY is not set"),
        ("not base64!", "not valid base64"),
        (short.as_str(), "at least 64"),
    ] {
        let exit = ServerProcess::run_until_exit(
            env!("CARGO_PKG_NAME"),
            &[("COOKIE_KEY", key), ("PORT", "0")],
        );

        exit.assert_one_line_error(
            &[says],
            &format!(
                "Without a good COOKIE_KEY (here {key:?}) the server must exit with an error \
                 code and one line saying {says:?}: src/main.rs prints the `ConfigError` \
                 that `CookieConfig::from_env()` returns."
            ),
        );
    }
}

#[test]
fn the_server_refuses_a_bad_cookie_secure_value() {
    let key = random_key_base64();

    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[
            ("COOKIE_KEY", &key),
            ("COOKIE_SECURE", "yes"),
            ("PORT", "0"),
        ],
    );

    exit.assert_one_line_error(
        &["COOKIE_SECURE"],
        "COOKIE_SECURE=yes is neither true nor false: exit with an error, in one line \
         that names the variable.",
    );
}

#[tokio::test]
async fn the_server_with_a_key_prints_its_url_and_remembers_names() {
    let key = random_key_base64();
    let server = ServerProcess::start(
        env!("CARGO_PKG_NAME"),
        &[("COOKIE_KEY", &key), ("PORT", "0")],
    );
    assert!(server.url().starts_with("http://127.0.0.1:"));
    let browser = TestApp::at(server.url());

    browser
        .post_form("/remember", &[("name", "Grace")])
        .await
        .assert_status(StatusCode::SEE_OTHER, "the running server remembers names");
    let page = browser.get("/").await.text();

    assert!(page.contains("Welcome back, Grace!"), "got:\n{page}");
}

#[test]
fn a_taken_port_gives_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let key = random_key_base64();

    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[("COOKIE_KEY", &key), ("PORT", &port)],
    );

    exit.assert_one_line_error(
        &[&port],
        "When PORT is already in use, print one line that names the port and exit with \
         `ExitCode::FAILURE`: see how src/main.rs handles the error of `TcpListener::bind`.",
    );
}
