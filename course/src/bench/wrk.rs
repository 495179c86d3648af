//! Driving a server with wrk, the HTTP load generator, and reading what it
//! printed.
//!
//! wrk keeps `--connections` connections open (HTTP keep-alive) and sends
//! the next request on each as soon as the answer arrives, for `--duration`.
//! With `--latency` it also prints the latency percentiles.

use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};

/// What one wrk run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    /// Requests answered per second, over the whole run.
    pub requests_per_second: f64,
    /// Half of the requests were answered faster than this.
    pub p50: Duration,
    /// 99 requests in 100 were answered faster than this.
    pub p99: Duration,
    /// Requests answered in all.
    pub requests: u64,
    /// Answers that were not 2xx or 3xx, plus socket errors.
    pub errors: u64,
}

/// How to drive a server.
#[derive(Debug, Clone)]
pub struct Settings {
    pub seconds: u32,
    pub connections: u32,
    /// The CPU core to run wrk on, with `taskset`, when there is one to spare.
    pub core: Option<usize>,
}

/// Runs wrk against `url` and reads its report.
pub fn run(url: &str, settings: &Settings) -> Result<Load> {
    let mut command = match settings.core {
        Some(core) => {
            let mut taskset = Command::new("taskset");
            taskset.args(["--cpu-list", &core.to_string(), "wrk"]);
            taskset
        }
        None => Command::new("wrk"),
    };
    command.args([
        "--threads",
        "1",
        "--connections",
        &settings.connections.to_string(),
        "--duration",
        &format!("{}s", settings.seconds),
        "--latency",
        url,
    ]);
    let output = command.output().context("cannot start wrk")?;
    let report = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed on {url}: {}{report}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse(&report).ok_or_else(|| anyhow!("cannot read wrk's report on {url}:\n{report}"))
}

/// Reads wrk's `--latency` report: `Requests/sec:`, the `50%` and `99%`
/// lines of the latency distribution, the request count and any errors.
pub fn parse(report: &str) -> Option<Load> {
    let mut requests_per_second = None;
    let mut p50 = None;
    let mut p99 = None;
    let mut requests = None;
    let mut errors = 0;
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => requests_per_second = value.parse().ok(),
            ["50%", value] => p50 = parse_duration(value),
            ["99%", value] => p99 = parse_duration(value),
            [count, "requests", "in", ..] => requests = count.parse().ok(),
            ["Non-2xx", "or", "3xx", "responses:", count] => errors += count.parse::<u64>().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                // `connect 0, read 0, write 0, timeout 0`
                errors += rest
                    .iter()
                    .filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    Some(Load {
        requests_per_second: requests_per_second?,
        p50: p50?,
        p99: p99?,
        requests: requests?,
        errors,
    })
}

/// wrk's durations: `812.00us`, `1.25ms`, `2.01s`, `1.00m`.
fn parse_duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => number / 1e6,
        "ms" => number / 1e3,
        "s" => number,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real report: `wrk --threads 1 --connections 50 --duration 10s
    /// --latency http://127.0.0.1:…/contact` against the Express app.
    pub const EXPRESS_REPORT: &str = include_str!("../../tests/wrk-reports/express-contact.txt");

    #[test]
    fn a_real_report_is_read() {
        let load = parse(EXPRESS_REPORT).expect("the fixture is a complete report");
        assert_eq!(load.requests_per_second, 1362.65);
        assert_close(load.p50, 0.033_36);
        assert_close(load.p99, 0.341_46);
        assert_eq!(load.requests, 13_714);
        assert_eq!(load.errors, 0);
    }

    /// `duration` is `seconds`, give or take a nanosecond of rounding.
    fn assert_close(duration: Duration, seconds: f64) {
        let difference = (duration.as_secs_f64() - seconds).abs();
        assert!(difference < 1e-9, "expected {seconds} s, got {duration:?}");
    }

    #[test]
    fn every_unit_wrk_prints_is_understood() {
        assert_eq!(parse_duration("812.00us"), Some(Duration::from_micros(812)));
        assert_eq!(parse_duration("1.25ms"), Some(Duration::from_micros(1250)));
        assert_eq!(parse_duration("2.00s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.50m"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("12"), None);
        assert_eq!(parse_duration("3.0parsecs"), None);
    }

    #[test]
    fn errors_are_counted() {
        let report = "Running 2s test @ http://127.0.0.1:1/\n\
            \x20 Latency Distribution\n\
            \x20    50%  100.00us\n\
            \x20    99%    1.00ms\n\
            \x20 100 requests in 2.00s, 10.00KB read\n\
            \x20 Socket errors: connect 0, read 2, write 0, timeout 1\n\
            \x20 Non-2xx or 3xx responses: 4\n\
            Requests/sec:     50.00\n";
        let load = parse(report).unwrap();
        assert_eq!(load.errors, 7);
        assert_eq!(load.requests, 100);
        assert_eq!(load.requests_per_second, 50.0);
    }

    #[test]
    fn a_cut_short_report_is_not_read() {
        let cut = &EXPRESS_REPORT[..EXPRESS_REPORT.find("Requests/sec").unwrap()];
        assert_eq!(parse(cut), None);
        assert_eq!(parse(""), None);
    }
}
