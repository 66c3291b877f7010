//! The real bot on a 3-master Redis Cluster: the money path, the game loop, pub/sub between
//! processes, and where the keys land (one slot per player and per item, spread over nodes).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use redis::cluster_async::ClusterConnection;
use serde_json::json;
use starmine::sandbox::emulator::{PayOutcome, SentMessage};

use crate::harness::{TestApp, TestCluster};
use crate::support::*;

/// Loot rolls come from this seed, so every run rolls the same.
const SEED: &str = "7";

/// A bot with send limits lifted whose `REDIS_URL` names every master of `cluster`.
async fn spawn_on(cluster: &TestCluster, env: &[(&str, &str)]) -> TestApp {
    let url = cluster.redis_url();
    let mut env = env.to_vec();
    env.push(("REDIS_URL", &url));
    spawn_with_env(&env).await
}

fn text(message: &SentMessage) -> String {
    message.text.clone().unwrap_or_default()
}

/// Units of `item` sold and not refunded, read through the cluster.
async fn sold_on(redis: &mut ClusterConnection, item: &str) -> i64 {
    let sold: Option<i64> = redis::cmd("GET").arg(format!("{{i:{item}}}:sold")).query_async(redis).await.unwrap();
    sold.unwrap_or(0)
}

async fn keyslot(redis: &mut ClusterConnection, key: &str) -> u16 {
    redis::cmd("CLUSTER").arg("KEYSLOT").arg(key).query_async(redis).await.unwrap()
}

/// The hash tag of a key (`{p:1001}` of `{p:1001}:inv`), if it has one.
fn hash_tag(key: &str) -> Option<&str> {
    let start = key.find('{')?;
    let end = start + key[start..].find('}')?;
    (end > start + 1).then(|| &key[start..=end])
}

/// Every key of every master: node index -> keys.
async fn keys_by_node(cluster: &TestCluster) -> Vec<BTreeSet<String>> {
    let mut nodes = Vec::new();
    for index in 0..TestCluster::MASTERS {
        let mut node = cluster.node(index).await;
        let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut node).await.unwrap();
        nodes.push(keys.into_iter().collect());
    }
    nodes
}

/// Checks the key layout: every hash tag's keys share one slot and one node, the named tags
/// exist, and the keys are spread over more than one node. Returns the node holding each tag.
async fn assert_layout(cluster: &TestCluster, tags: &[&str]) -> BTreeMap<String, usize> {
    let mut redis = cluster.connection().await;
    let nodes = keys_by_node(cluster).await;
    let mut tag_nodes: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut tag_slots: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    for (index, keys) in nodes.iter().enumerate() {
        for key in keys {
            let Some(tag) = hash_tag(key) else { continue };
            tag_nodes.entry(tag.to_owned()).or_default().insert(index);
            tag_slots.entry(tag.to_owned()).or_default().insert(keyslot(&mut redis, key).await);
        }
    }
    for (tag, slots) in &tag_slots {
        assert_eq!(slots.len(), 1, "the keys of {tag} span slots {slots:?}");
        assert_eq!(tag_nodes[tag].len(), 1, "the keys of {tag} span nodes {:?}", tag_nodes[tag]);
    }
    for tag in tags {
        assert!(tag_nodes.contains_key(*tag), "no keys of {tag}: {nodes:?}");
    }
    let busy = nodes.iter().filter(|keys| !keys.is_empty()).count();
    let distinct: BTreeSet<usize> = tag_nodes.values().flatten().copied().collect();
    let sizes: Vec<usize> = nodes.iter().map(BTreeSet::len).collect();
    println!("keys per node {sizes:?}; {} hash tags on nodes {distinct:?}", tag_nodes.len());
    assert!(busy >= 2 && distinct.len() >= 2, "the keys sit on one node only: {nodes:?}");
    tag_nodes.into_iter().map(|(tag, nodes)| (tag, nodes.into_iter().next().unwrap())).collect()
}

/// The bot wrote nothing to the single server the harness starts beside it.
async fn assert_single_server_unused(app: &TestApp) {
    let mut single = app.redis().await;
    let size: i64 = redis::cmd("DBSIZE").query_async(&mut single).await.unwrap();
    assert_eq!(size, 0, "the bot must use the cluster, not the harness's single server");
}

#[tokio::test]
async fn the_money_path_holds_on_a_cluster() {
    let started = Instant::now();
    let cluster = TestCluster::start().await;
    let cluster_ready = started.elapsed();
    let app = spawn_on(&cluster, &[]).await;
    let bot_ready = started.elapsed();
    let mut redis = cluster.connection().await;

    // A purchase: invoice, pre-checkout, payment, receipt.
    say_expect(&app, ALICE, "/start", "Welcome to Starmine").await;
    let invoice_message = invoice(&app, ALICE, "pickaxe").await;
    assert_eq!(invoice_message.invoice.as_ref().unwrap().amount, 50);
    let before = last_id(&app, ALICE);
    let pickaxe = pay(&app, ALICE, &invoice_message).await.charge_id();
    let receipt = text_after(&app, ALICE, before, "Payment received").await;
    assert!(text(&receipt).contains(&pickaxe), "the receipt shows the charge id");
    assert_eq!(status(&app, ALICE, &pickaxe).await, "paid");
    assert_eq!(sold_on(&mut redis, "pickaxe").await, 1);

    // A bundle grants its contents (on the player's slot) and counts as one sale of itself.
    let starter = buy_and_pay(&app, ALICE, "starter").await;
    let alice = player(&app, ALICE).await;
    assert_eq!(alice["inventory"], json!({ "energy": 3, "pickaxe": 1 }));
    assert_eq!(alice["gems"], 50);
    say_expect(&app, ALICE, "/inventory", "Energy ×3").await;

    // A duplicate successful_payment is granted once.
    let bob_invoice = invoice(&app, BOB, "energy").await;
    app.emulator.deliver_twice(true);
    let duplicated = pay(&app, BOB, &bob_invoice).await.charge_id();
    say_expect(&app, BOB, "/inventory", "Energy ×1").await;
    app.emulator.deliver_twice(false);
    let receipts = app.emulator.messages(BOB).iter().filter(|m| text(m).contains(&duplicated)).count();
    assert_eq!(receipts, 1, "one receipt");
    let bob = player(&app, BOB).await;
    assert_eq!(bob["inventory"], json!({ "energy": 1 }));
    assert_eq!(bob["payments"].as_array().unwrap().len(), 1);
    assert_eq!(sold_on(&mut redis, "energy").await, 1);

    // Concurrent pre-checkouts on a limited item (3 in stock): no oversell.
    let buyers: Vec<i64> = (2000..2010).collect();
    let mut invoices = Vec::new();
    for &buyer in &buyers {
        invoices.push(invoice(&app, buyer, "rare").await);
    }
    let rush = Instant::now();
    let payments = invoices.iter().zip(&buyers).map(|(invoice, &buyer)| {
        let emulator = app.emulator.clone();
        let (chat, id) = (invoice.chat_id, invoice.message_id);
        async move { (buyer, emulator.pay_invoice(buyer, chat, id).await) }
    });
    let outcomes = futures::future::join_all(payments).await;
    let rush = rush.elapsed();
    let winners: Vec<(i64, String)> = outcomes
        .iter()
        .filter_map(|(buyer, outcome)| match outcome {
            PayOutcome::Paid { .. } => Some((*buyer, outcome.charge_id())),
            _ => None,
        })
        .collect();
    let sold_out = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, PayOutcome::Declined { error_message } if error_message.contains("sold out")))
        .count();
    assert_eq!((winners.len(), sold_out), (3, 7), "{outcomes:?}");
    for (buyer, charge) in &winners {
        wait_status(&app, *buyer, charge, "paid").await;
    }
    assert_eq!(sold_on(&mut redis, "rare").await, 3);
    let mut granted = 0;
    for &buyer in &buyers {
        granted += held(&app, buyer, "rare").await;
    }
    assert_eq!(granted, 3, "exactly the stock was granted");
    say_expect(&app, 2999, "/buy rare", "sold out").await;

    // A player refund returns the unit to stock.
    let (refunder, rare_charge) = winners[0].clone();
    let refunded = say_expect(&app, refunder, &format!("/refund {rare_charge}"), "Refunded 7 ⭐").await;
    assert!(text(&refunded).contains(&rare_charge));
    assert!(app.emulator.is_refunded(&rare_charge));
    assert_eq!(status(&app, refunder, &rare_charge).await, "refunded");
    assert_eq!(held(&app, refunder, "rare").await, 0);
    assert_eq!(sold_on(&mut redis, "rare").await, 2, "the unit is for sale again");

    // A CLI refund (a second process on the same cluster), told to the player by the bot.
    let before = last_id(&app, ALICE);
    let output = app.run_cli(&["refund", &ALICE.to_string(), &pickaxe]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("refunded 50"));
    text_after(&app, ALICE, before, "Refunded 50 ⭐").await;
    assert_eq!(sold_on(&mut redis, "pickaxe").await, 0);
    let output = app.run_cli(&["refund", &ALICE.to_string(), &pickaxe]).await;
    assert_eq!(output.status.code(), Some(0), "already refunded is done");

    // `starmine player` over the cluster.
    let alice = player(&app, ALICE).await;
    assert_eq!(alice["user_id"], ALICE);
    assert_eq!(alice["inventory"], json!({ "energy": 3 }));
    assert_eq!(alice["gems"], 50);
    let statuses: Vec<(String, String)> = alice["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["telegram_payment_charge_id"].as_str().unwrap().to_owned(), p["status"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(statuses, vec![(pickaxe.clone(), "refunded".to_owned()), (starter.clone(), "paid".to_owned())]);

    // The books: 50 + 25 + 5 + 3 × 7 paid, 7 + 50 refunded.
    assert_eq!(app.emulator.star_balance(), 44);

    // Where the keys live.
    let alice_tag = format!("{{p:{ALICE}}}");
    let alice_keys = ["inv", "state", "ledger", "payments"].map(|suffix| format!("{alice_tag}:{suffix}"));
    let alice_slot = keyslot(&mut redis, &alice_keys[0]).await;
    for key in alice_keys.iter().chain([&format!("{alice_tag}:pay:{pickaxe}"), &format!("{alice_tag}:pay:{starter}")]) {
        let exists: bool = redis::cmd("EXISTS").arg(key).query_async(&mut redis).await.unwrap();
        assert!(exists, "{key} exists");
        assert_eq!(keyslot(&mut redis, key).await, alice_slot, "{key} is in the slot of {alice_tag}");
    }
    let rare_slot = keyslot(&mut redis, "{i:rare}:sold").await;
    for key in ["{i:rare}:holds", "{i:rare}:owned", "{i:rare}:charges"] {
        assert_eq!(keyslot(&mut redis, key).await, rare_slot, "{key} is in the slot of {{i:rare}}");
    }
    // A winner of the rush (which buyers win is the race's to decide) has a player slot.
    let winner_tag = format!("{{p:{}}}", winners[1].0);
    let tags =
        [alice_tag.as_str(), "{p:1002}", winner_tag.as_str(), "{i:rare}", "{i:pickaxe}", "{i:starter}", "{i:energy}"];
    let homes = assert_layout(&cluster, &tags).await;

    // `redis-cli -c` from a node that does not hold Alice's slot follows the redirect.
    let elsewhere = (0..TestCluster::MASTERS).find(|node| *node != homes[&alice_tag]).unwrap();
    let port = cluster.urls[elsewhere].rsplit(':').next().unwrap().to_owned();
    let inv_key = format!("{alice_tag}:inv");
    let cli = tokio::process::Command::new("redis-cli")
        .args(["-c", "-h", "127.0.0.1", "-p", &port, "HGET", &inv_key, "energy"])
        .output()
        .await
        .expect("redis-cli runs");
    assert_eq!(String::from_utf8_lossy(&cli.stdout).trim(), "3", "{cli:?}");

    assert_single_server_unused(&app).await;
    conforms(&app);
    println!(
        "cluster ready {cluster_ready:?}, bot ready {bot_ready:?}, 10 concurrent pre-checkouts {rush:?}, total {:?}",
        started.elapsed()
    );
}

/// `/dig` and its reply (a find or the out-of-energy message).
async fn dig(app: &TestApp, user: i64) -> SentMessage {
    say(app, user, "/dig", |m| {
        m.text.as_deref().is_some_and(|t| t.contains("You found") || t.contains("out of energy"))
    })
    .await
}

/// `/me` and its reply.
async fn me(app: &TestApp, user: i64) -> String {
    text(&say(app, user, "/me", |m| m.text.as_deref().is_some_and(|t| t.starts_with("👤"))).await)
}

#[tokio::test]
async fn the_game_loop_and_pub_sub_work_on_a_cluster() {
    let started = Instant::now();
    let cluster = TestCluster::start().await;
    let cluster_ready = started.elapsed();
    println!("LOOT_SEED={SEED}");
    let app = spawn_on(&cluster, &[("LOOT_SEED", SEED), ("GAME_TICK_MS", "10")]).await;
    let bot_ready = started.elapsed();
    let mut redis = cluster.connection().await;
    app.emulator.set_user_name(ALICE, "Alice", Some("alice"));
    app.emulator.set_user_name(BOB, "Bob", None);

    for depth in 1..=2 {
        let reply = dig(&app, ALICE).await;
        assert!(text(&reply).contains(&format!("{depth} m · Mine")), "{}", text(&reply));
    }
    let charge = buy_and_pay(&app, ALICE, "pickaxe").await;
    // The grant (a player-slot script) reaches the loaded player in the World.
    say_expect(&app, ALICE, "/me", "Tools: Pickaxe").await;
    for _ in 0..2 {
        let reply = dig(&app, ALICE).await;
        assert!(text(&reply).contains("yield ×2"), "{}", text(&reply));
    }
    dig(&app, BOB).await;

    // The leaderboard (its own slot) and the names (in each player's slot).
    let top = text(&say_expect(&app, BOB, "/top", "Top miners").await);
    let alice_mined = player(&app, ALICE).await["gems"].as_u64().unwrap();
    let bob_mined = player(&app, BOB).await["gems"].as_u64().unwrap();
    assert!(top.contains(&format!("Alice — {alice_mined}\n")), "{top}");
    assert!(top.contains(&format!("Bob — {bob_mined} ← you")), "{top}");
    assert_eq!(top.find("Alice") < top.find("Bob"), alice_mined >= bob_mined, "{top}");
    let score: Option<u64> = redis::cmd("ZSCORE").arg("lb:mined").arg(ALICE).query_async(&mut redis).await.unwrap();
    assert_eq!(score, Some(alice_mined));

    // The CLI refunds the pickaxe; the running bot's World hears it through pub/sub.
    let output = app.run_cli(&["refund", &ALICE.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let refunded = Instant::now();
    let mut last = String::new();
    let seen = poll_me(&app, &mut last).await;
    assert!(seen, "/me still shows the refunded pickaxe 5 s after the CLI refund:\n{last}");
    let propagation = refunded.elapsed();
    let reply = dig(&app, ALICE).await;
    assert!(!text(&reply).contains("yield"), "{}", text(&reply));
    // Gems are neither lost nor duplicated: the books agree with what the chat shows.
    let gems = player(&app, ALICE).await["gems"].as_u64().unwrap();
    assert!(me(&app, ALICE).await.contains(&format!("💎 {gems} gems")));
    assert!(me(&app, ALICE).await.contains("Depth 5 m"));

    assert_layout(&cluster, &["{p:1001}", "{p:1002}", "{i:pickaxe}"]).await;
    assert_single_server_unused(&app).await;
    println!(
        "cluster ready {cluster_ready:?}, bot ready {bot_ready:?}, CLI refund seen by /me after {propagation:?}, \
         total {:?}",
        started.elapsed()
    );
}

/// Asks `/me` until it no longer shows the pickaxe (at most 5 s); the last answer in `last`.
async fn poll_me(app: &TestApp, last: &mut String) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        *last = me(app, ALICE).await;
        if !last.contains("Pickaxe") {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}
