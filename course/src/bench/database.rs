//! `cargo course bench --database`: lesson 06's `GET /messages` against
//! the Express + Mongoose app, both reading the same MongoDB.

use anyhow::{Context, Result};

use super::benchmark::{self, Comparison};
use super::measure::Bench;
use crate::mongo;
use crate::secrets;
use crate::style::{STRONG, paint};

/// How many messages the comparison lists (lesson 06's default page).
const SEEDED_MESSAGES: usize = 20;

/// Lesson 06's `GET /messages` and the Express + Mongoose equivalent, on
/// one MongoDB, in a fresh database seeded with a page of messages and
/// dropped afterwards.
pub fn compare(bench: &Bench, package: &str) -> Result<Comparison> {
    anstream::println!("Looking for a MongoDB…");
    let server = mongo::find_or_start()?;
    anstream::println!("Using {}.", server.describe());
    let uri = server.uri().to_owned();
    let suffix = secrets::random_secret().context("cannot name the database")?;
    let database = format!("course_bench_{}", &suffix[..12]);

    let db = mongodb_server::block_on(seed(&uri, &database))
        .with_context(|| format!("cannot seed {database} at {uri}"))?;
    let env = [
        ("MONGODB_URI", uri.as_str()),
        ("MONGODB_DB", database.as_str()),
    ];
    let outcome = bench.compare("GET /messages", "/messages", package, &env);
    if let Err(err) = mongodb_server::block_on(async { db.drop().await }) {
        anstream::eprintln!("could not drop the bench database {database}: {err}");
    }
    outcome
}

/// A fresh database with [`SEEDED_MESSAGES`] messages in `messages`.
async fn seed(uri: &str, database: &str) -> mongodb::error::Result<mongodb::Database> {
    use mongodb::bson::doc;
    let client = mongodb::Client::with_uri_str(uri).await?;
    let db = client.database(database);
    let messages: Vec<_> = (1..=SEEDED_MESSAGES)
        .map(|n| doc! { "name": format!("Reader {n}"), "email": format!("reader{n}@example.com") })
        .collect();
    db.collection("messages").insert_many(messages).await?;
    Ok(db)
}

/// Why the gap narrows when both servers wait for the same database.
pub fn explain(contact: &Comparison, messages: &Comparison) {
    anstream::println!(
        "Through the database the gap narrows: {} the requests per second on {}, \
         {} on {}.\n\
         Each request now waits for MongoDB, the same server for both, which does the \
         same work for either: find, sort, read 20 documents. That time is spent in neither \
         Rust nor JavaScript, so the language matters less. What is left is the work around \
         it: parsing, turning documents into JSON, the driver.",
        paint(STRONG, benchmark::ratio(contact.throughput_ratio())),
        contact.endpoint,
        paint(STRONG, benchmark::ratio(messages.throughput_ratio())),
        messages.endpoint,
    );
}
