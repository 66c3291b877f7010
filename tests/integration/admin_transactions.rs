//! The console's Transactions tab against the real binary, the emulator and a real Redis: after
//! purchases, a player's, an admin's and an automatic refund, reconciliation passes fill the copy
//! of the Star ledger (each transaction once: the refund a pass makes is copied by the next, and
//! a pass over what is copied writes nothing); the API pages it newest first with a cursor,
//! filters it by player, by item and by both with their totals, and the CSV export holds the same
//! rows; anyone but a signed-in admin is refused. The periodic pass fills it too, and the copy
//! keeps the newest rows within its bound.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use starmine::admin::Console;
use starmine::domain::ledger::{Direction, LedgerFilter, LedgerPage, LedgerRow, Partner};
use starmine::domain::{ItemId, UserId};
use starmine::store::Store;

use crate::admin::{get, json, SECRET};
use crate::admin_sales::{read, signed_in};
use crate::harness::{TestApp, TestRedis};
use crate::support::*;

const DAVE: i64 = 1004;

async fn reconcile(app: &TestApp) -> Value {
    let output = app.run_cli(&["reconcile"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

/// One ledger row as the emulator's `getStarTransactions` has it: (key, date, user, signed
/// amount, item).
type Expected = (String, i64, i64, i64, String);

fn expected_rows(app: &TestApp) -> Vec<Expected> {
    let mut rows: Vec<Expected> = app
        .emulator
        .transactions()
        .iter()
        .map(|transaction| {
            let (side, sign, direction) =
                if transaction["source"].is_object() { ("source", 1, "in") } else { ("receiver", -1, "out") };
            let partner = &transaction[side];
            let id = transaction["id"].as_str().expect("an id");
            let payload = partner["invoice_payload"].as_str().expect("a payload");
            (
                format!("{id}.{direction}"),
                transaction["date"].as_i64().expect("a date"),
                partner["user"]["id"].as_i64().expect("a user"),
                sign * transaction["amount"].as_i64().expect("an amount"),
                payload.split('.').next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // Newest first; the same second by key.
    rows.sort_by(|a, b| (b.1, &b.0).cmp(&(a.1, &a.0)));
    rows
}

fn shown(row: &Value) -> Expected {
    (
        row["key"].as_str().expect("a key").to_owned(),
        row["date"].as_i64().expect("a date"),
        row["player"].as_i64().expect("a player"),
        row["signed_amount"].as_i64().expect("an amount"),
        row["item"].as_str().expect("an item").to_owned(),
    )
}

/// Every page of `query`, `limit` rows at a time, following `next`: the rows and each page's total.
async fn every_page(app: &TestApp, cookie: &str, query: &str, limit: usize) -> (Vec<Value>, Vec<u64>) {
    let (mut rows, mut totals) = (Vec::new(), Vec::new());
    let mut before = String::new();
    loop {
        let path = format!("/admin/api/transactions?{query}&limit={limit}&before={}", urlencode(&before));
        let page = read(app, cookie, &path).await;
        let shown = page["rows"].as_array().expect("rows").clone();
        assert!(shown.len() <= limit, "{page}");
        totals.push(page["total"].as_u64().expect("a total"));
        rows.extend(shown);
        match page["next"].as_str() {
            Some(next) => before = next.to_owned(),
            None => return (rows, totals),
        }
        assert!(rows.len() <= 100, "paging ends");
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The CSV export of `query`: its headers and its lines split into fields (no field here needs quotes).
async fn csv(app: &TestApp, cookie: &str, query: &str) -> (reqwest::header::HeaderMap, Vec<Vec<String>>) {
    let (status, headers, body) =
        get(app.http_addr().await, &format!("/admin/api/transactions.csv?{query}"), Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.ends_with("\r\n"), "CRLF lines: {body:?}");
    let lines = body.trim_end().split("\r\n").map(|line| line.split(',').map(str::to_owned).collect()).collect();
    (headers, lines)
}

#[tokio::test]
async fn reconciliation_fills_the_ledger_copy_which_the_console_pages_filters_and_exports() {
    let app = spawn_with_env(&[("ADMIN_SESSION_SECRET", SECRET), ("RECONCILE_EVERY_S", "0")]).await;
    let cookie = signed_in(&app).await;
    let empty = read(&app, &cookie, "/admin/api/transactions").await;
    assert_eq!((empty["total"].as_u64(), empty["rows"].as_array().map(Vec::len)), (Some(0), Some(0)), "{empty}");
    assert!(empty["copy"]["refreshed_at"].is_null(), "no pass yet: {empty}");
    assert!(empty["items"].as_array().is_some_and(|items| items.iter().any(|item| item["id"] == "rare")), "{empty}");

    // Purchases, a player's refund and an admin's.
    let energy = buy_and_pay(&app, ALICE, "energy").await;
    buy_and_pay(&app, ALICE, "energy").await;
    buy_and_pay(&app, ALICE, "pickaxe").await;
    let golden = buy_and_pay(&app, BOB, "golden").await;
    buy_and_pay(&app, BOB, "rare").await;
    say_expect(&app, ALICE, &format!("/refund {energy}"), "Refunded 5 ⭐").await;
    say_expect(&app, ADMIN, &format!("/refund {BOB} {golden}"), "Refunded 100 ⭐").await;
    // An automatic refund: Dave's payment never reaches the bot, his hold lapses, the rest of
    // the stock sells, and reconciliation finds a payment it can no longer honour.
    let dave_invoice = invoice(&app, DAVE, "rare").await;
    app.emulator.lose_updates("message", 1);
    let late = pay(&app, DAVE, &dave_invoice).await.charge_id();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    buy_and_pay(&app, 3001, "rare").await;
    buy_and_pay(&app, 3002, "rare").await;

    let first = reconcile(&app).await;
    assert_eq!(first["payments_refunded"], 1, "{first}");
    assert_eq!(first["copied"], 10, "everything the ledger showed: {first}");
    assert!(app.emulator.is_refunded(&late));
    // The refund the first pass made is on the ledger after what it read: the next pass copies it.
    assert_eq!(reconcile(&app).await["copied"], 1);
    assert_eq!(reconcile(&app).await["copied"], 0, "a pass over what is copied writes nothing");

    let expected = expected_rows(&app);
    assert_eq!(expected.len(), 11);
    let (rows, totals) = every_page(&app, &cookie, "", 4).await;
    assert_eq!(rows.iter().map(shown).collect::<Vec<_>>(), expected, "newest first, in pages of 4");
    assert_eq!(totals, [11, 11, 11]);
    let page = read(&app, &cookie, "/admin/api/transactions?limit=4").await;
    assert!(page["copy"]["refreshed_at"].as_i64().is_some_and(|at| at > 0), "{page}");
    assert_eq!(page["copy"]["rows"], 11);

    // Filters: a player's rows, an item's, a player's of an item, each with its total.
    for (query, player, item) in [
        (format!("player={ALICE}"), Some(ALICE), None),
        ("item=rare".to_owned(), None, Some("rare")),
        (format!("player={DAVE}&item=rare"), Some(DAVE), Some("rare")),
        (format!("player={BOB}&item=energy"), Some(BOB), Some("energy")),
    ] {
        let wanted: Vec<Expected> = expected
            .iter()
            .filter(|row| player.is_none_or(|player| row.2 == player) && item.is_none_or(|item| row.4 == item))
            .cloned()
            .collect();
        let (rows, totals) = every_page(&app, &cookie, &query, 2).await;
        assert_eq!(rows.iter().map(shown).collect::<Vec<_>>(), wanted, "{query}");
        assert!(totals.iter().all(|total| *total == wanted.len() as u64), "{query}: {totals:?}");
    }
    let (alice, _) = every_page(&app, &cookie, &format!("player={ALICE}"), 50).await;
    assert_eq!(alice.len(), 4, "two Energy, a Pickaxe, a refund");
    // Alice wrote to the bot as @user1001: her rows say so, and her @username filters as her id.
    assert!(alice.iter().all(|row| row["username"] == format!("user{ALICE}")), "{alice:?}");
    let (by_name, _) = every_page(&app, &cookie, &format!("player=@USER{ALICE}"), 50).await;
    assert_eq!(by_name, alice);
    let (dave, _) = every_page(&app, &cookie, &format!("player={DAVE}&item=rare"), 50).await;
    let kinds: Vec<(&str, &str, i64)> = dave
        .iter()
        .map(|row| (row["kind"].as_str().unwrap(), row["direction"].as_str().unwrap(), row["amount"].as_i64().unwrap()))
        .collect();
    assert_eq!(kinds, [("refund", "out", 7), ("payment", "in", 7)], "{dave:?}");
    assert!(
        dave.iter().all(|row| row["charge"] == late.as_str() && row["qty"] == 1 && row["item_name"] == "Rare Gem"),
        "{dave:?}"
    );

    // The CSV: every row of the filter, in the same order, as an attachment named by day and filter.
    let (headers, lines) = csv(&app, &cookie, "").await;
    let disposition = headers["content-disposition"].to_str().unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(disposition, format!("attachment; filename=\"starmine-transactions-{today}.csv\""));
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(
        lines[0].join(","),
        "date_utc,transaction_id,direction,kind,stars,nanostars,player,partner,item,qty,invoice_payload,charge_id"
    );
    let from_csv: Vec<(String, String, i64)> = lines[1..]
        .iter()
        .map(|fields| (format!("{}.{}", fields[1], fields[2]), fields[6].clone(), fields[4].parse().unwrap()))
        .collect();
    let from_api: Vec<(String, String, i64)> =
        expected.iter().map(|row| (row.0.clone(), row.2.to_string(), row.3)).collect();
    assert_eq!(from_csv, from_api);
    let (headers, lines) = csv(&app, &cookie, "item=rare").await;
    assert!(headers["content-disposition"].to_str().unwrap().ends_with(&format!("{today}-item-rare.csv\"")));
    assert_eq!(lines.len(), 1 + 5, "Bob's, Dave's and its refund, 3001's, 3002's: {lines:?}");
    assert_eq!(lines.iter().skip(1).map(|fields| fields[3].as_str()).filter(|kind| *kind == "refund").count(), 1);

    // The sums: what the copy says came in and went out is what the emulator's ledger says.
    let (all, _) = every_page(&app, &cookie, "", 200).await;
    let sum = |sign: i64| {
        all.iter().map(|row| row["signed_amount"].as_i64().unwrap()).filter(|a| a.signum() == sign).sum::<i64>()
    };
    assert_eq!((sum(1), -sum(-1)), (5 + 5 + 50 + 100 + 7 + 7 + 7 + 7, 5 + 100 + 7));

    // A bad filter, no cookie, someone who is not an admin: refused, nothing shown.
    let addr = app.http_addr().await;
    let (status, _, body) = get(addr, "/admin/api/transactions?player=alice", Some(&cookie)).await;
    assert_eq!((status, json(&body)["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_filter")));
    for path in ["/admin/api/transactions", "/admin/api/transactions.csv"] {
        let (status, _, body) = get(addr, path, None).await;
        assert_eq!((status, json(&body)["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("not_signed_in")), "{path}");
        let console = Console::new(SECRET.as_bytes(), Console::base_url(None, addr));
        let now = chrono::Utc::now().timestamp_millis();
        let alice = format!(
            "{}={}",
            starmine::admin::COOKIE,
            console.sign_session(&console.new_session(UserId(ALICE as u64), now))
        );
        let (status, _, body) = get(addr, path, Some(&alice)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(!body.contains(&late), "{path}: {body}");
    }
}

/// Whether the copy holds two rows and says when a pass refreshed it.
async fn copied(app: &TestApp, cookie: &str) -> bool {
    let page = read(app, cookie, "/admin/api/transactions").await;
    page["total"].as_u64() == Some(2) && page["copy"]["refreshed_at"].is_i64()
}

/// The periodic pass fills the copy too, and starts where the copy stops when that is earlier
/// than its own cursor: a copy begun after the ledger (here: removed) fills in one pass.
#[tokio::test]
async fn the_periodic_pass_fills_the_copy_from_where_the_copy_stops() {
    let app = spawn_with_env(&[("ADMIN_SESSION_SECRET", SECRET), ("RECONCILE_EVERY_S", "1")]).await;
    let cookie = signed_in(&app).await;
    buy_and_pay(&app, ALICE, "energy").await;
    buy_and_pay(&app, BOB, "pickaxe").await;
    app.wait_until(WAIT, || copied(&app, &cookie)).await;
    let mut redis = app.redis().await;
    let cursor = |mut redis: redis::aio::MultiplexedConnection| async move {
        let offset: Option<u32> =
            redis::cmd("GET").arg("reconcile:offset").query_async(&mut redis).await.expect("the cursor");
        offset == Some(2)
    };
    app.wait_until(WAIT, || cursor(redis.clone())).await;

    // The copy goes (as before this feature existed); the cursor stays at 2.
    let ledger_keys: Vec<String> = redis::cmd("KEYS").arg("{ledger}:*").query_async(&mut redis).await.expect("keys");
    assert!(ledger_keys.len() >= 5, "rows, date, meta, a player's and an item's index: {ledger_keys:?}");
    let _: () = redis::cmd("DEL").arg(&ledger_keys).query_async(&mut redis).await.expect("removed");
    app.wait_until(WAIT, || copied(&app, &cookie)).await;
    let page = read(&app, &cookie, &format!("/admin/api/transactions?player={BOB}")).await;
    assert_eq!(page["rows"][0]["item"], "pickaxe", "{page}");
}

/// A row of the bound's test: `n` seconds in, the player and item it names.
fn numbered(n: i64, player: u64, item: &str) -> LedgerRow {
    LedgerRow {
        id: format!("stx_{n:03}"),
        date: 1_700_000_000 + n,
        amount: 5,
        nanostar: None,
        direction: Direction::In,
        partner: Partner::User(UserId(player)),
        payload: Some(format!("{item}.token{n:05}")),
        qty: Some(1),
    }
}

/// The bound drops the oldest rows from the rows and every index they are in; a cursor on a
/// dropped row finds nothing older; writing a row again adds nothing.
#[tokio::test]
async fn the_copy_keeps_the_newest_rows_and_drops_the_oldest_from_every_index() {
    let redis = TestRedis::start().await;
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.expect("the store connects");
    let rows: Vec<LedgerRow> = (1..=5).map(|n| numbered(n, 1001 + (n as u64 % 2), "energy")).collect();
    assert_eq!(store.copy_ledger_keeping(&rows[..3], 3).await.expect("copied"), 3);
    assert_eq!(store.copy_ledger_keeping(&rows, 3).await.expect("copied"), 2, "the first three are there");

    let all = store.ledger_page(&LedgerFilter::default(), None, 10).await.expect("a page");
    let ids = |page: &LedgerPage| page.rows.iter().map(|row| row.id.clone()).collect::<Vec<_>>();
    assert_eq!(
        (ids(&all), all.total, all.next.clone()),
        (vec!["stx_005".into(), "stx_004".into(), "stx_003".into()], 3, None)
    );
    let energy = LedgerFilter { player: None, item: Some(ItemId::parse("energy").unwrap()) };
    assert_eq!(store.ledger_page(&energy, None, 10).await.unwrap().total, 3, "the item's index is trimmed too");
    // Odd rows are 1002's, even ones 1001's: each keeps what is left of theirs.
    for (player, kept) in [(1001, vec!["stx_004"]), (1002, vec!["stx_005", "stx_003"])] {
        let by_player = LedgerFilter { player: Some(UserId(player)), item: None };
        let both = LedgerFilter { player: Some(UserId(player)), item: Some(ItemId::parse("energy").unwrap()) };
        let page = store.ledger_page(&by_player, None, 10).await.unwrap();
        assert_eq!(
            (ids(&page), page.total),
            (kept.iter().map(|id| id.to_string()).collect(), kept.len() as u64),
            "{player}"
        );
        assert_eq!(store.ledger_page(&both, None, 10).await.unwrap().total, page.total);
    }
    assert_eq!(store.ledger_rows(&LedgerFilter::default()).await.unwrap().len(), 3);
    let after_dropped = store.ledger_page(&LedgerFilter::default(), Some("stx_001.in"), 10).await.unwrap();
    assert_eq!((after_dropped.rows.len(), after_dropped.next), (0, None));
    let mut raw = redis::Client::open(redis.url.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let stored: usize = redis::cmd("HLEN").arg("{ledger}:rows").query_async(&mut raw).await.unwrap();
    assert_eq!(stored, 3, "the dropped rows' JSON is gone too");
    // Pages of one: each page's cursor leads to the next, the last has none.
    let first = store.ledger_page(&LedgerFilter::default(), None, 1).await.unwrap();
    let second = store.ledger_page(&LedgerFilter::default(), first.next.as_deref(), 1).await.unwrap();
    let third = store.ledger_page(&LedgerFilter::default(), second.next.as_deref(), 1).await.unwrap();
    assert_eq!([ids(&first), ids(&second), ids(&third)].concat(), ["stx_005", "stx_004", "stx_003"]);
    assert_eq!((first.next.as_deref(), third.next.as_deref()), (Some("stx_005.in"), None));
}
