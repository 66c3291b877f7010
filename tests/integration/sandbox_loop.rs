//! The designer's loop in the sandbox: a reload of `game_data/` that fails shows on the page
//! (the control API the page reads) until the files are valid again, and is counted in the
//! metrics.

use std::time::Duration;

use serde_json::Value;

use crate::harness::poll_until;
use crate::sandbox::{start_sandbox_with, Sandbox};

/// A sandbox on a copy of the tests' `game_data` (in `data`) with its metrics on a known port.
async fn sandbox_on_copy(data: &tempfile::TempDir) -> (Sandbox, std::path::PathBuf, u16) {
    let dir = data.path().join("game_data");
    crate::reload::copy_fixture(&dir);
    let metrics = crate::browser::free_port();
    let env = [("GAME_DATA_DIR", dir.to_str().unwrap()), ("METRICS_ADDR", &format!("127.0.0.1:{metrics}"))];
    (start_sandbox_with(&env).await, dir, metrics)
}

/// The reload status once `done` holds for it.
async fn reload_status(sandbox: &Sandbox, done: impl Fn(&Value) -> bool) -> Value {
    let found = poll_until(Duration::from_secs(10), || async {
        let status = sandbox.get("/sandbox/api/reload").await;
        done(&status).then_some(status)
    })
    .await;
    match found {
        Some(status) => status,
        None => panic!("the reload status never got there: {}", sandbox.get("/sandbox/api/reload").await),
    }
}

async fn reloads(metrics: u16, result: &str) -> f64 {
    let text = reqwest::get(format!("http://127.0.0.1:{metrics}/metrics")).await.unwrap().text().await.unwrap();
    let name = format!("starmine_catalog_reloads_total{{result=\"{result}\"}}");
    text.lines().find_map(|line| line.strip_prefix(&name)?.trim().parse().ok()).unwrap_or(0.0)
}

/// The 1-based line of the first `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|line| line.contains(needle)).expect("the needle is in the file") + 1
}

#[tokio::test]
async fn a_failed_reload_shows_its_problems_until_the_files_are_valid_again() {
    let data = tempfile::tempdir().unwrap();
    let (sandbox, dir, metrics) = sandbox_on_copy(&data).await;
    let first = sandbox.get("/sandbox/api/reload").await;
    assert_eq!((first["problems"].as_array().map(Vec::len), first["failed_at"].clone()), (Some(0), Value::Null));
    let version = first["version"].as_str().expect("the version in force").to_owned();

    // Two problems in items.toml: each reported with its file and line.
    let items = dir.join("items.toml");
    let text = std::fs::read_to_string(&items).unwrap();
    let broken =
        text.replacen("price_stars = 5", "price_stars = 0", 1).replacen("kind = \"boost\"", "kind = \"bost\"", 1);
    std::fs::write(&items, &broken).unwrap();
    let failed = reload_status(&sandbox, |status| status["problems"].as_array().is_some_and(|p| !p.is_empty())).await;
    let at = |needle: &str| format!("{}:{}: ", items.display(), line_of(&broken, needle));
    let problems: Vec<&str> = failed["problems"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(problems.len(), 2, "{failed}");
    assert!(problems[0].starts_with(&at("price_stars = 0")) && problems[0].contains("`price_stars`"), "{failed}");
    assert!(problems[1].starts_with(&at("kind = \"bost\"")) && problems[1].contains("unknown kind `bost`"), "{failed}");
    assert_eq!(failed["version"], version.as_str(), "the previous catalog stays in force");
    assert!(failed["failed_at"].as_i64().is_some(), "{failed}");
    assert!(reloads(metrics, "failed").await >= 1.0);
    // The bot still sells at the old price.
    let invoice = sandbox.say(1001, "/buy energy", |m| !m["invoice"].is_null()).await;
    assert_eq!(invoice["invoice"]["amount"], 5);

    // Still broken after another edit: the problems follow the files.
    let one_left = text.replacen("price_stars = 5", "price_stars = 0", 1);
    std::fs::write(&items, &one_left).unwrap();
    let fewer = reload_status(&sandbox, |status| status["problems"].as_array().is_some_and(|p| p.len() == 1)).await;
    assert!(fewer["generation"].as_u64() > failed["generation"].as_u64(), "{fewer}");

    // Valid again: the problems go, the new catalog is in force, and the reload counts as ok.
    std::fs::write(&items, text.replacen("price_stars = 5", "price_stars = 6", 1)).unwrap();
    let fixed = reload_status(&sandbox, |status| status["problems"].as_array().is_some_and(Vec::is_empty)).await;
    assert_ne!(fixed["version"], version.as_str(), "{fixed}");
    assert_eq!(fixed["failed_at"], Value::Null);
    assert!(reloads(metrics, "failed").await >= 2.0);
    assert!(reloads(metrics, "ok").await >= 1.0);
    let invoice = sandbox.say(1002, "/buy energy", |m| !m["invoice"].is_null()).await;
    assert_eq!(invoice["invoice"]["amount"], 6);
}

/// `items.toml` without the `[[items]]` table of `id`.
fn without_item(text: &str, id: &str) -> String {
    let tables: Vec<&str> = text.split("[[items]]").collect();
    let header = format!("\nid = \"{id}\"\n");
    assert!(tables.iter().any(|table| table.starts_with(&header)), "no item {id}");
    tables.into_iter().filter(|table| !table.starts_with(&header)).collect::<Vec<_>>().join("[[items]]")
}

#[tokio::test]
async fn removing_an_item_players_hold_warns_until_it_is_back_as_retired() {
    let data = tempfile::tempdir().unwrap();
    let (sandbox, dir, _) = sandbox_on_copy(&data).await;
    let invoice = sandbox.say(1001, "/buy crate", |m| !m["invoice"].is_null()).await;
    let paid = sandbox.post("/sandbox/api/pay", serde_json::json!({ "user": 1001, "message_id": invoice["id"] })).await;
    assert_eq!(paid["status"], "paid", "{paid}");

    let items = dir.join("items.toml");
    let text = std::fs::read_to_string(&items).unwrap();
    std::fs::write(&items, without_item(&text, "crate")).unwrap();
    let warned = reload_status(&sandbox, |status| status["warnings"].as_array().is_some_and(|w| !w.is_empty())).await;
    let expected = format!("{}: `crate` (Crate) was removed, but 1 player holds purchases of it", items.display());
    assert!(
        warned["warnings"][0].as_str().is_some_and(|w| w.starts_with(&expected) && w.contains("retired = true")),
        "{warned}"
    );
    assert_eq!(warned["problems"].as_array().map(Vec::len), Some(0), "a warning, not an error: {warned}");
    // Removing an item nobody holds says nothing.
    let gone_too = without_item(&without_item(&text, "crate"), "gold_skin");
    std::fs::write(&items, &gone_too).unwrap();
    let still = reload_status(&sandbox, |status| status["generation"].as_u64() > warned["generation"].as_u64()).await;
    assert_eq!(still["warnings"].as_array().map(Vec::len), Some(1), "{still}");

    // Back as a retired item: nothing to warn of.
    let retired = text.replacen("max_per_player = 2", "max_per_player = 2\nretired = true", 1);
    std::fs::write(&items, retired).unwrap();
    reload_status(&sandbox, |status| status["warnings"].as_array().is_some_and(Vec::is_empty)).await;
}
