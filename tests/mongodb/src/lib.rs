//! A real MongoDB for the tests, and a fresh database for each test.
//!
//! The server is found or started once per test binary by
//! `course-mongodb-server`, which `cargo course` uses too, in this order:
//! `MONGODB_URI`; a server the course started earlier that still answers;
//! a MongoDB already running at `mongodb://127.0.0.1:27017`; a container in
//! Docker (`MONGODB_IMAGE`, default `mongo:8.0`); FerretDB, a
//! MongoDB-compatible server built once with Go. Without any of these the
//! tests fail at once with a message naming the ways out. The server keeps
//! running for the next run; `cargo course mongo stop` stops it.
//!
//! Every test then gets a database with a unique name, dropped when the test
//! ends, so tests run in parallel and never see each other's data.
//!
//! This crate is apart from `test_support` on purpose: only the MongoDB
//! lessons depend on it, so the other lessons' tests neither compile nor link
//! the MongoDB driver and the Docker client, and give their verdict sooner.

mod outage;
mod snapshot;

pub use outage::{DRIVER_WORDS, Link};
pub use snapshot::Snapshot;

use std::sync::OnceLock;
use std::time::Duration;

use mongodb::bson::oid::ObjectId;
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};
use mongodb_server::{Settings, sanitise};

/// A database that belongs to one test, on the shared test server.
///
/// It dereferences to [`mongodb::Database`], so `db.collection("messages")`
/// works directly. The database is dropped when this value goes out of scope,
/// even when the test panics.
pub struct TestDatabase {
    client: Client,
    database: Database,
    uri: String,
}

impl TestDatabase {
    /// Creates an empty database with a unique name for the calling test.
    ///
    /// Panics with instructions when no MongoDB can be reached.
    pub async fn new() -> Self {
        let uri = mongodb_uri().to_owned();
        let client = connect(&uri)
            .await
            .unwrap_or_else(|err| panic!("cannot connect to the test MongoDB at {uri}: {err}"));
        let database = client.database(&unique_database_name());
        Self {
            client,
            database,
            uri,
        }
    }

    /// The database itself: give a clone of it to the app under test.
    pub fn database(&self) -> Database {
        self.database.clone()
    }

    /// The client connected to the test server.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The server's connection string, for code that connects by itself.
    pub fn uri(&self) -> &str {
        &self.uri
    }
}

impl std::ops::Deref for TestDatabase {
    type Target = Database;

    fn deref(&self) -> &Database {
        &self.database
    }
}

impl Drop for TestDatabase {
    /// Drops the test's database. `drop` cannot be async, and a driver
    /// `Client` belongs to the Tokio runtime that made it: the test's own
    /// runtime may be ending. So the cleaner, a runtime and a client that
    /// live as long as the test binary, does the work while this waits.
    fn drop(&mut self) {
        let Some(cleaner) = Cleaner::get(&self.uri) else {
            return;
        };
        let database = cleaner.client.database(self.database.name());
        let (done, finished) = std::sync::mpsc::channel();
        cleaner.runtime.spawn(async move {
            let _ = database.drop().await;
            let _ = done.send(());
        });
        let _ = finished.recv_timeout(Duration::from_secs(10));
    }
}

/// A runtime of its own, and a client connected once, for dropping the
/// tests' databases: one connection for the whole test binary, rather
/// than one for each test.
struct Cleaner {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl Cleaner {
    /// The test binary's cleaner, made on first use; `None` when it cannot
    /// be (then the databases stay, and the server's next use is unharmed).
    fn get(uri: &str) -> Option<&'static Cleaner> {
        static CLEANER: OnceLock<Option<Cleaner>> = OnceLock::new();
        CLEANER
            .get_or_init(|| {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .ok()?;
                // Made on the cleaner's runtime, so its connections live there.
                let uri = uri.to_owned();
                let client = std::thread::scope(|scope| {
                    scope.spawn(|| runtime.block_on(connect(&uri))).join().ok()
                })?
                .ok()?;
                Some(Cleaner { runtime, client })
            })
            .as_ref()
    }
}

/// The connection string of the test server, found or started on first use
/// (and said in one line on stderr).
///
/// Panics with a message that says what to do when there is no server.
pub fn mongodb_uri() -> &'static str {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        let found = mongodb_server::find_or_start_blocking(&Settings::from_env());
        found
            .map(|server| {
                mongodb_server::say(&format!("MongoDB for these tests: {}.", server.describe()));
                server.uri().to_owned()
            })
            .map_err(|err| err.to_string())
    });
    match server {
        Ok(uri) => uri,
        Err(message) => panic!("\n\n{message}\n"),
    }
}

/// Connects with short timeouts, so a missing server fails in seconds.
async fn connect(uri: &str) -> mongodb::error::Result<Client> {
    let mut options = ClientOptions::parse(uri).await?;
    options.server_selection_timeout = Some(Duration::from_secs(5));
    options.connect_timeout = Some(Duration::from_secs(5));
    options.app_name = Some("rust-course-tests".to_owned());
    Client::with_options(options)
}

/// A database name no other test uses, in this process or on any other
/// machine sharing the server (a classroom's MongoDB): the test's own name
/// (libtest names each test's thread after it), then a fresh ObjectId, whose
/// random per-process part and counter keep names apart where process ids
/// alone would not (two machines may well run the same test in processes
/// with the same id).
fn unique_database_name() -> String {
    let thread = std::thread::current();
    let test_name = thread.name().unwrap_or("test");
    let short_name: String = sanitise(test_name.rsplit("::").next().unwrap_or(test_name))
        .chars()
        .take(36)
        .collect();
    format!("t_{short_name}_{}", ObjectId::new().to_hex())
}

/// More clients at once than the driver's pool has connections (10), so
/// that most of them wait for one when they hang up.
const BURST: usize = 80;

/// Checks that a server on the MongoDB driver still answers `GET path`
/// after a burst of clients that hang up with requests in flight.
///
/// When a client hangs up, hyper drops its handler's future, and with it
/// any MongoDB operation still in flight; the driver asks that its futures
/// always run to completion, or its pool can stall. The lessons keep them
/// running with the given `run_to_completion` layer. Call it from a test
/// with two worker threads, so that the clients and the server run side by
/// side, as on two machines.
pub async fn assert_no_stall_after_clients_hang_up(client: &test_support::TestClient, path: &str) {
    let burst = client.hang_up_in_a_burst(path, BURST).await;

    let deadline = burst.fair_deadline();
    let started = std::time::Instant::now();
    let answer = tokio::time::timeout(deadline, client.get(path)).await;
    assert!(
        answer.is_ok_and(|response| response.status == 200),
        "\nAfter {BURST} clients hung up in the middle of `GET {path}`, the next `GET {path}` \
         got no answer within {deadline:.1?} (waited {:.1} s).\nWhen a client hangs up, hyper \
         drops its handler's future, and with it any MongoDB operation still in flight; the \
         driver asks that its futures always run to completion. This is given code, no TODO \
         of yours: keep the `run_to_completion` layer that `app` in src/lib.rs puts on the \
         router: see \"When the client hangs up\" in notes/06-mongo-models.md.\n",
        started.elapsed().as_secs_f64()
    );
}

/// Checks a `hide_password` function: a URI shown in a log keeps its scheme
/// and its host, never a password; a URI without one is shown whole.
/// `what_to_fix` names the code that holds the function.
#[track_caller]
pub fn assert_hides_the_password(hide_password: impl Fn(&str) -> String, what_to_fix: &str) {
    let cases = [
        (
            "mongodb://ada:pa55word@db.example.com:27017/?tls=true",
            "mongodb://…@db.example.com:27017/?tls=true",
        ),
        (
            "mongodb+srv://ada:p@ss@cluster0.example.net",
            "mongodb+srv://…@cluster0.example.net",
        ),
        ("mongodb://127.0.0.1:27017", "mongodb://127.0.0.1:27017"),
    ];
    for (uri, shown) in cases {
        assert_eq!(
            hide_password(uri),
            shown,
            "\nhide_password({uri:?}): a URI in a log keeps its scheme and its host, never a \
             password.\n{what_to_fix}\n"
        );
    }
}

/// Checks that `server` (a lesson's server, given everything else it needs)
/// refuses a `MONGODB_URI` that is no connection string (a letter O typed
/// for a zero in the port of a URI with a password): one line that names
/// the variable and says what is wrong with it, and never the password.
/// That is a mistake to fix in the variable, not a MongoDB to start.
/// `where_to_look` names the code that writes the line.
#[track_caller]
pub fn assert_names_a_bad_connection_string(
    server: test_support::ServerCommand,
    where_to_look: &str,
) {
    let exit = server
        .env(
            "MONGODB_URI",
            "mongodb://ada:pa55word-of-ada@db.example.com:27O17",
        )
        .assert_refuses_to_start(
            &["MONGODB_URI", "not a valid connection string"],
            &format!(
                "A MONGODB_URI that cannot be parsed is a mistake to fix in the variable, \
                 not a MongoDB to start: say so in one line that names it ({where_to_look})."
            ),
        );
    assert!(
        !exit.stderr.contains("pa55word") && !exit.stdout.contains("pa55word"),
        "\nthe server printed the password of MONGODB_URI. A password never goes into a \
         log: show the URI through `hide_password` ({where_to_look}).\n{exit}\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_unique_and_safe() {
        let first = unique_database_name();
        let second = unique_database_name();
        assert_ne!(first, second);
        let long_test_name = std::thread::Builder::new()
            .name(format!("cases::{}", "a_very_long_test_name_".repeat(5)))
            .spawn(unique_database_name)
            .unwrap()
            .join()
            .unwrap();
        assert!(long_test_name.len() <= 63, "{long_test_name}");
        assert!(
            first.len() <= 63,
            "MongoDB limits database names to 63 bytes"
        );
        assert!(first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }
}
