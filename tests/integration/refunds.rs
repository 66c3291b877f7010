//! Refunds: by players, admins (chat and CLI) and disputes; failures of the refund call.

use serde_json::json;
use starmine::sandbox::emulator::Fault;

use crate::support::*;

#[tokio::test]
async fn a_player_refunds_once_and_the_unit_returns_to_stock() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "rare").await;
    assert_eq!(sold(&app, "rare").await, 1);

    let refunded = say_expect(&app, ALICE, &format!("/refund {charge}"), "Refunded 7 ⭐").await;
    assert!(refunded.text.unwrap().contains(&charge));
    assert!(app.emulator.is_refunded(&charge));
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
    assert_eq!(player(&app, ALICE).await["inventory"], json!({}));
    assert_eq!(sold(&app, "rare").await, 0, "the unit is for sale again");
    assert_eq!(app.emulator.star_balance(), 0);

    // The refunded_payment echo of our own refund changes nothing more.
    say_expect(&app, ALICE, "/inventory", "empty").await;
    say_expect(&app, ALICE, &format!("/refund {charge}"), "already refunded").await;
    assert_eq!(player(&app, ALICE).await["payments"][0]["status"], "refunded");
    conforms(&app);
}

#[tokio::test]
async fn refund_buttons_ask_before_refunding() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    let list = say_expect(&app, ALICE, "/refund", "Purchases you can refund").await;
    assert!(list.text.clone().unwrap().contains(&charge));
    let data = list.button_data("Refund Energy").expect("a Refund button");
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, list.message_id, &data);
    let confirm = text_after(&app, ALICE, before, "Refund Energy for 5 ⭐?").await;

    let keep = confirm.button_data("Keep").unwrap();
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, confirm.message_id, &keep);
    text_after(&app, ALICE, before, "Kept").await;
    assert_eq!(status(&app, ALICE, &charge).await, "paid");

    let yes = confirm.button_data("Yes").unwrap();
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, confirm.message_id, &yes);
    text_after(&app, ALICE, before, "Refunded 5 ⭐").await;
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
    say_expect(&app, ALICE, "/refund", "no purchases you can refund").await;
}

#[tokio::test]
async fn a_foreign_or_unknown_charge_is_refused_and_changes_nothing() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, BOB, &format!("/refund {charge}"), "belongs to another player").await;
    say_expect(&app, BOB, "/refund stxNOSUCHCHARGE", "can't find a purchase").await;
    say_expect(&app, BOB, &format!("/refund {ALICE} {charge}"), "Only admins").await;
    assert_eq!(status(&app, ALICE, &charge).await, "paid");
    assert!(!app.emulator.is_refunded(&charge));
    assert_eq!(held(&app, ALICE, "energy").await, 1);
}

#[tokio::test]
async fn a_used_purchase_is_not_refundable_by_its_player_but_admins_revoke_what_remains() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "starter").await;
    // The player no longer holds every unit (as after using one): take one energy away.
    let mut redis = app.redis().await;
    let _: i64 = redis::cmd("HINCRBY")
        .arg(format!("{{p:{ALICE}}}:inv"))
        .arg("energy")
        .arg(-1)
        .query_async(&mut redis)
        .await
        .unwrap();
    say_expect(&app, ALICE, &format!("/refund {charge}"), "Starter Bundle — 1 of 3 Energies used").await;
    assert_eq!(status(&app, ALICE, &charge).await, "paid");

    let before = last_id(&app, ALICE);
    say_expect(&app, ADMIN, &format!("/refund {ALICE} {charge}"), "Refunded 25 ⭐").await;
    text_after(&app, ALICE, before, "Refunded 25 ⭐").await;
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
    let after = player(&app, ALICE).await;
    assert_eq!(after["inventory"], json!({}), "never below zero");
    assert_eq!(after["gems"], 0, "the gem pack's gems are taken back");
    let ledger: Vec<String> =
        redis::cmd("LRANGE").arg(format!("{{p:{ALICE}}}:ledger")).arg(0).arg(-1).query_async(&mut redis).await.unwrap();
    assert!(ledger.iter().any(|entry| entry.contains("\"shortfall\":\"energy=1\"")), "{ledger:?}");
}

#[tokio::test]
async fn the_cli_refunds_with_exit_codes() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "pickaxe").await;
    let before = last_id(&app, ALICE);

    let output = app.run_cli(&["refund", &BOB.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(1), "another user's charge");
    assert!(String::from_utf8_lossy(&output.stdout).contains("another user"));
    let output = app.run_cli(&["refund", &ALICE.to_string(), "stxUNKNOWN"]).await;
    assert_eq!(output.status.code(), Some(1), "unknown charge");
    assert_eq!(status(&app, ALICE, &charge).await, "paid");

    let output = app.run_cli(&["refund", &ALICE.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("refunded 50"));
    text_after(&app, ALICE, before, "Refunded 50 ⭐").await;
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
    assert_eq!(held(&app, ALICE, "pickaxe").await, 0);

    let output = app.run_cli(&["refund", &ALICE.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(0), "already refunded is done");
    let output = app.run_cli(&["refund", "0", &charge]).await;
    assert_eq!(output.status.code(), Some(2));
    // The owned permanent item can be bought again.
    buy_and_pay(&app, ALICE, "pickaxe").await;
    conforms(&app);
}

/// `starmine refund` asks the Bot API (getMe) before touching anything: unreachable exits 3, a
/// refused token 2, and the payment, the inventory and the retry queue stay as they were.
#[tokio::test]
async fn the_cli_refund_changes_nothing_when_the_bot_api_cannot_do_it() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "pickaxe").await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let unreachable = format!("http://{closed}");
    let cases = [
        (
            ("TELOXIDE_API_URL", unreachable.as_str()),
            3,
            "is unreachable: error sending request: client error (Connect)",
        ),
        (("TELOXIDE_TOKEN", "123456789:revoked-token"), 2, "refused the bot token (TELOXIDE_TOKEN): Unauthorized"),
        (("TELOXIDE_TOKEN", "not-a-token"), 2, "refused the bot token (TELOXIDE_TOKEN): Not Found"),
    ];
    for ((name, value), code, message) in cases {
        let output = app.run_cli_with_env(&["refund", &ALICE.to_string(), &charge], &[(name, value)]).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{name}={value}: {stderr}");
        assert!(stderr.contains(message) && stderr.contains("nothing was changed"), "{stderr}");
        assert!(!stderr.contains("revoked-token") && !stderr.contains(app.emulator.token()), "no token in: {stderr}");
        assert_eq!(status(&app, ALICE, &charge).await, "paid", "{name}={value}");
        assert_eq!(player(&app, ALICE).await["inventory"], json!({ "pickaxe": 1 }), "{name}={value}");
        let mut redis = app.redis().await;
        let queued: u64 = redis::cmd("ZCARD").arg("refunds:pending").query_async(&mut redis).await.unwrap();
        assert_eq!(queued, 0, "{name}={value}: no retry is queued");
    }
    assert!(!app.emulator.is_refunded(&charge));
    // With the real token and URL it goes through.
    let output = app.run_cli(&["refund", &ALICE.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(status(&app, ALICE, &charge).await, "refunded");
}

#[tokio::test]
async fn a_dispute_revokes_and_tells_the_player() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "golden").await;
    assert_eq!(sold(&app, "golden").await, 1);
    let before = last_id(&app, ALICE);
    assert!(app.emulator.dispute(ALICE, &charge));
    text_after(&app, ALICE, before, "Telegram refunded 100 ⭐").await;
    wait_status(&app, ALICE, &charge, "refunded").await;
    assert_eq!(held(&app, ALICE, "golden").await, 0);
    assert_eq!(sold(&app, "golden").await, 0);
}

#[tokio::test]
async fn a_refund_call_with_unknown_outcome_stays_pending_and_is_retried() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    // The connection drops before Telegram performs the refund: outcome unknown.
    app.emulator.fault("refundStarPayment", Fault::DropConnection { apply: false }, 1);
    say_expect(&app, ALICE, &format!("/refund {charge}"), "being processed").await;
    assert_eq!(status(&app, ALICE, &charge).await, "refund_pending");
    assert_eq!(held(&app, ALICE, "energy").await, 0, "revoked while pending");
    // The retry loop settles it.
    let before = last_id(&app, ALICE);
    wait_status(&app, ALICE, &charge, "refunded").await;
    assert!(app.emulator.is_refunded(&charge));
    text_after(&app, ALICE, before, "Refunded 5 ⭐").await;

    // Performed by Telegram but the answer was lost: the retry meets CHARGE_ALREADY_REFUNDED.
    let second = buy_and_pay(&app, ALICE, "energy").await;
    app.emulator.fault("refundStarPayment", Fault::DropConnection { apply: true }, 1);
    let output = app.run_cli(&["refund", &ALICE.to_string(), &second]).await;
    assert_eq!(output.status.code(), Some(3), "the outcome is not known yet");
    assert!(String::from_utf8_lossy(&output.stdout).contains("refund pending"));
    assert!(app.emulator.is_refunded(&second));
    // Telegram's refunded_payment (or the retry loop) settles it.
    wait_status(&app, ALICE, &second, "refunded").await;
    assert_eq!(sold(&app, "energy").await, 0);
    assert!(!app.log().contains(app.emulator.token()), "network errors do not log the token");
}

#[tokio::test]
async fn a_definite_refusal_restores_the_purchase() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "starter").await;
    let refusal = Fault::Error { code: 400, description: "Bad Request: USER_ID_INVALID".into() };
    app.emulator.fault("refundStarPayment", refusal, 1);
    say_expect(&app, ALICE, &format!("/refund {charge}"), "declined").await;
    assert_eq!(status(&app, ALICE, &charge).await, "paid");
    let restored = player(&app, ALICE).await;
    assert_eq!(restored["inventory"], json!({ "energy": 3 }));
    assert_eq!(restored["gems"], 50);
    // And it can still be refunded afterwards.
    say_expect(&app, ALICE, &format!("/refund {charge}"), "Refunded 25 ⭐").await;
}

#[tokio::test]
async fn the_refund_list_offers_only_what_the_policy_refunds_and_says_why_not() {
    let app = spawn().await;
    let starter = buy_and_pay(&app, ALICE, "starter").await;
    let lantern = buy_and_pay(&app, ALICE, "lantern").await;
    let pickaxe = buy_and_pay(&app, ALICE, "pickaxe").await;
    let gem_pack = buy_and_pay(&app, ALICE, "gem_pack").await;
    // One of the bundle's 3 Energy used (after a dig makes room for it), the Lantern started.
    say_expect(&app, ALICE, "/dig", "You found").await;
    say_expect(&app, ALICE, "/use energy", "Used Energy").await;
    say_expect(&app, ALICE, "/use lantern", "Lantern is active").await;

    let list = say_expect(&app, ALICE, "/refund", "Purchases you can refund").await;
    let text = list.text.clone().unwrap();
    for line in [
        format!("• Gem Pack — 15 ⭐ · takes back 50 gems\n   charge id: {gem_pack}"),
        format!("• Pickaxe — 50 ⭐ · takes back Pickaxe\n   charge id: {pickaxe}"),
        "Can't be refunded:\n• Lantern — started, can't be refunded\n• Starter Bundle — 1 of 3 Energies used"
            .to_owned(),
    ] {
        assert!(text.contains(&line), "`{line}` in:\n{text}");
    }
    assert!(!text.contains(&starter) && !text.contains(&lantern), "no charge ids to refuse:\n{text}");
    let labels: Vec<String> = list.buttons().into_iter().map(|(label, _, _)| label).collect();
    assert_eq!(labels, ["Refund Gem Pack · 15 ⭐", "Refund Pickaxe · 50 ⭐"], "buttons only for what is refundable");

    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, list.message_id, &list.button_data("Refund Pickaxe").unwrap());
    let confirm = text_after(&app, ALICE, before, "Refund Pickaxe for 50 ⭐?\nWe'll take back: Pickaxe.").await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, confirm.message_id, &confirm.button_data("Yes").unwrap());
    text_after(&app, ALICE, before, "Refunded 50 ⭐ for Pickaxe.\nTaken back: Pickaxe").await;
    // What the list said it would refuse, a refund by charge id refuses with the same words.
    say_expect(&app, ALICE, &format!("/refund {starter}"), "🚫 Starter Bundle — 1 of 3 Energies used.").await;
    assert_eq!(status(&app, ALICE, &starter).await, "paid");
    assert_eq!(held(&app, ALICE, "energy").await, 2);
    let list = say_expect(&app, ALICE, "/refund", "Purchases you can refund").await;
    assert!(!list.text.unwrap().contains("Pickaxe"), "the refunded Pickaxe is no longer listed");
    conforms(&app);
}

#[tokio::test]
async fn a_refund_button_from_an_older_list_says_why_once_the_purchase_is_used() {
    let app = spawn().await;
    let starter = buy_and_pay(&app, BOB, "starter").await;
    let list = say_expect(&app, BOB, "/refund", "takes back 3 Energies and 50 gems").await;
    let refund = list.button_data("Refund Starter Bundle").expect("a Refund button");
    let before = last_id(&app, BOB);
    app.emulator.press_button(BOB, BOB, list.message_id, &refund);
    let question = "Refund Starter Bundle for 25 ⭐?\nWe'll take back: 3 Energies and 50 gems.";
    let confirm = text_after(&app, BOB, before, question).await;

    // Bob uses one Energy; the list and its confirmation are now out of date.
    say_expect(&app, BOB, "/dig", "You found").await;
    say_expect(&app, BOB, "/use energy", "Used Energy").await;
    let reason = "🚫 Starter Bundle — 1 of 3 Energies used.";
    let before = last_id(&app, BOB);
    app.emulator.press_button(BOB, BOB, list.message_id, &refund);
    let answer = text_after(&app, BOB, before, reason).await;
    assert!(answer.buttons().is_empty(), "no Yes to press: {:?}", answer.buttons());
    let before = last_id(&app, BOB);
    app.emulator.press_button(BOB, BOB, confirm.message_id, &confirm.button_data("Yes").unwrap());
    text_after(&app, BOB, before, reason).await;
    assert_eq!(status(&app, BOB, &starter).await, "paid");
    assert!(!app.emulator.is_refunded(&starter));
    let list = say_expect(&app, BOB, "/refund", "no purchases you can refund").await;
    assert!(list.text.unwrap().contains("Can't be refunded:\n• Starter Bundle — 1 of 3 Energies used"));
    assert!(list.reply_markup.is_none(), "no keyboard without a Refund button");
    conforms(&app);
}
