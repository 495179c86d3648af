//! A real MongoDB for the tests, and a fresh database for each test.
//!
//! Where the server comes from, in this order:
//! 1. `MONGODB_URI` is set: that server is used and nothing is started.
//!    Use it for a classroom server or a MongoDB you run yourself.
//! 2. Otherwise a MongoDB container is started with Docker (testcontainers).
//!    It is kept running between test runs so the next run starts at once.
//!    Stop it with `cargo course mongo stop`, or by hand with
//!    `docker rm -f $(docker ps -aq --filter label=rust-course=mongodb)`.
//!    `MONGODB_IMAGE=name:tag` picks another image (default `mongo:8.0`).
//!
//! Every test then gets a database with a unique name, dropped when the test
//! ends, so tests run in parallel and never see each other's data.
//!
//! This crate is apart from `test_support` on purpose: only the MongoDB
//! lessons depend on it, so the other lessons' tests neither compile nor link
//! the MongoDB driver and the Docker client, and give their verdict sooner.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use mongodb::bson::doc;
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};
use testcontainers_modules::mongo::Mongo;
use testcontainers_modules::testcontainers::core::IntoContainerPort;
use testcontainers_modules::testcontainers::runners::AsyncRunner;
use testcontainers_modules::testcontainers::{ImageExt, ReuseDirective};

/// The image learners get: the official MongoDB image.
const DEFAULT_IMAGE: &str = "mongo:8.0";
/// How long a fresh server may take to answer its first `ping`.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

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
    /// Drops the test's database. A driver `Client` belongs to the Tokio
    /// runtime that made it, and `drop` cannot be async, so a short-lived
    /// thread with its own runtime and its own client does the work.
    fn drop(&mut self) {
        let uri = self.uri.clone();
        let name = self.database.name().to_owned();
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a Tokio runtime for cleanup");
            runtime.block_on(async {
                if let Ok(client) = connect(&uri).await {
                    let _ = client.database(&name).drop().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// The connection string of the test server, starting it on first use.
///
/// Panics with a message that says what to do when there is no server.
pub fn mongodb_uri() -> &'static str {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        // Each test has its own Tokio runtime, and a container handle or a
        // client made in one runtime is not usable from another. The server
        // is therefore started from a thread with a runtime of its own; only
        // its connection string is kept.
        std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| err.to_string())?
                .block_on(find_or_start_server())
        })
        .join()
        .unwrap_or_else(|_| Err("the thread starting MongoDB panicked".to_owned()))
    });
    match server {
        Ok(uri) => uri,
        Err(message) => panic!("\n\n{message}\n"),
    }
}

async fn find_or_start_server() -> Result<String, String> {
    if let Ok(uri) = std::env::var("MONGODB_URI") {
        return wait_until_ready(&uri, Duration::from_secs(5))
            .await
            .map(|()| uri.clone())
            .map_err(|err| {
                format!(
                    "MONGODB_URI is set to {uri}, but no MongoDB answers there: {err}\n\
                     Start that server, or unset MONGODB_URI to let the tests start one in Docker."
                )
            });
    }
    let image = std::env::var("MONGODB_IMAGE").unwrap_or_else(|_| DEFAULT_IMAGE.to_owned());
    let uri = start_container(&image).await.map_err(|err| {
        format!(
            "The tests need a MongoDB server and could not start one in Docker:\n  {err}\n\n\
             Do one of these, then run the tests again:\n  \
             - start Docker (Docker Desktop, or `sudo systemctl start docker`), or\n  \
             - point the tests at a running MongoDB:\n      \
             MONGODB_URI=mongodb://127.0.0.1:27017 cargo test"
        )
    })?;
    wait_until_ready(&uri, STARTUP_TIMEOUT)
        .await
        .map_err(|err| format!("MongoDB started in Docker ({image}) but never answered: {err}"))?;
    Ok(uri)
}

/// Starts (or finds, from an earlier run) the course's MongoDB container and
/// returns its connection string.
async fn start_container(image: &str) -> Result<String, String> {
    let (name, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
    let container_name = format!("rust-course-mongodb-{}", sanitise(image));
    let request = || {
        Mongo::default()
            .with_name(name)
            .with_tag(tag)
            // Readiness is checked with a real `ping` below, which works for
            // every MongoDB-compatible server, not with a log line that only
            // the official image prints.
            .with_ready_conditions(Vec::new())
            .with_container_name(&container_name)
            .with_label("rust-course", "mongodb")
            // Keep the container after the tests, so the next run is quick.
            .with_reuse(ReuseDirective::Always)
    };
    // Two test runs at once may both try to create the container; the loser
    // of that race finds the winner's container on its second try.
    let container = match request().start().await {
        Ok(container) => container,
        Err(_) => request().start().await.map_err(|err| err.to_string())?,
    };
    let host = container.get_host().await.map_err(|err| err.to_string())?;
    let port = container
        .get_host_port_ipv4(27017.tcp())
        .await
        .map_err(|err| err.to_string())?;
    Ok(format!("mongodb://{host}:{port}"))
}

/// Connects with short timeouts, so a missing server fails in seconds.
async fn connect(uri: &str) -> mongodb::error::Result<Client> {
    let mut options = ClientOptions::parse(uri).await?;
    options.server_selection_timeout = Some(Duration::from_secs(5));
    options.connect_timeout = Some(Duration::from_secs(5));
    options.app_name = Some("rust-course-tests".to_owned());
    Client::with_options(options)
}

/// Pings the server until it answers or `timeout` has passed.
async fn wait_until_ready(uri: &str, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    let mut options = ClientOptions::parse(uri)
        .await
        .map_err(|err| err.to_string())?;
    options.server_selection_timeout = Some(Duration::from_millis(500));
    let client = Client::with_options(options).map_err(|err| err.to_string())?;
    loop {
        match client
            .database("admin")
            .run_command(doc! { "ping": 1 })
            .await
        {
            Ok(_) => return Ok(()),
            Err(err) if Instant::now() >= deadline => return Err(err.to_string()),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// A database name no other test uses: the test's own name (libtest names
/// each test's thread after it), the process id and a counter.
fn unique_database_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let thread = std::thread::current();
    let test_name = thread.name().unwrap_or("test");
    let short_name: String = sanitise(test_name.rsplit("::").next().unwrap_or(test_name))
        .chars()
        .take(40)
        .collect();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("t_{short_name}_{}_{count}", std::process::id())
}

/// Keeps letters, digits and `_`; everything else becomes `_`.
fn sanitise(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_unique_and_safe() {
        let first = unique_database_name();
        let second = unique_database_name();
        assert_ne!(first, second);
        assert!(
            first.len() <= 63,
            "MongoDB limits database names to 63 bytes"
        );
        assert!(first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    }
}
