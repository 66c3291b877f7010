//! The console's Support tab in a real browser: headless Chromium driven by
//! `tests/browser/admin_support.mjs` against the real bot. Three `/paysupport` messages — Bob's,
//! already answered from the console's API; one from a player who then blocked the bot; Alice's,
//! with markup in her name and text — and an admin who, on a phone (390x844), sees "2" on the
//! Support link, the two unanswered newest first (Alice's markup shown as text, never run), all
//! three with who answered Bob, answers Alice (Send disabled while it is on its way) and sees it
//! answered in place with the count down to 1, while the answer to the blocked player says it was
//! not sent and keeps the text. Alice gets the answer in her chat. On a desktop (1280x800) the
//! inbox, and Alice's name opening her card on the Players tab. Screenshots in
//! `test-artifacts/browser/admin_support/`.

use serde_json::{json, Value};

use crate::admin::{console_post, link_from_chat, spawn_console};
use crate::admin_sales::{read, signed_in};
use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::support::{buy_and_pay, last_id, say_expect, text_after, ADMIN, ALICE, BOB};

/// A player who writes to support and then blocks the bot.
const CAROL: i64 = 1003;
const ALICE_NAME: &str = "Alice <img src=x onerror=window.pwned=1>";
const ALICE_TEXT: &str = "My energy <b>did not</b> arrive\n<img src=x onerror=window.pwned=1>";
const ANSWER: &str = "Sorry, Alice! We added 3 energy & checked your payment.";

async fn write_to_support(app: &crate::harness::TestApp, user: i64, text: &str) {
    say_expect(app, user, "/paysupport", "next message").await;
    say_expect(app, user, text, "saved").await;
}

fn ticket(tickets: &Value, user: i64) -> &Value {
    let href = format!("#players/{user}");
    let found = tickets.as_array().and_then(|all| all.iter().find(|ticket| ticket["href"] == href.as_str()));
    found.unwrap_or_else(|| panic!("a message from {user}: {tickets}"))
}

#[tokio::test]
async fn an_admin_answers_a_support_message_from_the_support_tab_in_chromium() {
    assert_prerequisites();
    let app = spawn_console().await;
    app.emulator.set_user_name(ALICE, ALICE_NAME, Some("alice_p"));
    buy_and_pay(&app, ALICE, "energy").await;
    write_to_support(&app, BOB, "Hello? Is anyone there?").await;
    write_to_support(&app, CAROL, "I was charged twice").await;
    app.emulator.set_blocked(CAROL, true);
    write_to_support(&app, ALICE, ALICE_TEXT).await;

    let cookie = signed_in(&app).await;
    let csrf = read(&app, &cookie, "/admin/api/session").await["csrf"].as_str().expect("a token").to_owned();
    let (status, body) = console_post(
        app.http_addr().await,
        "/admin/api/support/1/reply",
        &cookie,
        Some(&csrf),
        json!({ "text": "Yes!" }),
    )
    .await;
    assert_eq!((status.as_u16(), body["result"].as_str()), (200, Some("sent")), "{body}");

    let (first, second) = (link_from_chat(&app, ADMIN).await, link_from_chat(&app, ADMIN).await);
    let screenshots = screenshot_dir("admin_support");
    let (alice, carol) = (ALICE.to_string(), CAROL.to_string());
    let env = [
        ("LINK", first.as_str()),
        ("LINK2", second.as_str()),
        ("PLAYER", alice.as_str()),
        ("UNDELIVERABLE", carol.as_str()),
        ("ANSWER", ANSWER),
    ];
    let before = last_id(&app, ALICE);
    let driven = drive(&app, ADMIN, "admin_support.mjs", &env, &first, &screenshots).await;
    let out = driven.output(&app, "admin_support.mjs");

    assert_eq!(out["count"], "2", "the Support link counts the unanswered: {out}");
    let unanswered = &out["unanswered"];
    let ids: Vec<_> = unanswered.as_array().expect("tickets").iter().map(|ticket| ticket["id"].clone()).collect();
    assert_eq!(ids, [json!(3), json!(2)], "the unanswered, newest first: {unanswered}");
    let mine = ticket(unanswered, ALICE);
    assert_eq!(mine["player"], format!("{ALICE_NAME} (@alice_p) · {ALICE}"), "{mine}");
    assert_eq!((mine["text"].as_str(), mine["images"].as_u64()), (Some(ALICE_TEXT), Some(0)), "as text: {mine}");
    let payment = mine["payments"][0].as_str().unwrap_or_default();
    assert!(["energy × 1", "⭐ 5", "paid", "UTC"].iter().all(|part| payment.contains(part)), "{mine}");
    assert_eq!(ticket(unanswered, CAROL)["payments"], json!([]), "{unanswered}");

    let all = &out["all"];
    assert_eq!(all.as_array().map(Vec::len), Some(3), "{all}");
    let bob = ticket(all, BOB);
    assert_eq!((bob["state"].as_str(), bob["answer"].as_str()), (Some("answered"), Some("Yes!")), "{bob}");
    assert!(bob["answered_by"].as_str().is_some_and(|by| by.contains(&format!("Answered by {ADMIN}"))), "{bob}");

    assert_eq!(out["sending"], json!({ "disabled": true, "label": "Sending…", "readonly": true }));
    let answered = &out["answered"];
    assert_eq!((answered["state"].as_str(), answered["answer"].as_str()), (Some("answered"), Some(ANSWER)));
    assert!(answered["result"].as_str().is_some_and(|r| r.starts_with("Sent: answer to #3")), "{answered}");
    assert_eq!(out["count_after"], "1", "{out}");
    assert_eq!(out["filters_after"], json!(["Unanswered (1)", "All (3)"]), "{out}");
    assert_eq!(out["nav_in_view"], 5, "every tab fits the phone's row with the count: {out}");
    let undelivered = &out["undelivered"];
    assert_eq!(undelivered["state"], "open", "{undelivered}");
    assert!(undelivered["result"].as_str().is_some_and(|r| r.contains("Not sent: Telegram refused")), "{undelivered}");
    assert_eq!(undelivered["draft"], "We looked into it.", "the answer is kept to try again: {undelivered}");
    assert_eq!(out["script_ran"], false, "markup in a message never runs");
    assert_eq!((out["phone_overflow"].as_bool(), out["desktop_overflow"].as_bool()), (Some(false), Some(false)));

    assert_eq!(ticket(&out["desktop"], ALICE)["answer"], ANSWER, "{}", out["desktop"]);
    let player = &out["player"];
    assert_eq!((player["active"].as_str(), player["input"].as_str()), (Some("Players"), Some(alice.as_str())));
    let title = format!("(@alice_p) · {ALICE}").to_uppercase();
    assert!(player["card"].as_str().is_some_and(|card| card.contains(&title)), "her card: {player}");

    // Alice got the answer in her chat; the inbox says who answered; Carol's stays open.
    let got = text_after(&app, ALICE, before, ANSWER).await.text.unwrap_or_default();
    assert!(got.contains("your message #3"), "{got}");
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    assert_eq!(
        (inbox["messages"][0]["answer"].as_str(), inbox["messages"][0]["answered_by"].as_i64()),
        (Some(ANSWER), Some(ADMIN))
    );
    assert!(inbox["messages"][1]["answer"].is_null(), "{inbox}");
    assert_eq!(out["screenshots"].as_array().map(Vec::len), Some(6), "{out}");
}
