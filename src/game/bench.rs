//! `starmine bench`: one tick of the game loop with many loaded players ([`tick`]), and the
//! batch of dig mutations the loop hands to Redis ([`mutations`]), timed in the release binary
//! (method and figures in BENCHMARKS.md).

mod mutations;
mod tick;

use std::time::Duration;

use crate::app::{self, exit, Failure, SharedCatalog};
use crate::config::Config;

/// What `starmine bench` measures.
#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// The full tick schedule with N loaded players: idle, and with a share of them digging.
    Tick {
        #[arg(long, value_delimiter = ',', default_values_t = [10_000, 100_000, 1_000_000])]
        players: Vec<usize>,
        /// Ticks measured per phase.
        #[arg(long, default_value_t = 200)]
        ticks: usize,
        /// Percent of the loaded players who dig in each busy tick.
        #[arg(long, default_value_t = 1.0)]
        dig_percent: f64,
    },
    /// Batches of dig mutations through the loop's I/O task: against REDIS_URL (an empty
    /// database) or, unset, throwaway servers without persistence and with AOF `always`.
    Redis {
        #[arg(long, value_delimiter = ',', default_values_t = [100, 1_000, 10_000])]
        batch: Vec<usize>,
        /// Batches measured per size.
        #[arg(long, default_value_t = 20)]
        batches: usize,
    },
}

/// Runs one benchmark, printing a report on stdout.
pub async fn run(bench: Bench, config: &Config) -> Result<i32, Failure> {
    match bench {
        Bench::Tick { players, ticks, dig_percent } => {
            let catalog = SharedCatalog::new(app::load_catalog(config)?);
            tick::bench(&catalog, &players, ticks.max(1), dig_percent.clamp(0.0, 100.0));
            Ok(exit::OK)
        }
        Bench::Redis { batch, batches } => mutations::bench(config, &batch, batches.max(1)).await,
    }
}

/// The loop's default tick: the budget every figure is compared with.
pub const TICK: Duration = Duration::from_millis(50);

/// Percentiles of a run, in milliseconds.
pub struct Stats {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

impl Stats {
    /// Nearest-rank percentiles of `samples` (sorted in place; at least one sample).
    pub fn of(samples: &mut [Duration]) -> Self {
        samples.sort_unstable();
        let at = |q: f64| {
            let rank = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len());
            ms(samples[rank - 1])
        };
        Self { p50: at(0.50), p99: at(0.99), max: at(1.0) }
    }

    /// `p50 / p99 / max` for a table cell.
    pub fn cells(&self) -> String {
        format!("{:.3} / {:.3} / {:.3}", self.p50, self.p99, self.max)
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms", self.p50, self.p99, self.max)
    }
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
