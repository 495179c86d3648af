//! Lesson 07 tests. They run against your exercise with
//! `cargo test -p lesson-07-cookies`, and against the reference with
//! `cargo test -p solution-07-cookies`.
//!
//! Most tests send requests straight into the app, with a cookie jar that
//! behaves like a browser's: what the app sets comes back on the next
//! request, and what it expires is forgotten. Some call one function of the
//! lesson directly (`long_lived`, `removal`, `remembered_name`, `visits`).
//! The last tests run the server binary, to check how it starts (and
//! refuses to).
//!
//! The rules of notes/07-cookies.md, and the tests that guard each:
//!
//! | rule (notes section) | TODO | tests |
//! |---|---|---|
//! | `HttpOnly`: page scripts cannot read our cookies (§The attributes) | 1 | `cookies_are_hidden_from_page_scripts`, `visits_cannot_be_read_or_changed_by_the_visitor` |
//! | `SameSite=Lax`: not sent with a cross-site form post, still sent when following a link (§The attributes) | 1 | `cookies_stay_out_of_cross_site_posts_but_follow_links` |
//! | `Secure` follows the config, never hard-wired (§4) | 1 | `cookies_are_secure_when_the_config_says_so`, `secure_can_be_left_out_for_plain_http` |
//! | `Path=/`: every page of the site gets the cookie (§The attributes) | 1 | `cookies_reach_every_page_of_the_site` |
//! | `Max-Age` of 30 days, in seconds; no session cookie (§The attributes, §4) | 1 | `cookies_outlive_the_browser_session` |
//! | no `Domain`: the cookie stays on this host (§The attributes) | 1 | `cookies_stay_on_this_host` |
//! | no cookie is a first visit, never an error; an empty name is no name (§2) | 2 | `the_name_is_read_from_the_request_cookie`, `first_visit_asks_for_a_name` |
//! | what comes out of a cookie is shown escaped (§A cookie is user input, §9) | 2 | `html_in_a_forged_name_cookie_is_shown_as_text` |
//! | a changed jar sets nothing unless it is returned (§3) | 3 | `remember_sets_the_name_cookie_with_safe_attributes` |
//! | after a form, `303 See Other`: a reload does not post again (§3) | 3 | `remember_sets_the_name_cookie_with_safe_attributes` |
//! | values are percent-encoded: a name cannot add an attribute (§4) | 3 | `the_name_is_trimmed_and_survives_any_character` |
//! | a count that is not a number is no count, never a panic (§8) | 4a | `the_visit_count_is_the_number_in_the_cookie_or_zero` |
//! | never trust a plain cookie: the visitor can neither read nor change the count (§A cookie is user input, §6) | 4b | `visits_cannot_be_read_or_changed_by_the_visitor` |
//! | a count the server cannot trust counts as absent, never a 500 (§8) | 4b | `a_count_the_server_cannot_trust_counts_as_absent` |
//! | a removal repeats the path the cookie was set with (§Deleting a cookie, §5) | 5, 6 | `a_removal_names_the_path_the_cookie_was_set_with`, `forget_expires_both_cookies_on_the_same_path` |
//! | forgetting deletes `visits` even when the key cannot read it (§5, §6) | 6 | `forget_deletes_a_visits_cookie_the_key_cannot_read` |
//! | the key comes from the environment; a bad key stops the start, in one line (§7) | given | `the_key_is_64_bytes_or_more_in_base64`, `the_server_refuses_to_start_without_a_good_key`, `the_server_refuses_a_bad_cookie_secure_value` |
//! | a page that cannot be rendered is a 500 whose details stay in the log | given | `a_page_that_cannot_be_rendered_is_a_500_without_details` |

use std::collections::HashMap;

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::IntoResponse;
use axum_extra::extract::cookie::{Cookie, CookieJar, Key, PrivateCookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use test_support::{
    ServerProcess, TestClient, TestResponse, assert_taken_port_is_refused, explain_panic,
    without_panic,
};

use crate::subject::config::{ConfigError, key_from_base64};
use crate::subject::cookies::{long_lived, removal, visits};
use crate::subject::pages::Pages;
use crate::subject::routes::remembered_name;
use crate::subject::{CookieConfig, app};

/// Thirty days, in seconds: how long both cookies are kept.
const THIRTY_DAYS: i64 = 30 * 24 * 60 * 60;

/// The app under test, and the key it encrypts private cookies with (so a
/// test can check what is inside them).
struct Site {
    browser: TestClient,
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
        browser: TestClient::new(app(config)),
        key,
    }
}

impl Site {
    /// `POST /remember` with `name` in the form's `name` field, as the
    /// page's form sends it.
    async fn remember(&self, name: &str) -> TestResponse {
        self.browser.post_form("/remember", &[("name", name)]).await
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

/// Every `Set-Cookie` header of a response, for failure messages.
fn set_cookie_headers(response: &TestResponse) -> String {
    let headers: Vec<&str> = response
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    if headers.is_empty() {
        "(no Set-Cookie header)".to_owned()
    } else {
        headers.join("\n")
    }
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

/// Request headers with this `Cookie` header, as a browser sends them.
fn cookie_header(cookies: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(cookies).unwrap());
    headers
}

/// The cookie `long_lived` makes for a `theme=dark` cookie.
fn long_lived_theme(secure: bool) -> Cookie<'static> {
    long_lived("theme", "dark".to_owned(), secure)
}

/// Checks the attributes every cookie of this lesson carries. `made_by`
/// says where the cookie comes from, and so which TODO to look at.
#[track_caller]
fn assert_long_lived(cookie: &Cookie, secure: bool, made_by: &str) {
    let name = cookie.name();
    let wire = cookie.to_string();
    assert_eq!(
        cookie.http_only(),
        Some(true),
        "\n{made_by}: cookie `{name}` came as `{wire}`, without `HttpOnly`.\n\
         Rule (notes §\"The attributes\"): page scripts must not be able to read our cookies.\n"
    );
    assert_eq!(
        cookie.same_site(),
        Some(SameSite::Lax),
        "\n{made_by}: cookie `{name}` came as `{wire}`; expected `SameSite=Lax`.\n\
         Rule (notes §\"The attributes\"): not sent with another site's form posts, still sent \
         when following a link.\n"
    );
    assert_eq!(
        cookie.path(),
        Some("/"),
        "\n{made_by}: cookie `{name}` came as `{wire}`; expected `Path=/`.\n\
         Rule (notes §\"The attributes\"): every page of the site gets it.\n"
    );
    assert_eq!(
        cookie.max_age().map(|age| age.whole_seconds()),
        Some(THIRTY_DAYS),
        "\n{made_by}: cookie `{name}` came as `{wire}`; expected `Max-Age={THIRTY_DAYS}` \
         (30 days, in seconds).\nRule (notes §4): kept for `REMEMBER_FOR`.\n"
    );
    assert_eq!(
        cookie.secure().unwrap_or(false),
        secure,
        "\n{made_by}: cookie `{name}` came as `{wire}` with the config's `secure` = {secure}.\n\
         Rule (notes §4): `Secure` follows the config.\n"
    );
    assert_eq!(
        cookie.domain(),
        None,
        "\n{made_by}: cookie `{name}` came as `{wire}`; expected no `Domain`.\n\
         Rule (notes §\"The attributes\"): the cookie stays on this exact host.\n"
    );
}

/// `GET /` with this `Cookie` header, sent to an app with `key`. A handler
/// that panics fails the test with `what_was_expected` (a `todo!()` panic is
/// passed on as it is, so it names its own TODO).
async fn get_home_with_cookies(
    key: &Key,
    cookies: String,
    what_was_expected: &str,
) -> TestResponse {
    let config = CookieConfig {
        key: key.clone(),
        secure: true,
    };
    let request = Request::get("/")
        .header(COOKIE, cookies)
        .body(String::new())
        .unwrap();
    let answer =
        tokio::spawn(async move { TestClient::new(app(config)).send(request).await }).await;
    answer.unwrap_or_else(|err| explain_panic(err.into_panic(), what_was_expected))
}

// ---- TODO 1: the attributes, on `long_lived` itself ----

#[test]
fn cookies_are_hidden_from_page_scripts() {
    let cookie = long_lived_theme(true);

    assert_eq!(
        cookie.http_only(),
        Some(true),
        "\nTODO 1: `long_lived(\"theme\", \"dark\", true)` made `{cookie}`.\n\
         Rule (notes §\"The attributes, and what each one is for\"): a script injected into a \
         page must not be able to read our cookies (`document.cookie`). Expected the \
         attribute `HttpOnly`.\n"
    );
}

#[test]
fn cookies_stay_out_of_cross_site_posts_but_follow_links() {
    let cookie = long_lived_theme(true);

    let why = match cookie.same_site() {
        Some(SameSite::Lax) => return,
        Some(SameSite::Strict) => {
            "`Strict` also leaves it out when a visitor follows a link to us from another site: \
             they would arrive as a stranger."
        }
        Some(SameSite::None) => {
            "`None` sends it with every request, even a form on evil.example posting here."
        }
        None => {
            "Without `SameSite`, old browsers send it with a form on evil.example posting here."
        }
    };
    panic!(
        "\nTODO 1: `long_lived(\"theme\", \"dark\", true)` made `{cookie}`.\n\
         Rule (notes §\"The attributes, and what each one is for\"): the cookie must stay out \
         of requests another site starts (a form posting here), yet come with a visitor who \
         follows a link to us. {why}\nExpected `SameSite=Lax`.\n"
    );
}

#[test]
fn cookies_are_secure_when_the_config_says_so() {
    for secure in [true, false] {
        let cookie = long_lived_theme(secure);

        assert_eq!(
            cookie.secure().unwrap_or(false),
            secure,
            "\nTODO 1: `long_lived(\"theme\", \"dark\", {secure})` made `{cookie}`.\n\
             Rule (notes §4, \"`Secure` and plain `http://`\"): the `secure` argument (the \
             config, `COOKIE_SECURE`) decides whether the cookie is `Secure`; never decide it \
             in the code. Expected `Secure` to be {}.\n",
            if secure { "there" } else { "absent" }
        );
    }
}

#[test]
fn cookies_reach_every_page_of_the_site() {
    let cookie = long_lived_theme(true);

    assert_eq!(
        cookie.path(),
        Some("/"),
        "\nTODO 1: `long_lived(\"theme\", \"dark\", true)` made `{cookie}`.\n\
         Rule (notes §\"The attributes, and what each one is for\"): every path of the site \
         gets the cookie. Without a path, the browser picks the folder of the URL that set \
         it (`/account/login` gives `/account`), and other pages never see it. Expected \
         `Path=/`.\n"
    );
}

#[test]
fn cookies_outlive_the_browser_session() {
    let cookie = long_lived_theme(true);

    assert_eq!(
        cookie.max_age().map(|age| age.whole_seconds()),
        Some(THIRTY_DAYS),
        "\nTODO 1: `long_lived(\"theme\", \"dark\", true)` made `{cookie}`.\n\
         Rule (notes §\"The attributes, and what each one is for\" and §4): the browser keeps \
         our cookies for `REMEMBER_FOR`, 30 days, even after it closes; without `Max-Age` the \
         cookie dies with the session. Expected `Max-Age={THIRTY_DAYS}` (seconds, not \
         milliseconds as Express's `maxAge`).\n"
    );
}

#[test]
fn cookies_stay_on_this_host() {
    let cookie = long_lived_theme(true);

    assert_eq!(
        (cookie.name(), cookie.value(), cookie.domain()),
        ("theme", "dark", None),
        "\nTODO 1: `long_lived(\"theme\", \"dark\", true)` made `{cookie}`.\n\
         Expected the cookie `theme=dark` with no `Domain`: rule (notes §\"The attributes, and \
         what each one is for\"), without `Domain` the cookie stays on this exact host.\n"
    );
}

// ---- TODO 2: reading the `name` cookie ----

#[test]
fn the_name_is_read_from_the_request_cookie() {
    for (sent, expected) in [
        ("name=Ada", Some("Ada")),
        ("theme=dark; name=Ada%20Lovelace", Some("Ada Lovelace")),
        ("theme=dark", None),
        ("name=", None),
    ] {
        let jar = CookieJar::from_headers(&cookie_header(sent));

        let name = without_panic(
            || remembered_name(&jar),
            &format!(
                "TODO 2: `remembered_name` with the request header `Cookie: {sent}` should give \
                 {expected:?}. A missing cookie is a first visit (notes §2), not an error."
            ),
        );

        assert_eq!(
            name.as_deref(),
            expected,
            "\nTODO 2: `remembered_name` with the request header `Cookie: {sent}`.\n\
             Expected {expected:?}: the value of the `name` cookie, percent-decoded; `None` when \
             there is no `name` cookie, or an empty one (notes §2).\n"
        );
    }
}

#[tokio::test]
async fn first_visit_asks_for_a_name() {
    let site = spawn_app();

    let response = site.browser.get("/").await;

    response.assert_status(StatusCode::OK, "`GET /` should show the home page.");
    response.assert_header(
        "content-type",
        "text/html; charset=utf-8",
        "pages are HTML (given code in src/routes.rs)",
    );
    let page = response.text();
    assert!(
        page.contains("action=\"/remember\"") && page.contains("name=\"name\""),
        "\nTODO 2: `GET /` without cookies should show the form that posts `name` to \
         /remember (a first visit, notes §2). Got:\n{page}\n"
    );
    assert!(
        set_cookie(&response, "name").is_none(),
        "\nTODO 2: `GET /` set the `name` cookie: {}\nOnly `POST /remember` sets it.\n",
        set_cookie_headers(&response)
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
        "\nTODO 2: sent `Cookie: name=<script>alert(1)</script>` to `GET /`; the script came \
         back as HTML.\nRule (notes §\"A cookie is user input\", §9): what comes out of a cookie \
         is shown escaped, never pasted into the page. Got:\n{page}\n"
    );
    assert!(
        page.contains("Welcome back, &lt;script&gt;alert(1)&lt;&#x2f;script&gt;!"),
        "\nTODO 2: sent `Cookie: name=<script>alert(1)</script>` to `GET /`; expected the \
         escaped name in the greeting. Got:\n{page}\n"
    );
}

// ---- TODO 3: setting the `name` cookie ----

#[tokio::test]
async fn remember_sets_the_name_cookie_with_safe_attributes() {
    let site = spawn_app();

    let response = site.remember("Ada").await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "TODO 3: after the form, the browser goes home with `303 See Other`. Rule (notes §3): \
         the browser follows a 303 with a GET, so reloading the page does not post the form \
         again; 307 and 308 would repeat the POST, 200 would leave the form's URL in the \
         address bar.",
    );
    response.assert_header(
        "location",
        "/",
        "TODO 3: the redirect after `POST /remember` goes to the home page, `/`.",
    );
    let cookie = set_cookie(&response, "name").unwrap_or_else(|| {
        panic!(
            "\nTODO 3: sent `POST /remember` with `name=Ada`; the answer set no `name` cookie: {}\n\
             Rule (notes §3): a jar that was changed sets nothing unless the handler returns it.\n",
            set_cookie_headers(&response)
        )
    });
    assert_eq!(
        cookie.value(),
        "Ada",
        "\nTODO 3: the `name` cookie should hold the name typed in the form.\n"
    );
    assert_long_lived(
        &cookie,
        true,
        "TODO 3 (`POST /remember`, with the cookie of TODO 1)",
    );
}

#[tokio::test]
async fn the_name_comes_back_on_the_next_request() {
    let site = spawn_app();
    site.remember("Ada").await;

    let response = site.browser.get("/").await;

    response.assert_status(StatusCode::OK, "`GET /` should show the home page.");
    let page = response.text();
    let sent = site.browser.cookie("name");
    assert!(
        sent.is_some(),
        "\nTODO 3: after `POST /remember` with `name=Ada`, the browser holds no `name` cookie, \
         so `GET /` cannot greet Ada (see the test `remember_sets_the_name_cookie_with_safe_attributes`).\n"
    );
    assert!(
        page.contains("Welcome back, Ada!"),
        "\nTODO 2: after `POST /remember` with `name=Ada`, the browser sent `Cookie: name={}` \
         to `GET /`; expected the greeting \"Welcome back, Ada!\". Got:\n{page}\n",
        sent.unwrap_or_default()
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

    let response = site.remember(typed).await;

    let cookie = set_cookie(&response, "name").unwrap_or_else(|| {
        panic!(
            "\nTODO 3: sent `POST /remember` with name={typed:?}; no `name` cookie came back: {}\n",
            set_cookie_headers(&response)
        )
    });
    assert_eq!(
        cookie.value(),
        "Ada Lovelace; Max-Age=0, née Byron",
        "\nTODO 3: sent name={typed:?}; the cookie should hold the trimmed name, every \
         character kept. Rule (notes §4): values are percent-encoded, so a `;` cannot add an \
         attribute.\nSet-Cookie: {}\n",
        set_cookie_headers(&response)
    );
    assert_long_lived(
        &cookie,
        true,
        "TODO 3 (`POST /remember`, with the cookie of TODO 1)",
    );
    let page = site.browser.get("/").await.text();
    assert!(
        page.contains("Welcome back, Ada Lovelace; Max-Age=0, née Byron!"),
        "\nTODO 2: the greeting shows the name exactly as typed (trimmed), got:\n{page}\n"
    );
}

#[tokio::test]
async fn blank_or_too_long_names_get_the_form_again() {
    let site = spawn_app();
    let too_long = "a".repeat(101);

    for (typed, problem) in [("   ", "Please type your name"), (&too_long, "too long")] {
        let response = site.remember(typed).await;

        response.assert_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a blank name, or one over 100 characters, is refused with 422 (given code)",
        );
        response
            .assert_body_contains(problem, "the form says what is wrong")
            .assert_body_contains("action=\"/remember\"", "the form comes back");
        assert!(
            set_cookie(&response, "name").is_none(),
            "a refused name must not set the cookie"
        );
    }

    let longest = "a".repeat(100);
    let response = site.remember(&longest).await;
    response.assert_status(
        StatusCode::SEE_OTHER,
        "TODO 3: a name of 100 characters is still fine",
    );
}

#[tokio::test]
async fn a_post_without_the_form_is_refused() {
    let site = spawn_app();

    let without_field = site
        .browser
        .post_form("/remember", &[("nickname", "Ada")])
        .await;
    let as_json = site
        .browser
        .post_json("/remember", &HashMap::from([("name", "Ada")]))
        .await;

    without_field.assert_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        "a form without a `name` field is refused (given code)",
    );
    as_json.assert_status(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "the page takes an HTML form, not JSON (given code)",
    );
    for response in [without_field, as_json] {
        assert!(
            set_cookie(&response, "name").is_none(),
            "nothing is remembered"
        );
        response.assert_body_contains("action=\"/remember\"", "the form comes back");
    }
}

// ---- TODO 4a and 4b: the count, and where it is kept ----

#[test]
fn the_visit_count_is_the_number_in_the_cookie_or_zero() {
    let cases = [
        ("no `visits` cookie", None, 0),
        ("7", Some("7"), 7),
        ("\"lots\"", Some("lots"), 0),
        ("-3", Some("-3"), 0),
        ("nothing", Some(""), 0),
    ];
    for (what, value, expected) in cases {
        let cookie = value.map(|value| Cookie::new("visits", value));

        let count = without_panic(
            || visits(cookie.as_ref()),
            &format!(
                "TODO 4a: `visits` with a `visits` cookie holding {what} should give {expected}.\n\
                 Rule (notes §8): a count that is not a number counts as no count; it is \
                 never a panic nor an error page."
            ),
        );

        assert_eq!(
            count, expected,
            "\nTODO 4a: `visits` with a `visits` cookie holding {what}.\n\
             Expected {expected}: the number in the cookie; 0 when there is none (notes §8).\n"
        );
    }
}

#[tokio::test]
async fn visits_cannot_be_read_or_changed_by_the_visitor() {
    let site = spawn_app();

    let mut response = site.browser.get("/").await;
    for _ in 0..2 {
        response = site.browser.get("/").await;
    }

    let cookie = set_cookie(&response, "visits").unwrap_or_else(|| {
        panic!(
            "\nTODO 4b: after three `GET /`, the answer set no `visits` cookie: the jar that \
             keeps the count goes back to the browser with the page (notes §3).\n{}\n",
            set_cookie_headers(&response)
        )
    });
    let count = visits_set_by(&response, &site.key);
    if count.is_none() {
        let what = if cookie.value() == "3" {
            "That is the number itself: anyone can read it, and send another."
        } else if cookie.value().ends_with('3') {
            "A signature comes first, so nobody changes it unnoticed; but the 3 at its end is \
             there for anyone to read."
        } else {
            "The app's key cannot open it."
        };
        panic!(
            "\nTODO 4b: after three visits, the `visits` cookie is `{cookie}`. {what}\nRule \
             (notes §\"A cookie is user input\", §6): the visitor can neither read nor change \
             the count. Which of the three jars gives both?\n"
        );
    }
    assert_eq!(
        count.as_deref(),
        Some("3"),
        "\nTODO 4a: after three `GET /`, the `visits` cookie should hold 3 \
         (`visits` reads 2, the page adds one). Set-Cookie: {}\n",
        set_cookie_headers(&response)
    );
    assert_eq!(
        visits_set_by(&response, &Key::generate()),
        None,
        "another key cannot open the private cookie"
    );
    assert_long_lived(&cookie, true, "TODO 1 (the `visits` cookie `home` makes)");
    response.assert_body_contains("Visit number 3", "TODO 4a: the page shows the count.");
}

#[tokio::test]
async fn a_count_the_server_cannot_trust_counts_as_absent() {
    let site = spawn_app();
    site.browser.get("/").await;
    let genuine = site
        .browser
        .cookie("visits")
        .expect("TODO 4b: the first `GET /` sets `visits`");
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
        (
            "holding no number, with the app's key",
            private_visits_cookie(&site.key, "lots"),
        ),
    ];
    for (how, value) in forgeries {
        let response = get_home_with_cookies(
            &site.key,
            format!("visits={value}"),
            &format!(
                "TODO 4b: sent `GET /` with a `visits` cookie {how}. Rule (notes §6, §8): a \
                 count the server cannot trust counts as absent; it is never an error page."
            ),
        )
        .await;

        response.assert_status(
            StatusCode::OK,
            &format!(
                "TODO 4b: sent `GET /` with a `visits` cookie {how}. Rule (notes §6, §8): a \
                 count the server cannot trust is not an error; it counts as absent."
            ),
        );
        let rule = "the visitor cannot have made a count this server trusts, so it counts as \
                    absent and the count starts again at 1 (notes §\"A cookie is user input\", \
                    §6, §8)";
        match visits_set_by(&response, &site.key) {
            Some(count) => assert_eq!(
                count, "1",
                "\nTODO 4b: sent `GET /` with a `visits` cookie {how}; the new count is {count}: \
                 {rule}.\n"
            ),
            None => panic!(
                "\nTODO 4b: sent `GET /` with a `visits` cookie {how}; the answer's `visits` \
                 cookie is not encrypted with the app's key: the visitor can read it (see the \
                 test `visits_cannot_be_read_or_changed_by_the_visitor`). Then: {rule}.\n"
            ),
        }
    }
}

// ---- TODO 5 and 6: deleting ----

#[test]
fn a_removal_names_the_path_the_cookie_was_set_with() {
    let cookie = removal("theme");

    assert_eq!(
        (cookie.name(), cookie.path(), cookie.domain()),
        ("theme", Some("/"), None),
        "\nTODO 5: `removal(\"theme\")` made `{cookie}`.\n\
         Rule (notes §\"Deleting a cookie\" and §5): the browser matches a removal by name, \
         path and domain. Our cookies are set with `Path=/` and no `Domain`; a removal for \
         another path is another cookie, and the original stays. Expected the name `theme` \
         and `Path=/`, no `Domain`.\n"
    );
}

/// `POST /forget` with these cookies, as the browser sends them.
async fn forget(site: &Site, cookies: &str) -> TestResponse {
    let request = Request::post("/forget")
        .header(COOKIE, cookies)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(String::new())
        .unwrap();
    site.browser.send(request).await
}

/// Checks that `response` deletes cookie `name` (on the path it was set with).
#[track_caller]
fn assert_deletes(response: &TestResponse, name: &str, sent: &str) {
    let cookie = set_cookie(response, name).unwrap_or_else(|| {
        panic!(
            "\nTODO 6: sent `POST /forget` with `Cookie: {sent}`; the answer does not delete \
             `{name}`. Its Set-Cookie headers:\n{}\n\
             Expected one that expires `{name}`: the browser keeps every cookie it is not told \
             to drop (notes §5; a changed jar sets nothing unless it is returned, §3).\n",
            set_cookie_headers(response)
        )
    });
    assert!(
        cookie.value().is_empty() && cookie.max_age().map(|age| age.whole_seconds()) == Some(0),
        "\nTODO 6: sent `POST /forget` with `Cookie: {sent}`; got `{cookie}`.\n\
         Expected an empty `{name}` with `Max-Age=0`: that is how a browser is told to delete \
         it now (notes §\"Deleting a cookie\").\n"
    );
    assert_eq!(
        cookie.path(),
        Some("/"),
        "\nTODO 6: sent `POST /forget` with `Cookie: {sent}`; got `{cookie}`.\n\
         Rule (notes §\"Deleting a cookie\", §5): the removal names the path `{name}` was set \
         with (`/`), or the browser keeps the original. Pass `jar.remove` what `removal` \
         (TODO 5) describes.\n"
    );
}

#[tokio::test]
async fn forget_expires_both_cookies_on_the_same_path() {
    let site = spawn_app();
    site.remember("Ada").await;
    site.browser.get("/").await;
    let sent = format!(
        "name={}; visits={}",
        site.browser.cookie("name").unwrap_or_default(),
        site.browser.cookie("visits").unwrap_or_default()
    );

    let response = forget(&site, &sent).await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "TODO 6: `POST /forget` sends the browser home with `303 See Other`, as `POST \
         /remember` does (notes §3): a reload must not post again.",
    );
    response.assert_header(
        "location",
        "/",
        "TODO 6: the redirect after `POST /forget` goes to the home page, `/`.",
    );
    for name in ["name", "visits"] {
        assert_deletes(&response, name, &sent);
    }
    let page = site.browser.get("/").await.text();
    assert!(
        page.contains("action=\"/remember\"") && !page.contains("Welcome back"),
        "\nTODO 6: after forgetting, the home page asks for a name again, got:\n{page}\n"
    );
}

#[tokio::test]
async fn forget_deletes_a_visits_cookie_the_key_cannot_read() {
    let site = spawn_app();
    // A cookie from before the key changed, or one a visitor tampered with.
    let sent = format!(
        "name=Ada; visits={}",
        private_visits_cookie(&Key::generate(), "12")
    );

    let response = forget(&site, &sent).await;

    assert!(
        set_cookie(&response, "visits").is_some(),
        "\nTODO 6: sent `POST /forget` with `name=Ada` and a `visits` cookie made with another \
         key (an old key, or a tampered cookie). The answer does not delete `visits`:\n{}\n\
         Rule (notes §5, \"Two details\"): forgetting deletes every cookie of ours, even one \
         this key cannot read. Which jar holds a cookie it cannot decrypt? (notes §6)\n",
        set_cookie_headers(&response)
    );
    for name in ["name", "visits"] {
        assert_deletes(&response, name, &sent);
    }
}

#[tokio::test]
async fn secure_can_be_left_out_for_plain_http() {
    let config = CookieConfig {
        key: Key::generate(),
        secure: false,
    };
    let browser = TestClient::new(app(config));

    let response = browser.post_form("/remember", &[("name", "Ada")]).await;

    let cookie = set_cookie(&response, "name").unwrap_or_else(|| {
        panic!(
            "\nTODO 3: sent `POST /remember` with `name=Ada`; no `name` cookie came back: {}\n",
            set_cookie_headers(&response)
        )
    });
    assert_long_lived(
        &cookie,
        false,
        "TODO 3 (`POST /remember` with COOKIE_SECURE=false, with the cookie of TODO 1)",
    );
}

// ---- Given code: pages, the key, the server ----

#[tokio::test]
async fn unknown_paths_get_a_404_page() {
    let site = spawn_app();

    let response = site.browser.get("/no-such-page").await;

    response
        .assert_status(StatusCode::NOT_FOUND, "unknown paths answer 404")
        .assert_body_contains("404", "with a page that says so");
}

#[tokio::test]
async fn a_page_that_cannot_be_rendered_is_a_500_without_details() {
    let error = Pages::new()
        .render("no-such-template.html", minijinja::context! {})
        .expect_err("rendering a template that does not exist fails");

    let page =
        TestResponse::read("a page with no template".to_owned(), error.into_response()).await;

    page.assert_error_page_hides(
        "no-such-template",
        "Given code: `PageError` in src/pages.rs.",
    );
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
        ServerProcess::command(env!("CARGO_PKG_NAME"))
            .env("COOKIE_KEY", key)
            .assert_refuses_to_start(
                &[says],
                &format!(
                    "Without a good COOKIE_KEY (here {key:?}) the server must exit with an error \
                 code and one line saying {says:?} (notes §7): src/main.rs prints the \
                 `ConfigError` that `CookieConfig::from_env()` returns."
                ),
            );
    }
}

#[test]
fn the_server_refuses_a_bad_cookie_secure_value() {
    let key = random_key_base64();

    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .envs(&[("COOKIE_KEY", &key), ("COOKIE_SECURE", "yes")])
        .assert_refuses_to_start(
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
    let browser = TestClient::at(server.url());

    browser
        .post_form("/remember", &[("name", "Grace")])
        .await
        .assert_status(StatusCode::SEE_OTHER, "the running server remembers names");
    let page = browser.get("/").await.text();

    assert!(page.contains("Welcome back, Grace!"), "got:\n{page}");
}

#[cfg(unix)]
#[test]
fn sigterm_answers_the_request_in_flight_then_exits_cleanly() {
    let key = random_key_base64();
    ServerProcess::start(env!("CARGO_PKG_NAME"), &[("COOKIE_KEY", &key)])
        .assert_graceful_shutdown("/");
}

#[test]
fn a_taken_port_gives_a_one_line_error() {
    let key = random_key_base64();

    assert_taken_port_is_refused(
        env!("CARGO_PKG_NAME"),
        &[("COOKIE_KEY", &key)],
        "given code",
    );
}
