//! The operator console in a real browser: headless Chromium driven by `tests/browser/admin.mjs`
//! against the real bot. An admin signs in on a phone (390x844) with a link from `/admin`, reads
//! the overview (the Star balance after three purchases of two items and a refund, nothing
//! stuck, polling, the sales cards of today, 7 and 30 days, purchases and paying players, the
//! charts) and the Items view (each item's figures, stock left), finds the page without a cookie
//! on a desktop (1280x800) saying how to sign in, the used link refused, signs in there with a
//! second link, opens Transactions (built: no "still to come") and signs out. Then, on the phone, it refunds
//! Alice's other purchase from the Players tab in three clicks (find, Refund, Confirm).
//! Screenshots in `test-artifacts/browser/admin/`.

use serde_json::Value;

use crate::admin::{link_from_chat, spawn_console};
use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::support::{buy_and_pay, say_expect, ADMIN, ALICE, BOB};

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
    // Alice's two energy (5 each, one refunded) and Bob's golden pickaxe (100).
    let received = ("⭐ 110", "⭐ 5", "⭐ 105", "4.5%", "3");
    for window in ["today", "7 days", "30 days"] {
        let card = &view["sales"][window];
        let shown = ["received", "refunded", "net", "refund-rate", "units-sold"].map(|field| card[field].as_str());
        let expected = [received.0, received.1, received.2, received.3, received.4].map(Some);
        assert_eq!(shown, expected, "{size} {window}: {view}");
    }
    let purchases = [view["sales"]["today"]["purchases"].as_str(), view["sales"]["today"]["paying-players"].as_str()];
    assert_eq!(purchases, [Some("3"), Some("2")], "Alice's two purchases and Bob's: {size}: {view}");
    let charts = ["received-per-day", "refunds-per-day", "purchases-per-day", "purchases-per-hour"];
    assert_eq!(view["charts"], serde_json::json!(charts), "{size}: {view}");
    assert_eq!(view["problem"], "", "{size}: {view}");
}

#[tokio::test]
async fn an_admin_signs_in_on_a_phone_and_a_desktop_and_a_used_link_is_refused_in_chromium() {
    assert_prerequisites();
    let app = spawn_console().await;
    let energy = buy_and_pay(&app, ALICE, "energy").await;
    let charge = buy_and_pay(&app, ALICE, "energy").await;
    say_expect(&app, ALICE, &format!("/refund {energy}"), "Refunded 5 ⭐").await;
    buy_and_pay(&app, BOB, "golden").await;
    let balance = app.emulator.star_balance();
    let first = link_from_chat(&app, ADMIN).await;
    let second = link_from_chat(&app, ADMIN).await;

    let screenshots = screenshot_dir("admin");
    let alice = ALICE.to_string();
    let env = [("LINK", first.as_str()), ("LINK2", second.as_str()), ("PLAYER", alice.as_str())];
    let driven = drive(&app, ADMIN, "admin.mjs", &env, &first, &screenshots).await;
    let out = driven.output(&app, "admin.mjs");

    overview_checks(&out, "phone", balance);
    overview_checks(&out, "desktop", balance);
    let refund = &out["refund"];
    assert!(
        refund["card"]
            .as_str()
            .map(str::to_lowercase)
            .is_some_and(|card| card.contains(&format!("(@user{ALICE}) · {ALICE}")) && card.contains("energy × 1")),
        "{refund}"
    );
    assert_eq!(refund["before"], 1, "one refundable payment, the other refunded by Alice: {refund}");
    assert!(refund["confirm"].as_str().is_some_and(|text| text.contains("Refund ⭐ 5 for energy")), "{refund}");
    assert!(
        refund["result"].as_str().is_some_and(|text| text.contains(&format!("refunded 5 stars to user {ALICE}"))),
        "{refund}"
    );
    assert_eq!(refund["after"], serde_json::json!(["refunded", "refunded"]), "the list is read again: {refund}");
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
    assert_eq!(out["later"]["active"], "Transactions");
    assert_eq!(out["later"]["later_shown"], false, "Transactions is built, not a section to come: {}", out["later"]);
    for size in ["phone_items", "desktop_items"] {
        let items = &out[size];
        assert_eq!(items["active"], "Items", "{size}: {items}");
        assert_eq!(items["overflow"], false, "{size}: the page is no wider than the window");
        let energy = &items["rows"]["energy"];
        let shown = ["sold", "refunds", "received", "net", "left", "held"].map(|field| energy[field].as_str());
        assert_eq!(shown, [Some("2"), Some("1"), Some("⭐ 10"), Some("⭐ 5"), Some("unlimited"), Some("–")], "{size}");
        let golden = &items["rows"]["golden"];
        let shown = ["sold", "refunds", "received", "net", "left", "held"].map(|field| golden[field].as_str());
        assert_eq!(shown, [Some("1"), Some("0"), Some("⭐ 100"), Some("⭐ 100"), Some("1 of 2"), Some("0")], "{size}");
        assert_eq!(energy["sparkline"], true, "{size}: {items}");
    }
    assert_eq!(out["screenshots"].as_array().map(Vec::len), Some(11));
}
