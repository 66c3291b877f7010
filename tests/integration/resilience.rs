//! Bad input, late payments, send limits, restarts and the process contract (health, metrics
//! on their own listener, SIGTERM, starting while Redis is down).

use std::time::Duration;

use serde_json::{json, Value};
use starmine::sandbox::emulator::{Fault, PayOutcome};

use crate::harness::{TestApp, TestOptions, TestRedis};
use crate::support::*;

/// The successful_payment service message Telegram sends for `charge`.
pub(crate) fn payment_update(user: i64, payload: &str, amount: u32, charge: &str) -> Value {
    json!({ "message": {
        "message_id": 90_000 + amount as i64,
        "date": chrono::Utc::now().timestamp(),
        "chat": { "id": user, "type": "private", "first_name": "Player" },
        "from": { "id": user, "is_bot": false, "first_name": "Player" },
        "successful_payment": {
            "currency": "XTR", "total_amount": amount, "invoice_payload": payload,
            "telegram_payment_charge_id": charge, "provider_payment_charge_id": ""
        }
    }})
}

/// Pre-checkout approved, then the successful_payment is held back; returns (payload, charge).
async fn pay_but_hold_back_the_payment(app: &crate::harness::TestApp, user: i64, item: &str) -> (String, String) {
    let invoice = invoice(app, user, item).await;
    app.emulator.lose_updates("message", 1);
    let charge = pay(app, user, &invoice).await.charge_id();
    (invoice.invoice.unwrap().payload, charge)
}

#[tokio::test]
async fn a_payment_after_its_hold_lapsed_is_granted_if_possible_else_refunded() {
    let app = spawn().await;
    // Stock left: granted although the hold lapsed.
    let (payload, charge) = pay_but_hold_back_the_payment(&app, ALICE, "rare").await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    app.emulator.inject_update(payment_update(ALICE, &payload, 7, &charge));
    wait_status(&app, ALICE, &charge, "paid").await;
    assert_eq!(held(&app, ALICE, "rare").await, 1);

    // Sold out meanwhile: refunded automatically, never lost, never kept.
    let (payload, charge) = pay_but_hold_back_the_payment(&app, BOB, "rare").await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    buy_and_pay(&app, 3001, "rare").await;
    buy_and_pay(&app, 3002, "rare").await;
    let before = last_id(&app, BOB);
    app.emulator.inject_update(payment_update(BOB, &payload, 7, &charge));
    text_after(&app, BOB, before, "sold out before your payment arrived").await;
    wait_status(&app, BOB, &charge, "refunded").await;
    assert!(app.emulator.is_refunded(&charge));
    assert_eq!(held(&app, BOB, "rare").await, 0);
    assert_eq!(sold(&app, "rare").await, 3, "never oversold");
    assert_eq!(player(&app, BOB).await["payments"][0]["amount"], 7);
}

#[tokio::test]
async fn a_payment_for_an_unknown_order_is_refunded_automatically() {
    let app = spawn().await;
    // A charge Telegram made for an invoice whose order we never had (e.g. lost data).
    let outcome_charge = {
        let invoice = invoice(&app, ALICE, "energy").await;
        app.emulator.lose_updates("message", 1);
        pay(&app, ALICE, &invoice).await.charge_id()
    };
    let before = last_id(&app, ALICE);
    app.emulator.inject_update(payment_update(ALICE, "energy.ZZZZZZZZZZZZ", 5, &outcome_charge));
    text_after(&app, ALICE, before, "could not find its order").await;
    wait_status(&app, ALICE, &outcome_charge, "refunded").await;
    assert_eq!(held(&app, ALICE, "energy").await, 0);
}

#[tokio::test]
async fn a_send_refused_with_429_is_retried_after_retry_after() {
    let app = spawn().await;
    app.emulator.fault("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
    let started = std::time::Instant::now();
    say_expect(&app, ALICE, "/terms", "terms of sale").await;
    assert!(started.elapsed() >= Duration::from_millis(900), "waited for retry_after");
    let sends = app.emulator.requests().iter().filter(|r| r.method == "sendMessage").count();
    assert_eq!(sends, 2, "one refused, one retried");
}

#[tokio::test]
async fn malformed_and_unknown_updates_change_nothing() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    let snapshot = player(&app, ALICE).await;
    app.emulator.inject_update(json!({ "something_new": { "id": 1 } }));
    app.emulator.inject_update(json!({ "message": { "garbage": true } }));
    app.emulator.inject_update(json!({ "pre_checkout_query": { "id": 5 } }));
    app.emulator.inject_update(json!("not even an object"));
    app.emulator.inject_update(json!({ "message": { "message_id": 1, "date": 0,
        "chat": { "id": ALICE, "type": "private", "first_name": "A" },
        "refunded_payment": { "currency": "XTR", "total_amount": 5, "invoice_payload": "energy.x",
            "telegram_payment_charge_id": "stxFORGED" } } }));
    say_expect(&app, ALICE, "/inventory", "Energy ×1").await;
    assert_eq!(player(&app, ALICE).await, snapshot);
    assert_eq!(status(&app, ALICE, &charge).await, "paid");
}

#[tokio::test]
async fn a_4096_character_message_and_a_huge_argument_get_short_answers() {
    let app = spawn().await;
    say_expect(&app, ALICE, &"a".repeat(4096), "/shop").await;
    let huge = format!("/buy {}", "x".repeat(4000));
    let reply = say_expect(&app, ALICE, &huge, "no item called").await;
    assert!(reply.text.unwrap().chars().count() < 200);
    let reply = say_expect(&app, ALICE, &format!("/refund {}", "y".repeat(4000)), "can't find").await;
    assert!(reply.text.unwrap().chars().count() < 200);
    conforms(&app);
}

#[tokio::test]
async fn buying_too_fast_is_slowed_down_but_ten_a_minute_are_served() {
    let app = spawn().await;
    for _ in 0..10 {
        invoice(&app, ALICE, "energy").await;
    }
    for _ in 0..15 {
        app.emulator.send_text(ALICE, "/buy energy");
    }
    say_expect(&app, ALICE, "/buy energy", "buying very fast").await;
    let invoices = app.emulator.messages(ALICE).iter().filter(|m| m.invoice.is_some()).count();
    assert_eq!(invoices, 20, "exactly the allowed number is served in a minute");
    // Other players are not affected.
    invoice(&app, BOB, "energy").await;
}

#[tokio::test]
async fn groups_get_a_button_to_the_private_chat() {
    let app = spawn().await;
    app.emulator.send_group_text(-500, ALICE, "/shop");
    let reply = app.emulator.wait_for(-500, WAIT, |m| m.text.is_some()).await.unwrap();
    let buttons = reply.buttons();
    assert!(buttons.iter().any(|(_, _, url)| url.as_deref().is_some_and(|u| u.contains("t.me/"))), "{buttons:?}");
    assert!(app.emulator.messages(-500).iter().all(|m| m.invoice.is_none()));
}

#[tokio::test]
async fn paysupport_forwards_the_next_message_with_recent_payments() {
    let app = spawn().await;
    say_expect(&app, ADMIN, "/start", "Welcome").await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, "/paysupport", "next message").await;
    say_expect(&app, ALICE, "My energy did not arrive", "support team").await;
    let is_report =
        |m: &starmine::sandbox::emulator::SentMessage| m.text.as_deref().is_some_and(|t| t.contains("Support request"));
    let report = app.emulator.wait_for(ADMIN, WAIT, is_report).await.unwrap().text.unwrap();
    assert!(report.contains("My energy did not arrive") && report.contains(&charge), "{report}");
    // Only the one message is forwarded.
    say_expect(&app, ALICE, "hello again", "/shop").await;
    assert_eq!(app.emulator.messages(ADMIN).iter().filter(|m| is_report(m)).count(), 1);
}

#[tokio::test]
async fn kill9_and_restart_keep_every_record() {
    let mut app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "starter").await;
    let open = invoice(&app, BOB, "golden").await;
    // Checked against the Star ledger first, so the restart's own ledger pass changes nothing.
    let reconciled = app.run_cli(&["reconcile"]).await;
    assert_eq!(reconciled.status.code(), Some(0), "{}", String::from_utf8_lossy(&reconciled.stderr));
    let snapshot = player(&app, ALICE).await;
    assert!(snapshot["payments"][0]["verified_at"].is_string(), "{snapshot}");
    app.kill9().await;
    // Paid while the bot is down: handled once it is back.
    let payer = app.emulator.clone();
    let paying = tokio::spawn(async move { payer.pay_invoice(BOB, BOB, open.message_id).await });
    app.restart().await;
    let bob_charge = match paying.await.unwrap() {
        PayOutcome::Paid { charge_id } => charge_id,
        other => panic!("{other:?}"),
    };
    wait_status(&app, BOB, &bob_charge, "paid").await;
    assert_eq!(player(&app, ALICE).await, snapshot);
    assert_eq!(status(&app, ALICE, &charge).await, "paid");
    assert_eq!(sold(&app, "golden").await, 1);
    say_expect(&app, ALICE, "/inventory", "Energy ×3").await;
}

#[tokio::test]
async fn sigterm_drains_and_exits_zero_and_health_answers_and_metrics_are_not_public() {
    let mut app = spawn().await;
    let addr = app.http_addr().await;
    let client = reqwest::Client::new();
    let health = client.get(format!("http://{addr}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let public = client.get(format!("http://{addr}/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404, "/metrics (revenue) is not on the public listener");
    let metrics_addr = app.metrics_addr().await;
    assert_ne!(metrics_addr, addr);
    let metrics = client.get(format!("http://{metrics_addr}/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(metrics.text().await.unwrap().contains("starmine_http_connections_open"));
    let status = app.sigterm().await;
    assert_eq!(status.code(), Some(0), "{}", app.log_tail(20));
}

#[tokio::test]
async fn serve_started_while_redis_is_down_waits_not_ready_and_starts_when_it_answers() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let mut options = TestOptions { wait_for_polling: false, ..TestOptions::default() };
    options.env.push(("REDIS_URL".into(), redis_url));
    options.env.push(("SEND_LIMITS".into(), "off".into()));
    let mut app = TestApp::spawn_with(options).await;
    let addr = app.http_addr().await;
    let health = || async move {
        let response = reqwest::get(format!("http://{addr}/healthz")).await.expect("the listener answers");
        (response.status().as_u16(), response.text().await.unwrap_or_default())
    };
    let (status, body) = health().await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("not ready"), "{body}");
    // It keeps trying (one line per attempt), and stays not ready.
    app.wait_until(WAIT, || async { app.run_log().matches("does not answer").count() >= 3 }).await;
    assert_eq!(health().await.0, 503);
    assert!(app.emulator.requests().iter().all(|request| request.method != "getUpdates"));

    let _redis = TestRedis::start_on(port).await;
    app.wait_until_polling().await;
    assert_eq!(health().await, (200, "ok\n".to_owned()));
    say_expect(&app, ALICE, "/start", "Welcome to Starmine").await;
    assert!(app.run_log().contains("Redis answers; starting"));
}
