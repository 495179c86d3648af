//! Starts the lesson 09 server on 127.0.0.1, port `PORT` (default 3000).
//!
//! ```text
//! export JWT_SECRET="$(openssl rand -hex 32)"
//! export MONGODB_URI=mongodb://127.0.0.1:27017
//! cargo run -p solution-09-jwt
//! ```
//!
//! Required: `JWT_SECRET` (at least 32 bytes) and `MONGODB_URI`. Optional:
//! `PORT`, `MONGODB_DB` (default `backendlearning09`), `COOKIE_SECURE=false`
//! (to test over plain HTTP from another machine), `RUST_LOG=debug`.
//!
//! Ctrl-C or SIGTERM stops it gracefully: it stops taking new connections,
//! answers the requests in flight, then exits with success.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use std::{fmt, io};

use mongodb::Database;
use mongodb::error::ErrorKind;
use solution_09_jwt::database::hide_password;
use solution_09_jwt::{AuthConfig, ConfigError, app, connect, prepare};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Not lesson 06's `backendlearning`: its messages have no owner, and its
/// unique index on `email` would refuse a second message from one person.
const DEFAULT_DATABASE: &str = "backendlearning09";

#[tokio::main]
async fn main() -> ExitCode {
    // Log at `info` and above unless RUST_LOG says otherwise. Colours only
    // in a terminal, so a log file holds plain text.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Start-up, step by step, then serve until asked to stop.
async fn run() -> Result<(), StartupError> {
    let port = port_from_env()?;
    // The secret first: without it there is no point in reaching MongoDB.
    let config = AuthConfig::from_env().map_err(StartupError::Config)?;
    // No default here, unlike lesson 06: a deployed server's URI names the
    // real database and holds its password (notes, "Run it").
    let uri = std::env::var("MONGODB_URI").unwrap_or_default();
    if uri.is_empty() {
        return Err(StartupError::MissingUri);
    }
    let database = std::env::var("MONGODB_DB").unwrap_or_else(|_| DEFAULT_DATABASE.to_owned());
    let shown_uri = hide_password(&uri);

    let started = Instant::now();
    let db = connect(&uri, &database)
        .await
        .map_err(|source| StartupError::Connect {
            shown_uri: shown_uri.clone(),
            waited: started.elapsed(),
            source,
        })?;
    println!("Using database {database:?} at {shown_uri}");
    let served = serve(db.clone(), config, port).await;
    // Close the driver's connections before the runtime stops. A client
    // that is only dropped at exit ends its sessions on a task of its own,
    // which can race the runtime's shutdown (and then panics in the driver).
    db.client().clone().shutdown().await;
    served
}

/// Gets the database ready, then serves the app until asked to stop.
async fn serve(db: Database, config: AuthConfig, port: u16) -> Result<(), StartupError> {
    prepare(&db).await.map_err(StartupError::Prepare)?;

    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| StartupError::Listen { port, source })?;
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .map_err(|source| StartupError::Listen { port, source })?;
    println!("Listening on http://{address}");
    axum::serve(listener, app(db, config))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartupError::Serve)
}

/// The port from `PORT`, or 3000 when it is not set.
fn port_from_env() -> Result<u16, StartupError> {
    match std::env::var("PORT") {
        Ok(text) => text.parse().map_err(|_| StartupError::BadPort(text)),
        Err(_) => Ok(3000),
    }
}

/// Resolves when the process is asked to stop: Ctrl-C in its terminal, or
/// SIGTERM (what `kill`, `docker stop` and systemd send).
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c()
            .await
            .expect("cannot listen for Ctrl-C");
    };
    #[cfg(unix)]
    let terminate = async {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("cannot listen for SIGTERM")
            .recv()
            .await;
    };
    // Elsewhere there is no SIGTERM: only Ctrl-C stops the server.
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// Why the server did not start, or stopped. Each message is one line that
/// says what to do.
#[derive(Debug)]
enum StartupError {
    BadPort(String),
    Config(ConfigError),
    MissingUri,
    /// `connect` failed: no server answered, or the URI is not one.
    Connect {
        shown_uri: String,
        waited: Duration,
        source: mongodb::error::Error,
    },
    Prepare(mongodb::error::Error),
    Listen {
        port: u16,
        source: io::Error,
    },
    Serve(io::Error),
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadPort(text) => write!(f, "PORT must be a number from 0 to 65535, got {text:?}"),
            Self::Config(source) => write!(f, "{source}"),
            Self::MissingUri => f.write_str(
                "MONGODB_URI is not set: point it at a MongoDB, such as \
                 MONGODB_URI=mongodb://127.0.0.1:27017 (start one with \
                 `docker run -d -p 27017:27017 mongo:8.0`)",
            ),
            Self::Connect {
                shown_uri,
                waited,
                source,
            } => match *source.kind {
                ErrorKind::ServerSelection { .. } => write!(
                    f,
                    "no MongoDB answers at {shown_uri} (waited {} s). Start one with \
                     `docker run -d -p 27017:27017 mongo:8.0`, or set MONGODB_URI to a \
                     running server",
                    waited.as_secs()
                ),
                ErrorKind::InvalidArgument { .. } => write!(
                    f,
                    "MONGODB_URI is not a valid connection string ({shown_uri}): {}",
                    source.kind
                ),
                _ => write!(f, "cannot use MongoDB at {shown_uri}: {}", source.kind),
            },
            Self::Prepare(source) => write!(
                f,
                "cannot create the unique index on users.email: {}",
                source.kind
            ),
            Self::Listen { port, source } => write!(
                f,
                "cannot listen on 127.0.0.1:{port}: {source}. \
                 Is another server using that port? Stop it, or pick another: PORT=3001"
            ),
            Self::Serve(source) => write!(f, "the server stopped: {source}"),
        }
    }
}

/// The cause is already in the one-line message above, so `source()` keeps
/// its default, `None`: a program that prints the chain of causes would
/// otherwise show it twice.
impl std::error::Error for StartupError {}
