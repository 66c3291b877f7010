//! A charge id is granted once, to its order's buyer, whoever claims it; and our records are
//! checked against the Star ledger the other way round: a payment Telegram never made (a
//! made-up charge id posted with the webhook secret) is voided once the ledger has been read
//! past it — never while reconciliation is off or the ledger cannot be read.

use std::time::Duration;

use crate::harness::TestApp;
use crate::support::*;
use crate::webhook::{journal_len, payment_update, post_update, HOOK_URL, SECRET};

/// Posts a `successful_payment` with the webhook secret and waits until it has been handled.
pub(crate) async fn post_payment(app: &TestApp, update_id: i64, user: i64, payload: &str, amount: u32, charge: &str) {
    let (status, body) =
        post_update(app, Some(SECRET), &payment_update(update_id, user, payload, amount, charge).to_string()).await;
    assert_eq!(status, 200, "{body}");
    app.wait_until(WAIT, || async { journal_len(app).await == 0 }).await;
}

/// An open invoice of `user` for `item`: (payload, amount).
pub(crate) async fn open_order(app: &TestApp, user: i64, item: &str) -> (String, u32) {
    let invoice = invoice(app, user, item).await.invoice.expect("an invoice");
    (invoice.payload, invoice.amount as u32)
}

fn payment_of(player: &serde_json::Value, charge: &str) -> serde_json::Value {
    let payments = player["payments"].as_array().cloned().unwrap_or_default();
    payments.into_iter().find(|p| p["telegram_payment_charge_id"] == charge).unwrap_or_default()
}

#[tokio::test]
async fn a_charge_claimed_again_by_another_payer_or_order_is_refused() {
    let app = spawn_webhook(HOOK_URL, SECRET, &[("RECONCILE_EVERY_S", "0")]).await;
    let (payload, amount) = open_order(&app, ALICE, "rare").await;
    let before = last_id(&app, ALICE);
    let invoice_message = app.emulator.messages(ALICE).into_iter().rev().find(|m| m.invoice.is_some()).unwrap();
    let charge = app.emulator.pay_invoice(ALICE, ALICE, invoice_message.message_id).await.charge_id();
    text_after(&app, ALICE, before, &charge).await;
    assert_eq!((held(&app, ALICE, "rare").await, sold(&app, "rare").await), (1, 1));

    // Alice's genuine update replayed with `from` and `chat` set to Bob.
    let bob_before = last_id(&app, BOB);
    post_payment(&app, 501, BOB, &payload, amount, &charge).await;
    // The same charge under Alice's own second order (same price, another item slot's order).
    let (other_payload, other_amount) = open_order(&app, ALICE, "energy").await;
    post_payment(&app, 502, ALICE, &other_payload, other_amount, &charge).await;
    // Alice's own genuine update again: a plain duplicate, still granted once.
    post_payment(&app, 503, ALICE, &payload, amount, &charge).await;

    assert_eq!(status(&app, BOB, &charge).await, "absent", "nothing recorded for Bob");
    assert_eq!(held(&app, BOB, "rare").await, 0, "Bob was granted nothing");
    assert_eq!(held(&app, ALICE, "energy").await, 0, "the other order was not granted by a used charge");
    assert_eq!((held(&app, ALICE, "rare").await, sold(&app, "rare").await), (1, 1), "Alice: granted once");
    assert_eq!(last_id(&app, BOB), bob_before, "no receipt goes to the forger");
    let refused = app
        .log()
        .matches("a payment claimed by someone other than its order's buyer or its charge id's first claim")
        .count();
    assert_eq!(refused, 2, "each foreign claim is logged at error:\n{}", app.log_tail(30));
    assert!(app.log().contains("ERROR"), "logged at error");
    let mut redis = app.redis().await;
    let owner: String = redis::cmd("GET").arg(format!("charge:{charge}")).query_async(&mut redis).await.unwrap();
    assert_eq!(owner, format!("{ALICE}|{payload}"), "the first claim is never overwritten");

    // Without the global claim (an entry from before it existed), the item side still refuses
    // a second payer: its record of the charge names the first one.
    let _: () = redis::cmd("DEL").arg(format!("charge:{charge}")).query_async(&mut redis).await.unwrap();
    post_payment(&app, 504, BOB, &payload, amount, &charge).await;
    assert_eq!(held(&app, BOB, "rare").await, 0, "the item side refuses another payer");
    assert_eq!(status(&app, BOB, &charge).await, "absent");
    assert_eq!(sold(&app, "rare").await, 1, "never sold twice");
    assert!(app.emulator.transactions().iter().all(|t| t["receiver"].is_null()), "nothing was refunded");
}

#[tokio::test]
async fn a_made_up_charge_is_voided_once_the_ledger_has_been_read_past_it() {
    let app = spawn_webhook(HOOK_URL, SECRET, &[("RECONCILE_EVERY_S", "1"), ("LEDGER_GRACE_S", "2")]).await;
    say(&app, ADMIN, "/start", |_| true).await;
    let genuine = buy_and_pay(&app, ALICE, "energy").await;
    // A real order of Bob's, paid with a charge id Telegram never made.
    let (payload, amount) = open_order(&app, BOB, "rare").await;
    let forged = "stx_forged_0000000000000000";
    post_payment(&app, 601, BOB, &payload, amount, forged).await;
    assert_eq!(status(&app, BOB, forged).await, "paid", "granted at first: only the ledger can tell");
    assert_eq!((held(&app, BOB, "rare").await, sold(&app, "rare").await), (1, 1));

    let admin_before = last_id(&app, ADMIN);
    wait_status(&app, BOB, forged, "voided").await;
    assert_eq!(held(&app, BOB, "rare").await, 0, "the grant was revoked");
    assert_eq!(sold(&app, "rare").await, 0, "its unit went back to stock");
    let report = text_after(&app, ADMIN, admin_before, forged).await;
    assert!(report.text.unwrap().contains("never made"), "admins are told");
    assert!(app.log().contains("a payment the Star ledger never showed: voided"), "{}", app.log_tail(30));

    // The genuine payment is verified and stays.
    let alice = player(&app, ALICE).await;
    assert_eq!(payment_of(&alice, &genuine)["status"], "paid");
    assert!(payment_of(&alice, &genuine)["verified_at"].is_string(), "the ledger showed it: {alice}");
    assert_eq!(held(&app, ALICE, "energy").await, 1);
    // Voided once: more passes change nothing, and the player cannot refund it.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(app.log().matches("a payment the Star ledger never showed: voided").count(), 1);
    let refund = app.run_cli(&["refund", &BOB.to_string(), forged]).await;
    assert_eq!(refund.status.code(), Some(1), "{}", String::from_utf8_lossy(&refund.stdout));
    assert!(String::from_utf8_lossy(&refund.stdout).contains("voided"));
    assert!(app.emulator.transactions().iter().all(|t| t["id"] != forged), "no Stars moved");
}

#[tokio::test]
async fn nothing_is_voided_while_reconciliation_is_off_or_the_ledger_cannot_be_read() {
    let app = spawn_webhook(HOOK_URL, SECRET, &[("RECONCILE_EVERY_S", "0"), ("LEDGER_GRACE_S", "1")]).await;
    let (payload, amount) = open_order(&app, BOB, "rare").await;
    let forged = "stx_forged_1111111111111111";
    post_payment(&app, 701, BOB, &payload, amount, forged).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(status(&app, BOB, forged).await, "paid", "no ledger pass, no verdict");

    // A pass that cannot read the ledger voids nothing either.
    let fault = starmine::sandbox::emulator::Fault::Error { code: 400, description: "Bad Request: try later".into() };
    app.emulator.fault("getStarTransactions", fault, 1);
    let failed = app.run_cli(&["reconcile"]).await;
    assert_eq!(failed.status.code(), Some(3), "{}", String::from_utf8_lossy(&failed.stderr));
    assert_eq!(status(&app, BOB, forged).await, "paid");
    assert_eq!(held(&app, BOB, "rare").await, 1);

    // `starmine reconcile` reads the ledger to its end: now it is overdue and voided.
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["checked"]["voided"], 1, "{report}");
    assert_eq!(status(&app, BOB, forged).await, "voided");
    assert_eq!((held(&app, BOB, "rare").await, sold(&app, "rare").await), (0, 0));
}

#[tokio::test]
async fn the_ledger_outranks_a_forged_claim_that_came_before_the_real_update() {
    let app = spawn_webhook(HOOK_URL, SECRET, &[("RECONCILE_EVERY_S", "0")]).await;
    // Alice pays; her successful_payment is lost on the way.
    let alice_invoice = invoice(&app, ALICE, "energy").await;
    app.emulator.lose_updates("message", 1);
    let charge = pay(&app, ALICE, &alice_invoice).await.charge_id();
    // A forger who learned the charge id posts it first, for Bob's own order at the same price.
    let (bob_payload, bob_amount) = open_order(&app, BOB, "energy").await;
    post_payment(&app, 801, BOB, &bob_payload, bob_amount, &charge).await;
    assert_eq!(held(&app, BOB, "energy").await, 1, "granted at first: only the ledger can tell");

    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["payments_recovered"], 1, "{report}");
    assert_eq!(status(&app, BOB, &charge).await, "voided", "the false claim is voided");
    assert_eq!(held(&app, BOB, "energy").await, 0);
    assert_eq!(status(&app, ALICE, &charge).await, "paid", "its real payer gets what she paid for");
    assert_eq!(held(&app, ALICE, "energy").await, 1);
    let mut redis = app.redis().await;
    let owner: String = redis::cmd("GET").arg(format!("charge:{charge}")).query_async(&mut redis).await.unwrap();
    assert!(owner.starts_with(&format!("{ALICE}|")), "{owner}");
    // Settled: another pass changes nothing.
    let again = app.run_cli(&["reconcile"]).await;
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).expect("a JSON report");
    assert_eq!(
        (again["payments_recovered"].as_u64(), again["checked"]["voided"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!((held(&app, ALICE, "energy").await, held(&app, BOB, "energy").await), (1, 0));
}
