//! The frame of a chart, drawn by plotters' SVG backend: background, grid lines at the axes'
//! ticks, the axes, tick labels (with thousands separators) and the axis titles. What is drawn
//! on it (series, guides, category labels, legend) is `marks` and `legend`'s, which place it in
//! the plot rectangle this returns.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use super::scale::Axis;
use super::style::{Rgb, AXIS, FONT, GRID, GUIDE, LABEL_SIZE, MUTED, PAD, TICK_SIZE};

/// Where the frame goes and what its axes say.
pub(super) struct FrameSpec<'a> {
    /// The whole chart's size; the frame is drawn over all of it.
    pub size: (u32, u32),
    /// The plot rectangle wanted (plotters' label areas are sized around it).
    pub plot: Rect,
    /// The height under the plot for the x tick labels and the x title.
    pub x_area: f64,
    pub x: &'a Axis,
    pub y: &'a Axis,
    pub x_title: &'a str,
    pub y_title: &'a str,
    /// Tick labels and vertical grid lines on x (off for categories, which `marks` labels).
    pub x_ticks: bool,
}

/// A rectangle in the chart's pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.right - self.left
    }
}

/// The frame as an SVG document of the chart's size, and the plot rectangle plotters laid out.
pub(super) fn draw(spec: &FrameSpec) -> (String, Rect) {
    let mut svg = String::new();
    // Drawing into a String with plotters' text-size estimate (no font files) has no way to fail
    // but a bug in these few calls, which every chart's test would show.
    const INFALLIBLE: &str = "plotters draws a frame into a String";
    let plot = {
        let root = SVGBackend::with_string(&mut svg, spec.size).into_drawing_area();
        root.fill(&WHITE).expect(INFALLIBLE);
        let (width, height) = (spec.size.0 as f64, spec.size.1 as f64);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(spec.plot.top as u32)
            .margin_right((width - spec.plot.right) as u32)
            .margin_bottom((height - spec.plot.bottom - spec.x_area) as u32)
            .margin_left(PAD as u32)
            .x_label_area_size(spec.x_area as u32)
            .y_label_area_size((spec.plot.left - PAD) as u32)
            .build_cartesian_2d(Ticked(spec.x), Ticked(spec.y))
            .expect(INFALLIBLE);
        let x_label = |value: &f64| spec.x.label(*value);
        let y_label = |value: &f64| spec.y.label(*value);
        let tick_font = font(TICK_SIZE).color(&rgb(MUTED));
        let title_font = font(LABEL_SIZE).color(&rgb(GUIDE));
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .label_style(tick_font)
            .axis_desc_style(title_font)
            .bold_line_style(rgb(GRID))
            .axis_style(rgb(AXIS))
            .set_all_tick_mark_size(4)
            .x_desc(spec.x_title)
            .y_desc(spec.y_title);
        if !spec.x_ticks {
            mesh.disable_x_mesh().x_labels(0);
        }
        mesh.draw().expect(INFALLIBLE);
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        root.present().expect(INFALLIBLE);
        // plotters maps a range onto the first to the last pixel of its area.
        Rect { left: xs.start as f64, right: (xs.end - 1) as f64, top: ys.start as f64, bottom: (ys.end - 1) as f64 }
    };
    (svg, plot)
}

/// The generic sans-serif face at `px` pixels (plotters' SVG backend writes 1/1.24 of the size
/// it is given).
fn font(px: f64) -> FontDesc<'static> {
    (FONT, px * 1.24).into_font()
}

fn rgb((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

/// An [`Axis`] as plotters' coordinate: its range, its ticks as the grid's (bold) lines, no
/// light lines, and values placed the way `marks` places them.
struct Ticked<'a>(&'a Axis);

impl Ranged for Ticked<'_> {
    /// Labels come from the mesh's formatters, which call [`Axis::label`].
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (start, end): (i32, i32)) -> i32 {
        self.0.place(*value, start as f64, end as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match hint.weight().allow_light_points() {
            true => Vec::new(),
            false => self.0.ticks.clone(),
        }
    }

    fn range(&self) -> Range<f64> {
        self.0.from..self.0.to
    }
}
