//! A gift from the game page in headless Chromium at phone size (390x844), through
//! `tests/browser/gift.mjs`, against the real bot and the Bot API emulator: Alice opens the game
//! from a group's game message, taps 🎁 on an item, picks Bob from that chat's scoreboard, is
//! refused for what Bob owns (the chat's refusal, in the order box) and pays the gift's invoice
//! link; Bob gets the item and a message naming Alice.

use serde_json::json;
use starmine::sandbox::emulator::PayOutcome;

use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::gifts::start;
use crate::harness::{poll_until, TestApp};
use crate::play::spawn_play;
use crate::support::{buy_and_pay, player, ALICE, BOB, WAIT};

const GROUP: i64 = -4242;

/// Puts `user`'s `score` on the game message's scoreboard, as the bot does after a run.
async fn score_on(app: &TestApp, user: i64, score: u64, message_id: i64) {
    let url = format!("{}/bot{}/setGameScore", app.emulator.api_url(), app.emulator.token());
    let body = json!({ "user_id": user, "score": score, "chat_id": GROUP, "message_id": message_id });
    let response = reqwest::Client::new().post(url).json(&body).send().await.expect("setGameScore is answered");
    assert!(response.status().is_success(), "setGameScore: {}", response.status());
}

#[tokio::test]
async fn a_player_gives_a_friend_from_the_chats_scoreboard_an_item_in_the_game_page_in_chromium() {
    assert_prerequisites();
    let (app, base) = spawn_play().await;
    start(&app, ALICE, "Alice", "alice_digs").await;
    start(&app, BOB, "Bob", "bob_miner").await;
    buy_and_pay(&app, BOB, "pickaxe").await;

    let before = app.emulator.messages(GROUP).last().map_or(0, |m| m.message_id);
    app.emulator.send_group_text(GROUP, ALICE, "/play");
    let game = app
        .emulator
        .wait_for(GROUP, WAIT, |m| m.message_id > before && m.game_short_name.is_some())
        .await
        .expect("the game message in the group");
    score_on(&app, BOB, 120, game.message_id).await;
    let callback = app.emulator.press_game(ALICE, GROUP, game.message_id).expect("a game message");
    let answer = poll_until(WAIT, || async { app.emulator.callback_answer(&callback) }).await;
    let game_url = answer.and_then(|answer| answer.url).expect("Play is answered with the game's URL");
    assert!(game_url.starts_with(&format!("{base}/game/?token=")), "{game_url}");

    let screenshots =
        screenshot_dir("a_player_gives_a_friend_from_the_chats_scoreboard_an_item_in_the_game_page_in_chromium");
    let friend = BOB.to_string();
    let env = [("FRIEND", friend.as_str()), ("REFUSED_ITEM", "pickaxe"), ("GIFT_ITEM", "lantern")];
    let before_bob = app.emulator.messages(BOB).last().map_or(0, |m| m.message_id);
    let driven = drive(&app, ALICE, "gift.mjs", &env, &game_url, &screenshots).await;
    let out = driven.output(&app, "gift.mjs");

    let (link, outcome) = driven.paid.expect("the driver printed an INVOICE_LINK line");
    assert!(matches!(outcome, PayOutcome::Paid { .. }), "paying {link}: {outcome:?}");
    assert_eq!(out["friends"], json!([{ "id": friend, "name": "Bob" }]), "the scoreboard without Alice: {out}");
    assert_eq!(out["refused"]["code"], "already_owned", "{out}");
    assert_eq!(out["refused"]["text"], "@bob_miner already owns Pickaxe — it's theirs for good.", "{out}");
    assert_eq!(out["gift"]["title"], "🎁 Lantern", "{out}");
    assert_eq!(out["gift"]["done"], "Gift sent! Your friend has it now, with a message from you in the chat.", "{out}");
    assert_eq!(out["layout"], json!([]), "{out}");
    for shot in out["screenshots"].as_array().expect("screenshots") {
        let shot = std::path::Path::new(shot.as_str().expect("a path"));
        assert!(std::fs::metadata(shot).is_ok_and(|meta| meta.len() > 1_000), "{} is a picture", shot.display());
    }

    let notice = app
        .emulator
        .wait_for(BOB, WAIT, |m| {
            m.message_id > before_bob && m.text.as_deref().is_some_and(|t| t.contains("sent you a gift"))
        })
        .await
        .expect("Bob is told");
    assert!(notice.text.unwrap().contains("@alice_digs sent you a gift: Lantern!"));
    assert_eq!(player(&app, BOB).await["inventory"]["lantern"], 1);
    assert_eq!(player(&app, ALICE).await["inventory"], json!({}));
    assert_eq!(player(&app, ALICE).await["gifts_given"][0]["to_user_id"], BOB);
}
