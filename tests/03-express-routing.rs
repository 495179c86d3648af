//! Lesson 03 tests. They run against your exercise with
//! `cargo test -p lesson-03-express-routing`, and against the reference with
//! `cargo test -p solution-03-express-routing`.
//!
//! Most tests call the router in memory (no socket, so they are quick); one
//! goes through a real TCP connection, and two start the server binary.
//! Every request that must fail also checks that it changed nothing:
//! the list of messages is the same before and after.
//!
//! The rules of the notes, and the tests that fail when one is broken:
//!
//! | rule (notes section) | tests |
//! |---|---|
//! | every error is JSON in one shape, `field` only when one field is at fault (§10) | every test that calls `assert_error` |
//! | a refused request changes nothing (§11) | every refusal test compares the list before and after |
//! | a new message answers `201`, the message, and a `Location` that is *its* address (§8) | `post_creates_a_message_with_201_location_and_the_item`, `each_location_is_the_address_of_the_message_just_created`, `the_api_works_over_a_real_socket` |
//! | `PUT` replaces, keeps the id, never creates (§9) | `put_replaces_name_and_email_and_keeps_the_id`, `put_unknown_id_is_404_and_creates_nothing` |
//! | `204 No Content` has no body (§9) | `delete_removes_the_message_with_204_and_no_body` |
//! | ids are whole numbers, never reused (§6, §9) | `ids_that_are_not_whole_numbers_are_400_invalid_id`, `ids_are_never_reused_after_a_delete` |
//! | names are counted in characters, not bytes (§7) | `names_may_have_100_characters_but_not_101` |
//! | the learner's decision: no JSON `Content-Type` is `415`, broken JSON `400`, the wrong shape `422` (§11) | `post_without_a_json_content_type_is_refused`, `post_with_malformed_json_is_refused_as_bad_json`, `post_with_wrong_types_or_missing_fields_is_refused_as_invalid`, `put_with_a_bad_body_is_refused_and_keeps_the_old_message` |
//! | any other refused body keeps axum's status, in our shape (§11) | `a_body_too_large_keeps_axums_413_in_our_shape` |
//! | the message for people carries serde's reason (§11) | `post_with_wrong_types_or_missing_fields_is_refused_as_invalid`, `post_with_malformed_json_is_refused_as_bad_json` |
//! | a known path with another method is `405` with `Allow` (§12) | `known_paths_with_another_method_are_405_with_allow` |
//! | paths are written `{id}`, one `.route` per path (§3) | every test: `router()` reports a router that panics while it is built |
//! | the extractor that reads the body comes last (§5) | the compiler (E0277, "Compiler errors you will meet") |
//! | unchecked input never reaches the store (§7) | the compiler: `insert` and `replace` take only a `ValidMessage` |
//! | the store's lock is never held across an `.await` (§6) | the compiler: a `std::sync` guard is not `Send`, so such a handler is refused |
//! | many clients at once: every create gets its own id, none lost; a replacement is never half of two (§6) | 3, 4 | `two_hundred_creates_at_once_store_two_hundred_messages_with_distinct_ids`, `replacing_one_message_from_many_clients_at_once_never_mixes_two_versions` |

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use test_support::{
    ServerProcess, TestClient, TestResponse, assert_taken_port_is_refused, without_panic,
};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::subject;

// Where each part of the exercise is, for the failure messages.
const CONTACT: &str = "TODO 1, notes §2 \"A first route\"";
const ROUTES: &str = "TODO 2, notes §3 \"Every route in one place\"";
const CREATE: &str = "TODO 3, notes §8 \"Create: 201 Created and Location\"";
const REPLACE: &str = "TODO 4, notes §9 \"Read, replace, delete\"";
const DELETE: &str = "TODO 5, notes §9 \"Read, replace, delete\"";
const REJECTIONS: &str = "TODO 6, notes §11 \"Bad bodies\"";

/// The API over a fresh, empty store.
///
/// axum checks the routes while the router is built, and panics on a path
/// it cannot take (`/messages/:id`) or on a method given twice to one path.
/// That panic is reported here, with the TODO it belongs to.
fn router() -> Router {
    without_panic(
        || subject::app(subject::MessageStore::new()),
        &format!(
            "`app()` must build the router, and axum refuses some routes while it is built \
             ({ROUTES}: a path parameter is written in braces in axum 0.8, and a path takes \
             each method once; see also \"Compiler errors you will \
             meet\")."
        ),
    )
}

/// The API, called in memory.
fn spawn_app() -> TestClient {
    TestClient::new(router())
}

/// The API over a store that already holds one message, Ada's, with id 1.
async fn spawn_app_with_ada() -> TestClient {
    let app = spawn_app();
    create(&app, "Ada Lovelace", "ada@example.com").await;
    app
}

/// The TODO a wrong answer points at. The fallback's "no route" 404, or a
/// 405, means the request never reached a handler: the routes are missing
/// (TODO 2). Anything else came from the handler, whose TODO is `todo`.
fn blame<'a>(response: &TestResponse, todo: &'a str) -> &'a str {
    let unrouted = response.status == StatusCode::METHOD_NOT_ALLOWED
        || (response.status == StatusCode::NOT_FOUND && response.text().contains("no route for"));
    if unrouted { ROUTES } else { todo }
}

/// Creates a message through the API and returns it as JSON.
async fn create(app: &TestClient, name: &str, email: &str) -> Value {
    let response = app
        .post_json("/messages", &json!({ "name": name, "email": email }))
        .await;
    response.assert_status(
        StatusCode::CREATED,
        &format!(
            "A valid message is created: `201 Created` ({}).",
            blame(&response, CREATE)
        ),
    );
    response.json()
}

/// `GET /messages`, as JSON.
async fn list(app: &TestClient) -> Value {
    let response = app.get("/messages").await;
    response.assert_status(
        StatusCode::OK,
        &format!("GET /messages lists the messages ({ROUTES})."),
    );
    response.json()
}

/// Checks an error answer: its status, and the body
/// `{"error": {"code": …, "message": …, "field": …}}`, `field` only when
/// given. `rule` says what was expected and why; `todo` is where it is
/// written (replaced by TODO 2 when the request never reached a handler).
#[track_caller]
fn assert_error(
    response: &TestResponse,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
    rule: &str,
    todo: &str,
) {
    let todo = blame(response, todo);
    let what_to_fix = format!("{rule} ({todo})");
    let error = response.assert_error(status, code, &what_to_fix);
    let request = &response.request;
    match field {
        Some(field) => assert_eq!(
            error["field"], field,
            "\n{request}: the error should name the field at fault, {field:?}. \
             {what_to_fix}\nError: {error}\n"
        ),
        None => assert!(
            error.get("field").is_none(),
            "\n{request}: no single field is at fault here, so the error has no `field`. \
             {what_to_fix}\nError: {error}\n"
        ),
    }
}

/// The error's message for people.
fn error_message(response: &TestResponse) -> String {
    let body: Value = response.json();
    body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Sends a body exactly as given, without any `Content-Type` header.
async fn send_without_content_type(
    app: &TestClient,
    method: Method,
    path: &str,
    body: &str,
) -> TestResponse {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .body(body.to_owned())
        .unwrap();
    app.send(request).await
}

// ---------------------------------------------------------------- /contact

#[tokio::test]
async fn get_contact_answers_exactly_the_notes_json() {
    let app = spawn_app();

    let response = app.get("/contact").await;

    response.assert_status(
        StatusCode::OK,
        &format!("GET /contact answers 200 ({CONTACT})."),
    );
    response.assert_header(
        "content-type",
        "application/json",
        &format!("GET /contact answers JSON, and says so in its Content-Type ({CONTACT})."),
    );
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": 1, "page": "contactPages" }),
        "GET /contact answers exactly the object of the notes' Express code, no more \
         and no less ({CONTACT})."
    );
}

// ---------------------------------------------------------------- create and read

#[tokio::test]
async fn a_new_store_lists_no_messages() {
    let app = spawn_app();

    assert_eq!(
        list(&app).await,
        json!([]),
        "a fresh store has no messages ({ROUTES})"
    );
}

#[tokio::test]
async fn post_creates_a_message_with_201_location_and_the_item() {
    let app = spawn_app();

    let response = app
        .post_json(
            "/messages",
            &json!({ "name": "Ada Lovelace", "email": "ada@example.com" }),
        )
        .await;

    response.assert_status(
        StatusCode::CREATED,
        &format!(
            "A successful POST answers 201 Created: something new exists now ({}).",
            blame(&response, CREATE)
        ),
    );
    response.assert_header(
        "location",
        "/messages/1",
        &format!(
            "201 Created says where the new message lives, in a `Location` header: \
             the first message is /messages/1 ({CREATE})."
        ),
    );
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": 1, "name": "Ada Lovelace", "email": "ada@example.com" }),
        "POST answers with the created message, id included, so the client needs no \
         second request ({CREATE})"
    );
    assert_eq!(
        list(&app).await,
        json!([{ "id": 1, "name": "Ada Lovelace", "email": "ada@example.com" }]),
        "the created message is in the list ({CREATE})"
    );
}

#[tokio::test]
async fn each_location_is_the_address_of_the_message_just_created() {
    let app = spawn_app_with_ada().await;

    for (name, email, id) in [
        ("Grace Hopper", "grace@example.com", 2),
        ("Alan Turing", "alan@example.com", 3),
    ] {
        let response = app
            .post_json("/messages", &json!({ "name": name, "email": email }))
            .await;
        response.assert_status(
            StatusCode::CREATED,
            &format!("A valid message is created ({}).", blame(&response, CREATE)),
        );
        let created: Value = response.json();
        assert_eq!(created["id"], id, "message {id} gets id {id} ({CREATE})");
        let expected = format!("/messages/{id}");
        response.assert_header(
            "location",
            &expected,
            &format!(
                "`Location` is the address of the message this POST created, built from \
                 its id: message {id} lives at {expected}, not at the first message's \
                 address ({CREATE})."
            ),
        );

        let read = app.get(&expected).await;
        read.assert_status(
            StatusCode::OK,
            &format!("The `Location` of a new message can be read back ({CREATE})."),
        );
        assert_eq!(
            read.json::<Value>(),
            created,
            "GET on the `Location` answers the message the POST created ({CREATE})"
        );
    }
}

#[tokio::test]
async fn created_messages_get_increasing_ids_and_are_listed_oldest_first() {
    let app = spawn_app();

    let ada = create(&app, "Ada Lovelace", "ada@example.com").await;
    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    assert_eq!(ada["id"], 1, "the first message gets id 1 ({CREATE})");
    assert_eq!(grace["id"], 2, "the second message gets id 2 ({CREATE})");
    assert_eq!(
        list(&app).await,
        json!([ada, grace]),
        "the list is oldest first ({CREATE})"
    );
}

#[tokio::test]
async fn post_stores_name_and_email_without_surrounding_spaces() {
    let app = spawn_app();

    let created = create(&app, "  Ada Lovelace ", " ada@example.com  ").await;

    assert_eq!(
        created["name"], "Ada Lovelace",
        "names are stored as `validate` returns them, trimmed ({CREATE}, notes §7)"
    );
    assert_eq!(
        created["email"], "ada@example.com",
        "emails are stored as `validate` returns them, trimmed ({CREATE}, notes §7)"
    );
}

#[tokio::test]
async fn get_one_message_by_its_location() {
    let app = spawn_app_with_ada().await;
    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    let response = app.get("/messages/2").await;

    response.assert_status(
        StatusCode::OK,
        &format!("GET /messages/{{id}} reads one message ({ROUTES})."),
    );
    assert_eq!(
        response.json::<Value>(),
        grace,
        "GET /messages/2 answers message 2 ({ROUTES})"
    );
}

#[tokio::test]
async fn get_unknown_id_is_404_not_found() {
    let app = spawn_app_with_ada().await;

    for path in [
        "/messages/2",
        "/messages/0",
        "/messages/18446744073709551615",
    ] {
        let response = app.get(path).await;

        assert_error(
            &response,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            "No message has this id: 404 `not_found`.",
            ROUTES,
        );
    }
}

#[tokio::test]
async fn ids_that_are_not_whole_numbers_are_400_invalid_id() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for id in ["abc", "-1", "1.5", "18446744073709551616", "%20"] {
        let path = format!("/messages/{id}");
        let body = json!({ "name": "Grace Hopper", "email": "grace@example.com" });
        for (response, todo) in [
            (app.get(&path).await, ROUTES),
            (app.put_json(&path, &body).await, REPLACE),
            (app.delete(&path).await, DELETE),
        ] {
            assert_error(
                &response,
                StatusCode::BAD_REQUEST,
                "invalid_id",
                None,
                "An id is a whole number from 0 up: anything else is 400 `invalid_id`, \
                 the error `From<PathRejection>` makes (notes §9).",
                todo,
            );
        }
    }
    assert_eq!(
        list(&app).await,
        before,
        "a request with a bad id changes nothing"
    );
}

// ---------------------------------------------------------------- replace

#[tokio::test]
async fn put_replaces_name_and_email_and_keeps_the_id() {
    let app = spawn_app_with_ada().await;

    let response = app
        .put_json(
            "/messages/1",
            &json!({ "name": "Ada King", "email": "countess@example.com" }),
        )
        .await;

    response.assert_status(
        StatusCode::OK,
        &format!(
            "PUT /messages/{{id}} answers 200 and the new version ({}).",
            blame(&response, REPLACE)
        ),
    );
    let replaced = json!({ "id": 1, "name": "Ada King", "email": "countess@example.com" });
    assert_eq!(
        response.json::<Value>(),
        replaced,
        "PUT answers with the new version, under the same id ({REPLACE})"
    );
    assert_eq!(
        list(&app).await,
        json!([replaced]),
        "the store holds the new version only ({REPLACE})"
    );
}

#[tokio::test]
async fn put_unknown_id_is_404_and_creates_nothing() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    let response = app
        .put_json(
            "/messages/7",
            &json!({ "name": "Grace Hopper", "email": "grace@example.com" }),
        )
        .await;

    assert_error(
        &response,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "PUT replaces a message that exists; there is no message 7, so 404 `not_found`.",
        REPLACE,
    );
    assert_eq!(
        list(&app).await,
        before,
        "a PUT to an unknown id creates nothing ({REPLACE})"
    );
}

#[tokio::test]
async fn put_with_invalid_fields_is_422_and_keeps_the_old_message() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for (body, field) in [
        (json!({ "name": " ", "email": "ada@example.com" }), "name"),
        (json!({ "name": "Ada", "email": "not-an-email" }), "email"),
    ] {
        let response = app.put_json("/messages/1", &body).await;

        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            Some(field),
            "PUT checks its body with the same rules as POST: 422 `validation`, \
             naming the field (notes §7).",
            REPLACE,
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a refused PUT changes nothing ({REPLACE})"
    );
}

#[tokio::test]
async fn put_with_a_bad_body_is_refused_and_keeps_the_old_message() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    let malformed = app
        .send_raw(
            Method::PUT,
            "/messages/1",
            "application/json",
            r#"{"name": "Ada","#,
        )
        .await;
    assert_error(
        &malformed,
        StatusCode::BAD_REQUEST,
        "bad_json",
        None,
        "A body that is not JSON at all is refused as a broken request: 400 `bad_json`.",
        REJECTIONS,
    );

    let wrong_type = app
        .put_json(
            "/messages/1",
            &json!({ "name": ["Ada"], "email": "ada@example.com" }),
        )
        .await;
    assert_error(
        &wrong_type,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        None,
        "JSON of the wrong shape (a list where a string belongs) was read and \
         understood, and cannot be used: 422 `validation`.",
        REJECTIONS,
    );

    let not_json = app
        .send_raw(
            Method::PUT,
            "/messages/1",
            "text/plain",
            r#"{"name": "Ada", "email": "ada@example.com"}"#,
        )
        .await;
    assert_error(
        &not_json,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
        "A body not sent as JSON (`Content-Type: text/plain`) is in a format the API \
         does not take: 415 `unsupported_media_type`.",
        REJECTIONS,
    );

    assert_eq!(
        list(&app).await,
        before,
        "a refused PUT changes nothing ({REPLACE})"
    );
}

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn delete_removes_the_message_with_204_and_no_body() {
    let app = spawn_app_with_ada().await;
    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    let response = app.delete("/messages/1").await;

    response.assert_status(
        StatusCode::NO_CONTENT,
        &format!(
            "A successful DELETE answers 204 No Content: it worked, and there is \
             nothing left to show ({}).",
            blame(&response, DELETE)
        ),
    );
    assert!(
        response.body.is_empty(),
        "a 204 has no body, got {:?} ({DELETE})",
        response.text()
    );
    assert_eq!(
        list(&app).await,
        json!([grace]),
        "message 1 is gone, message 2 stays ({DELETE})"
    );
    assert_error(
        &app.get("/messages/1").await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "A deleted message cannot be read any more.",
        DELETE,
    );
}

#[tokio::test]
async fn delete_unknown_or_already_deleted_id_is_404_and_removes_nothing() {
    let app = spawn_app_with_ada().await;
    create(&app, "Grace Hopper", "grace@example.com").await;
    let response = app.delete("/messages/2").await;
    response.assert_status(
        StatusCode::NO_CONTENT,
        &format!(
            "DELETE /messages/2 removes message 2 ({}).",
            blame(&response, DELETE)
        ),
    );
    let before = list(&app).await;

    for path in ["/messages/2", "/messages/9"] {
        let response = app.delete(path).await;

        assert_error(
            &response,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            "There is nothing to delete (never created, or deleted already): 404 \
             `not_found`, not a success.",
            DELETE,
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a DELETE of an unknown id removes nothing ({DELETE})"
    );
}

#[tokio::test]
async fn ids_are_never_reused_after_a_delete() {
    let app = spawn_app_with_ada().await;
    let response = app.delete("/messages/1").await;
    response.assert_status(
        StatusCode::NO_CONTENT,
        &format!(
            "DELETE /messages/1 removes message 1 ({}).",
            blame(&response, DELETE)
        ),
    );

    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    assert_eq!(
        grace["id"], 2,
        "a new message never gets the id of a deleted one: an old link must not \
         lead to another message ({CREATE}, notes §6)"
    );
}

// ---------------------------------------------------------------- validation

#[tokio::test]
async fn post_with_an_empty_name_is_422_naming_the_field() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for name in ["", "   ", "\n\t"] {
        let response = app
            .post_json(
                "/messages",
                &json!({ "name": name, "email": "grace@example.com" }),
            )
            .await;

        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            Some("name"),
            "A name that is empty once trimmed breaks a rule: 422 `validation`, naming \
             the field (notes §7).",
            CREATE,
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({CREATE})"
    );
}

#[tokio::test]
async fn names_may_have_100_characters_but_not_101() {
    let app = spawn_app();
    // "é" is one character but two bytes: count characters, not bytes.
    let longest = "é".repeat(100);

    let accepted = create(&app, &longest, "ada@example.com").await;
    assert_eq!(
        accepted["name"],
        longest.as_str(),
        "a name of 100 characters (200 bytes) is accepted ({CREATE}, notes §7)"
    );

    let before = list(&app).await;
    let response = app
        .post_json(
            "/messages",
            &json!({ "name": "é".repeat(101), "email": "ada@example.com" }),
        )
        .await;
    assert_error(
        &response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("name"),
        "Names longer than 100 characters are refused; characters, not bytes \
         (notes §7).",
        CREATE,
    );
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({CREATE})"
    );
}

#[tokio::test]
async fn post_with_a_malformed_email_is_422_naming_the_field() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for email in [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "ada@@example.com",
        "ada lovelace@example.com",
        "ada@.com",
        "ada@example.",
    ] {
        let response = app
            .post_json("/messages", &json!({ "name": "Ada", "email": email }))
            .await;

        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            Some("email"),
            &format!(
                "{email:?} does not look like an address such as ada@example.com: 422 \
                 `validation`, naming the field (notes §7)."
            ),
            CREATE,
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({CREATE})"
    );
}

#[tokio::test]
async fn usual_addresses_are_accepted() {
    let app = spawn_app();

    for email in [
        "ada@example.com",
        "ada.lovelace+notes@mail.example.co.uk",
        "x@y.io",
    ] {
        create(&app, "Ada", email).await;
    }

    assert_eq!(
        list(&app).await.as_array().map(Vec::len),
        Some(3),
        "three messages were created ({CREATE})"
    );
}

// ---------------------------------------------------------------- bad bodies: the status decision

#[tokio::test]
async fn post_with_malformed_json_is_refused_as_bad_json() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for body in [
        r#"{"name": "Grace", "email": "grace@example.com""#,
        "name=Grace&email=grace@example.com",
        "",
        r#"{"name": "Grace", "email": "grace@example.com"} and more"#,
    ] {
        let response = app
            .send_raw(Method::POST, "/messages", "application/json", body)
            .await;

        assert_error(
            &response,
            StatusCode::BAD_REQUEST,
            "bad_json",
            None,
            &format!(
                "{body:?}, sent as `application/json`, is not JSON at all: the request \
                 itself is broken, 400 `bad_json`."
            ),
            REJECTIONS,
        );
        let message = error_message(&response);
        assert!(
            message.contains("line 1 column"),
            "\nPOST /messages with {body:?}: the message for people should say where the \
             JSON breaks, in serde's words (\"… at line 1 column …\"); got {message:?} \
             ({REJECTIONS}).\n"
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({REJECTIONS})"
    );
}

#[tokio::test]
async fn post_with_wrong_types_or_missing_fields_is_refused_as_invalid() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for (body, named) in [
        (json!({ "name": 5, "email": "grace@example.com" }), "name"),
        (json!({ "name": "Grace", "email": null }), "email"),
        (json!({ "name": "Grace" }), "email"),
        (json!({}), "name"),
        (json!("Grace"), "struct"),
        (json!(null), "struct"),
    ] {
        let response = app.post_json("/messages", &body).await;

        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            None,
            &format!(
                "{body} is valid JSON of the wrong shape: the server understood the \
                 request and cannot act on it, 422 `validation`."
            ),
            REJECTIONS,
        );
        let message = error_message(&response);
        assert!(
            message.contains(named),
            "\nPOST /messages with {body}: the message for people should carry serde's \
             reason, which names what is wrong ({named:?}); got {message:?} \
             ({REJECTIONS}).\n"
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({REJECTIONS})"
    );
}

#[tokio::test]
async fn post_without_a_json_content_type_is_refused() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;
    let body = r#"{"name": "Grace", "email": "grace@example.com"}"#;

    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let response = app
            .send_raw(Method::POST, "/messages", content_type, body)
            .await;
        assert_error(
            &response,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
            &format!(
                "The body is sent as `{content_type}`, a format the API does not take \
                 (the server never guesses): 415 `unsupported_media_type`."
            ),
            REJECTIONS,
        );
    }
    let response = send_without_content_type(&app, Method::POST, "/messages", body).await;
    assert_error(
        &response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
        "A body with no Content-Type at all is not said to be JSON either: 415 \
         `unsupported_media_type`.",
        REJECTIONS,
    );
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({REJECTIONS})"
    );
}

#[tokio::test]
async fn a_body_too_large_keeps_axums_413_in_our_shape() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;
    // axum reads at most 2 MB of body by default.
    let name = "a".repeat(3 * 1024 * 1024);
    let body = json!({ "name": name, "email": "ada@example.com" });

    let response = app.post_json("/messages", &body).await;

    let rule = "Refusals other than the three of notes §11 keep the status axum gives \
                them (a body over axum's 2 MB limit is 413 Payload Too Large), answered \
                in the API's JSON shape";
    response.assert_status(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("{rule} ({REJECTIONS})."),
    );
    response.assert_header(
        "content-type",
        "application/json",
        &format!("{rule} ({REJECTIONS})."),
    );
    let json: Value = response.json();
    assert!(
        json["error"]["code"]
            .as_str()
            .is_some_and(|code| !code.is_empty())
            && json["error"]["message"]
                .as_str()
                .is_some_and(|text| !text.is_empty()),
        "\n{}: {rule}: {{\"error\": {{\"code\": …, \"message\": …}}}} ({REJECTIONS}).\nBody: {json}\n",
        response.request
    );
    assert_eq!(
        list(&app).await,
        before,
        "a refused POST stores nothing ({REJECTIONS})"
    );
}

// ---------------------------------------------------------------- routing

#[tokio::test]
async fn unknown_routes_are_404_in_the_error_shape() {
    let app = spawn_app();

    for path in ["/nope", "/messages/1/extra", "/contact/", "/Messages"] {
        let response = app.get(path).await;

        assert_error(
            &response,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            "No route matches this path: the fallback answers 404 `not_found` (notes §12).",
            ROUTES,
        );
    }
}

#[tokio::test]
async fn known_paths_with_another_method_are_405_with_allow() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    let response = app
        .send_raw(Method::PATCH, "/messages/1", "application/json", "{}")
        .await;
    response.assert_status(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "/messages/{{id}} takes GET, PUT and DELETE, not PATCH: 405, which axum \
             answers by itself once the path is one route ({ROUTES}, notes §12)."
        ),
    );
    let allow = response.header("allow").unwrap_or_default();
    for method in ["GET", "PUT", "DELETE"] {
        assert!(
            allow.contains(method),
            "\nPATCH /messages/1: `Allow` should list {method}, got {allow:?}: every method \
             of /messages/{{id}} belongs to its one route ({ROUTES}).\n"
        );
    }

    app.delete("/messages").await.assert_status(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "/messages takes GET and POST only: deleting every message at once is not \
             allowed ({ROUTES})."
        ),
    );
    assert_eq!(
        list(&app).await,
        before,
        "a refused method changes nothing ({ROUTES})"
    );
}

// ---------------------------------------------------------------- many writers at once

/// Sends `count` requests at once to a server on a real socket, each from a
/// task of its own, so that the server's threads really run them side by
/// side. Returns the answers in the order `request` numbered them.
async fn all_at_once<F, Fut>(app: &Arc<TestClient>, count: usize, request: F) -> Vec<TestResponse>
where
    F: Fn(Arc<TestClient>, usize) -> Fut,
    Fut: Future<Output = TestResponse> + Send + 'static,
{
    // Each request opens a connection of its own. A tokio listener queues
    // at most 128 connections that it has not accepted yet (its backlog, as
    // `ss -ltn` shows); past that, the system drops a new connection's first
    // packet, and the client sends it again only a second later. A hundred
    // open at a time keep the server's threads just as busy, without that
    // second.
    let open_connections = Arc::new(Semaphore::new(100));
    let mut tasks = JoinSet::new();
    for number in 0..count {
        let answer = request(Arc::clone(app), number);
        let open_connections = Arc::clone(&open_connections);
        tasks.spawn(async move {
            let _open = open_connections.acquire().await;
            (number, answer.await)
        });
    }
    let mut answers = tasks.join_all().await;
    answers.sort_by_key(|(number, _)| *number);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_creates_at_once_store_two_hundred_messages_with_distinct_ids() {
    let app = Arc::new(TestClient::serve(router()).await);

    let answers = all_at_once(&app, 200, |app, number| async move {
        let body = json!({ "name": format!("Writer {number}"), "email": format!("writer{number}@example.com") });
        app.post_json("/messages", &body).await
    })
    .await;

    let mut ids = BTreeSet::new();
    for answer in &answers {
        answer.assert_status(
            StatusCode::CREATED,
            &format!("every one of 200 creates sent at once is stored ({CREATE})"),
        );
        ids.insert(
            answer.json::<Value>()["id"]
                .as_u64()
                .expect("a whole-number id"),
        );
    }
    assert_eq!(
        ids.len(),
        200,
        "200 creates at once got {} distinct ids: two writers were given the same id. \
         The next id is read and advanced under the store's one lock, never in two steps \
         ({CREATE}; notes §6)",
        ids.len()
    );
    let listed = list(&app).await;
    let listed_ids: BTreeSet<u64> = listed
        .as_array()
        .expect("the list is an array")
        .iter()
        .map(|message| message["id"].as_u64().expect("a whole-number id"))
        .collect();
    assert_eq!(
        listed_ids, ids,
        "the list holds exactly the 200 messages the creates answered, none lost ({CREATE})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replacing_one_message_from_many_clients_at_once_never_mixes_two_versions() {
    let app = Arc::new(TestClient::serve(router()).await);
    create(&app, "Ada Lovelace", "ada@example.com").await;

    let answers = all_at_once(&app, 100, |app, number| async move {
        let body = json!({ "name": format!("Writer {number}"), "email": format!("writer{number}@example.com") });
        app.put_json("/messages/1", &body).await
    })
    .await;

    for answer in &answers {
        answer.assert_status(
            StatusCode::OK,
            &format!("every one of 100 replacements sent at once succeeds ({REPLACE})"),
        );
    }
    let messages = list(&app).await;
    let [message] = messages.as_array().map(Vec::as_slice).unwrap_or_default() else {
        panic!("100 replacements of message 1 leave exactly one message ({REPLACE})");
    };
    let writer = message["name"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("Writer ");
    assert_eq!(
        *message,
        json!({ "id": 1, "name": format!("Writer {writer}"), "email": format!("writer{writer}@example.com") }),
        "after 100 replacements at once, the message is one writer's whole version, \
         never the name of one and the email of another ({REPLACE})"
    );
}

// ---------------------------------------------------------------- a real server

#[tokio::test]
async fn the_api_works_over_a_real_socket() {
    let app = TestClient::serve(router()).await;

    let created = app
        .post_json(
            "/messages",
            &json!({ "name": "Ada Lovelace", "email": "ada@example.com" }),
        )
        .await;
    created.assert_status(
        StatusCode::CREATED,
        &format!("POST /messages over TCP ({}).", blame(&created, CREATE)),
    );
    let location = created.header("location").unwrap_or_else(|| {
        panic!("POST /messages: a 201 Created carries a `Location` header ({CREATE})")
    });

    let read = app.get(location).await;

    read.assert_status(
        StatusCode::OK,
        &format!("The `Location` of a new message can be read ({CREATE})."),
    );
    assert_eq!(
        read.json::<Value>(),
        created.json::<Value>(),
        "GET on the `Location` answers the message just created ({CREATE})"
    );
}

#[tokio::test]
async fn server_binary_prints_its_url_and_serves_the_api() {
    // The binary builds the same router: report a router that cannot be
    // built here, with its TODO, rather than as a server that went away.
    drop(router());
    // PORT=0 asks the system for any free port; the server prints the real one.
    let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
    assert!(server.url().starts_with("http://127.0.0.1:"));

    // A path no route takes: the answer comes from the app, whatever TODOs
    // are still open.
    let response = TestClient::at(server.url()).get("/nope").await;

    assert_error(
        &response,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "The running server answers with the API: src/main.rs serves `app(...)`.",
        ROUTES,
    );
}

#[cfg(unix)]
#[test]
fn sigterm_answers_the_request_in_flight_then_exits_cleanly() {
    ServerProcess::start(env!("CARGO_PKG_NAME"), &[]).assert_graceful_shutdown("/nope");
}

#[test]
fn taken_port_gives_a_one_line_error() {
    assert_taken_port_is_refused(env!("CARGO_PKG_NAME"), &[], "given code");
}
