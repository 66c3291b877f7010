//! Charts as SVG and reports as one HTML file, knowing nothing of the game: the economy lab
//! (`starmine simulate`) draws its days with it, and an operator console may draw live series.
//!
//! A [`Chart`] is lines over a numeric x (days), grouped bars over categories, or bars over a
//! numeric x with the series stacked as their layers ([`Chart::stacked_bars`]), with named
//! [`Series`], labelled reference lines (`reference_y`) and markers (`marker_x`). Two runs
//! compare on the same axes: a series and its [`Run::Against`] twin share a colour, the twin is
//! dashed (or pale), and the legend says "(current)" / "(against)". [`Chart::to_svg`] gives a
//! standalone SVG (a `viewBox`, so it scales to its container; generic fonts; every drawn series
//! a `<g data-series="…" data-run="…">` and the root `data-chart="<id>"`), byte-identical for
//! the same chart. A [`Report`] puts charts in sections of one self-contained page; a
//! [`sparkline`] is one series as a bare inline polyline.
//!
//! ```
//! use starmine::plot::{Chart, Report, Section, Series};
//!
//! let revenue = [120.0, 340.0, 610.0, 580.0];
//! let before = [100.0, 300.0, 420.0, 450.0];
//! let chart = Chart::line("revenue", "Stars revenue per day")
//!     .x_label("day")
//!     .y_label("Stars")
//!     .compare(Series::values("revenue", revenue), Some(Series::values("revenue", before)))
//!     .reference_y(600.0, "daily limit 600")
//!     .marker_x(2.0, "sold out, day 2");
//! let svg: String = chart.to_svg();
//! assert!(svg.contains(r#"data-chart="revenue""#));
//!
//! let html = Report::new("Economy lab")
//!     .summary(["players 1,000 · days 30", "revenue 12,345 Stars"])
//!     .section(Section::new("Money").chart(chart))
//!     .to_html();
//! assert!(html.starts_with("<!doctype html>"));
//! ```

mod chart;
mod frame;
mod legend;
mod marks;
mod render;
mod report;
mod scale;
mod sparkline;
mod stack;
mod style;
mod svg;

pub use chart::{Chart, Run, Series};
pub use report::{Report, Section};
pub use sparkline::sparkline;

#[cfg(test)]
mod tests;
