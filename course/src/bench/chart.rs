//! The bench's chart: one SVG file a browser opens, with three bar pairs
//! (requests per second, p99 latency, peak memory), drawn with `plotters`.

use std::path::Path;

use anyhow::{Context, Result};
use plotters::prelude::*;

use super::benchmark::Comparison;

const RUST: RGBColor = RGBColor(206, 66, 43);
const EXPRESS: RGBColor = RGBColor(68, 120, 33);

/// Draws `comparison` into the SVG file at `path`.
pub fn draw(comparison: &Comparison, path: &Path) -> Result<()> {
    draw_panels(comparison, path).with_context(|| format!("cannot draw {}", path.display()))
}

fn draw_panels(comparison: &Comparison, path: &Path) -> Result<()> {
    let (rust, express) = (&comparison.rust, &comparison.express);
    let kib_to_mb = |kib: Option<u64>| kib.map_or(0.0, |kib| kib as f64 * 1024.0 / 1e6);
    let panels = [
        (
            "requests per second (higher is better)",
            rust.load.requests_per_second,
            express.load.requests_per_second,
        ),
        (
            "p99 latency in ms (lower is better)",
            rust.load.p99.as_secs_f64() * 1e3,
            express.load.p99.as_secs_f64() * 1e3,
        ),
        (
            "peak memory in MB (lower is better)",
            kib_to_mb(rust.peak_rss_kib),
            kib_to_mb(express.peak_rss_kib),
        ),
    ];

    let root = SVGBackend::new(path, (960, 380)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        &format!("{}: Rust (axum) and Express", comparison.endpoint),
        ("sans-serif", 22),
    )?;
    for (area, (caption, rust, express)) in root.split_evenly((1, 3)).iter().zip(panels) {
        let top = rust.max(express).max(f64::MIN_POSITIVE) * 1.2;
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 15))
            .margin(12)
            .y_label_area_size(60)
            .x_label_area_size(10)
            .build_cartesian_2d(0.0..2.0, 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_x_axis()
            .y_labels(6)
            .y_label_formatter(&|value| short(*value))
            .draw()?;
        for (index, (name, value, colour)) in [("Rust", rust, RUST), ("Express", express, EXPRESS)]
            .into_iter()
            .enumerate()
        {
            let left = index as f64 + 0.2;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, 0.0), (left + 0.6, value)],
                colour.filled(),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("{name}: {}", short(value)),
                (left, value + top * 0.06),
                ("sans-serif", 13),
            )))?;
        }
    }
    root.present()?;
    Ok(())
}

/// `19k`, `4.2`, `0.31`: short labels for the axis and the bars.
fn short(value: f64) -> String {
    if value == 0.0 {
        "0".to_owned()
    } else if value >= 10_000.0 {
        format!("{:.0}k", value / 1e3)
    } else if value >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}
