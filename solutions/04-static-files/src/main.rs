//! Starts the lesson 04 server on 127.0.0.1, port `PORT` (default 3000),
//! serving the files in `public/` (or in the folder named by `PUBLIC_DIR`).
//!
//! `cargo run -p solution-04-static-files`, from any folder.

use std::process::ExitCode;

use solution_04_static_files::{PUBLIC_DIR_VAR, app, public_dir};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let public_dir = public_dir();
    // Check the folder now: a wrong folder would otherwise only show up as
    // a 404 for every page.
    if !public_dir.join("index.html").is_file() {
        eprintln!(
            "error: there is no index.html in {}. Set {PUBLIC_DIR_VAR} to the folder \
             that holds the site, or unset it to serve this lesson's public/ folder",
            public_dir.display()
        );
        return ExitCode::FAILURE;
    }
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
    println!("Serving the files in {}", public_dir.display());
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("Listening on http://{address}");
    if let Err(err) = axum::serve(listener, app(&public_dir)).await {
        eprintln!("error: the server stopped: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
