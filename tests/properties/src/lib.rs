//! Arbitrary requests for the property tests of the reference solutions.
//!
//! A property test sends hundreds of generated requests and checks what must
//! hold for every one of them: the server never answers `5xx`, never panics,
//! refuses bad input with a `4xx` in the course's JSON error shape, and a
//! refused request changes nothing. When a case fails, proptest shrinks it
//! to the smallest input that still fails and prints it.
//!
//! The strategies here make inputs that look like the real thing often
//! enough to reach deep into a handler (an object with a `name` and an
//! `email`, an id of 24 hex digits), and arbitrary the rest of the time.
//!
//! `PROPTEST_CASES` sets how many cases each property runs (default 128).

use std::future::Future;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Number, Value};
use test_support::TestResponse;
use tokio::runtime::Runtime;

pub use proptest;

/// Runs `property` on generated values of `strategy`, each case on
/// `runtime`. A failing case is shrunk, then reported with its input.
pub fn check<S, F>(runtime: &Runtime, strategy: S, property: impl Fn(S::Value) -> F)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
    F: Future<Output = ()>,
{
    let config = Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(128),
        // A failure found here becomes a plain test in the lesson's test
        // file, with its input written out; nothing is saved beside the code.
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    if let Err(failure) = runner.run(&strategy, |value| {
        runtime.block_on(property(value));
        Ok(())
    }) {
        panic!("{failure}");
    }
}

/// A Tokio runtime for [`check`]: two worker threads, as a small server has.
pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// Any JSON value, nested up to three levels.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("JSON has no NaN or infinity", |float| {
            Number::from_f64(float).map(Value::Number)
        }),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// A JSON object shaped like a message, or nearly: `name` and `email` may
/// each be missing, plausible, any string or any JSON value, and there may
/// be one more field (such as `$where` or `_id`).
pub fn message_like() -> impl Strategy<Value = Value> {
    let field = || {
        prop_oneof![
            3 => "[ a-zA-Z]{0,12}".prop_map(Value::from),
            2 => "[a-z]{1,6}@[a-z]{1,6}\\.[a-z]{2,3}".prop_map(Value::from),
            2 => any::<String>().prop_map(Value::from),
            1 => any_json(),
        ]
    };
    (
        prop::option::of(field()),
        prop::option::of(field()),
        prop::option::of(("[a-z_$.]{1,8}", any_json())),
    )
        .prop_map(|(name, email, extra)| {
            let mut message = Map::new();
            if let Some(name) = name {
                message.insert("name".to_owned(), name);
            }
            if let Some(email) = email {
                message.insert("email".to_owned(), email);
            }
            if let Some((key, value)) = extra {
                message.insert(key, value);
            }
            Value::Object(message)
        })
}

/// A path segment, percent-encoded: any text, or something close to an id
/// (a number, a negative or huge one, 24 hex digits, hex of another length).
pub fn path_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9]{1,25}",
        "-[0-9]{1,5}",
        "[0-9a-f]{24}",
        "[0-9a-fA-F]{20,28}",
    ]
    .prop_map(|segment| percent_encode(&segment))
}

/// A query string (without the `?`): a few pairs whose names are often
/// `limit` and `skip`, and whose values are any text, percent-encoded.
pub fn query_string() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("limit".to_owned()),
        Just("skip".to_owned()),
        any::<String>(),
    ];
    let value = prop_oneof!["-?[0-9]{1,22}", any::<String>(),];
    prop::collection::vec((name, value), 0..4).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// What a client may put in a cookie or a header: visible ASCII, often
/// shaped like a JWT (three dot-separated base64url parts).
pub fn token_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[!-~]{0,60}",
        "[A-Za-z0-9_-]{0,40}(\\.[A-Za-z0-9_-]{0,40}){0,3}",
    ]
}

/// `text` with every byte but the unreserved ones written `%XX`.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Checks what every answer must be, whatever was sent: never a `5xx`; a
/// refusal (`4xx`) is JSON in the course's shape,
/// `{"error": {"code": …, "message": …}}`. Returns whether it was a refusal.
#[track_caller]
pub fn assert_handled(response: &TestResponse) -> bool {
    let status = response.status;
    assert!(
        !status.is_server_error(),
        "{}: answered {status}, a server error, to input the server should have \
         refused with a 4xx or accepted. Body: {}",
        response.request,
        response.text()
    );
    if !status.is_client_error() {
        return false;
    }
    let body: Value = serde_json::from_str(&response.text()).unwrap_or_else(|_| {
        panic!(
            "{}: the refusal {status} is not JSON: {:?}",
            response.request,
            response.text()
        )
    });
    let error = &body["error"];
    assert!(
        error["code"].as_str().is_some_and(|code| !code.is_empty())
            && error["message"]
                .as_str()
                .is_some_and(|text| !text.is_empty()),
        "{}: the refusal {status} is not in the shape \
         {{\"error\": {{\"code\": …, \"message\": …}}}}: {body}",
        response.request
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_unreserved_bytes_only() {
        assert_eq!(percent_encode("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(percent_encode("a b/ü?"), "a%20b%2F%C3%BC%3F");
    }
}
