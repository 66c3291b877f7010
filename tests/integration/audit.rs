//! `starmine audit` on the real binary, a real Redis and the emulator's Star ledger: a balanced
//! system audits clean; each kind of record changed behind the scripts' back is reported by the
//! player, item or charge it concerns; a player from before the books is opened once, never
//! reported, and checked from then on.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};
use starmine::sandbox::emulator::PayOutcome;

use crate::harness::TestApp;
use crate::play::{api, open_game, spawn_play, token_of};
use crate::support::*;

pub const CAROL: i64 = 1003;
const DAVE: i64 = 1004;
const ERIN: i64 = 1005;
const FRANK: i64 = 1006;
const OLD: i64 = 1099;

/// `starmine audit --json` (a short pause before reading again): the exit code and the report.
pub async fn audit(app: &TestApp) -> (i32, Value) {
    audit_with(app, &["--recheck-after-ms", "500"]).await
}

/// `starmine audit --json` with more arguments.
pub async fn audit_with(app: &TestApp, args: &[&str]) -> (i32, Value) {
    let output = app.run_cli(&[&["audit", "--json"], args].concat()).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!("audit prints a JSON report: {}\n{stderr}", String::from_utf8_lossy(&output.stdout))
    });
    (output.status.code().unwrap_or(-1), report)
}

/// Asserts a clean audit and returns the report.
pub async fn audit_clean(app: &TestApp) -> Value {
    let (code, report) = audit(app).await;
    assert_eq!((code, &report["discrepancies"]), (0, &json!([])), "{report:#}\n{}", app.log_tail(30));
    assert_eq!(report["balanced"], true);
    report
}

/// What a discrepancy is about: (kind, player, item, charge).
pub type About = (String, Option<i64>, Option<String>, Option<String>);

/// What each discrepancy of a report is about.
pub fn named(report: &Value) -> BTreeSet<About> {
    let list = report["discrepancies"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|found| {
            let text = |field: &str| found[field].as_str().map(str::to_owned);
            (text("kind").unwrap_or_default(), found["player"].as_i64(), text("item"), text("charge"))
        })
        .collect()
}

fn about(kind: &str, player: Option<i64>, item: Option<&str>, charge: Option<&str>) -> About {
    (kind.to_owned(), player, item.map(str::to_owned), charge.map(str::to_owned))
}

async fn redis_cmd(app: &TestApp, args: &[&str]) {
    let mut command = redis::cmd(args[0]);
    for arg in &args[1..] {
        command.arg(*arg);
    }
    let _: redis::Value = command.query_async(&mut app.redis().await).await.expect("the tampering command runs");
}

#[tokio::test]
async fn a_balanced_system_audits_clean() {
    let (app, base) = spawn_play().await;
    // Alice: gems bought, a tool, a bundle; digs, a refill used, a level bought, an arcade run.
    for item in ["gem_pack", "pickaxe", "starter"] {
        buy_and_pay(&app, ALICE, item).await;
    }
    for _ in 0..3 {
        say(&app, ALICE, "/dig", |m| m.text.as_deref().is_some_and(|t| t.contains("You found"))).await;
    }
    say_expect(&app, ALICE, "/use energy", "Used Energy").await;
    let screen = say_expect(&app, ALICE, "/upgrades", "Sharper Pickaxe").await;
    let sharp = screen.button_data("Sharper Pickaxe → 1 · 50").expect("a level-1 button");
    app.emulator.press_button(ALICE, ALICE, screen.message_id, &sharp);
    app.wait_until(WAIT, || async { player(&app, ALICE).await["upgrades"]["sharp"] == 1 }).await;
    let token = token_of(&open_game(&app, ALICE).await);
    let (_, run) = api(&base, &token, "POST", "/api/runs", None).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let finish = format!("/api/runs/{}/finish", run["run_id"].as_str().expect("a run id"));
    let (status, result) = api(&base, &token, "POST", &finish, Some(json!({ "score": 150 }))).await;
    assert_eq!((status, result["gems_awarded"].as_u64()), (200, Some(15)), "{result}");
    // Bob: limited items, a refund by the player, a dispute.
    let golden = buy_and_pay(&app, BOB, "golden").await;
    for item in ["rare", "crate", "crate", "energy"] {
        buy_and_pay(&app, BOB, item).await;
    }
    say_expect(&app, BOB, &format!("/refund {golden}"), "Refunded 100").await;
    let disputed = buy_and_pay(&app, CAROL, "energy").await;
    assert!(app.emulator.dispute(CAROL, &disputed));
    wait_status(&app, CAROL, &disputed, "refunded").await;
    wait_status(&app, BOB, &golden, "refunded").await;

    let report = audit_clean(&app).await;
    let received = 15 + 50 + 25 + 100 + 7 + 10 + 10 + 5 + 5;
    assert_eq!(report["stars"]["received"], json!({ "star_ledger": received, "records": received }), "{report}");
    assert_eq!(report["stars"]["refunded"], json!({ "star_ledger": 105, "records": 105 }), "{report}");
    assert_eq!((report["players"].as_u64(), report["opened"].clone()), (Some(3), json!([])), "{report}");
    assert_eq!(report["star_transactions"], 11);
    // The players were marked at their first change: their books are kept from the start.
    let since: Option<String> = redis::cmd("HGET")
        .arg(format!("{{p:{ALICE}}}:state"))
        .arg("audit_since")
        .query_async(&mut app.redis().await)
        .await
        .unwrap();
    assert_eq!(since.as_deref(), Some("0"));

    // The text form says so too.
    let output = app.run_cli(&["audit"]).await;
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.starts_with("the books balance: 3 players"), "{text}");
}

#[tokio::test]
async fn each_record_changed_behind_the_scripts_is_reported_by_name() {
    let app = spawn_with_env(&[("RECONCILE_EVERY_S", "0")]).await;
    buy_and_pay(&app, ALICE, "energy").await;
    buy_and_pay(&app, BOB, "gem_pack").await;
    buy_and_pay(&app, BOB, "rare").await;
    buy_and_pay(&app, CAROL, "crate").await;
    let deleted = buy_and_pay(&app, CAROL, "golden").await;
    audit_clean(&app).await;

    let (alice, bob, carol) = (ALICE.to_string(), BOB.to_string(), CAROL.to_string());
    // An inventory unit and a level added, gems changed, counts changed.
    redis_cmd(&app, &["HINCRBY", &format!("{{p:{alice}}}:inv"), "energy", "1"]).await;
    redis_cmd(&app, &["HSET", &format!("{{p:{alice}}}:state"), "lvl:battery", "2"]).await;
    redis_cmd(&app, &["HINCRBY", &format!("{{p:{bob}}}:state"), "gems", "100"]).await;
    redis_cmd(&app, &["INCRBY", "{i:rare}:sold", "1"]).await;
    redis_cmd(&app, &["HINCRBY", "{i:crate}:owned", &bob, "1"]).await;
    // A payment record deleted.
    redis_cmd(&app, &["DEL", &format!("{{p:{carol}}}:pay:{deleted}")]).await;
    // A grant in a ledger that no payment backs (the inventory matching it).
    let forged = r#"{"event":"grant","charge":"stxFORGED1","item":"pickaxe","amount":50,"units":"pickaxe=1","at":1}"#;
    redis_cmd(&app, &["RPUSH", &format!("{{p:{DAVE}}}:ledger"), forged]).await;
    redis_cmd(&app, &["HINCRBY", &format!("{{p:{DAVE}}}:inv"), "pickaxe", "1"]).await;
    // A payment record no ledger line, item side or Star payment backs (and not in the index).
    let record = format!("{{p:{ERIN}}}:pay:stxFORGED2");
    let fields =
        ["charge", "stxFORGED2", "item", "energy", "qty", "1", "amount", "5", "status", "paid", "paid_at", "1"];
    let mut hset = vec!["HSET", record.as_str()];
    hset.extend(fields.iter().chain(&["grants", "energy=1", "counted", "1"]));
    redis_cmd(&app, &hset).await;
    // A payment in the Star ledger whose update never arrived.
    let invoice = invoice(&app, FRANK, "pickaxe").await;
    app.emulator.lose_updates("message", 1);
    let PayOutcome::Paid { charge_id: lost } = pay(&app, FRANK, &invoice).await else { panic!("paid") };

    let (code, report) = audit(&app).await;
    assert_eq!(code, 1, "{report:#}");
    let expected = BTreeSet::from([
        about("inventory", Some(ALICE), Some("energy"), None),
        about("level", Some(ALICE), None, None),
        about("gems", Some(BOB), None, None),
        about("sold", None, Some("rare"), None),
        about("owned", Some(BOB), Some("crate"), None),
        about("ledger_without_payment", Some(CAROL), None, Some(&deleted)),
        about("payment_missing", Some(CAROL), Some("golden"), Some(&deleted)),
        about("star_payment_unrecorded", Some(CAROL), None, Some(&deleted)),
        about("ledger_without_payment", Some(DAVE), None, Some("stxFORGED1")),
        about("ledger_grant", Some(ERIN), Some("energy"), Some("stxFORGED2")),
        about("item_side_missing", Some(ERIN), Some("energy"), Some("stxFORGED2")),
        about("payment_not_in_star_ledger", Some(ERIN), Some("energy"), Some("stxFORGED2")),
        about("star_payment_unrecorded", Some(FRANK), None, Some(&lost)),
    ]);
    assert_eq!(named(&report), expected, "{report:#}");
    assert_eq!(report["balanced"], false);
    let messages: Vec<&str> =
        report["discrepancies"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(
        messages.contains(&"gems differ from the ledger and the gems dug: player 1002: expected 50, found 150"),
        "{messages:#?}"
    );

    // The text form names them, one a line, and exits 1.
    let output = app.run_cli(&["audit", "--recheck-after-ms", "100"]).await;
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("sold count differs from the item's granted charges: item rare: expected 1, found 2"),
        "{text}"
    );
    assert!(text.contains("13 discrepancies"), "{text}");
}

#[tokio::test]
async fn a_player_from_before_the_books_is_opened_once_and_checked_from_then_on() {
    let app = spawn().await;
    buy_and_pay(&app, ALICE, "energy").await;
    // A player as an older version left them: balances and a version, a ledger that does not
    // explain them (digs and older lines), no `audit_since`.
    let state = format!("{{p:{OLD}}}:state");
    redis_cmd(&app, &["HSET", &state, "ver", "7", "gems", "120", "mined", "90", "depth", "30", "lvl:sharp", "1"]).await;
    redis_cmd(&app, &["HSET", &format!("{{p:{OLD}}}:inv"), "energy", "2", "lantern", "1"]).await;
    redis_cmd(&app, &["RPUSH", &format!("{{p:{OLD}}}:ledger"), r#"{"event":"use","item":"energy","at":5}"#]).await;

    let report = audit_clean(&app).await;
    assert_eq!(report["opened"], json!([OLD]), "{report}");
    let mut redis = app.redis().await;
    let lines: Vec<String> =
        redis::cmd("LRANGE").arg(format!("{{p:{OLD}}}:ledger")).arg(0).arg(-1).query_async(&mut redis).await.unwrap();
    let opening: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(
        (&opening["event"], &opening["units"], &opening["mined"], &opening["levels"]),
        (&json!("opening"), &json!("energy=2,lantern=1,@gems=120"), &json!("90"), &json!("lvl:sharp=1"))
    );
    let report = audit_clean(&app).await;
    assert_eq!(report["opened"], json!([]), "opened once");

    // They play on through the bot: still balanced.
    say(&app, OLD, "/dig", |m| m.text.as_deref().is_some_and(|t| t.contains("You found"))).await;
    say_expect(&app, OLD, "/use energy", "Used Energy").await;
    buy_and_pay(&app, OLD, "gem_pack").await;
    audit_clean(&app).await;
    // And a change behind the scripts' back is found.
    redis_cmd(&app, &["HINCRBY", &format!("{{p:{OLD}}}:inv"), "lantern", "1"]).await;
    let (code, report) = audit(&app).await;
    assert_eq!(code, 1);
    assert_eq!(named(&report), BTreeSet::from([about("inventory", Some(OLD), Some("lantern"), None)]), "{report:#}");
}
