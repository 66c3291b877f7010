//! The sandbox's economy panel (`GET /sandbox/api/economy`, `assets/sandbox/economy.js`): the
//! economy lab run by `serve` on the catalog in force, simulated once per catalog version, the
//! version before drawn on the same axes after a hot reload; in Chromium beside the chat.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::process::Command;

use crate::harness::poll_until;
use crate::sandbox::{start_sandbox, start_sandbox_with, Sandbox};

/// A copy of the shipped `game_data/` (which has `players.toml`) in `dir/game_data`.
fn shipped_copy(dir: &Path) -> PathBuf {
    let to = dir.join("game_data");
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("game_data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    to
}

async fn economy(sandbox: &Sandbox) -> (u16, String) {
    let response = reqwest::get(format!("{}/sandbox/api/economy", sandbox.base)).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The catalog version in force, as the reload status says.
async fn version(sandbox: &Sandbox) -> String {
    sandbox.get("/sandbox/api/reload").await["version"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_panel_simulates_the_catalog_in_force_once_and_compares_it_with_the_version_before() {
    // The tests' catalog has no players.toml: nothing to simulate, and the answer says why.
    let bare = start_sandbox().await;
    let (status, body) = economy(&bare).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("players.toml"), "{body}");
    drop(bare);

    let data = tempfile::tempdir().unwrap();
    let game_data = shipped_copy(data.path());
    let sandbox = start_sandbox_with(&[("GAME_DATA_DIR", game_data.to_str().unwrap())]).await;
    let first_version = version(&sandbox).await;
    let (status, body) = economy(&sandbox).await;
    assert_eq!(status, 200, "{body}");
    let first: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((first["players"].as_u64(), first["days"].as_u64()), (Some(1000), Some(30)), "{first}");
    assert_eq!(first["version"], first_version.as_str());
    assert_eq!(first["against_version"], Value::Null, "nothing simulated before");
    let charts = first["charts"].as_array().unwrap();
    assert!(charts.len() >= 15, "{} charts", charts.len());
    for chart in charts {
        let svg = chart["svg"].as_str().unwrap();
        assert!(svg.contains(&format!("data-chart=\"{}\"", chart["id"].as_str().unwrap())), "{}", chart["id"]);
        assert!(svg.contains("<g data-series="), "chart {} draws a series", chart["id"]);
        assert!(!svg.contains("data-run=\"against\""), "chart {} has nothing to compare with", chart["id"]);
    }
    assert!(first["summary"].as_str().unwrap().contains("Stars revenue"), "{first}");
    // The same version again: the same answer, not another simulation.
    assert_eq!(economy(&sandbox).await, (200, body.clone()));

    // A designer makes the refill dearer; after the hot reload the month is simulated again and
    // compared with the version before.
    let items = game_data.join("items.toml");
    let text = std::fs::read_to_string(&items).unwrap();
    std::fs::write(&items, text.replacen("price_stars = 5\n", "price_stars = 8\n", 1)).unwrap();
    let reloaded = poll_until(Duration::from_secs(10), || async {
        let now = version(&sandbox).await;
        (now != first_version).then_some(now)
    })
    .await
    .expect("the edit is reloaded");
    let (status, body) = economy(&sandbox).await;
    assert_eq!(status, 200, "{body}");
    let second: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(second["version"], reloaded.as_str());
    assert_eq!(second["against_version"], first_version.as_str());
    let summary = second["summary"].as_str().unwrap();
    let (_, changes) = summary.split_once(&format!("Changes from version {first_version}:")).expect(summary);
    assert!(changes.contains("energy_refill: units bought"), "{changes}");
    assert!(!changes.contains("treasure_map"), "nobody buys it either way: {changes}");
    for chart in second["charts"].as_array().unwrap() {
        assert!(chart["svg"].as_str().unwrap().contains("data-run=\"against\""), "chart {} compares", chart["id"]);
    }
}

/// The panel in Chromium (`tests/browser/economy.mjs`): beside the chat on a desktop, over it on
/// a phone, every chart the server simulated drawn with all its series; an edit of items.toml
/// redraws it with the version before on the same axes. Screenshots in
/// `test-artifacts/browser/economy_panel/`.
#[tokio::test]
async fn the_panel_draws_every_chart_beside_the_chat_and_redraws_after_an_edit_in_chromium() {
    use crate::browser::{assert_prerequisites, chromium, repo};
    assert_prerequisites();
    let data = tempfile::tempdir().unwrap();
    let game_data = shipped_copy(data.path());
    let sandbox = start_sandbox_with(&[("GAME_DATA_DIR", game_data.to_str().unwrap())]).await;
    let screenshots = repo().join("test-artifacts/browser/economy_panel");
    let _ = std::fs::remove_dir_all(&screenshots);
    let run = Command::new("node")
        .arg("tests/browser/economy.mjs")
        .current_dir(repo())
        .env("SANDBOX_URL", format!("{}/sandbox/", sandbox.base))
        .env("ITEMS_TOML", game_data.join("items.toml"))
        .env("SCREENSHOT_DIR", &screenshots)
        .env("CHROMIUM", chromium())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run).await.expect("the driver finishes").unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "economy.mjs failed: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");

    let sizes = report["first"]["sizes"].as_array().unwrap();
    let desktop = &sizes[0];
    assert_eq!(desktop["name"], "desktop");
    assert!(desktop["charts"].as_u64().unwrap() >= 15, "{report}");
    let beside = &desktop["beside"];
    assert!(beside["chat_width"].as_u64().unwrap() >= 400, "the chat stays usable beside the panel: {report}");
    assert!(beside["panel_left"].as_u64() >= beside["chat_width"].as_u64(), "the panel is beside the chat: {report}");
    let phone = &sizes[1];
    assert_eq!(phone["beside"]["panel_width"], 390, "on a phone the panel covers the chat: {report}");
    assert!(desktop["note"].as_str().unwrap().contains("simulated in"), "{report}");

    let compared = &report["compared"];
    assert_eq!(compared["against_version"], report["first"]["version"], "{report}");
    assert_ne!(compared["version"], compared["against_version"], "{report}");
    assert!(compared["note"].as_str().unwrap().contains("Dashed"), "{report}");
    assert!(compared["summary"].as_str().unwrap().contains("energy_refill: units bought"), "{report}");
    for shot in report["screenshots"].as_array().unwrap() {
        assert!(std::fs::metadata(shot.as_str().unwrap()).is_ok_and(|meta| meta.len() > 10_000), "{shot}");
    }
}
