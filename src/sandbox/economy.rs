//! The sandbox's economy panel: the economy lab (`crate::sim`) run on the catalog in force, so a
//! designer who edits `game_data/` sees the month change beside the chat a moment after the hot
//! reload. A small population (the sandbox runs the dev build); one simulation per catalog
//! version, shared by every request that asks meanwhile; the run of the version before is drawn
//! dashed on the same axes, so an edit's effect shows at a glance.

use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::Mutex;

use crate::domain::Catalog;
use crate::reload::SharedCatalog;
use crate::sim::{self, charts, report, Metrics, Options};

/// The population the panel simulates: about 1,000 players for 30 days (a second or two in a
/// dev build), always from the same seed so two versions differ only by the data.
pub const PANEL_OPTIONS: Options = Options { players: 1_000, days: 30, seed: 1 };

/// The panel's simulations: the one of the catalog in force and the one before it.
#[derive(Clone)]
pub struct EconomyLab {
    catalog: SharedCatalog,
    options: Options,
    runs: Arc<Mutex<Runs>>,
}

#[derive(Default)]
struct Runs {
    last: Option<Run>,
    before: Option<Run>,
}

/// One catalog version's simulation, with the panel's answer for it (drawn once).
struct Run {
    version: String,
    metrics: Arc<Metrics>,
    answer: Arc<String>,
}

impl EconomyLab {
    pub fn new(catalog: SharedCatalog, options: Options) -> Self {
        Self { catalog, options, runs: Arc::default() }
    }

    /// The panel's answer for the catalog in force (simulated now unless it was already):
    /// `{version, against_version, players, days, seed, seconds, summary, charts: [{id, title, svg}]}`,
    /// or why there is nothing to simulate.
    async fn answer(&self) -> Result<Arc<String>, String> {
        let catalog = self.catalog.current();
        if catalog.population.profiles.is_empty() {
            return Err("game_data has no players.toml: the economy lab needs its player profiles \
                        (see game_data/README.md)"
                .to_owned());
        }
        // Held while simulating: a second request for the same version waits for this one's run.
        let mut runs = self.runs.lock().await;
        if let Some(last) = runs.last.as_ref().filter(|last| last.version == catalog.version) {
            return Ok(last.answer.clone());
        }
        let started = Instant::now();
        let options = self.options;
        let simulated = Arc::clone(&catalog);
        let metrics = tokio::task::spawn_blocking(move || sim::simulate(&simulated, &options, |_| true))
            .await
            .map_err(|error| format!("the simulation failed: {error}"))?
            .map_err(|stopped| format!("the simulation stopped after day {}", stopped.days_done))?;
        let metrics = Arc::new(metrics);
        if let Some(last) = runs.last.take() {
            runs.before = Some(last);
        }
        let before = runs.before.as_ref();
        let answer = draw(&catalog, &options, &metrics, before, started.elapsed().as_secs_f64());
        tracing::info!(
            version = %catalog.version,
            seconds = started.elapsed().as_secs_f64(),
            "economy panel: simulated {} players × {} days",
            options.players,
            options.days
        );
        let answer = Arc::new(answer);
        runs.last = Some(Run { version: catalog.version.clone(), metrics, answer: Arc::clone(&answer) });
        Ok(answer)
    }
}

/// The panel's JSON for one simulation, compared with the version before when there is one.
fn draw(catalog: &Catalog, options: &Options, metrics: &Metrics, before: Option<&Run>, seconds: f64) -> String {
    let title = format!("{} players × {} days, seed {}", options.players, options.days, options.seed);
    let mut summary = report::summary(metrics, &title);
    if let Some(before) = before {
        let changes = report::differences(metrics, &before.metrics);
        let changes = if changes.is_empty() { "  nothing changed\n".to_owned() } else { changes };
        summary.push_str(&format!("\nChanges from version {}:\n{changes}", before.version));
    }
    let lines = summary.split_once('\n').map_or("", |(_, rest)| rest);
    let report = charts::report(&title, lines, metrics, before.map(|before| before.metrics.as_ref()));
    let charts: Vec<_> = report
        .charts()
        .map(|chart| json!({ "id": chart.id(), "title": chart.title(), "svg": chart.to_svg() }))
        .collect();
    json!({
        "version": catalog.version,
        "against_version": before.map(|before| before.version.clone()),
        "players": options.players,
        "days": options.days,
        "seed": options.seed,
        "seconds": (seconds * 100.0).round() / 100.0,
        "summary": lines,
        "charts": charts,
    })
    .to_string()
}

/// `GET /sandbox/api/economy`: the panel's answer (200, JSON), or 409 with `{"error"}` when the
/// catalog has no player profiles.
pub async fn economy(lab: EconomyLab) -> Response {
    match lab.answer().await {
        Ok(answer) => {
            ([(axum::http::header::CONTENT_TYPE, "application/json")], answer.as_ref().clone()).into_response()
        }
        Err(error) => (StatusCode::CONFLICT, axum::Json(json!({ "error": error }))).into_response(),
    }
}
