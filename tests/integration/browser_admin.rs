//! The operator console in a real browser: headless Chromium driven by `tests/browser/admin.mjs`
//! against the real bot. An admin signs in on a phone (390x844) with a link from `/admin`, reads
//! the overview (the Star balance after a purchase, nothing stuck, polling), finds the page
//! without a cookie on a desktop (1280x800) saying how to sign in, the used link refused, signs in
//! there with a second link, opens a section still to come and signs out. On the phone it refunds
//! Alice's purchase from the Players tab in three clicks (find, Refund, Confirm). Screenshots in
//! `test-artifacts/browser/admin/`.

use serde_json::Value;

use crate::admin::{link_from_chat, spawn_console};
use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::support::{buy_and_pay, ADMIN, ALICE};

fn overview_checks(out: &Value, size: &str, balance: i64) {
    let view = &out[size];
    assert_eq!(view["who"], ADMIN.to_string(), "{size}: {view}");
    assert_eq!(view["balance"], format!("⭐ {balance}"), "{size}: {view}");
    assert_eq!((view["refunds"].as_str(), view["journal"].as_str()), (Some("0"), Some("0")), "{size}: {view}");
    assert_eq!(view["webhook_mode"], "Long polling", "{size}: {view}");
    assert_eq!((view["webhook_pending"].as_str(), view["webhook_error"].as_str()), (Some("0"), Some("None")));
    assert_eq!(view["nav"], serde_json::json!(["Overview", "Items", "Players", "Support", "Transactions"]));
    assert_eq!(view["active"], "Overview", "{size}: {view}");
    assert_eq!(view["overflow"], false, "{size}: the page is no wider than the window");
    assert_eq!(view["sales"], 0, "{size}: no sales section until the counters exist");
    assert_eq!(view["problem"], "", "{size}: {view}");
}

#[tokio::test]
async fn an_admin_signs_in_on_a_phone_and_a_desktop_and_a_used_link_is_refused_in_chromium() {
    assert_prerequisites();
    let app = spawn_console().await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    let balance = app.emulator.star_balance();
    let first = link_from_chat(&app, ADMIN).await;
    let second = link_from_chat(&app, ADMIN).await;

    let screenshots = screenshot_dir("admin");
    let alice = ALICE.to_string();
    let env = [("LINK", first.as_str()), ("LINK2", second.as_str()), ("PLAYER", alice.as_str())];
    let driven = drive(&app, ADMIN, "admin.mjs", &env, &first, &screenshots).await;
    let out = driven.output(&app, "admin.mjs");

    overview_checks(&out, "phone", balance);
    // The desktop signed in after the refund: the balance lost Alice's Stars.
    overview_checks(&out, "desktop", app.emulator.star_balance());
    let refund = &out["refund"];
    assert!(
        refund["card"]
            .as_str()
            .is_some_and(|card| card.contains(&format!("PLAYER {ALICE}")) && card.contains("energy × 1")),
        "{refund}"
    );
    assert_eq!(refund["before"], 1, "one refundable payment: {refund}");
    assert!(refund["confirm"].as_str().is_some_and(|text| text.contains("Refund ⭐ 5 for energy")), "{refund}");
    assert!(
        refund["result"].as_str().is_some_and(|text| text.contains(&format!("refunded 5 stars to user {ALICE}"))),
        "{refund}"
    );
    assert_eq!(refund["after"], serde_json::json!(["refunded"]), "the list is read again: {refund}");
    assert_eq!((refund["buttons"].as_u64(), refund["overflow"].as_bool()), (Some(0), Some(false)), "{refund}");
    assert!(app.emulator.is_refunded(&charge));
    assert_eq!(out["phone"]["navInView"], 5, "every section's tab fits the phone's row: {}", out["phone"]);
    for (gate, state, says) in [
        ("signed_out", "not_signed_in", "send /admin to the bot"),
        ("reused", "reused", "already used"),
        ("after_sign_out", "not_signed_in", "you are not signed in"),
    ] {
        assert_eq!(out[gate]["state"], state, "{gate}: {}", out[gate]);
        assert!(out[gate]["text"].as_str().unwrap_or_default().contains(says), "{gate}: {}", out[gate]);
    }
    assert_eq!(out["after_sign_out"]["cookies"], 0, "signing out removes the cookie");
    assert_eq!(out["later"]["active"], "Support");
    assert!(out["later"]["text"].as_str().unwrap_or_default().contains("forwarded to the admins"), "{}", out["later"]);
    assert_eq!(out["screenshots"].as_array().map(Vec::len), Some(9));
}
