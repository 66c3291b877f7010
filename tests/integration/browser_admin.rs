//! The operator console in a real browser: headless Chromium driven by `tests/browser/admin.mjs`
//! against the real bot. An admin signs in on a phone (390x844) with a link from `/admin`, reads
//! the overview (the Star balance after a purchase, nothing stuck, polling), finds the page
//! without a cookie on a desktop (1280x800) saying how to sign in, the used link refused, signs in
//! there with a second link, opens a section still to come and signs out. Screenshots in
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
    buy_and_pay(&app, ALICE, "energy").await;
    let balance = app.emulator.star_balance();
    let first = link_from_chat(&app, ADMIN).await;
    let second = link_from_chat(&app, ADMIN).await;

    let screenshots = screenshot_dir("admin");
    let env = [("LINK", first.as_str()), ("LINK2", second.as_str())];
    let driven = drive(&app, ADMIN, "admin.mjs", &env, &first, &screenshots).await;
    let out = driven.output(&app, "admin.mjs");

    overview_checks(&out, "phone", balance);
    overview_checks(&out, "desktop", balance);
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
    assert_eq!(out["later"]["active"], "Players");
    assert!(out["later"]["text"].as_str().unwrap_or_default().contains("starmine refund"), "{}", out["later"]);
    assert_eq!(out["screenshots"].as_array().map(Vec::len), Some(6));
}
