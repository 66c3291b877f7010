//! Stacked bars ([`Chart::stacked_bars`]): at each x the series pile up in their order, positive
//! values up from zero and negative ones down from it, so that a bar's top is its x's total. One
//! `<rect data-x="…">` per layer that is not zero there, in its series' `<g data-series>`; the
//! layers meet on the same pixel row, so their heights add up to the bar's.

use super::chart::{Chart, Series};
use super::marks::{bar_style, open_series, series_label, Plot};
use super::scale::format_value;
use super::svg::{num, snap, Svg};

/// A bar's share of the space between neighbouring x values (the rest is the gap between bars).
const FILL: f64 = 0.75;
/// The widest a bar gets, however few there are.
const WIDEST: f64 = 36.0;

/// `series`' values by x, in x order, the points at the same x added up.
pub(super) fn by_x(series: &Series) -> Vec<(f64, f64)> {
    let mut points = series.points.clone();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut summed: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for (x, y) in points {
        match summed.last_mut() {
            Some(last) if last.0 == x => last.1 += y,
            _ => summed.push((x, y)),
        }
    }
    summed
}

/// One layer's piece of the bar at `xs[at]`: from `base` to `base + value`.
struct Piece {
    at: usize,
    base: f64,
    value: f64,
}

/// The bars of a stacked chart: where they stand and each layer's pieces.
pub(super) struct Stacks {
    /// Every x a series has a point at, ascending.
    xs: Vec<f64>,
    /// Per series, in the chart's order, its pieces that are not zero.
    layers: Vec<Vec<Piece>>,
    /// Per x, the top of the positive pile and the bottom of the negative one.
    up: Vec<f64>,
    down: Vec<f64>,
}

impl Stacks {
    pub fn of(chart: &Chart) -> Self {
        let values: Vec<Vec<(f64, f64)>> = chart.series.iter().map(by_x).collect();
        let mut xs: Vec<f64> = values.iter().flatten().map(|&(x, _)| x).collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let (mut up, mut down) = (vec![0.0; xs.len()], vec![0.0; xs.len()]);
        let mut pile = |at: usize, value: f64| {
            let top = if value > 0.0 { &mut up[at] } else { &mut down[at] };
            let base = *top;
            *top += value;
            Piece { at, base, value }
        };
        let layers = values
            .iter()
            .map(|points| {
                points
                    .iter()
                    .filter(|&&(_, value)| value != 0.0)
                    .map(|&(x, value)| pile(xs.partition_point(|&other| other < x), value))
                    .collect()
            })
            .collect();
        Self { xs, layers, up, down }
    }

    pub fn xs(&self) -> &[f64] {
        &self.xs
    }

    /// The values the piles reach: the y axis covers them.
    pub fn extent(&self) -> impl Iterator<Item = f64> + '_ {
        self.up.iter().chain(&self.down).copied()
    }

    /// The least space between neighbouring bars' x (1 with fewer than two bars): the x axis
    /// reaches half of it past the first and last bar, and a bar takes [`FILL`] of it.
    pub fn step(&self) -> f64 {
        let least = self.xs.windows(2).map(|pair| pair[1] - pair[0]).fold(f64::INFINITY, f64::min);
        if least.is_finite() {
            least
        } else {
            1.0
        }
    }

    /// Each layer with pieces as its series' group, bottom layer first.
    pub fn draw(&self, svg: &mut Svg, chart: &Chart, plot: &Plot) {
        let width = (plot.px(self.step()) - plot.px(0.0)).abs() * FILL;
        let width = width.min(WIDEST);
        for (series, pieces) in chart.series.iter().zip(&self.layers) {
            if pieces.is_empty() {
                continue;
            }
            let style = bar_style(chart, series);
            let label = series_label(chart, series);
            open_series(svg, chart, series);
            for piece in pieces {
                let x = self.xs[piece.at];
                // Both edges on the pixel row `num` writes, so a piece starts where the last ended.
                let (from, to) = (snap(plot.py(piece.base)), snap(plot.py(piece.base + piece.value)));
                let mut attributes = vec![
                    ("x", num(plot.px(x) - width / 2.0)),
                    ("y", num(from.min(to))),
                    ("width", num(width)),
                    ("height", num((from - to).abs())),
                    ("data-x", format_value(x)),
                ];
                attributes.extend(style.iter().cloned());
                let total = self.up[piece.at] + self.down[piece.at];
                let tooltip =
                    format!("{} — {label}: {} of {}", format_value(x), format_value(piece.value), format_value(total));
                svg.open("rect", &attributes);
                svg.with_text("title", &[], &tooltip);
                svg.close("rect");
            }
            svg.close("g");
        }
    }
}
