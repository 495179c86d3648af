//! The board's routes in memory: who may see and change what, the limits,
//! the errors, the live updates and a restart.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::server::{App, MAX_BODY, router};
use super::store::{BoardFile, MAX_NAME};
use crate::course::Lesson;
use crate::testing::TempDir;

/// A board for a two-lesson course, kept in a temporary folder.
struct TestBoard {
    _dir: TempDir,
    file: BoardFile,
    router: Router,
    code: String,
    key: String,
}

/// An answer: its status and its body, as JSON when it is JSON.
struct Answer {
    status: StatusCode,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// A refusal with `status` and a JSON `error` that mentions `words`.
    fn refused(&self, status: StatusCode, words: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        let error = self.json()["error"].as_str().unwrap_or_default().to_owned();
        assert!(error.contains(words), "expected {words:?} in {error:?}");
    }
}

fn lessons() -> Vec<Lesson> {
    ["01-adding", "02-greeting"]
        .iter()
        .map(|slug| Lesson::from_slug(slug).expect("a lesson slug"))
        .collect()
}

impl TestBoard {
    fn new() -> TestBoard {
        let dir = TempDir::new("classroom-board");
        let file = BoardFile {
            path: dir.path().join("board.json"),
        };
        TestBoard::open(dir, file)
    }

    /// The board kept in `file`, as `serve` opens it.
    fn open(dir: TempDir, file: BoardFile) -> TestBoard {
        let board = file.load().expect("the board file reads");
        file.save(&board).expect("the board file is written");
        let app = Arc::new(App::new(board, file.clone(), lessons(), 600));
        let (code, key) = app.code_and_key();
        TestBoard {
            _dir: dir,
            file,
            router: router(app),
            code,
            key,
        }
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: impl Into<Body>) -> Answer {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(body.into()).unwrap()).await
    }

    async fn join(&self, name: &str) -> String {
        let answer = self
            .post(
                "/api/join",
                None,
                json!({"code": self.code, "name": name}).to_string(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        answer.json()["token"].as_str().unwrap().to_owned()
    }

    async fn board(&self) -> Value {
        let answer = self.get(&format!("/api/board?key={}", self.key)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.json()
    }

    fn saved(&self) -> String {
        std::fs::read_to_string(&self.file.path).unwrap()
    }
}

fn failing_report(lesson: &str) -> String {
    json!({"lesson": lesson, "passed": 1, "failed": 3,
           "failing_test": "adds_two_numbers", "todo": "1", "at": 1_700_000_000})
    .to_string()
}

/// The state of `name`'s cell for `lesson` in the board's JSON.
fn state(board: &Value, name: &str, lesson: &str) -> String {
    let row = board["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == name)
        .unwrap_or_else(|| panic!("{name} is on the board: {board}"));
    let cell = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|cell| cell["lesson"] == lesson)
        .unwrap();
    cell["state"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_page_its_json_and_its_events_need_the_teacher_key() {
    let board = TestBoard::new();
    for path in ["/board", "/api/board", "/api/events"] {
        board
            .get(path)
            .await
            .refused(StatusCode::UNAUTHORIZED, "key is missing");
        board
            .get(&format!("{path}?key=0123"))
            .await
            .refused(StatusCode::FORBIDDEN, "wrong teacher key");
    }
    let page = board.get(&format!("/board?key={}", board.key)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Nobody has joined yet"), "{}", page.text);
    assert_eq!(board.board().await["learners"], json!([]));
}

#[tokio::test]
async fn joining_needs_the_code_and_a_reasonable_name() {
    let board = TestBoard::new();
    let before = board.saved();
    let join = |code: &str, name: &str| json!({"code": code, "name": name}).to_string();

    let answer = board.post("/api/join", None, join("WRONG1", "Ada")).await;
    answer.refused(StatusCode::FORBIDDEN, "wrong join code");
    let long_name = "x".repeat(MAX_NAME + 1);
    let answer = board
        .post("/api/join", None, join(&board.code, &long_name))
        .await;
    answer.refused(StatusCode::UNPROCESSABLE_ENTITY, "longer than");
    let answer = board.post("/api/join", None, join(&board.code, " ")).await;
    answer.refused(StatusCode::UNPROCESSABLE_ENTITY, "empty");
    let huge = join(&board.code, &"x".repeat(MAX_BODY));
    let answer = board.post("/api/join", None, huge).await;
    answer.refused(StatusCode::PAYLOAD_TOO_LARGE, "length limit");
    let answer = board.post("/api/join", None, "{\"code\": ").await;
    answer.refused(StatusCode::BAD_REQUEST, "");
    assert_eq!(board.saved(), before, "no refusal changes the board");

    board.join("Ada").await;
    let answer = board
        .post("/api/join", None, join(&board.code, "ADA"))
        .await;
    answer.refused(StatusCode::CONFLICT, "already on the board");
    assert_eq!(board.board().await["learners"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_token_updates_its_own_row_and_no_other() {
    let board = TestBoard::new();
    let ada = board.join("Ada").await;
    board.join("Bob").await;

    let answer = board
        .post("/api/reports", Some(&ada), failing_report("01-adding"))
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.text);
    let after = board.board().await;
    assert_eq!(state(&after, "Ada", "01-adding"), "failing");
    assert_eq!(state(&after, "Bob", "01-adding"), "not_started");

    // Naming another learner in the body is refused, not obeyed.
    let mut as_bob: Value = serde_json::from_str(&failing_report("02-greeting")).unwrap();
    as_bob["name"] = json!("Bob");
    let answer = board
        .post("/api/reports", Some(&ada), as_bob.to_string())
        .await;
    answer.refused(StatusCode::UNPROCESSABLE_ENTITY, "unknown field `name`");
    assert_eq!(board.board().await, after, "nothing changed");
}

#[tokio::test]
async fn reports_without_a_valid_token_or_with_bad_values_change_nothing() {
    let board = TestBoard::new();
    let ada = board.join("Ada").await;
    let before = board.saved();

    let report = failing_report("01-adding");
    let answer = board.post("/api/reports", None, report.clone()).await;
    answer.refused(StatusCode::UNAUTHORIZED, "no learner token");
    let answer = board
        .post("/api/reports", Some("not-a-token"), report)
        .await;
    answer.refused(StatusCode::FORBIDDEN, "unknown learner token");

    let answer = board
        .post("/api/reports", Some(&ada), failing_report("99-nothing"))
        .await;
    answer.refused(StatusCode::UNPROCESSABLE_ENTITY, "no lesson `99-nothing`");
    let mut long_test: Value = serde_json::from_str(&failing_report("01-adding")).unwrap();
    long_test["failing_test"] = json!("t".repeat(1000));
    let answer = board
        .post("/api/reports", Some(&ada), long_test.to_string())
        .await;
    answer.refused(StatusCode::UNPROCESSABLE_ENTITY, "test name is longer");
    let answer = board
        .post(
            "/api/reports",
            Some(&ada),
            r#"{"lesson": "01-adding", "passed": -1}"#,
        )
        .await;
    answer.refused(StatusCode::UNPROCESSABLE_ENTITY, "passed");
    let untyped = board
        .send(
            Request::post("/api/reports")
                .header(header::AUTHORIZATION, format!("Bearer {ada}"))
                .body(Body::from(failing_report("01-adding")))
                .unwrap(),
        )
        .await;
    untyped.refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Content-Type");

    assert_eq!(board.saved(), before, "no refusal changes the board");
}

#[tokio::test]
async fn leaving_takes_the_row_off_and_frees_the_name() {
    let board = TestBoard::new();
    let ada = board.join("Ada").await;
    board.join("Bob").await;

    let answer = board.post("/api/leave", None, "").await;
    answer.refused(StatusCode::UNAUTHORIZED, "no learner token");
    let answer = board.post("/api/leave", Some("not-a-token"), "").await;
    answer.refused(StatusCode::FORBIDDEN, "unknown learner token");
    assert_eq!(board.board().await["learners"].as_array().unwrap().len(), 2);

    let answer = board.post("/api/leave", Some(&ada), "").await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.text);
    let names: Vec<Value> = board.board().await["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["name"].clone())
        .collect();
    assert_eq!(names, [json!("Bob")], "Ada's row is gone, Bob's stays");
    let answer = board
        .post("/api/reports", Some(&ada), failing_report("01-adding"))
        .await;
    answer.refused(StatusCode::FORBIDDEN, "unknown learner token");
    board.join("Ada").await;
}

#[tokio::test]
async fn the_address_alone_says_how_to_join_and_gives_nothing_away() {
    let board = TestBoard::new();
    let page = board
        .send(
            Request::get("/")
                .header(header::HOST, "192.168.1.20:4000")
                .body(Body::empty())
                .unwrap(),
        )
        .await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text
            .contains("cargo course classroom join http://192.168.1.20:4000 CODE"),
        "{}",
        page.text
    );
    assert!(
        !page.text.contains(&board.code),
        "the join code is the teacher's to give"
    );
    assert!(!page.text.contains(&board.key), "the key opens the board");
}

#[tokio::test]
async fn a_passing_report_counts_as_done_in_its_lesson() {
    let board = TestBoard::new();
    let ada = board.join("Ada").await;
    let passed = json!({"lesson": "02-greeting", "passed": 4, "failed": 0, "at": 1}).to_string();
    board.post("/api/reports", Some(&ada), passed).await;
    let view = board.board().await;
    assert_eq!(state(&view, "Ada", "02-greeting"), "passed");
    assert_eq!(view["lessons"][1]["done"], 1);
    assert_eq!(view["lessons"][0]["done"], 0);
}

#[tokio::test]
async fn the_board_comes_back_after_a_restart() {
    let board = TestBoard::new();
    let ada = board.join("Ada").await;
    board
        .post("/api/reports", Some(&ada), failing_report("01-adding"))
        .await;
    let before = board.board().await;
    let TestBoard { _dir, file, .. } = board;

    let again = TestBoard::open(_dir, file);
    assert_eq!(again.board().await, before, "same learners and cells");
    let answer = again
        .post("/api/reports", Some(&ada), failing_report("02-greeting"))
        .await;
    assert_eq!(
        answer.status,
        StatusCode::NO_CONTENT,
        "the token still works"
    );
}

#[tokio::test]
async fn the_page_hears_of_a_report_without_reloading() {
    let board = TestBoard::new();
    let ada = board.join("Ada").await;
    let response = board
        .router
        .clone()
        .oneshot(
            Request::get(format!("/api/events?key={}", board.key))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut events = response.into_body();
    let mut next_event = async || {
        let frame = tokio::time::timeout(Duration::from_secs(5), events.frame())
            .await
            .expect("an event within 5 s")
            .expect("the stream goes on")
            .unwrap();
        String::from_utf8_lossy(frame.data_ref().unwrap()).into_owned()
    };
    let first = next_event().await;
    assert!(first.starts_with("event: board"), "{first}");
    assert!(
        first.contains("Ada") && !first.contains("TODO 1"),
        "{first}"
    );

    board
        .post("/api/reports", Some(&ada), failing_report("01-adding"))
        .await;
    let second = next_event().await;
    assert!(second.contains("class=\"failing\""), "{second}");
    assert!(second.contains("TODO 1 · 1/4"), "{second}");
}
