//! `starmine serve` with no bot token: the sandbox. The built-in emulator stands in for Telegram
//! and the control API (what the sandbox page uses) buys, refunds, disputes and plays.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::harness::{poll_until, PrivateRedisGuard};

/// A running sandbox. Dropping it kills `serve`, then stops its private Redis (which a killed
/// `serve` leaves running), then removes the folder.
pub struct Sandbox {
    pub base: String,
    child: Child,
    redis: PrivateRedisGuard,
    port: u16,
    env: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        self.redis.shutdown();
    }
}

/// Starts the real binary with no token in an empty directory (its own private Redis under
/// `./data`) and waits for the printed sandbox URL.
pub async fn start_sandbox() -> Sandbox {
    start_sandbox_with(&[]).await
}

/// Like [`start_sandbox`], with more environment.
pub async fn start_sandbox_with(env: &[(&str, &str)]) -> Sandbox {
    let dir = tempfile::tempdir().unwrap();
    let redis = PrivateRedisGuard::new(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let child = launch(dir.path(), port, &env, &[]).await;
    Sandbox { base: format!("http://127.0.0.1:{port}"), child, redis, port, env, dir }
}

/// Runs `serve` (with `args`) without a token in `dir` and waits for the printed sandbox URL.
async fn launch(dir: &std::path::Path, port: u16, env: &[(String, String)], args: &[&str]) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_starmine"))
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GAME_DATA_DIR", std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data"))
        .env("HTTP_ADDR", format!("127.0.0.1:{port}"))
        .env("METRICS_ADDR", "127.0.0.1:0")
        .env("SEND_LIMITS", "off")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await.expect("the sandbox starts");
    let line = line.unwrap().expect("a line on stdout");
    assert!(line.contains("/sandbox/"), "{line}");
    child
}

impl Sandbox {
    /// The folder `serve` runs in (its `./data` holds the private Redis).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// `kill -9` of `serve`, then a new one in the same folder (its Redis keeps running).
    pub async fn restart(&mut self) {
        let _ = self.child.kill().await;
        self.child = launch(self.dir.path(), self.port, &self.env, &[]).await;
    }

    /// SIGTERM to `serve` (it must exit 0 within 15 s), then a new one in the same folder with
    /// `args` (`--reset`).
    pub async fn restart_gracefully(&mut self, args: &[&str]) {
        self.terminate().await;
        self.child = launch(self.dir.path(), self.port, &self.env, args).await;
    }

    /// SIGTERM to `serve`; it must exit 0 within 15 s. Returns how long it took.
    pub async fn terminate(&mut self) -> Duration {
        let pid = self.child.id().expect("serve runs") as i32;
        let asked = std::time::Instant::now();
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let status = tokio::time::timeout(Duration::from_secs(15), self.child.wait()).await;
        let status = status.expect("serve exits promptly on SIGTERM").unwrap();
        assert!(status.success(), "serve exits 0 on SIGTERM: {status}");
        asked.elapsed()
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = reqwest::Client::new().post(format!("{}{path}", self.base)).json(&body).send().await.unwrap();
        response.json().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Value {
        reqwest::get(format!("{}{path}", self.base)).await.unwrap().json().await.unwrap()
    }

    /// Sends `text` as `user` and waits for a bot message matching `pred`.
    pub async fn say(&self, user: i64, text: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let sent = self.post("/sandbox/api/send", json!({ "user": user, "text": text })).await;
        let after = sent["id"].as_i64().unwrap();
        let found = poll_until(Duration::from_secs(10), || async {
            let chat = self.get(&format!("/sandbox/api/chat/{user}?after={after}")).await;
            chat["messages"].as_array()?.iter().find(|m| m["from"] == "bot" && pred(m)).cloned()
        })
        .await;
        found.unwrap_or_else(|| panic!("no reply to {text}"))
    }
}

fn text_has(needle: &'static str) -> impl Fn(&Value) -> bool {
    move |m: &Value| m["text"].as_str().is_some_and(|t| t.contains(needle))
}

#[tokio::test]
async fn the_sandbox_buys_refunds_and_disputes_with_sandbox_stars() {
    let sandbox = start_sandbox().await;
    let page = reqwest::get(format!("{}/sandbox/", sandbox.base)).await.unwrap();
    assert_eq!(page.status(), 200);
    let header = |name: &str| page.headers().get(name).map(|value| value.to_str().unwrap().to_owned());
    let csp = header("content-security-policy").expect("a Content-Security-Policy");
    for part in ["default-src 'self'", "frame-src 'self'", "frame-ancestors 'none'", "object-src 'none'"] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
    let users = sandbox.get("/sandbox/api/users").await;
    assert!(users["users"].as_array().unwrap().len() >= 3, "{users}");

    sandbox.say(1001, "/start", text_has("Welcome to Starmine")).await;
    let invoice = sandbox.say(1001, "/buy energy", |m| !m["invoice"].is_null()).await;
    let paid = sandbox.post("/sandbox/api/pay", json!({ "user": 1001, "message_id": invoice["id"] })).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    let charge = paid["charge_id"].as_str().unwrap().to_owned();
    let player = poll_until(Duration::from_secs(10), || async {
        let player = sandbox.get("/sandbox/api/player/1001").await;
        (player["inventory"]["energy"] == 1).then_some(player)
    })
    .await
    .expect("the purchase is granted");
    assert_eq!(player["payments"][0]["status"], "paid");
    let refund = |payment: &Value| {
        let fields = ["refundable", "refund_note", "takes_back"];
        fields.map(|field| payment[field].clone())
    };
    assert_eq!(refund(&player["payments"][0]), [json!(true), json!(null), json!("Energy")], "{player}");
    let chat = sandbox.get("/sandbox/api/chat/1001?after=0").await;
    let invoices: Vec<&Value> =
        chat["messages"].as_array().unwrap().iter().filter(|m| !m["invoice"].is_null()).collect();
    assert_eq!(invoices.last().unwrap()["invoice"]["paid"], true, "a reloaded chat knows the invoice was paid");

    sandbox.say(1001, &format!("/refund {charge}"), text_has("Refunded 5 ⭐")).await;
    let ledger = sandbox.get("/sandbox/api/ledger").await;
    assert_eq!(ledger["balance"], 0, "{ledger}");
    assert_eq!(ledger["transactions"].as_array().unwrap().len(), 2);

    // A dispute (Telegram-side refund) on another purchase.
    let invoice = sandbox.say(1002, "/buy pickaxe", |m| !m["invoice"].is_null()).await;
    let paid = sandbox.post("/sandbox/api/pay", json!({ "user": 1002, "message_id": invoice["id"] })).await;
    let charge = paid["charge_id"].as_str().unwrap().to_owned();
    poll_until(Duration::from_secs(10), || async {
        (sandbox.get("/sandbox/api/player/1002").await["inventory"]["pickaxe"] == 1).then_some(())
    })
    .await
    .expect("granted");
    let disputed = sandbox.post("/sandbox/api/dispute", json!({ "user": 1002, "charge_id": charge })).await;
    assert_eq!(disputed["status"], "disputed");
    // The panel reads inventory and payments one after the other, so one response can straddle
    // the revoke: wait until both show it.
    let revoked = poll_until(Duration::from_secs(10), || async {
        let player = sandbox.get("/sandbox/api/player/1002").await;
        let settled = player["payments"][0]["status"] == "refunded" && player["inventory"].get("pickaxe").is_none();
        settled.then_some(player)
    })
    .await;
    assert!(revoked.is_some(), "the dispute revokes the pickaxe and marks the payment refunded");

    // A started boost: the panel offers no Refund for it and says why, as /refund does.
    let invoice = sandbox.say(1003, "/buy lantern", |m| !m["invoice"].is_null()).await;
    let paid = sandbox.post("/sandbox/api/pay", json!({ "user": 1003, "message_id": invoice["id"] })).await;
    assert_eq!(paid["status"], "paid", "{paid}");
    sandbox.say(1003, "/use lantern", text_has("Lantern is active")).await;
    let player = sandbox.get("/sandbox/api/player/1003").await;
    let why = json!("Lantern — started, can't be refunded");
    assert_eq!(refund(&player["payments"][0]), [json!(false), why, json!("Lantern")], "{player}");
    sandbox.say(1003, "/refund", text_has("Can't be refunded:\n• Lantern — started, can't be refunded")).await;
}

/// A sandbox user added with a Telegram language the bot ships is answered in it from their first
/// message: a Russian speaker buys and refunds in Russian; a bad language code is refused.
#[tokio::test]
async fn a_sandbox_user_added_as_a_russian_speaker_plays_in_russian() {
    let sandbox = start_sandbox().await;
    let made = sandbox.post("/sandbox/api/users", json!({ "name": "Оля", "language_code": "ru" })).await;
    assert_eq!(made["language_code"], "ru", "{made}");
    let olya = made["id"].as_i64().unwrap();
    sandbox.say(olya, "/start", text_has("Добро пожаловать в Starmine")).await;
    let invoice = sandbox.say(olya, "/buy energy", |m| !m["invoice"].is_null()).await;
    assert_eq!(invoice["invoice"]["title"], "Энергия", "{invoice}");
    let paid = sandbox.post("/sandbox/api/pay", json!({ "user": olya, "message_id": invoice["id"] })).await;
    let charge = paid["charge_id"].as_str().unwrap().to_owned();
    sandbox.say(olya, "/start", text_has("Добро пожаловать")).await;
    poll_until(Duration::from_secs(10), || async {
        let player = sandbox.get(&format!("/sandbox/api/player/{olya}")).await;
        (player["inventory"]["energy"] == 1).then_some(())
    })
    .await
    .expect("the purchase is granted");
    sandbox.say(olya, &format!("/refund {charge}"), text_has("Возвращено 5 ⭐")).await;

    let refused = reqwest::Client::new()
        .post(format!("{}/sandbox/api/users", sandbox.base))
        .json(&json!({ "name": "Eve", "language_code": "ru ru; drop" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let users = sandbox.get("/sandbox/api/users").await;
    assert!(!users.to_string().contains("Eve"), "a refused user is not added: {users}");
}

/// The sandbox keeps its emulated Star ledger beside its Redis: after a restart the bot's check
/// of its records against the ledger still finds every purchase (nothing is voided), and a
/// purchase from before the restart can still be refunded.
#[tokio::test]
async fn a_sandbox_restart_keeps_the_star_ledger_its_purchases_are_checked_against() {
    // Only the pass at start, before the purchase: nothing has verified it when it restarts.
    let mut sandbox = start_sandbox_with(&[("RECONCILE_EVERY_S", "3600"), ("LEDGER_GRACE_S", "1")]).await;
    let invoice = sandbox.say(1001, "/buy energy", |m| !m["invoice"].is_null()).await;
    let paid = sandbox.post("/sandbox/api/pay", json!({ "user": 1001, "message_id": invoice["id"] })).await;
    let charge = paid["charge_id"].as_str().expect("paid").to_owned();
    poll_until(Duration::from_secs(10), || async {
        (sandbox.get("/sandbox/api/player/1001").await["inventory"]["energy"] == 1).then_some(())
    })
    .await
    .expect("granted");
    // Restarted with a pass every second: the ledger must still show the purchase.
    sandbox.env[0].1 = "1".to_owned();
    sandbox.restart().await;
    assert!(sandbox.dir.path().join("data/sandbox-ledger.jsonl").exists());
    let ledger = sandbox.get("/sandbox/api/ledger").await;
    assert_eq!(ledger["transactions"].as_array().map(Vec::len), Some(1), "{ledger}");
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let player = sandbox.get("/sandbox/api/player/1001").await;
    assert_eq!(player["payments"][0]["status"], "paid", "never voided: {player}");
    assert_eq!(player["inventory"]["energy"], 1);
    sandbox.say(1001, &format!("/refund {charge}"), text_has("Refunded 5 ⭐")).await;
}

#[tokio::test]
async fn the_sandbox_plays_the_html5_game_and_pays_from_inside_it() {
    let sandbox = start_sandbox().await;
    let game = sandbox.say(1001, "/play", |m| !m["game"].is_null()).await;
    let answer = sandbox.post("/sandbox/api/press", json!({ "user": 1001, "message_id": game["id"] })).await;
    let url = answer["url"].as_str().expect("Play answers with the game URL").to_owned();
    assert!(url.starts_with(&format!("{}/game/?token=", sandbox.base)), "{url}");
    let token = url.split("token=").nth(1).unwrap().to_owned();
    let client = reqwest::Client::new();
    let order: Value = client
        .post(format!("{}/api/buy", sandbox.base))
        .bearer_auth(&token)
        .json(&json!({ "item_id": "stopwatch" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = order["invoice_link"].as_str().expect("an invoice link").to_owned();
    let paid = sandbox.post("/sandbox/api/pay-link", json!({ "user": 1001, "link": link })).await;
    assert_eq!(paid["status"], "paid", "the emulator resolves its own invoice links: {paid}");
    let owned = poll_until(Duration::from_secs(10), || async {
        (sandbox.get("/sandbox/api/player/1001").await["inventory"]["stopwatch"] == 1).then_some(())
    })
    .await;
    assert!(owned.is_some(), "bought from inside the game");
}

#[tokio::test]
async fn the_sandbox_admin_signs_in_to_the_console_with_a_made_up_secret() {
    let sandbox = start_sandbox().await;
    let reply = sandbox.say(1000, "/admin", text_has("/admin/login?t=")).await;
    let text = reply["text"].as_str().unwrap();
    let link = text.split_whitespace().find(|word| word.starts_with("http")).expect("a link").to_owned();
    assert!(link.starts_with(&format!("{}/admin/login?t=v1.", sandbox.base)), "{link}");
    let addr = sandbox.base.trim_start_matches("http://").parse().unwrap();
    let response = crate::admin::sign_in(addr, &crate::admin::token_of(&link)).await;
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER, "Ada signs in");
    // A sandbox player is no admin.
    sandbox.say(1001, "/admin", text_has("I don't know that command")).await;
}

/// The sandbox page in a real browser (headless Debian Chromium via `tests/browser/sandbox.mjs`):
/// a broken `items.toml` shows its problems over the chat until it is fixed, buy an item through
/// the chat end to end, refund it from the side panel, play a run from the game message;
/// screenshots land in `test-artifacts/browser/sandbox/`.
#[tokio::test]
async fn the_sandbox_page_buys_refunds_and_plays_in_chromium() {
    use crate::browser::{assert_prerequisites, chromium, repo};
    assert_prerequisites();
    let data = tempfile::tempdir().unwrap();
    let game_data = data.path().join("game_data");
    crate::reload::copy_fixture(&game_data);
    let sandbox = start_sandbox_with(&[("GAME_DATA_DIR", game_data.to_str().unwrap())]).await;
    let screenshots = repo().join("test-artifacts/browser/sandbox");
    let _ = std::fs::remove_dir_all(&screenshots);
    std::fs::create_dir_all(&screenshots).unwrap();
    let run = Command::new("node")
        .arg("tests/browser/sandbox.mjs")
        .current_dir(repo())
        .env("SANDBOX_URL", format!("{}/sandbox/", sandbox.base))
        .env("SCREENSHOT_DIR", &screenshots)
        .env("BUY_ITEM", "energy")
        .env("ITEMS_TOML", game_data.join("items.toml"))
        .env("CHROMIUM", chromium())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(240), run).await.expect("the driver finishes").unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "sandbox.mjs failed: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    assert_eq!(report["refunded"], true, "{report}");
    assert!(report["charge_id"].as_str().is_some_and(|c| !c.is_empty()), "{report}");
    assert!(report["score"].as_u64().is_some(), "a run was played: {report}");
    let reload = &report["reload"];
    assert_eq!(reload["title"], "game_data has 1 problem — not reloaded", "{report}");
    let line = reload["lines"][0].as_str().unwrap_or_default();
    assert!(line.starts_with("items.toml:7") && line.contains("`price_stars` must be 1"), "{report}");
    assert!(reload["width"].as_f64().is_some_and(|width| width > 300.0), "the banner spans the chat: {report}");
    assert_eq!(reload["cleared"], true, "{report}");
    // Pushed, not polled: no chat or reload asks in 3 quiet seconds (a 700 ms poll makes 4+),
    // and the reply to /me showed within a moment of sending it.
    assert_eq!(report["push"]["quiet_asks"], 0, "{report}");
    assert!(report["push"]["reply_ms"].as_u64().is_some_and(|ms| ms < 1000), "{report}");
    assert!(reload["notice"].as_str().is_some_and(|notice| notice.starts_with("Catalog reloaded")), "{report}");
    let shots = report["screenshots"].as_array().expect("screenshots");
    assert!(shots.len() >= 5, "{report}");
    for shot in shots {
        assert!(std::path::Path::new(shot.as_str().unwrap()).is_file(), "{shot}");
    }
    // The books agree with what the page showed: refunded, and the bot's Star balance is back.
    let ledger = sandbox.get("/sandbox/api/ledger").await;
    assert_eq!(ledger["balance"], 0, "{ledger}");
}
