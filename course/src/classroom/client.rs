//! The learner's side: one JSON request to the board, on a connection of
//! its own, given up after [`TIME_LIMIT`] all told.
//!
//! A board that is down, slow or gone must never slow or break a learner's
//! `verify`: [`tell_the_board`] prints one line of warning at most, and
//! never fails.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode, Uri, header};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::Report;
use super::membership::Membership;
use crate::style::{DIM, paint};

/// The longest a report may take, connecting included.
pub const TIME_LIMIT: Duration = Duration::from_millis(800);

/// Sends `report` to the board this checkout joined, if any; a warning
/// line when the board does not take it.
pub fn tell_the_board(course_root: &Path, report: Report) {
    let Some(membership) = Membership::load(course_root) else {
        return;
    };
    let body = serde_json::to_vec(&report).expect("a report is JSON");
    let sent = post(
        &membership.board,
        "/api/reports",
        Some(&membership.token),
        body,
        TIME_LIMIT,
    );
    match sent {
        Ok((status, _)) if status.is_success() => {}
        Ok((status, answer)) => anstream::eprintln!(
            "{}",
            paint(
                DIM,
                format!(
                    "warning: the classroom board refused this result ({status}: {}); \
                     `cargo course classroom leave` stops sending.",
                    error_text(&answer)
                )
            )
        ),
        Err(why) => anstream::eprintln!(
            "{}",
            paint(
                DIM,
                format!(
                    "warning: the classroom board at {} did not take this result ({why:#}).",
                    membership.board
                )
            )
        ),
    }
}

/// The `error` of a board's JSON answer, or the answer as it is.
pub fn error_text(answer: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(answer)
        .ok()
        .and_then(|value| value.get("error")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(answer).chars().take(200).collect())
}

/// POSTs `body` (JSON) to `path` on the board at `board` (`http://host:port`),
/// within `limit`: the status and the body of the answer.
pub fn post(
    board: &str,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
    limit: Duration,
) -> Result<(StatusCode, Bytes)> {
    let Ok(uri) = board.parse::<Uri>() else {
        bail!("`{board}` is not an address");
    };
    if uri.scheme_str() != Some("http") {
        bail!("`{board}` does not start with http://");
    }
    let authority = uri
        .authority()
        .with_context(|| format!("`{board}` has no host"))?
        .to_string();
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, &authority)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request.body(Full::new(Bytes::from(body)))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        tokio::time::timeout(limit, send(&authority, request))
            .await
            .unwrap_or_else(|_| Err(anyhow!("no answer within {} ms", limit.as_millis())))
    })
}

async fn send(authority: &str, request: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes)> {
    let stream = TcpStream::connect(authority).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // The connection does the reading and writing beside us.
    tokio::spawn(connection);
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn a_board_that_never_answers_is_given_up_in_time() {
        // Connections are accepted by the system, and never answered.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let board = format!("http://{}", silent.local_addr().unwrap());
        let started = Instant::now();
        let outcome = post(
            &board,
            "/api/reports",
            Some("t"),
            b"{}".to_vec(),
            TIME_LIMIT,
        );
        let took = started.elapsed();
        assert!(
            outcome
                .unwrap_err()
                .to_string()
                .contains("no answer within")
        );
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }

    #[test]
    fn only_plain_http_addresses_are_used() {
        for board in ["https://example.com", "example.com:4000", "http://"] {
            assert!(
                post(board, "/", None, Vec::new(), TIME_LIMIT).is_err(),
                "{board}"
            );
        }
    }
}
