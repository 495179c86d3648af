//! Connecting to MongoDB, and the collection this API keeps its messages in.

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::{ClientOptions, IndexOptions};
use mongodb::{Client, Collection, Database, IndexModel};

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
    let mut options = ClientOptions::parse(uri).await?;
    // A timeout written in the URI (`?serverSelectionTimeoutMS=500`) wins.
    options
        .server_selection_timeout
        .get_or_insert(SERVER_SELECTION_TIMEOUT);
    // The server's log names each connection's program.
    options.app_name = Some(env!("CARGO_PKG_NAME").to_owned());
    let client = Client::with_options(options)?;
    let db = client.database(name);
    db.run_command(doc! { "ping": 1 }).await?;
    Ok(db)
}

/// Gets the database ready for the app: creates the unique index on
/// `email` (Mongoose's `unique: true`). Creating an index that already
/// exists does nothing, so this runs at every start.
///
/// From now on MongoDB itself refuses a second message with the same email,
/// with error code 11000, even when two requests race.
pub async fn prepare(db: &Database) -> mongodb::error::Result<()> {
    let unique_email = IndexModel::builder()
        .keys(doc! { "email": 1 })
        .options(IndexOptions::builder().unique(true).build())
        .build();
    messages(db).create_index(unique_email).await?;
    Ok(())
}

/// `mongodb://ada:secret@host` becomes `mongodb://…@host`: a password has
/// no place in a log. Everything between the scheme and the last `@` goes.
pub fn hide_password(uri: &str) -> String {
    match (uri.split_once("://"), uri.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://…{}", &uri[at..]),
        _ => uri.to_owned(),
    }
}
