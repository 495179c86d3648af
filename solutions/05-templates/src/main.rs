//! Starts the lesson 05 server on 127.0.0.1, port `PORT` (default 3000),
//! with the templates in `templates/` and the static files in `public/` (or
//! in the folders named by `TEMPLATES_DIR` and `PUBLIC_DIR`).
//!
//! `cargo run -p solution-05-templates`, from any folder.
//!
//! Ctrl-C or SIGTERM stops it gracefully: it stops taking new connections,
//! answers the requests in flight, then exits with success.

use std::path::PathBuf;
use std::process::ExitCode;
use std::{fmt, io};

use solution_05_templates::{
    AppState, PUBLIC_DIR_VAR, TEMPLATES_DIR_VAR, Templates, app, public_dir, templates_dir,
};
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
    let templates_dir = templates_dir();
    if !templates_dir.is_dir() {
        return Err(StartupError::NoTemplates(templates_dir));
    }
    let templates = Templates::load(&templates_dir);
    // Compile every template now: a missing file or a syntax error stops
    // the server here, with the file and line, rather than on a visit.
    if let Err(source) = templates.check() {
        return Err(StartupError::BrokenTemplate {
            folder: templates_dir,
            source,
        });
    }
    let public_dir = public_dir();
    if !public_dir.is_dir() {
        return Err(StartupError::NoPublicFolder(public_dir));
    }
    let port = port_from_env()?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| StartupError::Listen { port, source })?;
    println!("Templates from {}", templates_dir.display());
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .map_err(|source| StartupError::Listen { port, source })?;
    println!("Listening on http://{address}");
    axum::serve(listener, app(AppState::new(templates), &public_dir))
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
    NoTemplates(PathBuf),
    BrokenTemplate {
        folder: PathBuf,
        source: minijinja::Error,
    },
    NoPublicFolder(PathBuf),
    BadPort(String),
    Listen {
        port: u16,
        source: io::Error,
    },
    Serve(io::Error),
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoTemplates(folder) => write!(
                f,
                "there is no templates folder at {}. Set {TEMPLATES_DIR_VAR} to the folder \
                 that holds the templates, or unset it to use this lesson's templates/ folder",
                folder.display()
            ),
            Self::BrokenTemplate { folder, source } => write!(
                f,
                "the templates in {} cannot be used: {source}. Fix that template, \
                 or set {TEMPLATES_DIR_VAR} to the folder that holds the templates",
                folder.display()
            ),
            Self::NoPublicFolder(folder) => write!(
                f,
                "there is no folder of static files at {}. Set {PUBLIC_DIR_VAR} to the folder \
                 that holds them, or unset it to use this lesson's public/ folder",
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
