//! The support inbox against the real binary, the emulator and a real Redis: a `/paysupport`
//! message is stored even when the only admin never opened the bot (sends to them fail), the
//! player is told so truthfully, the console's Support API lists it with their payments, and an
//! answer from the console (CSRF-guarded) or from chat (the forwarded message's Reply button)
//! reaches the player and marks the message answered.

use reqwest::StatusCode;
use serde_json::json;

use starmine::admin::ANSWER_MAX;
use starmine::domain::UserId;

use crate::admin::{console_post, spawn_console};
use crate::admin_sales::{read, signed_in};
use crate::support::{buy_and_pay, last_id, say_expect, text_after, ADMIN, ALICE};

#[tokio::test]
async fn a_support_message_is_stored_when_no_admin_can_be_reached_and_the_console_lists_it() {
    let app = spawn_console().await;
    app.emulator.set_user_name(ALICE, "Alice <b>", Some("alice_p"));
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, "/paysupport", "next message").await;
    // ADMIN never sent /start, so forwarding to them fails: the player must not hear it arrived.
    let answer = say_expect(&app, ALICE, "My energy did not arrive", "support inbox").await.text.unwrap();
    assert!(answer.contains("saved") && !answer.contains("went to our support team"), "{answer}");
    assert!(app.emulator.messages(ADMIN).is_empty());

    let cookie = signed_in(&app).await;
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    let messages = inbox["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1, "{inbox}");
    let message = &messages[0];
    assert_eq!((message["user"].as_i64(), message["name"].as_str()), (Some(ALICE), Some("Alice <b>")), "{inbox}");
    assert_eq!(message["username"], "alice_p", "{inbox}");
    assert_eq!(message["text"], "My energy did not arrive", "{inbox}");
    assert!(message["answer"].is_null() && message["answered_at_ms"].is_null(), "{inbox}");
    assert_eq!(message["recent_payments"][0]["telegram_payment_charge_id"], charge.as_str(), "{inbox}");
    assert_eq!(inbox["unanswered"], 1, "{inbox}");

    // Once the admin has opened the bot the next message reaches them too, numbered as stored.
    say_expect(&app, ADMIN, "/start", "Welcome").await;
    say_expect(&app, ALICE, "/paysupport", "next message").await;
    say_expect(&app, ALICE, "Still nothing", "went to our support team").await;
    let report = app.emulator.messages(ADMIN).into_iter().filter_map(|m| m.text).find(|t| t.contains("Still nothing"));
    assert!(report.as_deref().is_some_and(|t| t.contains("Support request #2")), "{report:?}");
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    assert_eq!(inbox["messages"][0]["text"], "Still nothing", "newest first: {inbox}");
    assert_eq!(inbox["messages"].as_array().map(Vec::len), Some(2), "{inbox}");

    // Answering from the console: refused without the CSRF token, delivered with it.
    let addr = app.http_addr().await;
    let first = inbox["messages"][1]["id"].as_u64().expect("an id");
    let path = format!("/admin/api/support/{first}/reply");
    let answer = json!({ "text": "Sorry! We added 3 energy." });
    let before = last_id(&app, ALICE);
    let (status, body) = console_post(addr, &path, &cookie, None, answer.clone()).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("csrf")), "{body}");
    let session = read(&app, &cookie, "/admin/api/session").await;
    let csrf = session["csrf"].as_str().expect("a CSRF token");
    let (status, body) = console_post(addr, &path, &cookie, Some(csrf), answer).await;
    assert_eq!((status, body["result"].as_str()), (StatusCode::OK, Some("sent")), "{body}");
    let got = text_after(&app, ALICE, before, "Sorry! We added 3 energy.").await.text.unwrap();
    assert!(got.contains(&format!("#{first}")), "{got}");
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    let answered = &inbox["messages"][1];
    assert_eq!(answered["answer"], "Sorry! We added 3 energy.", "{inbox}");
    assert_eq!(answered["answered_by"], ADMIN, "{inbox}");
    assert!(answered["answered_at_ms"].is_i64() && inbox["messages"][0]["answer"].is_null(), "{inbox}");
    assert_eq!(inbox["unanswered"], 1, "the answered one is no longer counted: {inbox}");
    for (path, text, status, code) in [
        ("/admin/api/support/999/reply", "hi", StatusCode::NOT_FOUND, "unknown_message"),
        ("/admin/api/support/abc/reply", "hi", StatusCode::NOT_FOUND, "unknown_message"),
        (path.as_str(), " \n ", StatusCode::BAD_REQUEST, "empty_answer"),
        (path.as_str(), &"a".repeat(ANSWER_MAX + 1), StatusCode::BAD_REQUEST, "answer_too_long"),
    ] {
        let (got, body) = console_post(addr, path, &cookie, Some(csrf), json!({ "text": text })).await;
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{path} {:.20}: {body}", text);
        assert!(body["error"].as_str().is_some_and(|error| !error.is_empty()), "a sentence: {body}");
    }
    let read_again = read(&app, &cookie, "/admin/api/support").await;
    assert_eq!(read_again["messages"][1]["answer"], "Sorry! We added 3 energy.", "refusals change nothing");
    assert_eq!(read_again["answer_max"], ANSWER_MAX, "{read_again}");

    // Answering from chat: Reply on the forwarded message, then the answer as the next message.
    let forwarded = app
        .emulator
        .messages(ADMIN)
        .into_iter()
        .find(|m| m.text.as_deref().is_some_and(|t| t.contains("Still nothing")));
    let forwarded = forwarded.expect("the forwarded request");
    let second = inbox["messages"][0]["id"].as_u64().expect("an id");
    let data = format!("sr:{second}");
    assert!(
        forwarded.buttons().iter().any(|(_, callback, _)| callback.as_deref() == Some(data.as_str())),
        "{forwarded:?}"
    );
    let before_press = last_id(&app, ADMIN);
    app.emulator.press_button(ADMIN, ADMIN, forwarded.message_id, &data);
    text_after(&app, ADMIN, before_press, "next message").await;
    let before = last_id(&app, ALICE);
    say_expect(&app, ADMIN, "Fixed it, check /inventory", "sent").await;
    let got = text_after(&app, ALICE, before, "Fixed it, check /inventory").await.text.unwrap();
    assert!(got.contains(&format!("#{second}")), "{got}");
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    assert_eq!(inbox["messages"][0]["answer"], "Fixed it, check /inventory", "{inbox}");
    assert_eq!(inbox["messages"][0]["answered_by"], ADMIN, "{inbox}");

    // An answer too long for one message is refused in chat too; the longest the console takes
    // reaches the player in one message (Telegram's 4096 with the header).
    let before_press = last_id(&app, ADMIN);
    app.emulator.press_button(ADMIN, ADMIN, forwarded.message_id, &data);
    text_after(&app, ADMIN, before_press, "next message").await;
    let refused = say_expect(&app, ADMIN, &"b".repeat(4096), "bad_answer").await.text.unwrap();
    assert!(refused.contains(&format!("at most {ANSWER_MAX}")), "{refused}");
    let longest = "a".repeat(ANSWER_MAX);
    let before = last_id(&app, ALICE);
    let path = format!("/admin/api/support/{second}/reply");
    let (status, body) = console_post(addr, &path, &cookie, Some(csrf), json!({ "text": longest })).await;
    assert_eq!((status, body["result"].as_str()), (StatusCode::OK, Some("sent")), "{body}");
    text_after(&app, ALICE, before, &longest).await;
}

#[tokio::test]
async fn an_old_unanswered_message_is_listed_and_counted_beyond_the_newest_hundred() {
    let app = spawn_console().await;
    let store = starmine::store::Store::connect(std::slice::from_ref(&app.redis_url)).await.expect("the store");
    let now = chrono::Utc::now().timestamp_millis();
    let mut ids = Vec::new();
    for n in 0..103 {
        let user = UserId(5000 + n);
        ids.push(store.record_support_message(user, "P", None, &format!("help {n}"), now + n as i64).await.unwrap());
    }
    for id in &ids[1..] {
        assert!(store.answer_support_message(*id, UserId(ADMIN as u64), "done", now).await.unwrap());
    }
    let cookie = signed_in(&app).await;
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    let messages = inbox["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 101, "the newest 100 and the old unanswered one");
    assert_eq!(inbox["unanswered"], 1, "{}", inbox["unanswered"]);
    let last = messages.last().unwrap();
    assert_eq!((last["id"].as_u64(), last["text"].as_str()), (Some(ids[0]), Some("help 0")), "oldest last");
    assert!(last["answer"].is_null());
}
