//! Lesson 03 tests. They run against your exercise with
//! `cargo test -p lesson-03-express-routing`, and against the reference with
//! `cargo test -p solution-03-express-routing`.
//!
//! Most tests call the router in memory (no socket, so they are quick); one
//! goes through a real TCP connection, and two start the server binary.
//! Every request that must fail also checks that it changed nothing:
//! the list of messages is the same before and after.

use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use test_support::{ServerProcess, TestApp, TestResponse};

use crate::subject;

/// The API over a fresh, empty store, called in memory.
fn spawn_app() -> TestApp {
    TestApp::new(subject::app(subject::MessageStore::new()))
}

/// The API over a store that already holds one message, Ada's, with id 1.
async fn spawn_app_with_ada() -> TestApp {
    let app = spawn_app();
    create(&app, "Ada Lovelace", "ada@example.com").await;
    app
}

/// Creates a message through the API and returns it as JSON.
async fn create(app: &TestApp, name: &str, email: &str) -> Value {
    let response = app
        .post_json("/messages", &json!({ "name": name, "email": email }))
        .await;
    response.assert_status(
        StatusCode::CREATED,
        "POST /messages with a valid body creates a message (TODO 2 registers the route, \
         TODO 4 writes `create_message`).",
    );
    response.json()
}

/// `GET /messages`, as JSON.
async fn list(app: &TestApp) -> Value {
    let response = app.get("/messages").await;
    response.assert_status(
        StatusCode::OK,
        "GET /messages lists the messages: register it in `app` (TODO 2).",
    );
    response.json()
}

/// Checks an error answer: its status, and the body
/// `{"error": {"code": …, "message": …, "field": …}}`, `field` only when given.
#[track_caller]
fn assert_error(
    response: &TestResponse,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
    what_to_fix: &str,
) {
    response.assert_status(status, what_to_fix);
    response.assert_header(
        "content-type",
        "application/json",
        "errors are JSON too: return an `ApiError`, never a plain string",
    );
    let body: Value = response.json();
    let request = &response.request;
    assert_eq!(
        body["error"]["code"], code,
        "{request}: the error code should be {code:?}. {what_to_fix}\nBody: {body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|text| !text.is_empty()),
        "{request}: an error carries a message for people, got: {body}"
    );
    match field {
        Some(field) => assert_eq!(
            body["error"]["field"], field,
            "{request}: the error should name the field at fault, {field:?}. Body: {body}"
        ),
        None => assert!(
            body["error"].get("field").is_none(),
            "{request}: no single field is at fault here, so leave `field` out. Body: {body}"
        ),
    }
}

/// Sends a body exactly as given, without any `Content-Type` header.
async fn send_without_content_type(
    app: &TestApp,
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

    response.assert_status(StatusCode::OK, "GET /contact answers 200 (TODO 1).");
    response.assert_header(
        "content-type",
        "application/json",
        "`Json(...)` sends the JSON with `Content-Type: application/json`",
    );
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": 1, "page": "contactPages" }),
        "GET /contact answers exactly the notes' JSON: `json!({{ \"id\": 1, \"page\": \"contactPages\" }})`"
    );
}

// ---------------------------------------------------------------- create and read

#[tokio::test]
async fn a_new_store_lists_no_messages() {
    let app = spawn_app();

    assert_eq!(list(&app).await, json!([]), "a fresh store has no messages");
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
        "a successful POST answers 201 Created: return `(StatusCode::CREATED, ...)`",
    );
    response.assert_header(
        "location",
        "/messages/1",
        "201 Created tells where the new item lives: add a `Location: /messages/{id}` header",
    );
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": 1, "name": "Ada Lovelace", "email": "ada@example.com" }),
        "POST answers with the created message, id included"
    );
    assert_eq!(
        list(&app).await,
        json!([{ "id": 1, "name": "Ada Lovelace", "email": "ada@example.com" }]),
        "the created message is in the list"
    );
}

#[tokio::test]
async fn created_messages_get_increasing_ids_and_are_listed_oldest_first() {
    let app = spawn_app();

    let ada = create(&app, "Ada Lovelace", "ada@example.com").await;
    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    assert_eq!(ada["id"], 1, "the first message gets id 1");
    assert_eq!(grace["id"], 2, "the second message gets id 2");
    assert_eq!(
        list(&app).await,
        json!([ada, grace]),
        "the list is oldest first"
    );
}

#[tokio::test]
async fn post_stores_name_and_email_without_surrounding_spaces() {
    let app = spawn_app();

    let created = create(&app, "  Ada Lovelace ", " ada@example.com  ").await;

    assert_eq!(created["name"], "Ada Lovelace", "names are stored trimmed");
    assert_eq!(
        created["email"], "ada@example.com",
        "emails are stored trimmed"
    );
}

#[tokio::test]
async fn get_one_message_by_its_location() {
    let app = spawn_app_with_ada().await;
    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    let response = app.get("/messages/2").await;

    response.assert_status(StatusCode::OK, "GET /messages/{id} reads one message");
    assert_eq!(
        response.json::<Value>(),
        grace,
        "GET /messages/2 answers message 2"
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
            "no message has this id: answer `ApiError::message_not_found(id)`",
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
        for response in [
            app.get(&path).await,
            app.put_json(&path, &body).await,
            app.delete(&path).await,
        ] {
            assert_error(
                &response,
                StatusCode::BAD_REQUEST,
                "invalid_id",
                None,
                "ids are `u64`: take the id as `Result<Path<u64>, PathRejection>` and `?` it",
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
        "PUT /messages/{id} answers 200 and the message",
    );
    let replaced = json!({ "id": 1, "name": "Ada King", "email": "countess@example.com" });
    assert_eq!(
        response.json::<Value>(),
        replaced,
        "PUT answers with the new version"
    );
    assert_eq!(
        list(&app).await,
        json!([replaced]),
        "the store holds the new version only"
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
        "PUT replaces an existing message; with no message 7, answer 404",
    );
    assert_eq!(
        list(&app).await,
        before,
        "a PUT to an unknown id creates nothing"
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
            "PUT checks its body like POST does: call `input.validate()?` before replacing",
        );
    }
    assert_eq!(list(&app).await, before, "a refused PUT changes nothing");
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
        "malformed JSON is 400",
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
        "a list where a string belongs is 422",
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
        "a body that is not sent as JSON is 415",
    );

    assert_eq!(list(&app).await, before, "a refused PUT changes nothing");
}

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn delete_removes_the_message_with_204_and_no_body() {
    let app = spawn_app_with_ada().await;
    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    let response = app.delete("/messages/1").await;

    response.assert_status(
        StatusCode::NO_CONTENT,
        "a successful DELETE answers 204 No Content: return `StatusCode::NO_CONTENT`",
    );
    assert!(
        response.body.is_empty(),
        "a 204 has no body, got {:?}",
        response.text()
    );
    assert_eq!(
        list(&app).await,
        json!([grace]),
        "message 1 is gone, message 2 stays"
    );
    assert_error(
        &app.get("/messages/1").await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "a deleted message cannot be read any more",
    );
}

#[tokio::test]
async fn delete_unknown_or_already_deleted_id_is_404_and_removes_nothing() {
    let app = spawn_app_with_ada().await;
    create(&app, "Grace Hopper", "grace@example.com").await;
    app.delete("/messages/2").await.assert_status(
        StatusCode::NO_CONTENT,
        "DELETE /messages/2 removes message 2",
    );
    let before = list(&app).await;

    for path in ["/messages/2", "/messages/9"] {
        let response = app.delete(path).await;

        assert_error(
            &response,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            "nothing to delete: answer 404 when `store.remove(id)` returns `None`",
        );
    }
    assert_eq!(
        list(&app).await,
        before,
        "a DELETE of an unknown id removes nothing"
    );
}

#[tokio::test]
async fn ids_are_never_reused_after_a_delete() {
    let app = spawn_app_with_ada().await;
    app.delete("/messages/1").await.assert_status(
        StatusCode::NO_CONTENT,
        "DELETE /messages/1 removes message 1",
    );

    let grace = create(&app, "Grace Hopper", "grace@example.com").await;

    assert_eq!(
        grace["id"], 2,
        "a new message never gets the id of a deleted one"
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
            "a name that is empty once trimmed is refused: \
             `ApiError::validation(\"name\", \"name must not be empty\")`",
        );
    }
    assert_eq!(list(&app).await, before, "a refused POST stores nothing");
}

#[tokio::test]
async fn names_may_have_100_characters_but_not_101() {
    let app = spawn_app();
    // "é" is one character but two bytes: count characters, not bytes.
    let longest = "é".repeat(100);

    let accepted = create(&app, &longest, "ada@example.com").await;
    assert_eq!(accepted["name"], longest.as_str());

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
        "names longer than 100 characters are refused: count them with `.chars().count()`",
    );
    assert_eq!(list(&app).await, before, "a refused POST stores nothing");
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
            &format!("{email:?} does not look like an address such as ada@example.com"),
        );
    }
    assert_eq!(list(&app).await, before, "a refused POST stores nothing");
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

    assert_eq!(list(&app).await.as_array().map(Vec::len), Some(3));
}

// ---------------------------------------------------------------- bad bodies

#[tokio::test]
async fn post_with_malformed_json_is_400_bad_json() {
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
                "{body:?} is not JSON: map `JsonRejection::JsonSyntaxError` to 400 `bad_json`"
            ),
        );
    }
    assert_eq!(list(&app).await, before, "a refused POST stores nothing");
}

#[tokio::test]
async fn post_with_wrong_types_or_missing_fields_is_422() {
    let app = spawn_app_with_ada().await;
    let before = list(&app).await;

    for body in [
        json!({ "name": 5, "email": "grace@example.com" }),
        json!({ "name": "Grace", "email": null }),
        json!({ "name": "Grace" }),
        json!({}),
        json!("Grace"),
        json!(null),
    ] {
        let response = app.post_json("/messages", &body).await;

        assert_error(
            &response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            None,
            &format!(
                "{body} is JSON of the wrong shape: map `JsonRejection::JsonDataError` \
                 to 422 `validation`"
            ),
        );
    }
    assert_eq!(list(&app).await, before, "a refused POST stores nothing");
}

#[tokio::test]
async fn post_without_a_json_content_type_is_415() {
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
                "`Content-Type: {content_type}` is not JSON: map \
                 `JsonRejection::MissingJsonContentType` to 415 `unsupported_media_type`"
            ),
        );
    }
    let response = send_without_content_type(&app, Method::POST, "/messages", body).await;
    assert_error(
        &response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
        "a body with no Content-Type at all is refused with 415 too",
    );
    assert_eq!(list(&app).await, before, "a refused POST stores nothing");
}

// ---------------------------------------------------------------- routing

#[tokio::test]
async fn unknown_routes_are_404_in_the_error_shape() {
    let app = spawn_app_with_ada().await;

    for path in ["/nope", "/messages/1/extra", "/contact/", "/Messages"] {
        let response = app.get(path).await;

        assert_error(
            &response,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            "paths no route matches go to the `.fallback(...)` handler",
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
        "/messages/{id} has GET, PUT and DELETE, not PATCH",
    );
    let allow = response.header("allow").unwrap_or_default();
    for method in ["GET", "PUT", "DELETE"] {
        assert!(
            allow.contains(method),
            "`Allow` should list {method}, got {allow:?}: chain `.put(...)` and `.delete(...)` \
             on the `/messages/{{id}}` route"
        );
    }

    app.delete("/messages").await.assert_status(
        StatusCode::METHOD_NOT_ALLOWED,
        "/messages has GET and POST only: deleting every message at once is not allowed",
    );
    assert_eq!(list(&app).await, before, "a refused method changes nothing");
}

// ---------------------------------------------------------------- a real server

#[tokio::test]
async fn the_api_works_over_a_real_socket() {
    let app = TestApp::serve(subject::app(subject::MessageStore::new())).await;

    let created = app
        .post_json(
            "/messages",
            &json!({ "name": "Ada Lovelace", "email": "ada@example.com" }),
        )
        .await;
    created.assert_status(StatusCode::CREATED, "POST /messages over TCP");
    let location = created
        .header("location")
        .expect("a Location header")
        .to_owned();

    let read = app.get(&location).await;

    read.assert_status(StatusCode::OK, "the Location of a new message can be read");
    assert_eq!(read.json::<Value>(), created.json::<Value>());
}

#[tokio::test]
async fn server_binary_prints_its_url_and_serves_the_api() {
    // PORT=0 asks the system for any free port; the server prints the real one.
    let server = ServerProcess::start(env!("CARGO_PKG_NAME"), &[("PORT", "0")]);
    assert!(server.url().starts_with("http://127.0.0.1:"));

    let response = TestApp::at(server.url()).get("/contact").await;

    response.assert_status(StatusCode::OK, "the running server answers GET /contact");
    assert_eq!(
        response.json::<Value>(),
        json!({ "id": 1, "page": "contactPages" })
    );
}

#[test]
fn taken_port_gives_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let exit = ServerProcess::run_until_exit(env!("CARGO_PKG_NAME"), &[("PORT", &port)]);

    exit.assert_one_line_error(
        &[&port],
        "When PORT is already in use, print one line that names the port and exit with \
         `ExitCode::FAILURE`: see how src/main.rs handles the error of `TcpListener::bind`.",
    );
}
