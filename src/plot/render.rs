//! A chart from its parts: axes from its data (a stacked chart's from its piles), the layout
//! (title, plot, labels, legend), the frame plotters draws, then the marks, the title and the
//! legend over it.

use super::chart::{Chart, Kind};
use super::frame::{self, FrameSpec, Rect};
use super::legend::Legend;
use super::marks::{self, CategoryLabels, Plot};
use super::scale::Axis;
use super::stack::Stacks;
use super::style::{
    chars_within, hex, text_width, FONT, INK, LABEL_SIZE, PAD, PLOT_HEIGHT, TICK_SIZE, TITLE_SIZE, WIDTH,
};
use super::svg::{num, Svg};

const TITLE_LINE: f64 = TITLE_SIZE * 1.3;
/// Room for the last x tick label's right half.
const RIGHT_ROOM: f64 = 14.0;

pub(super) fn svg(chart: &Chart) -> String {
    let stacks = matches!(chart.kind, Kind::Stacked).then(|| Stacks::of(chart));
    let (x, y) = axes(chart, stacks.as_ref());
    let layout = Layout::of(chart, &y);
    let size = (WIDTH as u32, layout.height.ceil() as u32);
    let spec = FrameSpec {
        size,
        plot: layout.plot,
        x_area: layout.x_area,
        x: &x,
        y: &y,
        x_title: &chart.x_label,
        y_title: &chart.y_label,
        x_ticks: layout.categories.is_none(),
    };
    let (frame, rect) = frame::draw(&spec);
    let plot = Plot { rect, x: &x, y: &y, centred: layout.categories.is_some() };

    let mut svg = Svg::default();
    svg.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg".into()),
            ("viewBox", format!("0 0 {} {}", size.0, size.1)),
            ("role", "img".into()),
            ("aria-label", chart.title.clone()),
            ("data-chart", chart.id.clone()),
            ("font-family", FONT.into()),
        ],
    );
    svg.with_text("title", &[], &chart.title);
    svg.raw(&frame);
    match (&chart.kind, &layout.categories, &stacks) {
        (Kind::Bars { categories }, Some(labels), _) => {
            marks::bars(&mut svg, chart, categories, &plot);
            labels.draw(&mut svg, &plot);
        }
        (_, _, Some(stacks)) => stacks.draw(&mut svg, chart, &plot),
        _ => marks::lines(&mut svg, chart, &plot),
    }
    marks::guides(&mut svg, chart, &plot);
    if !chart.series.iter().any(|series| chart.draws(series)) {
        marks::no_data(&mut svg, &plot, &chart.empty_text);
    }
    draw_title(&mut svg, &layout.title);
    layout.legend.draw(&mut svg, (PAD, layout.legend_top));
    svg.close("svg");
    svg.finish()
}

/// The axes the data needs: y from zero (or below) over every value (every pile of a stacked
/// chart) and reference line; x over every point, marker and the `x_span` (exactly, with ticks
/// inside; half a bar's step more each side for stacked bars), or one slot per category.
fn axes(chart: &Chart, stacks: Option<&Stacks>) -> (Axis, Axis) {
    let (mut xs, mut ys) = (Vec::new(), vec![0.0]);
    match (&chart.kind, stacks) {
        (Kind::Bars { categories }, _) => {
            ys.extend(chart.series.iter().flat_map(|series| series.by_category(categories.len())).map(|(_, y)| y));
        }
        (_, Some(stacks)) => {
            xs.extend_from_slice(stacks.xs());
            ys.extend(stacks.extent());
        }
        _ => {
            xs.extend(chart.series.iter().flat_map(|series| series.points.iter().map(|point| point.0)));
            ys.extend(chart.series.iter().flat_map(|series| series.points.iter().map(|point| point.1)));
        }
    }
    xs.extend(chart.markers.iter().map(|marker| marker.at));
    xs.extend(chart.x_span.iter().flat_map(|&(from, to)| [from, to]));
    ys.extend(chart.references.iter().map(|reference| reference.at));
    let whole = |values: &[f64]| values.iter().all(|value| value.fract() == 0.0);
    let low = |values: &[f64]| values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = |values: &[f64]| values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let y = Axis::covering(low(&ys), high(&ys), 5, whole(&ys));
    let half_bar = stacks.map_or(0.0, |stacks| stacks.step() / 2.0);
    let x = match &chart.kind {
        Kind::Line | Kind::Stacked => Axis::spanning(low(&xs) - half_bar, high(&xs) + half_bar, 6, whole(&xs)),
        Kind::Bars { categories } => Axis::categories(categories.len()),
    };
    (x, y)
}

/// Where everything goes, top to bottom: title, plot, x labels and title, legend.
struct Layout {
    title: Vec<String>,
    plot: Rect,
    x_area: f64,
    /// A bar chart's category labels.
    categories: Option<CategoryLabels>,
    legend: Legend,
    legend_top: f64,
    height: f64,
}

impl Layout {
    fn of(chart: &Chart, y: &Axis) -> Self {
        let title = wrap(&chart.title, WIDTH - 2.0 * PAD, TITLE_SIZE * 1.05);
        let top = PAD + title.len() as f64 * TITLE_LINE + 14.0;
        let widest_tick = y.ticks.iter().map(|tick| text_width(&y.label(*tick), TICK_SIZE)).fold(0.0, f64::max);
        let mut left = PAD + titled(&chart.y_label) + widest_tick + 10.0;
        let right = WIDTH - PAD - RIGHT_ROOM;
        let categories = match &chart.kind {
            Kind::Line | Kind::Stacked => None,
            Kind::Bars { categories } => {
                let slot = (right - left) / categories.len().max(1) as f64;
                let labels = CategoryLabels::fit(categories, slot);
                // Turned labels of the first categories may reach left of the y labels.
                left = left.max(PAD + labels.overhang(slot) + 4.0);
                Some(CategoryLabels::fit(categories, (right - left) / categories.len().max(1) as f64))
            }
        };
        let ticks_height = categories.as_ref().map_or(TICK_SIZE + 10.0, CategoryLabels::height);
        let x_area = ticks_height + titled(&chart.x_label);
        let bottom = top + PLOT_HEIGHT;
        let legend = Legend::of(chart, WIDTH - 2.0 * PAD);
        let legend_top = bottom + x_area + 6.0;
        let height = legend_top + legend.height() + PAD;
        Self { title, plot: Rect { left, top, right, bottom }, x_area, categories, legend, legend_top, height }
    }
}

/// The room an axis title takes (none when there is none).
fn titled(label: &str) -> f64 {
    match label.is_empty() {
        true => 0.0,
        false => LABEL_SIZE + 10.0,
    }
}

/// `text` in lines no wider than `width` at `size` px, words kept whole, two lines at most (the
/// second cut short with "…" when the rest does not fit).
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        lines.push(marks::shorten(&rest, chars_within(width, size).max(2)));
    }
    lines
}

fn draw_title(svg: &mut Svg, lines: &[String]) {
    for (index, line) in lines.iter().enumerate() {
        let baseline = PAD + TITLE_SIZE + index as f64 * TITLE_LINE;
        let attributes = [
            ("x", num(PAD)),
            ("y", num(baseline)),
            ("font-size", num(TITLE_SIZE)),
            ("font-weight", "600".into()),
            ("fill", hex(INK)),
        ];
        svg.with_text("text", &attributes, line);
    }
}
