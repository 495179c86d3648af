//! Connecting to MongoDB, the two collections, and the unique index that
//! keeps one account per email.

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::{ClientOptions, IndexOptions};
use mongodb::{Client, Collection, Database, IndexModel};

use crate::message::Message;
use crate::user::User;

/// How long an operation waits for a reachable server before it fails,
/// unless the URI says otherwise.
pub const SERVER_SELECTION_TIMEOUT: Duration = Duration::from_secs(3);

/// The users, one document each: `{_id, email, password_hash, created_at}`.
pub fn users(db: &Database) -> Collection<User> {
    db.collection("users")
}

/// The messages of lesson 06, each now with an `owner_id`.
pub fn messages(db: &Database) -> Collection<Message> {
    db.collection("messages")
}

/// Connects to the server at `uri` and returns the database `name` on it.
///
/// The driver connects lazily; the `ping` makes a missing server fail here,
/// at start-up, rather than at the first request.
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

/// Gets the database ready for the app: a unique index on the users'
/// `email`, which is always stored lower-cased. Creating an index that
/// already exists does nothing, so this runs at every start.
///
/// The index is what makes two sign-ups with one email impossible, even
/// when they arrive at the same moment: MongoDB refuses the second insert
/// with error code 11000.
pub async fn prepare(db: &Database) -> mongodb::error::Result<()> {
    let unique_email = IndexModel::builder()
        .keys(doc! { "email": 1 })
        .options(IndexOptions::builder().unique(true).build())
        .build();
    users(db).create_index(unique_email).await?;
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
