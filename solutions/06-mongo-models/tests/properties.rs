//! Property tests of the reference solution, on a real MongoDB: whatever a
//! client sends, the API answers it without a server error, refuses bad
//! input in its JSON error shape, and a refused request changes nothing in
//! the database. A failure is shrunk to its smallest input.
//!
//! `cargo test -p solution-06-mongo-models --test properties`
//! (`PROPTEST_CASES=1000` for a longer run).

use axum::http::Method;
use futures::TryStreamExt;
use mongodb::bson::{Document, doc};
use serde_json::{Value, json};
use solution_06_mongo_models::{app, prepare};
use test_mongodb::TestDatabase;
use test_properties::proptest::prelude::*;
use test_properties::{
    any_json, assert_handled, check, message_like, path_segment, query_string, runtime,
};
use test_support::TestClient;

/// The API on a fresh database that holds one message, Ada's; returns its id.
async fn app_with_ada() -> (TestClient, TestDatabase, String) {
    let db = TestDatabase::new().await;
    prepare(&db).await.expect("the unique index on email");
    let client = TestClient::new(app(db.database()));
    let ada = json!({ "name": "Ada Lovelace", "email": "ada@example.com" });
    let created: Value = client.post_json("/messages", &ada).await.json();
    let id = created["id"].as_str().expect("Ada's id").to_owned();
    (client, db, id)
}

/// Every stored message, as MongoDB has it.
async fn stored(db: &TestDatabase) -> Vec<Document> {
    db.collection::<Document>("messages")
        .find(doc! {})
        .sort(doc! { "_id": 1 })
        .await
        .expect("reading the messages")
        .try_collect()
        .await
        .expect("reading the messages")
}

#[test]
fn any_json_body_is_handled_and_a_refusal_changes_nothing() {
    let runtime = runtime();
    let (client, db, id) = runtime.block_on(app_with_ada());
    let (client, db, ada) = (&client, &db, &format!("/messages/{id}"));
    let methods = prop_oneof![Just(Method::POST), Just(Method::PUT)];
    let bodies = prop_oneof![message_like(), any_json()];
    check(
        &runtime,
        (methods, bodies),
        move |(method, body)| async move {
            let before = stored(db).await;
            let response = match method {
                Method::PUT => client.put_json(ada, &body).await,
                _ => client.post_json("/messages", &body).await,
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
fn any_bytes_as_a_json_body_are_handled_and_a_refusal_changes_nothing() {
    let runtime = runtime();
    let (client, db, id) = runtime.block_on(app_with_ada());
    let (client, db, ada) = (&client, &db, &format!("/messages/{id}"));
    let methods = prop_oneof![Just(Method::POST), Just(Method::PUT)];
    let bodies = prop::collection::vec(any::<u8>(), 0..200);
    check(
        &runtime,
        (methods, bodies),
        move |(method, body)| async move {
            let before = stored(db).await;
            let path = if method == Method::POST {
                "/messages"
            } else {
                ada
            };
            let response = client
                .send_raw(method, path, "application/json", body)
                .await;
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
fn any_id_in_the_path_is_handled_and_a_refusal_changes_nothing() {
    let runtime = runtime();
    let (client, db, _) = runtime.block_on(app_with_ada());
    let (client, db) = (&client, &db);
    let methods = prop_oneof![Just(Method::GET), Just(Method::PUT), Just(Method::DELETE)];
    check(
        &runtime,
        (methods, path_segment()),
        move |(method, id)| async move {
            let before = stored(db).await;
            let path = format!("/messages/{id}");
            let grace = json!({ "name": "Grace Hopper", "email": "grace@example.com" });
            let response = match method {
                Method::PUT => client.put_json(&path, &grace).await,
                Method::DELETE => client.delete(&path).await,
                _ => client.get(&path).await,
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
    let (client, db, _) = runtime.block_on(app_with_ada());
    let (client, db) = (&client, &db);
    check(&runtime, query_string(), move |query| async move {
        let before = stored(db).await;
        assert_handled(&client.get(&format!("/messages?{query}")).await);
        assert_eq!(stored(db).await, before, "a GET changes nothing");
    });
}
