//! The legend, under the plot so it never covers data: a swatch (a line, dashed for the compared
//! run; a square, pale for it) and the series' label, flowing into as many rows as it needs.

use super::chart::{Chart, Kind, Run, Series};
use super::marks::{series_label, shorten};
use super::style::{chars_within, colour, hex, text_width, INK, LABEL_SIZE, MUTED};
use super::svg::{num, Svg};

const ROW: f64 = 20.0;
const SWATCH: f64 = 20.0;
const GAP: f64 = 6.0;
const BETWEEN: f64 = 18.0;

/// One line of the legend.
struct Entry {
    label: String,
    colour: String,
    run: Run,
    /// A series with nothing to draw still has its entry, greyed, saying so.
    empty: bool,
}

/// The entries laid out in rows within a width.
pub(super) struct Legend {
    entries: Vec<(Entry, (f64, f64))>,
    rows: usize,
    bars: bool,
}

impl Legend {
    /// The legend of `chart` in `width`; none (height 0) for a lone series, which the title names,
    /// but a stacked chart names each layer it draws (and no other).
    pub fn of(chart: &Chart, width: f64) -> Self {
        let bars = matches!(chart.kind, Kind::Bars { .. } | Kind::Stacked);
        let entries: Vec<Entry> = match (&chart.kind, chart.series.len()) {
            (Kind::Stacked, _) => {
                chart.series.iter().filter(|series| chart.draws(series)).map(|series| entry(chart, series)).collect()
            }
            (_, 0 | 1) => Vec::new(),
            _ => chart.series.iter().map(|series| entry(chart, series)).collect(),
        };
        let (mut x, mut row) = (0.0, 0);
        let mut placed = Vec::new();
        let longest = chars_within(width - SWATCH - GAP, LABEL_SIZE);
        for mut entry in entries {
            entry.label = shorten(&entry.label, longest);
            let size = SWATCH + GAP + text_width(&entry.label, LABEL_SIZE);
            if x > 0.0 && x + size > width {
                (x, row) = (0.0, row + 1);
            }
            placed.push((entry, (x, row as f64 * ROW)));
            x += size + BETWEEN;
        }
        let rows = if placed.is_empty() { 0 } else { row + 1 };
        Self { entries: placed, rows, bars }
    }

    pub fn height(&self) -> f64 {
        self.rows as f64 * ROW
    }

    /// The legend with its first row's top at `(left, top)`.
    pub fn draw(&self, svg: &mut Svg, (left, top): (f64, f64)) {
        if self.entries.is_empty() {
            return;
        }
        svg.open("g", &[("data-legend", "".into()), ("font-size", num(LABEL_SIZE))]);
        for (entry, (x, y)) in &self.entries {
            let (x, middle) = (left + x, top + y + ROW / 2.0);
            self.swatch(svg, entry, (x, middle));
            let ink = hex(if entry.empty { MUTED } else { INK });
            let attributes = [("x", num(x + SWATCH + GAP)), ("y", num(middle)), ("dy", "0.35em".into()), ("fill", ink)];
            svg.with_text("text", &attributes, &entry.label);
        }
        svg.close("g");
    }

    fn swatch(&self, svg: &mut Svg, entry: &Entry, (x, middle): (f64, f64)) {
        svg.open("g", &[("opacity", if entry.empty { "0.35" } else { "1" }.into())]);
        self.shape(svg, entry, (x, middle));
        svg.close("g");
    }

    fn shape(&self, svg: &mut Svg, entry: &Entry, (x, middle): (f64, f64)) {
        let against = entry.run == Run::Against;
        if self.bars {
            let mut attributes = vec![
                ("x", num(x + 4.0)),
                ("y", num(middle - 6.0)),
                ("width", "12".into()),
                ("height", "12".into()),
                ("fill", entry.colour.clone()),
            ];
            if against {
                attributes.extend([
                    ("fill-opacity", "0.3".into()),
                    ("stroke", entry.colour.clone()),
                    ("stroke-dasharray", "3 2".into()),
                ]);
            }
            svg.leaf("rect", &attributes);
            return;
        }
        let mut attributes = vec![
            ("x1", num(x)),
            ("y1", num(middle)),
            ("x2", num(x + SWATCH)),
            ("y2", num(middle)),
            ("stroke", entry.colour.clone()),
            ("stroke-width", "2.5".into()),
        ];
        if against {
            attributes.push(("stroke-dasharray", "5 3".into()));
        }
        svg.leaf("line", &attributes);
    }
}

fn entry(chart: &Chart, series: &Series) -> Entry {
    let empty = !chart.draws(series);
    let mut label = series_label(chart, series);
    if empty {
        label.push_str(" — no data");
    }
    Entry { label, colour: hex(colour(chart.colour_slot(&series.name))), run: series.run, empty }
}
