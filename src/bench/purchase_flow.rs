//! The purchase flow through the real bot: a player sends `/buy`, pays the invoice (the
//! pre-checkout query, then the successful payment), gets the receipt and sends `/use`. First
//! with the send limits lifted (`SEND_LIMITS=off`, as with paid broadcasts) for flows/s; then
//! with Telegram's limits on both sides, to see the outbox reach the allowed rate without
//! a single 429 from an emulator that enforces them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::sync::mpsc;

use super::bot::{BenchData, BotProcess, BotSetup, CpuMeter};
use super::monitor::Monitor;
use super::redis::{ceiling_replaying, Counters, Persistence, RedisRow, Target};
use super::{Checks, Stats};
use crate::config::{Config, SendLimits};
use crate::domain::UserId;
use crate::exit::{Exit, Failure};
use crate::sandbox::emulator::{BotSend, Emulator, EmulatorConfig, PayOutcome};
use crate::store::{PaymentStatus, Store};

/// A boost: bought, then used (started) at once.
const ITEM: &str = "dynamite";
/// Telegram's overall send limit, messages per second (the emulator enforces it; the outbox plans 5% under it).
const ALLOWED_PER_SECOND: f64 = 30.0;
/// Player ids: the unlimited phase, its monitored pass, and the limited phase.
const FIRST_PLAYER: i64 = 2_000_000_000;
const FIRST_MONITORED: i64 = 2_100_000_000;
const FIRST_LIMITED: i64 = 2_200_000_000;
const FIRST_QUIET: i64 = 2_300_000_000;
/// Isolated replies measured before the limited phase's burst, one every [`QUIET_EVERY`]: slower
/// than the overall budget's 30/s, so none of them has to wait for it.
const QUIET_REPLIES: usize = 50;
const QUIET_EVERY: Duration = Duration::from_millis(100);
/// Flows in the monitored (untimed) pass.
const MONITORED_FLOWS: usize = 50;
/// How long one step may take before the flow counts as failed.
const STEP_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Sizes {
    pub flows: usize,
    pub concurrency: usize,
    pub limited_players: usize,
}

/// The times of one flow's steps.
struct FlowTimes {
    /// `/buy` sent -> the invoice stored.
    buy: Duration,
    /// Pay pressed -> the pre-checkout query approved and the payment charged.
    checkout: Duration,
    /// Payment charged -> the receipt stored.
    receipt: Duration,
    /// `/use` sent -> its answer stored.
    use_item: Duration,
    total: Duration,
}

struct PhaseResult {
    flows: usize,
    failed: Vec<String>,
    span: Duration,
    times: Vec<FlowTimes>,
    sends: Vec<Instant>,
}

pub async fn bench(config: &Config, sizes: Sizes, modes: &[Persistence]) -> Result<Exit, Failure> {
    let data = BenchData::write(&config.game_data_dir, 100)?;
    if data.catalog.find(ITEM).is_none() {
        return Err(Failure::new(
            Exit::Unavailable,
            format!("game_data has no `{ITEM}`: the purchase flow buys and uses it"),
        ));
    }
    let mut checks = Checks::default();
    let mut rows = Vec::new();
    let mut limited = None;
    for plan in Target::plans(config, modes) {
        let target = plan.open().await?;
        println!(
            "\n== purchase flow, {}: {} flows, {} at once, send limits off",
            target.label, sizes.flows, sizes.concurrency
        );
        rows.push(unlimited(&data, &target, &sizes, &mut checks).await?);
        if limited.is_none() && sizes.limited_players > 0 {
            println!(
                "\n== purchase flow, {}: {} players at once, Telegram's send limits on",
                target.label, sizes.limited_players
            );
            limited =
                Some((target.label.clone(), limits_on(&data, &target, sizes.limited_players, &mut checks).await?));
        }
    }
    println!("\n| redis | flows | at once | flows/s | flow p50 / p99 / max ms | buy p50 / p99 ms | checkout p50 / p99 ms | receipt p50 / p99 ms | use p50 / p99 ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        println!("| {} | {} | {} | {} |", row.label, sizes.flows, sizes.concurrency, row.cells);
    }
    RedisRow::print_table("flow", rows.iter().map(|row| &row.redis));
    if let Some((label, limited)) = limited {
        println!(
            "\n| redis | players | sends | sends/s | allowed/s | busiest second | 429s | flow p50 / p99 / max ms |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        println!("| {label} | {} |", limited);
    }
    Ok(checks.exit())
}

/// One target's figures of the unlimited phase.
struct Row {
    label: String,
    cells: String,
    redis: RedisRow,
}

async fn unlimited(data: &BenchData, target: &Target, sizes: &Sizes, checks: &mut Checks) -> Result<Row, Failure> {
    let (emulator, bot, store) = start(data, target, SendLimits::Off, false).await?;
    let players: Vec<i64> = (0..sizes.flows as i64).map(|n| FIRST_PLAYER + n).collect();
    let before = Counters::read(target.url()).await?;
    let cpu = CpuMeter::start(&bot);
    let phase = run_flows(&emulator, &players, sizes.concurrency).await;
    let after = Counters::read(target.url()).await?;
    let cpu = cpu.report(phase.span, after.cpu_since(&before));
    let per_flow = after.per_op(&before, phase.flows);
    let rate = report(&phase, checks);
    verify(&store, &players, checks).await?;
    println!("  Redis per flow: {per_flow}");
    println!("  {cpu}");

    let monitored: Vec<i64> = (0..MONITORED_FLOWS as i64).map(|n| FIRST_MONITORED + n).collect();
    let monitor = Monitor::start(target.url()).await?;
    let pass = run_flows(&emulator, &monitored, 10).await;
    let seen = monitor.finish().await?;
    checks.check(pass.failed.is_empty(), format!("{} of {MONITORED_FLOWS} monitored flows failed", pass.failed.len()));
    let requests = seen.print_per_op(MONITORED_FLOWS, "flow");
    // The rate-limit script takes the same path when replayed (the other scripts of the flow
    // are idempotent by order or charge and would take their short "seen before" path).
    let ceilings = ceiling_replaying(target, &store, &seen, "rate_limit", "/buy rate limit script (replayed)");
    bot.stop().await;
    let pick = |step: fn(&FlowTimes) -> Duration| {
        let mut samples: Vec<Duration> = phase.times.iter().map(step).collect();
        Stats::of(&mut samples)
    };
    let total = pick(|t| t.total);
    let steps: Vec<String> = [pick(|t| t.buy), pick(|t| t.checkout), pick(|t| t.receipt), pick(|t| t.use_item)]
        .iter()
        .map(|stats| format!("{:.1} / {:.1}", stats.p50, stats.p99))
        .collect();
    let cells = format!("{rate:.0} | {} | {}", total.cells(), steps.join(" | "));
    let redis = RedisRow { label: target.label.clone(), per_op: per_flow, requests, ceilings };
    Ok(Row { label: target.label.clone(), cells, redis })
}

/// The limited phase: every player starts one flow at once; returns its table cells.
async fn limits_on(data: &BenchData, target: &Target, players: usize, checks: &mut Checks) -> Result<String, Failure> {
    let (emulator, bot, store) = start(data, target, SendLimits::Telegram, true).await?;
    let mut quiet = isolated_replies(&emulator).await;
    checks.check(quiet.len() == QUIET_REPLIES, format!("{} of {QUIET_REPLIES} isolated replies came", quiet.len()));
    println!("isolated replies (limits on, one every 100 ms, message sent -> reply stored): {}", Stats::of(&mut quiet));
    let players: Vec<i64> = (0..players as i64).map(|n| FIRST_LIMITED + n).collect();
    let phase = run_flows(&emulator, &players, players.len()).await;
    report(&phase, checks);
    verify(&store, &players, checks).await?;
    let refusals = emulator.limit_refusals();
    bot.stop().await;
    let sends = phase.sends.len();
    let (first, last) = (phase.sends.first().copied(), phase.sends.last().copied());
    let span = first.zip(last).map_or(Duration::ZERO, |(first, last)| last.saturating_duration_since(first));
    let rate = sends.saturating_sub(1) as f64 / span.as_secs_f64().max(1e-9);
    let busiest = busiest_second(&phase.sends);
    println!(
        "  {sends} sends in {:.2} s: {rate:.1} sends/s of {ALLOWED_PER_SECOND} allowed; busiest second {busiest}; {refusals} answered 429",
        span.as_secs_f64()
    );
    checks.check(refusals == 0, format!("{refusals} sends answered 429 by the emulator's send limits"));
    let mut totals: Vec<Duration> = phase.times.iter().map(|t| t.total).collect();
    let total = Stats::of(&mut totals);
    Ok(format!(
        "{} | {sends} | {rate:.1} | {ALLOWED_PER_SECOND:.0} | {busiest} | {refusals} | {}",
        players.len(),
        total.cells()
    ))
}

/// A player in a quiet chat sends `/terms` (a reply with no Redis work of its own), one player
/// every [`QUIET_EVERY`]: how long each reply takes with the send budget in the path and
/// nothing queued before it.
async fn isolated_replies(emulator: &Emulator) -> Vec<Duration> {
    let mut tap = emulator.tap_sends();
    let mut times = Vec::with_capacity(QUIET_REPLIES);
    let mut every = tokio::time::interval(QUIET_EVERY);
    for player in (0..QUIET_REPLIES as i64).map(|n| FIRST_QUIET + n) {
        every.tick().await;
        let sent = Instant::now();
        emulator.send_text(player, "/terms");
        match tokio::time::timeout(STEP_TIMEOUT, tap.recv()).await {
            Ok(Some(reply)) if reply.chat == player => times.push(reply.at.saturating_duration_since(sent)),
            _ => break,
        }
    }
    times
}

/// The most sends within any one second.
fn busiest_second(sends: &[Instant]) -> usize {
    let mut busiest = 0;
    let mut from = 0;
    for (to, at) in sends.iter().enumerate() {
        while at.saturating_duration_since(sends[from]) >= Duration::from_secs(1) {
            from += 1;
        }
        busiest = busiest.max(to + 1 - from);
    }
    busiest
}

/// Prints a phase's figures and checks that every flow finished; returns flows/s.
fn report(phase: &PhaseResult, checks: &mut Checks) -> f64 {
    let done = phase.times.len();
    let rate = done as f64 / phase.span.as_secs_f64().max(1e-9);
    let mut totals: Vec<Duration> = phase.times.iter().map(|t| t.total).collect();
    println!("{done} flows in {:.2} s: {rate:.1} flows/s; flow {}", phase.span.as_secs_f64(), Stats::of(&mut totals));
    for failure in phase.failed.iter().take(5) {
        println!("  failed: {failure}");
    }
    checks.check(phase.failed.is_empty(), format!("{} of {} flows failed", phase.failed.len(), phase.flows));
    rate
}

/// After a phase, in the store: each player paid once, and the item was used (a running boost,
/// none left in the inventory).
async fn verify(store: &Store, players: &[i64], checks: &mut Checks) -> Result<(), Failure> {
    let unavailable = |error: crate::store::StoreError| Failure::new(Exit::Unavailable, error.to_string());
    let mut wrong = 0;
    for player in players {
        let user = UserId(*player as u64);
        let view = store.player(user).await.map_err(unavailable)?;
        let game = store.load_player(user).await.map_err(unavailable)?;
        let paid = view.payments.iter().filter(|payment| matches!(payment.status, PaymentStatus::Paid)).count();
        let held = view.inventory.get(ITEM).copied().unwrap_or(0);
        if paid != 1 || held != 0 || !game.boosts.contains_key(ITEM) {
            wrong += 1;
        }
    }
    checks.check(wrong == 0, format!("{wrong} of {} players without exactly one paid {ITEM} in use", players.len()));
    Ok(())
}

/// An emulator, the bot and a store connection for one phase.
async fn start(
    data: &BenchData,
    target: &Target,
    send_limits: SendLimits,
    enforce: bool,
) -> Result<(Emulator, BotProcess, Store), Failure> {
    let unavailable = |what: String| Failure::new(Exit::Unavailable, what);
    let config = EmulatorConfig { send_limits: enforce, ..EmulatorConfig::default() };
    let emulator = Emulator::start(config).await.map_err(|error| unavailable(format!("the emulator: {error}")))?;
    let setup =
        BotSetup { emulator: &emulator, redis_url: &target.urls.join(","), data, send_limits, game_secret: None };
    let bot = BotProcess::spawn(setup).await?;
    let store = Store::connect(&target.urls).await.map_err(|error| unavailable(error.to_string()))?;
    Ok((emulator, bot, store))
}

/// Routes each message the bot sends to the flow of its chat, and keeps every send's time.
/// Lock choice: a std mutex around the chat map, held for a lookup or an insert only.
#[derive(Clone)]
struct Inboxes(Arc<Mutex<HashMap<i64, mpsc::UnboundedSender<BotSend>>>>);

impl Inboxes {
    fn open(&self, chat: i64) -> mpsc::UnboundedReceiver<BotSend> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(chat, sender);
        receiver
    }

    fn deliver(&self, send: BotSend) {
        if let Some(inbox) = self.0.lock().unwrap_or_else(PoisonError::into_inner).get(&send.chat) {
            let _ = inbox.send(send);
        }
    }
}

/// Each player makes one flow, `concurrency` at a time.
async fn run_flows(emulator: &Emulator, players: &[i64], concurrency: usize) -> PhaseResult {
    let inboxes = Inboxes(Arc::default());
    let mut tap = emulator.tap_sends();
    let router = {
        let inboxes = inboxes.clone();
        tokio::spawn(async move {
            let mut sends = Vec::new();
            while let Some(send) = tap.recv().await {
                sends.push(send.at);
                inboxes.deliver(send);
            }
            sends
        })
    };
    let started = Instant::now();
    let results: Vec<Result<FlowTimes, String>> = futures::stream::iter(players.iter().copied())
        .map(|player| {
            let inbox = inboxes.open(player);
            flow(emulator, player, inbox)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let span = started.elapsed();
    // A fresh tap replaces this one, which ends the router.
    drop(emulator.tap_sends());
    let sends = router.await.unwrap_or_default();
    let (times, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    PhaseResult {
        flows: players.len(),
        failed: failed.into_iter().filter_map(Result::err).collect(),
        span,
        times: times.into_iter().filter_map(Result::ok).collect(),
        sends,
    }
}

/// One player's flow: `/buy`, pay the invoice, wait for the receipt, `/use`, wait for the answer.
async fn flow(
    emulator: &Emulator,
    player: i64,
    mut inbox: mpsc::UnboundedReceiver<BotSend>,
) -> Result<FlowTimes, String> {
    let started = Instant::now();
    emulator.send_text(player, &format!("/buy {ITEM}"));
    let invoice = next(&mut inbox, player, "sendInvoice").await?;
    let paying = Instant::now();
    match emulator.pay_invoice(player, player, invoice.message_id).await {
        PayOutcome::Paid { .. } => {}
        other => return Err(format!("player {player}: the payment ended {other:?}")),
    }
    let charged = Instant::now();
    let receipt = next(&mut inbox, player, "sendMessage").await?;
    let using = Instant::now();
    emulator.send_text(player, &format!("/use {ITEM}"));
    let used = next(&mut inbox, player, "sendMessage").await?;
    Ok(FlowTimes {
        buy: invoice.at.saturating_duration_since(started),
        checkout: charged.saturating_duration_since(paying),
        receipt: receipt.at.saturating_duration_since(charged),
        use_item: used.at.saturating_duration_since(using),
        total: used.at.saturating_duration_since(started),
    })
}

/// The next message the bot sends to the player, which must come by `method`.
async fn next(inbox: &mut mpsc::UnboundedReceiver<BotSend>, player: i64, method: &str) -> Result<BotSend, String> {
    match tokio::time::timeout(STEP_TIMEOUT, inbox.recv()).await {
        Ok(Some(send)) if send.method == method => Ok(send),
        Ok(Some(send)) => Err(format!("player {player}: expected {method}, the bot sent {}", send.method)),
        Ok(None) => Err(format!("player {player}: the emulator stopped")),
        Err(_) => Err(format!("player {player}: no {method} within {STEP_TIMEOUT:?}")),
    }
}
