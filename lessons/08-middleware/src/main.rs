//! Starts the lesson 08 server on 127.0.0.1, port `PORT` (default 3000),
//! and logs every request.
//!
//! `cargo run -p lesson-08-middleware`. More or less log: `RUST_LOG`,
//! such as `RUST_LOG=debug` or `RUST_LOG=lesson_08_middleware=info,warn`.
//!
//! Ctrl-C or SIGTERM stops it gracefully: it stops taking new connections,
//! answers the requests in flight, then exits with success.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::{fmt, io};

use lesson_08_middleware::{Guestbook, app};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

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
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| StartupError::Listen { port, source })?;
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .map_err(|source| StartupError::Listen { port, source })?;
    println!("Listening on http://{address}");
    axum::serve(listener, app(Guestbook::new()))
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
    Listen { port: u16, source: io::Error },
    Serve(io::Error),
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
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
