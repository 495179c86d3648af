//! Starts the lesson 04 server on 127.0.0.1, port `PORT` (default 3000),
//! serving the files in `public/` (or in the folder named by `PUBLIC_DIR`).
//!
//! `cargo run -p lesson-04-static-files` (from any folder, once TODO 1 is done).
//!
//! Ctrl-C or SIGTERM stops it gracefully: it stops taking new connections,
//! answers the requests in flight, then exits with success.

use std::path::PathBuf;
use std::process::ExitCode;
use std::{fmt, io};

use lesson_04_static_files::{PUBLIC_DIR_VAR, app, public_dir};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
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
    let public_dir = public_dir();
    // Check the folder now: a wrong folder would otherwise only show up as
    // a 404 for every page.
    if !public_dir.join("index.html").is_file() {
        return Err(StartupError::NoSite(public_dir));
    }
    let port = port_from_env()?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| StartupError::Listen { port, source })?;
    println!("Serving the files in {}", public_dir.display());
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .map_err(|source| StartupError::Listen { port, source })?;
    println!("Listening on http://{address}");
    axum::serve(listener, app(&public_dir))
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
    NoSite(PathBuf),
    BadPort(String),
    Listen { port: u16, source: io::Error },
    Serve(io::Error),
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSite(folder) => write!(
                f,
                "there is no index.html in {}. Set {PUBLIC_DIR_VAR} to the folder \
                 that holds the site, or unset it to serve this lesson's public/ folder",
                folder.display()
            ),
            Self::BadPort(text) => write!(f, "PORT must be a number from 0 to 65535, got {text:?}"),
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
