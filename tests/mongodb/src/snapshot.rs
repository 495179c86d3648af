//! What a test database stores, read before a request that must be refused
//! and compared after it: a refused request leaves no trace.

use futures::TryStreamExt;
use mongodb::bson::{Document, doc};

use crate::TestDatabase;

/// Every document of some collections, each collection in `_id` order:
/// exactly what is stored, whatever the app's structs say.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    collections: Vec<(String, Vec<Document>)>,
}

impl TestDatabase {
    /// Every document of `collection`, in `_id` order, read as plain BSON:
    /// exactly what is stored, whatever the app's structs say. A collection
    /// that does not exist reads as empty.
    pub async fn documents(&self, collection: &str) -> Vec<Document> {
        async {
            self.collection::<Document>(collection)
                .find(doc! {})
                .sort(doc! { "_id": 1 })
                .await?
                .try_collect()
                .await
        }
        .await
        .unwrap_or_else(|err| panic!("reading the collection `{collection}`: {err}"))
    }

    /// Reads every document of `collections`, to compare later with
    /// [`Snapshot::assert_unchanged`].
    pub async fn snapshot(&self, collections: &[&str]) -> Snapshot {
        let mut read = Vec::new();
        for &name in collections {
            read.push((name.to_owned(), self.documents(name).await));
        }
        Snapshot { collections: read }
    }
}

impl Snapshot {
    /// The documents of `collection`, in `_id` order; none when the
    /// snapshot did not read it.
    pub fn documents(&self, collection: &str) -> &[Document] {
        self.collections
            .iter()
            .find(|(name, _)| name == collection)
            .map_or(&[], |(_, documents)| documents)
    }

    /// Checks that `now`, read after a request that was refused, holds
    /// exactly what this snapshot held. A failure names each collection
    /// that changed, with the documents that appeared and disappeared, then
    /// `what_to_fix` (which names the TODO or the given code).
    #[track_caller]
    pub fn assert_unchanged(&self, now: &Snapshot, what_to_fix: &str) {
        if self == now {
            return;
        }
        let mut changes = String::new();
        for (name, before) in &self.collections {
            let after = now.documents(name);
            let gone: Vec<&Document> = before.iter().filter(|d| !after.contains(d)).collect();
            let new: Vec<&Document> = after.iter().filter(|d| !before.contains(d)).collect();
            for document in gone {
                changes.push_str(&format!("  `{name}` no longer holds {document}\n"));
            }
            for document in new {
                changes.push_str(&format!("  `{name}` now holds {document}\n"));
            }
        }
        panic!(
            "\nthe request was refused, yet the database changed: a refused request must \
             leave no trace (check everything first, then write).\n{changes}{what_to_fix}\n"
        );
    }
}
