//! Starts the lesson 05 server on 127.0.0.1, port `PORT` (default 3000),
//! with the templates in `templates/` (or in the folder named by
//! `TEMPLATES_DIR`).
//!
//! `cargo run -p solution-05-templates`, from any folder.

use std::process::ExitCode;

use solution_05_templates::{AppState, TEMPLATES_DIR_VAR, Templates, app, templates_dir};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let templates_dir = templates_dir();
    if !templates_dir.is_dir() {
        eprintln!(
            "error: there is no templates folder at {}. Set {TEMPLATES_DIR_VAR} to the folder \
             that holds the templates, or unset it to use this lesson's templates/ folder",
            templates_dir.display()
        );
        return ExitCode::FAILURE;
    }
    let templates = Templates::load(&templates_dir);
    // Compile every template now: a missing file or a syntax error stops
    // the server here, with the file and line, rather than on a visit.
    if let Err(err) = templates.check() {
        eprintln!(
            "error: the templates in {} cannot be used: {err}. Fix that template, \
             or set {TEMPLATES_DIR_VAR} to the folder that holds the templates",
            templates_dir.display()
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
    println!("Templates from {}", templates_dir.display());
    // With PORT=0 the system picks a free port: print the real one.
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("Listening on http://{address}");
    if let Err(err) = axum::serve(listener, app(AppState::new(templates))).await {
        eprintln!("error: the server stopped: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
