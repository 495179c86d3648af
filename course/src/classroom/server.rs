//! The board's routes.
//!
//! | route | who | what |
//! |---|---|---|
//! | `POST /api/join` | learner | `{"code", "name"}` → `201 {"name", "token"}` |
//! | `POST /api/reports` | learner | a [`Report`], `Authorization: Bearer TOKEN` → `204` |
//! | `POST /api/leave` | learner | `Authorization: Bearer TOKEN` → `204`: the row is gone |
//! | `GET /` | anyone | how to join (no code, no key) |
//! | `GET /board?key=KEY` | teacher | the page |
//! | `GET /api/board?key=KEY` | teacher, scripts | the same board as JSON ([`BoardView`]) |
//! | `GET /api/events?key=KEY` | the page | server-sent `board` events: the grid's HTML |
//!
//! Every refusal is a 4xx with a JSON body, `{"error": "what was wrong"}`,
//! and changes nothing: 401 without a key or token, 403 with a wrong one
//! (or a wrong join code), 409 for a name already taken, 413 for a body
//! over 4 KiB, 415 without a JSON body, 400 for malformed JSON and 422 for
//! a value that cannot be used.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures::Stream;
use minijinja::Environment;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tower_http::set_header::SetResponseHeaderLayer;

use super::store::{Board, BoardFile, JoinError, MAX_TEST_NAME};
use super::view::BoardView;
use super::{Report, now};
use crate::course::Lesson;

/// The largest request body the board reads.
pub const MAX_BODY: usize = 4 * 1024;
/// How often the page is redrawn with nothing new, so "stuck" appears on time.
const REDRAW_EVERY: Duration = Duration::from_secs(20);

/// The board, shared by every request.
pub struct App {
    board: Mutex<Board>,
    file: BoardFile,
    lessons: Vec<Lesson>,
    stuck_after_seconds: u64,
    changes: broadcast::Sender<()>,
    templates: Environment<'static>,
}

impl App {
    /// A board for `lessons`, kept in `file`, calling a learner stuck after
    /// `stuck_after_seconds` on the same failing test.
    pub fn new(
        board: Board,
        file: BoardFile,
        lessons: Vec<Lesson>,
        stuck_after_seconds: u64,
    ) -> App {
        let mut templates = Environment::new();
        templates
            .add_template("board.html", include_str!("board.html"))
            .expect("the page template is valid");
        templates
            .add_template("grid.html", include_str!("grid.html"))
            .expect("the grid template is valid");
        templates
            .add_template("welcome.html", include_str!("welcome.html"))
            .expect("the welcome page is valid");
        App {
            board: Mutex::new(board),
            file,
            lessons,
            stuck_after_seconds,
            changes: broadcast::channel(16).0,
            templates,
        }
    }

    /// The join code and the teacher key.
    pub fn code_and_key(&self) -> (String, String) {
        let board = self.lock();
        (board.code.clone(), board.key.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Board> {
        self.board
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies `change` to the board, saves it, and tells the open pages.
    /// When the board cannot be saved, the change is undone.
    fn change<T>(
        &self,
        change: impl FnOnce(&mut Board) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut board = self.lock();
        let before = board.clone();
        let outcome = change(&mut board)?;
        if let Err(err) = self.file.save(&board) {
            *board = before;
            return Err(ApiError(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the board could not be saved: {err}"),
            ));
        }
        drop(board);
        let _ = self.changes.send(());
        Ok(outcome)
    }

    /// The board as the page and the JSON show it, at `now`.
    pub fn view(&self, now: u64) -> BoardView {
        BoardView::of(&self.lock(), &self.lessons, self.stuck_after_seconds, now)
    }

    /// `template` drawn from the board as it is now.
    fn render_board(&self, template: &str) -> Result<String, ApiError> {
        self.render(template, minijinja::value::Serde(self.view(now())))
    }

    fn render(
        &self,
        template: &str,
        context: impl Into<minijinja::Value>,
    ) -> Result<String, ApiError> {
        self.templates
            .get_template(template)
            .and_then(|page| page.render(context))
            .map_err(|err| {
                ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the page could not be drawn: {err}"),
                )
            })
    }

    fn check_key(&self, query: Result<Query<KeyQuery>, QueryRejection>) -> Result<(), ApiError> {
        let Ok(Query(KeyQuery { key: Some(key) })) = query else {
            return Err(ApiError(
                StatusCode::UNAUTHORIZED,
                "the teacher key is missing: open the teacher link `serve` printed".into(),
            ));
        };
        if key != self.lock().key {
            return Err(ApiError(
                StatusCode::FORBIDDEN,
                "wrong teacher key: open the teacher link `serve` printed".into(),
            ));
        }
        Ok(())
    }
}

/// The board's routes, with its limits and headers.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/api/join", post(join))
        .route("/api/reports", post(report))
        .route("/api/leave", post(leave))
        .route("/", get(welcome))
        .route("/board", get(page))
        .route("/api/board", get(board_json))
        .route("/api/events", get(events))
        .fallback(no_such_page)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        // The key is in the address: no cache keeps the page, and no link
        // sends the address on.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(app)
}

/// A refusal: its status and what to do about it, sent as JSON.
#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(status, error) = self;
        (status, Json(serde_json::json!({ "error": error }))).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        ApiError(rejection.status(), rejection.body_text())
    }
}

#[derive(Debug, Deserialize)]
struct KeyQuery {
    key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinRequest {
    code: String,
    name: String,
}

#[derive(Debug, Serialize)]
struct Joined {
    name: String,
    token: String,
}

async fn join(
    State(app): State<Arc<App>>,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let Json(request) = body?;
    let joined = app.change(|board| {
        board
            .add_learner(&request.code, &request.name)
            .map(|learner| Joined {
                name: learner.name.clone(),
                token: learner.token.clone(),
            })
            .map_err(|err| match err {
                JoinError::WrongCode => ApiError(
                    StatusCode::FORBIDDEN,
                    "wrong join code: ask the teacher for the board's code".into(),
                ),
                JoinError::BadName(why) => ApiError(StatusCode::UNPROCESSABLE_ENTITY, why),
                JoinError::NameTaken => ApiError(
                    StatusCode::CONFLICT,
                    "that name is already on the board: choose another".into(),
                ),
                JoinError::Full => ApiError(StatusCode::CONFLICT, "the board is full".into()),
            })
    })?;
    Ok((StatusCode::CREATED, Json(joined)))
}

/// The learner's token, from `Authorization: Bearer TOKEN`.
fn learner_token(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError(
                StatusCode::UNAUTHORIZED,
                "no learner token: run `cargo course classroom join` first".into(),
            )
        })
}

fn unknown_token() -> ApiError {
    ApiError(
        StatusCode::FORBIDDEN,
        "unknown learner token: join this board again".into(),
    )
}

async fn report(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Json<Report>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let token = learner_token(&headers)?;
    let Json(report) = body?;
    check_report(&report, &app.lessons)?;
    app.change(|board| {
        let learner = board.learner_mut(&token).ok_or_else(unknown_token)?;
        learner.record(report, now());
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// A learner leaves: their row goes, and their name is free again.
async fn leave(State(app): State<Arc<App>>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let token = learner_token(&headers)?;
    app.change(|board| {
        if board.remove_learner(&token) {
            Ok(())
        } else {
            Err(unknown_token())
        }
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// What someone who opens the board's address sees: how to join, with
/// this address.
async fn welcome(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> Result<Html<String>, ApiError> {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("HOST:PORT");
    app.render("welcome.html", minijinja::context! { host })
        .map(Html)
}

/// A report the board can show: a lesson of this course, and short texts.
fn check_report(report: &Report, lessons: &[Lesson]) -> Result<(), ApiError> {
    let refuse = |why: String| Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, why));
    if !lessons.iter().any(|lesson| lesson.slug == report.lesson) {
        return refuse(format!("no lesson `{}` in this course", report.lesson));
    }
    if let Some(test) = &report.failing_test
        && (test.chars().count() > MAX_TEST_NAME || test.chars().any(char::is_control))
    {
        return refuse(format!(
            "the test name is longer than {MAX_TEST_NAME} characters or has control characters"
        ));
    }
    if let Some(todo) = &report.todo
        && (todo.len() > 8 || !todo.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return refuse("a TODO is a number with an optional letter, such as 3a".into());
    }
    Ok(())
}

async fn page(
    State(app): State<Arc<App>>,
    query: Result<Query<KeyQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    app.check_key(query)?;
    let html = app.render_board("board.html")?;
    let policy = "default-src 'none'; style-src 'unsafe-inline'; \
                  script-src 'unsafe-inline'; connect-src 'self'";
    Ok(([(header::CONTENT_SECURITY_POLICY, policy)], Html(html)).into_response())
}

async fn board_json(
    State(app): State<Arc<App>>,
    query: Result<Query<KeyQuery>, QueryRejection>,
) -> Result<Json<BoardView>, ApiError> {
    app.check_key(query)?;
    Ok(Json(app.view(now())))
}

/// The grid's HTML at once, then after every change (and every
/// [`REDRAW_EVERY`]), as `board` events.
async fn events(
    State(app): State<Arc<App>>,
    query: Result<Query<KeyQuery>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    app.check_key(query)?;
    let changes = app.changes.subscribe();
    let redraw = tokio::time::interval(REDRAW_EVERY);
    let stream = futures::stream::unfold(
        (app, changes, redraw),
        |(app, mut changes, mut redraw)| async move {
            tokio::select! {
                change = changes.recv() => {
                    if let Err(broadcast::error::RecvError::Closed) = change {
                        return None;
                    }
                }
                _ = redraw.tick() => {}
            }
            let grid = app
                .render_board("grid.html")
                .unwrap_or_else(|ApiError(_, why)| format!("<p>{why}</p>"));
            let event = Event::default().event("board").data(grid);
            Some((Ok(event), (app, changes, redraw)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn no_such_page(uri: Uri) -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        format!("no such page: {}", uri.path()),
    )
}
