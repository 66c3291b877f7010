//! What is drawn on the frame: the series (a polyline each, or a group of bars; stacked bars are
//! `stack`'s), the guides across the plot, the category labels of a bar chart, and "No data"
//! when there is nothing.
//! Every drawn series is one `<g data-series="…" data-run="…">`, so tests and pages count them.

use super::chart::{Chart, Guide, Run, Series};
use super::frame::Rect;
use super::scale::{format_value, Axis};
use super::style::{colour, hex, text_width, GUIDE, MUTED, TICK_SIZE};
use super::svg::{num, Svg};

/// The plot rectangle with its axes: where a value lands.
pub(super) struct Plot<'a> {
    pub rect: Rect,
    pub x: &'a Axis,
    pub y: &'a Axis,
    /// Bar charts put x = i in the middle of the i-th category's slot.
    pub centred: bool,
}

impl Plot<'_> {
    pub fn px(&self, x: f64) -> f64 {
        let x = if self.centred { x + 0.5 } else { x };
        self.x.place(x, self.rect.left, self.rect.right)
    }

    pub fn py(&self, y: f64) -> f64 {
        self.y.place(y, self.rect.bottom, self.rect.top)
    }

    /// The width of one category's slot.
    fn slot(&self) -> f64 {
        self.rect.width() / (self.x.to - self.x.from)
    }
}

/// A series' legend name: its own, and which run when the chart compares two.
pub(super) fn series_label(chart: &Chart, series: &Series) -> String {
    match chart.compares() {
        true => format!("{} ({})", series.name, series.run.word()),
        false => series.name.clone(),
    }
}

/// One polyline per series with points (a dot for a single point); the compared run first, so
/// the current one is drawn over it.
pub(super) fn lines(svg: &mut Svg, chart: &Chart, plot: &Plot) {
    for series in drawing_order(chart) {
        let mut points = series.points.clone();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let stroke = hex(colour(chart.colour_slot(&series.name)));
        open_series(svg, chart, series);
        if let [(x, y)] = points[..] {
            svg.leaf(
                "circle",
                &[("cx", num(plot.px(x))), ("cy", num(plot.py(y))), ("r", "3.5".into()), ("fill", stroke)],
            );
        } else {
            let at: Vec<String> =
                points.iter().map(|&(x, y)| format!("{},{}", num(plot.px(x)), num(plot.py(y)))).collect();
            let mut attributes = vec![
                ("points", at.join(" ")),
                ("fill", "none".into()),
                ("stroke", stroke),
                ("stroke-linejoin", "round".into()),
                ("stroke-linecap", "round".into()),
            ];
            attributes.extend(match series.run {
                Run::Current => [("stroke-width", "2.5".to_owned())].to_vec(),
                Run::Against => [("stroke-width", "2".to_owned()), ("stroke-dasharray", "7 4".to_owned())].to_vec(),
            });
            svg.leaf("polyline", &attributes);
        }
        svg.close("g");
    }
}

/// For each series with values, a bar in every category, the series side by side within it.
pub(super) fn bars(svg: &mut Svg, chart: &Chart, categories: &[String], plot: &Plot) {
    let drawn: Vec<&Series> = chart.series.iter().filter(|series| chart.draws(series)).collect();
    let slot = plot.slot();
    let group = slot * 0.8;
    let width = group / drawn.len().max(1) as f64;
    let zero = plot.py(0.0);
    for (place, series) in drawn.iter().enumerate() {
        let style = bar_style(chart, series);
        let label = series_label(chart, series);
        open_series(svg, chart, series);
        let values = series.by_category(categories.len());
        for (index, category) in categories.iter().enumerate() {
            let value = values.iter().find(|(at, _)| *at == index).map_or(0.0, |(_, value)| *value);
            let top = plot.py(value).min(zero);
            let left = plot.rect.left + index as f64 * slot + (slot - group) / 2.0 + place as f64 * width;
            let mut attributes = vec![
                ("x", num(left + 0.5)),
                ("y", num(top)),
                ("width", num((width - 1.0).max(1.0))),
                ("height", num((plot.py(value) - zero).abs())),
                ("data-category", category.clone()),
            ];
            attributes.extend(style.iter().cloned());
            svg.open("rect", &attributes);
            svg.with_text("title", &[], &format!("{category} — {label}: {}", format_value(value)));
            svg.close("rect");
        }
        svg.close("g");
    }
}

/// A bar's paint: the series' colour, pale and outlined with dashes for the compared run.
pub(super) fn bar_style(chart: &Chart, series: &Series) -> Vec<(&'static str, String)> {
    let fill = hex(colour(chart.colour_slot(&series.name)));
    match series.run {
        Run::Current => vec![("fill", fill)],
        Run::Against => vec![
            ("fill", fill.clone()),
            ("fill-opacity", "0.3".into()),
            ("stroke", fill),
            ("stroke-width", "1".into()),
            ("stroke-dasharray", "3 2".into()),
        ],
    }
}

/// The dashed reference lines (label above the line at the left, where growing series are
/// lowest) and markers (label at the top, inside the plot, staggered so that several do not
/// overlap).
pub(super) fn guides(svg: &mut Svg, chart: &Chart, plot: &Plot) {
    let rect = plot.rect;
    for Guide { at, label } in &chart.references {
        let y = plot.py(*at);
        svg.open("g", &[("data-guide", "reference".into())]);
        guide_line(svg, (rect.left, y), (rect.right, y));
        let above = y - 6.0 - TICK_SIZE >= rect.top;
        let label_y = if above { y - 6.0 } else { y + TICK_SIZE + 4.0 };
        guide_label(svg, (rect.left + 6.0, label_y), "start", label);
        svg.close("g");
    }
    for (index, Guide { at, label }) in chart.markers.iter().enumerate() {
        let x = plot.px(*at);
        svg.open("g", &[("data-guide", "marker".into())]);
        guide_line(svg, (x, rect.top), (x, rect.bottom));
        let label_y = rect.top + TICK_SIZE + 2.0 + index as f64 * (TICK_SIZE + 4.0);
        let left_half = x < (rect.left + rect.right) / 2.0;
        let (label_x, anchor) = if left_half { (x + 4.0, "start") } else { (x - 4.0, "end") };
        guide_label(svg, (label_x, label_y), anchor, label);
        svg.close("g");
    }
}

/// How a bar chart's category labels fit under their slots.
pub(super) struct CategoryLabels {
    labels: Vec<String>,
    /// Turned 40° when the widest does not fit its slot.
    turned: bool,
    widest: f64,
}

/// The longest category label drawn whole; longer ones end in "…" (the bars' tooltips say it all).
const CATEGORY_CHARS: usize = 18;
const TURN_DEGREES: f64 = 40.0;

impl CategoryLabels {
    pub fn fit(categories: &[String], slot: f64) -> Self {
        let labels: Vec<String> = categories.iter().map(|label| shorten(label, CATEGORY_CHARS)).collect();
        let widest = labels.iter().map(|label| text_width(label, TICK_SIZE)).fold(0.0, f64::max);
        Self { labels, turned: widest > slot - 6.0, widest }
    }

    /// The height they take under the plot.
    pub fn height(&self) -> f64 {
        let (sin, cos) = TURN_DEGREES.to_radians().sin_cos();
        match self.turned {
            true => 8.0 + self.widest * sin + TICK_SIZE * cos,
            false => 8.0 + TICK_SIZE,
        }
    }

    /// How far the first turned labels reach left of the plot's left edge at `slot` width.
    pub fn overhang(&self, slot: f64) -> f64 {
        if !self.turned {
            return 0.0;
        }
        let cos = TURN_DEGREES.to_radians().cos();
        self.labels
            .iter()
            .enumerate()
            .map(|(index, label)| text_width(label, TICK_SIZE) * cos - (index as f64 + 0.5) * slot)
            .fold(0.0, f64::max)
    }

    pub fn draw(&self, svg: &mut Svg, plot: &Plot) {
        let top = plot.rect.bottom + 8.0;
        svg.open("g", &[("font-size", num(TICK_SIZE)), ("fill", hex(MUTED)), ("data-axis", "categories".into())]);
        for (index, label) in self.labels.iter().enumerate() {
            let x = plot.px(index as f64);
            if self.turned {
                let (x, y) = (x + 3.0, top + 2.0);
                let turn = format!("rotate(-{TURN_DEGREES} {} {})", num(x), num(y));
                let attributes = [
                    ("x", num(x)),
                    ("y", num(y)),
                    ("dy", "0.7em".into()),
                    ("text-anchor", "end".into()),
                    ("transform", turn),
                ];
                svg.with_text("text", &attributes, label);
            } else {
                let attributes =
                    [("x", num(x)), ("y", num(top)), ("dy", "0.8em".into()), ("text-anchor", "middle".into())];
                svg.with_text("text", &attributes, label);
            }
        }
        svg.close("g");
    }
}

/// `text` ("No data") in the middle of an empty plot.
pub(super) fn no_data(svg: &mut Svg, plot: &Plot, text: &str) {
    let rect = plot.rect;
    let attributes = [
        ("x", num((rect.left + rect.right) / 2.0)),
        ("y", num((rect.top + rect.bottom) / 2.0)),
        ("text-anchor", "middle".into()),
        ("font-size", "14".into()),
        ("fill", hex(MUTED)),
        ("data-empty", "".into()),
    ];
    svg.with_text("text", &attributes, text);
}

/// The series with points, those of the compared run first.
fn drawing_order(chart: &Chart) -> impl Iterator<Item = &Series> {
    let with_points = |run: Run| chart.series.iter().filter(move |s| s.run == run && chart.draws(s));
    with_points(Run::Against).chain(with_points(Run::Current))
}

pub(super) fn open_series(svg: &mut Svg, chart: &Chart, series: &Series) {
    svg.open("g", &[("data-series", series.name.clone()), ("data-run", series.run.word().into())]);
    svg.with_text("title", &[], &series_label(chart, series));
}

fn guide_line(svg: &mut Svg, from: (f64, f64), to: (f64, f64)) {
    svg.leaf(
        "line",
        &[
            ("x1", num(from.0)),
            ("y1", num(from.1)),
            ("x2", num(to.0)),
            ("y2", num(to.1)),
            ("stroke", hex(GUIDE)),
            ("stroke-width", "1.2".into()),
            ("stroke-dasharray", "4 3".into()),
        ],
    );
}

/// A guide's label, with a white halo so it reads over grid and series.
fn guide_label(svg: &mut Svg, (x, y): (f64, f64), anchor: &str, label: &str) {
    let attributes = [
        ("x", num(x)),
        ("y", num(y)),
        ("text-anchor", anchor.into()),
        ("font-size", num(TICK_SIZE)),
        ("fill", hex(GUIDE)),
        ("stroke", "#ffffff".into()),
        ("stroke-width", "3".into()),
        ("stroke-linejoin", "round".into()),
        ("paint-order", "stroke".into()),
    ];
    svg.with_text("text", &attributes, label);
}

/// `text` cut to `chars` characters, the last one "…".
pub(super) fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(chars - 1).collect();
    short.push('…');
    short
}
