//! Helpers shared by this crate's integration tests.

use mongodb::Collection;
use mongodb::bson::{Document, doc};

/// The different values `field` has in `collection`, as strings (a value
/// that is not a string reads as an empty one): what a test reads to see
/// whose documents a collection holds.
pub async fn distinct_strings(collection: &Collection<Document>, field: &str) -> Vec<String> {
    collection
        .distinct(field, doc! {})
        .await
        .expect("a distinct query")
        .into_iter()
        .map(|value| value.as_str().unwrap_or_default().to_owned())
        .collect()
}
