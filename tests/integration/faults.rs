//! Fault tests: a seeded stream of purchases (some paid twice at once, some in bursts for the
//! limited items), player, admin and CLI refunds, disputes, duplicate and lost deliveries from
//! several players, and two attacks by someone holding the webhook secret (a real charge
//! replayed under another payer, a made-up charge id for a real order), while the bot is
//! `kill -9`ed and restarted at random points and Redis is SIGKILLed and restarted from its AOF
//! under load. Then everything settles, `starmine reconcile` repairs what was lost and voids
//! what Telegram never charged, and the books are checked against the Star ledger, by the
//! test's own checks and by `starmine audit`.
//!
//! Every random choice (operations, players, items, kill points, downtimes) comes from one
//! printed seed: replay a run with `FAULT_SEED=<n> cargo test --test integration faults`.
//! Here: the bots, the kills and restarts, settling and the verdict; `driver.rs` picks and plays
//! the operations; `books.rs` checks the books.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use tokio::task::JoinSet;

use crate::harness::{Peer, TestApp};
use crate::support::{route_webhook, spawn_webhook, spawn_with_env};

use self::books::{check_books, records};
use self::driver::{Driver, Stats};

mod books;
mod driver;

/// The seed when `FAULT_SEED` is not set, so CI runs are deterministic.
const DEFAULT_SEED: u64 = 6_060_606;
const PLAYERS: [i64; 6] = [6101, 6102, 6103, 6104, 6105, 6106];
/// Items bought, with weights: the limited ones most (`rare` stock 3, `golden` stock 2, `crate`
/// 2 per player), a bundle, a gem pack, a consumable and a permanent tool.
const ITEMS: [(&str, u32); 7] =
    [("rare", 4), ("golden", 3), ("crate", 3), ("starter", 2), ("gem_pack", 2), ("energy", 2), ("pickaxe", 1)];
/// Operations in the stream (each followed by a short random pause).
const STEPS: usize = 160;
/// `kill -9` of the bot, at this many random steps.
const BOT_KILLS: usize = 5;
/// `/buy` commands one player sends at most (the bot serves 20 a minute; duplicates count).
const BUYS_PER_PLAYER: usize = 12;
/// Each attack (a replayed charge, a made-up charge id) at least this many times per stream.
const ATTACKS: usize = 3;
/// How long an op waits for its invoice (the bot may be down meanwhile).
const INVOICE_WAIT: Duration = Duration::from_secs(8);

fn seed() -> u64 {
    let seed = match std::env::var("FAULT_SEED") {
        Ok(text) if !text.trim().is_empty() => text.trim().parse().expect("FAULT_SEED is an unsigned integer"),
        _ => DEFAULT_SEED,
    };
    println!("FAULT_SEED={seed}");
    seed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn books_balance_across_kill9_redis_crashes_and_duplicates() {
    fault_stream(false).await;
}

/// The same stream with two `serve` processes behind the webhook on one Redis (the emulator
/// spreads deliveries and moves on from a dead one); each kill takes one of them down.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_webhook_processes_keep_the_books_across_kill9_and_redis_crashes() {
    fault_stream(true).await;
}

const HOOK_URL: &str = "https://starmine.test/telegram/faults";
/// Made-up charges are voided by the settling `starmine reconcile` (and the bots' own passes).
const GRACE: (&str, &str) = ("LEDGER_GRACE_S", "2");

/// The bot processes under test: one polling, or two behind the webhook.
struct Bots {
    app: TestApp,
    peer: Option<Peer>,
}

impl Bots {
    async fn start(webhook: bool) -> Self {
        if !webhook {
            return Self { app: spawn_with_env(&[GRACE]).await, peer: None };
        }
        let app = spawn_webhook(HOOK_URL, "faults_webhook_secret_0123", &[GRACE]).await;
        let peer = Some(app.spawn_peer("peer").await);
        let bots = Self { app, peer };
        bots.route().await;
        bots
    }

    /// Points the emulator's load balancer at the running processes (webhook mode).
    async fn route(&self) {
        let Some(peer) = &self.peer else { return };
        route_webhook(&self.app, HOOK_URL, &[self.app.http_addr().await, peer.http_addr().await]).await;
    }

    /// `kill -9` of one process (the peer when `peer`); returns what was killed.
    async fn kill9(&mut self, peer: bool) -> bool {
        match (&mut self.peer, peer) {
            (Some(process), true) => {
                process.kill9().await;
                true
            }
            _ => {
                self.app.kill9().await;
                false
            }
        }
    }

    async fn restart(&mut self, peer: bool) {
        if peer {
            self.peer = Some(self.app.spawn_peer("peer").await);
        } else {
            self.app.restart().await;
        }
        self.route().await;
    }
}

async fn fault_stream(webhook: bool) {
    let seed = seed();
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut kill_at = BTreeSet::new();
    while kill_at.len() < BOT_KILLS {
        kill_at.insert(rng.random_range(4..STEPS - 4));
    }
    let redis_at = loop {
        let step = rng.random_range(STEPS / 3..2 * STEPS / 3);
        if !kill_at.contains(&step) {
            break step;
        }
    };
    println!("bot kill -9 before steps {kill_at:?}; Redis SIGKILL before step {redis_at}");
    // Besides the random ones, each attack at least this often, at seeded steps.
    let attack_at: Vec<usize> = (0..ATTACKS * 2).map(|_| rng.random_range(STEPS / 4..STEPS - 2)).collect();

    let mut bots = Bots::start(webhook).await;
    let stats = Stats::default();
    let mut driver = Driver { rng, tasks: JoinSet::new(), stats: stats.clone(), buys: HashMap::new(), twice: false };
    for step in 0..STEPS {
        if kill_at.contains(&step) {
            // Mostly with purchases in flight: a burst, then the kill a random moment later.
            if driver.rng.random_bool(0.6) {
                driver.buy(&bots.app, &PLAYERS);
            }
            tokio::time::sleep(Duration::from_millis(driver.rng.random_range(0..500))).await;
            // Half the kills freeze Redis writes first, so every handler in flight stops at its
            // next write and the kill lands between two steps of whatever it was doing.
            let between_writes = driver.rng.random_bool(0.5);
            if between_writes {
                // With refunds in flight: several at once, frozen a few milliseconds in.
                driver.refund_storm(&bots.app);
                tokio::time::sleep(Duration::from_millis(driver.rng.random_range(0..25))).await;
                pause_writes(&bots.app, true).await;
                tokio::time::sleep(Duration::from_millis(driver.rng.random_range(50..300))).await;
            }
            // (Polling mode draws nothing here, so its seeds replay as before.)
            let peer = bots.peer.is_some() && driver.rng.random_bool(0.5);
            let peer = bots.kill9(peer).await;
            if between_writes {
                pause_writes(&bots.app, false).await;
            }
            stats.bump(if between_writes { "bot kill -9 between Redis writes" } else { "bot kill -9" });
            if peer {
                stats.bump("of them the second process");
            }
            // The emulator keeps queuing updates and pre-checkouts while the bot is down.
            for _ in 0..driver.rng.random_range(0..=3) {
                driver.step(&bots.app).await;
            }
            bots.restart(peer).await;
        }
        if step == redis_at {
            driver.buy(&bots.app, &PLAYERS);
            tokio::time::sleep(Duration::from_millis(driver.rng.random_range(0..500))).await;
            bots.app.kill9_redis();
            stats.bump("redis kill -9");
            for _ in 0..driver.rng.random_range(1..=4) {
                driver.step(&bots.app).await;
            }
            bots.app.restart_redis().await;
        }
        for (index, _) in attack_at.iter().enumerate().filter(|(_, at)| **at == step) {
            match index % 2 {
                0 => driver.replay_attack(&bots.app),
                _ => driver.made_up_charge(&bots.app, PLAYERS[index % PLAYERS.len()]),
            }
        }
        driver.step(&bots.app).await;
    }
    bots.app.emulator.deliver_twice(false);
    let stream = started.elapsed();
    while let Some(joined) = driver.tasks.join_next().await {
        joined.expect("a stream task");
    }
    let tasks = started.elapsed();

    // Settle: the bot drains its queue and its refund retry loop finishes refunds in doubt;
    // then reconciliation repairs what the kills and the Redis crash lost.
    let quiet = settle(&bots.app, Duration::from_secs(22)).await;
    let first = reconcile(&bots.app).await;
    let quiet_again = settle(&bots.app, Duration::from_secs(8)).await;
    let second = reconcile(&bots.app).await;
    let settled = started.elapsed();
    println!("stream: {:?}", stats.snapshot());
    println!("reconcile: {first}\nreconcile again: {second}");
    println!("quiet before reconcile: {quiet}, after: {quiet_again}");
    println!("outcomes: {:?}", outcomes(&bots.app).await);
    let log = bots.app.log() + &bots.peer.as_ref().map(Peer::log).unwrap_or_default();
    let repairs = |phrase: &str| log.matches(phrase).count();
    println!(
        "the journal replayed {} payment updates; the bot's own reconciliation passes repaired {} payments and {} refunds; {} bot runs",
        repairs("replaying an unfinished payment update"),
        repairs("reconciliation: a payment our records miss"),
        repairs("reconciliation: a refund our records miss"),
        repairs("===== harness: bot"),
    );

    let problems = check_books(&bots.app).await;
    println!(
        "timings: stream {stream:.1?}, tasks joined {tasks:.1?}, settled {settled:.1?}, checked {:.1?}",
        started.elapsed()
    );
    let repaired_twice = ["payments_recovered", "payments_refunded", "refunds_recovered"]
        .iter()
        .filter(|field| second[**field].as_u64() != Some(0))
        .count();
    assert!(
        problems.is_empty() && repaired_twice == 0,
        "FAULT_SEED={seed}: the books do not balance:\n{}\nsecond reconcile: {second}\n\
         the bot's log about those charges:\n{}",
        problems.join("\n"),
        log_about(&log, &problems)
    );
}

/// `CLIENT PAUSE WRITE` (at most 5 s) or `CLIENT UNPAUSE`: scripts that write wait meanwhile.
async fn pause_writes(app: &TestApp, pause: bool) {
    let mut command = redis::cmd("CLIENT");
    match pause {
        true => command.arg("PAUSE").arg(5000).arg("WRITE"),
        false => command.arg("UNPAUSE"),
    };
    let _: () = command.query_async(&mut app.redis().await).await.expect("CLIENT PAUSE/UNPAUSE");
}

/// The bot's log lines that mention a charge named in `problems`.
fn log_about(log: &str, problems: &[String]) -> String {
    let mut charges: Vec<&str> = problems
        .iter()
        .flat_map(|problem| problem.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|word| word.starts_with("stx"))
        .collect();
    charges.sort_unstable();
    charges.dedup();
    let lines: Vec<&str> =
        log.lines().filter(|line| line.contains("=====") || charges.iter().any(|c| line.contains(c))).collect();
    lines.join("\n")
}

/// Waits until nothing moves: no update waiting in the emulator and no refund in flight
/// (refund_pending), three times in a row. False when `timeout` passed first.
async fn settle(app: &TestApp, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    let mut calm = 0;
    while Instant::now() < deadline {
        let idle = app.emulator.pending_updates().is_empty()
            && records(app)
                .await
                .iter()
                .all(|record| record.fields.get("status").map(String::as_str) != Some("refund_pending"));
        calm = if idle { calm + 1 } else { 0 };
        if calm >= 3 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

/// How the recorded payments ended: `paid`, or `refunded by <who>`.
async fn outcomes(app: &TestApp) -> BTreeMap<String, usize> {
    let mut outcomes = BTreeMap::new();
    for record in records(app).await {
        let status = record.fields.get("status").cloned().unwrap_or_default();
        let by = record.fields.get("refund_by").map(|by| format!(" by {by}")).unwrap_or_default();
        *outcomes.entry(format!("{status}{by}")).or_default() += 1;
    }
    outcomes
}

async fn reconcile(app: &TestApp) -> Value {
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "reconcile failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("reconcile prints a JSON report")
}
