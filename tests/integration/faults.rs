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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use starmine::sandbox::emulator::{Emulator, PayOutcome, SentMessage};
use tokio::task::JoinSet;

use crate::harness::{Peer, TestApp};
use crate::resilience::payment_update;
use crate::support::{route_webhook, spawn_webhook, spawn_with_env, ADMIN};

use self::books::{charges, check_books, records, Charge};

mod books;

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

/// Counters of what the stream did, printed at the end.
#[derive(Clone, Default)]
struct Stats(Arc<Mutex<BTreeMap<&'static str, usize>>>);

impl Stats {
    fn bump(&self, what: &'static str) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).entry(what).or_default() += 1;
    }

    fn snapshot(&self) -> BTreeMap<&'static str, usize> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// The bot said why it will not sell (no invoice comes).
fn is_refusal(message: &SentMessage) -> bool {
    let text = message.text.as_deref().unwrap_or_default();
    let phrases = ["is sold out", "one player may buy", "can't buy", "already own", "can't be bought", "very fast"];
    phrases.iter().any(|phrase| text.contains(phrase))
}

/// Drives the stream: picks operations with the seeded RNG and spawns the ones that wait.
struct Driver {
    rng: StdRng,
    tasks: JoinSet<()>,
    stats: Stats,
    buys: HashMap<i64, usize>,
    twice: bool,
}

impl Driver {
    async fn step(&mut self, app: &TestApp) {
        let user = PLAYERS[self.rng.random_range(0..PLAYERS.len())];
        match self.rng.random_range(0..100u32) {
            0..55 => {
                let burst = self.rng.random_bool(0.15);
                self.buy(app, if burst { &PLAYERS } else { std::slice::from_ref(&user) });
            }
            55..61 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.stats.bump("player /refund");
                    app.emulator.send_text(target.user, &format!("/refund {}", target.charge));
                }
            }
            61..65 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.cli_refund(app, &target);
                }
            }
            65..67 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.stats.bump("admin /refund");
                    app.emulator.send_text(ADMIN, &format!("/refund {} {}", target.user, target.charge));
                }
            }
            67..70 => {
                if let Some(target) = self.pick_charge(&app.emulator) {
                    let disputed = app.emulator.dispute(target.user, &target.charge);
                    self.stats.bump(if disputed { "dispute" } else { "dispute of a refunded charge" });
                }
            }
            70..72 => {
                // The same charge refunded by the player, an operator and a dispute at once.
                if let Some(target) = self.pick_charge(&app.emulator) {
                    self.stats.bump("refund race");
                    app.emulator.send_text(target.user, &format!("/refund {}", target.charge));
                    self.cli_refund(app, &target);
                    if self.rng.random_bool(0.5) {
                        app.emulator.dispute(target.user, &target.charge);
                    }
                }
            }
            72..78 => {
                self.twice = !self.twice;
                self.stats.bump(if self.twice { "deliver twice on" } else { "deliver twice off" });
                app.emulator.deliver_twice(self.twice);
            }
            78..83 => {
                // A lost /buy, payment, refund notice or (rarely) pre-checkout query.
                let kind = if self.rng.random_bool(0.8) { "message" } else { "pre_checkout_query" };
                self.stats.bump(if kind == "message" { "message update lost" } else { "pre-checkout lost" });
                app.emulator.lose_updates(kind, 1);
            }
            83..86 => self.replay_attack(app),
            86..88 => self.made_up_charge(app, user),
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(self.rng.random_range(15..150))).await;
    }

    /// A genuine payment update of a charge from the ledger, replayed as another player (with
    /// the webhook secret, or through the trusted connection in polling mode).
    fn replay_attack(&mut self, app: &TestApp) {
        let Some(target) = self.pick_charge(&app.emulator) else { return };
        let others: Vec<i64> = PLAYERS.iter().copied().filter(|other| *other != target.user).collect();
        let forger = others[self.rng.random_range(0..others.len())];
        self.stats.bump("attack: a charge replayed as another payer");
        let amount = target.amount as u32;
        app.emulator.inject_update(payment_update(forger, &target.payload, amount, &target.charge));
    }

    /// A real order of `user`'s, "paid" with a charge id Telegram never made.
    fn made_up_charge(&mut self, app: &TestApp, user: i64) {
        let made_up = format!("stx_made_up_{:016}", self.rng.random_range(0..u64::MAX / 2));
        self.stats.bump("attack: a made-up charge id");
        self.tasks.spawn(forge_payment(app.emulator.clone(), user, made_up, self.stats.clone()));
    }

    /// `/buy` of one item by `buyers` at once, each invoice paid once (or twice at once).
    fn buy(&mut self, app: &TestApp, buyers: &[i64]) {
        let total: u32 = ITEMS.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.rng.random_range(0..total);
        let mut item = ITEMS[0].0;
        for (id, weight) in ITEMS {
            if roll < weight {
                item = id;
                break;
            }
            roll -= weight;
        }
        if buyers.len() > 1 {
            self.stats.bump("burst");
        }
        for &buyer in buyers {
            let count = self.buys.entry(buyer).or_default();
            if *count >= BUYS_PER_PLAYER {
                continue;
            }
            *count += 1;
            let pays = if self.rng.random_bool(0.15) { 2 } else { 1 };
            let emulator = app.emulator.clone();
            let stats = self.stats.clone();
            self.tasks.spawn(buy_and_pay(emulator, buyer, item, pays, stats));
        }
    }

    /// Refunds of up to one open charge per player at once, by the player, an admin or a
    /// dispute.
    fn refund_storm(&mut self, app: &TestApp) {
        let open: Vec<Charge> = charges(&app.emulator).into_iter().filter(|charge| !charge.refunded).collect();
        for user in PLAYERS {
            let Some(target) = open.iter().rev().find(|charge| charge.user == user) else { continue };
            self.stats.bump("refund storm");
            match self.rng.random_range(0..3) {
                0 => app.emulator.send_text(user, &format!("/refund {}", target.charge)),
                1 => app.emulator.send_text(ADMIN, &format!("/refund {user} {}", target.charge)),
                _ => i64::from(app.emulator.dispute(user, &target.charge)),
            };
        }
    }

    /// A paid charge from the Star ledger, mostly one that is not refunded yet.
    fn pick_charge(&mut self, emulator: &Emulator) -> Option<Charge> {
        let all = charges(emulator);
        let open: Vec<&Charge> = all.iter().filter(|charge| !charge.refunded).collect();
        let pool: Vec<&Charge> =
            if !open.is_empty() && self.rng.random_bool(0.85) { open } else { all.iter().collect() };
        if pool.is_empty() {
            return None;
        }
        Some(pool[self.rng.random_range(0..pool.len())].clone())
    }

    /// `starmine refund <user> <charge>` as an operator would run it (works while the bot is
    /// down; fails cleanly while Redis is).
    fn cli_refund(&mut self, app: &TestApp, target: &Charge) {
        let run = app.cli(&["refund", &target.user.to_string(), &target.charge]);
        let stats = self.stats.clone();
        self.tasks.spawn(async move {
            let output = run.await;
            stats.bump(match output.status.code() {
                Some(0) => "cli refund: ok",
                Some(1) => "cli refund: refused",
                Some(3) => "cli refund: unavailable or pending",
                _ => "cli refund: other exit",
            });
        });
    }
}

/// Opens an order of `user` for energy and posts a successful_payment for it with `charge`,
/// which Telegram never made.
async fn forge_payment(emulator: Emulator, user: i64, charge: String, stats: Stats) {
    let before = emulator.messages(user).last().map_or(0, |message| message.message_id);
    emulator.send_text(user, "/buy energy");
    let answer =
        emulator.wait_for(user, INVOICE_WAIT, |message| message.message_id > before && message.invoice.is_some());
    let Ok(SentMessage { invoice: Some(invoice), .. }) = answer.await else {
        stats.bump("attack: no order to forge a payment for");
        return;
    };
    emulator.inject_update(payment_update(user, &invoice.payload, invoice.amount as u32, &charge));
}

async fn buy_and_pay(emulator: Emulator, user: i64, item: &'static str, pays: usize, stats: Stats) {
    let before = emulator.messages(user).last().map_or(0, |message| message.message_id);
    emulator.send_text(user, &format!("/buy {item}"));
    let answer = emulator
        .wait_for(user, INVOICE_WAIT, |message| {
            message.message_id > before && (message.invoice.is_some() || is_refusal(message))
        })
        .await;
    let Ok(message) = answer else {
        stats.bump("buy: no answer");
        return;
    };
    if message.invoice.is_none() {
        stats.bump("buy: refused");
        return;
    }
    if pays > 1 {
        stats.bump("buy: paid twice at once");
    }
    let attempts = (0..pays).map(|_| emulator.pay_invoice(user, user, message.message_id));
    for outcome in futures::future::join_all(attempts).await {
        stats.bump(match outcome {
            PayOutcome::Paid { .. } => "pay: charged",
            PayOutcome::Declined { .. } => "pay: declined",
            PayOutcome::NoAnswer => "pay: no answer",
            PayOutcome::Unpayable { .. } => "pay: unpayable",
        });
    }
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
