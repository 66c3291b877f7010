//! The game in chat through the emulator: digging, energy, refills, tools, boosts, the
//! leaderboard, a second process, restarts.

use std::time::Duration;

use starmine::sandbox::emulator::SentMessage;

use crate::harness::TestApp;
use crate::support::*;

/// Loot rolls come from this seed, so every run of these tests rolls the same.
const SEED: &str = "7";

async fn spawn_game() -> TestApp {
    println!("LOOT_SEED={SEED}");
    spawn_with_env(&[("LOOT_SEED", SEED), ("GAME_TICK_MS", "10")]).await
}

fn text(message: &SentMessage) -> String {
    message.text.clone().unwrap_or_default()
}

/// `/dig` and its reply (a find or the out-of-energy message).
async fn dig(app: &TestApp, user: i64) -> SentMessage {
    say(app, user, "/dig", |m| {
        m.text.as_deref().is_some_and(|t| t.contains("You found") || t.contains("out of energy"))
    })
    .await
}

/// Gems a dig reply says were found.
fn found_gems(message: &SentMessage) -> u64 {
    let text = text(message);
    let plus = text.split("+").nth(1).expect("a find");
    plus.split_whitespace().next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn dig_until_empty_then_buy_a_refill_and_use_it() {
    let app = spawn_game().await;
    let mut gems = 0;
    for depth in 1..=10 {
        let reply = dig(&app, ALICE).await;
        assert!(text(&reply).contains(&format!("{depth} m · Mine")), "{}", text(&reply));
        gems += found_gems(&reply);
        assert!(reply.button_data("Dig again").is_some());
    }
    let empty = dig(&app, ALICE).await;
    assert!(text(&empty).contains("out of energy (0/10)"), "{}", text(&empty));
    assert!(text(&empty).contains("next point comes in"), "{}", text(&empty));
    let state = player(&app, ALICE).await;
    assert_eq!((state["energy"].as_u64(), state["gems"].as_u64()), (Some(0), Some(gems)));

    // The offered refill: buy it from the button, pay, use it.
    let buy = empty.button_data("Energy · 5 ⭐").expect("the refill is offered");
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, empty.message_id, &buy);
    let invoice = reply_after(&app, ALICE, before, |m| m.invoice.is_some()).await;
    let before = last_id(&app, ALICE);
    pay(&app, ALICE, &invoice).await.charge_id();
    text_after(&app, ALICE, before, "Payment received").await;
    let inventory = say_expect(&app, ALICE, "/inventory", "Energy ×1").await;
    let use_button = inventory.button_data("Use Energy").expect("a Use button");
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, inventory.message_id, &use_button);
    text_after(&app, ALICE, before, "Used Energy: ⚡ 5/10").await;
    let reply = dig(&app, ALICE).await;
    assert!(text(&reply).contains("You found"), "{}", text(&reply));
    let state = player(&app, ALICE).await;
    assert_eq!(state["energy"], 4);
    assert_eq!(state["inventory"], serde_json::json!({}));
}

#[tokio::test]
async fn a_pickaxe_multiplies_yield_and_a_gem_pack_adds_gems() {
    let app = spawn_game().await;
    let plain = dig(&app, ALICE).await;
    assert!([1, 100].contains(&found_gems(&plain)), "{}", text(&plain));
    buy_and_pay(&app, ALICE, "pickaxe").await;
    for _ in 0..3 {
        let reply = dig(&app, ALICE).await;
        assert!([2, 200].contains(&found_gems(&reply)), "{}", text(&reply));
        assert!(text(&reply).contains("yield ×2"), "{}", text(&reply));
    }
    say_expect(&app, ALICE, "/me", "Tools: Pickaxe (×2 yield)").await;
    let before = player(&app, ALICE).await["gems"].as_u64().unwrap();
    buy_and_pay(&app, ALICE, "gem_pack").await;
    let after = player(&app, ALICE).await;
    assert_eq!(after["gems"].as_u64().unwrap(), before + 50);
    assert!(after["inventory"].get("gem_pack").is_none());
    say_expect(&app, ALICE, "/me", &format!("💎 {} gems", before + 50)).await;
}

#[tokio::test]
async fn a_boost_changes_drop_rates_and_expires() {
    let app = spawn_game().await;
    let mut plain_diamonds = 0;
    for _ in 0..4 {
        plain_diamonds += usize::from(text(&dig(&app, ALICE).await).contains("Diamond"));
    }
    assert!(plain_diamonds <= 1, "diamonds are rare without luck: {plain_diamonds} of 4");
    buy_and_pay(&app, ALICE, "lantern").await;
    let used = say_expect(&app, ALICE, "/use lantern", "Lantern is active").await;
    assert!(text(&used).contains("active for 1"), "{}", text(&used));
    let boosts = player(&app, ALICE).await["boosts"].clone();
    assert_eq!(boosts[0]["item_id"], "lantern");
    let mut lucky_diamonds = 0;
    for _ in 0..6 {
        let reply = dig(&app, ALICE).await;
        assert!(text(&reply).contains("luck ×1000"), "{}", text(&reply));
        lucky_diamonds += usize::from(text(&reply).contains("Diamond"));
    }
    assert!(lucky_diamonds >= 4, "luck makes diamonds common: {lucky_diamonds} of 6");
    // The boost runs out (10 s) and the player is told once.
    app.emulator
        .wait_for(ALICE, Duration::from_secs(15), |m| {
            m.text.as_deref().is_some_and(|t| t.contains("Lantern has run out"))
        })
        .await
        .unwrap();
    assert_eq!(player(&app, ALICE).await["boosts"], serde_json::json!([]));
    let after = dig(&app, ALICE).await;
    assert!(!text(&after).contains("luck"), "{}", text(&after));
}

#[tokio::test]
async fn a_used_consumable_or_started_boost_is_not_refundable_by_its_player() {
    let app = spawn_game().await;
    dig(&app, ALICE).await;
    let energy = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, "/use energy", "Used Energy").await;
    say_expect(&app, ALICE, &format!("/refund {energy}"), "Energy — used, can't be refunded").await;
    let lantern = buy_and_pay(&app, ALICE, "lantern").await;
    say_expect(&app, ALICE, "/use lantern", "active").await;
    say_expect(&app, ALICE, &format!("/refund {lantern}"), "Lantern — started, can't be refunded").await;
    assert_eq!(status(&app, ALICE, &energy).await, "paid");
    // Using one at full energy is refused and keeps the item.
    let spare = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, "/use energy", "already full").await;
    assert_eq!(held(&app, ALICE, "energy").await, 1);
    say_expect(&app, ALICE, &format!("/refund {spare}"), "Refunded 5 ⭐").await;
}

#[tokio::test]
async fn changes_from_another_process_reach_the_world() {
    let app = spawn_game().await;
    let charge = buy_and_pay(&app, ALICE, "pickaxe").await;
    // The player is active in the World, with the pickaxe granted while loaded.
    say_expect(&app, ALICE, "/me", "Tools: Pickaxe").await;
    assert!(text(&dig(&app, ALICE).await).contains("yield ×2"));
    // A second process (the CLI) refunds it; the World sees it through pub/sub.
    let output = app.run_cli(&["refund", &ALICE.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let me = say(&app, ALICE, "/me", |m| m.text.as_deref().is_some_and(|t| t.starts_with("👤"))).await;
    assert!(!text(&me).contains("Pickaxe"), "{}", text(&me));
    let reply = dig(&app, ALICE).await;
    assert!(!text(&reply).contains("yield"), "{}", text(&reply));
    // Gems are neither lost nor duplicated: the books agree with what the chat showed.
    let gems = player(&app, ALICE).await["gems"].as_u64().unwrap();
    say_expect(&app, ALICE, "/me", &format!("💎 {gems} gems")).await;
}

#[tokio::test]
async fn the_leaderboard_ranks_miners_by_gems_mined() {
    let app = spawn_game().await;
    app.emulator.set_user_name(ALICE, "Alice", Some("alice"));
    app.emulator.set_user_name(BOB, "Bob", None);
    for _ in 0..3 {
        dig(&app, ALICE).await;
    }
    dig(&app, BOB).await;
    let top = say_expect(&app, BOB, "/top", "Top miners").await;
    let text = text(&top);
    let alice_mined = player(&app, ALICE).await["gems"].as_u64().unwrap();
    let bob_mined = player(&app, BOB).await["gems"].as_u64().unwrap();
    assert!(text.contains(&format!("Alice — {alice_mined}\n")), "{text}");
    assert!(text.contains(&format!("Bob — {bob_mined} ← you")), "{text}");
    let alice = text.find("Alice").unwrap();
    let bob = text.find("Bob").unwrap();
    assert_eq!(alice < bob, alice_mined >= bob_mined, "{text}");
}

#[tokio::test]
async fn kill9_loses_no_acknowledged_dig() {
    let mut app = spawn_game().await;
    for _ in 0..3 {
        dig(&app, ALICE).await;
    }
    let before = player(&app, ALICE).await;
    app.kill9().await;
    app.restart().await;
    let after = player(&app, ALICE).await;
    assert_eq!((after["energy"].clone(), after["gems"].clone()), (before["energy"].clone(), before["gems"].clone()));
    let me = say_expect(&app, ALICE, "/me", "Depth 3 m").await;
    assert!(text(&me).contains("⚡ 7/10"), "{}", text(&me));
}

/// Commands wake the loop: with a tick of a minute, digs (each a load or a Redis mutation and
/// its result) are answered at once instead of a minute later.
#[tokio::test]
async fn a_dig_is_answered_without_waiting_for_a_timed_tick() {
    let app = spawn_with_env(&[("LOOT_SEED", SEED), ("GAME_TICK_MS", "60000")]).await;
    for _ in 0..3 {
        say_expect(&app, ALICE, "/dig", "You found").await;
    }
    assert_eq!(player(&app, ALICE).await["energy"], 7, "three digs applied");
}
