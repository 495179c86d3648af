//! Property tests of the reference solution: whatever a client sends, the
//! API answers it without a server error, refuses bad input in its JSON
//! error shape, and a refused request changes nothing. Hundreds of generated
//! requests per property; a failure is shrunk to its smallest input.
//!
//! `cargo test -p solution-03-express-routing --test properties`
//! (`PROPTEST_CASES=1000` for a longer run).

use axum::http::Method;
use serde_json::{Value, json};
use solution_03_express_routing::{MessageStore, app};
use test_properties::proptest::prelude::*;
use test_properties::{
    any_json, assert_handled, check, message_like, path_segment, query_string, runtime,
};
use test_support::TestClient;

/// The API over a store that holds one message, Ada's, with id 1.
async fn app_with_ada() -> TestClient {
    let app = TestClient::new(app(MessageStore::new()));
    let ada = json!({ "name": "Ada Lovelace", "email": "ada@example.com" });
    app.post_json("/messages", &ada).await;
    app
}

async fn list(app: &TestClient) -> Value {
    app.get("/messages").await.json()
}

#[test]
fn any_json_body_is_created_or_refused_and_a_refusal_stores_nothing() {
    let runtime = runtime();
    let app = &runtime.block_on(app_with_ada());
    let bodies = prop_oneof![message_like(), any_json()];
    check(&runtime, bodies, move |body| async move {
        let before = list(app).await;
        let response = app.post_json("/messages", &body).await;
        if assert_handled(&response) {
            assert_eq!(list(app).await, before, "a refused POST stores nothing");
        }
    });
}

#[test]
fn any_bytes_as_a_json_body_are_handled_and_a_refusal_stores_nothing() {
    let runtime = runtime();
    let app = &runtime.block_on(app_with_ada());
    let methods = prop_oneof![Just(Method::POST), Just(Method::PUT)];
    let bodies = prop::collection::vec(any::<u8>(), 0..200);
    check(
        &runtime,
        (methods, bodies),
        move |(method, body)| async move {
            let before = list(app).await;
            let path = if method == Method::POST {
                "/messages"
            } else {
                "/messages/1"
            };
            let response = app.send_raw(method, path, "application/json", body).await;
            if assert_handled(&response) {
                assert_eq!(list(app).await, before, "a refused request changes nothing");
            }
        },
    );
}

#[test]
fn any_id_in_the_path_is_handled_and_a_refusal_changes_nothing() {
    let runtime = runtime();
    let app = &runtime.block_on(app_with_ada());
    let methods = prop_oneof![Just(Method::GET), Just(Method::PUT), Just(Method::DELETE)];
    check(
        &runtime,
        (methods, path_segment()),
        move |(method, id)| async move {
            let before = list(app).await;
            let path = format!("/messages/{id}");
            let grace = json!({ "name": "Grace Hopper", "email": "grace@example.com" });
            let response = match method {
                Method::PUT => app.put_json(&path, &grace).await,
                Method::DELETE => app.delete(&path).await,
                _ => app.get(&path).await,
            };
            if assert_handled(&response) {
                assert_eq!(list(app).await, before, "a refused request changes nothing");
            }
        },
    );
}

#[test]
fn any_query_string_on_the_list_is_handled() {
    let runtime = runtime();
    let app = &runtime.block_on(app_with_ada());
    check(&runtime, query_string(), move |query| async move {
        assert_handled(&app.get(&format!("/messages?{query}")).await);
    });
}
