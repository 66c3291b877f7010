//! The money counters (`store::money`, counted by the payment and refund scripts): after a run
//! of purchases and refunds of every kind — a bundle, limited items, a duplicate delivery, a
//! player's, an admin's and an automatic refund, a dispute, a made-up charge voided and a false
//! claim overruled by the Star ledger — each item's figures summed over the days equal what the
//! payment records, `starmine audit`, the emulator's Star ledger, the console's copy of that
//! ledger (filled by reconciliation) and the console's overview say; replaying it all counts
//! nothing twice; purchases per hour add up to the day's, and the paying players of the day are
//! those whose payment was accepted, each once; on a Redis Cluster each item's counters live in
//! its own slot, and the ledger copy works there too.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use redis::AsyncCommands;
use serde_json::Value;
use starmine::domain::ledger::{Direction, LedgerFilter};
use starmine::domain::sales::{days, total, Day, DaySales, Hour};
use starmine::domain::ItemId;
use starmine::store::Store;

use crate::admin_sales::{read, signed_in, window};
use crate::audit::{audit_clean, CAROL};
use crate::harness::{TestApp, TestCluster};
use crate::ledger_check::{open_order, post_payment};
use crate::support::*;
use crate::webhook::{HOOK_URL, SECRET};

const DAVE: i64 = 1004;
/// The items of `tests/fixtures/game_data`.
const ITEMS: [&str; 11] = [
    "energy",
    "pickaxe",
    "lantern",
    "golden",
    "crate",
    "starter",
    "gem_pack",
    "rare",
    "stopwatch",
    "gold_skin",
    "rush",
];

/// Received and refunded Stars of one item.
type Stars = (u64, u64);

/// Each item's counters summed over today and yesterday (a run may cross midnight UTC).
async fn counters(urls: &[String]) -> BTreeMap<String, DaySales> {
    let store = Store::connect(urls).await.expect("the store connects");
    let items: Vec<ItemId> = ITEMS.iter().map(|item| ItemId::parse(item).expect("an item id")).collect();
    let range = Day::of(chrono::Utc::now().timestamp_millis()).last(2);
    let by_item = store.money_by_day(&items, range.clone()).await.expect("the counters read");
    assert_eq!(by_item.len(), ITEMS.len());
    by_item.iter().map(|(item, days)| (item.to_string(), total(days, &range))).collect()
}

fn stars_of(counters: &BTreeMap<String, DaySales>) -> BTreeMap<String, Stars> {
    let figures = counters.iter().map(|(item, sales)| (item.clone(), (sales.received(), sales.refunded_stars)));
    figures.filter(|(_, stars)| *stars != (0, 0)).collect()
}

/// The emulator's Star ledger by the item its invoice payload names.
fn ledger_by_item(app: &TestApp) -> BTreeMap<String, Stars> {
    let mut by_item: BTreeMap<String, Stars> = BTreeMap::new();
    for transaction in app.emulator.transactions() {
        let amount = transaction["amount"].as_u64().expect("an amount");
        let (side, incoming) = if transaction["source"].is_object() { ("source", true) } else { ("receiver", false) };
        let payload = transaction[side]["invoice_payload"].as_str().expect("our invoice payload");
        let item = payload.split('.').next().unwrap_or_default().to_owned();
        let stars = by_item.entry(item).or_default();
        if incoming {
            stars.0 += amount;
        } else {
            stars.1 += amount;
        }
    }
    by_item
}

/// The console's copy of the Star ledger (what reconciliation copied) by the item its rows name.
async fn ledger_copy_by_item(urls: &[String]) -> BTreeMap<String, Stars> {
    let store = Store::connect(urls).await.expect("the store connects");
    let mut by_item: BTreeMap<String, Stars> = BTreeMap::new();
    for row in store.ledger_rows(&LedgerFilter::default()).await.expect("the copy reads") {
        let stars = by_item.entry(row.item().expect("our payload").to_string()).or_default();
        match row.direction {
            Direction::In => stars.0 += u64::from(row.amount),
            Direction::Out => stars.1 += u64::from(row.amount),
        }
    }
    by_item
}

/// Every payment record of `users` (`starmine player`) by item: received (voided ones aside,
/// as the audit counts) and refunded.
async fn records_by_item(app: &TestApp, users: &[i64]) -> BTreeMap<String, Stars> {
    let mut by_item: BTreeMap<String, Stars> = BTreeMap::new();
    for &user in users {
        for payment in player(app, user).await["payments"].as_array().cloned().unwrap_or_default() {
            let field = |name: &str| payment[name].as_str().unwrap_or_default().to_owned();
            let amount = payment["amount"].as_u64().expect("an amount");
            let stars = by_item.entry(field("item_id")).or_default();
            match field("status").as_str() {
                "voided" => {}
                "refunded" => (stars.0, stars.1) = (stars.0 + amount, stars.1 + amount),
                _ => stars.0 += amount,
            }
        }
    }
    by_item.retain(|_, stars| *stars != (0, 0));
    by_item
}

/// Units sold and not refunded of each item, as its `sold` count says.
async fn sold_counts(app: &TestApp) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for item in ITEMS {
        counts.insert(item.to_owned(), sold(app, item).await);
    }
    counts
}

/// The counters agree with the records, the audit's totals, the Star ledger, its copy, the
/// console's overview and the sold counts.
async fn assert_agree(app: &TestApp, urls: &[String], users: &[i64]) -> BTreeMap<String, DaySales> {
    let counters = counters(urls).await;
    let counted = stars_of(&counters);
    assert_eq!(counted, ledger_by_item(app), "counters vs the Star ledger: {counters:#?}");
    assert_eq!(counted, ledger_copy_by_item(urls).await, "counters vs the console's copy of the Star ledger");
    assert_eq!(counted, records_by_item(app, users).await, "counters vs the payment records");
    let report = audit_clean(app).await;
    let (received, refunded) = counted.values().fold((0, 0), |sum, stars| (sum.0 + stars.0, sum.1 + stars.1));
    assert_eq!(report["stars"]["received"]["records"], received, "{report}");
    assert_eq!(report["stars"]["received"]["star_ledger"], received, "{report}");
    assert_eq!(report["stars"]["refunded"]["records"], refunded, "{report}");
    assert_eq!(report["stars"]["refunded"]["star_ledger"], refunded, "{report}");
    let overview = read(app, &signed_in(app).await, "/admin/api/overview").await;
    let (shown_received, shown_refunded, ..) = window(&overview["sales"]["ok"], "7 days");
    assert_eq!((shown_received, shown_refunded), (received as i64, refunded as i64), "the console's overview");
    let units: BTreeMap<String, i64> = counters
        .iter()
        .map(|(item, sales)| (item.clone(), sales.sold as i64 - sales.refunded as i64 - sales.voided as i64))
        .collect();
    assert_eq!(units, sold_counts(app).await, "sold - refunded - voided is what the sold counts say");
    counters
}

fn figures(sales: &DaySales) -> [u64; 7] {
    [sales.sold, sales.stars, sales.refunded, sales.refunded_stars, sales.voided, sales.voided_stars, sales.purchases]
}

/// The players counted as paying today or yesterday (a run may cross midnight UTC).
async fn payers(app: &TestApp) -> BTreeSet<i64> {
    let mut redis = app.redis().await;
    let mut payers = BTreeSet::new();
    for day in days(&Day::of(chrono::Utc::now().timestamp_millis()).last(2)) {
        let members: Vec<i64> = redis.smembers(format!("{{payers:{day}}}")).await.expect("the payers read");
        payers.extend(members);
    }
    payers
}

/// All items' purchases per hour over the last two days, summed.
async fn hourly_purchases(urls: &[String]) -> u64 {
    let store = Store::connect(urls).await.expect("the store connects");
    let items: Vec<ItemId> = ITEMS.iter().map(|item| ItemId::parse(item).expect("an item id")).collect();
    let hours = Hour::of(chrono::Utc::now().timestamp_millis()).last(48);
    store.purchases_by_hour(&items, hours).await.expect("the counters read").iter().sum()
}

/// Every kind of payment and refund, then the same updates and commands again.
#[tokio::test]
async fn the_counters_agree_with_the_records_the_audit_and_the_star_ledger() {
    let env = [("RECONCILE_EVERY_S", "0"), ("LEDGER_GRACE_S", "1"), ("ADMIN_SESSION_SECRET", crate::admin::SECRET)];
    let app = spawn_webhook(HOOK_URL, SECRET, &env).await;
    let urls = [app.redis_url.clone()];
    say(&app, ADMIN, "/start", |_| true).await;
    // Sales: a consumable, a bundle, a permanent item, two limited ones, a per-player limit.
    let energy = buy_and_pay(&app, ALICE, "energy").await;
    let starter = buy_and_pay(&app, ALICE, "starter").await;
    buy_and_pay(&app, ALICE, "pickaxe").await;
    let golden = buy_and_pay(&app, BOB, "golden").await;
    buy_and_pay(&app, BOB, "rare").await;
    buy_and_pay(&app, CAROL, "crate").await;
    buy_and_pay(&app, CAROL, "crate").await;
    // A successful_payment delivered twice: granted and counted once.
    let gem_invoice = invoice(&app, CAROL, "gem_pack").await;
    app.emulator.deliver_twice(true);
    let gems = pay(&app, CAROL, &gem_invoice).await.charge_id();
    say_expect(&app, CAROL, "/inventory", "Crate ×2").await;
    app.emulator.deliver_twice(false);
    wait_status(&app, CAROL, &gems, "paid").await;

    // A player's refund, an admin's, a dispute.
    say_expect(&app, ALICE, &format!("/refund {energy}"), "Refunded 5 ⭐").await;
    say_expect(&app, ADMIN, &format!("/refund {ALICE} {starter}"), "Refunded 25 ⭐").await;
    assert!(app.emulator.dispute(BOB, &golden));
    wait_status(&app, BOB, &golden, "refunded").await;

    // An automatic refund: Dave's payment arrives after his hold lapsed and the rest sold out.
    let (rare_payload, rare_amount) = open_order(&app, DAVE, "rare").await;
    let rare_invoice = app.emulator.messages(DAVE).into_iter().rev().find(|m| m.invoice.is_some()).unwrap();
    app.emulator.lose_updates("message", 1);
    let late = pay(&app, DAVE, &rare_invoice).await.charge_id();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    buy_and_pay(&app, 3001, "rare").await;
    buy_and_pay(&app, 3002, "rare").await;
    post_payment(&app, 701, DAVE, &rare_payload, rare_amount, &late).await;
    wait_status(&app, DAVE, &late, "refunded").await;
    assert!(app.emulator.is_refunded(&late));

    // The Star ledger's check: a made-up charge id for Bob's real order is voided, and a claim
    // of Alice's lost payment under Bob's own order is overruled (Bob's voided, Alice's granted).
    let (lantern_payload, lantern_amount) = open_order(&app, BOB, "lantern").await;
    let forged = "stx_forged_money_0000000000";
    post_payment(&app, 702, BOB, &lantern_payload, lantern_amount, forged).await;
    let alice_invoice = invoice(&app, ALICE, "energy").await;
    app.emulator.lose_updates("message", 1);
    let claimed = pay(&app, ALICE, &alice_invoice).await.charge_id();
    let (bob_payload, bob_amount) = open_order(&app, BOB, "energy").await;
    post_payment(&app, 703, BOB, &bob_payload, bob_amount, &claimed).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!((report["checked"]["voided"].as_u64(), report["payments_recovered"].as_u64()), (Some(1), Some(1)));
    assert_eq!(report["copied"], app.emulator.transactions().len(), "the whole ledger copied: {report}");
    assert_eq!(status(&app, BOB, forged).await, "voided");
    assert_eq!(
        (status(&app, BOB, &claimed).await, status(&app, ALICE, &claimed).await),
        ("voided".into(), "paid".into())
    );

    let users = [ALICE, BOB, CAROL, DAVE, 3001, 3002];
    let before = assert_agree(&app, &urls, &users).await;
    let expected = BTreeMap::from([
        // Alice's refunded energy; Bob's voided claim; Alice's energy, granted from the ledger.
        ("energy", [3, 15, 1, 5, 1, 5, 3]),
        ("starter", [1, 25, 1, 25, 0, 0, 1]),
        ("pickaxe", [1, 50, 0, 0, 0, 0, 1]),
        ("golden", [1, 100, 1, 100, 0, 0, 1]),
        // Three sold, Dave's paid and refunded automatically: no unit of his was ever sold, and
        // his is no purchase.
        ("rare", [3, 28, 0, 7, 0, 0, 3]),
        ("crate", [2, 20, 0, 0, 0, 0, 2]),
        ("gem_pack", [1, 15, 0, 0, 0, 0, 1]),
        ("lantern", [1, 20, 0, 0, 1, 20, 1]),
    ]);
    for (item, sales) in &before {
        let figures = figures(sales);
        assert_eq!(figures, expected.get(item.as_str()).copied().unwrap_or([0; 7]), "{item}: {sales:?}");
    }
    // Every purchase counted in its hour too; the paying players are those whose payment was
    // accepted (Dave's was refunded automatically: he bought nothing).
    assert_eq!(hourly_purchases(&urls).await, 13);
    assert_eq!(payers(&app).await, BTreeSet::from([ALICE, BOB, CAROL, 3001, 3002]));

    // Everything again: the same updates, refunds, dispute and ledger pass count nothing more.
    post_payment(&app, 802, DAVE, &rare_payload, rare_amount, &late).await;
    post_payment(&app, 803, BOB, &lantern_payload, lantern_amount, forged).await;
    post_payment(&app, 804, BOB, &bob_payload, bob_amount, &claimed).await;
    say_expect(&app, ALICE, &format!("/refund {energy}"), "already refunded").await;
    say_expect(&app, ADMIN, &format!("/refund {ALICE} {starter}"), "already refunded").await;
    assert!(!app.emulator.dispute(BOB, &golden), "refunded once");
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let again: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(again["copied"], 0, "nothing copied twice: {again}");
    assert_eq!(assert_agree(&app, &urls, &users).await, before, "nothing counted twice");
    assert_eq!(hourly_purchases(&urls).await, 13, "no purchase counted twice");
    assert_eq!(payers(&app).await.len(), 5, "no payer counted twice");
}

/// Sales and a refund on a 3-master cluster: the counters are read from each item's slot and
/// agree with the records and the ledger.
#[tokio::test]
async fn the_counters_work_on_a_cluster() {
    let cluster = TestCluster::start().await;
    let url = cluster.redis_url();
    let app = spawn_with_env(&[("REDIS_URL", &url)]).await;
    let urls: Vec<String> = url.split(',').map(str::to_owned).collect();
    let starter = buy_and_pay(&app, ALICE, "starter").await;
    buy_and_pay(&app, BOB, "rare").await;
    buy_and_pay(&app, BOB, "pickaxe").await;
    say_expect(&app, ALICE, &format!("/refund {starter}"), "Refunded 25 ⭐").await;
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));

    let counters = counters(&urls).await;
    assert_eq!(stars_of(&counters), ledger_by_item(&app));
    assert_eq!(stars_of(&counters), ledger_copy_by_item(&urls).await, "the ledger copy on a cluster");
    assert_eq!(stars_of(&counters), records_by_item(&app, &[ALICE, BOB]).await);
    assert_eq!(figures(&counters["starter"]), [1, 25, 1, 25, 0, 0, 1]);
    assert_eq!(figures(&counters["rare"]), [1, 7, 0, 0, 0, 0, 1]);
    assert_eq!(figures(&counters["pickaxe"]), [1, 50, 0, 0, 0, 0, 1]);
    assert_eq!(hourly_purchases(&urls).await, 3, "per hour, read from each item's slot");
    let store = Store::connect(&urls).await.expect("the store connects");
    let today = Day::of(chrono::Utc::now().timestamp_millis());
    let payers: u64 = store.payers_by_day(today.last(2)).await.expect("the payers read").iter().sum();
    assert_eq!(payers, 2, "Alice and Bob paid");
    audit_clean(&app).await;
    // Each item's counters share its slot (and so its node) with its sold count.
    let mut redis = cluster.connection().await;
    for item in ["starter", "rare", "pickaxe"] {
        let slot = |key: String| redis::cmd("CLUSTER").arg("KEYSLOT").arg(key).clone();
        let money: u16 = slot(format!("{{i:{item}}}:money")).query_async(&mut redis).await.unwrap();
        let sold: u16 = slot(format!("{{i:{item}}}:sold")).query_async(&mut redis).await.unwrap();
        assert_eq!(money, sold, "{item}");
    }
}
