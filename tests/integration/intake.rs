//! Backpressure at intake: with a small in-flight limit a burst of pre-checkout queries waits at
//! Telegram — the bot never holds more unanswered queries than the limit, yet answers every one
//! exactly once — and in webhook mode a delivery that finds no room is answered 503, never 2xx,
//! and handled once Telegram delivers it again.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use starmine::sandbox::emulator::{BurstAnswer, BurstCheckout, Fault};

use crate::support::*;
use crate::webhook::{HOOK_URL, SECRET};

/// The most queries that were handed out by getUpdates and not yet answered, at any moment, as
/// the emulator saw it. The bot finishes a query only after its answer arrived, so this is at
/// most what the bot had in flight.
fn most_unanswered(answers: &[BurstAnswer]) -> usize {
    // At one instant an answer counts before a fetch: the bot fetches only after a finish.
    let mut moments: Vec<(Instant, i32)> = Vec::new();
    for answer in answers {
        moments.push((answer.fetched.expect("every query was fetched"), 1));
        moments.push((answer.answered.expect("every query was answered"), -1));
    }
    moments.sort();
    let (mut now, mut most) = (0_i32, 0_i32);
    for (_, change) in moments {
        now += change;
        most = most.max(now);
    }
    most as usize
}

#[tokio::test]
async fn a_burst_of_pre_checkouts_waits_at_telegram_under_the_limit() {
    const LIMIT: usize = 4;
    const QUERIES: usize = 48;
    let app = spawn_with_env(&[("INTAKE_MAX_IN_FLIGHT", "4")]).await;
    // Each answer takes a while at the emulator, so a bot that fetched past its limit would hold
    // many queries at once.
    app.emulator.fault("answerPreCheckoutQuery", Fault::Delay(Duration::from_millis(20)), QUERIES as u32);
    let checkouts: Vec<BurstCheckout> = (0..QUERIES as i64)
        .map(|n| BurstCheckout { payer: 7000 + n, payload: format!("crate.burst{n}"), amount: 10 })
        .collect();
    let polls_before = app.emulator.request_count();

    let answers = app.emulator.precheckout_burst(&checkouts).await;

    let unanswered: Vec<i64> = answers.iter().filter(|answer| answer.ok.is_none()).map(|answer| answer.payer).collect();
    assert!(unanswered.is_empty(), "unanswered: {unanswered:?}\n{}", app.log_tail(40));
    assert!(answers.iter().all(|answer| answer.ok == Some(false)), "no such orders: every query is declined");
    assert_eq!(most_unanswered(&answers), LIMIT, "at most the limit in hand, and the limit used");
    let requests = app.emulator.requests().split_off(polls_before);
    let mut answered: HashMap<String, usize> = HashMap::new();
    for request in requests.iter().filter(|request| request.method == "answerPreCheckoutQuery") {
        let id = request.params["pre_checkout_query_id"].as_str().expect("a query id").to_owned();
        *answered.entry(id).or_default() += 1;
    }
    assert_eq!(answered.len(), QUERIES, "every query answered");
    assert!(answered.values().all(|times| *times == 1), "each exactly once: {answered:?}");
    let asked: Vec<i64> = requests
        .iter()
        .filter(|request| request.method == "getUpdates")
        .map(|request| request.params["limit"].as_i64().expect("a limit"))
        .collect();
    assert!(asked.iter().all(|limit| (1..=LIMIT as i64).contains(limit)), "getUpdates limits: {asked:?}");

    app.wait_until(WAIT, || async { metric(&app, "starmine_intake_in_flight").await == 0.0 }).await;
    assert!(metric(&app, "starmine_intake_waits_total").await >= 1.0);
    assert_eq!(metric(&app, "starmine_intake_max_in_flight").await, LIMIT as f64);
    let told = app.log().matches("intake is at its in-flight limit").count();
    assert_eq!(told, 1, "one log line, not one per wait");
}

#[tokio::test]
async fn a_webhook_delivery_without_room_gets_a_503_and_comes_again() {
    // One update in flight at a time; a delivery waits for room at most 1 s (half of 2).
    let env = [("INTAKE_MAX_IN_FLIGHT", "1"), ("HTTP_REQUEST_TIMEOUT_S", "2"), ("RECONCILE_EVERY_S", "0")];
    let app = spawn_webhook(HOOK_URL, SECRET, &env).await;
    // The query's answer takes 4 s at the emulator: its handler holds the only slot that long.
    app.emulator.fault("answerPreCheckoutQuery", Fault::Delay(Duration::from_secs(4)), 1);
    let checkout = BurstCheckout { payer: ALICE, payload: "crate.slow".to_owned(), amount: 10 };
    let emulator = app.emulator.clone();
    let query = tokio::spawn(async move { emulator.precheckout_burst(&[checkout]).await });
    app.wait_until(WAIT, || async { app.emulator.webhook_deliveries().iter().any(|attempt| attempt.delivered) }).await;

    let before = last_id(&app, ALICE);
    app.emulator.send_text(ALICE, "/start");
    let welcome = text_after(&app, ALICE, before, "Welcome to Starmine").await;
    let answers = query.await.expect("the burst ends");
    assert_eq!(answers[0].ok, Some(false), "the query was answered");

    // The emulator records a delivery's status when the bot's answer has come back, which can be
    // just after the handler's reply: wait for the accepting attempt to be recorded.
    let update_id = app.emulator.webhook_deliveries().iter().map(|attempt| attempt.update_id).max().expect("/start");
    app.wait_until(WAIT, || async {
        app.emulator
            .webhook_deliveries()
            .iter()
            .any(|attempt| attempt.update_id == update_id && attempt.status == Some(200))
    })
    .await;
    let attempts = app.emulator.webhook_deliveries();
    let start: Vec<Option<u16>> =
        attempts.iter().filter(|attempt| attempt.update_id == update_id).map(|attempt| attempt.status).collect();
    assert_eq!(start.first(), Some(&Some(503)), "no room while the query is in hand: {start:?}");
    assert_eq!(start.last(), Some(&Some(200)), "accepted once the slot came back: {start:?}");
    assert_eq!(start.iter().filter(|status| **status == Some(200)).count(), 1, "{start:?}");
    assert!(metric(&app, "starmine_webhook_total{outcome=\"busy\"}").await >= 1.0);
    let welcomes = app.emulator.messages(ALICE).iter().filter(|message| message.text == welcome.text).count();
    assert_eq!(welcomes, 1, "handled once");
}
