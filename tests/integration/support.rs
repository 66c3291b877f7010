//! Helpers shared by the scenario tests: start a bot, buy, pay, read `starmine player`.

use std::time::Duration;

use serde_json::Value;
use starmine::sandbox::emulator::{PayOutcome, RecordedRequest, SentMessage};

use crate::conformance::assert_conforms;
use crate::harness::{TestApp, TestOptions};

pub const WAIT: Duration = Duration::from_secs(10);
pub const ALICE: i64 = 1001;
pub const BOB: i64 = 1002;
pub const ADMIN: i64 = 9000;

/// A bot on the test catalog with send limits lifted (tests of the limits turn them on) and
/// `ADMIN` as admin.
pub async fn spawn() -> TestApp {
    spawn_with_env(&[]).await
}

pub async fn spawn_with_env(env: &[(&str, &str)]) -> TestApp {
    TestApp::spawn_with(options(env)).await
}

/// Like [`spawn`], with the app run in this test process instead of the binary.
pub async fn spawn_in_process() -> TestApp {
    TestApp::spawn_with(TestOptions { in_process: true, ..options(&[]) }).await
}

fn options(env: &[(&str, &str)]) -> TestOptions {
    let mut options = TestOptions { admin_user_ids: vec![ADMIN], ..TestOptions::default() };
    options.env.push(("SEND_LIMITS".into(), "off".into()));
    options.env.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    options
}

/// Like [`spawn_with_env`], in webhook mode at `url` with `secret`; the emulator delivers to it.
pub async fn spawn_webhook(url: &str, secret: &str, env: &[(&str, &str)]) -> TestApp {
    let mut options = options(&[&[("WEBHOOK_URL", url), ("WEBHOOK_SECRET", secret)], env].concat());
    options.wait_for_polling = false;
    let app = TestApp::spawn_with(options).await;
    route_webhook(&app, url, &[app.http_addr().await]).await;
    app
}

/// Like [`spawn_webhook`], with the webhook on a listener of its own (`WEBHOOK_ADDR`), where the
/// emulator delivers.
pub async fn spawn_webhook_own_listener(url: &str, secret: &str, env: &[(&str, &str)]) -> TestApp {
    let own = [("WEBHOOK_URL", url), ("WEBHOOK_SECRET", secret), ("WEBHOOK_ADDR", "127.0.0.1:0")];
    let mut options = options(&[&own, env].concat());
    options.wait_for_polling = false;
    let app = TestApp::spawn_with(options).await;
    route_webhook(&app, url, &[app.webhook_addr().await]).await;
    app
}

/// Points the emulator's load balancer at these bot processes and waits until the webhook
/// `url` is registered.
pub async fn route_webhook(app: &TestApp, url: &str, addrs: &[std::net::SocketAddr]) {
    app.emulator.route_webhook(addrs.iter().map(|addr| format!("http://{addr}")).collect());
    app.wait_until(WAIT, || async { app.emulator.webhook_url().as_deref() == Some(url) }).await;
}

/// Sends `text` as `user` and waits for a new bot message in their chat matching `pred`.
pub async fn say(app: &TestApp, user: i64, text: &str, pred: impl Fn(&SentMessage) -> bool) -> SentMessage {
    let before = last_id(app, user);
    app.emulator.send_text(user, text);
    reply_after(app, user, before, pred).await
}

/// Sends `text` and waits for a reply containing `needle`.
pub async fn say_expect(app: &TestApp, user: i64, text: &str, needle: &str) -> SentMessage {
    say(app, user, text, |m| m.text.as_deref().is_some_and(|t| t.contains(needle))).await
}

pub fn last_id(app: &TestApp, chat: i64) -> i64 {
    app.emulator.messages(chat).last().map_or(0, |m| m.message_id)
}

/// Waits for a bot message in `chat` newer than `after` matching `pred`.
pub async fn reply_after(app: &TestApp, chat: i64, after: i64, pred: impl Fn(&SentMessage) -> bool) -> SentMessage {
    match app.emulator.wait_for(chat, WAIT, |m| m.message_id > after && pred(m)).await {
        Ok(message) => message,
        Err(listing) => panic!("{listing}\n--- bot log ---\n{}", app.log_tail(40)),
    }
}

/// Waits for a new bot text in `chat` containing `needle`.
pub async fn text_after(app: &TestApp, chat: i64, after: i64, needle: &str) -> SentMessage {
    reply_after(app, chat, after, |m| m.text.as_deref().is_some_and(|t| t.contains(needle))).await
}

/// `/buy <item>` and the invoice it produces.
pub async fn invoice(app: &TestApp, user: i64, item: &str) -> SentMessage {
    say(app, user, &format!("/buy {item}"), |m| m.invoice.is_some()).await
}

/// Buys and pays `item`; waits for the receipt and returns the charge id.
pub async fn buy_and_pay(app: &TestApp, user: i64, item: &str) -> String {
    let invoice = invoice(app, user, item).await;
    let before = last_id(app, user);
    let charge = app.emulator.pay_invoice(user, user, invoice.message_id).await.charge_id();
    text_after(app, user, before, &charge).await;
    charge
}

/// Pays an invoice message and returns the outcome.
pub async fn pay(app: &TestApp, user: i64, invoice: &SentMessage) -> PayOutcome {
    app.emulator.pay_invoice(user, invoice.chat_id, invoice.message_id).await
}

/// `starmine player <user>` as JSON.
pub async fn player(app: &TestApp, user: i64) -> Value {
    let output = app.run_cli(&["player", &user.to_string()]).await;
    assert_eq!(output.status.code(), Some(0), "player failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("player prints JSON")
}

/// The quantity of `item` the player holds (0 when absent).
pub async fn held(app: &TestApp, user: i64, item: &str) -> u64 {
    player(app, user).await["inventory"][item].as_u64().unwrap_or(0)
}

/// The status of one payment in `starmine player`.
pub async fn status(app: &TestApp, user: i64, charge: &str) -> String {
    let player = player(app, user).await;
    let payments = player["payments"].as_array().cloned().unwrap_or_default();
    let payment = payments.iter().find(|p| p["telegram_payment_charge_id"] == charge);
    payment.map(|p| p["status"].as_str().unwrap_or_default().to_owned()).unwrap_or_else(|| "absent".into())
}

/// Waits until a payment has `expected` status.
pub async fn wait_status(app: &TestApp, user: i64, charge: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..200 {
        last = status(app, user, charge).await;
        if last == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("payment {charge} of {user} stayed `{last}`, expected `{expected}`\n{}", app.log_tail(40));
}

/// Every request the bot sent conforms to the Bot API description.
pub fn conforms(app: &TestApp) {
    assert_conforms(&app.emulator.requests());
}

/// Units of `item` sold and not refunded, straight from Redis.
pub async fn sold(app: &TestApp, item: &str) -> i64 {
    let mut redis = app.redis().await;
    let sold: Option<i64> = redis::cmd("GET").arg(format!("{{i:{item}}}:sold")).query_async(&mut redis).await.unwrap();
    sold.unwrap_or(0)
}

/// The first setGameScore the bot sent (a finished run's score leaves in the background).
pub async fn score_sent(app: &TestApp) -> RecordedRequest {
    let sent = || async { app.emulator.requests().into_iter().find(|request| request.method == "setGameScore") };
    crate::harness::poll_until(WAIT, sent).await.expect("the score is sent to Telegram")
}

/// A Prometheus sample's value from the metrics listener (0 when absent).
pub async fn metric(app: &TestApp, name_and_labels: &str) -> f64 {
    let text =
        reqwest::get(format!("http://{}/metrics", app.metrics_addr().await)).await.unwrap().text().await.unwrap();
    text.lines().find_map(|line| line.strip_prefix(name_and_labels)?.trim().parse().ok()).unwrap_or(0.0)
}
