//! What the classroom tests share: checkouts of the fixture course, the
//! runner's board running in a child process, and plain HTTP.

// Each test target uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Lines, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A checkout of the fixture course, built in a target folder of its own
/// that is kept between runs, so builds stay quick.
pub struct Checkout {
    pub root: PathBuf,
}

impl Checkout {
    pub fn new(name: &str) -> Checkout {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("classroom-checkouts")
            .join(name);
        if let Ok(entries) = std::fs::read_dir(&root) {
            for entry in entries.flatten() {
                if entry.file_name() != "target" {
                    let path = entry.path();
                    let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
                }
            }
        }
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture"),
            &root,
        );
        Checkout { root }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_course"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env("GIT_CEILING_DIRECTORIES", self.root.parent().unwrap())
            .env("NO_COLOR", "1")
            .env_remove("MONGODB_URI")
            .stdin(Stdio::null());
        command
    }

    pub fn course(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the runner starts")
    }

    /// The learner's finished work: the solution copied into the exercise.
    pub fn solve(&self, slug: &str) {
        let solution = self.root.join(format!("solutions/{slug}/src/lib.rs"));
        let exercise = self.root.join(format!("lessons/{slug}/src/lib.rs"));
        std::fs::copy(solution, exercise).expect("copy the solution");
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn text(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `cargo course classroom serve`, running until dropped.
pub struct Board {
    child: Child,
    /// The rest of what it prints, kept open so that printing never fails.
    _output: Lines<BufReader<ChildStdout>>,
    pub url: String,
    pub code: String,
    pub key: String,
}

impl Board {
    /// Starts the board from `checkout` on a free loopback port, and reads
    /// its address, join code and teacher key from what it prints.
    pub fn serve(checkout: &Checkout, data: &Path) -> Board {
        let mut child = checkout
            .command(&["classroom", "serve", "--bind", "127.0.0.1", "--port", "0"])
            .arg("--data")
            .arg(data)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the board starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut line_after = |label: &str| -> String {
            for line in lines.by_ref() {
                let line = line.expect("the board prints lines");
                if let Some(rest) = line.strip_prefix(label) {
                    return rest.trim().to_owned();
                }
            }
            panic!("the board never printed {label:?}");
        };
        let url = line_after("Board:");
        let code = line_after("Join code:");
        let link = line_after("Teacher link:");
        let key = link
            .split_once("key=")
            .expect("the link has the key")
            .1
            .to_owned();
        Board {
            child,
            _output: lines,
            url,
            code,
            key,
        }
    }

    pub fn address(&self) -> &str {
        self.url.strip_prefix("http://").unwrap()
    }

    /// GETs `path` with the teacher key: the status line and the body.
    pub fn get(&self, path: &str) -> (String, String) {
        let path = format!("{path}?key={}", self.key);
        http_get(self.address(), &path)
    }

    pub fn json(&self) -> Value {
        let (status, body) = self.get("/api/board");
        assert!(status.contains("200"), "{status}\n{body}");
        serde_json::from_str(&body).expect("the board's JSON")
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 GET on a connection of its own: the status line and the body.
pub fn http_get(address: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).expect("the board answers");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    read_answer(stream)
}

/// One HTTP/1.1 POST of a JSON `body`, with a bearer `token` if given:
/// the status line and the body of the answer.
pub fn http_post(address: &str, path: &str, token: Option<&str>, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(address).expect("the board answers");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let authorization = token.map_or(String::new(), |token| {
        format!("Authorization: Bearer {token}\r\n")
    });
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Content-Type: application/json\r\n{authorization}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    read_answer(stream)
}

fn read_answer(mut stream: TcpStream) -> (String, String) {
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("a whole answer");
    let (head, body) = answer.split_once("\r\n\r\n").expect("headers, then a body");
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}
