//! The gem economy in chat through the emulator: gems bought with Stars buy upgrade levels with
//! `/upgrades` buttons (once per tap, in order), the levels change digs and the energy cap, and
//! timers (a boost ending) are told after a restart without the player doing anything.

use std::time::Duration;

use serde_json::json;
use starmine::sandbox::emulator::SentMessage;

use crate::harness::TestApp;
use crate::support::*;

fn text(message: &SentMessage) -> String {
    message.text.clone().unwrap_or_default()
}

/// Polls the player until `pred` holds (state changes land through the game loop).
async fn player_until(app: &TestApp, user: i64, pred: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    for _ in 0..100 {
        let state = player(app, user).await;
        if pred(&state) {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the player never reached the expected state: {}", player(app, user).await);
}

#[tokio::test]
async fn a_payer_spends_gems_on_levels_once_per_tap_and_the_levels_change_play() {
    let app = spawn_with_env(&[("LOOT_SEED", "7"), ("GAME_TICK_MS", "10")]).await;
    for _ in 0..3 {
        buy_and_pay(&app, ALICE, "gem_pack").await;
    }
    let state = player_until(&app, ALICE, |state| state["gems"] == 150).await;
    assert_eq!((state["upgrades"].clone(), state["energy_max"].clone()), (json!({}), json!(10)));

    let screen = say_expect(&app, ALICE, "/upgrades", "you have 150 💎").await;
    assert!(text(&screen).contains("Sharper Pickaxe · level 0/3"), "{}", text(&screen));
    let sharp = screen.button_data("Sharper Pickaxe → 1 · 50").expect("a button for level 1");
    assert_eq!(sharp, "up:sharp:1");
    // A double tap names level 1 twice: one level, 50 gems.
    app.emulator.press_button(ALICE, ALICE, screen.message_id, &sharp);
    app.emulator.press_button(ALICE, ALICE, screen.message_id, &sharp);
    let state = player_until(&app, ALICE, |state| state["upgrades"]["sharp"] == 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let state_after = player(&app, ALICE).await;
    assert_eq!((state["gems"].clone(), state_after["gems"].clone()), (json!(100), json!(100)), "charged once");
    assert_eq!(state_after["upgrades"], json!({ "sharp": 1 }));
    // The screen was redrawn in place with the next level's button.
    let redrawn = app.emulator.message(ALICE, screen.message_id).expect("the screen");
    assert!(text(&redrawn).contains("Sharper Pickaxe · level 1/3: +50% gems per find"), "{}", text(&redrawn));
    assert!(redrawn.button_data("Sharper Pickaxe → 2 · 100").is_some(), "{:?}", redrawn.buttons());

    // A battery level raises the cap at once; energy is kept, not refilled.
    let battery = redrawn.button_data("Bigger Battery → 1 · 100").expect("the battery");
    app.emulator.press_button(ALICE, ALICE, screen.message_id, &battery);
    let state = player_until(&app, ALICE, |state| state["upgrades"]["battery"] == 1).await;
    assert_eq!(
        (state["gems"].clone(), state["energy_max"].clone(), state["energy"].clone()),
        (json!(0), json!(15), json!(10))
    );
    // Out of gems: the next tap is refused and changes nothing.
    let redrawn = app.emulator.message(ALICE, screen.message_id).expect("the screen");
    let steady = redrawn.button_data("Steady Hands → 1 · 40").expect("steady hands");
    app.emulator.press_button(ALICE, ALICE, screen.message_id, &steady);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let state = player(&app, ALICE).await;
    assert_eq!((state["gems"].clone(), state["upgrades"].clone()), (json!(0), json!({ "sharp": 1, "battery": 1 })));

    // Digs now yield ×1.5 and the bar reads out of 15.
    let reply = say(&app, ALICE, "/dig", |m| m.text.as_deref().is_some_and(|t| t.contains("You found"))).await;
    assert!(text(&reply).contains("yield ×1.5"), "{}", text(&reply));
    assert!(text(&reply).contains("/15"), "{}", text(&reply));
    let me = say_expect(&app, ALICE, "/me", "Upgrades:").await;
    assert!(text(&me).contains("Sharper Pickaxe 1, Bigger Battery 1"), "{}", text(&me));
    assert_eq!(me.button_data("Upgrades").as_deref(), Some("upgrades"), "/me leads to the upgrades");
    assert!(text(&me).contains("Arcade gems left today: 50 of 50"), "{}", text(&me));
    conforms(&app);
}

#[tokio::test]
async fn a_boost_that_ends_after_a_restart_is_still_told_without_the_player_writing() {
    let mut app = spawn_with_env(&[("GAME_TICK_MS", "10")]).await;
    buy_and_pay(&app, ALICE, "lantern").await;
    say_expect(&app, ALICE, "/use lantern", "Lantern is active").await;
    // The process dies with the boost running; the next one never hears from ALICE.
    app.kill9().await;
    app.restart().await;
    let before = last_id(&app, ALICE);
    let notice = app
        .emulator
        .wait_for(ALICE, Duration::from_secs(20), |m| {
            m.message_id > before && m.text.as_deref().is_some_and(|t| t.contains("Lantern has run out"))
        })
        .await
        .expect("the notice comes from the durable index");
    let told = app.emulator.messages(ALICE).iter().filter(|m| text(m).contains("Lantern has run out")).count();
    assert_eq!(told, 1, "told once: {}", text(&notice));
}

/// A free player's first session: digs until the bar is empty, plays arcade runs until the day's
/// allowance is spent, then spends the gems on a level in the game and gets longer runs.
#[tokio::test]
async fn a_free_player_earns_gems_by_digging_and_playing_and_spends_them_in_the_game() {
    use crate::play::{api, open_game, spawn_play, token_of};
    let (app, base) = spawn_play().await;
    let mut dug = 0;
    loop {
        let reply = say(&app, BOB, "/dig", |m| {
            m.text.as_deref().is_some_and(|t| t.contains("You found") || t.contains("out of energy"))
        })
        .await;
        if text(&reply).contains("out of energy") {
            break;
        }
        dug += 1;
    }
    assert_eq!(dug, 10, "the fixture's bar holds 10 digs");
    let from_digs = player(&app, BOB).await["gems"].as_u64().unwrap();
    assert!(from_digs >= 10, "every find is worth a gem at least: {from_digs}");

    let token = token_of(&open_game(&app, BOB).await);
    let mut rewards = Vec::new();
    for _ in 0..3 {
        let (status, run) = api(&base, &token, "POST", "/api/runs", None).await;
        assert_eq!((status, &run["seconds"]), (200, &json!(4)), "{run}");
        let path = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
        tokio::time::sleep(Duration::from_millis(3_000)).await;
        let (status, result) = api(&base, &token, "POST", &path, Some(json!({ "score": 240 }))).await;
        assert_eq!(status, 200, "{result}");
        rewards.push(result["gems_awarded"].as_u64().unwrap());
    }
    assert_eq!(rewards, vec![24, 24, 2], "the day's 50 arcade gems, then points only");
    let (_, me) = api(&base, &token, "GET", "/api/me", None).await;
    assert_eq!(me["gems"], from_digs + 50, "{me}");
    let steady = me["upgrades"]["tracks"].as_array().unwrap().iter().find(|t| t["id"] == "steady").cloned().unwrap();
    assert_eq!((steady["level"].clone(), steady["next"]["cost"].clone()), (json!(0), json!(40)), "{steady}");

    let (status, bought) =
        api(&base, &token, "POST", "/api/upgrades", Some(json!({ "id": "steady", "level": 1 }))).await;
    assert_eq!(status, 200, "{bought}");
    assert_eq!(bought["gems"], from_digs + 10, "{bought}");
    let (status, again) =
        api(&base, &token, "POST", "/api/upgrades", Some(json!({ "id": "steady", "level": 1 }))).await;
    assert_eq!(status, 409, "the same tap again buys nothing: {again}");
    let (status, poor) = api(&base, &token, "POST", "/api/upgrades", Some(json!({ "id": "dragon_skin" }))).await;
    assert_eq!(status, 422, "{poor}");
    let (status, run) = api(&base, &token, "POST", "/api/runs", None).await;
    assert_eq!((status, &run["seconds"]), (200, &json!(5)), "a level adds a second: {run}");
    let state = player(&app, BOB).await;
    assert_eq!((state["gems"].clone(), state["upgrades"].clone()), (json!(from_digs + 10), json!({ "steady": 1 })));
    assert_eq!(state["arcade_gems_left_today"], 0);
    conforms(&app);
}

/// Two processes on one Redis: the one that has the player loaded and both timer pollers all see
/// the boost end; the player hears it once.
#[tokio::test]
async fn a_boost_end_is_told_once_with_two_processes() {
    let app = spawn_with_env(&[("GAME_TICK_MS", "10")]).await;
    let _peer = app.spawn_peer("peer").await;
    buy_and_pay(&app, ALICE, "lantern").await;
    say_expect(&app, ALICE, "/use lantern", "Lantern is active").await;
    app.emulator
        .wait_for(ALICE, Duration::from_secs(20), |m| {
            m.text.as_deref().is_some_and(|t| t.contains("Lantern has run out"))
        })
        .await
        .expect("told");
    // Both pollers have had seconds to claim it too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let told = app.emulator.messages(ALICE).iter().filter(|m| text(m).contains("Lantern has run out")).count();
    assert_eq!(told, 1);
}
