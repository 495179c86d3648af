//! Property tests of the reference solution, on a real MongoDB: whatever a
//! client sends (bodies, ids, query strings, cookies, headers), the API
//! answers without a server error, refuses in its JSON error shape, lets no
//! made-up token in, and a refused request changes nothing in the database.
//! A failure is shrunk to its smallest input.
//!
//! `cargo test -p solution-09-jwt --test properties`
//! (`PROPTEST_CASES=1000` for a longer run).

use axum::Router;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{Method, Request, StatusCode};
use futures::TryStreamExt;
use mongodb::bson::{Document, doc};
use serde_json::json;
use solution_09_jwt::password::Passwords;
use solution_09_jwt::{AuthConfig, JwtSecret, app, prepare};
use test_mongodb::TestDatabase;
use test_properties::proptest::prelude::*;
use test_properties::{
    any_json, assert_handled, check, message_like, path_segment, query_string, runtime, token_like,
};
use test_support::TestClient;

/// Signs the tests' tokens; it exists only in these tests.
const SECRET: &str = "lesson 09 secret for the property tests only, 32 bytes+";

/// The app on a fresh database, and Ada, signed up and logged in, who has
/// written one message.
async fn app_with_ada() -> (Router, TestDatabase, TestClient) {
    let db = TestDatabase::new().await;
    prepare(&db).await.expect("the unique index on email");
    // argon2 at its lowest cost: the properties sign up many users.
    let params = argon2::Params::new(argon2::Params::MIN_M_COST, 1, 1, None).expect("params");
    let config = AuthConfig {
        passwords: Passwords::new(params),
        ..AuthConfig::new(JwtSecret::new(SECRET).expect("a long enough secret"))
    };
    let router = app(db.database(), config);
    let ada = TestClient::new(router.clone());
    let credentials =
        json!({ "email": "ada@example.com", "password": "correct horse battery staple" });
    ada.post_json("/register", &credentials).await;
    ada.post_json("/login", &credentials).await;
    let message = json!({ "name": "Ada", "email": "ada@example.com" });
    ada.post_json("/messages", &message)
        .await
        .assert_status(StatusCode::CREATED, "Ada, logged in, writes a message");
    (router, db, ada)
}

/// Every stored user and message, as MongoDB has them.
async fn stored(db: &TestDatabase) -> Vec<Document> {
    let mut everything = Vec::new();
    for collection in ["users", "messages"] {
        let documents: Vec<Document> = db
            .collection::<Document>(collection)
            .find(doc! {})
            .sort(doc! { "_id": 1 })
            .await
            .expect("reading the collection")
            .try_collect()
            .await
            .expect("reading the collection");
        everything.extend(documents);
    }
    everything
}

#[test]
fn a_made_up_token_in_the_cookie_or_a_header_never_gets_in() {
    let runtime = runtime();
    let (router, _db, _ada) = runtime.block_on(app_with_ada());
    let stranger = &TestClient::new(router);
    let places = prop_oneof![Just(COOKIE), Just(AUTHORIZATION)];
    check(
        &runtime,
        (places, token_like()),
        move |(place, token)| async move {
            let value = if place == COOKIE {
                format!("token={token}")
            } else {
                format!("Bearer {token}")
            };
            let request = Request::get("/messages")
                .header(place, value)
                .body(Vec::new())
                .expect("a request");
            let response = stranger.send(request).await;
            assert!(assert_handled(&response), "a made-up token is refused");
            assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "a made-up token is 401"
            );
        },
    );
}

#[test]
fn any_json_to_sign_up_or_log_in_is_handled_and_a_refusal_changes_nothing() {
    let runtime = runtime();
    let (router, db, _ada) = runtime.block_on(app_with_ada());
    let (router, db) = (&router, &db);
    let paths = prop_oneof![Just("/register"), Just("/login")];
    let bodies = prop_oneof![message_like(), any_json()];
    check(&runtime, (paths, bodies), move |(path, body)| async move {
        let before = stored(db).await;
        let visitor = TestClient::new(router.clone());
        let response = visitor.post_json(path, &body).await;
        if assert_handled(&response) {
            assert_eq!(
                stored(db).await,
                before,
                "a refused request changes nothing"
            );
            assert!(
                visitor.cookie("token").is_none(),
                "a refusal sets no token cookie"
            );
        }
    });
}

#[test]
fn any_body_or_id_from_a_logged_in_user_is_handled_and_a_refusal_changes_nothing() {
    let runtime = runtime();
    let (_router, db, ada) = runtime.block_on(app_with_ada());
    let (ada, db) = (&ada, &db);
    let methods = prop_oneof![Just(Method::GET), Just(Method::PUT), Just(Method::DELETE)];
    let bodies = prop_oneof![message_like(), any_json()];
    check(
        &runtime,
        (methods, path_segment(), bodies),
        move |(method, id, body)| async move {
            let before = stored(db).await;
            let path = format!("/messages/{id}");
            let response = match method {
                Method::PUT => ada.put_json(&path, &body).await,
                Method::DELETE => ada.delete(&path).await,
                _ => ada.get(&path).await,
            };
            if assert_handled(&response) {
                assert_eq!(
                    stored(db).await,
                    before,
                    "a refused request changes nothing"
                );
            }
        },
    );
}

#[test]
fn any_query_string_on_the_list_is_handled_and_changes_nothing() {
    let runtime = runtime();
    let (_router, db, ada) = runtime.block_on(app_with_ada());
    let (ada, db) = (&ada, &db);
    check(&runtime, query_string(), move |query| async move {
        let before = stored(db).await;
        assert_handled(&ada.get(&format!("/messages?{query}")).await);
        assert_eq!(stored(db).await, before, "a GET changes nothing");
    });
}
