//! `cargo course classroom serve | join | leave`: the live classroom board
//! (see [`crate::classroom`]).

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::body::Bytes;
use axum::http::StatusCode;
use clap::Subcommand;

use crate::classroom::client::{self, error_text};
use crate::classroom::membership::{MEMBERSHIP_FILE, Membership};
use crate::classroom::server::{self, App};
use crate::classroom::store::BoardFile;
use crate::commands::Session;
use crate::style::{GOOD, STRONG, command, paint};

/// Where `serve` keeps the board unless told otherwise, in the course root.
pub const BOARD_FILE: &str = ".course/classroom-board.json";

/// How long joining may take: a person waits for it, once.
const JOIN_TIME_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Teacher: start the board, and print its address, the join code and
    /// your link to the page.
    Serve {
        /// The address to listen on (default: every network interface).
        #[arg(long, default_value = "0.0.0.0")]
        bind: IpAddr,
        /// The port (0: any free port).
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Call a learner stuck when the same test has failed for this many minutes.
        #[arg(long, default_value_t = 10, value_name = "MIN")]
        stuck_after: u64,
        /// The file the board is kept in, so it survives a restart.
        #[arg(long, value_name = "PATH")]
        data: Option<PathBuf>,
    },
    /// Learner: join a board; each verify and watch result is then sent to it.
    Join {
        /// The board's address, such as http://192.168.1.20:4000.
        url: String,
        /// The join code the teacher gives.
        code: String,
        /// Your name as the board shows it.
        #[arg(long)]
        name: String,
    },
    /// Learner: stop sending results to the board.
    Leave,
}

pub fn run(session: &Session, action: Action) -> Result<ExitCode> {
    match action {
        Action::Serve {
            bind,
            port,
            stuck_after,
            data,
        } => serve(session, SocketAddr::new(bind, port), stuck_after, data),
        Action::Join { url, code, name } => join(session, &url, &code, &name),
        Action::Leave => leave(session),
    }
}

fn serve(
    session: &Session,
    address: SocketAddr,
    stuck_after_minutes: u64,
    data: Option<PathBuf>,
) -> Result<ExitCode> {
    let file = BoardFile {
        path: data.unwrap_or_else(|| session.course.root.join(BOARD_FILE)),
    };
    let board = file
        .load()
        .with_context(|| format!("cannot read {}", file.path.display()))?;
    // Saved at once: the code and key stay the same after a restart.
    file.save(&board)
        .with_context(|| format!("cannot write {}", file.path.display()))?;
    let app = Arc::new(App::new(
        board,
        file.clone(),
        session.course.lessons.clone(),
        stuck_after_minutes.saturating_mul(60),
    ));
    let runtime = tokio::runtime::Runtime::new().context("cannot start the board")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let bound = listener.local_addr()?;
        print_welcome(&app, bound, &file, stuck_after_minutes);
        axum::serve(listener, server::router(app))
            .await
            .context("the board stopped")
    })?;
    Ok(ExitCode::SUCCESS)
}

fn print_welcome(app: &App, bound: SocketAddr, file: &BoardFile, stuck_after_minutes: u64) {
    let host = if bound.ip().is_unspecified() {
        lan_address().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
    } else {
        bound.ip()
    };
    let url = format!("http://{}", SocketAddr::new(host, bound.port()));
    let (code, key) = app.code_and_key();
    anstream::println!(
        "{} kept in {}",
        paint(STRONG, "Classroom board"),
        file.path.display()
    );
    anstream::println!("Board:         {url}");
    anstream::println!("Join code:     {}", paint(GOOD, &code));
    anstream::println!(
        "Learners run:  {}",
        command(format!(
            "cargo course classroom join {url} {code} --name \"Their Name\""
        ))
    );
    anstream::println!("Teacher link:  {url}/board?key={key}");
    anstream::println!(
        "  (its address holds the key: on a projector, show the page full screen; \
         JSON for scripts: {url}/api/board?key={key})"
    );
    let minutes = if stuck_after_minutes == 1 {
        "minute"
    } else {
        "minutes"
    };
    anstream::println!(
        "Stuck: the same test failing for {stuck_after_minutes} {minutes} or more. \
         Ctrl-C stops the board; it comes back with its data."
    );
}

/// This machine's address on the local network: the one a connection to
/// the outside would leave from. (A UDP "connection" sends nothing.)
fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    Some(socket.local_addr().ok()?.ip()).filter(|ip| !ip.is_unspecified())
}

fn join(session: &Session, url: &str, code: &str, name: &str) -> Result<ExitCode> {
    let board = url.trim_end_matches('/');
    let root = &session.course.root;
    let mut earlier = Membership::load(root);
    let mut answer = ask_to_join(board, code, name)?;
    // Joining the same board again under the same name: the row is this
    // checkout's own, so it goes first, and the name is free.
    if answer.0 == StatusCode::CONFLICT
        && let Some(same) = earlier.take_if(|earlier| {
            earlier.board == board && earlier.name.eq_ignore_ascii_case(name.trim())
        })
    {
        leave_the_board(&same)?;
        answer = ask_to_join(board, code, name)?;
    }
    let (status, answer) = answer;
    if !status.is_success() {
        bail!(
            "the board refused to join ({status}): {}",
            error_text(&answer)
        );
    }
    #[derive(serde::Deserialize)]
    struct Joined {
        name: String,
        token: String,
    }
    // What the answer lacks would mean nothing to the learner: no cause.
    let Ok(joined) = serde_json::from_slice::<Joined>(&answer) else {
        bail!("{board} does not answer like a classroom board");
    };
    let membership = Membership {
        board: board.to_owned(),
        name: joined.name,
        token: joined.token,
    };
    membership
        .save(root)
        .with_context(|| format!("cannot save {MEMBERSHIP_FILE}"))?;
    // A checkout is one row: the one it had before, if still there, goes.
    if let Some(earlier) = earlier {
        let _ = leave_the_board(&earlier);
    }
    anstream::println!(
        "{} the board at {board}, which shows you as {}\nFrom now on, each {} and {} \
         result goes to it: the lesson, how many tests pass and fail, the first failing \
         test and its TODO, and the time. Nothing else. {} stops it.",
        paint(GOOD, "Joined"),
        paint(STRONG, &membership.name),
        command("cargo course verify"),
        command("cargo course watch"),
        command("cargo course classroom leave"),
    );
    Ok(ExitCode::SUCCESS)
}

/// Asks the board at `board` for a row named `name`: its status and answer.
fn ask_to_join(board: &str, code: &str, name: &str) -> Result<(StatusCode, Bytes)> {
    let body = serde_json::json!({ "code": code, "name": name }).to_string();
    client::post(board, "/api/join", None, body.into(), JOIN_TIME_LIMIT)
        .with_context(|| format!("cannot reach the board at {board}"))
}

/// Asks the board to take this membership's row off.
fn leave_the_board(membership: &Membership) -> Result<()> {
    let (status, answer) = client::post(
        &membership.board,
        "/api/leave",
        Some(&membership.token),
        Vec::new(),
        JOIN_TIME_LIMIT,
    )?;
    if !status.is_success() {
        bail!("the board said {status}: {}", error_text(&answer));
    }
    Ok(())
}

fn leave(session: &Session) -> Result<ExitCode> {
    let root = &session.course.root;
    let Some(membership) = Membership::load(root) else {
        Membership::remove(root).with_context(|| format!("cannot remove {MEMBERSHIP_FILE}"))?;
        anstream::println!("This checkout has joined no board: nothing to leave.");
        return Ok(ExitCode::SUCCESS);
    };
    let told = leave_the_board(&membership);
    Membership::remove(root).with_context(|| format!("cannot remove {MEMBERSHIP_FILE}"))?;
    let board = &membership.board;
    match told {
        Ok(()) => anstream::println!(
            "Left the board at {board}: your row is gone from it, and your results stay on \
             this machine."
        ),
        Err(err) => anstream::println!(
            "Stopped sending to the board at {board}. It could not be told ({err:#}), so \
             your row stays on it. Your results stay on this machine."
        ),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> std::result::Result<Action, clap::Error> {
        let cli = Cli::try_parse_from(["cargo course", "classroom"].iter().chain(args))?;
        match cli.command {
            Some(Command::Classroom { action }) => Ok(action),
            other => panic!("expected classroom, got {other:?}"),
        }
    }

    #[test]
    fn serve_listens_on_the_network_with_a_ten_minute_stuck_time_by_default() {
        match parse(&["serve"]).unwrap() {
            Action::Serve {
                bind,
                port,
                stuck_after,
                data,
            } => {
                assert!(bind.is_unspecified(), "learners' machines can reach it");
                assert_eq!((port, stuck_after, data), (4000, 10, None));
            }
            other => panic!("expected serve, got {other:?}"),
        }
        assert!(matches!(
            parse(&[
                "serve",
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--stuck-after",
                "3"
            ])
            .unwrap(),
            Action::Serve {
                port: 0,
                stuck_after: 3,
                ..
            }
        ));
        assert!(parse(&["serve", "--bind", "not-an-address"]).is_err());
    }

    #[test]
    fn join_needs_an_address_a_code_and_a_name() {
        assert!(parse(&["join", "http://10.0.0.2:4000", "ABC234"]).is_err());
        match parse(&["join", "http://10.0.0.2:4000", "ABC234", "--name", "Ada"]).unwrap() {
            Action::Join { url, code, name } => {
                assert_eq!(
                    (url.as_str(), code.as_str(), name.as_str()),
                    ("http://10.0.0.2:4000", "ABC234", "Ada")
                );
            }
            other => panic!("expected join, got {other:?}"),
        }
        assert!(matches!(parse(&["leave"]).unwrap(), Action::Leave));
    }
}
