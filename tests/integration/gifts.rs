//! Item gifts against the real binary and a real Redis: `/gift` and the shop's Gift button, the
//! refusals before any invoice, a gift granted once to its recipient (a redelivered update, a
//! crash replayed through the journal), refunds only by the payer on what the recipient holds,
//! revoked from the recipient with the Stars back to the payer, reconciliation from the Star ledger
//! (which names the payer) finding the recipient, and a Russian-speaking giver.

use serde_json::{json, Value};
use starmine::sandbox::emulator::SentMessage;

use crate::harness::TestApp;
use crate::support::*;
use crate::webhook::journal_len;

const BOB_NAME: &str = "bob_miner";
const ALICE_NAME: &str = "alice_digs";

/// `user` writes to the bot in private under these names, and the bot has recorded them: their
/// card and the @username index (group-committed, so a moment later) know them.
pub(crate) async fn start(app: &TestApp, user: i64, first_name: &str, username: &str) {
    app.emulator.set_user_name(user, first_name, Some(username));
    say(app, user, "/start", |m| m.text.is_some()).await;
    app.wait_until(WAIT, || async {
        let found = app.run_cli(&["player", &format!("@{username}")]).await;
        found.status.success()
            && serde_json::from_slice::<Value>(&found.stdout).is_ok_and(|card| card["user_id"] == user)
    })
    .await;
}

/// Alice and Bob both started the bot.
async fn alice_and_bob(app: &TestApp) {
    start(app, ALICE, "Alice", ALICE_NAME).await;
    start(app, BOB, "Bob", BOB_NAME).await;
}

/// `/gift <item> <to>` from `from`, and the invoice it produces.
async fn gift_invoice(app: &TestApp, from: i64, item: &str, to: &str) -> SentMessage {
    say(app, from, &format!("/gift {item} {to}"), |m| m.invoice.is_some()).await
}

fn texts_with(app: &TestApp, chat: i64, needle: &str) -> usize {
    app.emulator.messages(chat).iter().filter(|m| m.text.as_deref().is_some_and(|t| t.contains(needle))).count()
}

fn invoices(app: &TestApp, chat: i64) -> usize {
    app.emulator.messages(chat).iter().filter(|m| m.invoice.is_some()).count()
}

fn charge_of(card: &Value, key: &str) -> Vec<String> {
    let lines = card[key].as_array().cloned().unwrap_or_default();
    lines.iter().map(|line| line["telegram_payment_charge_id"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn a_gift_is_granted_once_to_its_recipient_who_is_told_who_gave_it() {
    let app = spawn().await;
    alice_and_bob(&app).await;
    let invoice = gift_invoice(&app, ALICE, "starter", &format!("@{BOB_NAME}")).await;
    let details = invoice.invoice.clone().unwrap();
    assert!(details.description.contains(&format!("A gift for @{BOB_NAME}")), "{details:?}");
    assert!(details.payload.ends_with(&format!(":{BOB}")), "the payload names the recipient: {details:?}");

    app.emulator.deliver_twice(true);
    let before_bob = last_id(&app, BOB);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    let notice = text_after(&app, BOB, before_bob, "sent you a gift").await;
    let notice = notice.text.unwrap();
    assert!(notice.contains(&format!("@{ALICE_NAME}")) && notice.contains("Starter Bundle"), "{notice}");
    // Both copies are handled once a later update gets through after them.
    say_expect(&app, BOB, "/inventory", "Energy ×3").await;
    app.emulator.deliver_twice(false);

    assert_eq!(texts_with(&app, ALICE, &charge), 1, "one receipt for the giver");
    let receipt =
        app.emulator.messages(ALICE).into_iter().find(|m| m.text.as_deref().is_some_and(|t| t.contains(&charge)));
    assert!(receipt.unwrap().text.unwrap().contains(&format!("went to @{BOB_NAME}")));
    assert_eq!(texts_with(&app, BOB, "sent you a gift"), 1, "one message for the recipient");
    let bob = player(&app, BOB).await;
    assert_eq!(bob["inventory"], json!({ "energy": 3 }));
    assert_eq!(bob["gems"], 50);
    assert_eq!(bob["payments"].as_array().unwrap().len(), 1, "the record is the recipient's");
    assert_eq!(bob["gifts_received"][0]["from_user_id"], ALICE);
    assert_eq!(charge_of(&bob, "gifts_received"), std::slice::from_ref(&charge));
    let alice = player(&app, ALICE).await;
    assert_eq!(alice["inventory"], json!({}));
    assert_eq!(alice["payments"], json!([]), "nothing in the payer's slot but the index");
    assert_eq!(alice["gifts_given"][0]["to_user_id"], BOB);
    assert_eq!(alice["gifts_given"][0]["status"], "paid");
    assert_eq!(sold(&app, "starter").await, 1);

    // The books balance with the record in the recipient's slot and the ledger naming the payer.
    let audit = app.run_cli(&["audit"]).await;
    assert_eq!(audit.status.code(), Some(0), "{}", String::from_utf8_lossy(&audit.stdout));

    // A dispute Telegram reports names the payer: the gift is revoked from its recipient.
    assert!(app.emulator.dispute(ALICE, &charge));
    wait_status(&app, BOB, &charge, "refunded").await;
    let bob = player(&app, BOB).await;
    assert_eq!(bob["inventory"], json!({}));
    assert_eq!(bob["gems"], 0);
    assert_eq!(sold(&app, "starter").await, 0);
    let audit = app.run_cli(&["audit"]).await;
    assert_eq!(audit.status.code(), Some(0), "{}", String::from_utf8_lossy(&audit.stdout));
    conforms(&app);
}

/// The process dies with the gift's payment update confirmed to Telegram and nothing recorded;
/// the journal brings it back, and it is granted once, to the recipient.
#[tokio::test]
async fn a_gift_in_hand_at_a_crash_is_replayed_to_its_recipient() {
    let mut app = spawn_with_env(&[("RECONCILE_EVERY_S", "0")]).await;
    alice_and_bob(&app).await;
    app.set_env("STARMINE_FAILPOINTS", Some("payment_handler"));
    app.restart().await;
    let invoice = gift_invoice(&app, ALICE, "pickaxe", &BOB.to_string()).await;
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    app.wait_until(WAIT, || async { app.run_log().contains("failpoint: stalled here") }).await;
    app.wait_until(WAIT, || async { app.emulator.pending_updates().is_empty() }).await;
    assert_eq!(journal_len(&app).await, 1, "the payment update is in the journal");
    assert_eq!(held(&app, BOB, "pickaxe").await, 0, "nothing granted yet");

    app.kill9().await;
    app.set_env("STARMINE_FAILPOINTS", None);
    app.restart().await;
    wait_status(&app, BOB, &charge, "paid").await;
    app.emulator
        .wait_for(BOB, WAIT, |m| m.text.as_deref().is_some_and(|t| t.contains("sent you a gift")))
        .await
        .expect("the recipient is told after the replay");
    app.emulator
        .wait_for(ALICE, WAIT, |m| m.text.as_deref().is_some_and(|t| t.contains(&charge)))
        .await
        .expect("the giver gets the receipt after the replay");
    assert_eq!(held(&app, BOB, "pickaxe").await, 1, "granted once, to the recipient");
    assert_eq!(held(&app, ALICE, "pickaxe").await, 0);
    app.wait_until(WAIT, || async { journal_len(&app).await == 0 }).await;
    assert_eq!(charge_of(&player(&app, ALICE).await, "gifts_given"), [charge]);
}

#[tokio::test]
async fn gifts_the_recipient_cannot_take_are_refused_before_any_invoice_and_change_nothing() {
    let app = spawn().await;
    alice_and_bob(&app).await;
    buy_and_pay(&app, BOB, "pickaxe").await;
    buy_and_pay(&app, BOB, "crate").await;
    buy_and_pay(&app, BOB, "crate").await;
    buy_and_pay(&app, ALICE, "golden").await;
    buy_and_pay(&app, ADMIN, "golden").await;
    let (bob_before, alice_before) = (player(&app, BOB).await, player(&app, ALICE).await);
    let (invoices_before, balance) = (invoices(&app, ALICE), app.emulator.star_balance());

    let cases = [
        ("/gift energy @nobody_here".to_owned(), "can't find @nobody_here"),
        ("/gift energy 5555".to_owned(), "can't find 5555"),
        (format!("/gift energy @{ALICE_NAME}"), "That's you!"),
        (format!("/gift energy {ALICE}"), "That's you!"),
        (format!("/gift pickaxe @{BOB_NAME}"), "@bob_miner already owns Pickaxe"),
        (format!("/gift crate @{BOB_NAME}"), "@bob_miner already has the most Crate one player may have (2)"),
        (format!("/gift golden @{BOB_NAME}"), "Golden Pickaxe is sold out"),
        ("/gift energy".to_owned(), "Send /gift <item>"),
    ];
    for (command, answer) in cases {
        say_expect(&app, ALICE, &command, answer).await;
    }
    assert_eq!(invoices(&app, ALICE), invoices_before, "no invoice was sent");
    assert_eq!(app.emulator.star_balance(), balance);
    assert_eq!(player(&app, BOB).await["payments"], bob_before["payments"]);
    assert_eq!(player(&app, BOB).await["inventory"], bob_before["inventory"]);
    assert_eq!(player(&app, ALICE).await["gifts_given"], alice_before["gifts_given"]);

    // Limits count for the recipient, not the giver: Alice may still give Bob energy.
    let invoice = gift_invoice(&app, ALICE, "energy", BOB_NAME).await;
    assert_eq!(invoice.invoice.unwrap().amount, 5);
}

/// The recipient used part of the gift: the payer's refund is judged on what the recipient
/// holds (the payer holds the same units and would pass), and the recipient may not refund it;
/// an admin refund revokes what remains from the recipient and pays the payer back.
#[tokio::test]
async fn a_gift_used_in_part_is_judged_on_the_recipient_and_revoked_from_them() {
    let app = spawn().await;
    alice_and_bob(&app).await;
    buy_and_pay(&app, ALICE, "starter").await;
    let invoice = gift_invoice(&app, ALICE, "starter", &format!("@{BOB_NAME}")).await;
    let before_bob = last_id(&app, BOB);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    text_after(&app, BOB, before_bob, "sent you a gift").await;

    // Bob spends an energy point digging, then uses one of the gift's energies.
    say(&app, BOB, "/dig", |m| m.text.is_some()).await;
    say_expect(&app, BOB, "/use energy", "Used Energy").await;
    assert_eq!(held(&app, BOB, "energy").await, 2);

    let list = say_expect(&app, ALICE, "/refund", "Can't be refunded").await;
    assert!(list.text.unwrap().contains("1 of 3 Energies used"), "the policy looked at Bob's holdings");
    say_expect(&app, ALICE, &format!("/refund {charge}"), "1 of 3 Energies used").await;
    say_expect(&app, BOB, &format!("/refund {charge}"), "only the player who paid for it").await;
    say_expect(&app, BOB, "/refund", "no purchases you can refund").await;
    assert_eq!(status(&app, BOB, &charge).await, "paid");
    assert!(!app.emulator.is_refunded(&charge));

    // The admin names the payer; the emulator refunds a charge only to the user who paid it.
    let output = app.run_cli(&["refund", &ALICE.to_string(), &charge]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(String::from_utf8_lossy(&output.stdout).contains("refunded 25"));
    assert!(app.emulator.is_refunded(&charge));
    wait_status(&app, BOB, &charge, "refunded").await;
    let bob = player(&app, BOB).await;
    assert_eq!(bob["inventory"], json!({}), "what remained was taken from the recipient");
    let alice = player(&app, ALICE).await;
    assert_eq!(alice["inventory"], json!({ "energy": 3 }), "the payer's own units stay");
    assert_eq!(alice["gifts_given"][0]["status"], "refunded");
    let audit = app.run_cli(&["audit"]).await;
    assert_eq!(audit.status.code(), Some(0), "{}", String::from_utf8_lossy(&audit.stdout));
}

/// A Russian-speaking player gives through the shop's Gift button, pays a Russian invoice, gets a
/// Russian receipt and refunds the gift from the `/refund` list; the recipient reads English.
#[tokio::test]
async fn a_russian_speaking_player_gives_and_refunds_a_gift_in_russian() {
    let app = spawn().await;
    app.emulator.set_user_language(ALICE, "ru");
    alice_and_bob(&app).await;

    let shop = say(&app, ALICE, "/shop", |m| m.button_data("Подарить").is_some()).await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, shop.message_id, &shop.button_data("Подарить").unwrap());
    let choose = text_after(&app, ALICE, before, "Что вы хотите подарить?").await;
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, choose.message_id, &choose.button_data("Энергия").unwrap());
    text_after(&app, ALICE, before, "Кому подарить «Энергия»?").await;
    let invoice = say(&app, ALICE, &format!("@{BOB_NAME}"), |m| m.invoice.is_some()).await;
    let details = invoice.invoice.clone().unwrap();
    assert_eq!(details.title, "Энергия");
    assert!(details.description.starts_with(&format!("🎁 Подарок для @{BOB_NAME}.")), "{details:?}");

    let (before_alice, before_bob) = (last_id(&app, ALICE), last_id(&app, BOB));
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    let receipt = text_after(&app, ALICE, before_alice, &charge).await.text.unwrap();
    assert!(receipt.contains("Оплата получена") && receipt.contains(&format!("получил(а) @{BOB_NAME}")), "{receipt}");
    text_after(&app, BOB, before_bob, &format!("@{ALICE_NAME} sent you a gift: Energy!")).await;

    let list = say_expect(&app, ALICE, "/refund", "Покупки, за которые можно вернуть деньги").await;
    assert!(list.text.clone().unwrap().contains(&format!("Энергия → 🎁 @{BOB_NAME}")), "{:?}", list.text);
    let before = last_id(&app, ALICE);
    app.emulator.press_button(ALICE, ALICE, list.message_id, &list.button_data("Вернуть").unwrap());
    let confirm = text_after(&app, ALICE, before, "Вернуть 5 ⭐").await;
    let (before_alice, before_bob) = (last_id(&app, ALICE), last_id(&app, BOB));
    app.emulator.press_button(ALICE, ALICE, confirm.message_id, &confirm.button_data("Да").unwrap());
    text_after(&app, ALICE, before_alice, "Возвращено 5 ⭐").await;
    text_after(&app, BOB, before_bob, &format!("@{ALICE_NAME} had the gift Energy refunded")).await;
    assert!(app.emulator.is_refunded(&charge));
    assert_eq!(status(&app, BOB, &charge).await, "refunded");
    assert_eq!(held(&app, BOB, "energy").await, 0);
}

async fn reconcile(app: &TestApp) -> Value {
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

/// The Star ledger names the payer: a gift payment whose update was lost is granted to the
/// recipient by reconciliation, and a refund it alone shows is revoked from the recipient.
#[tokio::test]
async fn reconciliation_grants_a_lost_gift_to_its_recipient_and_revokes_it_there() {
    let app = spawn_with_env(&[("RECONCILE_EVERY_S", "0")]).await;
    alice_and_bob(&app).await;
    let invoice = gift_invoice(&app, ALICE, "energy", &format!("@{BOB_NAME}")).await;
    app.emulator.lose_updates("message", 1);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    assert_eq!(status(&app, BOB, &charge).await, "absent");

    let report = reconcile(&app).await;
    assert_eq!(report["payments_recovered"], 1, "{report}");
    assert_eq!(status(&app, BOB, &charge).await, "paid");
    assert_eq!(held(&app, BOB, "energy").await, 1);
    assert_eq!(held(&app, ALICE, "energy").await, 0);
    text_after(&app, BOB, 0, "sent you a gift").await;
    text_after(&app, ALICE, 0, &charge).await;
    assert_eq!(reconcile(&app).await["payments_known"], 1, "a second pass finds it recorded");

    app.emulator.lose_updates("message", 1);
    assert!(app.emulator.dispute(ALICE, &charge));
    let report = reconcile(&app).await;
    assert_eq!(report["refunds_recovered"], 1, "{report}");
    assert_eq!(status(&app, BOB, &charge).await, "refunded");
    assert_eq!(held(&app, BOB, "energy").await, 0);
    let audit = app.run_cli(&["audit"]).await;
    assert_eq!(audit.status.code(), Some(0), "{}", String::from_utf8_lossy(&audit.stdout));
}
