//! What `cargo course bench` measured on each server, and how it is shown:
//! a side-by-side table and the Rust/Express ratios.

use std::time::Duration;

use super::wrk::Load;

/// One server's results: wrk's load figures and the server's peak memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub load: Load,
    /// The most memory the server process held at once (`VmHWM`, "high
    /// water mark" of its resident set), in kibibytes; `None` off Linux.
    pub peak_rss_kib: Option<u64>,
}

/// The same endpoint on both servers.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// What was requested, such as `GET /contact`.
    pub endpoint: String,
    pub rust: Measured,
    pub express: Measured,
}

impl Comparison {
    /// Rust's requests per second over Express's: 14.0 means 14 times as many.
    pub fn throughput_ratio(&self) -> f64 {
        self.rust.load.requests_per_second / self.express.load.requests_per_second
    }

    /// Rust's p99 latency over Express's: 0.05 means a twentieth.
    pub fn p99_ratio(&self) -> f64 {
        self.rust.load.p99.as_secs_f64() / self.express.load.p99.as_secs_f64()
    }

    /// Rust's peak memory over Express's, when both are known.
    pub fn rss_ratio(&self) -> Option<f64> {
        let rust = self.rust.peak_rss_kib?;
        let express = self.express.peak_rss_kib?;
        Some(rust as f64 / express as f64)
    }

    /// The side-by-side table, with a ratio column.
    pub fn table(&self) -> String {
        let (rust, express) = (&self.rust, &self.express);
        let rows = [
            (
                "requests/s",
                thousands(rust.load.requests_per_second),
                thousands(express.load.requests_per_second),
                ratio(self.throughput_ratio()),
            ),
            (
                "p50 latency",
                millis(rust.load.p50),
                millis(express.load.p50),
                ratio(rust.load.p50.as_secs_f64() / express.load.p50.as_secs_f64()),
            ),
            (
                "p99 latency",
                millis(rust.load.p99),
                millis(express.load.p99),
                ratio(self.p99_ratio()),
            ),
            (
                "peak RSS",
                megabytes(rust.peak_rss_kib),
                megabytes(express.peak_rss_kib),
                self.rss_ratio().map_or_else(|| "n/a".to_owned(), ratio),
            ),
        ];
        let mut table = format!(
            "{:<14} {:>14} {:>14} {:>14}\n",
            self.endpoint, "Rust (axum)", "Express", "Rust/Express"
        );
        for (name, rust, express, ratio) in rows {
            table.push_str(&format!(
                "{name:<14} {rust:>14} {express:>14} {ratio:>14}\n"
            ));
        }
        table
    }
}

/// `14.2×` for a ratio above one, `0.99×` just below, `1/31 (0.03×)` for a
/// half or less.
pub fn ratio(value: f64) -> String {
    if !value.is_finite() || value <= 0.0 {
        "n/a".to_owned()
    } else if value >= 1.0 {
        format!("{value:.1}×")
    } else if value > 0.5 {
        format!("{value:.2}×")
    } else {
        format!("1/{:.0} ({value:.2}×)", 1.0 / value)
    }
}

/// `123,457` for 123456.7.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `0.41 ms`, `341.46 ms`.
fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

/// `5.9 MB` for 6,000 KiB (megabytes of 1,000,000 bytes, as most tools show).
fn megabytes(kib: Option<u64>) -> String {
    match kib {
        Some(kib) => format!("{:.1} MB", kib as f64 * 1024.0 / 1e6),
        None => "n/a".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::wrk;

    fn comparison() -> Comparison {
        let express = wrk::parse(include_str!("../../tests/wrk-reports/express-contact.txt"))
            .expect("the fixture is a complete report");
        let rust = Load {
            requests_per_second: 19_075.1,
            p50: Duration::from_micros(2_010),
            p99: Duration::from_micros(10_245),
            requests: 191_000,
            errors: 0,
        };
        Comparison {
            endpoint: "GET /contact".to_owned(),
            rust: Measured {
                load: rust,
                peak_rss_kib: Some(6_008),
            },
            express: Measured {
                load: express,
                peak_rss_kib: Some(120_148),
            },
        }
    }

    #[test]
    fn ratios_are_rust_over_express() {
        let comparison = comparison();
        assert!((comparison.throughput_ratio() - 19_075.1 / 1362.65).abs() < 1e-9);
        assert!((comparison.p99_ratio() - 10.245 / 341.46).abs() < 1e-9);
        assert!((comparison.rss_ratio().unwrap() - 6_008.0 / 120_148.0).abs() < 1e-12);
    }

    #[test]
    fn the_table_puts_both_servers_side_by_side() {
        assert_eq!(
            comparison().table(),
            "GET /contact      Rust (axum)        Express   Rust/Express\n\
             requests/s             19,075          1,363          14.0×\n\
             p50 latency           2.01 ms       33.36 ms   1/17 (0.06×)\n\
             p99 latency          10.25 ms      341.46 ms   1/33 (0.03×)\n\
             peak RSS               6.2 MB       123.0 MB   1/20 (0.05×)\n"
        );
    }

    #[test]
    fn an_unknown_memory_figure_shows_as_not_available() {
        let mut comparison = comparison();
        comparison.express.peak_rss_kib = None;
        assert_eq!(comparison.rss_ratio(), None);
        assert!(comparison.table().contains("n/a"));
    }

    #[test]
    fn ratios_read_as_times_or_fractions() {
        assert_eq!(ratio(14.46), "14.5×");
        assert_eq!(ratio(1.0), "1.0×");
        assert_eq!(ratio(0.99), "0.99×");
        assert_eq!(ratio(0.5), "1/2 (0.50×)");
        assert_eq!(ratio(0.05), "1/20 (0.05×)");
        assert_eq!(ratio(f64::INFINITY), "n/a");
        assert_eq!(ratio(0.0), "n/a");
    }

    #[test]
    fn big_numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1_000.0), "1,000");
        assert_eq!(thousands(123_456.7), "123,457");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }
}
