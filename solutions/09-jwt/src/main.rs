//! Starts the lesson 09 server on 127.0.0.1, port `PORT` (default 3000).
//!
//! ```text
//! export JWT_SECRET="$(openssl rand -hex 32)"
//! export MONGODB_URI=mongodb://127.0.0.1:27017
//! cargo run -p solution-09-jwt
//! ```
//!
//! Required: `JWT_SECRET` (at least 32 bytes) and `MONGODB_URI`. Optional:
//! `PORT`, `MONGODB_DB` (default `backendlearning`), `COOKIE_SECURE=false`
//! (to test over plain HTTP from another machine), `RUST_LOG=debug`.

use std::io::IsTerminal;
use std::process::ExitCode;

use mongodb::error::ErrorKind;
use solution_09_jwt::database::SERVER_SELECTION_TIMEOUT;
use solution_09_jwt::{AuthConfig, app, connect, prepare};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

const DEFAULT_DATABASE: &str = "backendlearning";

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
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Start-up, step by step. Each failure is one line that says what to do.
async fn run() -> Result<(), String> {
    let port = match std::env::var("PORT") {
        Ok(text) => text
            .parse::<u16>()
            .map_err(|_| format!("PORT must be a number from 0 to 65535, got {text:?}"))?,
        Err(_) => 3000,
    };
    // The secret first: without it there is no point in reaching MongoDB.
    let config = AuthConfig::from_env().map_err(|err| err.to_string())?;
    let uri = std::env::var("MONGODB_URI").unwrap_or_default();
    if uri.is_empty() {
        return Err("MONGODB_URI is not set: point it at a MongoDB, such as \
                    MONGODB_URI=mongodb://127.0.0.1:27017 (start one with \
                    `docker run -d -p 27017:27017 mongo:8.0`)"
            .to_owned());
    }
    let database = std::env::var("MONGODB_DB").unwrap_or_else(|_| DEFAULT_DATABASE.to_owned());
    let shown_uri = hide_password(&uri);

    let db = connect(&uri, &database)
        .await
        .map_err(|err| match *err.kind {
            ErrorKind::ServerSelection { .. } => format!(
                "no MongoDB answers at {shown_uri} (waited {} s). Start one with \
                 `docker run -d -p 27017:27017 mongo:8.0`, or set MONGODB_URI to a running server",
                SERVER_SELECTION_TIMEOUT.as_secs()
            ),
            ErrorKind::InvalidArgument { .. } => {
                format!("MONGODB_URI is not a valid connection string ({shown_uri}): {err}")
            }
            _ => format!("cannot use MongoDB at {shown_uri}: {}", err.kind),
        })?;
    prepare(&db).await.map_err(|err| {
        format!(
            "cannot create the unique index on users.email: {}",
            err.kind
        )
    })?;

    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|err| {
            format!(
                "cannot listen on 127.0.0.1:{port}: {err}. \
                 Is another server using that port? Stop it, or pick another: PORT=3001"
            )
        })?;
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener.local_addr().map_err(|err| err.to_string())?;
    println!("Using database {database:?} at {shown_uri}");
    println!("Listening on http://{address}");
    axum::serve(listener, app(db, config))
        .await
        .map_err(|err| format!("the server stopped: {err}"))
}

/// `mongodb://ada:secret@host` becomes `mongodb://…@host`: a password has
/// no place in a log.
fn hide_password(uri: &str) -> String {
    match (uri.split_once("://"), uri.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://…{}", &uri[at..]),
        _ => uri.to_owned(),
    }
}
