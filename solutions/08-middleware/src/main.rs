//! Starts the lesson 08 server on 127.0.0.1, port `PORT` (default 3000),
//! and logs every request.
//!
//! `cargo run -p solution-08-middleware`. More or less log: `RUST_LOG`,
//! such as `RUST_LOG=debug` or `RUST_LOG=solution_08_middleware=info,warn`.

use std::io::IsTerminal;
use std::process::ExitCode;

use solution_08_middleware::{Guestbook, app};
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

    let port = match std::env::var("PORT") {
        Ok(text) => match text.parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("error: PORT must be a number from 0 to 65535, got {text:?}");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => 3000,
    };
    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "error: cannot listen on 127.0.0.1:{port}: {err}. \
                 Is another server using that port? Stop it, or pick another: PORT=3001"
            );
            return ExitCode::FAILURE;
        }
    };
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("Listening on http://{address}");
    if let Err(err) = axum::serve(listener, app(Guestbook::new())).await {
        eprintln!("error: the server stopped: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
