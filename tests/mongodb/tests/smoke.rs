//! Checks the test support itself against the real server: if these fail,
//! every MongoDB lesson would fail for reasons that are not the learner's.

mod common;

use mongodb::IndexModel;
use mongodb::bson::{Document, doc};
use mongodb::error::{ErrorKind, WriteFailure};
use mongodb::options::IndexOptions;
use test_mongodb::TestDatabase;

use common::distinct_strings;

#[tokio::test]
async fn a_document_can_be_inserted_and_read_back() {
    let db = TestDatabase::new().await;
    let people = db.collection::<Document>("people");

    people
        .insert_one(doc! { "name": "Pranay", "email": "pranay@example.com" })
        .await
        .unwrap();
    let found = people
        .find_one(doc! { "name": "Pranay" })
        .await
        .unwrap()
        .expect("the document just inserted");

    assert_eq!(found.get_str("email").unwrap(), "pranay@example.com");
    assert!(
        found.get_object_id("_id").is_ok(),
        "the server adds an ObjectId `_id`"
    );
}

#[tokio::test]
async fn a_unique_index_refuses_a_duplicate_with_code_11000() {
    let db = TestDatabase::new().await;
    let people = db.collection::<Document>("people");
    let unique_email = IndexModel::builder()
        .keys(doc! { "email": 1 })
        .options(IndexOptions::builder().unique(true).build())
        .build();
    people.create_index(unique_email).await.unwrap();

    people
        .insert_one(doc! { "email": "a@example.com" })
        .await
        .unwrap();
    let error = people
        .insert_one(doc! { "email": "a@example.com" })
        .await
        .expect_err("a second document with the same email must be refused");

    let code = match *error.kind {
        ErrorKind::Write(WriteFailure::WriteError(ref write_error)) => write_error.code,
        ref other => panic!("expected a write error, got {other:?}"),
    };
    assert_eq!(code, 11000, "duplicate key errors have code 11000");
    assert_eq!(people.count_documents(doc! {}).await.unwrap(), 1);
}

/// Two tests running at the same time write to collections of the same
/// name; each must see only its own document.
async fn sees_only_its_own_data(marker: &str) {
    let db = TestDatabase::new().await;
    let shared_name = db.collection::<Document>("shared_name");
    shared_name
        .insert_one(doc! { "marker": marker })
        .await
        .unwrap();

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let markers = distinct_strings(&shared_name, "marker").await;

    assert_eq!(markers, [marker], "each test has a database of its own");
}

#[tokio::test]
async fn parallel_tests_are_isolated_first() {
    sees_only_its_own_data("first").await;
}

#[tokio::test]
async fn parallel_tests_are_isolated_second() {
    sees_only_its_own_data("second").await;
}

#[tokio::test]
async fn the_database_is_dropped_when_the_test_ends() {
    let db = TestDatabase::new().await;
    let name = db.name().to_owned();
    db.collection::<Document>("things")
        .insert_one(doc! { "x": 1 })
        .await
        .unwrap();
    let client = db.client().clone();

    drop(db);

    let names = client.list_database_names().await.unwrap();
    assert!(
        !names.contains(&name),
        "{name} should be gone, found {names:?}"
    );
}
