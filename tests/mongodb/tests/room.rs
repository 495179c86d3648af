//! A classroom's MongoDB: every learner points `MONGODB_URI` at one server,
//! and runs the same tests, with the same names, at the same time. Here two
//! "learners" are two processes of this test binary, started together, each
//! running the same suite against the same server. Each must work in a
//! database of its own and never see the other's documents.

mod common;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use mongodb::bson::{Document, doc};
use test_mongodb::TestDatabase;

use common::distinct_strings;

/// Tells [`one_learners_suite`] who it runs for.
const LEARNER: &str = "COURSE_ROOM_LEARNER";
/// Documents each learner writes, a few milliseconds apart, so that the two
/// learners' writes interleave.
const WRITES: i32 = 20;

/// What one learner's tests do: write to collections with the names every
/// learner uses, then read back only their own documents.
#[tokio::test]
#[ignore = "one learner's suite: run twice at once by the test below"]
async fn one_learners_suite() {
    let learner = std::env::var(LEARNER).expect("run by the test below, which names the learner");
    let db = TestDatabase::new().await;
    println!("database: {}", db.name());
    let messages = db.collection::<Document>("messages");
    for n in 0..WRITES {
        messages
            .insert_one(doc! { "learner": &learner, "n": n })
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = distinct_strings(&messages, "learner").await;
    assert_eq!(seen, [learner.as_str()], "only this learner's documents");
    let count = messages.count_documents(doc! {}).await.unwrap();
    assert_eq!(
        count,
        u64::try_from(WRITES).unwrap(),
        "every write, and no other"
    );
}

/// The database a learner's run used, from what it printed.
fn database_of(run: &Output) -> String {
    let stdout = String::from_utf8_lossy(&run.stdout);
    let name = stdout
        .lines()
        .find_map(|line| line.strip_prefix("database: "))
        .unwrap_or_else(|| panic!("the suite printed its database:\n{stdout}"));
    name.trim().to_owned()
}

#[test]
fn two_learners_running_the_same_tests_at_once_never_see_each_others_data() {
    // Found (or started) once here, so both learners use the same server.
    let uri = test_mongodb::mongodb_uri();
    let this_binary = std::env::current_exe().expect("the test binary's path");
    let start = |learner: &str| {
        Command::new(&this_binary)
            .args(["one_learners_suite", "--exact", "--ignored", "--nocapture"])
            .env(LEARNER, learner)
            .env("MONGODB_URI", uri)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("a learner's suite starts")
    };
    let learners = [start("ada"), start("bob")];
    let runs: Vec<Output> = learners
        .into_iter()
        .map(|child| child.wait_with_output().expect("a learner's suite ends"))
        .collect();
    for run in &runs {
        assert!(
            run.status.success(),
            "a learner's suite failed:\n{}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let (ada, bob) = (database_of(&runs[0]), database_of(&runs[1]));
    assert_ne!(ada, bob, "each learner has a database of its own");
    assert!(ada.starts_with("t_one_learners_suite_"), "{ada}");
}
