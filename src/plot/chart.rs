//! What a chart shows, as a builder: its kind (lines or stacked bars over a numeric x, or grouped
//! bars over categories), its series, the guides drawn across it and its words.
//! [`Chart::to_svg`] draws it.

use super::{render, stack};

/// Which of two compared runs a series shows. `simulate --against DIR` draws both on the same
/// axes: a series and its `Against` twin share a colour; the twin is dashed (lines) or pale
/// (bars), and the legend says which is which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    Current,
    Against,
}

impl Run {
    /// The word the legend adds after a compared series' name.
    pub(super) fn word(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Against => "against",
        }
    }
}

/// One named series of `(x, y)` points. Points that are not finite are left out, so a NaN
/// never reaches the SVG.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub(super) name: String,
    pub(super) run: Run,
    pub(super) points: Vec<(f64, f64)>,
}

impl Series {
    pub fn new(name: impl Into<String>, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let points = points.into_iter().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
        Self { name: name.into(), run: Run::Current, points }
    }

    /// `values[i]` at x = i: a value per day from day 0, or per category of a bar chart.
    pub fn values(name: impl Into<String>, values: impl IntoIterator<Item = f64>) -> Self {
        Self::new(name, values.into_iter().enumerate().map(|(index, value)| (index as f64, value)))
    }

    /// The same series from the run compared against.
    pub fn against(mut self) -> Self {
        self.run = Run::Against;
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn run(&self) -> Run {
        self.run
    }

    /// Its values by category index: the points whose x is a whole number below `count`.
    pub(super) fn by_category(&self, count: usize) -> Vec<(usize, f64)> {
        let at = |x: f64| (x.fract() == 0.0 && x >= 0.0 && x < count as f64).then_some(x as usize);
        self.points.iter().filter_map(|&(x, y)| Some((at(x)?, y))).collect()
    }
}

/// Lines over a numeric x, bars grouped by category, or bars over a numeric x with the series
/// stacked in them.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    Line,
    /// x = i is `categories[i]`.
    Bars {
        categories: Vec<String>,
    },
    /// A bar at each x the series have a point at, the series its layers in their order.
    Stacked,
}

/// A labelled line across the plot: a reference value (horizontal) or a moment (vertical).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Guide {
    pub at: f64,
    pub label: String,
}

/// A chart: build it, then [`Chart::to_svg`]. Series colours go by the order their names first
/// appear, so charts that add the same names in the same order colour them alike.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) kind: Kind,
    pub(super) x_label: String,
    pub(super) y_label: String,
    pub(super) series: Vec<Series>,
    pub(super) references: Vec<Guide>,
    pub(super) markers: Vec<Guide>,
    pub(super) caption: Option<String>,
    /// What an empty plot says.
    pub(super) empty_text: String,
    /// A range the x axis covers whatever the data (`x_span`).
    pub(super) x_span: Option<(f64, f64)>,
}

impl Chart {
    /// Lines over a numeric x (a simulated day, say). `id` names the chart in its SVG
    /// (`data-chart`), for tests and pages that pick it out.
    pub fn line(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(id.into(), title.into(), Kind::Line)
    }

    /// Bars for each of `categories`, one per series, side by side: a series' bar for
    /// `categories[i]` is its point at x = i (what [`Series::values`] gives).
    pub fn bars<C: Into<String>>(
        id: impl Into<String>,
        title: impl Into<String>,
        categories: impl IntoIterator<Item = C>,
    ) -> Self {
        let categories = categories.into_iter().map(Into::into).collect();
        Self::new(id.into(), title.into(), Kind::Bars { categories })
    }

    /// A bar at each x the series have points at (days, say), each series a layer of it in the
    /// order added: the first at the bottom, positive values piled up from zero and negative
    /// ones down from it, so a bar reaches its x's total. A layer's points at the same x add up;
    /// a layer that is zero at an x draws nothing there, and one that is zero everywhere has no
    /// legend entry either (but keeps its colour slot, so charts given the same layers colour
    /// them alike). The legend names the layers, bottom first, even a lone one.
    pub fn stacked_bars(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self::new(id.into(), title.into(), Kind::Stacked)
    }

    fn new(id: String, title: String, kind: Kind) -> Self {
        Self {
            id,
            title,
            kind,
            x_label: String::new(),
            y_label: String::new(),
            series: Vec::new(),
            references: Vec::new(),
            markers: Vec::new(),
            caption: None,
            empty_text: "No data".into(),
            x_span: None,
        }
    }

    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// A sentence under the chart in a report (not part of the SVG).
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// What the plot says when there is nothing to draw ("No data" unless told).
    pub fn empty_text(mut self, text: impl Into<String>) -> Self {
        self.empty_text = text.into();
        self
    }

    /// An x axis covering at least `from..=to`, whatever the series hold (a month with nothing
    /// in it still shows its days). Not for bars by category, whose x are their categories.
    pub fn x_span(mut self, from: f64, to: f64) -> Self {
        if from.is_finite() && to.is_finite() {
            self.x_span = Some((from.min(to), from.max(to)));
        }
        self
    }

    pub fn series(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// A series of the current run and, when there is a run to compare with, its twin from
    /// that run (marked [`Run::Against`] here).
    pub fn compare(self, current: Series, against: Option<Series>) -> Self {
        let chart = self.series(current);
        match against {
            Some(against) => chart.series(against.against()),
            None => chart,
        }
    }

    /// A horizontal line at `y` with its label ("daily limit 600").
    pub fn reference_y(mut self, y: f64, label: impl Into<String>) -> Self {
        if y.is_finite() {
            self.references.push(Guide { at: y, label: label.into() });
        }
        self
    }

    /// A vertical line at `x` with its label ("sold out, day 12"); on a bar chart x = i is the
    /// i-th category.
    pub fn marker_x(mut self, x: f64, label: impl Into<String>) -> Self {
        if x.is_finite() {
            self.markers.push(Guide { at: x, label: label.into() });
        }
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn series_list(&self) -> &[Series] {
        &self.series
    }

    /// The chart as a standalone SVG document that scales to its container's width. The same
    /// chart always gives the same bytes.
    pub fn to_svg(&self) -> String {
        render::svg(self)
    }

    /// Whether `series` has anything to draw here (a bar chart draws only values at a category,
    /// a stacked layer only values that are not zero).
    pub(super) fn draws(&self, series: &Series) -> bool {
        match &self.kind {
            Kind::Line => !series.points.is_empty(),
            Kind::Bars { categories } => !series.by_category(categories.len()).is_empty(),
            Kind::Stacked => stack::by_x(series).iter().any(|&(_, y)| y != 0.0),
        }
    }

    /// Whether any series comes from a compared run (then the legend names the runs).
    pub(super) fn compares(&self) -> bool {
        self.series.iter().any(|series| series.run == Run::Against)
    }

    /// The colour slot of `name`: the order in which the chart's series names first appear.
    pub(super) fn colour_slot(&self, name: &str) -> usize {
        let mut seen: Vec<&str> = Vec::new();
        for series in &self.series {
            if series.name == name {
                return seen.len();
            }
            if !seen.contains(&series.name.as_str()) {
                seen.push(&series.name);
            }
        }
        seen.len()
    }
}
