//! Lesson 05 tests. They run against your exercise with
//! `cargo test -p lesson-05-templates`, and against the reference with
//! `cargo test -p solution-05-templates`.
//!
//! Most tests send requests straight into the app and read the HTML it
//! renders. Some give it a copy of the templates with one file broken on
//! purpose, to check what a visitor sees then. A few start the server
//! program itself.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use test_support::{ServerProcess, TestApp, TestResponse};

use crate::subject;

/// The lesson's app, with its own templates.
fn spawn_app() -> TestApp {
    spawn_app_with_templates(&subject::templates_dir())
}

/// The lesson's app, with the templates in `folder`.
fn spawn_app_with_templates(folder: &Path) -> TestApp {
    TestApp::new(subject::app(subject::Templates::load(folder)))
}

/// Checks that the answer is an HTML page.
#[track_caller]
fn assert_is_html(response: &TestResponse) {
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{}: pages are HTML; wrap the rendered text in `Html(...)`",
        response.request
    );
}

/// Sends the contact form with these fields.
async fn send_contact_form(app: &TestApp, fields: &[(&str, &str)]) -> TestResponse {
    let fields: HashMap<&str, &str> = fields.iter().copied().collect();
    app.post_form("/contact", &fields).await
}

/// Checks that the list of messages is still empty.
async fn assert_no_message_stored(app: &TestApp, why: &str) {
    let list = app.get("/messages").await.text();
    assert!(
        list.contains("<h2>0 messages</h2>"),
        "{why}: nothing should have been stored, but /messages shows:\n{list}"
    );
}

#[tokio::test]
async fn home_page_greets_the_name_in_the_query_string() {
    let app = spawn_app();

    let response = app.get("/?name=Ada").await;

    response.assert_status(StatusCode::OK, "The home page renders home.html.");
    assert_is_html(&response);
    assert!(
        response.text().contains("Hello, Ada!"),
        "`/?name=Ada` should greet Ada: take `Query(greeting): Query<Greeting>` in `home` \
         and pass `greeting.name` to the template (TODO 3). Got:\n{}",
        response.text()
    );
}

#[tokio::test]
async fn home_page_without_a_name_greets_a_stranger() {
    let app = spawn_app();

    for path in ["/", "/?name=", "/?name=%20%20"] {
        let response = app.get(path).await;

        response.assert_status(StatusCode::OK, "The home page renders home.html.");
        assert!(
            response.text().contains("Hello, stranger!"),
            "GET {path}: with no name, the page greets a stranger. Got:\n{}",
            response.text()
        );
    }
}

#[tokio::test]
async fn a_script_in_the_name_arrives_as_text() {
    let app = spawn_app();

    let response = app.get("/?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;

    response.assert_status(StatusCode::OK, "The home page renders home.html.");
    let html = response.text();
    assert!(
        !html.contains("<script>alert(1)"),
        "the name went into the page as HTML: any visitor could run a script there (XSS). \
         Keep `{{{{ name }}}}` escaped: no `|safe`, and templates named `.html`. Got:\n{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "the name should be shown, escaped: `<` becomes `&lt;` (TODO 3). Got:\n{html}"
    );
}

#[tokio::test]
async fn every_page_shares_the_layout() {
    let app = spawn_app();

    for (path, title) in [
        ("/", "<title>Home · Message board</title>"),
        ("/messages", "<title>Messages · Message board</title>"),
        ("/contact", "<title>Contact · Message board</title>"),
    ] {
        let response = app.get(path).await;

        response.assert_status(StatusCode::OK, "Each page renders its template.");
        assert_is_html(&response);
        let html = response.text();
        assert!(
            html.contains(title),
            "GET {path}: expected {title} from base.html, got:\n{html}"
        );
        assert!(
            html.contains(r#"<link rel="stylesheet" href="/static/css/style.css">"#),
            "GET {path}: the layout links the stylesheet"
        );
        assert!(
            html.contains(r#"<a href="/contact""#),
            "GET {path}: the layout includes the navigation, partials/nav.html"
        );
    }
}

#[tokio::test]
async fn the_stylesheet_is_served_under_static() {
    let app = spawn_app();

    let response = app.get("/static/css/style.css").await;

    response.assert_status(StatusCode::OK, "The pages' stylesheet comes from public/.");
    response.assert_header("content-type", "text/css", "A stylesheet is text/css.");
    let file = subject::public_dir().join("css/style.css");
    assert_eq!(response.body, std::fs::read(file).unwrap());
}

#[tokio::test]
async fn the_messages_page_says_when_there_are_none() {
    let app = spawn_app();

    let response = app.get("/messages").await;

    response.assert_status(StatusCode::OK, "The list renders messages.html.");
    assert!(
        response.text().contains("No messages yet"),
        "with no messages, the list says so: write the `{{% else %}}` part of the \
         loop in templates/messages.html (TODO 4). Got:\n{}",
        response.text()
    );
}

#[tokio::test]
async fn the_contact_page_is_an_empty_form() {
    let app = spawn_app();

    let response = app.get("/contact").await;

    response.assert_status(StatusCode::OK, "The contact page renders contact.html.");
    let html = response.text();
    assert!(
        html.contains(r#"<form method="post" action="/contact">"#),
        "got:\n{html}"
    );
    assert!(
        html.contains(r#"name="name" value="""#),
        "the name field starts empty:\n{html}"
    );
    assert!(
        html.contains(r#"name="email""#),
        "there is an email field:\n{html}"
    );
    assert!(
        !html.contains("field-error"),
        "an empty form shows no errors:\n{html}"
    );
}

#[tokio::test]
async fn a_sent_form_joins_the_messages() {
    let app = spawn_app();

    let response = send_contact_form(
        &app,
        &[("name", "  Ada Lovelace "), ("email", "ada@example.com")],
    )
    .await;

    response.assert_status(
        StatusCode::SEE_OTHER,
        "A valid form is stored, then the browser is sent to the list.",
    );
    response.assert_header(
        "location",
        "/messages",
        "After sending, the browser goes to the list.",
    );
    let list = app.get("/messages").await.text();
    assert!(
        list.contains("<strong>Ada Lovelace</strong>"),
        "the list should show the trimmed name: write the `{{% for message in messages %}}` \
         loop in templates/messages.html (TODO 4). Got:\n{list}"
    );
    assert!(
        list.contains("ada@example.com"),
        "the list shows the email:\n{list}"
    );
    assert!(
        list.contains("1 message<"),
        "the heading counts one message:\n{list}"
    );
    assert!(
        !list.contains("No messages yet"),
        "the empty state is gone:\n{list}"
    );
}

#[tokio::test]
async fn a_script_in_a_sent_name_is_shown_as_text() {
    let app = spawn_app();
    let name = r#"<script>alert("x")</script>"#;

    send_contact_form(&app, &[("name", name), ("email", "eve@example.com")])
        .await
        .assert_status(StatusCode::SEE_OTHER, "Any non-empty name is accepted.");

    let list = app.get("/messages").await.text();
    assert!(
        !list.contains("<script>"),
        "a stored name went into the list as HTML (stored XSS): keep `{{{{ message.name }}}}` \
         escaped, no `|safe`. Got:\n{list}"
    );
    assert!(
        list.contains("&lt;script&gt;"),
        "the name is shown, escaped, in the list (TODO 4):\n{list}"
    );
}

#[tokio::test]
async fn an_invalid_form_is_shown_again_with_errors() {
    let app = spawn_app();

    let response = send_contact_form(&app, &[("name", "Ada"), ("email", "ada-at-example")]).await;

    response.assert_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        "An invalid form is shown again with status 422: render `render_form(&state, &form, \
         &errors)` and return it with `StatusCode::UNPROCESSABLE_ENTITY` (TODO 5).",
    );
    assert_is_html(&response);
    let html = response.text();
    assert!(
        html.contains("Email must look like an address, such as ada@example.com"),
        "the page says what is wrong with the email:\n{html}"
    );
    assert!(
        html.contains(r#"value="Ada""#),
        "what was typed stays in the form, so it need not be typed again:\n{html}"
    );
    assert_no_message_stored(&app, "an invalid email").await;
}

#[tokio::test]
async fn what_was_typed_is_escaped_in_the_form_too() {
    let app = spawn_app();

    let response = send_contact_form(
        &app,
        &[
            ("name", r#""><script>alert(1)</script>"#),
            ("email", "nope"),
        ],
    )
    .await;

    response.assert_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        "The email is invalid (TODO 5).",
    );
    let html = response.text();
    assert!(
        !html.contains(r#""><script>"#),
        "a `\"` in a value must not close the attribute `value=\"...\"`:\n{html}"
    );
    assert!(
        html.contains("&quot;&gt;&lt;script&gt;"),
        "the value is kept, escaped:\n{html}"
    );
}

#[tokio::test]
async fn empty_missing_and_too_long_fields_are_refused() {
    let app = spawn_app();
    let too_long = "x".repeat(101);

    for (fields, expected) in [
        (
            vec![("name", "   "), ("email", "ada@example.com")],
            "Name must not be empty",
        ),
        (vec![("email", "ada@example.com")], "Name must not be empty"),
        (vec![("name", "Ada")], "Email must look like an address"),
        (
            vec![("name", too_long.as_str()), ("email", "ada@example.com")],
            "Name must be at most 100 characters",
        ),
        (
            vec![("name", "Ada"), ("email", "ada@example")],
            "Email must look like an address",
        ),
        (
            vec![("name", "Ada"), ("email", "ada @example.com")],
            "Email must look like an address",
        ),
    ] {
        let response = send_contact_form(&app, &fields).await;

        response.assert_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("The form {fields:?} is invalid: show it again with 422 (TODO 5)."),
        );
        assert!(
            response.text().contains(expected),
            "the form {fields:?} should say {expected:?}, got:\n{}",
            response.text()
        );
    }
    assert_no_message_stored(&app, "invalid forms").await;
}

#[tokio::test]
async fn the_form_must_arrive_as_a_form() {
    let app = spawn_app();

    let response = app
        .send_raw(
            Method::POST,
            "/contact",
            "application/json",
            r#"{"name": "Ada", "email": "ada@example.com"}"#,
        )
        .await;

    response.assert_status(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "`Form` accepts only `application/x-www-form-urlencoded`, what browsers send.",
    );
    assert_no_message_stored(&app, "a JSON body").await;
}

#[tokio::test]
async fn an_unknown_page_is_a_404_in_the_layout() {
    let app = spawn_app();

    let response = app.get("/no-such-page").await;

    response.assert_status(StatusCode::NOT_FOUND, "Unknown addresses are 404.");
    assert_is_html(&response);
    let html = response.text();
    assert!(
        html.contains("Page not found"),
        "the 404 page says what happened:\n{html}"
    );
    assert!(
        html.contains("/static/css/style.css"),
        "the 404 page uses the layout:\n{html}"
    );
}

/// Checks that the answer is the 500 page and gives nothing away.
#[track_caller]
fn assert_is_the_error_page(response: &TestResponse, folder: &Path, broken_file: &str) {
    response.assert_status(
        StatusCode::INTERNAL_SERVER_ERROR,
        "A page that cannot be rendered is a 500: return `(StatusCode::INTERNAL_SERVER_ERROR, \
         Html(INTERNAL_ERROR_PAGE))` from `PageError::into_response` (TODO 2).",
    );
    assert_is_html(response);
    let html = response.text();
    assert_eq!(
        html,
        subject::INTERNAL_ERROR_PAGE,
        "the visitor gets INTERNAL_ERROR_PAGE"
    );
    for secret in [
        broken_file,
        "template",
        "minijinja",
        "undefined",
        "syntax",
        &folder.to_string_lossy(),
    ] {
        assert!(
            !html.contains(secret),
            "the 500 page mentions {secret:?}: keep the details in the log, not in the page"
        );
    }
}

#[tokio::test]
async fn a_missing_template_gives_the_500_page() {
    let templates = TemplatesCopy::new("missing");
    templates.remove("messages.html");
    let app = spawn_app_with_templates(templates.path());

    let response = app.get("/messages").await;

    assert_is_the_error_page(&response, templates.path(), "messages.html");
    app.get("/").await.assert_status(
        StatusCode::OK,
        "One missing template breaks only its own page.",
    );
}

#[tokio::test]
async fn a_template_with_a_syntax_error_gives_the_500_page() {
    let templates = TemplatesCopy::new("syntax");
    templates.write(
        "contact.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock %}",
    );
    let app = spawn_app_with_templates(templates.path());

    let response = app.get("/contact").await;

    assert_is_the_error_page(&response, templates.path(), "contact.html");
}

#[tokio::test]
async fn a_typo_in_a_variable_name_is_an_error_not_an_empty_string() {
    let templates = TemplatesCopy::new("typo");
    templates.write(
        "home.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Hello, {{ nmae }}!</h1>{% endblock %}",
    );
    let app = spawn_app_with_templates(templates.path());

    let response = app.get("/?name=Ada").await;

    assert_ne!(
        response.status,
        StatusCode::OK,
        "`{{{{ nmae }}}}` (a typo) rendered as an empty string, hiding the mistake: call \
         `environment.set_undefined_behavior(UndefinedBehavior::Strict)` (TODO 1)"
    );
    assert_is_the_error_page(&response, templates.path(), "home.html");
}

#[test]
fn the_templates_folder_is_an_absolute_path() {
    if std::env::var_os(subject::TEMPLATES_DIR_VAR).is_some() {
        return; // Someone chose the folder on purpose; nothing to check.
    }

    let folder = subject::templates_dir();

    assert!(
        folder.is_absolute(),
        "{folder:?} would depend on the working directory"
    );
    for name in subject::TEMPLATE_NAMES {
        assert!(folder.join(name).is_file(), "{folder:?} should hold {name}");
    }
}

#[tokio::test]
async fn the_server_renders_styled_pages_when_started_from_another_folder() {
    let elsewhere = TempFolder::new("elsewhere");
    let server = ServerInFolder::start(elsewhere.path(), &[])
        .unwrap_or_else(|stderr| panic!("the server did not start. Its error output:\n{stderr}"));
    let site = TestApp::at(&server.url);

    let page = site.get("/").await;
    let stylesheet = site.get("/static/css/style.css").await;

    page.assert_status(StatusCode::OK, "The running server renders the home page.");
    assert!(page.text().contains("<h1>Hello, "), "got:\n{}", page.text());
    stylesheet.assert_status(StatusCode::OK, "The running server serves the stylesheet.");
}

#[tokio::test]
async fn a_render_error_is_logged_on_one_line() {
    let templates = TemplatesCopy::new("logged");
    templates.write(
        "home.html",
        "{% extends \"base.html\" %}{% block content %}{{ nmae }}{% endblock %}",
    );
    let folder = templates.path().to_string_lossy().into_owned();
    let server = ServerInFolder::start(
        templates.path(),
        &[(subject::TEMPLATES_DIR_VAR, folder.as_str())],
    )
    .unwrap_or_else(|stderr| panic!("the server did not start. Its error output:\n{stderr}"));

    let site = TestApp::at(&server.url);
    let Ok(response) = tokio::spawn(async move { site.get("/").await }).await else {
        panic!(
            "the server closed the connection instead of answering with the 500 page \
             (TODO 2). It wrote:\n{}",
            server.stderr_so_far()
        );
    };

    assert_eq!(
        response.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        response.text()
    );
    let line = server
        .stderr_line_containing("home.html")
        .unwrap_or_else(|| {
            panic!(
                "a render error should leave a line on stderr naming the template, such as \
             `error: the page home.html could not be rendered: ...`: print it with \
             `eprintln!` in `PageError::into_response` (TODO 2)"
            )
        });
    assert!(
        line.contains("nmae") || line.contains("undefined"),
        "the log line should say what went wrong, got: {line}"
    );
}

#[test]
fn a_broken_template_stops_the_server_at_start_up() {
    let templates = TemplatesCopy::new("startup");
    templates.write(
        "contact.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock %}",
    );
    let folder = templates.path().to_string_lossy().into_owned();

    let exit = ServerProcess::run_until_exit(
        env!("CARGO_PKG_NAME"),
        &[(subject::TEMPLATES_DIR_VAR, folder.as_str()), ("PORT", "0")],
    );

    exit.assert_one_line_error(
        &["contact.html"],
        "A template with a syntax error must stop the server at start-up, with one line \
         naming the broken file: build the environment in `Templates::load` (TODO 1), and \
         src/main.rs compiles every template with `check()` before it listens.",
    );
}

#[test]
fn taken_port_gives_a_one_line_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    let exit = ServerProcess::run_until_exit(env!("CARGO_PKG_NAME"), &[("PORT", &port)]);

    exit.assert_one_line_error(
        &[&port],
        "When PORT is already in use, print one line that names the port and exit with \
         `ExitCode::FAILURE`: see how src/main.rs handles the error of `TcpListener::bind`.",
    );
}

/// A fresh folder under the system's temporary folder, deleted on drop.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new(label: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("course-05-{label}-{}-{count}", std::process::id()));
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of the lesson's templates in a temporary folder, to break on purpose.
struct TemplatesCopy(TempFolder);

impl TemplatesCopy {
    fn new(label: &str) -> Self {
        let folder = TempFolder::new(label);
        copy_folder(&subject::templates_dir(), folder.path());
        Self(folder)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path().join(name), text).unwrap();
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(name)).unwrap();
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The lesson's server program, started with `folder` as its working
/// directory, its stderr kept line by line (`test_support::ServerProcess`
/// can do neither). Killed on drop.
struct ServerInFolder {
    child: Child,
    url: String,
    stderr_lines: mpsc::Receiver<String>,
}

impl ServerInFolder {
    /// Starts the server on a free port and waits for the URL it prints.
    /// When it does not start, returns what it wrote to stderr.
    fn start(folder: &Path, envs: &[(&str, &str)]) -> Result<Self, String> {
        let mut command = Command::new(test_support::binary(env!("CARGO_PKG_NAME")));
        command
            .current_dir(folder)
            .env("PORT", "0")
            .env_remove(subject::TEMPLATES_DIR_VAR)
            .env_remove(subject::PUBLIC_DIR_VAR)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in envs {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server program");
        let url_receiver = send_lines(child.stdout.take().expect("piped stdout"));
        let stderr_lines = send_lines(child.stderr.take().expect("piped stderr"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Ok(line) =
            url_receiver.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if let Some(start) = line.find("http://") {
                let url = line[start..].trim().to_owned();
                return Ok(Self {
                    child,
                    url,
                    stderr_lines,
                });
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        // The program has ended, so its stderr is closed: read it all.
        Err(stderr_lines.iter().collect::<Vec<_>>().join("\n"))
    }

    /// The first line the server writes to stderr that contains `text`,
    /// waiting up to five seconds for it.
    fn stderr_line_containing(&self, text: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        while let Ok(line) = self
            .stderr_lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if line.contains(text) {
                return Some(line);
            }
        }
        None
    }

    /// Every line the server wrote to stderr so far (waiting a second for
    /// the last ones).
    fn stderr_so_far(&self) -> String {
        let mut lines = Vec::new();
        while let Ok(line) = self.stderr_lines.recv_timeout(Duration::from_secs(1)) {
            lines.push(line);
        }
        lines.join("\n")
    }
}

impl Drop for ServerInFolder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `pipe` line by line on a thread of its own, and hands each line
/// over through the returned channel.
fn send_lines(pipe: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    receiver
}
