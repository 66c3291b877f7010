//! Reconciliation against the Star ledger: payments and refunds whose updates were lost are
//! repaired, once.

use serde_json::Value;
use starmine::sandbox::emulator::PayOutcome;

use crate::support::*;

async fn reconcile(app: &crate::harness::TestApp) -> Value {
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

#[tokio::test]
async fn lost_payments_and_refunds_are_repaired_once() {
    let app = spawn().await;
    // A payment whose successful_payment never arrives.
    let lost = invoice(&app, ALICE, "pickaxe").await;
    app.emulator.lose_updates("message", 1);
    let PayOutcome::Paid { charge_id: lost_charge } = pay(&app, ALICE, &lost).await else { panic!("paid") };
    // A purchase refunded by Telegram while its refunded_payment is lost.
    let disputed = buy_and_pay(&app, BOB, "energy").await;
    app.emulator.lose_updates("message", 1);
    assert!(app.emulator.dispute(BOB, &disputed));
    assert_eq!(status(&app, ALICE, &lost_charge).await, "absent");
    assert_eq!(status(&app, BOB, &disputed).await, "paid");

    let report = reconcile(&app).await;
    assert_eq!(report["payments_recovered"], 1, "{report}");
    assert_eq!(report["refunds_recovered"], 1, "{report}");
    assert_eq!(status(&app, ALICE, &lost_charge).await, "paid");
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1);
    assert_eq!(status(&app, BOB, &disputed).await, "refunded");
    assert_eq!(held(&app, BOB, "energy").await, 0);
    assert_eq!(sold(&app, "pickaxe").await, 1);
    text_after(&app, ALICE, 0, &lost_charge).await;

    // Idempotent: a second pass changes nothing.
    let again = reconcile(&app).await;
    assert_eq!(
        (again["payments_recovered"].as_u64(), again["refunds_recovered"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(again["payments_known"], 2);
    assert_eq!(held(&app, ALICE, "pickaxe").await, 1);
}
