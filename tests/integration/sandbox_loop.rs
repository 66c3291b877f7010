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

/// The chat as the page reads it: each message's id, sender, text, buttons and invoice.
async fn chat_of(sandbox: &Sandbox, user: i64) -> Vec<Value> {
    let chat = sandbox.get(&format!("/sandbox/api/chat/{user}")).await;
    let fields = ["id", "from", "kind", "text", "buttons", "invoice", "payment"];
    let shown = |m: &Value| Value::Object(fields.iter().map(|f| (f.to_string(), m[*f].clone())).collect());
    chat["messages"].as_array().expect("messages").iter().map(shown).collect()
}

/// Buys `item` in the chat and pays it; returns the charge id once the purchase is granted.
async fn buy(sandbox: &Sandbox, user: i64, item: &str) -> String {
    let invoice = sandbox.say(user, &format!("/buy {item}"), |m| !m["invoice"].is_null()).await;
    let paid = sandbox.post("/sandbox/api/pay", serde_json::json!({ "user": user, "message_id": invoice["id"] })).await;
    let charge = paid["charge_id"].as_str().unwrap_or_else(|| panic!("paid: {paid}")).to_owned();
    let granted = poll_until(Duration::from_secs(10), || async {
        let player = sandbox.get(&format!("/sandbox/api/player/{user}")).await;
        player["payments"].as_array()?.iter().any(|p| p["charge_id"] == charge.as_str()).then_some(())
    })
    .await;
    assert!(granted.is_some(), "{item} is granted");
    charge
}

#[tokio::test]
async fn a_restarted_sandbox_keeps_its_chat_users_and_ledger() {
    let mut sandbox = crate::sandbox::start_sandbox().await;
    let dora = sandbox.post("/sandbox/api/users", serde_json::json!({ "name": "Dora" })).await["id"].as_i64().unwrap();
    sandbox.say(dora, "/start", |m| m["text"].as_str().is_some_and(|t| t.contains("Welcome"))).await;
    let charge = buy(&sandbox, dora, "energy").await;
    sandbox.say(dora, "/shop", |m| m["text"].as_str().is_some_and(|t| t.contains("Starmine shop"))).await;
    let chat = chat_of(&sandbox, dora).await;
    let ledger = sandbox.get("/sandbox/api/ledger").await;
    assert!(chat.len() >= 6, "{chat:?}");

    // A clean stop (SIGTERM) and a start: the same chat, users, ledger.
    sandbox.restart_gracefully(&[]).await;
    assert!(sandbox.dir().join("data/sandbox-chat.json").is_file());
    assert_eq!(chat_of(&sandbox, dora).await, chat, "the chat after SIGTERM and a restart");
    let users = sandbox.get("/sandbox/api/users").await;
    assert!(users["users"].as_array().unwrap().iter().any(|u| u["id"] == dora && u["name"] == "Dora"), "{users}");
    assert_eq!(sandbox.get("/sandbox/api/ledger").await, ledger);
    let invoice = chat.iter().find(|m| !m["invoice"].is_null()).expect("the invoice");
    assert_eq!(invoice["invoice"]["paid"], true, "still marked paid");
    // New messages continue after the old ones, and the purchase from before is refundable.
    let last = chat.last().unwrap()["id"].as_i64().unwrap();
    let refunded = sandbox
        .say(dora, &format!("/refund {charge}"), |m| m["text"].as_str().is_some_and(|t| t.contains("Refunded")))
        .await;
    assert!(refunded["id"].as_i64().unwrap() > last, "{refunded}");

    // kill -9 right after a payment: the ledger (written at once) agrees with the bot's records,
    // and no new message takes the id of one the chat may have lost.
    let charge = buy(&sandbox, dora, "pickaxe").await;
    let before_kill = chat_of(&sandbox, dora).await;
    let last = before_kill.last().unwrap()["id"].as_i64().unwrap();
    sandbox.restart().await;
    let ledger = sandbox.get("/sandbox/api/ledger").await;
    let ids: Vec<&str> = ledger["transactions"].as_array().unwrap().iter().filter_map(|t| t["id"].as_str()).collect();
    assert!(ids.contains(&charge.as_str()), "the ledger keeps the last payment: {ledger}");
    let player = sandbox.get(&format!("/sandbox/api/player/{dora}")).await;
    assert_eq!(player["payments"].as_array().map(Vec::len), Some(2), "{player}");
    let after = chat_of(&sandbox, dora).await;
    assert!(after.len() >= chat.len(), "at most the last moments are lost: {after:?}");
    let reply = sandbox.say(dora, "/me", |m| m["text"].as_str().is_some_and(|t| t.contains("Your miner"))).await;
    assert!(reply["id"].as_i64().unwrap() > last, "a new id, never a lost one's: {reply} after {last}");
}

#[tokio::test]
async fn serve_reset_starts_the_sandbox_afresh_and_never_while_one_runs() {
    let mut sandbox = crate::sandbox::start_sandbox().await;
    buy(&sandbox, 1001, "energy").await;
    // Refused while this sandbox runs on the folder: nothing is removed.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_starmine"))
        .args(["serve", "--reset"])
        .current_dir(sandbox.dir())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("still running"));
    assert_eq!(sandbox.get("/sandbox/api/ledger").await["transactions"].as_array().map(Vec::len), Some(1));

    sandbox.restart_gracefully(&["--reset"]).await;
    assert_eq!(chat_of(&sandbox, 1001).await, Vec::<Value>::new(), "a fresh chat");
    let ledger = sandbox.get("/sandbox/api/ledger").await;
    assert_eq!((ledger["transactions"].as_array().map(Vec::len), ledger["balance"].clone()), (Some(0), 0.into()));
    let player = sandbox.get("/sandbox/api/player/1001").await;
    assert_eq!(player["payments"].as_array().map(Vec::len), Some(0), "and fresh records: {player}");
}

/// The next SSE event of `stream` named `name`, as its JSON data (10 s at most).
async fn next_event(stream: &mut reqwest::Response, buffer: &mut String, name: &str) -> Value {
    let wanted = format!("event: {name}\n");
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                if let Some(at) = block.find(&wanted) {
                    let data = block[at..].lines().find_map(|line| line.strip_prefix("data: ")).unwrap_or("null");
                    return serde_json::from_str::<Value>(data).unwrap();
                }
            }
            let chunk = stream.chunk().await.unwrap().expect("the stream goes on");
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    });
    found.await.unwrap_or_else(|_| panic!("no `{name}` event; read so far: {buffer}"))
}

#[tokio::test]
async fn the_page_is_told_of_changes_and_its_stream_ends_when_serve_stops() {
    let mut sandbox = crate::sandbox::start_sandbox().await;
    let mut stream = reqwest::get(format!("{}/sandbox/api/events?user=1001", sandbox.base)).await.unwrap();
    assert_eq!(stream.status(), 200);
    let kind = stream.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/event-stream"), "{kind}");
    let csp = stream.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'self'"), "same-origin EventSource allowed: {csp}");
    let mut buffer = String::new();
    // One of each at once, so a page that (re)connects catches up.
    let chat = next_event(&mut stream, &mut buffer, "chat").await;
    assert_eq!(
        (chat["user"].as_i64(), chat["messages"].as_i64(), chat["edits"].as_u64()),
        (Some(1001), Some(1), Some(0))
    );
    assert_eq!(next_event(&mut stream, &mut buffer, "ledger").await["transactions"], 0);
    next_event(&mut stream, &mut buffer, "reload").await;

    // A message in the chat, then its reply: told as they happen.
    sandbox.post("/sandbox/api/send", serde_json::json!({ "user": 1001, "text": "/start" })).await;
    let mut told = next_event(&mut stream, &mut buffer, "chat").await;
    while told["messages"].as_i64() < Some(3) {
        told = next_event(&mut stream, &mut buffer, "chat").await;
    }
    assert_eq!(told["messages"], 3, "the user's message and the bot's reply: {told}");
    // A payment: the ledger is told too.
    buy(&sandbox, 1001, "energy").await;
    assert_eq!(next_event(&mut stream, &mut buffer, "ledger").await["transactions"], 1);

    // With the stream open, SIGTERM still stops serve at once, and the stream ends.
    let took = sandbox.terminate().await;
    assert!(took < Duration::from_secs(5), "serve took {took:?} to stop with a page's stream open");
    let ended = tokio::time::timeout(Duration::from_secs(5), async { while let Ok(Some(_)) = stream.chunk().await {} });
    assert!(ended.await.is_ok(), "the event stream ends when serve stops");
}
