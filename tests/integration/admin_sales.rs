//! The console's sales figures against the real binary, the emulator and a real Redis: after a
//! few purchases and a refund, the overview's windows (today, 7 and 30 days) and the Items
//! page's rows equal what was paid and refunded, to the Star; the charts stack a layer per item
//! that sold (a bar is the day's total); a limited item shows its stock left and the units open
//! holds keep.

use redis::AsyncCommands;
use reqwest::StatusCode;
use serde_json::Value;
use starmine::domain::sales::Day;

use crate::admin::{get, json, session_cookie, sign_in, spawn_console, token_of};
use crate::harness::TestApp;
use crate::support::{buy_and_pay, say_expect, ADMIN, ALICE, BOB};

/// A session cookie for ADMIN, by `starmine admin-link`.
pub async fn signed_in(app: &TestApp) -> String {
    let output = app.run_cli(&["admin-link", &ADMIN.to_string()]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let link = String::from_utf8(output.stdout).expect("utf-8");
    let response = sign_in(app.http_addr().await, &token_of(link.trim())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    session_cookie(response.headers()).0
}

pub async fn read(app: &TestApp, cookie: &str, path: &str) -> Value {
    let (status, _, body) = get(app.http_addr().await, path, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    json(&body)
}

fn today() -> Day {
    Day::of(chrono::Utc::now().timestamp_millis())
}

/// The window's figures: (received, refunded, net, refund rate, units sold).
pub fn window(sales: &Value, name: &str) -> (i64, i64, i64, f64, i64) {
    let windows = sales["windows"].as_array().expect("windows");
    let found = windows.iter().find(|window| window["window"] == name).unwrap_or_else(|| panic!("{name}: {sales}"));
    let int = |field: &str| found[field].as_i64().unwrap_or_else(|| panic!("{field} of {found}"));
    let rate = found["refund_rate"].as_f64().unwrap_or_else(|| panic!("refund_rate of {found}"));
    (int("received"), int("refunded"), int("net"), rate, int("units_sold"))
}

fn chart<'a>(sales: &'a Value, id: &str) -> &'a str {
    let charts = sales["charts"].as_array().expect("charts");
    let found = charts.iter().find(|chart| chart["id"] == id).unwrap_or_else(|| panic!("{id}: {sales}"));
    found["svg"].as_str().expect("an SVG")
}

fn row<'a>(items: &'a Value, id: &str) -> &'a Value {
    let rows = items["items"].as_array().expect("items");
    rows.iter().find(|row| row["id"] == id).unwrap_or_else(|| panic!("{id}: {items}"))
}

/// (sold, refunds, received, refunded, net) of an item row.
fn figures(row: &Value) -> [i64; 5] {
    ["sold", "refunds", "received", "refunded", "net"].map(|field| row[field].as_i64().expect("a figure"))
}

#[tokio::test]
async fn the_overview_and_items_show_what_was_paid_and_refunded() {
    let app = spawn_console().await;
    let first_day = today();
    // Energy 5 twice, a Pickaxe 50, a Golden Pickaxe 100 (stock 2); one Energy refunded.
    let energy = buy_and_pay(&app, ALICE, "energy").await;
    buy_and_pay(&app, ALICE, "energy").await;
    buy_and_pay(&app, ALICE, "pickaxe").await;
    buy_and_pay(&app, BOB, "golden").await;
    say_expect(&app, ALICE, &format!("/refund {energy}"), "Refunded 5 ⭐").await;
    // A hold on the other Golden Pickaxe that no payment has settled yet (expiring in an hour).
    let expiry = chrono::Utc::now().timestamp_millis() + 3_600_000;
    let _: () = app.redis().await.zadd("{i:golden}:holds", "held-order|1", expiry).await.expect("a hold");

    let cookie = signed_in(&app).await;
    let overview = read(&app, &cookie, "/admin/api/overview").await;
    let sales = &overview["sales"]["ok"];
    let expected = (160, 5, 155, 5.0 / 160.0, 4);
    assert_eq!(window(sales, "7 days"), expected, "{sales}");
    assert_eq!(window(sales, "30 days"), expected, "{sales}");
    if today() == first_day {
        assert_eq!(window(sales, "today"), expected, "{sales}");
    }
    assert_eq!(sales["to"], today().to_string());
    assert_eq!(sales["from"], Day(today().0 - 29).to_string());

    let received = chart(sales, "received-per-day");
    for name in ["Energy", "Pickaxe", "Golden Pickaxe"] {
        assert!(received.contains(&format!(r#"data-series="{name}""#)), "{name} in {received}");
    }
    assert!(!received.contains(r#"data-series="Lantern""#), "an item that sold nothing has no layer");
    if today() == first_day {
        assert!(received.contains("<title>0 — Energy: 10 of 160</title>"), "today's bar: {received}");
    }
    let refunds = chart(sales, "refunds-per-day");
    assert!(refunds.starts_with("<svg") && refunds.contains(r#"data-series="Energy""#), "{refunds}");
    assert!(!refunds.contains(r#"data-series="Pickaxe""#), "nothing refunded, no layer: {refunds}");

    let items = read(&app, &cookie, "/admin/api/items").await;
    assert_eq!(figures(row(&items, "energy")), [2, 1, 10, 5, 5], "{items}");
    assert_eq!(figures(row(&items, "pickaxe")), [1, 0, 50, 0, 50], "{items}");
    assert_eq!(figures(row(&items, "golden")), [1, 0, 100, 0, 100], "{items}");
    assert_eq!(figures(row(&items, "lantern")), [0; 5], "{items}");
    let golden = row(&items, "golden");
    assert_eq!(golden["limited"], serde_json::json!({ "stock": 2, "left": 0, "held": 1 }), "{golden}");
    assert!(row(&items, "energy")["limited"].is_null(), "energy is unlimited");
    assert_eq!(golden["retired"], false);
    let sparkline = golden["sparkline"].as_str().expect("a sparkline");
    assert!(sparkline.starts_with("<svg") && sparkline.contains(r#"data-sparkline="30""#), "{sparkline}");
    let sum: i64 = items["items"].as_array().unwrap().iter().map(|row| row["received"].as_i64().unwrap()).sum();
    assert_eq!(sum, 160, "the items add up to the overview");
}
