//! Connecting to MongoDB, and the collection this API keeps its messages in.

use std::time::Duration;

use mongodb::options::ClientOptions;
use mongodb::{Client, Collection, Database};
// TODO 3 needs `mongodb::bson::doc`, `mongodb::IndexModel` and
// `mongodb::options::IndexOptions`; TODO 10 needs `doc` too.

use crate::message::Message;

/// The collection of messages. Mongoose would have derived the same name
/// from the model name `"Messages"` (lower case, plural).
pub const COLLECTION: &str = "messages";

/// How long an operation waits for a reachable server before it fails.
/// The driver's default is 30 seconds: far too long to keep a user waiting.
pub const SERVER_SELECTION_TIMEOUT: Duration = Duration::from_secs(3);

/// The "model": a collection whose documents are read and written as
/// [`Message`]s.
pub fn messages(db: &Database) -> Collection<Message> {
    db.collection(COLLECTION)
}

/// Connects to the server at `uri` and returns the database `name` on it.
///
/// The driver connects lazily: `Client::with_options` only checks the URI's
/// syntax. The `ping` makes a missing server fail here, at start-up, after
/// [`SERVER_SELECTION_TIMEOUT`], rather than at the first request.
pub async fn connect(uri: &str, name: &str) -> mongodb::error::Result<Database> {
    // TODO 10: as it stands, a missing server is only noticed at the first
    //          request, 30 seconds later. Make it fail here, fast:
    //          - make `options` mutable (`let mut options`) and set
    //            `options.server_selection_timeout = Some(SERVER_SELECTION_TIMEOUT);`
    //            before the client is made;
    //          - before `Ok(db)`, send a ping and let `?` return its error:
    //            `db.run_command(doc! { "ping": 1 }).await?;`
    let options = ClientOptions::parse(uri).await?;
    let client = Client::with_options(options)?;
    let db = client.database(name);
    Ok(db)
}

/// Gets the database ready for the app: creates the unique index on
/// `email` (Mongoose's `unique: true`). Creating an index that already
/// exists does nothing, so this runs at every start.
///
/// From now on MongoDB itself refuses a second message with the same email,
/// with error code 11000, even when two requests race.
pub async fn prepare(db: &Database) -> mongodb::error::Result<()> {
    // TODO 3: build an `IndexModel` with keys `doc! { "email": 1 }` and the
    //         options `IndexOptions::builder().unique(true).build()`, give it
    //         to `messages(db).create_index(...)`, `.await?` it, and return
    //         `Ok(())`.
    todo!(
        "TODO 3: create the unique index on `email` in database {}",
        db.name()
    )
}
