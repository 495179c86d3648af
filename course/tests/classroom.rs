//! The classroom board end to end, through the real runner: a teacher
//! serves the board on loopback, two learners join it from two checkouts
//! of the tiny fixture course (`tests/fixture/`), one passes lesson 01 and
//! the other fails it, and the board's JSON and page show both rows.

mod classroom_support;

use serde_json::Value;

use classroom_support::{Board, Checkout, text};

/// The cell of `name` for `lesson` in the board's JSON.
fn cell<'a>(board: &'a Value, name: &str, lesson: &str) -> &'a Value {
    let row = board["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == name)
        .unwrap_or_else(|| panic!("{name} is on the board: {board:#}"));
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|cell| cell["lesson"] == lesson)
        .unwrap()
}

#[test]
fn two_learners_join_and_the_board_shows_who_passed_and_who_is_failing() {
    let ada = Checkout::new("ada");
    let bob = Checkout::new("bob");
    let data = ada.root.join("target/board.json");
    let _ = std::fs::remove_file(&data);
    let board = Board::serve(&ada, &data);

    let refused = bob.course(&["classroom", "join", &board.url, "WRONG1", "--name", "Bob"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("wrong join code"),
        "{}",
        text(&refused)
    );
    assert!(!bob.root.join(".course/classroom.json").exists());

    for (checkout, name) in [(&ada, "Ada"), (&bob, "Bob")] {
        let joined =
            checkout.course(&["classroom", "join", &board.url, &board.code, "--name", name]);
        assert!(joined.status.success(), "{}", text(&joined));
        assert!(text(&joined).contains("Joined"), "{}", text(&joined));
    }

    ada.solve("01-adding");
    let passed = ada.course(&["verify", "01"]);
    assert!(passed.status.success(), "{}", text(&passed));
    let failed = bob.course(&["verify", "01"]);
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    for output in [&passed, &failed] {
        assert!(
            !text(output).contains("warning: the classroom board"),
            "{}",
            text(output)
        );
    }

    let json = board.json();
    let ada_01 = cell(&json, "Ada", "01-adding");
    assert_eq!(ada_01["state"], "passed", "{json:#}");
    assert_eq!(
        (ada_01["passed"].as_u64(), ada_01["failed"].as_u64()),
        (Some(4), Some(0))
    );
    let bob_01 = cell(&json, "Bob", "01-adding");
    assert_eq!(bob_01["state"], "failing", "{json:#}");
    assert_eq!(bob_01["todo"], "1", "Bob is on TODO 1: {json:#}");
    assert_eq!(bob_01["failing_test"], "adds_two_numbers", "{json:#}");
    assert_eq!(bob_01["failed"], 3, "{json:#}");
    assert_eq!(cell(&json, "Bob", "02-greeting")["state"], "not_started");
    assert_eq!(
        json["lessons"][0]["done"], 1,
        "one learner done with 01: {json:#}"
    );

    let (status, page) = board.get("/board");
    assert!(status.contains("200"), "{status}");
    for expected in [
        "<th class=\"name\" scope=\"row\" title=\"Ada\">Ada</th>",
        "<th class=\"name\" scope=\"row\" title=\"Bob\">Bob</th>",
        "class=\"passed\" data-lesson=\"01-adding\"",
        "class=\"failing\" data-lesson=\"01-adding\" title=\"Bob, 01-adding: 1 of 4 tests pass; first failing: adds_two_numbers\"",
        "TODO 1 · 1/4",
    ] {
        assert!(
            page.contains(expected),
            "expected {expected:?} in the page:\n{page}"
        );
    }

    // The same progress, as each learner's scripts read it.
    for (checkout, passed, todo) in [(&ada, true, Value::Null), (&bob, false, "1".into())] {
        let output = checkout.course(&["status", "--json"]);
        assert!(output.status.success(), "{}", text(&output));
        let status: Value = serde_json::from_slice(&output.stdout).expect("status --json is JSON");
        let first = &status["lessons"][0];
        assert_eq!(first["lesson"], "01-adding", "{status:#}");
        assert_eq!(first["passed"], passed, "{status:#}");
        assert_eq!(first["todo"], todo, "{status:#}");
        assert_eq!(
            first["tests"]["passed"],
            if passed { 4 } else { 1 },
            "{status:#}"
        );
        assert_eq!(status["lessons"][1]["state"], "not_started", "{status:#}");
        assert_eq!(status["lessons"][1]["tests"], Value::Null, "{status:#}");
        let current = if passed { "02-greeting" } else { "01-adding" };
        assert_eq!(status["current"], current, "{status:#}");
    }

    // After `leave`, Bob's row is gone and nothing more is sent; his name
    // is free to join again.
    let left = bob.course(&["classroom", "leave"]);
    assert!(left.status.success(), "{}", text(&left));
    assert!(text(&left).contains("your row is gone"), "{}", text(&left));
    bob.solve("01-adding");
    let quiet = bob.course(&["verify", "01"]);
    assert!(quiet.status.success(), "{}", text(&quiet));
    assert_eq!(names_on(&board.json()), ["Ada"], "only Ada is left");

    // Bob joins again, then again under the same name, then under another:
    // one row for his checkout all along.
    for name in ["Bob", "Bob", "Bobby"] {
        let joined = bob.course(&["classroom", "join", &board.url, &board.code, "--name", name]);
        assert!(joined.status.success(), "{}", text(&joined));
        assert_eq!(
            names_on(&board.json()),
            ["Ada", name],
            "one row per checkout"
        );
    }
}

/// The names on the board, in the order of its rows.
fn names_on(board: &Value) -> Vec<String> {
    board["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_board_that_is_gone_costs_one_line_and_never_the_verdict() {
    let learner = Checkout::new("alone");
    let data = learner.root.join("target/board-gone.json");
    let _ = std::fs::remove_file(&data);
    let board = Board::serve(&learner, &data);
    let joined = learner.course(&["classroom", "join", &board.url, &board.code, "--name", "Cy"]);
    assert!(joined.status.success(), "{}", text(&joined));
    drop(board);

    learner.solve("01-adding");
    let verified = learner.course(&["verify", "01"]);
    assert!(
        verified.status.success(),
        "the verdict stands: {}",
        text(&verified)
    );
    let stderr = String::from_utf8_lossy(&verified.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("classroom board"))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "one line of warning: {}",
        text(&verified)
    );
}
