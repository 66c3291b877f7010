//! The Miner's Pass end to end, real binary and real Redis: `/pass` offers a subscription
//! invoice link (`subscription_period` 2592000, a `sub.` payload); the first payment starts the
//! pass and each renewal (new charge id, same payload, no pre-checkout) extends it exactly once,
//! delivered twice or replayed from the journal after a crash; a second subscription is refused
//! at pre-checkout; `/pass` stops renewals and turns back on only what the bot stopped, naming
//! the subscription by its first charge; a retired pass still renews; a Russian player
//! subscribes in Russian.

use std::path::{Path, PathBuf};

use redis::AsyncCommands;
use starmine::sandbox::emulator::{CanceledBy, PayOutcome, Renewal, SentMessage};

use crate::harness::{TestApp, TestOptions};
use crate::reload::{copy_fixture, edit, wait_for_log};
use crate::support::*;

const PERIOD_S: i64 = 2_592_000;

/// The test catalog with one pass, `pass`, 40 Stars a month.
const PASS: &str = r#"
[[items]]
id = "pass"
name = "Miner's Pass"
description = "Monthly perks."
price_stars = 40
kind = "subscription"
energy_cap = 10
regen = 5
daily_gems = 7

[items.ru]
name = "Абонемент шахтёра"
description = "Бонусы на месяц."
"#;

/// A bot on the test catalog plus [`PASS`], in a directory the test may edit.
async fn spawn_with_pass(env: &[(&str, &str)]) -> (TestApp, PathBuf, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("game_data");
    copy_fixture(&dir);
    let items = dir.join("items.toml");
    let text = std::fs::read_to_string(&items).unwrap();
    std::fs::write(&items, text + PASS).unwrap();
    let mut options = TestOptions { game_data_dir: dir.clone(), admin_user_ids: vec![ADMIN], ..TestOptions::default() };
    options.env.push(("SEND_LIMITS".into(), "off".into()));
    options.env.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    (TestApp::spawn_with(options).await, dir, data)
}

fn text(message: &SentMessage) -> String {
    message.text.clone().unwrap_or_default()
}

/// `/pass` -> the offer's Subscribe button's invoice link.
async fn subscribe_link(app: &TestApp, user: i64, needle: &str) -> String {
    let offer = say_expect(app, user, "/pass", needle).await;
    let (_, _, url) = offer.buttons().into_iter().find(|(_, _, url)| url.is_some()).expect("a Subscribe link");
    url.unwrap()
}

/// Subscribes `user` through `/pass`; returns the first charge id once the receipt came, and
/// the link it paid.
async fn subscribe(app: &TestApp, user: i64) -> (String, String) {
    let link = subscribe_link(app, user, "every 30 days").await;
    let before = last_id(app, user);
    let charge = app.emulator.pay_link(user, &link).await.charge_id();
    text_after(app, user, before, &charge).await;
    (charge, link)
}

/// The pass's expiry as stored (ms; 0 without one).
async fn expiry(app: &TestApp, user: i64) -> i64 {
    let mut redis = app.redis().await;
    let at: Option<i64> = redis.hget(format!("{{p:{user}}}:state"), "pass:pass").await.unwrap();
    at.unwrap_or(0)
}

/// The emulator's own record of the subscription `charge` belongs to: its end (Unix time).
fn telegram_expiry(app: &TestApp, charge: &str) -> i64 {
    app.emulator.subscription(charge).expect("a subscription").1.expires_at
}

/// Charges the next month of `first`'s subscription; returns the renewal's charge id.
fn renew(app: &TestApp, first: &str) -> String {
    match app.emulator.renew_subscription(first, false) {
        Renewal::Renewed { charge_id, .. } => charge_id,
        other => panic!("not renewed: {other:?}"),
    }
}

fn receipts(app: &TestApp, user: i64, charge: &str) -> usize {
    app.emulator.messages(user).iter().filter(|m| text(m).contains(charge)).count()
}

#[tokio::test]
async fn the_first_payment_and_each_renewal_are_granted_once_and_extend_the_pass() {
    let (app, _dir, _keep) = spawn_with_pass(&[]).await;
    let requests = app.emulator.request_count();
    let (first, paid_link) = subscribe(&app, ALICE).await;
    let link = app.emulator.wait_for_request(requests, WAIT, |r| r.method == "createInvoiceLink").await.unwrap();
    assert_eq!(link.params["subscription_period"], PERIOD_S, "{}", link.params);
    assert!(link.params["payload"].as_str().unwrap().starts_with("sub.pass."), "{}", link.params);
    assert_eq!(link.params["currency"], "XTR");
    let receipt = app.emulator.messages(ALICE).into_iter().rfind(|m| text(m).contains(&first)).unwrap();
    assert!(text(&receipt).contains("Miner's Pass is yours"), "{}", text(&receipt));
    assert!(text(&receipt).contains("+10 energy cap, energy back 5 s faster a point, 7 gems"), "{}", text(&receipt));
    let paid_until = telegram_expiry(&app, &first);
    assert_eq!(expiry(&app, ALICE).await, paid_until * 1000, "the pass runs to the period Telegram paid for");

    // A renewal, delivered twice: granted once, the pass extended by a period.
    app.emulator.deliver_twice(true);
    let second = renew(&app, &first);
    wait_status(&app, ALICE, &second, "paid").await;
    say_expect(&app, ALICE, "/inventory", "inventory").await;
    app.emulator.deliver_twice(false);
    assert_eq!(receipts(&app, ALICE, &second), 1, "one receipt for the renewal");
    let renewed = app.emulator.messages(ALICE).into_iter().rfind(|m| text(m).contains(&second)).unwrap();
    assert!(text(&renewed).contains("Miner's Pass renewed: 40 ⭐"), "{}", text(&renewed));
    assert_eq!(expiry(&app, ALICE).await, (paid_until + PERIOD_S) * 1000);
    let card = player(&app, ALICE).await;
    assert_eq!(card["payments"].as_array().unwrap().len(), 2, "{card}");
    assert_eq!(card["inventory"], serde_json::json!({}), "a pass is never an inventory unit");
    assert_eq!(sold(&app, "pass").await, 2, "one unit a period on the item side");

    // While it runs and renews, a second subscription is refused before any charge.
    let twice = app.emulator.pay_link(ALICE, &paid_link).await;
    assert!(matches!(&twice, PayOutcome::Declined { .. }), "{twice:?}");
    assert_eq!(player(&app, ALICE).await["payments"].as_array().unwrap().len(), 2);

    let status = say_expect(&app, ALICE, "/pass", "runs until").await;
    assert!(text(&status).contains("Telegram renews it on"), "{}", text(&status));
    assert!(text(&status).contains("cannot see that or undo it"), "{}", text(&status));
    conforms(&app);
}
