//! The gem economy in a real browser: headless Chromium driven by `tests/browser/upgrades.mjs`
//! against the real bot. The player has won the day's arcade gems and bought Gem Packs; the page
//! shows the allowance spent, each upgrade's level, what it gives and the next level's price (off,
//! with how many gems are missing, when they can't pay); a Gem Pack bought in the page's shop makes
//! more affordable; a stale button (the level bought elsewhere) says so once; a double tap buys one
//! level with one message; the battery raises the energy cap; the run is as long as Steady Hands
//! makes it and its results say the daily allowance capped the gems. Screenshots at 390x844 and
//! 1280x800.

use serde_json::{json, Value};

use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::play::{api, open_game, spawn_play, token_of};
use crate::support::{buy_and_pay, player, ALICE};

/// A track's row as the driver reads it.
fn track(id: &str, level: &str, meter: u64, now: &str, button: &str, disabled: bool, side: &str) -> Value {
    json!({ "id": id, "level": level, "meter": meter, "now": now, "button": button, "disabled": disabled, "side": side, "owned": false })
}

fn rows(home: &Value, list: &str) -> Vec<Value> {
    home[list].as_array().unwrap_or_else(|| panic!("{list} in {home}")).clone()
}

/// The one message a step showed.
fn message(step: &Value) -> (String, String) {
    let messages = step["messages"].as_array().unwrap_or_else(|| panic!("messages in {step}"));
    assert_eq!(messages.len(), 1, "exactly one message: {step}");
    let kind = messages[0]["kind"].as_str().unwrap_or_default().to_owned();
    (kind, messages[0]["text"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_player_spends_gems_on_upgrades_in_the_page_and_plays_a_longer_run_in_chromium() {
    assert_prerequisites();
    let (app, base) = spawn_play().await;
    let game_url = open_game(&app, ALICE).await;
    let token = token_of(&game_url);
    // The fixture's day of arcade gems (50) is won first, over the API: 24 + 24 + 2.
    for _ in 0..3 {
        let (status, run) = api(&base, &token, "POST", "/api/runs", None).await;
        assert_eq!(status, 200, "{run}");
        tokio::time::sleep(std::time::Duration::from_millis(3_000)).await;
        let path = format!("/api/runs/{}/finish", run["run_id"].as_str().expect("a run id"));
        let (status, result) = api(&base, &token, "POST", &path, Some(json!({ "score": 240 }))).await;
        assert_eq!(status, 200, "{result}");
    }
    for _ in 0..2 {
        buy_and_pay(&app, ALICE, "gem_pack").await;
    }
    let before = player(&app, ALICE).await;
    assert_eq!((before["gems"].as_u64(), before["arcade_gems_left_today"].as_u64()), (Some(150), Some(0)), "{before}");
    let energy = before["energy"].as_u64().expect("energy");

    let screenshots = screenshot_dir("a_player_spends_gems_on_upgrades_in_the_page_and_plays_a_longer_run_in_chromium");
    let env = [
        ("BUY_ITEM", "gem_pack"),
        ("ELSEWHERE", "steady:1"),
        ("DOUBLE_TAP", "steady"),
        ("TAP", "battery"),
        ("PLAY", "1"),
        ("DESKTOP", "1280x800"),
    ];
    let driven = drive(&app, ALICE, "upgrades.mjs", &env, &game_url, &screenshots).await;
    let out = driven.output(&app, "upgrades.mjs");
    assert_eq!(out["layout"], json!([]), "nothing looks off: {out}");

    // Home at the start: 150 gems, the day's arcade gems spent, everything but the skin affordable.
    let home = &out["home"];
    assert_eq!(
        (&home["gems"], &home["energy"], &home["run"]),
        (&json!("150"), &json!(format!("{energy}/10")), &json!("4 s"))
    );
    let allowance = home["allowance"].as_str().unwrap_or_default();
    assert!(allowance.starts_with("Arcade gems left today: 0 of 50 More in "), "{home}");
    assert!(allowance.ends_with(" · runs still count for the leaderboard"), "{home}");
    assert_eq!(home["have"], "you have 150 💎");
    assert_eq!(
        rows(home, "tracks"),
        [
            track("sharp", "0/3", 0, "Not started", "Level 1 · 50 💎", false, "→ +50% gems per find"),
            track("battery", "0/2", 0, "Not started", "Level 1 · 100 💎", false, "→ +5 max energy"),
            track("steady", "0/2", 0, "Not started", "Level 1 · 40 💎", false, "→ +1s per run"),
        ]
    );
    let dragon = |button: &str, disabled: bool, side: &str, owned: bool| json!({ "id": "dragon_skin", "level": null, "meter": 0, "now": null, "button": button, "disabled": disabled, "side": side, "owned": owned });
    assert_eq!(rows(home, "cosmetics"), [dragon("Buy · 300 💎", true, "Need 150 more 💎", false)]);

    // A Gem Pack from the page's shop: 200 gems, the skin 100 short.
    let (link, outcome) = driven.paid.clone().expect("the driver printed an INVOICE_LINK line");
    assert!(matches!(outcome, starmine::sandbox::emulator::PayOutcome::Paid { .. }), "paying {link}: {outcome:?}");
    let bought = &out["bought"];
    assert_eq!(bought["receipt"], "Purchased! 50 gems added to your stash.", "{bought}");
    assert_eq!(bought["home"]["gems"], "200", "{bought}");
    assert_eq!(rows(&bought["home"], "cosmetics"), [dragon("Buy · 300 💎", true, "Need 100 more 💎", false)]);

    // Steady Hands 1 bought elsewhere: the page's stale "Level 1" tap buys nothing and says so once.
    let elsewhere = &out["elsewhere"];
    assert_eq!(
        (&elsewhere["direct_status"], &elsewhere["label"]),
        (&json!(200), &json!("Level 1 · 40 💎")),
        "{elsewhere}"
    );
    assert_eq!(elsewhere["status"], 409, "{elsewhere}");
    assert_eq!(message(elsewhere), ("notice".into(), "You already have Steady Hands level 1.".into()));
    let steady = &rows(&elsewhere["home"], "tracks")[2];
    assert_eq!(steady, &track("steady", "1/2", 1, "Now +1s per run", "Level 2 · 40 💎", false, "→ +2s per run"));
    assert_eq!(elsewhere["home"]["gems"], "160", "{elsewhere}");

    // A double tap on "Level 2": one request, one level, one message; the track is maxed.
    let double = &out["double_tap"];
    assert_eq!(double["posts"], json!([r#"{"id":"steady","level":2}"#]), "one request: {double}");
    assert_eq!(double["status"], 200, "{double}");
    assert_eq!(message(double), ("notice".into(), "Steady Hands is now level 2: +2s per run. 120 💎 left.".into()));
    let home = &double["home"];
    assert_eq!((&home["gems"], &home["run"]), (&json!("120"), &json!("6 s")), "{double}");
    assert_eq!(
        rows(home, "tracks")[2],
        track("steady", "2/2", 2, "Now +2s per run", "Maxed", true, "All 2 levels bought")
    );

    // The battery: 20 gems left, the cap 15, and every next level out of reach with what's missing.
    let battery = &out["taps"][0];
    assert_eq!((&battery["id"], &battery["status"]), (&json!("battery"), &json!(200)), "{battery}");
    assert_eq!(message(battery), ("notice".into(), "Bigger Battery is now level 1: +5 max energy. 20 💎 left.".into()));
    let home = &battery["home"];
    assert_eq!((&home["gems"], &home["energy"]), (&json!("20"), &json!(format!("{energy}/15"))), "{battery}");
    assert_eq!(
        rows(home, "tracks"),
        [
            track("sharp", "0/3", 0, "Not started", "Level 1 · 50 💎", true, "Need 30 more 💎"),
            track("battery", "1/2", 1, "Now +5 max energy", "Level 2 · 100 💎", true, "Need 80 more 💎"),
            track("steady", "2/2", 2, "Now +2s per run", "Maxed", true, "All 2 levels bought"),
        ]
    );
    assert_eq!(rows(home, "cosmetics"), [dragon("Buy · 300 💎", true, "Need 280 more 💎", false)]);

    // The run is 4 + 2 seconds; its points count, its gems were capped by the day's allowance.
    let played = &out["played"];
    assert_eq!((&played["run_shown"], &played["seconds"]), (&json!("6 s"), &json!(6)), "{played}");
    assert_eq!((&played["gems_awarded"], &played["daily_limit_reached"]), (&json!(0), &json!(true)), "{played}");
    assert_eq!(played["gems_shown"], "+0", "{played}");
    assert_eq!(played["note"], "Daily arcade gems reached — your score still counts for the leaderboard", "{played}");

    let after = player(&app, ALICE).await;
    assert_eq!(
        (&after["gems"], &after["upgrades"], &after["energy_max"]),
        (&json!(20), &json!({ "steady": 2, "battery": 1 }), &json!(15)),
        "{after}"
    );
}
