//! `starmine bench`: benchmarks built into the release binary (method and figures in
//! BENCHMARKS.md). Two of the game loop, driving its parts directly: one tick with many loaded
//! players ([`tick`]) and the batch of dig mutations the loop hands to Redis ([`mutations`]); and
//! three of the whole bot, run as a child process against the Bot API emulator:
//! a flash sale ([`flash_sale`]), the purchase flow ([`purchase_flow`]) and the game's HTTP API
//! ([`game_api`]). Shared machinery: [`redis`] (servers, counters, ceiling), [`monitor`]
//! (requests per operation) and [`bot`].
//!
//! They are benchmarks, not tests: nothing asserts on a time. Each checks the correctness
//! facts of its run and exits non-zero when one is violated.

pub mod bot;
mod flash_sale;
mod game_api;
pub mod monitor;
mod mutations;
mod purchase_flow;
pub mod redis;
mod tick;

use std::time::Duration;

use crate::config::Config;
use crate::exit::{Exit, Failure};
use crate::reload::SharedCatalog;
use redis::Persistence;

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
    /// A flash sale through the real bot: every player pre-checks out a limited item in one
    /// burst; exactly `units` must be approved, every query answered before the deadline.
    FlashSale {
        #[arg(long, default_value_t = 20_000)]
        players: usize,
        #[arg(long, default_value_t = 100)]
        units: u32,
        /// Throwaway Redis servers to run against (ignored when REDIS_URL is set).
        #[arg(long, value_enum, value_delimiter = ',', default_values = ["none", "aof-always"])]
        redis: Vec<Persistence>,
    },
    /// Invoice, pre-checkout, payment and use through the real bot: flows/s with the send limits
    /// lifted, then with Telegram's limits enforced (the outbox's sends/s and the 429s).
    PurchaseFlow {
        /// Flows in the unlimited phase (one player each).
        #[arg(long, default_value_t = 5_000)]
        flows: usize,
        /// Players in flight at once in the unlimited phase.
        #[arg(long, default_value_t = 1_000)]
        concurrency: usize,
        /// Players who each make one flow at once in the limited phase (0 skips it).
        #[arg(long, default_value_t = 300)]
        limited_players: usize,
        #[arg(long, value_enum, value_delimiter = ',', default_values = ["none", "aof-always"])]
        redis: Vec<Persistence>,
    },
    /// Arcade runs through the game's HTTP API of the real bot: start and finish, with game
    /// tokens checked, gems awarded and the score sent to Telegram.
    GameApi {
        #[arg(long, default_value_t = 2_000)]
        players: usize,
        #[arg(long, default_value_t = 20_000)]
        runs: usize,
        /// Runs in flight at once.
        #[arg(long, default_value_t = 1_000)]
        concurrency: usize,
        #[arg(long, value_enum, value_delimiter = ',', default_values = ["none", "aof-always"])]
        redis: Vec<Persistence>,
    },
}

/// Runs one benchmark, printing a report on stdout.
pub async fn run(bench: Bench, config: &Config) -> Result<Exit, Failure> {
    match bench {
        Bench::Tick { players, ticks, dig_percent } => {
            let catalog = SharedCatalog::new(crate::reload::load_catalog(&config.game_data_dir)?);
            tick::bench(&catalog, &players, ticks.max(1), dig_percent.clamp(0.0, 100.0));
            Ok(Exit::Ok)
        }
        Bench::Redis { batch, batches } => mutations::bench(config, &batch, batches.max(1)).await,
        Bench::FlashSale { players, units, redis } => flash_sale::bench(config, players.max(1), units, &redis).await,
        Bench::PurchaseFlow { flows, concurrency, limited_players, redis } => {
            let sizes = purchase_flow::Sizes { flows: flows.max(1), concurrency: concurrency.max(1), limited_players };
            purchase_flow::bench(config, sizes, &redis).await
        }
        Bench::GameApi { players, runs, concurrency, redis } => {
            let sizes = game_api::Sizes { players: players.max(1), runs: runs.max(1), concurrency: concurrency.max(1) };
            game_api::bench(config, sizes, &redis).await
        }
    }
}

/// Percentiles of a run, in milliseconds.
pub struct Stats {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

impl Stats {
    /// Nearest-rank percentiles of `samples` (sorted in place; at least one sample).
    pub fn of(samples: &mut [Duration]) -> Self {
        if samples.is_empty() {
            return Self { p50: f64::NAN, p99: f64::NAN, max: f64::NAN };
        }
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

/// Collects the correctness facts a benchmark checks: each is printed as `check: ... ok` or
/// `check: ... FAILED`; any failure makes the command exit with [`Exit::Refused`].
#[derive(Default)]
pub struct Checks {
    failed: usize,
}

impl Checks {
    pub fn check(&mut self, holds: bool, fact: impl std::fmt::Display) {
        if holds {
            println!("check: {fact}: ok");
        } else {
            self.failed += 1;
            println!("check: {fact}: FAILED");
        }
    }

    pub fn exit(&self) -> Exit {
        if self.failed == 0 {
            Exit::Ok
        } else {
            println!("{} check(s) FAILED", self.failed);
            Exit::Refused
        }
    }
}
