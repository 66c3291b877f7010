//! The game's HTTP API under many players: each arcade run is `POST /api/runs` then
//! `POST /api/runs/{id}/finish` against the real bot, with a signed game token checked on both,
//! the player's API rate limit, gems awarded in Redis and the score sent to Telegram
//! (setGameScore to the emulator). The bench data makes runs one second long, so a run may be
//! finished as soon as it has started (`EARLY_SLACK_MS` is 1.5 s). setGameScore is a send (an
//! edit of the game message) that leaves in the background when the send budget allows; the
//! bot runs with `SEND_LIMITS=off` here (as with paid broadcasts), since Telegram's 30 a second
//! would make this a bench of the budget, not of the API.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{json, Value};

use super::bot::{BenchData, BotProcess, BotSetup, CpuMeter};
use super::monitor::Monitor;
use super::redis::{ceiling_replaying, Counters, Persistence, RedisRow, Target};
use super::{Checks, Stats};
use crate::clock::now_ms;
use crate::config::new_secret;
use crate::config::{Config, SendLimits};
use crate::domain::UserId;
use crate::exit::{Exit, Failure};
use crate::game_link::{ScoreTarget, Session};
use crate::sandbox::emulator::{Emulator, EmulatorConfig};
use crate::store::Store;

/// Player ids start here.
const FIRST_PLAYER: u64 = 3_000_000_000;
/// Runs in the monitored (untimed) pass.
const MONITORED_RUNS: usize = 100;
/// The API's per-player limit; a run makes two calls.
const CALLS_PER_MINUTE: usize = crate::domain::game::API_CALLS_PER_MINUTE as usize;

pub struct Sizes {
    pub players: usize,
    pub runs: usize,
    pub concurrency: usize,
}

/// One run's times.
struct RunTimes {
    start: Duration,
    finish: Duration,
    gems: u64,
}

struct Row {
    label: String,
    runs_per_second: f64,
    start: Stats,
    finish: Stats,
    run: Stats,
    redis: RedisRow,
}

pub async fn bench(config: &Config, sizes: Sizes, modes: &[Persistence]) -> Result<Exit, Failure> {
    // Two calls per run, all within about a minute at worst: stay under the per-player limit.
    let per_player = (sizes.runs + MONITORED_RUNS).div_ceil(sizes.players) * 2;
    if per_player > CALLS_PER_MINUTE {
        let why = format!("{per_player} API calls per player would trip the limit of {CALLS_PER_MINUTE} a minute: use more --players or fewer --runs");
        return Err(Failure::new(Exit::Usage, why));
    }
    let data = BenchData::write(&config.game_data_dir, 100)?;
    let mut checks = Checks::default();
    let mut rows = Vec::new();
    for plan in Target::plans(config, modes) {
        let target = plan.open().await?;
        println!(
            "\n== game API, {}: {} runs by {} players, {} at once",
            target.label, sizes.runs, sizes.players, sizes.concurrency
        );
        rows.push(runs(&data, &target, &sizes, &mut checks).await?);
    }
    println!("\n| redis | runs | players | at once | runs/s | start p50 / p99 / max ms | finish p50 / p99 / max ms | run p50 / p99 / max ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        println!(
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} |",
            row.label,
            sizes.runs,
            sizes.players,
            sizes.concurrency,
            row.runs_per_second,
            row.start.cells(),
            row.finish.cells(),
            row.run.cells()
        );
    }
    RedisRow::print_table("run", rows.iter().map(|row| &row.redis));
    Ok(checks.exit())
}

async fn runs(data: &BenchData, target: &Target, sizes: &Sizes, checks: &mut Checks) -> Result<Row, Failure> {
    let unavailable = |what: String| Failure::new(Exit::Unavailable, what);
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .map_err(|error| unavailable(format!("cannot start the emulator: {error}")))?;
    let secret = new_secret(32);
    let bot = BotProcess::spawn(BotSetup {
        emulator: &emulator,
        redis_url: &target.urls.join(","),
        data,
        send_limits: SendLimits::Off,
        game_secret: Some(&secret),
    })
    .await?;
    let store = Store::connect(&target.urls).await.map_err(|error| unavailable(error.to_string()))?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(sizes.concurrency)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|error| unavailable(error.to_string()))?;
    let api = Api { client, base: format!("http://{}", bot.http) };
    // Game links as the bot signs them for Play on an inline game message.
    let expires_at_ms = now_ms() + 2 * 3600 * 1000;
    let tokens: Vec<String> = (0..sizes.players as u64)
        .map(|n| {
            let target = ScoreTarget::Inline { id: format!("bench-inline-{n}") };
            Session { user: UserId(FIRST_PLAYER + n), target, expires_at_ms }.sign(secret.as_bytes())
        })
        .collect();
    let scores_before = emulator.requests().iter().filter(|r| r.method == "setGameScore").count();

    let before = Counters::read(target.url()).await?;
    let cpu = CpuMeter::start(&bot);
    let started = Instant::now();
    // A player has one open run (a new one closes the previous one unpaid): each player plays
    // their runs one after another, and up to `concurrency` players play at once.
    let players = tokens.len();
    let results: Vec<Result<RunTimes, String>> = futures::stream::iter(0..players)
        .map(|player| {
            let (api, token) = (&api, &tokens[player]);
            async move {
                let mut times = Vec::new();
                for n in (player..sizes.runs).step_by(players) {
                    times.push(api.run(token, n).await);
                }
                futures::stream::iter(times)
            }
        })
        .buffer_unordered(sizes.concurrency)
        .flatten()
        .collect()
        .await;
    let span = started.elapsed();
    let after = Counters::read(target.url()).await?;
    let cpu = cpu.report(span, after.cpu_since(&before));
    let (done, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let done: Vec<RunTimes> = done.into_iter().filter_map(Result::ok).collect();
    let failed: Vec<String> = failed.into_iter().filter_map(Result::err).collect();
    let runs_per_second = done.len() as f64 / span.as_secs_f64().max(1e-9);
    let stats = |pick: fn(&RunTimes) -> Duration| {
        let mut samples: Vec<Duration> = done.iter().map(pick).collect();
        Stats::of(&mut samples)
    };
    let (start, finish, run) = (stats(|t| t.start), stats(|t| t.finish), stats(|t| t.start + t.finish));
    let per_run = after.per_op(&before, sizes.runs);
    println!("{} runs in {:.2} s: {runs_per_second:.0} runs/s", done.len(), span.as_secs_f64());
    println!("  start:  {start}\n  finish: {finish}\n  run:    {run}");
    println!("  Redis per run: {per_run}");
    println!("  {cpu}");
    for failure in failed.iter().take(5) {
        println!("  failed: {failure}");
    }
    checks.check(failed.is_empty(), format!("{} of {} runs failed", failed.len(), sizes.runs));

    // Every gem the API reported is in Redis, and every run's score went to Telegram.
    let awarded: u64 = done.iter().map(|t| t.gems).sum();
    let mut in_redis = 0;
    for n in 0..sizes.players as u64 {
        let state =
            store.load_player(UserId(FIRST_PLAYER + n)).await.map_err(|error| unavailable(error.to_string()))?;
        in_redis += state.stats.gems;
    }
    checks.check(awarded == in_redis, format!("{awarded} gems awarded by the API, {in_redis} in the players' records"));
    // Scores leave in the background: give the last ones a moment.
    let score_calls = || emulator.requests().iter().filter(|r| r.method == "setGameScore").count() - scores_before;
    let waited = Instant::now();
    while score_calls() < done.len() && waited.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let scores = score_calls();
    checks.check(scores == done.len(), format!("{scores} setGameScore calls for {} finished runs", done.len()));

    let monitor = Monitor::start(target.url()).await?;
    // Ten players at a time, each with one run open at most.
    let pass: Vec<Result<RunTimes, String>> = futures::stream::iter(0..MONITORED_RUNS)
        .map(|n| api.run(&tokens[n % players], sizes.runs + n))
        .buffered(10.min(players))
        .collect()
        .await;
    let seen = monitor.finish().await?;
    let pass_failed = pass.iter().filter(|run| run.is_err()).count();
    checks.check(pass_failed == 0, format!("{pass_failed} of {MONITORED_RUNS} monitored runs failed"));
    let requests = seen.print_per_op(MONITORED_RUNS, "run");
    // The rate-limit script (twice per run) takes the same path when replayed; the run scripts
    // are idempotent by run id and would take their short "seen before" path.
    let ceilings = ceiling_replaying(target, &store, &seen, "rate_limit", "API rate limit script (replayed)");
    bot.stop().await;
    let redis = RedisRow { label: target.label.clone(), per_op: per_run, requests, ceilings };
    Ok(Row { label: target.label.clone(), runs_per_second, start, finish, run, redis })
}

/// The game API of the bot under test.
struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    /// Starts a run and finishes it at once with a possible score (varied by `n`).
    async fn run(&self, token: &str, n: usize) -> Result<RunTimes, String> {
        let started = Instant::now();
        let start = self.post(token, "/api/runs", json!({})).await?;
        let start_took = started.elapsed();
        let run_id = start["run_id"].as_str().ok_or_else(|| format!("no run_id in {start}"))?.to_owned();
        let max_score = start["max_score"].as_u64().ok_or_else(|| format!("no max_score in {start}"))?;
        let score = (n as u64 * 7) % (max_score + 1);
        let finishing = Instant::now();
        let finish = self.post(token, &format!("/api/runs/{run_id}/finish"), json!({ "score": score })).await?;
        let finish_took = finishing.elapsed();
        let gems = finish["gems_awarded"].as_u64().ok_or_else(|| format!("no gems_awarded in {finish}"))?;
        Ok(RunTimes { start: start_took, finish: finish_took, gems })
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> Result<Value, String> {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .map_err(|error| format!("{path}: {}", error.without_url()))?;
        let status = response.status();
        let body: Value = response.json().await.map_err(|error| format!("{path}: {}", error.without_url()))?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {body}"));
        }
        Ok(body)
    }
}
