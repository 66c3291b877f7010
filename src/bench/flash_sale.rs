//! The flash sale: every player has an open order for a limited item (created directly in the
//! store as setup) and all of them pre-check out at once. The real bot answers every query;
//! exactly `units` may be approved, each before Telegram's 10 s deadline. Then late-comers
//! (monitored, to count the requests per answer) and the payments of the approved ones.

use std::time::{Duration, Instant};

use futures::StreamExt;

use super::bot::{BenchData, BotProcess, BotSetup, CpuMeter, FLASH_ITEM};
use super::monitor::Monitor;
use super::redis::{ceiling_replaying, Counters, Persistence, RedisRow, Target};
use super::{ms, Checks, Stats};
use crate::clock::now_ms;
use crate::config::{Config, SendLimits};
use crate::domain::{Catalog, Item, Refusal, UserId};
use crate::exit::{Exit, Failure};
use crate::sandbox::emulator::{BurstAnswer, BurstCheckout, Emulator, EmulatorConfig};
use crate::store::{OrderOffer, PaymentStatus, Store};
use crate::telegram::texts;

/// Player ids of the sale start here.
const FIRST_PLAYER: u64 = 1_000_000_000;

/// One target's figures.
struct Row {
    label: String,
    answers_per_second: f64,
    queued: Stats,
    service: Stats,
    end_to_end: Stats,
    approved: usize,
    redis: RedisRow,
}

pub async fn bench(config: &Config, players: usize, units: u32, modes: &[Persistence]) -> Result<Exit, Failure> {
    let data = BenchData::write(&config.game_data_dir, units)?;
    let mut checks = Checks::default();
    let mut rows = Vec::new();
    for plan in Target::plans(config, modes) {
        let target = plan.open().await?;
        println!("\n== flash sale, {}: {players} players, {units} units of {FLASH_ITEM}", target.label);
        rows.push(sale(&data, &target, players, units, &mut checks).await?);
    }
    println!("\n| redis | players | units | approved | answers/s | queued p50 / p99 / max ms | service p50 / p99 / max ms | end to end p50 / p99 / max ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        println!(
            "| {} | {players} | {units} | {} | {:.0} | {} | {} | {} |",
            row.label,
            row.approved,
            row.answers_per_second,
            row.queued.cells(),
            row.service.cells(),
            row.end_to_end.cells()
        );
    }
    RedisRow::print_table("answer", rows.iter().map(|row| &row.redis));
    Ok(checks.exit())
}

async fn sale(
    data: &BenchData,
    target: &Target,
    players: usize,
    units: u32,
    checks: &mut Checks,
) -> Result<Row, Failure> {
    let unavailable = |what: String| Failure::new(Exit::Unavailable, what);
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .map_err(|error| unavailable(format!("cannot start the emulator: {error}")))?;
    let bot = BotProcess::spawn(BotSetup {
        emulator: &emulator,
        redis_url: &target.urls.join(","),
        data,
        send_limits: SendLimits::Telegram,
        game_secret: None,
    })
    .await?;
    let store = Store::connect(&target.urls).await.map_err(|error| unavailable(error.to_string()))?;
    let item =
        data.catalog.find(FLASH_ITEM).ok_or_else(|| unavailable(format!("no {FLASH_ITEM} in the bench data")))?;
    // Late-comers pre-check out after the sale, under MONITOR: the requests per answer.
    let late = (players / 100).clamp(10, 200);
    let started = Instant::now();
    let mut checkouts = open_orders(&store, &data.catalog, item, players + late).await?;
    let late_checkouts = checkouts.split_off(players);
    println!("setup: {} orders created in the store in {:.1} s", players + late, started.elapsed().as_secs_f64());

    let before = Counters::read(target.url()).await?;
    let cpu = CpuMeter::start(&bot);
    let answers = emulator.precheckout_burst(&checkouts).await;
    let after = Counters::read(target.url()).await?;
    let cpu = cpu.report(answers.first().map_or(Duration::ZERO, |a| a.enqueued.elapsed()), after.cpu_since(&before));

    let approved: Vec<&BurstCheckout> =
        checkouts.iter().zip(&answers).filter(|(_, answer)| answer.ok == Some(true)).map(|(c, _)| c).collect();
    let refused = answers.iter().filter(|answer| answer.ok == Some(false)).count();
    let sold_out = texts::checkout_refusal(crate::domain::Lang::En, Refusal::SoldOut);
    let refused_sold_out = answers.iter().filter(|a| a.error_message.as_deref() == Some(sold_out.as_str())).count();
    let unanswered = answers.iter().filter(|answer| answer.ok.is_none()).count();
    let first = answers.first().map(|answer| answer.enqueued);
    let last_answer = answers.iter().filter_map(|answer| answer.answered).max();
    let span = first.zip(last_answer).map_or(Duration::ZERO, |(first, last)| last.saturating_duration_since(first));
    let answered = players - unanswered;
    let answers_per_second = answered as f64 / span.as_secs_f64().max(1e-9);
    let between = |from: fn(&BurstAnswer) -> Option<Instant>, to: fn(&BurstAnswer) -> Option<Instant>| {
        let mut samples: Vec<Duration> =
            answers.iter().filter_map(|answer| Some(to(answer)?.saturating_duration_since(from(answer)?))).collect();
        Stats::of(&mut samples)
    };
    let queued = between(|a| Some(a.enqueued), |a| a.fetched);
    let service = between(|a| a.fetched, |a| a.answered);
    let end_to_end = between(|a| Some(a.enqueued), |a| a.answered);
    let per_answer = after.per_op(&before, players);
    println!("answered {answered}/{players} in {:.3} s: {answers_per_second:.0} answers/s", span.as_secs_f64());
    println!("  queued   (enqueued -> fetched by getUpdates): {queued}");
    println!("  service  (fetched -> answerPreCheckoutQuery): {service}");
    println!("  end to end (enqueued -> answered):            {end_to_end}");
    println!("  Redis per answer: {per_answer}");
    println!("  {cpu}");
    checks.check(approved.len() == units as usize, format!("{} approved, exactly {units} expected", approved.len()));
    checks.check(
        refused == players - units as usize && refused_sold_out == refused,
        format!("{refused} refused, {refused_sold_out} of them as sold out; {} expected", players - units as usize),
    );
    let deadline = EmulatorConfig::default().pre_checkout_deadline;
    checks.check(
        unanswered == 0 && end_to_end.max < ms(deadline),
        format!(
            "{unanswered} unanswered, the last answer {:.0} ms after the burst (deadline {deadline:?})",
            end_to_end.max
        ),
    );

    let monitor = Monitor::start(target.url()).await?;
    let late_answers = emulator.precheckout_burst(&late_checkouts).await;
    let seen = monitor.finish().await?;
    let late_refused = late_answers.iter().filter(|a| a.error_message.as_deref() == Some(sold_out.as_str())).count();
    checks.check(late_refused == late, format!("{late_refused} of {late} late players refused as sold out"));
    let requests = seen.print_per_op(late, "answer");

    for checkout in &approved {
        emulator.pay_checkout(checkout);
    }
    let sold = wait_for_sales(&store, item, approved.len() as u64).await?;
    checks
        .check(sold == u64::from(units), format!("{sold} units sold after paying the approved ones, {units} in stock"));
    let mut paid = 0;
    for checkout in &approved {
        let view = store.player(UserId(checkout.payer as u64)).await.map_err(|error| unavailable(error.to_string()))?;
        paid += view.payments.iter().filter(|payment| matches!(payment.status, PaymentStatus::Paid)).count();
    }
    checks.check(
        paid == approved.len(),
        format!("{paid} of the {} approved players hold a paid payment", approved.len()),
    );

    // The ceiling replays a late player's real call: the sold-out path the burst mostly took.
    let ceilings = ceiling_replaying(target, &store, &seen, "precheckout", "pre-checkout sold out (replayed)");
    bot.stop().await;
    Ok(Row {
        label: target.label.clone(),
        answers_per_second,
        queued,
        service,
        end_to_end,
        approved: approved.len(),
        redis: RedisRow { label: target.label.clone(), per_op: per_answer, requests, ceilings },
    })
}

/// Opens one order of `item` for each of `count` new players, straight in the store (as `/buy`
/// would, without the invoice message).
async fn open_orders(
    store: &Store,
    catalog: &Catalog,
    item: &Item,
    count: usize,
) -> Result<Vec<BurstCheckout>, Failure> {
    let players = (0..count as u64).map(|n| UserId(FIRST_PLAYER + n));
    let offers: Vec<_> = futures::stream::iter(players)
        .map(|player| async move {
            let offer = store.create_order(item, player, &catalog.version, &catalog.settings, None, now_ms()).await;
            (player, offer)
        })
        .buffer_unordered(64)
        .collect()
        .await;
    offers
        .into_iter()
        .map(|(player, offer)| match offer {
            Ok(OrderOffer::Payable { order, amount, .. }) => {
                Ok(BurstCheckout { payer: player.0 as i64, payload: order.to_string(), amount: i64::from(amount) })
            }
            Ok(OrderOffer::Refused(refusal)) => {
                Err(Failure::new(Exit::Unavailable, format!("setup: an order was refused: {}", refusal.code())))
            }
            Ok(OrderOffer::SlowDown) => Err(Failure::new(Exit::Unavailable, "setup: an order was rate-limited")),
            Err(error) => Err(Failure::new(Exit::Unavailable, format!("setup: {error}"))),
        })
        .collect()
}

/// Waits (up to 60 s) until the bot has recorded `expected` sales, and returns the count then.
async fn wait_for_sales(store: &Store, item: &Item, expected: u64) -> Result<u64, Failure> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let sold =
            store.units_sold(&item.id).await.map_err(|error| Failure::new(Exit::Unavailable, error.to_string()))?;
        if sold >= expected || Instant::now() > deadline {
            return Ok(sold);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
