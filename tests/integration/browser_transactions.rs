//! The console's Transactions tab in a real browser: headless Chromium driven by
//! `tests/browser/transactions.mjs` against the real bot. Before any reconciliation pass the tab
//! says the copy fills as reconciliation runs; after purchases, refunds and a pass it lists the
//! ledger newest first on a phone (390x844) in pages of 10 (Next, Previous), filters by item and
//! by player, downloads the filter's CSV, and shows the whole ledger on a desktop (1280x800),
//! where a row's player clicked shows only theirs.
//! Screenshots in `test-artifacts/browser/transactions/`.

use serde_json::Value;

use crate::admin::{link_from_chat, SECRET};
use crate::browser::{assert_prerequisites, drive, screenshot_dir};
use crate::support::{buy_and_pay, say_expect, spawn_with_env, ADMIN, ALICE, BOB};

fn keys(view: &Value) -> Vec<String> {
    let rows = view["rows"].as_array().unwrap_or_else(|| panic!("rows: {view}"));
    rows.iter().map(|row| row["key"].as_str().expect("a key").to_owned()).collect()
}

/// The emulator's ledger as row keys, newest first (the same second by key).
fn ledger_keys(app: &crate::harness::TestApp) -> Vec<(String, i64, i64, String)> {
    let mut rows: Vec<(String, i64, i64, String)> = app
        .emulator
        .transactions()
        .iter()
        .map(|transaction| {
            let (side, direction) =
                if transaction["source"].is_object() { ("source", "in") } else { ("receiver", "out") };
            let payload = transaction[side]["invoice_payload"].as_str().expect("a payload");
            (
                format!("{}.{direction}", transaction["id"].as_str().expect("an id")),
                transaction["date"].as_i64().expect("a date"),
                transaction[side]["user"]["id"].as_i64().expect("a user"),
                payload.split('.').next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    rows.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    rows
}

#[tokio::test]
async fn the_transactions_tab_lists_pages_filters_and_exports_the_ledger_copy_in_chromium() {
    assert_prerequisites();
    let app = spawn_with_env(&[("ADMIN_SESSION_SECRET", SECRET), ("RECONCILE_EVERY_S", "0")]).await;
    let screenshots = screenshot_dir("transactions");

    // Nothing copied yet: the tab says how the copy fills.
    let link = link_from_chat(&app, ADMIN).await;
    let env = [("MODE", "empty"), ("LINK", link.as_str())];
    let out = drive(&app, ADMIN, "transactions.mjs", &env, &link, &screenshots).await.output(&app, "transactions.mjs");
    let empty = &out["empty"];
    assert_eq!(
        (empty["active"].as_str(), empty["rows"].as_array().map(Vec::len)),
        (Some("Transactions"), Some(0)),
        "{empty}"
    );
    assert!(
        empty["empty"].as_str().is_some_and(|text| text.contains("fills as reconciliation reads the Star ledger")),
        "{empty}"
    );
    assert!(empty["fresh"].as_str().is_some_and(|text| text.starts_with("Not filled yet")), "{empty}");

    // Twelve transactions: eleven purchases and a refund, then a pass.
    let energy = buy_and_pay(&app, ALICE, "energy").await;
    for item in ["energy", "pickaxe", "crate", "crate"] {
        buy_and_pay(&app, ALICE, item).await;
    }
    for item in ["golden", "rare", "energy", "crate", "gem_pack", "lantern"] {
        buy_and_pay(&app, BOB, item).await;
    }
    say_expect(&app, ALICE, &format!("/refund {energy}"), "Refunded 5 ⭐").await;
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let ledger = ledger_keys(&app);
    assert_eq!(ledger.len(), 12);
    let all: Vec<String> = ledger.iter().map(|row| row.0.clone()).collect();

    let (phone, desktop) = (link_from_chat(&app, ADMIN).await, link_from_chat(&app, ADMIN).await);
    let alice = ALICE.to_string();
    let env = [
        ("MODE", "full"),
        ("LINK", phone.as_str()),
        ("LINK2", desktop.as_str()),
        ("PLAYER", &alice),
        ("ITEM", "crate"),
    ];
    let out = drive(&app, ADMIN, "transactions.mjs", &env, &phone, &screenshots).await.output(&app, "transactions.mjs");

    // Pages of 10: the newest ten, then the last two; Previous shows the first again.
    assert_eq!(keys(&out["first"]), all[..10], "{}", out["first"]);
    assert_eq!(
        (out["first"]["count"].as_str(), out["first"]["prev"].as_bool(), out["first"]["next"].as_bool()),
        (Some("1–10 of 12"), Some(false), Some(true))
    );
    assert_eq!(keys(&out["second"]), all[10..], "{}", out["second"]);
    assert_eq!(
        (out["second"]["count"].as_str(), out["second"]["prev"].as_bool(), out["second"]["next"].as_bool()),
        (Some("11–12 of 12"), Some(true), Some(false))
    );
    assert_eq!(keys(&out["back"]), all[..10]);
    assert!(
        out["first"]["fresh"].as_str().is_some_and(|text| text.starts_with("Copy refreshed just now · 12 kept")),
        "{}",
        out["first"]
    );

    // What a row shows: the refund of Alice's first Energy, and who (the @username she wrote to
    // the bot under; her id filters).
    let refund =
        out["first"]["rows"].as_array().unwrap().iter().find(|row| row["kind"] == "refund · out").expect("the refund");
    assert_eq!(
        (refund["player"].as_str(), refund["item"].as_str(), refund["qty"].as_str(), refund["stars"].as_str()),
        (Some(format!("@user{ALICE}").as_str()), Some("Energy"), Some("1"), Some("−⭐ 5")),
        "a player who wrote to the bot shows as their @username"
    );
    assert_eq!(refund["charge_title"], energy.as_str(), "the full charge id in the title");
    assert!(
        refund["charge"].as_str().is_some_and(|short| short.contains('…') && short.len() < energy.len()),
        "{refund}"
    );

    // Filters: Crate (Alice's two, Bob's one) and Alice's five purchases and her refund.
    let crates: Vec<String> = ledger.iter().filter(|row| row.3 == "crate").map(|row| row.0.clone()).collect();
    assert_eq!(keys(&out["by_item"]), crates);
    assert!(out["by_item"]["rows"].as_array().unwrap().iter().all(|row| row["item"] == "Crate"));
    let alices: Vec<String> = ledger.iter().filter(|row| row.2 == ALICE).map(|row| row.0.clone()).collect();
    assert_eq!(keys(&out["by_player"]), alices);
    assert_eq!(out["by_player"]["count"], "1–6 of 6");

    // The CSV link downloads the filter shown: every row, the header first.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let csv_item = &out["csv_item"];
    assert_eq!(csv_item["name"], format!("starmine-transactions-{today}-item-crate.csv"));
    assert_eq!(csv_item["lines"].as_array().map(Vec::len), Some(1 + 3), "{csv_item}");
    assert_eq!(out["csv_all"]["name"], format!("starmine-transactions-{today}.csv"));
    assert_eq!(out["csv_all"]["lines"].as_array().map(Vec::len), Some(1 + 12));

    // The desktop shows all twelve on its first page; nothing is wider than the window.
    assert_eq!(keys(&out["desktop"]), all);
    for view in ["first", "second", "by_item", "by_player", "desktop"] {
        assert_eq!(out[view]["overflow"], false, "{view}: no wider than the window");
    }
    // A row's player, clicked: only theirs, the filter's field filled in.
    assert_eq!(keys(&out["clicked"]), alices);
    assert_eq!(out["clicked"]["field"], alice.as_str());
    assert_eq!(out["screenshots"].as_array().map(Vec::len), Some(6));
}
