//! The shop over the Bot API wire: offers, invoices, pre-checkout refusals and grants.

use serde_json::json;
use starmine::sandbox::emulator::PayOutcome;

use crate::support::*;

#[tokio::test]
async fn happy_path_grants_once_with_a_receipt() {
    let app = spawn().await;
    let start = say_expect(&app, ALICE, "/start", "Welcome to Starmine").await;
    assert!(start.text.unwrap().contains("/paysupport"));
    let commands: Vec<String> = app.emulator.commands().into_iter().map(|(c, _)| c).collect();
    for command in ["start", "shop", "buy", "inventory", "refund", "terms", "paysupport"] {
        assert!(commands.contains(&command.to_owned()), "{command} missing from {commands:?}");
    }

    let invoice = invoice(&app, ALICE, "pickaxe").await;
    let details = invoice.invoice.clone().unwrap();
    assert_eq!((details.title.as_str(), details.currency.as_str(), details.amount), ("Pickaxe", "XTR", 50));
    let before = last_id(&app, ALICE);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    let receipt = text_after(&app, ALICE, before, "Payment received").await;
    assert!(receipt.text.unwrap().contains(&charge), "the receipt shows the charge id");

    let player = player(&app, ALICE).await;
    assert_eq!(player["user_id"], ALICE);
    assert_eq!(player["inventory"], json!({ "pickaxe": 1 }));
    let payment = &player["payments"][0];
    assert_eq!(payment["telegram_payment_charge_id"], charge.as_str());
    assert_eq!(payment["item_id"], "pickaxe");
    assert_eq!(payment["quantity"], 1);
    assert_eq!(payment["amount"], 50);
    assert_eq!(payment["status"], "paid");
    assert!(chrono::DateTime::parse_from_rfc3339(payment["paid_at"].as_str().unwrap()).is_ok());

    say_expect(&app, ALICE, "/inventory", "Pickaxe ×1").await;
    conforms(&app);
}

/// The whole app built and run in this process (`app::serve_until`): a purchase goes through
/// it as through the binary, and the stop passed in drains it: `serve_until` returns Ok, with
/// the polled updates confirmed (the next getUpdates offset is past them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_runs_in_process_and_drains_on_the_stop_passed_in() {
    let mut app = spawn_in_process().await;
    say_expect(&app, ALICE, "/start", "Welcome to Starmine").await;
    let invoice = invoice(&app, ALICE, "pickaxe").await;
    let before = last_id(&app, ALICE);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    text_after(&app, ALICE, before, "Payment received").await;
    assert_eq!(status(&app, ALICE, &charge).await, "paid");
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1);

    let requests_before_stop = app.emulator.request_count();
    app.stop_in_process().await.expect("serve_until returns Ok after its stop");
    let confirmed = app.emulator.requests()[requests_before_stop..]
        .iter()
        .any(|request| request.method.eq_ignore_ascii_case("getUpdates"));
    assert!(confirmed, "the drain confirms the last polled batch with one more getUpdates");
    assert_eq!(app.emulator.pending_updates(), Vec::<serde_json::Value>::new(), "nothing is left to deliver again");
}

#[tokio::test]
async fn a_player_with_no_records_is_an_empty_object() {
    let app = spawn().await;
    let player = player(&app, 424242).await;
    assert_eq!(
        player,
        json!({
            "user_id": 424242, "username": null, "name": null, "inventory": {}, "payments": [], "energy": 10,
            "gems": 0, "boosts": [],
            "energy_max": 10, "upgrades": {}, "cosmetics": [], "arcade_gems_today": 0, "arcade_gems_left_today": 50,
            "passes": [], "gifts_given": [], "gifts_received": [],
        })
    );
    for bad in ["0", "-3", "abc", "@bob-smith"] {
        let output = app.run_cli(&["player", bad]).await;
        assert_eq!(output.status.code(), Some(2), "player {bad}");
    }
}

#[tokio::test]
async fn duplicate_successful_payment_is_granted_once() {
    let app = spawn().await;
    let invoice = invoice(&app, ALICE, "energy").await;
    app.emulator.deliver_twice(true);
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    // Both copies are handled once a later update gets through after them.
    say_expect(&app, ALICE, "/inventory", "Energy ×1").await;
    app.emulator.deliver_twice(false);
    let receipts =
        app.emulator.messages(ALICE).iter().filter(|m| m.text.as_deref().is_some_and(|t| t.contains(&charge))).count();
    assert_eq!(receipts, 1, "one receipt");
    let player = player(&app, ALICE).await;
    assert_eq!(player["inventory"], json!({ "energy": 1 }));
    assert_eq!(player["payments"].as_array().unwrap().len(), 1);
    assert_eq!(sold(&app, "energy").await, 1);
}

#[tokio::test]
async fn tampered_foreign_and_unknown_payloads_are_declined_and_change_nothing() {
    let app = spawn().await;
    let invoice = invoice(&app, ALICE, "pickaxe").await;
    let payload = invoice.invoice.clone().unwrap().payload;

    let tampered = app.emulator.pay_payload(ALICE, &payload, "XTR", 1).await;
    assert_declined(&tampered, "amount does not match");
    let currency = app.emulator.pay_payload(ALICE, &payload, "USD", 50).await;
    assert_declined(&currency, "amount does not match");
    let foreign = app.emulator.pay_payload(BOB, &payload, "XTR", 50).await;
    assert_declined(&foreign, "another player");
    for forged in ["pickaxe.AAAAAAAAAAAA", "nonsense", "energy.x", &"z".repeat(128)] {
        let outcome = app.emulator.pay_payload(ALICE, forged, "XTR", 50).await;
        assert_declined(&outcome, "not one of ours");
    }
    assert_eq!(player(&app, ALICE).await["payments"], json!([]));
    assert_eq!(player(&app, BOB).await["payments"], json!([]));
    assert_eq!(app.emulator.star_balance(), 0);

    // The real invoice still pays.
    let charge = pay(&app, ALICE, &invoice).await.charge_id();
    wait_status(&app, ALICE, &charge, "paid").await;
    let again = pay(&app, ALICE, &invoice).await;
    assert_declined(&again, "already paid");
    conforms(&app);
}

fn assert_declined(outcome: &PayOutcome, needle: &str) {
    match outcome {
        PayOutcome::Declined { error_message } => {
            assert!(error_message.contains(needle), "`{error_message}` should say `{needle}`")
        }
        other => panic!("expected a decline saying `{needle}`, got {other:?}"),
    }
}

#[tokio::test]
async fn concurrent_pre_checkouts_never_oversell() {
    let app = spawn().await;
    let buyers: Vec<i64> = (2000..2010).collect();
    let mut invoices = Vec::new();
    for &buyer in &buyers {
        invoices.push(invoice(&app, buyer, "rare").await);
    }
    let payments = invoices.iter().zip(&buyers).map(|(invoice, &buyer)| {
        let emulator = app.emulator.clone();
        let (chat, id) = (invoice.chat_id, invoice.message_id);
        async move { emulator.pay_invoice(buyer, chat, id).await }
    });
    let outcomes = futures::future::join_all(payments).await;
    let paid = outcomes.iter().filter(|o| matches!(o, PayOutcome::Paid { .. })).count();
    let sold_out = outcomes
        .iter()
        .filter(|o| matches!(o, PayOutcome::Declined { error_message } if error_message.contains("sold out")))
        .count();
    assert_eq!((paid, sold_out), (3, 7), "{outcomes:?}");
    app.wait_until(WAIT, || async { sold(&app, "rare").await == 3 }).await;
    let mut granted = 0;
    for &buyer in &buyers {
        granted += held(&app, buyer, "rare").await;
    }
    assert_eq!(granted, 3);
    say_expect(&app, 2999, "/buy rare", "sold out").await;
}

#[tokio::test]
async fn max_per_player_counts_open_holds() {
    let app = spawn().await;
    buy_and_pay(&app, ALICE, "crate").await;
    // The second purchase is approved but its payment never arrives: the unit stays held.
    let second = invoice(&app, ALICE, "crate").await;
    app.emulator.lose_updates("message", 1);
    assert!(matches!(pay(&app, ALICE, &second).await, PayOutcome::Paid { .. }));
    say_expect(&app, ALICE, "/buy crate", "most Crate").await;
    // A third invoice made before cannot get past pre-checkout either.
    // Once the hold lapses (hold_ttl = 3s), the player may buy again.
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let third = invoice(&app, ALICE, "crate").await;
    let charge = pay(&app, ALICE, &third).await.charge_id();
    wait_status(&app, ALICE, &charge, "paid").await;
    say_expect(&app, ALICE, "/buy crate", "most Crate").await;
    assert_eq!(held(&app, ALICE, "crate").await, 2);
}

#[tokio::test]
async fn an_owned_permanent_item_is_refused() {
    let app = spawn().await;
    let first = invoice(&app, ALICE, "pickaxe").await;
    // Two invoices for the same item: the second /buy re-offers the open order.
    let second = invoice(&app, ALICE, "pickaxe").await;
    assert_eq!(first.invoice.as_ref().unwrap().payload, second.invoice.as_ref().unwrap().payload);
    let charge = pay(&app, ALICE, &first).await.charge_id();
    wait_status(&app, ALICE, &charge, "paid").await;
    say_expect(&app, ALICE, "/buy pickaxe", "already own").await;
    assert!(app.emulator.messages(ALICE).iter().filter(|m| m.invoice.is_some()).count() == 2);
    assert_declined(&pay(&app, ALICE, &second).await, "already paid");
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1);
}

#[tokio::test]
async fn a_bundle_grants_its_contents() {
    let app = spawn().await;
    let charge = buy_and_pay(&app, ALICE, "starter").await;
    let player = player(&app, ALICE).await;
    assert_eq!(player["inventory"], json!({ "energy": 3 }), "a gem pack adds gems, not an item");
    assert_eq!(player["gems"], 50);
    assert_eq!(player["payments"][0]["item_id"], "starter");
    assert_eq!(player["payments"][0]["telegram_payment_charge_id"], charge.as_str());
    say_expect(&app, ALICE, "/inventory", "Energy ×3").await;
}

#[tokio::test]
async fn unknown_item_and_missing_argument_get_clear_answers() {
    let app = spawn().await;
    say_expect(&app, ALICE, "/buy dragon", "no item called “dragon”").await;
    say_expect(&app, ALICE, "/buy", "Which item?").await;
    say_expect(&app, ALICE, "/frobnicate", "don't know that command").await;
    assert!(app.emulator.messages(ALICE).iter().all(|m| m.invoice.is_none()));
}
