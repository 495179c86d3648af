//! Starts the lesson 06 API on 127.0.0.1, port `PORT` (default 3000), with
//! its messages in MongoDB.
//!
//! `cargo run -p solution-06-mongo-models`. Settings, all optional:
//! `PORT=8080`, `MONGODB_URI=mongodb://127.0.0.1:27017`, `MONGODB_DB=backendlearning`.

use std::process::ExitCode;

use mongodb::error::ErrorKind;
use solution_06_mongo_models::database::SERVER_SELECTION_TIMEOUT;
use solution_06_mongo_models::{app, connect, prepare};
use tokio::net::TcpListener;

const DEFAULT_URI: &str = "mongodb://127.0.0.1:27017";
const DEFAULT_DATABASE: &str = "backendlearning";

#[tokio::main]
async fn main() -> ExitCode {
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
    let uri = std::env::var("MONGODB_URI").unwrap_or_else(|_| DEFAULT_URI.to_owned());
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
            ErrorKind::InvalidArgument { .. } => format!(
                "MONGODB_URI is not a valid connection string ({shown_uri}): {}",
                err.kind
            ),
            _ => format!("cannot use MongoDB at {shown_uri}: {}", err.kind),
        })?;
    prepare(&db).await.map_err(|err| {
        format!(
            "cannot create the unique index on messages.email: {}",
            err.kind
        )
    })?;

    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(err) => {
            return Err(format!(
                "cannot listen on 127.0.0.1:{port}: {err}. \
                 Is another server using that port? Stop it, or pick another: PORT=3001"
            ));
        }
    };
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener.local_addr().map_err(|err| err.to_string())?;
    println!("Using database {database:?} at {shown_uri}");
    println!("Listening on http://{address}");
    axum::serve(listener, app(db))
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
