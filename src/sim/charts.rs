//! The economy lab's report: the plots of a simulation drawn from its [`Metrics`] with
//! [`crate::plot`], each with the other catalog's run on the same axes when there is one
//! (`--against`). Series of the two runs are matched by name (an item, profile, track or zone id),
//! so a catalog that adds or drops one still compares.

use crate::plot::{Chart, Report, Section, Series};

use super::metrics::{Day, Metrics};

/// The whole report: `summary` (the text `simulate` prints) over the plots.
pub fn report(title: &str, summary: &str, current: &Metrics, against: Option<&Metrics>) -> Report {
    let runs = Runs { current, against };
    Report::new(title)
        .summary(summary.lines())
        .section(money(&runs))
        .section(shop(&runs))
        .section(gems(&runs))
        .section(progress(&runs))
        .section(energy(&runs))
}

/// The simulation to draw and the one to compare it with.
struct Runs<'a> {
    current: &'a Metrics,
    against: Option<&'a Metrics>,
}

impl Runs<'_> {
    /// `name`'s series by day in both runs: `value` of each day (None: the run has no such series).
    fn daily(&self, name: &str, value: &Value<'_>) -> (Series, Option<Series>) {
        let series = |metrics: &Metrics| -> Option<Series> {
            let points: Option<Vec<(f64, f64)>> =
                (0..metrics.days.len()).map(|at| value(metrics, at).map(|value| (at as f64 + 1.0, value))).collect();
            points.map(|points| Series::new(name, points))
        };
        let current = series(self.current).unwrap_or_else(|| Series::new(name, []));
        (current, self.against.and_then(series))
    }

    /// A line chart over the days with one compared series per (name, value).
    fn lines<'v>(&self, chart: Chart, series: impl IntoIterator<Item = (String, Value<'v>)>) -> Chart {
        series.into_iter().fold(chart.x_label("day"), |chart, (name, value)| {
            let (current, against) = self.daily(&name, &value);
            chart.compare(current, against)
        })
    }

    /// Grouped bars over the union of both runs' `names` (the current run's order first), one
    /// bar per run: `value(metrics, index of the name in that run)`.
    fn bars(
        &self,
        chart: (&str, &str),
        series: &str,
        names: impl Fn(&Metrics) -> &[String],
        value: impl Fn(&Metrics, usize) -> f64,
    ) -> Chart {
        let mut categories: Vec<String> = names(self.current).to_vec();
        if let Some(against) = self.against {
            categories
                .extend(names(against).iter().filter(|name| !categories.contains(name)).cloned().collect::<Vec<_>>());
        }
        let bars = |metrics: &Metrics| {
            let values = categories.iter().map(|name| index(names(metrics), name).map_or(0.0, |at| value(metrics, at)));
            Series::values(series, values.collect::<Vec<_>>())
        };
        let (id, title) = chart;
        Chart::bars(id, title, categories.clone()).compare(bars(self.current), self.against.map(bars))
    }
}

fn index(names: &[String], name: &str) -> Option<usize> {
    names.iter().position(|candidate| candidate == name)
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        part / whole
    }
}

/// One value of a series: of the run's day at an index, None when the run has no such series.
type Value<'a> = Box<dyn Fn(&Metrics, usize) -> Option<f64> + 'a>;

/// A series' name and how to read it from a run's day.
fn named<'a>(name: &str, value: impl Fn(&Metrics, usize) -> Option<f64> + 'a) -> (String, Value<'a>) {
    (name.to_owned(), Box::new(value))
}

/// A series read from each day alone.
fn each_day<'a>(name: &str, value: impl Fn(&Metrics, &Day) -> f64 + 'a) -> (String, Value<'a>) {
    named(name, move |metrics, at| Some(value(metrics, &metrics.days[at])))
}

fn money(runs: &Runs<'_>) -> Section {
    let revenue = runs.lines(
        Chart::line("revenue", "Stars revenue per day").y_label("Stars"),
        [each_day("revenue", |_: &Metrics, day: &Day| day.revenue as f64)],
    );
    let cumulative = runs.lines(
        Chart::line("revenue_cumulative", "Cumulative Stars revenue").y_label("Stars"),
        [named("revenue", |metrics: &Metrics, at: usize| {
            Some(metrics.days[..=at].iter().map(|day| day.revenue as f64).sum())
        })],
    );
    let paying = runs.lines(
        Chart::line("paying_share", "Paying players, % of those who played").y_label("%"),
        [
            each_day("paid that day", |_: &Metrics, day: &Day| {
                ratio(f64::from(day.payers), f64::from(day.active)) * 100.0
            }),
            each_day("ever paid", |metrics: &Metrics, day: &Day| {
                ratio(f64::from(day.payers_ever), f64::from(metrics.players)) * 100.0
            }),
        ],
    );
    let arppu = runs.lines(
        Chart::line("revenue_per_payer", "Stars per paying player").y_label("Stars"),
        [each_day("that day", |_: &Metrics, day: &Day| ratio(day.revenue as f64, f64::from(day.payers)))],
    );
    let active = runs.lines(
        Chart::line("active", "Players who played").y_label("players"),
        [each_day("active", |_: &Metrics, day: &Day| f64::from(day.active))],
    );
    Section::new("Money").chart(revenue).chart(cumulative).chart(paying).chart(arppu).chart(active)
}

fn shop(runs: &Runs<'_>) -> Section {
    let bought = runs
        .bars(
            ("purchases", "Units bought by item"),
            "units",
            |metrics| &metrics.items,
            |metrics, at| metrics.units(at) as f64,
        )
        .x_label("item")
        .y_label("units");
    let stars = runs
        .bars(
            ("item_revenue", "Stars by item"),
            "Stars",
            |metrics| &metrics.items,
            |metrics, at| metrics.revenue_of(at) as f64,
        )
        .x_label("item")
        .y_label("Stars");
    let mut section = Section::new("Shop").chart(bought).chart(stars);
    for (limited, (item, stock)) in runs.current.limited.iter().enumerate() {
        section = section.chart(stock_chart(runs, &runs.current.items[*item], *stock, limited));
    }
    section
}

/// Units left of one limited item by day, with the day it sold out marked.
fn stock_chart(runs: &Runs<'_>, item: &str, stock: u32, limited: usize) -> Chart {
    let left = |metrics: &Metrics, day: usize| -> Option<f64> {
        let at = index(&metrics.items, item)?;
        let slot = metrics.limited.iter().position(|(candidate, _)| *candidate == at)?;
        Some(metrics.days[day].stock_left[slot] as f64)
    };
    let title = format!("{item}: stock left (of {stock})");
    let chart = runs.lines(Chart::line(format!("stock_{item}"), title).y_label("units"), [named("left", left)]);
    match runs.current.sold_out_day(limited) {
        Some(day) => chart.marker_x(f64::from(day), format!("sold out, day {day}")),
        None => chart,
    }
}

fn gems(runs: &Runs<'_>) -> Section {
    let flows = runs.lines(
        Chart::line("gems_flow", "Gems created and spent per day").y_label("gems"),
        [
            each_day("created", |_: &Metrics, day: &Day| day.gems_created() as f64),
            each_day("spent", |_: &Metrics, day: &Day| day.gems_spent() as f64),
        ],
    );
    let held = runs.lines(
        Chart::line("gems_held", "Gems in circulation").y_label("gems"),
        [each_day("held", |_: &Metrics, day: &Day| day.gems_held as f64)],
    );
    let limit = f64::from(runs.current.arcade_gems_per_day);
    let arcade = runs
        .lines(
            Chart::line("arcade", "Arcade gems per player who played").y_label("gems"),
            [each_day("awarded", |_: &Metrics, day: &Day| ratio(day.gems_arcade as f64, f64::from(day.active)))],
        )
        .reference_y(limit, format!("daily limit {limit}"));
    let capped = runs.lines(
        Chart::line("arcade_capped", "Players who reached the daily arcade limit, %").y_label("%"),
        [each_day("at the limit", |_: &Metrics, day: &Day| {
            ratio(f64::from(day.arcade_capped_players), f64::from(day.active)) * 100.0
        })],
    );
    Section::new("Gems")
        .note("Created: digs, arcade runs and gem packs. Spent: upgrade levels and cosmetics.")
        .chart(flows)
        .chart(held)
        .chart(arcade)
        .chart(capped)
}

fn progress(runs: &Runs<'_>) -> Section {
    let mut section = Section::new("Players").note("Mean upgrade level of each profile's players who still play.");
    for profile in &runs.current.profiles {
        let tracks = runs.current.tracks.iter().map(|track| {
            let (profile, track) = (profile.clone(), track.clone());
            let name = track.clone();
            named(&name, move |metrics: &Metrics, at: usize| {
                let (p, t) = (index(&metrics.profiles, &profile)?, index(&metrics.tracks, &track)?);
                Some(metrics.mean_level(at, p, t))
            })
        });
        let chart = Chart::line(format!("levels_{profile}"), format!("Upgrade levels: {profile}")).y_label("level");
        section = section.chart(runs.lines(chart, tracks.collect::<Vec<_>>()));
    }
    let zones = runs
        .bars(
            ("zones", "Players by depth zone at the end"),
            "players",
            |metrics| &metrics.zones,
            |metrics, at| metrics.days.last().map_or(0.0, |day| f64::from(day.zone_players[at])),
        )
        .x_label("zone")
        .y_label("players");
    let digs = runs
        .bars(
            ("digs_by_zone", "Digs by zone, whole run"),
            "digs",
            |metrics| &metrics.zones,
            |metrics, at| metrics.days.iter().map(|day| day.digs_by_zone[at] as f64).sum(),
        )
        .x_label("zone")
        .y_label("digs");
    section.chart(zones).chart(digs)
}

fn energy(runs: &Runs<'_>) -> Section {
    let chart = runs.lines(
        Chart::line("energy", "Energy spent, regenerated and refilled per day").y_label("points"),
        [
            each_day("spent", |_: &Metrics, day: &Day| day.energy_spent as f64),
            each_day("regenerated", |_: &Metrics, day: &Day| day.energy_regenerated as f64),
            each_day("refilled by items", |_: &Metrics, day: &Day| day.energy_refilled as f64),
        ],
    );
    Section::new("Energy").chart(chart)
}
