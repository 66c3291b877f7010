//! `starmine::plot` in a real browser: an example report (every chart kind, a compared run,
//! guides, an all-zero and an empty series, text to escape) written to disk through the library
//! and opened from the file in Chromium by `tests/browser/report.mjs`, at phone (390x844) and
//! desktop (1280x900) size. [`open_report`] drives any report, so the economy lab's own test
//! reuses it.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use starmine::plot::{Chart, Report, Section, Series};

use crate::browser::{assert_prerequisites, chromium, repo, screenshot_dir};

/// Opens the report at `html` in Chromium and checks that its charts are exactly `expected`
/// (chart id, series drawn), in order, each series drawn inside its SVG; screenshots go to
/// `test-artifacts/browser/<test>/`, with a copy of the report to open by hand. Returns the driver's JSON (sizes, charts, screenshots).
pub fn open_report(html: &Path, expected: &[(&str, usize)], test: &str) -> Value {
    assert_prerequisites();
    let charts: Vec<Value> = expected.iter().map(|(id, series)| json!({ "id": id, "series": series })).collect();
    let expect = html.with_file_name("expect.json");
    std::fs::write(&expect, json!({ "charts": charts }).to_string()).expect("the expectations are written");
    let screenshots = screenshot_dir(test);
    std::fs::create_dir_all(&screenshots).expect("the screenshot folder is made");
    std::fs::copy(html, screenshots.join("report.html")).expect("the report is kept beside its screenshots");
    let output = Command::new("node")
        .arg("tests/browser/report.mjs")
        .current_dir(repo())
        .env("REPORT", html)
        .env("EXPECT", &expect)
        .env("SCREENSHOT_DIR", &screenshots)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "report.mjs failed ({}):\n{stderr}", output.status);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let out: Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|error| panic!("the driver prints one JSON line ({error}): {stdout}"));
    for shot in out["screenshots"].as_array().expect("screenshots") {
        let shot = Path::new(shot.as_str().expect("a path"));
        assert!(shot.starts_with(&screenshots), "{}", shot.display());
        assert!(std::fs::metadata(shot).is_ok_and(|meta| meta.len() > 10_000), "{} is a picture", shot.display());
    }
    out
}

/// A month of `f(day)` for days 0..30, rounded.
fn month(f: impl Fn(f64) -> f64) -> Vec<f64> {
    (0..30).map(|day| f(f64::from(day)).round()).collect()
}

fn running_total(values: &[f64]) -> Vec<f64> {
    values
        .iter()
        .scan(0.0, |sum, value| {
            *sum += value;
            Some(*sum)
        })
        .collect()
}

/// An economy-like report with the charts the economy lab draws.
fn example() -> Report {
    let revenue = month(|d| 420.0 + 180.0 * (d / 4.0).sin() + d * 6.0);
    let revenue_before = month(|d| 380.0 + 150.0 * (d / 4.0).sin() + d * 3.0);
    let items = [
        "Energy Refill",
        "Rush Hour",
        "Stopwatch",
        "Gold Skin",
        "Crate & Key <limited>",
        "Gem Pack",
        "Big Gem Pack",
        "Lucky Charm",
        "Drill Upgrade Bundle",
        "Starter Bundle",
    ];
    let money = Section::new("Money")
        .note("Stars paid per day by the whole population, this catalog against the one before.")
        .chart(
            Chart::line("revenue", "Stars revenue per day")
                .x_label("day")
                .y_label("Stars")
                .compare(
                    Series::values("revenue", revenue.clone()),
                    Some(Series::values("revenue", revenue_before.clone())),
                )
                .reference_y(700.0, "target 700")
                .marker_x(12.0, "Crate sold out, day 12"),
        )
        .chart(
            Chart::line("cumulative", "Cumulative Stars revenue")
                .x_label("day")
                .y_label("Stars")
                .compare(
                    Series::values("revenue", running_total(&revenue)),
                    Some(Series::values("revenue", running_total(&revenue_before))),
                )
                .caption("The month ends 2,900 Stars ahead of the old catalog."),
        );
    let gems = Section::new("Gems")
        .chart(
            Chart::line("gems", "Gems created vs spent, and in circulation")
                .x_label("day")
                .y_label("gems")
                .compare(
                    Series::values("created", month(|d| 9_000.0 + d * 120.0)),
                    Some(Series::values("created", month(|d| 9_000.0 + d * 60.0))),
                )
                .compare(
                    Series::values("spent", month(|d| 7_000.0 + d * 150.0)),
                    Some(Series::values("spent", month(|d| 7_500.0 + d * 40.0))),
                )
                .compare(Series::values("in circulation", month(|d| 2_000.0 + d * 400.0)), None),
        )
        .chart(
            Chart::line("arcade", "Arcade gems per player per day")
                .x_label("day")
                .y_label("gems")
                .series(Series::values("big spenders", month(|d| 450.0 + d * 8.0)))
                .series(Series::values("non-payers", month(|d| 120.0 + d * 2.0)))
                .reference_y(600.0, "daily limit 600"),
        );
    let players = Section::new("Players")
        .chart(
            Chart::line("levels", "Drill level by profile")
                .x_label("day")
                .y_label("level")
                .series(Series::values("non-payers", month(|d| (d / 6.0).floor())))
                .series(Series::values("small spenders", month(|d| (d / 4.0).floor())))
                .series(Series::values("big spenders", month(|d| (d / 2.5).floor().min(10.0)))),
        )
        .chart(
            Chart::bars(
                "zones",
                "Players by depth zone",
                ["Topsoil", "Clay", "Stone", "Crystal caves", "Magma", "Core"],
            )
            .x_label("zone")
            .y_label("players")
            .compare(
                Series::values("players", [3_100.0, 2_600.0, 2_100.0, 1_300.0, 700.0, 200.0]),
                Some(Series::values("players", [3_500.0, 2_900.0, 1_900.0, 1_000.0, 600.0, 100.0])),
            ),
        );
    let shop = Section::new("Shop")
        .chart(
            Chart::bars("purchases", "Purchases by item", items)
                .y_label("purchases")
                .compare(
                    Series::values(
                        "bought",
                        [5_200.0, 2_100.0, 900.0, 650.0, 400.0, 1_800.0, 760.0, 320.0, 210.0, 1_500.0],
                    ),
                    Some(Series::values(
                        "bought",
                        [4_800.0, 2_300.0, 950.0, 500.0, 400.0, 1_600.0, 700.0, 300.0, 0.0, 1_450.0],
                    )),
                )
                .series(Series::values("refunded", [40.0, 12.0, 3.0, 8.0, 0.0, 20.0, 9.0, 2.0, 1.0, 15.0])),
        )
        .chart(
            Chart::line("stock", "Crate & Key <limited>: stock left")
                .x_label("day")
                .y_label("units")
                .series(Series::values("stock", month(|d| (400.0 - d * 34.0).max(0.0))))
                .series(Series::values("restocked", [0.0; 30]))
                .series(Series::new("returned", []))
                .marker_x(12.0, "sold out, day 12"),
        );
    Report::new("Economy lab — 10,000 players × 30 days")
        .summary([
            "players 10,000 · days 30 · seed 7 · against game_data.old/",
            "",
            "                      current     against      change",
            "Stars revenue         16,437      13,512      +2,925 (+21.6%)",
            "paying share           11.2%       10.8%       +0.4 pt",
            "gems in circulation   13,600      12,100      +1,500",
        ])
        .section(money)
        .section(gems)
        .section(players)
        .section(shop)
}

#[test]
fn an_example_report_renders_every_chart_with_its_series_in_chromium() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let html = dir.path().join("report.html");
    let report = example();
    std::fs::write(&html, report.to_html()).expect("the report is written");
    let expected = [
        ("revenue", 2),
        ("cumulative", 2),
        ("gems", 5),
        ("arcade", 2),
        ("levels", 3),
        ("zones", 2),
        ("purchases", 3),
        // "returned" has no points: in the legend ("no data"), not drawn.
        ("stock", 2),
    ];
    let out = open_report(&html, &expected, "an_example_report_renders_every_chart_with_its_series_in_chromium");
    let columns: Vec<(&str, u64)> = out["sizes"]
        .as_array()
        .expect("sizes")
        .iter()
        .map(|size| (size["name"].as_str().unwrap_or_default(), size["columns"].as_u64().unwrap_or_default()))
        .collect();
    assert_eq!(columns[0], ("phone", 1), "one column on a phone: {columns:?}");
    assert!(columns[1].0 == "desktop" && columns[1].1 >= 2, "a grid on a desktop: {columns:?}");
    let phone = &out["sizes"][0]["charts"];
    let gems: Vec<(&str, &str)> = phone[2]["series"]
        .as_array()
        .expect("the gems chart's series")
        .iter()
        .map(|series| (series["name"].as_str().unwrap_or_default(), series["run"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        gems,
        [
            ("created", "against"),
            ("spent", "against"),
            ("created", "current"),
            ("spent", "current"),
            ("in circulation", "current")
        ],
        "the compared run is drawn first, under the current one"
    );
    assert_eq!(
        report.to_html(),
        std::fs::read_to_string(&html).expect("the report reads back"),
        "the same bytes again"
    );
}
