//! The board's page in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver protocol (W3C, JSON over HTTP, spoken here in a
//! few plain requests). The page is opened once; a learner's report then
//! reaches it through server-sent events, without reloading.
//!
//! Not part of a plain `cargo test`: run it with
//! `cargo test -p course --test classroom_browser`. It needs `chromium` and
//! `chromedriver` (Debian: `apt-get install chromium chromium-driver`);
//! without them it fails and says so, unless `COURSE_SKIP_BROWSER_TEST=1`.

mod classroom_support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use classroom_support::{Board, Checkout, http_post};

const SKIP: &str = "COURSE_SKIP_BROWSER_TEST";

/// The first of `names` found on the PATH.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|name| which::which(name).ok())
}

/// chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    address: String,
}

impl Driver {
    fn start(program: &PathBuf) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            address: format!("127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while TcpStream::connect(&driver.address).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "chromedriver did not listen on {} within 10 s",
                driver.address
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// One WebDriver command: its `value`, or a panic with the driver's error.
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let mut stream = TcpStream::connect(&self.address).expect("chromedriver answers");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = body.map(|body| body.to_string()).unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.address,
            body.len()
        )
        .unwrap();
        let (head, body) = read_answer(&mut stream);
        let value: Value = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{method} {path}: not JSON:\n{head}\n{body}"));
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "{method} {path} failed: {head}\n{value:#}"
        );
        value["value"].clone()
    }
}

/// Reads one answer: its head, then as many bytes of body as its
/// `Content-Length` says (chromedriver keeps the connection open).
fn read_answer(stream: &mut TcpStream) -> (String, String) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = received.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut buffer).expect("an answer");
        assert!(read > 0, "the connection closed before the answer's head");
        received.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .expect("a Content-Length");
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).expect("the rest of the answer");
        assert!(read > 0, "the connection closed before the answer's end");
        received.extend_from_slice(&buffer[..read]);
    }
    let body = String::from_utf8_lossy(&received[head_end..head_end + length]).into_owned();
    (head, body)
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium window, closed when dropped.
struct Browser<'a> {
    driver: &'a Driver,
    session: String,
}

impl<'a> Browser<'a> {
    fn open(driver: &'a Driver, chromium: &PathBuf) -> Browser<'a> {
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1200,800"]
            }
        }}});
        let session = driver.send("POST", "/session", Some(capabilities));
        Browser {
            driver,
            session: session["sessionId"]
                .as_str()
                .expect("a session id")
                .to_owned(),
        }
    }

    fn go_to(&self, url: &str) {
        let path = format!("/session/{}/url", self.session);
        self.driver.send("POST", &path, Some(json!({ "url": url })));
    }

    /// Runs `script` in the page and returns what it returns.
    fn run(&self, script: &str) -> Value {
        let path = format!("/session/{}/execute/sync", self.session);
        let body = json!({ "script": script, "args": [] });
        self.driver.send("POST", &path, Some(body))
    }

    /// Runs `script` until it returns `true`, for up to `limit`.
    fn wait_for(&self, script: &str, limit: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.run(script) == json!(true) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = std::panic::catch_unwind(|| self.driver.send("DELETE", &path, None));
    }
}

#[test]
fn the_page_shows_a_new_report_without_reloading() {
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var_os(SKIP).is_some_and(|value| value == "1") {
            eprintln!("skipped: no chromium or chromedriver, and {SKIP}=1");
            return;
        }
        panic!(
            "this test needs chromium and chromedriver on the PATH (Debian: \
             `apt-get install chromium chromium-driver`); set {SKIP}=1 to skip it"
        );
    };

    let course = Checkout::new("browser");
    let data = course.root.join("board.json");
    let board = Board::serve(&course, &data);
    let join = json!({ "code": board.code, "name": "Grace" }).to_string();
    let (status, joined) = http_post(board.address(), "/api/join", None, &join);
    assert!(status.contains("201"), "{status}: {joined}");
    let token = serde_json::from_str::<Value>(&joined).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let driver = Driver::start(&chromedriver);
    let browser = Browser::open(&driver, &chromium);
    browser.go_to(&format!("{}/board?key={}", board.url, board.key));
    let cell = r#"document.querySelector('td[data-lesson="01-adding"]')"#;
    assert_eq!(
        browser.run(&format!("return {cell}.className")),
        json!("not_started"),
        "Grace has not started yet"
    );
    // A mark that a reload would wipe out; then wait for the live connection.
    browser.run("window.notReloaded = true; return null");
    let connected = "return document.getElementById('live').textContent.startsWith('live')";
    assert!(
        browser.wait_for(connected, Duration::from_secs(10)),
        "the page opened its event stream"
    );

    let report = json!({"lesson": "01-adding", "passed": 1, "failed": 3,
                        "failing_test": "adds_two_numbers", "todo": "1", "at": 1});
    let (status, answer) = http_post(
        board.address(),
        "/api/reports",
        Some(&token),
        &report.to_string(),
    );
    assert!(status.contains("204"), "{status}: {answer}");

    let updated = format!("return {cell}.className === 'failing'");
    assert!(
        browser.wait_for(&updated, Duration::from_secs(10)),
        "the cell turned to failing within 10 s: {}",
        browser.run(&format!("return {cell}.outerHTML"))
    );
    assert_eq!(
        browser.run(&format!("return {cell}.textContent.trim()")),
        json!("TODO 1 · 1/4")
    );
    assert_eq!(
        browser.run("return window.notReloaded === true"),
        json!(true),
        "the page was updated in place, not reloaded"
    );
}
