//! Starts the lesson 07 server on 127.0.0.1, port `PORT` (default 3000).
//!
//! It needs `COOKIE_KEY` (64 random bytes in base64) and refuses to start
//! without it:
//!
//! ```text
//! export COOKIE_KEY="$(openssl rand -base64 64)"
//! cargo run -p solution-07-cookies
//! ```

use std::process::ExitCode;

use solution_07_cookies::{CookieConfig, app};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match CookieConfig::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
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
    if let Err(err) = axum::serve(listener, app(config)).await {
        eprintln!("error: the server stopped: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
