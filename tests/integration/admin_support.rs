//! The support inbox against the real binary, the emulator and a real Redis: a `/paysupport`
//! message is stored even when the only admin never opened the bot (sends to them fail), the
//! player is told so truthfully, and the console's Support API lists it with their payments.

use crate::admin::spawn_console;
use crate::admin_sales::{read, signed_in};
use crate::support::{buy_and_pay, say_expect, ADMIN, ALICE};

#[tokio::test]
async fn a_support_message_is_stored_when_no_admin_can_be_reached_and_the_console_lists_it() {
    let app = spawn_console().await;
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
    assert_eq!(message["user"], ALICE, "{inbox}");
    assert_eq!(message["text"], "My energy did not arrive", "{inbox}");
    assert!(message["answer"].is_null() && message["answered_at_ms"].is_null(), "{inbox}");
    assert_eq!(message["recent_payments"][0]["telegram_payment_charge_id"], charge.as_str(), "{inbox}");

    // Once the admin has opened the bot the next message reaches them too, numbered as stored.
    say_expect(&app, ADMIN, "/start", "Welcome").await;
    say_expect(&app, ALICE, "/paysupport", "next message").await;
    say_expect(&app, ALICE, "Still nothing", "went to our support team").await;
    let report = app.emulator.messages(ADMIN).into_iter().filter_map(|m| m.text).find(|t| t.contains("Still nothing"));
    assert!(report.as_deref().is_some_and(|t| t.contains("Support request #2")), "{report:?}");
    let inbox = read(&app, &cookie, "/admin/api/support").await;
    assert_eq!(inbox["messages"][0]["text"], "Still nothing", "newest first: {inbox}");
    assert_eq!(inbox["messages"].as_array().map(Vec::len), Some(2), "{inbox}");
}
