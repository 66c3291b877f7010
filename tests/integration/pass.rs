//! The Miner's Pass end to end, real binary and real Redis: `/pass` offers a subscription
//! invoice link (`subscription_period` 2592000, a `sub.` payload); the first payment starts the
//! pass and each renewal (new charge id, same payload, no pre-checkout) extends it exactly once,
//! delivered twice or replayed from the journal after a crash; a second subscription is refused
//! at pre-checkout; `/pass` stops renewals and turns back on only what the bot stopped, naming
//! the subscription by its first charge; a retired pass still renews; a Russian player
//! subscribes in Russian.

use std::path::PathBuf;

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
refundable_use = "30m"

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
    let passes = &card["passes"];
    assert_eq!((passes[0]["pass_id"].as_str(), passes[0]["running"].as_bool()), (Some("pass"), Some(true)), "{card}");
    let until = chrono::DateTime::from_timestamp(paid_until + PERIOD_S, 0).unwrap();
    assert_eq!(passes[0]["paid_until"], until.to_rfc3339_opts(chrono::SecondsFormat::Millis, true), "{card}");
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

#[tokio::test]
async fn pass_stops_renewals_by_the_first_charge_and_turns_back_on_only_what_the_bot_stopped() {
    let (app, _dir, _keep) = spawn_with_pass(&[]).await;
    let (first, _) = subscribe(&app, ALICE).await;
    let second = renew(&app, &first);
    wait_status(&app, ALICE, &second, "paid").await;

    let status = say_expect(&app, ALICE, "/pass", "Telegram renews it on").await;
    let stop = status.button_data("Stop renewals").expect("a Stop renewals button");
    let requests = app.emulator.request_count();
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &stop);
    let stopped = text_after(&app, ALICE, before, "Renewals stopped").await;
    let until = starmine::domain::sales::Day::of(expiry(&app, ALICE).await).to_string();
    assert!(text(&stopped).contains(&until), "{}", text(&stopped));
    let edit = app.emulator.wait_for_request(requests, WAIT, |r| r.method == "editUserStarSubscription").await.unwrap();
    assert_eq!(edit.params["telegram_payment_charge_id"], first.as_str(), "the first charge names it: {}", edit.params);
    assert_eq!(edit.params["is_canceled"], true);
    assert_eq!(app.emulator.subscription(&first).unwrap().1.canceled_by, Some(CanceledBy::Bot));

    // Stopped by the bot: the pass still runs, and the bot may turn renewals back on.
    let status = say_expect(&app, ALICE, "/pass", "Renewals are stopped").await;
    let resume = status.button_data("Turn renewals back on").expect("a resume button");
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &resume);
    text_after(&app, ALICE, before, "Renewals are back on").await;
    assert_eq!(app.emulator.subscription(&first).unwrap().1.canceled_by, None);

    // Stopped again, then the player cancels in Telegram: the bot cannot undo that, and says so.
    let status = say_expect(&app, ALICE, "/pass", "Telegram renews it on").await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &status.button_data("Stop renewals").unwrap());
    text_after(&app, ALICE, before, "Renewals stopped").await;
    assert!(app.emulator.cancel_subscription_as_user(&first));
    let status = say_expect(&app, ALICE, "/pass", "Renewals are stopped").await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &status.button_data("Turn renewals back on").unwrap());
    text_after(&app, ALICE, before, "cannot turn it back on").await;
    assert_eq!(app.emulator.subscription(&first).unwrap().1.canceled_by, Some(CanceledBy::User));
    // The stopped subscription ends at its period's end: nothing more is charged.
    assert!(matches!(app.emulator.renew_subscription(&first, false), Renewal::Canceled { .. }));
    conforms(&app);
}

#[tokio::test]
async fn a_renewal_in_hand_at_a_crash_is_replayed_from_the_journal() {
    let (mut app, _dir, _keep) = spawn_with_pass(&[("RECONCILE_EVERY_S", "0")]).await;
    let (first, _) = subscribe(&app, ALICE).await;
    let paid_until = telegram_expiry(&app, &first);

    app.set_env("STARMINE_FAILPOINTS", Some("payment_handler"));
    app.restart().await;
    let second = renew(&app, &first);
    app.wait_until(WAIT, || async { app.run_log().contains("failpoint: stalled here") }).await;
    app.wait_until(WAIT, || async { app.emulator.pending_updates().is_empty() }).await;
    assert_eq!(status(&app, ALICE, &second).await, "absent", "nothing recorded yet");

    app.kill9().await;
    app.set_env("STARMINE_FAILPOINTS", None);
    app.restart().await;
    wait_status(&app, ALICE, &second, "paid").await;
    app.emulator.wait_for(ALICE, WAIT, |m| text(m).contains(&second)).await.expect("the renewal's receipt");
    assert_eq!(expiry(&app, ALICE).await, (paid_until + PERIOD_S) * 1000);
    assert_eq!(sold(&app, "pass").await, 2);
    assert!(app.run_log().contains("replaying an unfinished payment update from the journal"));
}

#[tokio::test]
async fn a_renewal_the_updates_never_brought_is_granted_by_reconciliation_for_its_period() {
    let (app, _dir, _keep) = spawn_with_pass(&[("RECONCILE_EVERY_S", "0")]).await;
    let (first, _) = subscribe(&app, ALICE).await;
    let paid_until = telegram_expiry(&app, &first);
    // The renewal's update is lost: only the Star ledger knows of it.
    app.emulator.lose_updates("message", 1);
    let second = renew(&app, &first);
    say_expect(&app, ALICE, "/inventory", "inventory").await;
    assert_eq!(status(&app, ALICE, &second).await, "absent");
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    wait_status(&app, ALICE, &second, "paid").await;
    assert_eq!(expiry(&app, ALICE).await, (paid_until + PERIOD_S) * 1000, "the ledger's date plus its period");
    // Again: nothing changes.
    app.run_cli(&["reconcile"]).await;
    assert_eq!(sold(&app, "pass").await, 2);
}

#[tokio::test]
async fn a_pass_taken_off_sale_still_renews_for_the_period_paid() {
    let (app, dir, _keep) = spawn_with_pass(&[]).await;
    let (first, link) = subscribe(&app, ALICE).await;
    let bobs_link = subscribe_link(&app, BOB, "every 30 days").await;
    edit(&dir, "daily_gems = 7", "daily_gems = 7\nretired = true");
    wait_for_log(&app, "game data reloaded").await;

    let second = renew(&app, &first);
    wait_status(&app, ALICE, &second, "paid").await;
    assert_eq!(expiry(&app, ALICE).await, (telegram_expiry(&app, &first)) * 1000);
    // No new subscriptions: the offer is gone and an older link is refused at pre-checkout.
    say_expect(&app, BOB, "/pass", "not on sale").await;
    let refused = app.emulator.pay_link(BOB, &bobs_link).await;
    assert!(matches!(&refused, PayOutcome::Declined { .. }), "{refused:?}");
    let again = app.emulator.pay_link(ALICE, &link).await;
    assert!(matches!(&again, PayOutcome::Declined { .. }), "{again:?}");
    say_expect(&app, ALICE, "/pass", "runs until").await;
}

#[tokio::test]
async fn a_russian_speaking_player_subscribes_in_russian() {
    let (app, _dir, _keep) = spawn_with_pass(&[]).await;
    app.emulator.set_user_language(ALICE, "ru-RU");
    let requests = app.emulator.request_count();
    let offer = say_expect(&app, ALICE, "/pass", "каждые 30 дней").await;
    assert!(text(&offer).contains("+10 к запасу энергии"), "{}", text(&offer));
    assert!(text(&offer).contains("7 самоцветов каждый день"), "{}", text(&offer));
    let (label, _, url) = offer.buttons().into_iter().find(|(_, _, url)| url.is_some()).unwrap();
    assert_eq!(label, "Подписаться · 40 ⭐");
    let link = app.emulator.wait_for_request(requests, WAIT, |r| r.method == "createInvoiceLink").await.unwrap();
    assert_eq!(link.params["title"], "Абонемент шахтёра");
    assert_eq!(link.params["description"], "Бонусы на месяц.");

    let before = last_id(&app, ALICE);
    let charge = app.emulator.pay_link(ALICE, &url.unwrap()).await.charge_id();
    let receipt = text(&text_after(&app, ALICE, before, &charge).await);
    assert!(receipt.contains("Абонемент шахтёра ваш — спасибо!"), "{receipt}");
    assert!(receipt.contains("40 ⭐ за 30 дней"), "{receipt}");
    let second = renew(&app, &charge);
    let renewed = text(&app.emulator.wait_for(ALICE, WAIT, |m| text(m).contains(&second)).await.unwrap());
    assert!(renewed.contains("Абонемент шахтёра продлён: 40 ⭐"), "{renewed}");
    let status = say_expect(&app, ALICE, "/pass", "действует до").await;
    assert!(text(&status).contains("бот этого не видит"), "{}", text(&status));
    assert!(status.button_data("Остановить продление").is_some());
}

/// The energy scripts and the domain agree on a pass's perks, derived from its stored expiry at
/// each moment: counted while it runs (with levels, stacked as levels are), gone once it ended.
#[tokio::test]
async fn the_energy_scripts_and_the_domain_agree_on_a_pass_while_it_runs_and_after() {
    use starmine::domain::{Energy, UserId};
    use starmine::store::game::EnergySpec;
    use starmine::store::Store;
    const NOW: i64 = 1_800_000_000_000;
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("game_data");
    copy_fixture(&dir);
    let items = dir.join("items.toml");
    std::fs::write(&items, std::fs::read_to_string(&items).unwrap() + PASS).unwrap();
    let catalog = starmine::game_data::load_dir(&dir).expect("the fixture with a pass loads");
    let redis = crate::harness::TestRedis::start().await;
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.unwrap();
    let spec = EnergySpec::of(&catalog);
    let mut conn = app_conn(&redis.url).await;
    let hour = 3_600_000;
    // The pass: none, ended before, running for 40 hours (ended at the last moment). The bar is
    // 10 points, one an hour: at 30 hours a running pass's cap (+10) shows.
    for (n, expires) in [None, Some(NOW - 1), Some(NOW + 40 * hour)].into_iter().enumerate() {
        let user = UserId(7_000 + n as u64);
        let key = format!("{{p:{user}}}:state");
        let mut upgrades = starmine::domain::Upgrades::default();
        if let Some(at) = expires {
            upgrades.passes.insert("pass".into(), at);
            let _: () = conn.hset(&key, "pass:pass", at).await.unwrap();
        }
        for later in [1_000, 10 * hour, 30 * hour, 50 * hour] {
            let _: () = conn.hset_multiple(&key, &[("energy", 2), ("energy_at", NOW)]).await.unwrap();
            let at = NOW + later;
            let rules = catalog.energy_rules(&upgrades, at);
            let expected = Energy { value: 2, at_ms: NOW }.now(&rules, at);
            let result = store.dig(user, &format!("d{n}-{later}"), &spec, 1, "Pass", at).await.unwrap();
            let energy = result.stats.energy.expect("energy stored").value;
            assert_eq!(energy, expected - rules.dig_cost, "case {n} at +{later} ms ({rules:?})");
            if n == 2 && later == 30 * hour {
                assert_eq!(energy, 20 - rules.dig_cost, "the running pass's cap counted");
            }
        }
    }
    // The perks themselves: +10 cap and 5 s faster a point while it runs, nothing after.
    let running = starmine::domain::Upgrades { passes: [("pass".into(), NOW + hour)].into(), ..Default::default() };
    let base = catalog.energy_rules(&Default::default(), NOW);
    let with = catalog.energy_rules(&running, NOW);
    assert_eq!((with.max, with.regen), (base.max + 10, base.regen - std::time::Duration::from_secs(5)));
    assert_eq!(catalog.energy_rules(&running, NOW + hour), base, "ended with its expiry");
}

async fn app_conn(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url).unwrap().get_multiplexed_async_connection().await.unwrap()
}

#[tokio::test]
async fn a_pass_that_ends_unrenewed_is_told_through_the_due_time_index() {
    let (app, _dir, _keep) = spawn_with_pass(&[("GAME_TICK_MS", "10")]).await;
    let (first, _) = subscribe(&app, ALICE).await;
    // Its renewal failed (too few Stars): nothing was charged, and the period paid runs out.
    assert_eq!(app.emulator.renew_subscription(&first, true), Renewal::Failed);
    // Time passes: the period ended just over the notice's grace ago (written as the expiry a
    // month on would be), and its timer is due now.
    let now = chrono::Utc::now().timestamp_millis();
    let ended = now - starmine::domain::pass::END_NOTICE_GRACE_MS - 1_000;
    let mut redis = app.redis().await;
    let _: () = redis.hset(format!("{{p:{ALICE}}}:state"), "pass:pass", ended).await.unwrap();
    let _: () = redis.zadd("timers:due", ALICE, now).await.unwrap();
    let notice = app
        .emulator
        .wait_for(ALICE, WAIT, |m| text(m).contains("has ended and its perks with it"))
        .await
        .expect("the pass's end is told");
    assert!(notice.button_data("Miner's Pass").is_some(), "{:?}", notice.buttons());
    let offer = say_expect(&app, ALICE, "/pass", "every 30 days").await;
    assert!(text(&offer).contains("Your Miner's Pass ended on"), "{}", text(&offer));
}

#[tokio::test]
async fn refunds_follow_the_pass_policy_end_the_period_and_stop_renewals_with_the_first() {
    let (app, _dir, _keep) = spawn_with_pass(&[]).await;
    let terms = say_expect(&app, ALICE, "/terms", "terms of sale").await;
    assert!(
        text(&terms).contains(
            "refund the latest month yourself with /refund within 1h of its payment while it has run for less than 30m"
        ),
        "{}",
        text(&terms)
    );

    // The latest month, just paid and barely used: the player refunds it; it ends at once and,
    // being the first payment, renewals stop.
    let (first, _) = subscribe(&app, ALICE).await;
    say_expect(&app, ALICE, &format!("/refund {first}"), "Refunded 40 ⭐").await;
    wait_status(&app, ALICE, &first, "refunded").await;
    assert!(expiry(&app, ALICE).await <= chrono::Utc::now().timestamp_millis(), "the period ended at once");
    assert_eq!(app.emulator.subscription(&first).unwrap().1.canceled_by, Some(CanceledBy::Bot));
    assert!(app.emulator.is_refunded(&first));
    say_expect(&app, ALICE, "/pass", "every 30 days").await;
    assert_eq!(sold(&app, "pass").await, 0, "the period's unit went back");

    // Bob renews once: his first month is no longer the latest, and the latest one used for
    // two days (its start written back) is past the designers' limit (30 minutes).
    let (bobs_first, _) = subscribe(&app, BOB).await;
    let bobs_second = renew(&app, &bobs_first);
    wait_status(&app, BOB, &bobs_second, "paid").await;
    say_expect(&app, BOB, &format!("/refund {bobs_first}"), "only the latest month of a pass can be refunded").await;
    let mut redis = app.redis().await;
    let two_days_ago = chrono::Utc::now().timestamp_millis() - 48 * 3_600_000;
    let _: () = redis.hset(format!("{{p:{BOB}}}:pay:{bobs_second}"), "pass_start", two_days_ago).await.unwrap();
    say_expect(&app, BOB, &format!("/refund {bobs_second}"), "used for 30m or more").await;
    assert_eq!(status(&app, BOB, &bobs_second).await, "paid");

    // An admin refunds any month: the older one takes its month off the pass, which runs on.
    let before = expiry(&app, BOB).await;
    let output = app.run_cli(&["refund", &BOB.to_string(), &bobs_first]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    wait_status(&app, BOB, &bobs_first, "refunded").await;
    let after = expiry(&app, BOB).await;
    let added: i64 = redis.hget(format!("{{p:{BOB}}}:pay:{bobs_first}"), "pass_added").await.unwrap();
    assert!(added > (PERIOD_S - 60) * 1000 && added <= PERIOD_S * 1000, "{added}");
    assert_eq!(before - after, added, "the month it added taken back");
    assert!(after > chrono::Utc::now().timestamp_millis(), "the paid renewal still runs");
    // The books balance: each period recorded, counted and refunded as the Star ledger says.
    let audit = app.run_cli(&["audit"]).await;
    assert_eq!(
        audit.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&audit.stdout),
        String::from_utf8_lossy(&audit.stderr)
    );
    conforms(&app);
}

#[tokio::test]
async fn the_sandbox_shows_the_pass_and_advances_it_to_the_renewal_or_fails_it() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("game_data");
    copy_fixture(&dir);
    let items = dir.join("items.toml");
    std::fs::write(&items, std::fs::read_to_string(&items).unwrap() + PASS).unwrap();
    let sandbox = crate::sandbox::start_sandbox_with(&[("GAME_DATA_DIR", dir.to_str().unwrap())]).await;
    let offer = sandbox.say(1001, "/pass", |m| m["text"].as_str().is_some_and(|t| t.contains("every 30 days"))).await;
    let link = offer["buttons"][0][0]["url"].as_str().expect("a Subscribe link").to_owned();
    let paid = sandbox.post("/sandbox/api/pay-link", serde_json::json!({ "user": 1001, "link": link })).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    let first = paid["charge_id"].as_str().unwrap().to_owned();
    let pass = |player: &serde_json::Value| player["passes"][0].clone();
    let started = crate::harness::poll_until(WAIT, || async {
        let player = sandbox.get("/sandbox/api/player/1001").await;
        (pass(&player)["first_charge"] == first.as_str()).then_some(pass(&player))
    })
    .await
    .expect("the pass in the player panel");
    assert_eq!(started["telegram"]["canceled_by"], serde_json::Value::Null);

    // Advance to the renewal: the next month is charged and the pass runs a month longer.
    let renewed = sandbox.post("/sandbox/api/renew", serde_json::json!({ "charge_id": first })).await;
    assert_eq!(renewed["status"], "renewed", "{renewed}");
    let later = started["expires_at"].as_i64().unwrap() + PERIOD_S * 1000;
    crate::harness::poll_until(WAIT, || async {
        let player = sandbox.get("/sandbox/api/player/1001").await;
        (pass(&player)["expires_at"] == later).then_some(())
    })
    .await
    .expect("the renewal extends the pass");
    // Then fail the next one: nothing charged, the subscription ends, and it cannot go on.
    let failed = sandbox.post("/sandbox/api/renew", serde_json::json!({ "charge_id": first, "fail": true })).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let player = sandbox.get("/sandbox/api/player/1001").await;
    assert_eq!(pass(&player)["telegram"]["ended"], true, "{player}");
    assert_eq!(pass(&player)["expires_at"], later, "the month paid still runs");
    let payments = player["payments"].as_array().unwrap().len();
    assert_eq!(payments, 2, "{player}");
    let again = sandbox.post("/sandbox/api/renew", serde_json::json!({ "charge_id": first })).await;
    assert_eq!(again["status"], "ended");
}

#[tokio::test]
async fn a_running_pass_gives_its_gems_once_a_day_and_the_books_balance() {
    let (app, _dir, _keep) = spawn_with_pass(&[]).await;
    let (first, _) = subscribe(&app, ALICE).await;
    let status = say_expect(&app, ALICE, "/pass", "runs until").await;
    let claim = status.button_data("Claim 7 gems").expect("a Claim button");
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &claim);
    text_after(&app, ALICE, before, "+7 gems from your pass — you have 7 now").await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &claim);
    text_after(&app, ALICE, before, "You have claimed today's gems").await;
    assert_eq!(player(&app, ALICE).await["gems"], 7, "once a day");
    // Once the pass has ended (its expiry written back), there is nothing to claim.
    let mut redis = app.redis().await;
    let ended = chrono::Utc::now().timestamp_millis() - 1;
    let _: () = redis.hset(format!("{{p:{ALICE}}}:state"), "pass:pass", ended).await.unwrap();
    let _: () = redis.hdel(format!("{{p:{ALICE}}}:state"), "pass_gems_day:pass").await.unwrap();
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, status.message_id, &claim);
    text_after(&app, ALICE, before, "Your pass is not running").await;
    let _ = first;
    let audit = app.run_cli(&["audit"]).await;
    assert_eq!(audit.status.code(), Some(0), "{}", String::from_utf8_lossy(&audit.stdout));
}
