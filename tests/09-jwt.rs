//! Lesson 09 tests. They run against your exercise with
//! `cargo test -p lesson-09-jwt`, and against the reference with
//! `cargo test -p solution-09-jwt`.
//!
//! Each test gets a fresh MongoDB database (see `tests/mongodb`), builds the
//! app in memory with `app(db, config)` and talks to it through clients that
//! keep cookies like a browser. Every refused request is also checked to
//! have left the database exactly as it was.

use std::time::Duration;

use axum::Router;
use axum::http::header::AUTHORIZATION;
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::TryStreamExt;
use futures::future::join_all;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use mongodb::bson::{Document, doc};
use serde_json::{Value, json};
use test_mongodb::TestDatabase;
use test_support::{ServerProcess, TestApp, TestResponse};

use crate::subject;
use crate::subject::{AuthConfig, JwtSecret};

/// The secret the app under test signs with (tests only, of course).
const SECRET: &str = "lesson 09 secret for the tests only, 32 bytes or more";
/// A password that passes the strength rules.
const PASSWORD: &str = "correct horse battery staple";

/// The app under test, its database, and a way to open browsers on it.
struct TestContext {
    router: Router,
    db: TestDatabase,
}

impl TestContext {
    /// A new client with an empty cookie jar, like a fresh private window.
    fn client(&self) -> TestApp {
        TestApp::new(self.router.clone())
    }
}

/// argon2id at its lowest cost: 8 KiB and one pass. Far too weak for real
/// passwords, fine for throwaway test accounts: the tests create dozens of
/// users and should not spend seconds hashing. A stored hash records its own
/// cost, so the checks are the same as in production; the production cost
/// itself is checked by `production_settings_follow_owasp` and by the
/// server-binary test.
fn fast_password_params() -> argon2::Params {
    argon2::Params::new(argon2::Params::MIN_M_COST, 1, 1, None).expect("valid argon2 parameters")
}

fn test_config() -> AuthConfig {
    let secret = JwtSecret::new(SECRET).expect("the test secret is long enough");
    AuthConfig {
        password_params: fast_password_params(),
        ..AuthConfig::new(secret)
    }
}

async fn spawn_app() -> TestContext {
    let db = TestDatabase::new().await;
    subject::prepare(&db)
        .await
        .expect("`prepare` should create the unique index on the users' `email`");
    let router = subject::app(db.database(), test_config());
    TestContext { router, db }
}

async fn register(client: &TestApp, email: &str, password: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    client.post_json("/register", &body).await
}

async fn log_in(client: &TestApp, email: &str, password: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    client.post_json("/login", &body).await
}

/// Signs `email` up and logs the client in; returns the user's id.
async fn signed_up(client: &TestApp, email: &str) -> String {
    register(client, email, PASSWORD).await.assert_status(
        StatusCode::CREATED,
        "POST /register should create the user.",
    );
    let response = log_in(client, email, PASSWORD).await;
    response.assert_status(
        StatusCode::OK,
        "POST /login with the right password is 200.",
    );
    assert!(
        client.cookie("token").is_some(),
        "POST /login should set the `token` cookie"
    );
    string_field(&response, "id")
}

/// Creates a message as the client's user; returns its id.
async fn created_message(client: &TestApp, name: &str) -> String {
    let body = json!({ "name": name, "email": "visitor@example.com" });
    let response = client.post_json("/messages", &body).await;
    response.assert_status(StatusCode::CREATED, "POST /messages, logged in, is 201.");
    string_field(&response, "id")
}

#[track_caller]
fn string_field(response: &TestResponse, field: &str) -> String {
    let body: Value = response.json();
    body[field].as_str().map(str::to_owned).unwrap_or_else(|| {
        panic!(
            "{}: expected a string field `{field}`, got {body}",
            response.request
        )
    })
}

/// Checks an error answer: status, and the course's JSON error shape.
#[track_caller]
fn assert_error(response: &TestResponse, status: StatusCode, code: &str, what_to_fix: &str) {
    response.assert_status(status, what_to_fix);
    response.assert_header(
        "content-type",
        "application/json",
        "errors are JSON too: return an `ApiError`, never a plain string",
    );
    let body: Value = response.json();
    assert_eq!(
        body["error"]["code"], code,
        "{}: errors look like {{\"error\": {{\"code\": \"{code}\", \"message\": …}}}}, got {body}",
        response.request
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "{}: an error says what went wrong in `message`, got {body}",
        response.request
    );
}

/// Everything stored, to compare before and after a refused request.
async fn stored(db: &TestDatabase) -> Vec<Document> {
    let mut everything = Vec::new();
    for name in ["users", "messages"] {
        let documents: Vec<Document> = db
            .collection::<Document>(name)
            .find(doc! {})
            .sort(doc! { "_id": 1 })
            .await
            .expect("read the collection")
            .try_collect()
            .await
            .expect("read the documents");
        everything.push(doc! { "collection": name, "documents": documents });
    }
    everything
}

async fn user_count(db: &TestDatabase) -> u64 {
    db.collection::<Document>("users")
        .count_documents(doc! {})
        .await
        .expect("count the users")
}

/// Checks that the database holds exactly what [`stored`] read `before` the
/// request: a refused request must leave no trace.
#[track_caller]
fn assert_database_unchanged(now: &[Document], before: &[Document]) {
    assert_eq!(now, before, "the database is unchanged");
}

async fn stored_user(db: &TestDatabase, email: &str) -> Document {
    db.collection::<Document>("users")
        .find_one(doc! { "email": email })
        .await
        .expect("query the users")
        .unwrap_or_else(|| panic!("no user with email {email:?} is stored"))
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// A token with these claims, signed with `secret` and `algorithm`.
fn token_signed(claims: &Value, secret: &str, algorithm: Algorithm) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key).expect("sign a test token")
}

/// Valid claims for `user_id`, as the app itself would issue them.
fn claims_for(user_id: &str) -> Value {
    json!({ "sub": user_id, "iat": now(), "exp": now() + 3600 })
}

fn base64url(json: &Value) -> String {
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// `GET /me` with exactly this cookie (or none), from a fresh client.
async fn me_with_token(context: &TestContext, token: &str) -> TestResponse {
    let client = context.client();
    client.set_cookie("token", token);
    client.get("/me").await
}

// ---------------------------------------------------------------------------
// The whole flow
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_whole_flow_works_from_sign_up_to_log_out() {
    let context = spawn_app().await;
    let ada = context.client();

    let response = register(&ada, "ada@example.com", PASSWORD).await;
    response.assert_status(StatusCode::CREATED, "POST /register creates the user: 201.");
    let body: Value = response.json();
    assert_eq!(body["email"], "ada@example.com");
    assert!(
        body.get("password").is_none() && body.get("password_hash").is_none(),
        "the answer to /register shows the id and the email only, got {body}"
    );

    let response = log_in(&ada, "ada@example.com", PASSWORD).await;
    response.assert_status(
        StatusCode::OK,
        "POST /login with the right password is 200.",
    );
    let ada_id = string_field(&response, "id");
    assert!(
        ada.cookie("token").is_some(),
        "log-in sets the `token` cookie"
    );

    let response = ada.get("/me").await;
    response.assert_status(StatusCode::OK, "GET /me with the cookie is 200.");
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": ada_id, "email": "ada@example.com" }),
        "GET /me answers who the token says you are"
    );

    let message_id = created_message(&ada, "Ada").await;
    let response = ada
        .put_json(
            &format!("/messages/{message_id}"),
            &json!({ "name": "Ada Lovelace", "email": "ada@example.com" }),
        )
        .await;
    response.assert_status(StatusCode::OK, "The owner may replace their message.");
    assert_eq!(string_field(&response, "name"), "Ada Lovelace");
    let stored_message = context
        .db
        .collection::<Document>("messages")
        .find_one(doc! { "name": "Ada Lovelace" })
        .await
        .expect("query the messages");
    assert!(stored_message.is_some(), "the PUT is stored in MongoDB");

    let bob = context.client();
    signed_up(&bob, "bob@example.com").await;
    let bobs_message = created_message(&bob, "Bob").await;
    let before = stored(&context.db).await;

    let response = ada
        .put_json(
            &format!("/messages/{bobs_message}"),
            &json!({ "name": "Ada was here", "email": "ada@example.com" }),
        )
        .await;
    assert_error(
        &response,
        StatusCode::FORBIDDEN,
        "forbidden",
        "Replacing someone else's message is 403: compare the message's owner_id with the user's id.",
    );
    assert_eq!(
        stored(&context.db).await,
        before,
        "a refused PUT changes nothing"
    );

    let response = ada.post_json("/logout", &json!({})).await;
    response.assert_status(StatusCode::NO_CONTENT, "POST /logout is 204.");
    assert_eq!(ada.cookie("token"), None, "log-out deletes the cookie");

    let response = ada.get("/me").await;
    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "After log-out, GET /me is 401.",
    );
    assert_eq!(stored(&context.db).await, before);
}

// ---------------------------------------------------------------------------
// Signing up
// ---------------------------------------------------------------------------

#[tokio::test]
async fn sign_up_stores_an_argon2id_hash_and_never_the_password() {
    let context = spawn_app().await;

    register(&context.client(), "  Ada@Example.COM ", PASSWORD)
        .await
        .assert_status(StatusCode::CREATED, "POST /register creates the user.");

    let user = stored_user(&context.db, "ada@example.com").await;
    let hash = user.get_str("password_hash").unwrap_or_else(|_| {
        panic!("the user document should have a `password_hash` string, got {user}")
    });
    assert!(
        hash.starts_with("$argon2id$v=19$"),
        "store the argon2id PHC string (`$argon2id$v=19$m=…`), got {hash:?}"
    );
    assert!(
        hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"),
        "hash with the cost in the config (`params`, here the tests' light one), \
         not with argon2's defaults, got {hash:?}"
    );
    assert!(
        !user.to_string().contains(PASSWORD),
        "the stored user must never hold the password itself: {user}"
    );
    assert!(
        user.get("password").is_none(),
        "no `password` field in the stored user"
    );
}

#[tokio::test]
async fn the_same_password_gets_a_different_hash_for_each_user() {
    let context = spawn_app().await;
    let client = context.client();

    register(&client, "ada@example.com", PASSWORD).await;
    register(&client, "bob@example.com", PASSWORD).await;

    let ada = stored_user(&context.db, "ada@example.com").await;
    let bob = stored_user(&context.db, "bob@example.com").await;
    assert_ne!(
        ada.get_str("password_hash").unwrap(),
        bob.get_str("password_hash").unwrap(),
        "each hash has its own random salt, so equal passwords give different hashes"
    );
}

#[tokio::test]
async fn sign_up_with_a_taken_email_is_409_whatever_its_case() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD).await;
    let before = stored(&context.db).await;

    for email in ["ada@example.com", " ADA@Example.com "] {
        let response = register(&client, email, "another long password").await;
        assert_error(
            &response,
            StatusCode::CONFLICT,
            "conflict",
            "An email that is taken (compared in lower case) is 409: insert, and map \
             MongoDB's duplicate-key error 11000 to a conflict.",
        );
    }
    assert_eq!(
        stored(&context.db).await,
        before,
        "a refused sign-up stores nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sign_ups_with_one_email_create_exactly_one_user() {
    let context = spawn_app().await;
    let client = context.client();
    let emails = [
        "grace@example.com",
        "Grace@example.com",
        "GRACE@EXAMPLE.COM",
        "grace@Example.com",
    ];

    let responses = join_all(
        emails
            .iter()
            .cycle()
            .take(8)
            .map(|email| register(&client, email, PASSWORD)),
    )
    .await;

    let created = responses
        .iter()
        .filter(|response| response.status == StatusCode::CREATED)
        .count();
    let conflicts = responses
        .iter()
        .filter(|response| response.status == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (created, conflicts),
        (1, 7),
        "8 sign-ups at once with one email: exactly one 201, seven 409. Rely on the unique \
         index (not on a lookup before the insert, which races), got {:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        user_count(&context.db).await,
        1,
        "exactly one user is stored"
    );
}

#[tokio::test]
async fn sign_up_rejects_a_bad_email_or_a_weak_password() {
    let context = spawn_app().await;
    let client = context.client();
    let too_long = "a".repeat(129);

    for (email, password, field) in [
        ("not-an-email", PASSWORD, "email"),
        ("ada@", PASSWORD, "email"),
        ("@example.com", PASSWORD, "email"),
        ("ada@example.com", "", "password"),
        ("ada@example.com", "short", "password"),
        ("ada@example.com", "7 chars", "password"),
        ("ada@example.com", too_long.as_str(), "password"),
        ("ada@example.com", "ADA@example.com", "password"),
    ] {
        let response = register(&client, email, password).await;
        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "A bad email or a password shorter than 8 characters (or longer than 128, or \
             equal to the email) is 422.",
        );
        assert_eq!(
            response.json::<Value>()["error"]["field"],
            field,
            "{}: say which field is at fault, for {email:?} / {password:?}",
            response.request
        );
    }
    assert_eq!(user_count(&context.db).await, 0, "no user is stored");
}

// ---------------------------------------------------------------------------
// Bad bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bodies_with_query_operators_are_rejected_before_any_query() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let attacker = context.client();
    let before = stored(&context.db).await;

    let injections = [
        json!({ "email": { "$ne": null }, "password": { "$ne": null } }),
        json!({ "email": "ada@example.com", "password": { "$gt": "" } }),
        json!({ "email": { "$regex": ".*" }, "password": PASSWORD }),
        json!({ "email": ["ada@example.com"], "password": PASSWORD }),
    ];
    for body in &injections {
        for path in ["/login", "/register"] {
            let response = attacker.post_json(path, body).await;
            assert_error(
                &response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "An object or array where a string belongs is 422: typed `String` fields \
                 reject `{\"$ne\": null}` before it can reach a query.",
            );
        }
    }
    assert_eq!(
        attacker.cookie("token"),
        None,
        "no injection logs anyone in"
    );

    let response = ada
        .put_json(
            &format!("/messages/{message_id}"),
            &json!({ "name": { "$set": "x" }, "email": "ada@example.com" }),
        )
        .await;
    assert_error(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "Operators in a message are 422 too.",
    );
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn malformed_json_is_400_everywhere() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let before = stored(&context.db).await;
    let message_path = format!("/messages/{message_id}");

    for (method, path) in [
        (Method::POST, "/register"),
        (Method::POST, "/login"),
        (Method::POST, "/messages"),
        (Method::PUT, message_path.as_str()),
    ] {
        let response = ada
            .send_raw(method, path, "application/json", r#"{"email": "ada@"#)
            .await;
        assert_error(
            &response,
            StatusCode::BAD_REQUEST,
            "bad_json",
            "Broken JSON is 400 `bad_json`.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn missing_fields_and_wrong_types_are_422() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let before = stored(&context.db).await;

    for (path, body) in [
        ("/register", json!({ "email": "bob@example.com" })),
        ("/register", json!({ "email": 42, "password": PASSWORD })),
        ("/login", json!({ "password": PASSWORD })),
        (
            "/login",
            json!({ "email": "ada@example.com", "password": 12345678 }),
        ),
        ("/messages", json!({ "name": "Ada" })),
        (
            "/messages",
            json!({ "name": 5, "email": "ada@example.com" }),
        ),
    ] {
        let response = ada.post_json(path, &body).await;
        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "A missing field or a wrong type is 422 `validation`.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let before = stored(&context.db).await;

    for path in ["/register", "/login", "/messages"] {
        let response = ada
            .send_raw(Method::POST, path, "text/plain", "email=ada@example.com")
            .await;
        assert_error(
            &response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "A body that is neither JSON nor a form is 415.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

// ---------------------------------------------------------------------------
// Logging in
// ---------------------------------------------------------------------------

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD).await;
    let before = stored(&context.db).await;

    let wrong_password = log_in(&client, "ada@example.com", "not the password").await;
    let unknown_user = log_in(&client, "nobody@example.com", PASSWORD).await;

    for response in [&wrong_password, &unknown_user] {
        assert_error(
            response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Wrong credentials are 401.",
        );
        assert!(
            response.set_cookie("token").is_none(),
            "a failed log-in sets no cookie"
        );
    }
    assert_eq!(
        wrong_password.text(),
        unknown_user.text(),
        "say the same thing for an unknown email and a wrong password, or anyone can find \
         out who has an account"
    );
    assert_eq!(client.cookie("token"), None);
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn log_in_accepts_the_email_in_any_case() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD).await;

    let response = log_in(&client, " ADA@example.com", PASSWORD).await;

    response.assert_status(
        StatusCode::OK,
        "Emails are stored in lower case: trim and lower-case the email before looking it up.",
    );
}

#[tokio::test]
async fn the_token_cookie_is_httponly_samesite_and_lasts_as_long_as_the_token() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD).await;

    let response = log_in(&client, "ada@example.com", PASSWORD).await;

    let cookie = response
        .set_cookie("token")
        .expect("POST /login should answer with `Set-Cookie: token=…`");
    assert_eq!(cookie.http_only(), Some(true), "the cookie is HttpOnly");
    assert_eq!(
        cookie.same_site(),
        Some(axum_extra::extract::cookie::SameSite::Lax),
        "the cookie is SameSite=Lax"
    );
    assert_eq!(cookie.secure(), Some(true), "the cookie is Secure");
    assert_eq!(cookie.path(), Some("/"), "the cookie is sent to every path");
    assert_eq!(
        cookie.max_age(),
        Some(time::Duration::hours(1)),
        "the cookie's Max-Age is the token's lifetime"
    );
    assert!(
        !response.text().contains(cookie.value()),
        "the token travels in the HttpOnly cookie only, never in the body where scripts see it"
    );

    let header = jsonwebtoken::decode_header(cookie.value()).expect("the cookie holds a JWT");
    assert_eq!(header.alg, Algorithm::HS256, "tokens are signed with HS256");
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    let claims = jsonwebtoken::decode::<Value>(
        cookie.value(),
        &DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .expect("the token is signed with the configured secret")
    .claims;
    assert_eq!(
        claims["sub"],
        string_field(&response, "id"),
        "`sub` is the user's id"
    );
    let iat = claims["iat"].as_u64().expect("an `iat` claim, in seconds");
    let exp = claims["exp"].as_u64().expect("an `exp` claim, in seconds");
    assert!(iat.abs_diff(now()) < 60, "`iat` is now");
    assert_eq!(exp - iat, 3600, "tokens last one hour");
}

#[tokio::test]
async fn cookie_secure_can_be_switched_off_for_plain_http() {
    let db = TestDatabase::new().await;
    subject::prepare(&db).await.expect("prepare the database");
    let config = AuthConfig {
        secure_cookies: false,
        ..test_config()
    };
    let client = TestApp::new(subject::app(db.database(), config));
    register(&client, "ada@example.com", PASSWORD).await;

    let response = log_in(&client, "ada@example.com", PASSWORD).await;

    let cookie = response.set_cookie("token").expect("a `token` cookie");
    assert_ne!(
        cookie.secure(),
        Some(true),
        "with `secure_cookies: false` (COOKIE_SECURE=false) the cookie is not Secure"
    );
    assert_eq!(cookie.http_only(), Some(true), "but it is still HttpOnly");
}

// ---------------------------------------------------------------------------
// Tokens that must not work
// ---------------------------------------------------------------------------

#[tokio::test]
async fn protected_routes_need_the_cookie() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let before = stored(&context.db).await;
    let stranger = context.client();
    let message_path = format!("/messages/{message_id}");
    let body = json!({ "name": "Stranger", "email": "stranger@example.com" });

    let responses = [
        stranger.get("/me").await,
        stranger.get("/messages").await,
        stranger.get(&message_path).await,
        stranger.post_json("/messages", &body).await,
        stranger.put_json(&message_path, &body).await,
        stranger.delete(&message_path).await,
    ];
    for response in &responses {
        assert_error(
            response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Without the `token` cookie, protected routes are 401: the middleware answers \
             before the handler runs.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn a_token_signed_with_another_secret_is_refused() {
    let context = spawn_app().await;
    let ada_id = signed_up(&context.client(), "ada@example.com").await;
    let before = stored(&context.db).await;
    let forged = token_signed(
        &claims_for(&ada_id),
        "someone else's secret, 32 bytes or more",
        Algorithm::HS256,
    );

    let client = context.client();
    client.set_cookie("token", &forged);
    let me = client.get("/me").await;
    let create = client
        .post_json(
            "/messages",
            &json!({ "name": "Forger", "email": "forger@example.com" }),
        )
        .await;

    for response in [&me, &create] {
        assert_error(
            response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A token signed with another secret is 401: check the signature with `decode`.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn a_tampered_token_is_refused() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let bob = context.client();
    let bob_id = signed_up(&bob, "bob@example.com").await;
    let bobs_message = created_message(&bob, "Bob").await;
    let before = stored(&context.db).await;

    // Ada keeps her token's header and signature, and swaps in Bob's id.
    let token = ada.cookie("token").expect("Ada is logged in");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64url(&claims_for(&bob_id)),
        parts[2]
    );
    ada.set_cookie("token", &tampered);

    let me = ada.get("/me").await;
    let delete = ada.delete(&format!("/messages/{bobs_message}")).await;

    for response in [&me, &delete] {
        assert_error(
            response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A token whose claims were changed no longer matches its signature: 401.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let context = spawn_app().await;
    let ada_id = signed_up(&context.client(), "ada@example.com").await;
    let before = stored(&context.db).await;
    // Expired five minutes ago: beyond the one minute of leeway.
    let claims = json!({ "sub": ada_id, "iat": now() - 3900, "exp": now() - 300 });
    let expired = token_signed(&claims, SECRET, Algorithm::HS256);

    let response = me_with_token(&context, &expired).await;

    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "An expired token is 401: `decode` checks `exp` for you.",
    );
    assert!(
        response.text().contains("expired"),
        "tell the user their session expired, got {}",
        response.text()
    );
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn an_unsigned_alg_none_token_is_refused() {
    let context = spawn_app().await;
    let ada_id = signed_up(&context.client(), "ada@example.com").await;
    let before = stored(&context.db).await;
    let header = json!({ "alg": "none", "typ": "JWT" });
    let unsigned = format!(
        "{}.{}.",
        base64url(&header),
        base64url(&claims_for(&ada_id))
    );

    let response = me_with_token(&context, &unsigned).await;

    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "A token with `alg: none` carries no signature at all: 401.",
    );
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn a_token_with_another_algorithm_is_refused_even_with_the_right_secret() {
    let context = spawn_app().await;
    let ada_id = signed_up(&context.client(), "ada@example.com").await;
    let hs512 = token_signed(&claims_for(&ada_id), SECRET, Algorithm::HS512);

    let response = me_with_token(&context, &hs512).await;

    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Pin the algorithm: `Validation::new(Algorithm::HS256)` accepts HS256 only.",
    );
}

#[tokio::test]
async fn malformed_tokens_and_tokens_without_a_user_are_refused() {
    let context = spawn_app().await;
    let ada = context.client();
    let ada_id = signed_up(&ada, "ada@example.com").await;
    let no_subject = json!({ "iat": now(), "exp": now() + 3600 });
    let no_expiry = json!({ "sub": ada_id, "iat": now() });
    let unknown_user = claims_for("65f000000000000000000000");
    let not_an_id = claims_for("ada@example.com");

    let tokens = [
        String::new(),
        "not-a-token".to_owned(),
        "a.b.c".to_owned(),
        token_signed(&no_subject, SECRET, Algorithm::HS256),
        token_signed(&no_expiry, SECRET, Algorithm::HS256),
        token_signed(&unknown_user, SECRET, Algorithm::HS256),
        token_signed(&not_an_id, SECRET, Algorithm::HS256),
    ];
    for token in &tokens {
        let response = me_with_token(&context, token).await;
        assert_error(
            &response,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            &format!(
                "The token {token:?} must not log anyone in: it needs a valid signature, \
                 `sub` and `exp`, and `sub` must be the id of a stored user."
            ),
        );
    }

    // The same goes for the token of a user who has since been deleted.
    let token = ada.cookie("token").expect("Ada is logged in");
    context
        .db
        .collection::<Document>("users")
        .delete_many(doc! {})
        .await
        .expect("delete the users");
    let response = me_with_token(&context, &token).await;
    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "A token for a deleted user is 401: the middleware loads the user from MongoDB.",
    );
}

#[tokio::test]
async fn a_bearer_header_is_not_accepted_instead_of_the_cookie() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let token = ada.cookie("token").expect("Ada is logged in");

    let client = context.client();
    let request = Request::builder()
        .method(Method::GET)
        .uri("/me")
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(String::new())
        .unwrap();
    let response = client.send(request).await;

    assert_error(
        &response,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "This API reads the token from the `token` cookie only (see the notes for why).",
    );
    assert!(
        response.text().contains("cookie"),
        "point the client to the cookie, got {}",
        response.text()
    );
}

#[tokio::test]
async fn log_out_deletes_the_cookie_even_when_there_is_none() {
    let context = spawn_app().await;
    let client = context.client();

    let response = client.post_json("/logout", &json!({})).await;

    response.assert_status(
        StatusCode::NO_CONTENT,
        "POST /logout is 204, logged in or not.",
    );
    let cookie = response
        .set_cookie("token")
        .expect("log-out answers with a `Set-Cookie: token=…` that deletes the cookie");
    assert_eq!(cookie.value(), "", "the deleting cookie is empty");
    assert_eq!(
        cookie.max_age(),
        Some(time::Duration::ZERO),
        "and has Max-Age=0"
    );
    assert_eq!(
        cookie.path(),
        Some("/"),
        "with the same Path as the log-in cookie"
    );
}

// ---------------------------------------------------------------------------
// Messages with owners
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_message_belongs_to_whoever_created_it() {
    let context = spawn_app().await;
    let ada = context.client();
    let ada_id = signed_up(&ada, "ada@example.com").await;
    let bob_id = signed_up(&context.client(), "bob@example.com").await;

    // Ada tries to create a message in Bob's name.
    let body = json!({ "name": "Ada", "email": "ada@example.com", "owner_id": bob_id });
    let response = ada.post_json("/messages", &body).await;

    response.assert_status(StatusCode::CREATED, "POST /messages, logged in, is 201.");
    let id = string_field(&response, "id");
    response.assert_header(
        "location",
        &format!("/messages/{id}"),
        "A 201 says where the new message lives.",
    );
    assert_eq!(
        string_field(&response, "owner_id"),
        ada_id,
        "the owner comes from the token, never from the body"
    );
    let stored_message = context
        .db
        .collection::<Document>("messages")
        .find_one(doc! {})
        .await
        .unwrap()
        .expect("the message is stored");
    assert_eq!(
        stored_message
            .get_object_id("owner_id")
            .map(|id| id.to_hex()),
        Ok(ada_id),
        "the stored message has `owner_id`, the creator's ObjectId"
    );
}

#[tokio::test]
async fn everyone_logged_in_reads_every_message() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let bob = context.client();
    signed_up(&bob, "bob@example.com").await;

    let list = bob.get("/messages").await;
    let one = bob.get(&format!("/messages/{message_id}")).await;

    list.assert_status(StatusCode::OK, "Any logged-in user reads the list.");
    let list: Value = list.json();
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "one message: {list}"
    );
    assert_eq!(list[0]["id"], message_id, "ids are hex strings: {list}");
    one.assert_status(StatusCode::OK, "Any logged-in user reads one message.");
    assert_eq!(string_field(&one, "name"), "Ada");
}

#[tokio::test]
async fn only_the_owner_may_replace_or_delete_a_message() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let bob = context.client();
    signed_up(&bob, "bob@example.com").await;
    let path = format!("/messages/{message_id}");
    let before = stored(&context.db).await;

    let replace = bob
        .put_json(&path, &json!({ "name": "Bob", "email": "bob@example.com" }))
        .await;
    let delete = bob.delete(&path).await;

    for response in [&replace, &delete] {
        assert_error(
            response,
            StatusCode::FORBIDDEN,
            "forbidden",
            "Changing someone else's message is 403.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);

    ada.delete(&path)
        .await
        .assert_status(StatusCode::NO_CONTENT, "The owner may delete: 204.");
    assert_error(
        &ada.get(&path).await,
        StatusCode::NOT_FOUND,
        "not_found",
        "A deleted message is gone: 404.",
    );
}

#[tokio::test]
async fn the_message_list_pages_with_limit_and_skip() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    for name in ["First", "Second", "Third"] {
        created_message(&ada, name).await;
    }

    let first_two: Value = ada.get("/messages?limit=2").await.json();
    let last: Value = ada.get("/messages?skip=2").await.json();
    let bad_limit = ada.get("/messages?limit=0").await;

    let names = |list: &Value| -> Vec<String> {
        list.as_array()
            .map(|items| items.iter().map(|item| item["name"].to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        names(&first_two),
        ["\"First\"", "\"Second\""],
        "?limit=2, oldest first"
    );
    assert_eq!(
        names(&last),
        ["\"Third\""],
        "?skip=2 leaves out the first two"
    );
    assert_error(
        &bad_limit,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "limit is a whole number from 1 to 100, as in lesson 06.",
    );
}

#[tokio::test]
async fn message_ids_are_checked() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    created_message(&ada, "Ada").await;
    let before = stored(&context.db).await;
    let body = json!({ "name": "Ada", "email": "ada@example.com" });

    for path in ["/messages/not-an-id", "/messages/123"] {
        for response in [
            ada.get(path).await,
            ada.put_json(path, &body).await,
            ada.delete(path).await,
        ] {
            assert_error(
                &response,
                StatusCode::BAD_REQUEST,
                "invalid_id",
                "An id that is not 24 hex characters is 400 `invalid_id`.",
            );
        }
    }
    let unknown = "/messages/65f000000000000000000000";
    for response in [
        ada.get(unknown).await,
        ada.put_json(unknown, &body).await,
        ada.delete(unknown).await,
    ] {
        assert_error(
            &response,
            StatusCode::NOT_FOUND,
            "not_found",
            "A well-formed id that is not stored is 404.",
        );
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn messages_are_validated() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let before = stored(&context.db).await;
    let long_name = "n".repeat(101);

    for (body, field) in [
        (json!({ "name": "   ", "email": "ada@example.com" }), "name"),
        (
            json!({ "name": long_name, "email": "ada@example.com" }),
            "name",
        ),
        (json!({ "name": "Ada", "email": "not an address" }), "email"),
    ] {
        for response in [
            ada.post_json("/messages", &body).await,
            ada.put_json(&format!("/messages/{message_id}"), &body)
                .await,
        ] {
            assert_error(
                &response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "An empty or too long name, or an email that is not an address, is 422.",
            );
            assert_eq!(response.json::<Value>()["error"]["field"], field);
        }
    }
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn unknown_routes_are_404_in_json() {
    let context = spawn_app().await;

    let response = context.client().get("/no-such-route").await;

    assert_error(
        &response,
        StatusCode::NOT_FOUND,
        "not_found",
        "Unknown routes answer 404 in the JSON error shape.",
    );
}

// ---------------------------------------------------------------------------
// The pages
// ---------------------------------------------------------------------------

/// Whether `response` is the log-in form.
#[track_caller]
fn assert_login_form(response: &TestResponse, what_to_fix: &str) {
    response.assert_status(StatusCode::OK, what_to_fix);
    assert!(
        response.text().contains(r#"action="/login""#),
        "{}: expected the log-in form. {what_to_fix}\nGot:\n{}",
        response.request,
        response.text()
    );
}

#[tokio::test]
async fn the_pages_show_forms_and_the_log_in_form_to_visitors() {
    let context = spawn_app().await;
    let visitor = context.client();

    let register = visitor.get("/register").await;
    register.assert_status(StatusCode::OK, "GET /register shows the sign-up form.");
    assert!(
        register.text().contains(r#"action="/register""#),
        "{}",
        register.text()
    );
    assert_login_form(
        &visitor.get("/login").await,
        "GET /login shows the log-in form.",
    );
    assert_login_form(
        &visitor.get("/").await,
        "GET / without a log-in shows the log-in form (require_user_for_pages).",
    );

    let ada_id = signed_up(&context.client(), "ada@example.com").await;
    let forged = token_signed(
        &claims_for(&ada_id),
        "not our secret, 32 bytes or more",
        Algorithm::HS256,
    );
    visitor.set_cookie("token", &forged);
    assert_login_form(
        &visitor.get("/").await,
        "A forged token is no log-in for the pages either.",
    );
}

#[tokio::test]
async fn the_forms_sign_up_log_in_and_log_out() {
    let context = spawn_app().await;
    let browser = context.client();
    let credentials = [("email", "ada@example.com"), ("password", PASSWORD)];

    let response = browser.post_form("/register", &credentials).await;
    response.assert_status(
        StatusCode::SEE_OTHER,
        "A sign-up form redirects when it worked.",
    );
    response.assert_header("location", "/login?registered=1", "On to the log-in form.");
    let page = browser.get("/login?registered=1").await;
    assert!(page.text().contains("account is ready"), "{}", page.text());

    let response = browser.post_form("/login", &credentials).await;
    response.assert_status(
        StatusCode::SEE_OTHER,
        "A log-in form redirects when it worked.",
    );
    response.assert_header("location", "/", "On to the home page.");
    assert!(
        browser.cookie("token").is_some(),
        "the form log-in sets the cookie"
    );

    let home = browser.get("/").await;
    home.assert_status(StatusCode::OK, "GET / logged in shows the logged-in page.");
    assert!(
        home.text().contains("Hello, ada@example.com"),
        "{}",
        home.text()
    );

    let no_fields: [(&str, &str); 0] = [];
    let response = browser.post_form("/logout", &no_fields).await;
    response.assert_status(StatusCode::SEE_OTHER, "The log-out form redirects.");
    response.assert_header("location", "/", "Back home.");
    assert_eq!(browser.cookie("token"), None, "log-out deletes the cookie");
    assert_login_form(
        &browser.get("/").await,
        "Logged out, / shows the log-in form again.",
    );
}

#[tokio::test]
async fn a_failed_form_shows_the_form_again_with_the_reason() {
    let context = spawn_app().await;
    let browser = context.client();
    register(&browser, "ada@example.com", PASSWORD).await;
    let before = stored(&context.db).await;

    let login = browser
        .post_form(
            "/login",
            &[("email", "ada@example.com"), ("password", "wrong password")],
        )
        .await;
    let taken = browser
        .post_form(
            "/register",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;

    login.assert_status(StatusCode::UNAUTHORIZED, "A failed log-in form is 401.");
    assert!(
        login.text().contains("wrong email or password"),
        "{}",
        login.text()
    );
    assert!(
        login.text().contains(r#"value="ada@example.com""#),
        "keep the email typed"
    );
    taken.assert_status(StatusCode::CONFLICT, "A taken email in the form is 409.");
    assert!(
        taken.text().contains("<form"),
        "show the form again: {}",
        taken.text()
    );
    assert_eq!(browser.cookie("token"), None, "no cookie");
    assert_database_unchanged(&stored(&context.db).await, &before);
}

#[tokio::test]
async fn pages_escape_what_visitors_typed() {
    let context = spawn_app().await;

    let response = context
        .client()
        .post_form(
            "/login",
            &[("email", "<script>alert(1)</script>"), ("password", "x")],
        )
        .await;

    let page = response.text();
    assert!(
        !page.contains("<script>alert(1)</script>") && page.contains("&lt;script&gt;"),
        "templates escape what visitors typed (name the template `.html`): {page}"
    );
}

// ---------------------------------------------------------------------------
// The server binary
// ---------------------------------------------------------------------------

#[tokio::test]
async fn production_settings_follow_owasp() {
    let config = AuthConfig::new(JwtSecret::new(SECRET).unwrap());

    let params = &config.password_params;
    assert_eq!(
        (params.m_cost(), params.t_cost(), params.p_cost()),
        (19 * 1024, 2, 1),
        "production argon2id: 19 MiB, 2 passes, 1 lane (OWASP's recommendation)"
    );
    assert_eq!(config.token_lifetime, Duration::from_secs(3600));
    assert!(
        JwtSecret::new("x".repeat(31)).is_err(),
        "31 bytes is too short"
    );
    assert!(JwtSecret::new("x".repeat(32)).is_ok(), "32 bytes is enough");
}

#[tokio::test]
async fn the_server_binary_signs_users_up_with_production_settings() {
    let db = TestDatabase::new().await;
    let server = ServerProcess::start(
        env!("CARGO_PKG_NAME"),
        &[
            ("PORT", "0"),
            ("JWT_SECRET", SECRET),
            ("MONGODB_URI", db.uri()),
            ("MONGODB_DB", db.name()),
        ],
    );
    let client = TestApp::at(server.url());

    register(&client, "ada@example.com", PASSWORD)
        .await
        .assert_status(StatusCode::CREATED, "The running server signs users up.");
    log_in(&client, "ada@example.com", PASSWORD)
        .await
        .assert_status(StatusCode::OK, "The running server logs users in.");
    client
        .get("/me")
        .await
        .assert_status(StatusCode::OK, "The cookie works over a real connection.");

    let user = stored_user(&db, "ada@example.com").await;
    let hash = user.get_str("password_hash").unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "the binary hashes with the production settings, got {hash:?}"
    );
}

#[test]
fn the_server_refuses_to_start_without_a_secret() {
    let uri = test_mongodb::mongodb_uri();

    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[("PORT", "0"), ("JWT_SECRET", ""), ("MONGODB_URI", uri)],
    );

    exit.assert_one_line_error(
        &["JWT_SECRET"],
        "With JWT_SECRET empty, name the variable: return `Err(ConfigError::MissingSecret)` \
         from `JwtSecret::new` (TODO 1).",
    );
}

#[test]
fn the_server_refuses_a_short_secret() {
    let uri = test_mongodb::mongodb_uri();

    // The source notes' hard-coded secret: 13 bytes, guessable, and refused.
    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[
            ("PORT", "0"),
            ("JWT_SECRET", "secretrandomm"),
            ("MONGODB_URI", uri),
        ],
    );

    exit.assert_one_line_error(
        &["JWT_SECRET", "32"],
        "Say the secret needs 32 bytes: return `Err(ConfigError::SecretTooShort { .. })` \
         from `JwtSecret::new` when it is shorter than `Self::MIN_BYTES` (TODO 1).",
    );
}

#[test]
fn the_server_refuses_to_start_without_mongodb_uri() {
    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[("PORT", "0"), ("JWT_SECRET", SECRET), ("MONGODB_URI", "")],
    );

    exit.assert_one_line_error(
        &["MONGODB_URI"],
        "With MONGODB_URI empty, name the variable: src/main.rs checks it before it \
         connects.",
    );
}

#[test]
fn the_server_says_how_to_start_mongodb_when_none_answers() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    // The URI's own short timeout keeps this test quick; without it the
    // server waits its default few seconds before it gives up.
    let uri = format!("mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=100");

    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[("PORT", "0"), ("JWT_SECRET", SECRET), ("MONGODB_URI", &uri)],
    );

    exit.assert_one_line_error(
        &["docker run"],
        "When no MongoDB answers, say how to start one \
         (`docker run -d -p 27017:27017 mongo:8.0`): src/main.rs does so when `connect` \
         fails with a server selection error.",
    );
}
