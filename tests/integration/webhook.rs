//! Update intake: webhook mode with two `serve` processes behind one URL (the emulator is the
//! load balancer), the secret check, "answer only when safe", and the journal that keeps a
//! payment update alive when the process dies between confirming it and handling it (with
//! polling and with the webhook).

use std::time::Duration;

use serde_json::{json, Value};
use starmine::http::webhook::SECRET_HEADER;

use crate::harness::{poll_until, TestApp};
use crate::support::*;

pub(crate) const HOOK_URL: &str = "https://starmine.test/telegram/hook-7f3a";
pub(crate) const SECRET: &str = "test_webhook_secret-0123456789";

/// A bot in webhook mode (periodic reconciliation off, so only the journal can repair).
async fn webhook_bot() -> TestApp {
    spawn_webhook(HOOK_URL, SECRET, &[("RECONCILE_EVERY_S", "0")]).await
}

async fn route_to(app: &TestApp, addrs: &[std::net::SocketAddr]) {
    route_webhook(app, HOOK_URL, addrs).await;
}

pub(crate) async fn journal_len(app: &TestApp) -> usize {
    let mut redis = app.redis().await;
    redis::cmd("HLEN").arg("{journal}:updates").query_async(&mut redis).await.expect("HLEN")
}

pub(crate) async fn post_update(app: &TestApp, secret: Option<&str>, body: &str) -> (u16, String) {
    let url = format!("http://{}/telegram/hook-7f3a", app.http_addr().await);
    let mut request = reqwest::Client::new().post(url).header("content-type", "application/json").body(body.to_owned());
    if let Some(secret) = secret {
        request = request.header(SECRET_HEADER, secret);
    }
    let response = request.send().await.expect("the webhook answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// A `successful_payment` update as Telegram would send it, for a real order.
pub(crate) fn payment_update(update_id: i64, user: i64, payload: &str, amount: u32, charge: &str) -> Value {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": 900 + update_id,
            "date": 1_700_000_000,
            "chat": { "id": user, "type": "private", "first_name": "Forger" },
            "from": { "id": user, "is_bot": false, "first_name": "Forger" },
            "successful_payment": {
                "currency": "XTR",
                "total_amount": amount,
                "invoice_payload": payload,
                "telegram_payment_charge_id": charge,
                "provider_payment_charge_id": ""
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_webhook_processes_share_deliveries_and_grant_each_payment_once() {
    let mut app = webhook_bot().await;
    let mut peer = app.spawn_peer("peer").await;
    let addrs = [app.http_addr().await, peer.http_addr().await];
    route_to(&app, &addrs).await;
    assert_eq!(
        app.emulator.allowed_updates(),
        Some(["message", "callback_query", "pre_checkout_query", "inline_query"].map(String::from).to_vec()),
        "allowed_updates are registered explicitly"
    );

    // Six players buy at once, every update delivered twice (as after a lost confirmation).
    app.emulator.deliver_twice(true);
    let players = [7101, 7102, 7103, 7104, 7105, 7106];
    let buys = players.map(|user| {
        let app = &app;
        async move { buy_and_pay(app, user, "energy").await }
    });
    let charges = futures::future::join_all(buys).await;
    app.emulator.deliver_twice(false);
    for (user, charge) in players.iter().zip(&charges) {
        wait_status(&app, *user, charge, "paid").await;
        assert_eq!(held(&app, *user, "energy").await, 1, "player {user}: granted once");
    }
    let delivered: Vec<String> =
        app.emulator.webhook_deliveries().into_iter().filter(|d| d.delivered).map(|d| d.target).collect();
    for addr in &addrs {
        let to_this = delivered.iter().filter(|target| target.contains(&addr.to_string())).count();
        assert!(to_this >= 5, "process {addr} got only {to_this} of {} deliveries", delivered.len());
    }

    // One process dies: deliveries to it fail and move on to the other; nothing is lost.
    app.kill9().await;
    let more = [7101, 7102, 7103].map(|user| {
        let app = &app;
        async move { buy_and_pay(app, user, "energy").await }
    });
    let later = futures::future::join_all(more).await;
    for (user, charge) in [7101, 7102, 7103].iter().zip(&later) {
        wait_status(&app, *user, charge, "paid").await;
        assert_eq!(held(&app, *user, "energy").await, 2, "player {user}: both purchases granted once");
    }
    let failed = app.emulator.webhook_deliveries().iter().filter(|d| !d.delivered).count();
    println!("deliveries: {} ok, {failed} failed and retried", app.emulator.webhook_deliveries().len() - failed);
    assert!(app.emulator.pending_updates().is_empty(), "every update was delivered");
    // What the killed process had journaled and not yet cleared (its clears are group-committed,
    // so a kill -9 can leave finished entries behind) the peer replays once they are due
    // (REPLAY_AFTER): harmless, and then the journal is empty.
    let drained = poll_until(Duration::from_secs(30), || async { (journal_len(&app).await == 0).then_some(()) }).await;
    assert!(drained.is_some(), "every payment update finished: {} left", journal_len(&app).await);
    for (user, charge) in players.iter().zip(&charges) {
        assert_eq!(status(&app, *user, charge).await, "paid", "player {user}: a replay changes nothing");
    }
    for user in [7101, 7102, 7103] {
        assert_eq!(held(&app, user, "energy").await, 2, "player {user}: still granted once per purchase");
    }
    assert!(peer.log().contains("waiting for webhook deliveries"));
    peer.kill9().await;
}

#[tokio::test]
async fn the_webhook_refuses_wrong_secrets_and_malformed_bodies_and_changes_nothing() {
    let app = webhook_bot().await;
    let invoice = invoice(&app, ALICE, "pickaxe").await;
    let payload = invoice.invoice.clone().unwrap().payload;
    let forged = payment_update(50_000, ALICE, &payload, 50, "stxForgedCharge0001").to_string();

    for secret in [None, Some("wrong_secret-0123456789xyz"), Some(&SECRET[..SECRET.len() - 1])] {
        let (status, body) = post_update(&app, secret, &forged).await;
        assert_eq!(status, 401, "secret {secret:?}: {body}");
        assert!(body.contains("secret token"), "{body}");
    }
    for body in ["not json", "[]", r#"{"message":{}}"#, r#"{"update_id":"7"}"#] {
        let (status, answer) = post_update(&app, Some(SECRET), body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer.contains("not a Telegram Update"), "{answer}");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(held(&app, ALICE, "pickaxe").await, 0, "nothing was granted");
    assert_eq!(status(&app, ALICE, "stxForgedCharge0001").await, "absent");
    assert_eq!(journal_len(&app).await, 0);
    assert!(!app.log().contains(SECRET), "the secret never reaches the log");
    assert!(app.log().contains("refused a request without the right secret token"));
}

#[tokio::test]
async fn refused_requests_are_all_counted_and_logged_once_not_once_each() {
    let app = webhook_bot().await;
    for attempt in 0..30 {
        let secret = (attempt % 2 == 0).then_some("wrong_secret-0123456789xyz");
        assert_eq!(post_update(&app, secret, "{}").await.0, 401);
    }
    let log = app.run_log();
    let lines = log.lines().filter(|line| line.contains("without the right secret token")).count();
    assert_eq!(lines, 1, "one line now, the rest in the minute's summary:\n{}", app.log_tail(40));
    assert_eq!(metric(&app, "starmine_webhook_total{outcome=\"bad_secret\"}").await, 30.0);
}

#[tokio::test]
async fn with_redis_down_the_webhook_answers_503_and_the_retry_is_granted() {
    let mut app = webhook_bot().await;
    let invoice = invoice(&app, BOB, "pickaxe").await;
    let payload = invoice.invoice.clone().unwrap().payload;
    let update = payment_update(60_000, BOB, &payload, 50, "stxRetriedCharge001").to_string();

    app.kill9_redis();
    let (status, _) = post_update(&app, Some(SECRET), &update).await;
    assert_eq!(status, 503, "not safe yet: Telegram must deliver it again");
    app.restart_redis().await;
    assert_eq!(held(&app, BOB, "pickaxe").await, 0);

    let redelivered = async {
        loop {
            match post_update(&app, Some(SECRET), &update).await {
                (200, _) => return,
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    };
    tokio::time::timeout(WAIT, redelivered).await.expect("the webhook takes the update once Redis is back");
    wait_status(&app, BOB, "stxRetriedCharge001", "paid").await;
    assert_eq!(held(&app, BOB, "pickaxe").await, 1);
}

/// The process dies after Telegram was told it has a payment update (the next getUpdates
/// offset, or the webhook's 200) and before the handler recorded anything. With periodic
/// reconciliation off, only the journal can bring the payment back.
async fn a_payment_in_hand_at_a_crash_is_replayed(mut app: TestApp, webhook: bool) {
    app.set_env("STARMINE_FAILPOINTS", Some("payment_handler"));
    app.restart().await;
    if webhook {
        route_to(&app, &[app.http_addr().await]).await;
    }
    let invoice = invoice(&app, ALICE, "pickaxe").await;
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    app.wait_until(WAIT, || async { app.run_log().contains("failpoint: stalled here") }).await;
    // Telegram's side is done with it: confirmed by offset or by the 200.
    app.wait_until(WAIT, || async { app.emulator.pending_updates().is_empty() }).await;
    assert_eq!(journal_len(&app).await, 1, "the payment update is in the journal");
    assert_eq!(status(&app, ALICE, &charge).await, "absent", "nothing recorded yet");

    app.kill9().await;
    app.set_env("STARMINE_FAILPOINTS", None);
    app.restart().await;
    if webhook {
        route_to(&app, &[app.http_addr().await]).await;
    }
    wait_status(&app, ALICE, &charge, "paid").await;
    let receipt = app.emulator.wait_for(ALICE, WAIT, |m| m.text.as_deref().is_some_and(|t| t.contains(&charge))).await;
    assert!(receipt.is_ok(), "the player gets the receipt after the replay");
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1, "granted once");
    assert!(app.run_log().contains("replaying an unfinished payment update from the journal"));
    app.wait_until(WAIT, || async { journal_len(&app).await == 0 }).await;
}

#[tokio::test]
async fn polling_a_payment_in_hand_at_a_crash_is_replayed_from_the_journal() {
    let app = spawn_with_env(&[("RECONCILE_EVERY_S", "0")]).await;
    a_payment_in_hand_at_a_crash_is_replayed(app, false).await;
}

#[tokio::test]
async fn webhook_a_payment_in_hand_at_a_crash_is_replayed_from_the_journal() {
    let app = webhook_bot().await;
    a_payment_in_hand_at_a_crash_is_replayed(app, true).await;
}
