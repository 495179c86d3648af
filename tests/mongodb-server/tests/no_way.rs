//! With no Docker, no Go and no `MONGODB_URI`, the search fails at once
//! with one message that names the three ways out.

use std::process::Command;
use std::time::{Duration, Instant};

use mongodb_server::{Error, Settings, find_or_start_blocking};

/// Set for the copy of this test binary that does the search.
const CHILD: &str = "COURSE_MONGODB_SERVER_TEST_CHILD";

/// Runs this test binary again with Docker pointed at a socket that does
/// not exist, `MONGODB_URI` unset and an empty cache folder, so that
/// `Settings::from_env` reads a machine with nothing on it.
#[test]
fn with_no_way_to_a_mongodb_the_search_fails_at_once_naming_the_ways_out() {
    if std::env::var_os(CHILD).is_some() {
        search_on_an_empty_machine();
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "with_no_way_to_a_mongodb_the_search_fails_at_once_naming_the_ways_out",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .env_remove("MONGODB_URI")
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the search on an empty machine went wrong:\n{stdout}\n{stderr}"
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "the search took {elapsed:?}: with nothing to try it must fail at once"
    );
}

fn search_on_an_empty_machine() {
    let mut settings = Settings::from_env();
    // The machines that run these tests have Go and may have a MongoDB of
    // their own: leave both out, as on a machine without them.
    settings.go = None;
    settings.local = false;
    assert_eq!(settings.uri, None);

    let started = Instant::now();
    let error = find_or_start_blocking(&settings).expect_err("no way should work here");
    let elapsed = started.elapsed();

    assert!(
        elapsed < Duration::from_secs(5),
        "the error came after {elapsed:?}"
    );
    assert!(
        matches!(error, Error::NoWay { .. }),
        "expected NoWay, got {error:?}"
    );
    let message = error.to_string();
    println!("{message}");
    for way_out in [
        "start Docker",
        "install Go",
        "set MONGODB_URI",
        "mongodb+srv://",
        "/nonexistent/docker.sock",
        "Go is not installed",
    ] {
        assert!(
            message.contains(way_out),
            "the message should mention `{way_out}`:\n{message}"
        );
    }
    assert!(
        !settings.state_file().exists(),
        "nothing was started, so nothing is recorded"
    );
}
