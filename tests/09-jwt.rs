//! Lesson 09 tests. They run against your exercise with
//! `cargo test -p lesson-09-jwt`, and against the reference with
//! `cargo test -p solution-09-jwt`.
//!
//! Each test gets a fresh MongoDB database (see `tests/mongodb`), builds the
//! app in memory with `app(db, config)` and talks to it through clients that
//! keep cookies like a browser. Every refused request is also checked to
//! have left the database exactly as it was. The first tests call the
//! exercise's functions directly, in the order of the TODOs, so the first
//! failure always names the TODO you are on.
//!
//! The rules of `notes/09-jwt.md`, and the tests that fail when one is broken:
//!
//! | rule (notes section) | TODO | test(s) |
//! |---|---|---|
//! | the secret comes from the environment, 32 bytes or more, or no start ("Why the notes' secret is a vulnerability") | 1 | `a_secret_needs_32_bytes`, `the_server_refuses_to_start_without_a_secret`, `the_server_refuses_a_short_secret` |
//! | the secret never appears in a log (step 2) | 1 | `the_secret_never_shows_in_debug_output` |
//! | passwords are hashed with argon2id, salted, never stored (step 4) | 2a | `hash_password_makes_a_salted_argon2id_phc_string`, `sign_up_stores_an_argon2id_hash_and_never_the_password`, `the_same_password_gets_a_different_hash_for_each_user` |
//! | a stored hash that does not parse opens nothing: fail closed (step 4) | 2b, 4 | `a_password_matches_its_hash_only_and_a_broken_hash_matches_nothing`, `a_stored_hash_that_does_not_parse_locks_the_account` |
//! | an unknown email costs the same argon2 work as a wrong password (step 4, "Passwords are hashed") | 2c, 4 | `an_unknown_user_costs_one_argon2_check_and_never_matches`, `an_unknown_email_costs_the_same_argon2_work_as_a_wrong_password` |
//! | pin the algorithm; require `exp` and `sub` (step 6) | 3a | `the_rules_accept_hs256_with_sub_and_exp_only`, `an_unsigned_alg_none_token_is_refused`, `a_token_with_another_algorithm_is_refused_even_with_the_right_secret` |
//! | a token expires; never put secrets in the claims (step 6, "What a JWT is") | 3b | `issued_tokens_carry_sub_iat_exp_and_nothing_else`, `an_expired_token_is_refused` |
//! | check the signature: a forged or tampered token logs no one in (step 6) | 3c, 6 | `verify_accepts_our_tokens_only`, `a_token_signed_with_another_secret_is_refused`, `a_tampered_token_is_refused` |
//! | the same answer for "no such user" and "wrong password" (step 7) | 4 | `wrong_password_and_unknown_user_get_the_same_401` |
//! | the cookie is HttpOnly, SameSite=Lax, Secure, Path=/, Max-Age = the token's lifetime; the token never in the body (step 7, "Where the token lives") | 5 | `the_token_cookie_is_httponly_samesite_and_lasts_as_long_as_the_token` |
//! | `Secure` can be switched off by `COOKIE_SECURE=false` only (step 2, "Run it") | 5 | `cookie_secure_can_be_switched_off_for_plain_http`, `the_server_reads_cookie_secure` |
//! | the middleware checks the token and loads its user, every time (step 8) | 6 | `protected_routes_need_the_cookie`, `malformed_tokens_and_tokens_without_a_user_are_refused` |
//! | one refusal for every bad token: a forger learns nothing (step 8) | 6 | `every_bad_token_gets_one_and_the_same_refusal` |
//! | no `Authorization: Bearer` header ("Where the token lives") | given | `a_bearer_header_is_not_accepted_instead_of_the_cookie` |
//! | the owner comes from the token, never from the body; only the owner changes a message, `403` (step 9) | 7 | `a_message_belongs_to_whoever_created_it`, `only_the_owner_may_replace_or_delete_a_message` |
//! | production hashes with OWASP's argon2id settings, never lowered by the environment (step 4) | given | `production_settings_follow_owasp`, `the_server_binary_signs_users_up_with_production_settings` |
//! | one account per email, compared trimmed and lower-cased (step 3) | 4 | `log_in_accepts_the_email_in_any_case`, `sign_up_with_a_taken_email_is_409_whatever_its_case` |
//! | a password is 8 to 128 characters, and not the email (step 5) | given | `sign_up_rejects_a_bad_email_or_a_weak_password`, `limits_are_checked_at_their_boundaries` |
//! | the unique index decides, no lookup first; only error 11000 means "taken" (step 5) | given | `concurrent_sign_ups_with_one_email_create_exactly_one_user`, `sign_up_while_mongodb_is_down_is_503_not_409` |
//! | typed bodies stop operator injection; a refused body says what serde found (step 11) | given | `bodies_with_query_operators_are_rejected_before_any_query`, `rejections_say_what_serde_found` |
//! | log-out always sends the deleting cookie (step 10) | given | `log_out_deletes_the_cookie_even_when_there_is_none` |
//! | no password in a log line, no internal detail in an answer (step 2, step 12) | given | `the_server_says_how_to_start_mongodb_when_none_answers`, `a_page_that_cannot_render_is_a_plain_500` |
//! | pages escape what visitors typed (step 12) | given | `pages_escape_what_visitors_typed` |
//! | a MongoDB outage is a 503, never a 401: it logs no one out, and the server recovers by itself (step 12) | 4, 6 | `when_mongodb_goes_away_and_comes_back_users_get_503_then_carry_on` |
//! | a database error goes to the log once, with the driver's words, never to the client (step 12) | 4 | `a_database_error_goes_to_the_servers_log_once_with_the_drivers_words` |
//! | a body over the size limit keeps axum's 413, in the JSON shape, and stores nothing (step 11) | given | `a_body_over_the_size_limit_is_413_in_json_and_changes_nothing` |
//!
//! "given" rows test code the exercise already has: they fail only if it
//! was changed.

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header::AUTHORIZATION;
use axum::http::{Method, Request, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::future::join_all;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use mongodb::bson::{Document, doc};
use serde_json::{Value, json};
use test_mongodb::{
    DRIVER_WORDS, Link, Snapshot, TestDatabase, assert_hides_the_password,
    assert_names_a_bad_connection_string, assert_no_stall_after_clients_hang_up,
};
use test_support::{ServerProcess, TestClient, TestResponse, assert_taken_port_is_refused};

use crate::subject;
use crate::subject::password::{Passwords, hash_password};
use crate::subject::token::Tokens;
use crate::subject::{AuthConfig, ConfigError, JwtSecret};

/// The secret the app under test signs with (tests only, of course).
const SECRET: &str = "lesson 09 secret for the tests only, 32 bytes or more";
/// The length of the secret the source notes hard-code in `jwt.sign`: 13
/// bytes, in every copy of the notes, so anyone can forge tokens with it.
/// The tests prove that a secret this short is refused (a secret is never
/// written into code, not even a test's: the app reads it from the
/// environment).
const NOTES_SECRET_BYTES: usize = 13;
/// A password that passes the strength rules.
const PASSWORD: &str = "correct horse battery staple";

/// The app under test, its database, and a way to open browsers on it.
struct TestContext {
    router: Router,
    db: TestDatabase,
    /// The app's password hasher: its `checks()` count argon2's work.
    passwords: Passwords,
}

impl TestContext {
    /// A new client with an empty cookie jar, like a fresh private window.
    fn client(&self) -> TestClient {
        TestClient::new(self.router.clone())
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
    let secret = JwtSecret::new(SECRET)
        .expect("TODO 1: `JwtSecret::new` should accept the tests' secret of 53 bytes");
    AuthConfig {
        passwords: Passwords::new(fast_password_params()),
        ..AuthConfig::new(secret)
    }
}

async fn spawn_app() -> TestContext {
    let db = TestDatabase::new().await;
    subject::prepare(&db)
        .await
        .expect("`prepare` should create the unique index on the users' `email`");
    let config = test_config();
    let passwords = config.passwords.clone();
    let router = subject::app(db.database(), config);
    TestContext {
        router,
        db,
        passwords,
    }
}

async fn register(client: &TestClient, email: &str, password: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    client.post_json("/register", &body).await
}

async fn log_in(client: &TestClient, email: &str, password: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    client.post_json("/login", &body).await
}

/// Signs `email` up and logs the client in; returns the user's id.
async fn signed_up(client: &TestClient, email: &str) -> String {
    register(client, email, PASSWORD).await.assert_status(
        StatusCode::CREATED,
        "TODO 2a: POST /register should create the user (it hashes the password).",
    );
    let response = log_in(client, email, PASSWORD).await;
    response.assert_status(
        StatusCode::OK,
        "TODO 4: POST /login with the right password is 200.",
    );
    assert!(
        client.cookie("token").is_some(),
        "TODO 4: POST /login should set the `token` cookie: `log_in` returns the token, \
         the handler puts it in the cookie"
    );
    string_field(&response, "id")
}

/// Creates a message as the client's user; returns its id.
async fn created_message(client: &TestClient, name: &str) -> String {
    let body = json!({ "name": name, "email": "visitor@example.com" });
    let response = client.post_json("/messages", &body).await;
    response.assert_status(
        StatusCode::CREATED,
        "TODO 6: POST /messages with the log-in cookie is 201: the middleware lets a \
         valid token through.",
    );
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

/// Everything stored, to compare before and after a refused request.
async fn stored(db: &TestDatabase) -> Snapshot {
    db.snapshot(&["users", "messages"]).await
}

async fn user_count(db: &TestDatabase) -> u64 {
    db.collection::<Document>("users")
        .count_documents(doc! {})
        .await
        .expect("count the users")
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
// The building blocks, one TODO at a time
// ---------------------------------------------------------------------------

#[test]
fn a_secret_needs_32_bytes() {
    for (secret, expected) in [
        (String::new(), ConfigError::MissingSecret),
        (
            "x".repeat(NOTES_SECRET_BYTES),
            ConfigError::SecretTooShort {
                bytes: NOTES_SECRET_BYTES,
            },
        ),
        ("x".repeat(31), ConfigError::SecretTooShort { bytes: 31 }),
        // 15 characters, 30 bytes.
        ("é".repeat(15), ConfigError::SecretTooShort { bytes: 30 }),
    ] {
        assert_eq!(
            JwtSecret::new(secret.as_str()).err(),
            Some(expected.clone()),
            "TODO 1: a secret of {} bytes must be refused with {expected:?}: a short secret \
             is guessed from one stolen token (notes, \"Why the notes' secret is a \
             vulnerability\").{}",
            secret.len(),
            in_bytes_not_characters(&secret)
        );
    }
    // 16 characters, 32 bytes.
    for secret in ["x".repeat(32), "é".repeat(16), SECRET.to_owned()] {
        assert!(
            JwtSecret::new(secret.as_str()).is_ok(),
            "TODO 1: a secret of {} bytes is long enough (32 is the least): accept it.{}",
            secret.len(),
            in_bytes_not_characters(&secret)
        );
    }
}

/// For a secret with characters of more than one byte: the reminder that
/// a key's length is counted in bytes (TODO 1).
fn in_bytes_not_characters(secret: &str) -> String {
    if secret.is_ascii() {
        String::new()
    } else {
        format!(
            " It is {secret:?}: {} characters, but a key is measured in bytes, and `é` \
             takes two.",
            secret.chars().count()
        )
    }
}

#[test]
fn the_secret_never_shows_in_debug_output() {
    let secret = JwtSecret::new(SECRET)
        .expect("TODO 1: `JwtSecret::new` should accept the tests' secret of 53 bytes");
    let shown = format!("{secret:?}");
    let config = format!("{:?}", AuthConfig::new(secret));

    assert!(
        shown.starts_with("JwtSecret"),
        "TODO 1's file, src/config.rs (given code): `{{:?}}` of a secret says what it is \
         without showing it, such as `JwtSecret(..)`, got {shown:?}"
    );
    for text in [&shown, &config] {
        assert!(
            !text.contains(SECRET) && !text.contains("108, 101, 115"),
            "TODO 1's file, src/config.rs (given code): a `{{:?}}` in a log line must never \
             print the secret (notes, step 2), got {text}"
        );
    }
}

#[test]
fn hash_password_makes_a_salted_argon2id_phc_string() {
    let params = fast_password_params();
    let first = hash_password(PASSWORD, &params)
        .expect("TODO 2a: `hash_password` should hash an ordinary password");
    let second = hash_password(PASSWORD, &params)
        .expect("TODO 2a: `hash_password` should hash an ordinary password");

    assert!(
        first.starts_with("$argon2id$v=19$m=8,t=1,p=1$"),
        "TODO 2a: hash with argon2id, version 19 (0x13), at the cost `params` gives (here \
         the tests' m=8,t=1,p=1), and return the PHC string (notes, step 4 \"Hashing \
         passwords\"). Got {first:?}"
    );
    assert_ne!(
        first, second,
        "TODO 2a: two hashes of the same password must differ: each needs its own random \
         salt (notes, \"Passwords are hashed, never stored\")"
    );
    assert!(
        !first.contains(PASSWORD),
        "TODO 2a: the hash must not contain the password, got {first:?}"
    );
}

#[test]
fn a_password_matches_its_hash_only_and_a_broken_hash_matches_nothing() {
    let passwords = Passwords::new(fast_password_params());
    assert_eq!(
        passwords.params(),
        &fast_password_params(),
        "given code (src/password.rs): `params` gives back the cost `Passwords` was made with"
    );
    let hash = hash_password(PASSWORD, passwords.params())
        .expect("TODO 2a: `hash_password` should hash an ordinary password");

    assert!(
        passwords.matches(PASSWORD, &hash),
        "TODO 2b: `matches` should accept the password a stored hash was made from"
    );
    assert!(
        !passwords.matches("Correct horse battery staple", &hash),
        "TODO 2b: `matches` must refuse any other password, even one capital letter off"
    );
    assert!(
        passwords.checks() >= 2,
        "TODO 2b: `matches` ran {} counted argon2 checks for 2 calls: check with the \
         engine `self.verifier()` gives, which counts each check for these tests",
        passwords.checks()
    );

    let cut_short = &hash[..hash.len() - 20];
    for broken in ["", "not a hash", "$argon2id$v=19$m=8,t=1,p=1$", cut_short] {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            passwords.matches(PASSWORD, broken)
        }));
        match outcome {
            Ok(false) => {}
            Ok(true) => panic!(
                "TODO 2b: a stored hash that does not parse ({broken:?}) matched a password: \
                 a damaged record must lock its account, never open it (fail closed; notes, \
                 step 4)"
            ),
            Err(_) => panic!(
                "TODO 2b: a stored hash that does not parse ({broken:?}) made `matches` \
                 panic: answer `false` instead, so a damaged record refuses the log-in \
                 rather than crash the request (notes, step 4)"
            ),
        }
    }
    assert!(
        !passwords.matches(PASSWORD, PASSWORD),
        "TODO 2b: a stored value that is the password itself, as code that kept passwords \
         in plain text would leave it, matched that password. What is not a PHC string \
         opens nothing, even when it equals the password: no comparison of plain text, \
         ever (notes, \"Passwords are hashed, never stored\")."
    );
}

#[test]
fn an_unknown_user_costs_one_argon2_check_and_never_matches() {
    let passwords = Passwords::new(fast_password_params());
    let hash = hash_password(PASSWORD, passwords.params())
        .expect("TODO 2a: `hash_password` should hash an ordinary password");

    let start = passwords.checks();
    let known = passwords.check(PASSWORD, Some(&hash));
    let known_user = passwords.checks() - start;
    let start = passwords.checks();
    let unknown = passwords.check(PASSWORD, None);
    let unknown_user = passwords.checks() - start;

    assert!(
        known,
        "TODO 2c: with a stored hash, `check` answers what `matches` says: the right \
         password matches"
    );
    assert!(
        !unknown && !passwords.check("no one's password", None),
        "TODO 2c: with no stored hash (no such user), `check` answers `false`, whatever \
         the password, even the one the dummy hash was made from"
    );
    assert_eq!(
        unknown_user, known_user,
        "TODO 2c: checking a known user ran {known_user} argon2 check(s), an unknown one \
         {unknown_user}. Both must cost the same work, or the time of the answer tells \
         which emails have an account: check against `self.dummy_hash()` (notes, step 4 \
         \"Hashing passwords\")"
    );
}

#[test]
fn the_rules_accept_hs256_with_sub_and_exp_only() {
    let rules = Tokens::rules();
    let key = DecodingKey::from_secret(SECRET.as_bytes());
    let accepts = |token: &str| jsonwebtoken::decode::<Value>(token, &key, &rules).is_ok();
    let id = "65e0c0ffee0123456789abcd";

    assert!(
        accepts(&token_signed(&claims_for(id), SECRET, Algorithm::HS256)),
        "TODO 3a: the rules must accept a token we would issue: HS256, with `sub`, `iat` \
         and an `exp` an hour ahead"
    );
    assert!(
        accepts(&token_signed(
            &json!({ "sub": id, "iat": now() - 3620, "exp": now() - 20 }),
            SECRET,
            Algorithm::HS256,
        )),
        "TODO 3a: the rules must accept a token that expired 20 seconds ago: the clocks of \
         two machines disagree a little, and jsonwebtoken's 60 s of leeway is there for \
         that. Keep it (notes, step 6 \"Tokens\")."
    );
    let pin = "Pin the algorithm: the token's header is written by whoever made the token";
    let unsigned = format!(
        "{}.{}.",
        base64url(&json!({ "alg": "none", "typ": "JWT" })),
        base64url(&claims_for(id))
    );
    for (what, why, token) in [
        (
            "signed with HS512",
            pin,
            token_signed(&claims_for(id), SECRET, Algorithm::HS512),
        ),
        (
            "signed with HS384",
            pin,
            token_signed(&claims_for(id), SECRET, Algorithm::HS384),
        ),
        ("with `alg: none` and no signature", pin, unsigned),
        (
            "without `sub`",
            "Require `sub`: a token without it names no one",
            token_signed(
                &json!({ "iat": now(), "exp": now() + 3600 }),
                SECRET,
                Algorithm::HS256,
            ),
        ),
        (
            "without `exp`",
            "Require `exp`: a token without it would never expire",
            token_signed(
                &json!({ "sub": id, "iat": now() }),
                SECRET,
                Algorithm::HS256,
            ),
        ),
        (
            "that expired five minutes ago",
            "An `exp` in the past ends a token, a minute of leeway after: keep `exp` \
             checked against the clock",
            token_signed(
                &json!({ "sub": id, "iat": now() - 3900, "exp": now() - 300 }),
                SECRET,
                Algorithm::HS256,
            ),
        ),
    ] {
        assert!(
            !accepts(&token),
            "TODO 3a: the rules must refuse a token {what}. {why} (notes, step 6 \"Tokens\")."
        );
    }
}

#[test]
fn issued_tokens_carry_sub_iat_exp_and_nothing_else() {
    let secret = JwtSecret::new(SECRET)
        .expect("TODO 1: `JwtSecret::new` should accept the tests' secret of 53 bytes");
    let id = mongodb::bson::oid::ObjectId::new();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    let key = DecodingKey::from_secret(SECRET.as_bytes());

    for lifetime in [3600, 60] {
        let tokens = Tokens::new(&secret, Duration::from_secs(lifetime));
        let token = tokens
            .issue(id)
            .expect("TODO 3b: `issue` should sign a token");
        let header = jsonwebtoken::decode_header(&token).unwrap_or_else(|err| {
            panic!("TODO 3b: `issue` should return a JWT ({err}), got {token:?}")
        });
        assert_eq!(
            header.alg,
            Algorithm::HS256,
            "TODO 3b: sign with HS256, the one algorithm the rules accept"
        );
        let claims = jsonwebtoken::decode::<Value>(&token, &key, &validation)
            .unwrap_or_else(|err| {
                panic!("TODO 3b: the token should be signed with the secret's key: {err}")
            })
            .claims;
        let mut names: Vec<&String> = claims
            .as_object()
            .map(|claims| claims.keys().collect())
            .unwrap_or_default();
        names.sort();
        assert_eq!(
            names,
            ["exp", "iat", "sub"],
            "TODO 3b: the claims are `sub`, `iat` and `exp`, nothing else: anyone who has \
             the token reads them (notes, \"What a JWT is\"), got {claims}"
        );
        assert_eq!(
            claims["sub"],
            id.to_hex(),
            "TODO 3b: `sub` is the user's id as 24 hex characters (notes, step 6 \"Tokens\")"
        );
        let iat = claims["iat"].as_u64().unwrap_or_default();
        let exp = claims["exp"].as_u64().unwrap_or_default();
        assert!(
            iat.abs_diff(now()) < 60,
            "TODO 3b: `iat` is now, in seconds since 1970, got {iat} (notes, step 6 \"Tokens\")"
        );
        assert_eq!(
            exp.saturating_sub(iat),
            lifetime,
            "TODO 3b: `exp` is `iat` plus the lifetime `Tokens` was made with ({lifetime} s): \
             a stolen token works until then, so a log-in lasts the configured time and no \
             longer (notes, step 6 \"Tokens\")"
        );
    }
}

#[test]
fn verify_accepts_our_tokens_only() {
    let secret = JwtSecret::new(SECRET)
        .expect("TODO 1: `JwtSecret::new` should accept the tests' secret of 53 bytes");
    let tokens = Tokens::new(&secret, Duration::from_secs(3600));
    let id = "65e0c0ffee0123456789abcd";

    let ours = token_signed(&claims_for(id), SECRET, Algorithm::HS256);
    let claims = tokens
        .verify(&ours)
        .unwrap_or_else(|err| panic!("TODO 3c: `verify` should accept a token we signed: {err}"));
    assert_eq!(
        claims.sub, id,
        "TODO 3c: `verify` returns the token's claims"
    );

    let forged = token_signed(
        &claims_for(id),
        "someone else's secret, 32 bytes or more",
        Algorithm::HS256,
    );
    let hs512 = token_signed(&claims_for(id), SECRET, Algorithm::HS512);
    for (what, token) in [
        ("signed with another secret", forged),
        ("signed with HS512", hs512),
    ] {
        assert!(
            tokens.verify(&token).is_err(),
            "TODO 3c: `verify` must refuse a token {what}: check the signature, with the \
             rules of TODO 3a (notes, step 6 \"Tokens\")"
        );
    }
    let expired = token_signed(
        &json!({ "sub": id, "iat": now() - 3900, "exp": now() - 300 }),
        SECRET,
        Algorithm::HS256,
    );
    let refused = tokens.verify(&expired).err();
    assert!(
        refused
            .as_ref()
            .is_some_and(|err| matches!(err.kind(), ErrorKind::ExpiredSignature)),
        "TODO 3c: `verify` must refuse a token that expired five minutes ago with \
         jsonwebtoken's own error, `ExpiredSignature`, got {refused:?}"
    );
}

// ---------------------------------------------------------------------------
// The whole flow
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_whole_flow_works_from_sign_up_to_log_out() {
    let context = spawn_app().await;
    let ada = context.client();

    let response = register(&ada, "ada@example.com", PASSWORD).await;
    response.assert_status(
        StatusCode::CREATED,
        "TODO 2a: POST /register creates the user: 201.",
    );
    let body: Value = response.json();
    assert_eq!(body["email"], "ada@example.com");
    assert!(
        body.get("password").is_none() && body.get("password_hash").is_none(),
        "given code (src/user.rs, `UserJson`): the answer to /register shows the id and \
         the email only, got {body}"
    );

    let response = log_in(&ada, "ada@example.com", PASSWORD).await;
    response.assert_status(
        StatusCode::OK,
        "TODO 4: POST /login with the right password is 200.",
    );
    let ada_id = string_field(&response, "id");
    assert!(
        ada.cookie("token").is_some(),
        "TODO 4: log-in sets the `token` cookie"
    );

    let response = ada.get("/me").await;
    response.assert_status(StatusCode::OK, "TODO 6: GET /me with the cookie is 200.");
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": ada_id, "email": "ada@example.com" }),
        "TODO 6: GET /me answers who the token says you are: the user its `sub` names"
    );

    let message_id = created_message(&ada, "Ada").await;
    let response = ada
        .put_json(
            &format!("/messages/{message_id}"),
            &json!({ "name": "Ada Lovelace", "email": "ada@example.com" }),
        )
        .await;
    response.assert_status(
        StatusCode::OK,
        "TODO 7: the owner may replace their message.",
    );
    assert_eq!(string_field(&response, "name"), "Ada Lovelace");
    let stored_message = context
        .db
        .collection::<Document>("messages")
        .find_one(doc! { "name": "Ada Lovelace" })
        .await
        .expect("query the messages");
    assert!(
        stored_message.is_some(),
        "given code (src/handlers.rs): the PUT is stored in MongoDB"
    );

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
    response.assert_error(
        StatusCode::FORBIDDEN,
        "forbidden",
        "TODO 7: replacing someone else's message is 403 `forbidden` (notes, step 9 \
         \"Owners\").",
    );
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 7: a message that is not yours is refused before anything is written.",
    );

    let response = ada.post_json("/logout", &json!({})).await;
    response.assert_status(
        StatusCode::NO_CONTENT,
        "given code (src/accounts.rs): POST /logout is 204.",
    );
    assert_eq!(
        ada.cookie("token"),
        None,
        "TODO 5: log-out deletes the cookie; the deleting cookie is the log-in cookie, \
         emptied, so it needs the same `Path`"
    );

    let response = ada.get("/me").await;
    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 6: after log-out, GET /me is 401.",
    );
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 6: a request after log-out is refused before any handler runs.",
    );
}

// ---------------------------------------------------------------------------
// Signing up
// ---------------------------------------------------------------------------

#[tokio::test]
async fn sign_up_stores_an_argon2id_hash_and_never_the_password() {
    let context = spawn_app().await;

    register(&context.client(), "  Ada@Example.COM ", PASSWORD)
        .await
        .assert_status(
            StatusCode::CREATED,
            "TODO 2a: POST /register creates the user.",
        );

    let user = stored_user(&context.db, "ada@example.com").await;
    let hash = user.get_str("password_hash").unwrap_or_else(|_| {
        panic!("the user document should have a `password_hash` string, got {user}")
    });
    assert!(
        hash.starts_with("$argon2id$v=19$"),
        "TODO 2a: store the argon2id PHC string (`$argon2id$v=19$m=…`), got {hash:?}"
    );
    assert!(
        hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"),
        "TODO 2a: hash with the cost in the config (`params`, here the tests' light one), \
         not with argon2's defaults, got {hash:?}"
    );
    assert!(
        !user.to_string().contains(PASSWORD),
        "TODO 2a: the stored user must never hold the password itself: {user}"
    );
    assert!(
        user.get("password").is_none(),
        "given code (src/user.rs): no `password` field in the stored user"
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
        "TODO 2a: each hash has its own random salt, so equal passwords give different \
         hashes"
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
        let error = response.assert_error(
            StatusCode::CONFLICT,
            "conflict",
            "given code (src/accounts.rs, reached after TODO 2a): an email that is taken \
             (compared in lower case) is 409.",
        );
        assert_eq!(
            error["field"], "email",
            "given code (src/error.rs): the 409 names the field to change, `email`, as every \
             refusal of one field does (the form marks it)"
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "given code (src/accounts.rs): a taken email stores no second user.",
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
        "given code (src/accounts.rs, reached after TODO 2a): 8 sign-ups at once with one \
         email: exactly one 201, seven 409. The unique index decides (a lookup before the \
         insert races), got {:?}",
        responses.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        user_count(&context.db).await,
        1,
        "exactly one user is stored"
    );
}

#[tokio::test]
async fn sign_up_while_mongodb_is_down_is_503_not_409() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("the port").port();
    drop(closed);
    let uri = format!("mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=100");
    let unreachable = mongodb::Client::with_uri_str(&uri)
        .await
        .expect("a client for a server that is not there")
        .database("unreachable");
    let client = TestClient::new(subject::app(unreachable, test_config()));

    let response = register(&client, "ada@example.com", PASSWORD).await;

    response.assert_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "given code (src/accounts.rs and src/error.rs, reached after TODO 2a): a sign-up that \
         fails because MongoDB is down is 503; only the duplicate-key error 11000 means \
         the email is taken (409).",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_mongodb_goes_away_and_comes_back_users_get_503_then_carry_on() {
    let db = TestDatabase::new().await;
    subject::prepare(&db)
        .await
        .expect("`prepare` creates the index");
    // The app reaches MongoDB through a link the test can cut, and gives up
    // on a request after a one-second server selection timeout.
    let link = Link::to(&db).await;
    let through_link = link.client(&db, Duration::from_secs(1)).await;
    let router = subject::app(through_link.database(db.name()), test_config());
    let ada = TestClient::new(router.clone());
    signed_up(&ada, "ada@example.com").await;
    let message_id = created_message(&ada, "Ada").await;
    let before = stored(&db).await;

    link.cut().await;
    // Three requests while MongoDB is down, sent at once: each waits out the
    // selection timeout, then must answer.
    let returning = TestClient::new(router.clone());
    let started = Instant::now();
    let (list, page, log_in_attempt) = tokio::join!(
        ada.get("/messages"),
        ada.get("/"),
        log_in(&returning, "ada@example.com", PASSWORD),
    );
    let waited = started.elapsed();
    list.assert_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "TODO 6: while MongoDB is down, a request with a valid token is 503: the user cannot \
         be looked up, which is not the same as a bad token (401). An outage logs no one out.",
    );
    assert!(
        waited < Duration::from_secs(4),
        "TODO 6: while MongoDB is down, the answer comes once the driver's selection timeout \
         (one second here) is over, not {waited:?} later",
    );
    page.assert_status(
        StatusCode::SERVICE_UNAVAILABLE,
        "given code (src/auth.rs, `require_user_for_pages`): while MongoDB is down, the \
         logged-in page is 503 too. The log-in form would tell a logged-in user that their \
         session is gone, when only the database is.",
    )
    .assert_header(
        "content-type",
        "text/html; charset=utf-8",
        "given code (src/site.rs, `error_page`): a page route answers a browser with a \
         page, even when the database is down.",
    )
    .assert_body_lacks(
        "<form",
        "given code (src/site.rs, `error_page`): the 503 page is no log-in form.",
    );
    log_in_attempt.assert_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "TODO 4: a log-in while MongoDB is down is 503, \"try again later\": a 401 would \
         tell the user their password is wrong.",
    );
    assert!(
        returning.cookie("token").is_none(),
        "TODO 4: a log-in that could not check the password sets no cookie"
    );

    link.restore();
    // The same server, not restarted, serves again once MongoDB is back.
    ada.get_until_ok(
        "/messages",
        Duration::from_secs(10),
        "TODO 6: once MongoDB is back, the server should recover by itself, with the same client",
    )
    .await;
    before.assert_unchanged(
        &stored(&db).await,
        "TODO 4 and 6: a request refused while MongoDB was away wrote nothing.",
    );
    log_in(&returning, "ada@example.com", PASSWORD)
        .await
        .assert_status(
            StatusCode::OK,
            "TODO 4: once MongoDB is back, users log in again.",
        );
    returning
        .get(&format!("/messages/{message_id}"))
        .await
        .assert_status(
            StatusCode::OK,
            "the message stored before the outage is still there",
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
        response.assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "given code (src/user.rs, `Credentials::validate`): a bad email or a password \
             shorter than 8 characters (or longer than 128, or equal to the email) is 422.",
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
            response.assert_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "given code (src/user.rs, `Credentials`): an object or array where a string \
                 belongs is 422: typed `String` fields reject `{\"$ne\": null}` before it \
                 can reach a query (notes, step 11).",
            );
            let message = response.json::<Value>()["error"]["message"].to_string();
            assert!(
                message.contains("invalid type"),
                "given code (src/error.rs, `serde_reason`): the 422 says what serde found, \
                 such as \"invalid type: map, expected a string\", got {message}"
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
    response.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "given code (src/message.rs): operators in a message are 422 too.",
    );
    before.assert_unchanged(
        &stored(&context.db).await,
        "given code (src/message.rs): a message that fails validation is never stored.",
    );
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
        response.assert_error(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "given code (src/error.rs): broken JSON is 400 `bad_json`.",
        );
        let message = response.json::<Value>()["error"]["message"].to_string();
        assert!(
            message.contains("line 1"),
            "given code (src/error.rs, `serde_reason`): say where the JSON broke, as serde \
             does (\"… at line 1 column 14\"), got {message}"
        );
    }
    before.assert_unchanged(&stored(&context.db).await, "given code (src/input.rs): a body that cannot be read is refused before anything is written.");
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
        response.assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "given code (src/error.rs): a missing field or a wrong type is 422 `validation`.",
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "given code (src/message.rs): a message that fails validation is never stored.",
    );
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_413_in_json_and_changes_nothing() {
    let context = spawn_app().await;
    let client = context.client();
    // axum reads at most 2 MB of body by default.
    let body = json!({ "email": "ada@example.com", "password": "p".repeat(3 * 1024 * 1024) });

    let response = client.post_json("/register", &body).await;

    response.assert_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "bad_request",
        "given code (src/error.rs, reached after TODO 2a): a body over axum's 2 MB limit \
         keeps axum's 413, in the API's JSON shape.",
    );
    assert_eq!(
        user_count(&context.db).await,
        0,
        "a refused sign-up stores no user"
    );
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
        response.assert_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "given code (src/input.rs): a body that is neither JSON nor a form is 415.",
        );
    }
    before.assert_unchanged(&stored(&context.db).await, "given code (src/input.rs): a body that cannot be read is refused before anything is written.");
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
        response.assert_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "TODO 4: a wrong password or an unknown email is 401 `unauthorized`.",
        );
        assert!(
            response.set_cookie("token").is_none(),
            "TODO 4: a failed log-in sets no cookie"
        );
    }
    assert_eq!(
        wrong_password.text(),
        unknown_user.text(),
        "TODO 4: say the same thing for an unknown email and a wrong password, or anyone \
         can find out who has an account (notes, step 7)"
    );
    assert_eq!(client.cookie("token"), None);
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 4: a failed log-in writes nothing.",
    );
}

#[tokio::test]
async fn log_in_accepts_the_email_in_any_case() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD).await;

    let response = log_in(&client, " ADA@example.com", PASSWORD).await;

    response.assert_status(
        StatusCode::OK,
        "TODO 4: emails are stored trimmed and in lower case: look up the email the same \
         way (`normalize_email`).",
    );
}

#[tokio::test]
async fn an_unknown_email_costs_the_same_argon2_work_as_a_wrong_password() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD)
        .await
        .assert_status(
            StatusCode::CREATED,
            "TODO 2a: POST /register creates the user.",
        );

    let start = context.passwords.checks();
    log_in(&client, "ada@example.com", "not the password").await;
    let wrong_password = context.passwords.checks() - start;
    let start = context.passwords.checks();
    log_in(&client, "nobody@example.com", "not the password").await;
    let unknown_email = context.passwords.checks() - start;

    assert!(
        wrong_password >= 1,
        "TODO 4: a log-in with a wrong password ran no argon2 check: check the password \
         with `state.passwords`"
    );
    assert_eq!(
        unknown_email, wrong_password,
        "TODO 4: a log-in for an unknown email ran {unknown_email} argon2 check(s), one with \
         a wrong password {wrong_password}. Answering an unknown email sooner tells anyone \
         who has an account, by the time it takes: check it as well, as a user with no \
         stored hash (notes, step 7 \"Logging in, and the cookie\")"
    );
}

#[tokio::test]
async fn a_stored_hash_that_does_not_parse_locks_the_account() {
    let context = spawn_app().await;
    register(&context.client(), "ada@example.com", PASSWORD)
        .await
        .assert_status(
            StatusCode::CREATED,
            "TODO 2a: POST /register creates the user.",
        );
    // The log-in itself must work first; otherwise a crash below would be
    // blamed on the damaged hash.
    log_in(&context.client(), "ada@example.com", PASSWORD)
        .await
        .assert_status(
            StatusCode::OK,
            "TODO 4: POST /login with the right password is 200 (checked here before the \
             stored hash is damaged).",
        );
    context
        .db
        .collection::<Document>("users")
        .update_one(
            doc! { "email": "ada@example.com" },
            doc! { "$set": { "password_hash": "damaged: not a PHC string" } },
        )
        .await
        .expect("damage the stored hash");
    let client = context.client();

    let attempt = tokio::spawn(async move {
        let response = log_in(&client, "ada@example.com", PASSWORD).await;
        (response, client.cookie("token"))
    })
    .await;

    let Ok((response, cookie)) = attempt else {
        panic!(
            "TODO 2b: a log-in against a stored hash that does not parse crashed the request. \
             Treat it as a password that does not match: refuse, and keep serving (notes, \
             step 4)"
        );
    };
    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 2b: a stored hash that does not parse must refuse the log-in like a wrong \
         password, 401 (fail closed: a damaged record locks its account, never opens it).",
    );
    assert_eq!(cookie, None, "TODO 2b: a damaged hash logs no one in");
}

#[tokio::test]
async fn the_token_cookie_is_httponly_samesite_and_lasts_as_long_as_the_token() {
    let context = spawn_app().await;
    let client = context.client();
    register(&client, "ada@example.com", PASSWORD).await;

    let response = log_in(&client, "ada@example.com", PASSWORD).await;

    let cookie = response
        .set_cookie("token")
        .expect("TODO 4: POST /login should answer with `Set-Cookie: token=…`");
    let attributes = cookie.to_string();
    for (present, rule) in [
        (
            cookie.http_only() == Some(true),
            "HttpOnly, so page scripts cannot read it",
        ),
        (
            cookie.same_site() == Some(axum_extra::extract::cookie::SameSite::Lax),
            "SameSite=Lax, so another site's hidden form does not carry it",
        ),
        (
            cookie.secure() == Some(true),
            "Secure (the config's `secure_cookies` says so here)",
        ),
        (cookie.path() == Some("/"), "Path=/, so every page gets it"),
        (
            cookie.max_age() == Some(time::Duration::hours(1)),
            "Max-Age=3600: the config's `token_lifetime`, as long as the token lasts",
        ),
    ] {
        assert!(
            present,
            "TODO 5: the log-in cookie must be {rule} (notes, \"Where the token lives\"). \
             POST /login set: {attributes}"
        );
    }
    response.assert_body_lacks(
        cookie.value(),
        "given code (src/accounts.rs): the token travels in the HttpOnly cookie only, never \
         in the body where scripts see it",
    );

    let header =
        jsonwebtoken::decode_header(cookie.value()).expect("TODO 3b: the cookie should hold a JWT");
    assert_eq!(
        header.alg,
        Algorithm::HS256,
        "TODO 3b: tokens are signed with HS256"
    );
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    let claims = jsonwebtoken::decode::<Value>(
        cookie.value(),
        &DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .expect("TODO 3b: the token is signed with the configured secret")
    .claims;
    assert_eq!(
        claims["sub"],
        string_field(&response, "id"),
        "TODO 4: `sub` is the id of the user who logged in"
    );
    let iat = claims["iat"].as_u64().unwrap_or_default();
    let exp = claims["exp"].as_u64().unwrap_or_default();
    assert!(iat.abs_diff(now()) < 60, "TODO 3b: `iat` is now");
    assert_eq!(
        exp.saturating_sub(iat),
        3600,
        "TODO 3b: tokens last one hour"
    );
}

#[tokio::test]
async fn cookie_secure_can_be_switched_off_for_plain_http() {
    let db = TestDatabase::new().await;
    subject::prepare(&db).await.expect("prepare the database");
    let config = AuthConfig {
        secure_cookies: false,
        ..test_config()
    };
    let client = TestClient::new(subject::app(db.database(), config));
    register(&client, "ada@example.com", PASSWORD).await;

    let response = log_in(&client, "ada@example.com", PASSWORD).await;

    let cookie = response
        .set_cookie("token")
        .expect("TODO 4: POST /login should set a `token` cookie");
    assert_ne!(
        cookie.secure(),
        Some(true),
        "TODO 5: with `secure_cookies: false` (COOKIE_SECURE=false) the cookie is not \
         Secure: follow the config, not a fixed `true`"
    );
    assert_eq!(
        cookie.http_only(),
        Some(true),
        "TODO 5: without Secure, the cookie is still HttpOnly"
    );
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
        response.assert_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "TODO 6 (the given part of `authenticate`): without the `token` cookie, \
             protected routes are 401: the middleware answers before the handler runs.",
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 6: a request without a valid token is refused before any handler runs.",
    );
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
        response.assert_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "TODO 6: a token signed with another secret is 401: `state.tokens` checks the \
             signature (notes, step 8).",
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 6: a request without a valid token is refused before any handler runs.",
    );
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
        response.assert_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "TODO 6: a token whose claims were changed no longer matches its signature: 401.",
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 6: a request without a valid token is refused before any handler runs.",
    );
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

    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 6: an expired token is 401.",
    );
    response.assert_body_contains(
        "expired",
        "TODO 6: tell the user their session expired, the one refusal they can act on \
         (notes, step 8).",
    );
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 6: a request without a valid token is refused before any handler runs.",
    );
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

    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 3a: a token with `alg: none` carries no signature at all: 401.",
    );
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 3a: a request without a valid token is refused before any handler runs.",
    );
}

#[tokio::test]
async fn a_token_with_another_algorithm_is_refused_even_with_the_right_secret() {
    let context = spawn_app().await;
    let ada_id = signed_up(&context.client(), "ada@example.com").await;
    let hs512 = token_signed(&claims_for(&ada_id), SECRET, Algorithm::HS512);

    let response = me_with_token(&context, &hs512).await;

    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 3a: a token signed with HS512 was not made by us, even with the right \
         secret: 401. Pin the algorithm (notes, step 6).",
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
        response.assert_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            &format!(
                "TODO 6: the token {token:?} must not log anyone in: it needs a valid \
                 signature, `sub` and `exp`, and `sub` must be the id of a stored user."
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
    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 6: a token for a deleted user is 401: the middleware loads the user from \
         MongoDB on every request (notes, \"What a JWT is\").",
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

    response.assert_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "TODO 6 (the given part of `authenticate`): this API reads the token from the \
         `token` cookie only (notes, \"Where the token lives\").",
    );
    response
        .assert_body_contains(
            "Authorization header",
            "given code (`AuthError::NoCookie`): say that the header came and is not read, so \
             the client knows its token was seen and why it was refused.",
        )
        .assert_body_contains(
            "cookie",
            "given code (`AuthError::NoCookie`): point the client to the cookie.",
        );
}

#[tokio::test]
async fn every_bad_token_gets_one_and_the_same_refusal() {
    let context = spawn_app().await;
    let ada = context.client();
    let ada_id = signed_up(&ada, "ada@example.com").await;
    let bob = context.client();
    signed_up(&bob, "bob@example.com").await;
    let bobs_token = bob.cookie("token").expect("Bob is logged in");
    context
        .db
        .collection::<Document>("users")
        .delete_one(doc! { "email": "bob@example.com" })
        .await
        .expect("delete Bob");
    let token = ada.cookie("token").expect("Ada is logged in");
    let parts: Vec<&str> = token.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64url(&json!({ "sub": ada_id, "iat": now(), "exp": now() + 7200 })),
        parts.get(2).unwrap_or(&"")
    );
    let unsigned = format!(
        "{}.{}.",
        base64url(&json!({ "alg": "none", "typ": "JWT" })),
        base64url(&claims_for(&ada_id))
    );

    let bad_tokens = [
        (
            "signed with another secret",
            token_signed(
                &claims_for(&ada_id),
                "someone else's secret, 32 bytes or more",
                Algorithm::HS256,
            ),
        ),
        ("with changed claims", tampered),
        ("with `alg: none`", unsigned),
        (
            "signed with HS512",
            token_signed(&claims_for(&ada_id), SECRET, Algorithm::HS512),
        ),
        ("that is empty", String::new()),
        ("that is not a JWT", "not-a-token".to_owned()),
        ("of three empty parts", "a.b.c".to_owned()),
        (
            "without `sub`",
            token_signed(
                &json!({ "iat": now(), "exp": now() + 3600 }),
                SECRET,
                Algorithm::HS256,
            ),
        ),
        (
            "whose `sub` is not an id",
            token_signed(&claims_for("ada@example.com"), SECRET, Algorithm::HS256),
        ),
        (
            "whose `sub` is no stored user",
            token_signed(
                &claims_for("65f000000000000000000000"),
                SECRET,
                Algorithm::HS256,
            ),
        ),
        ("of a deleted user", bobs_token),
    ];
    let mut refusals = Vec::new();
    for (what, token) in &bad_tokens {
        let response = me_with_token(&context, token).await;
        response.assert_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            &format!("TODO 6: a token {what} must be refused: 401."),
        );
        refusals.push((what, response.text()));
    }

    let (first, first_body) = &refusals[0];
    for (what, body) in &refusals[1..] {
        assert_eq!(
            body, first_body,
            "TODO 6: every bad token gets one and the same refusal, so a forger learns \
             nothing about what went wrong (notes, step 8 \"The middleware, grown up\"). \
             A token {first} got {first_body}, a token {what} got {body}"
        );
    }
    for word in [
        "Signature",
        "Algorithm",
        "Base64",
        "JSON",
        "Json",
        "claim",
        "Invalid",
    ] {
        assert!(
            !first_body.contains(word),
            "TODO 6: the refusal must not pass on jsonwebtoken's error ({word:?}): log it, \
             and answer in your own words. Got {first_body}"
        );
    }
}

#[tokio::test]
async fn log_out_deletes_the_cookie_even_when_there_is_none() {
    let context = spawn_app().await;
    let client = context.client();

    let response = client.post_json("/logout", &json!({})).await;

    response.assert_status(
        StatusCode::NO_CONTENT,
        "given code (src/accounts.rs): POST /logout is 204, logged in or not.",
    );
    let cookie = response.set_cookie("token").expect(
        "given code (src/accounts.rs): log-out answers with a `Set-Cookie: token=…` that \
         deletes the cookie",
    );
    assert_eq!(
        cookie.value(),
        "",
        "given code: the deleting cookie is empty"
    );
    assert_eq!(
        cookie.max_age(),
        Some(time::Duration::ZERO),
        "given code: the deleting cookie has Max-Age=0"
    );
    assert_eq!(
        cookie.path(),
        Some("/"),
        "TODO 5: the deleting cookie is the log-in cookie, emptied: it needs the same \
         `Path=/`, or the browser keeps the token"
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

    response.assert_status(
        StatusCode::CREATED,
        "TODO 6: POST /messages, logged in, is 201.",
    );
    let id = string_field(&response, "id");
    response.assert_header(
        "location",
        &format!("/messages/{id}"),
        "given code (src/handlers.rs): a 201 says where the new message lives.",
    );
    assert_eq!(
        string_field(&response, "owner_id"),
        ada_id,
        "TODO 6: the owner comes from the token, never from the body: the middleware's \
         `CurrentUser` is the user the token's `sub` names"
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
        "given code (src/handlers.rs): the stored message has `owner_id`, the creator's \
         ObjectId"
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

    list.assert_status(StatusCode::OK, "TODO 6: any logged-in user reads the list.");
    let list: Value = list.json();
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "one message: {list}"
    );
    assert_eq!(list[0]["id"], message_id, "ids are hex strings: {list}");
    one.assert_status(
        StatusCode::OK,
        "TODO 7: any logged-in user reads one message: only changes need the owner.",
    );
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
        response.assert_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "TODO 7: changing someone else's message is 403 `forbidden`: we know who \
             asks, and logging in again will not help (notes, step 9 \"Owners\").",
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 7: a message that is not yours is refused before anything is written.",
    );

    ada.delete(&path)
        .await
        .assert_status(StatusCode::NO_CONTENT, "TODO 7: the owner may delete: 204.");
    ada.get(&path).await.assert_error(
        StatusCode::NOT_FOUND,
        "not_found",
        "given code (src/handlers.rs): a deleted message is gone: 404.",
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
        "given code (src/handlers.rs): ?limit=2, oldest first"
    );
    assert_eq!(
        names(&last),
        ["\"Third\""],
        "given code (src/handlers.rs): ?skip=2 leaves out the first two"
    );
    bad_limit.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "given code (src/page.rs): limit is a whole number from 1 to 100, as in lesson 06.",
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
            response.assert_error(
                StatusCode::BAD_REQUEST,
                "invalid_id",
                "given code (src/error.rs): an id that is not 24 hex characters is 400 \
                 `invalid_id`.",
            );
        }
    }
    let unknown = "/messages/65f000000000000000000000";
    for response in [
        ada.get(unknown).await,
        ada.put_json(unknown, &body).await,
        ada.delete(unknown).await,
    ] {
        response.assert_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "given code (src/handlers.rs): a well-formed id that is not stored is 404.",
        );
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "given code (src/handlers.rs): an id that is not stored changes nothing.",
    );
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
            response.assert_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "given code (src/message.rs): an empty or too long name, or an email that is \
                 not an address, is 422.",
            );
            assert_eq!(response.json::<Value>()["error"]["field"], field);
        }
    }
    before.assert_unchanged(
        &stored(&context.db).await,
        "given code (src/message.rs): a message that fails validation is never stored.",
    );
}

#[tokio::test]
async fn limits_are_checked_at_their_boundaries() {
    let context = spawn_app().await;
    let client = context.client();
    let eight = "12345678";
    let accented_eight = "\u{e9}".repeat(8);
    let longest = "p".repeat(128);
    let longest_email = format!("{}@example.com", "a".repeat(242));
    let too_long_email = format!("{}@example.com", "a".repeat(243));

    for (email, password) in [
        ("eight@example.com", eight),
        ("accents@example.com", accented_eight.as_str()),
        ("longest@example.com", longest.as_str()),
        (longest_email.as_str(), PASSWORD),
    ] {
        register(&client, email, password).await.assert_status(
            StatusCode::CREATED,
            &format!(
                "given code (src/user.rs, reached after TODO 2a): a password of 8 to 128 \
                 characters (counted as characters, not bytes) and an email of up to 254 \
                 bytes are accepted; this one was {} characters, its email {} bytes.",
                password.chars().count(),
                email.len()
            ),
        );
    }
    let response = register(&client, &too_long_email, PASSWORD).await;
    response.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "given code (src/user.rs): an email of 255 bytes is too long: 422.",
    );
    let response = register(&client, "seven@example.com", &"\u{e9}".repeat(7)).await;
    response.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "given code (src/user.rs): 7 characters are too few, even in 14 bytes: 422.",
    );

    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;
    let body = json!({ "name": "n".repeat(100), "email": "ada@example.com" });
    ada.post_json("/messages", &body).await.assert_status(
        StatusCode::CREATED,
        "given code (src/message.rs, reached after TODO 6): a name of 100 characters is \
         accepted.",
    );
    ada.get("/messages?limit=100").await.assert_status(
        StatusCode::OK,
        "given code (src/page.rs, reached after TODO 6): ?limit=100 is accepted.",
    );
    ada.get("/messages?limit=101").await.assert_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        "given code (src/page.rs): ?limit=101 is too many: 422.",
    );
}

#[tokio::test]
async fn rejections_say_what_serde_found() {
    let context = spawn_app().await;
    let ada = context.client();
    signed_up(&ada, "ada@example.com").await;

    let form = ada
        .post_form("/login", &[("email", "ada@example.com")])
        .await;
    let query = ada.get("/messages?limit=1&limit=2").await;

    for (response, words) in [(&form, "password"), (&query, "limit")] {
        response.assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "given code (src/error.rs): a form or a query string that does not fit is 422.",
        );
        let message = response.json::<Value>()["error"]["message"].to_string();
        assert!(
            message.contains(words),
            "given code (src/error.rs, `serde_reason`): the 422 says what serde found, \
             naming `{words}`, got {message}"
        );
    }
}

#[tokio::test]
async fn unknown_routes_are_404_in_json() {
    let context = spawn_app().await;

    let response = context.client().get("/no-such-route").await;

    response.assert_error(
        StatusCode::NOT_FOUND,
        "not_found",
        "given code (src/handlers.rs): unknown routes answer 404 in the JSON error shape.",
    );
}

// ---------------------------------------------------------------------------
// The pages
// ---------------------------------------------------------------------------

/// Whether `response` is the log-in form.
#[track_caller]
fn assert_login_form(response: &TestResponse, what_to_fix: &str) {
    response
        .assert_status(StatusCode::OK, what_to_fix)
        .assert_body_contains(r#"action="/login""#, what_to_fix);
}

#[tokio::test]
async fn the_pages_show_forms_and_the_log_in_form_to_visitors() {
    let context = spawn_app().await;
    let visitor = context.client();

    let register = visitor.get("/register").await;
    register.assert_status(
        StatusCode::OK,
        "given code (src/site.rs): GET /register shows the sign-up form.",
    );
    register.assert_body_contains(r#"action="/register""#, "the sign-up form");
    assert_login_form(
        &visitor.get("/login").await,
        "given code (src/site.rs): GET /login shows the log-in form.",
    );
    assert_login_form(
        &visitor.get("/").await,
        "TODO 6 (the given part): GET / without a log-in shows the log-in form \
         (`require_user_for_pages`).",
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
        "TODO 6: a forged token is no log-in for the pages either.",
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
        "TODO 2a: a sign-up form redirects when it worked.",
    );
    response.assert_header(
        "location",
        "/login?registered=1",
        "given code (src/accounts.rs): on to the log-in form.",
    );
    let page = browser.get("/login?registered=1").await;
    page.assert_body_contains(
        "account is ready",
        "the log-in page says so after a sign-up",
    );

    let response = browser.post_form("/login", &credentials).await;
    response.assert_status(
        StatusCode::SEE_OTHER,
        "TODO 4: a log-in form redirects when it worked.",
    );
    response.assert_header(
        "location",
        "/",
        "given code (src/accounts.rs): on to the home page.",
    );
    assert!(
        browser.cookie("token").is_some(),
        "TODO 4: the form log-in sets the cookie"
    );

    let home = browser.get("/").await;
    home.assert_status(
        StatusCode::OK,
        "TODO 6: GET / logged in shows the logged-in page.",
    );
    home.assert_body_contains("Hello, ada@example.com", "the home page greets the user");

    let no_fields: [(&str, &str); 0] = [];
    let response = browser.post_form("/logout", &no_fields).await;
    response.assert_status(
        StatusCode::SEE_OTHER,
        "given code (src/accounts.rs): the log-out form redirects.",
    );
    response.assert_header("location", "/", "given code (src/accounts.rs): back home.");
    assert_eq!(
        browser.cookie("token"),
        None,
        "TODO 5: log-out deletes the cookie (same name and `Path` as the log-in cookie)"
    );
    assert_login_form(
        &browser.get("/").await,
        "TODO 6: logged out, / shows the log-in form again.",
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

    login
        .assert_status(
            StatusCode::UNAUTHORIZED,
            "TODO 4: a failed log-in form is 401.",
        )
        .assert_body_contains(
            "wrong email or password",
            "TODO 4: a failed log-in says \"wrong email or password\", whichever was wrong.",
        )
        .assert_body_contains(
            r#"value="ada@example.com""#,
            "given code (src/accounts.rs): keep the email typed",
        );
    taken.assert_status(
        StatusCode::CONFLICT,
        "given code (src/accounts.rs): a taken email in the form is 409.",
    );
    taken.assert_body_contains(
        "<form",
        "given code (src/accounts.rs): show the form again.",
    );
    assert_eq!(
        browser.cookie("token"),
        None,
        "TODO 4: a failed log-in sets no cookie"
    );
    before.assert_unchanged(
        &stored(&context.db).await,
        "TODO 4: a failed log-in writes nothing.",
    );
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
        "given code (src/pages.rs): templates escape what visitors typed (their names end \
         in `.html`): {page}"
    );
}

#[tokio::test]
async fn a_page_that_cannot_render_is_a_plain_500() {
    let error = subject::pages::Pages::new()
        .render("no-such-page.html", minijinja::Value::UNDEFINED)
        .expect_err("given code (src/pages.rs): rendering a template that does not exist fails");

    let page =
        TestResponse::read("a page with no template".to_owned(), error.into_response()).await;

    page.assert_error_page_hides("no-such-page", "Given code: `PageError` in src/pages.rs.");
}

// ---------------------------------------------------------------------------
// The server binary
// ---------------------------------------------------------------------------

#[tokio::test]
async fn production_settings_follow_owasp() {
    let config = AuthConfig::new(
        JwtSecret::new(SECRET)
            .expect("TODO 1: `JwtSecret::new` should accept the tests' secret of 53 bytes"),
    );

    let params = config.passwords.params();
    assert_eq!(
        (params.m_cost(), params.t_cost(), params.p_cost()),
        (19 * 1024, 2, 1),
        "given code (src/config.rs): production argon2id is 19 MiB, 2 passes, 1 lane \
         (OWASP's recommendation)"
    );
    assert_eq!(
        config.token_lifetime,
        Duration::from_secs(3600),
        "given code (src/config.rs): a log-in lasts one hour"
    );
    assert!(
        config.secure_cookies,
        "given code (src/config.rs): cookies are Secure in production"
    );
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
    let client = TestClient::at(server.url());

    register(&client, "ada@example.com", PASSWORD)
        .await
        .assert_status(
            StatusCode::CREATED,
            "TODO 2a: the running server signs users up.",
        );
    let response = log_in(&client, "ada@example.com", PASSWORD).await;
    response.assert_status(StatusCode::OK, "TODO 4: the running server logs users in.");
    let cookie = response
        .set_cookie("token")
        .expect("TODO 4: POST /login should set a `token` cookie");
    assert_eq!(
        cookie.secure(),
        Some(true),
        "TODO 5: without COOKIE_SECURE, the running server's cookie is Secure, got {cookie}"
    );
    client.get("/me").await.assert_status(
        StatusCode::OK,
        "TODO 6: the cookie works over a real connection.",
    );

    let user = stored_user(&db, "ada@example.com").await;
    let hash = user.get_str("password_hash").unwrap_or_default();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "TODO 2a: the binary hashes with the production settings (the config's \
         `passwords`), got {hash:?}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_answers_the_request_in_flight_then_exits_cleanly() {
    let db = TestDatabase::new().await;
    let server = ServerProcess::start(
        env!("CARGO_PKG_NAME"),
        &[
            ("JWT_SECRET", SECRET),
            ("MONGODB_URI", db.uri()),
            ("MONGODB_DB", db.name()),
        ],
    );

    server.assert_graceful_shutdown("/nope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_error_goes_to_the_servers_log_once_with_the_drivers_words() {
    let db = TestDatabase::new().await;
    let link = Link::to(&db).await;
    let mut server = ServerProcess::start(
        env!("CARGO_PKG_NAME"),
        &[
            ("PORT", "0"),
            ("JWT_SECRET", SECRET),
            ("MONGODB_URI", &link.uri(&db, Duration::from_secs(1))),
            ("MONGODB_DB", db.name()),
        ],
    );
    let app = TestClient::at(server.url());

    link.cut().await;
    log_in(&app, "ada@example.com", PASSWORD)
        .await
        .assert_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "TODO 4: a log-in while MongoDB is down is 503, never a 401 (notes, step 12).",
        );
    let exit = server.stop();

    exit.assert_logged_once(
        &DRIVER_WORDS,
        "TODO 4: a log-in that fails because MongoDB is down is logged once, with the driver's \
         words, and answered without them: `?` on the driver's error does both (notes, step 12).",
    );
}

#[tokio::test]
async fn a_taken_port_gives_a_one_line_error() {
    let db = TestDatabase::new().await;

    assert_taken_port_is_refused(
        env!("CARGO_PKG_NAME"),
        &[
            ("JWT_SECRET", SECRET),
            ("MONGODB_URI", db.uri()),
            ("MONGODB_DB", db.name()),
        ],
        "given code",
    );
}

#[tokio::test]
async fn the_server_reads_cookie_secure() {
    let db = TestDatabase::new().await;
    let server = ServerProcess::start(
        env!("CARGO_PKG_NAME"),
        &[
            ("PORT", "0"),
            ("JWT_SECRET", SECRET),
            ("MONGODB_URI", db.uri()),
            ("MONGODB_DB", db.name()),
            ("COOKIE_SECURE", "false"),
        ],
    );
    let client = TestClient::at(server.url());
    register(&client, "ada@example.com", PASSWORD)
        .await
        .assert_status(
            StatusCode::CREATED,
            "TODO 2a: the running server signs users up.",
        );

    let response = log_in(&client, "ada@example.com", PASSWORD).await;

    let cookie = response
        .set_cookie("token")
        .expect("TODO 4: POST /login should set a `token` cookie");
    assert_ne!(
        cookie.secure(),
        Some(true),
        "TODO 5: with COOKIE_SECURE=false the cookie is not Secure (`AuthConfig::from_env` \
         reads it into `secure_cookies`), got {cookie}"
    );

    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .envs(&[
            ("JWT_SECRET", SECRET),
            ("MONGODB_URI", db.uri()),
            ("COOKIE_SECURE", "no"),
        ])
        .assert_refuses_to_start(
            &["COOKIE_SECURE"],
            "given code (src/config.rs, next to TODO 1): COOKIE_SECURE is `true` or `false`; \
         any other value stops the server with one line that names it.",
        );
}

#[test]
fn the_server_refuses_to_start_without_a_secret() {
    let uri = test_mongodb::mongodb_uri();

    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .envs(&[("JWT_SECRET", ""), ("MONGODB_URI", uri)])
        .assert_refuses_to_start(
            &["JWT_SECRET"],
            "TODO 1: with JWT_SECRET empty, the server must refuse to start, and say which \
         variable to set (notes, \"Why the notes' secret is a vulnerability\").",
        );
}

#[test]
fn the_server_refuses_a_short_secret() {
    let uri = test_mongodb::mongodb_uri();

    // As short as the source notes' hard-coded secret: guessable, and refused.
    let short = "x".repeat(NOTES_SECRET_BYTES);
    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .envs(&[("JWT_SECRET", short.as_str()), ("MONGODB_URI", uri)])
        .assert_refuses_to_start(
            &["JWT_SECRET", "32"],
            "TODO 1: with a secret as short as the notes' (13 bytes), the server must refuse \
             to start, and say that it needs 32 bytes.",
        );
}

#[test]
fn the_server_refuses_to_start_without_mongodb_uri() {
    ServerProcess::command(env!("CARGO_PKG_NAME"))
        .envs(&[("JWT_SECRET", SECRET), ("MONGODB_URI", "")])
        .assert_refuses_to_start(
            &["MONGODB_URI"],
            "given code (src/main.rs, reached after TODO 1): with MONGODB_URI empty, name the \
             variable.",
        );
}

#[test]
fn the_server_names_a_connection_string_that_is_not_one() {
    assert_names_a_bad_connection_string(
        ServerProcess::command(env!("CARGO_PKG_NAME")).env("JWT_SECRET", SECRET),
        "given code: src/main.rs",
    );
}

#[test]
fn hide_password_keeps_only_the_scheme_and_the_host() {
    assert_hides_the_password(
        subject::database::hide_password,
        "given code (src/database.rs)",
    );
}

#[test]
fn the_server_says_how_to_start_mongodb_when_none_answers() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    // The URI's own short timeout keeps this test quick; without it the
    // server waits its default few seconds before it gives up. The URI
    // carries a password, which the error line must not show.
    let uri =
        format!("mongodb://ada:hunter2-db-pass@127.0.0.1:{port}/?serverSelectionTimeoutMS=100");

    let host = format!("@127.0.0.1:{port}");
    let exit = ServerProcess::command(env!("CARGO_PKG_NAME"))
        .envs(&[("JWT_SECRET", SECRET), ("MONGODB_URI", &uri)])
        .assert_refuses_to_start(
            &["docker run", &host],
            "given code (src/main.rs, reached after TODO 1): when no MongoDB answers, say \
         where it looked and how to start one (`docker run -d -p 27017:27017 mongo:8.0`).",
        );
    assert!(
        !exit.stderr.contains("hunter2"),
        "given code (src/main.rs, `hide_password`): a password in MONGODB_URI never goes \
         into a log line, got:\n{}",
        exit.stderr
    );
}

// Two worker threads, as a real server has: the clients and the server
// then run side by side, as they would on two machines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_clients_that_hang_up_does_not_stall_the_server() {
    let context = spawn_app().await;
    let client = TestClient::serve(context.router.clone()).await;
    signed_up(&client, "ada@example.com").await;

    assert_no_stall_after_clients_hang_up(&client, "/messages").await;
}
