//! Connecting to MongoDB, and the collection this API keeps its messages in.

use std::time::Duration;

use mongodb::options::ClientOptions;
use mongodb::{Client, Collection, Database};

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
/// Fails, after at most [`SERVER_SELECTION_TIMEOUT`], when no server
/// answers: at start-up, rather than at the first request.
pub async fn connect(uri: &str, name: &str) -> mongodb::error::Result<Database> {
    // TODO 10: fail here, at start-up, when no MongoDB answers at `uri`.
    //          As it stands, this returns a database at once, server or not:
    //          the driver connects lazily, and the first request would wait
    //          30 seconds before it fails. Give up after
    //          `SERVER_SELECTION_TIMEOUT` instead, and do not return before
    //          the server has answered once. Then `main.rs` prints its one
    //          line and stops, rather than listen without a database.
    //          Read: notes §2, "Connecting, and why the driver is lazy";
    //          `ClientOptions` and `Database::run_command` in the mongodb
    //          crate's docs.
    let mut options = ClientOptions::parse(uri).await?;
    // The server's log names each connection's program.
    options.app_name = Some(env!("CARGO_PKG_NAME").to_owned());
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
pub async fn prepare(_db: &Database) -> mongodb::error::Result<()> {
    // TODO 3: make MongoDB itself refuse a second message with one email.
    //         A message whose email is already stored must be refused,
    //         even when two requests race. Checking first, in Rust, cannot
    //         do it; only the database sees every write. This runs at every
    //         start, so doing it again must be harmless.
    //         Rename `_db` to `db` when you use it.
    //         Read: notes §7, "The unique index"; `Collection::create_index`
    //         and `IndexModel` in the mongodb crate's docs.
    todo!("TODO 3: make the database refuse a second message with one email")
}

/// `mongodb://ada:secret@host` becomes `mongodb://…@host`: a password has
/// no place in a log. Everything between the scheme and the last `@` goes.
pub fn hide_password(uri: &str) -> String {
    match (uri.split_once("://"), uri.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://…{}", &uri[at..]),
        _ => uri.to_owned(),
    }
}
