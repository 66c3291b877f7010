//! The game in a real browser: headless Chromium (Debian's `chromium`) driven by playwright-core
//! through `tests/browser/play_game.mjs`, against the real bot and the Bot API emulator. The
//! player opens the game from `/play`, finds Buy off (with the reason) for what they own or may
//! buy no more of, buys Rush Hour in the page's shop, pays its invoice link, starts the boost
//! from home, plays a run it doubles (and the Stopwatch lengthens), and the score reaches the
//! chat; home shows the day's arcade gems and the results what is left of them. Screenshots at
//! phone size (390x844) and desktop size (1280x800). [`drive`] runs any driver in
//! `tests/browser/` and pays the invoice link it prints (also for `browser_upgrades`).

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use starmine::sandbox::emulator::PayOutcome;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;

use crate::harness::{poll_until, TestApp};
use crate::support::{buy_and_pay, player, say, say_expect, score_sent, spawn_with_env, ALICE, WAIT};

/// `GAME_TOKEN_SECRET` (32 characters).
const SECRET: &str = "browser-test-secret-0123456789ab";
const SHORT_NAME: &str = "starmine_rush";
/// The driver's own limit is 180 s; this one only catches a driver that hangs.
const DRIVER_TIMEOUT: Duration = Duration::from_secs(240);

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Fails (never skips) when the browser test cannot run here.
pub fn assert_prerequisites() {
    let mut missing = Vec::new();
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|output| output.status.success()) {
        missing.push("`node` on PATH".to_owned());
    }
    if !chromium().is_file() {
        missing.push(format!("Chromium at {}", chromium().display()));
    }
    if !repo().join("node_modules/playwright-core/package.json").is_file() {
        missing.push("node_modules/playwright-core".to_owned());
    }
    assert!(
        missing.is_empty(),
        "the real-browser test cannot run: missing {}. Run scripts/test.sh, which installs them \
         (apt-get install chromium fonts-dejavu-core, npm ci)",
        missing.join(", ")
    );
}

/// A loopback port free right now (the bot binds it a moment later).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// A test's screenshot folder under `test-artifacts/browser/`, emptied.
pub fn screenshot_dir(test: &str) -> PathBuf {
    let dir = repo().join("test-artifacts/browser").join(test);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("old screenshots are removed");
    }
    dir
}

/// What a driver did.
pub struct Driven {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: Vec<String>,
    pub paid: Option<(String, PayOutcome)>,
}

impl Driven {
    /// The driver's JSON line, once it succeeded (else a panic with its stderr and the bot's log).
    pub fn output(&self, app: &TestApp, script: &str) -> Value {
        let stderr = self.stderr.join("\n");
        assert!(
            self.status.success(),
            "{script} failed ({}); its stderr:\n{stderr}\n--- bot log ---\n{}",
            self.status,
            app.log_tail(40)
        );
        eprintln!("{script}'s stderr:\n{stderr}");
        serde_json::from_str(self.stdout.lines().last().unwrap_or_default())
            .unwrap_or_else(|error| panic!("the driver prints one JSON line ({error}): {}", self.stdout))
    }
}

/// Runs the driver `script` (under `tests/browser/`) on `game_url` with `env`; when it prints its
/// invoice link, `payer` pays it in the emulator, as a player would in Telegram.
pub async fn drive(
    app: &TestApp,
    payer: i64,
    script: &str,
    env: &[(&str, &str)],
    game_url: &str,
    screenshots: &Path,
) -> Driven {
    let mut command = Command::new("node");
    command
        .arg(Path::new("tests/browser").join(script))
        .current_dir(repo())
        .env("GAME_URL", game_url)
        .env("SCREENSHOT_DIR", screenshots)
        .envs(env.iter().copied())
        .env("CHROMIUM", chromium())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().expect("node starts");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reading = tokio::spawn(async move {
        let mut text = String::new();
        stdout.read_to_string(&mut text).await.map(|_| text)
    });
    let mut lines = BufReader::new(child.stderr.take().expect("piped stderr")).lines();
    let mut stderr = Vec::new();
    let started = Instant::now();
    let mut paid = None;
    let run = async {
        while let Some(line) = lines.next_line().await.expect("the driver's stderr reads") {
            stderr.push(format!("{:>5.1}s {line}", started.elapsed().as_secs_f64()));
            if let Some(link) = line.strip_prefix("INVOICE_LINK ") {
                let link = link.trim().to_owned();
                let outcome = app.emulator.pay_link(payer, &link).await;
                stderr.push(format!("{:>5.1}s (paid: {outcome:?})", started.elapsed().as_secs_f64()));
                paid = Some((link, outcome));
            }
        }
        child.wait().await.expect("the driver is reaped")
    };
    let status = match tokio::time::timeout(DRIVER_TIMEOUT, run).await {
        Ok(status) => status,
        Err(_) => panic!("play_game.mjs hung for {DRIVER_TIMEOUT:?}; its stderr:\n{}", stderr.join("\n")),
    };
    let stdout = reading.await.expect("the stdout reader").expect("the driver's stdout reads");
    Driven { status, stdout, stderr, paid }
}

#[tokio::test]
async fn a_player_buys_a_boost_in_the_page_starts_it_and_plays_a_boosted_run_in_chromium() {
    assert_prerequisites();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let addr = format!("127.0.0.1:{port}");
    let app = spawn_with_env(&[
        ("HTTP_ADDR", &addr),
        ("PUBLIC_URL", &base),
        ("GAME_SHORT_NAME", SHORT_NAME),
        ("GAME_TOKEN_SECRET", SECRET),
    ])
    .await;

    let game = say(&app, ALICE, "/play", |m| m.game_short_name.is_some()).await;
    assert_eq!(game.game_short_name.as_deref(), Some(SHORT_NAME));
    let callback = app.emulator.press_game(ALICE, ALICE, game.message_id).expect("a game message");
    let answer = poll_until(WAIT, || async { app.emulator.callback_answer(&callback) }).await;
    let game_url = answer.and_then(|answer| answer.url).expect("Play is answered with the game's URL");
    assert!(game_url.starts_with(&format!("{base}/game/?token=")), "{game_url}");
    // The Gold Skin (bought in the chat) makes a second skin to choose from; the page picks
    // Classic back with the skin pill, and the run is drawn in it. The Stopwatch (owned) and
    // two Crates (the most one player may buy) make Buy off in the page's shop.
    for item in ["gold_skin", "stopwatch", "crate", "crate"] {
        buy_and_pay(&app, ALICE, item).await;
    }
    let before = player(&app, ALICE).await;
    assert_eq!(before["inventory"]["rush"].as_u64().unwrap_or(0), 0, "{before}");

    let screenshots = screenshot_dir("a_player_buys_a_boost_in_the_page_starts_it_and_plays_a_boosted_run_in_chromium");
    let env = [
        ("BUY_ITEM", "rush"),
        ("RECEIPT", "Purchased! Rush Hour is in your inventory — press Start to run it for 1 minute."),
        ("EXPECT_DISABLED", "stopwatch:Owned,crate:Limit reached"),
        ("START_BOOST", "rush"),
        ("CHOOSE_SKIN", "classic"),
        ("DESKTOP", "1280x800"),
    ];
    let driven = drive(&app, ALICE, "play_game.mjs", &env, &game_url, &screenshots).await;
    let out = driven.output(&app, "play_game.mjs");

    let (link, outcome) = driven.paid.expect("the driver printed an INVOICE_LINK line");
    assert!(matches!(outcome, PayOutcome::Paid { .. }), "paying {link}: {outcome:?}");
    assert_eq!(out["invoice_link"], link.as_str());
    let disabled: Vec<(&str, &str)> = out["disabled"]
        .as_array()
        .expect("disabled items")
        .iter()
        .map(|item| (item["id"].as_str().unwrap_or(""), item["why"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        disabled,
        [
            ("stopwatch", "You own the Stopwatch — it's yours for good."),
            ("crate", "You've bought 2, the most one player may.")
        ],
        "{out}"
    );
    let started = &out["started"];
    assert_eq!(started["boost"]["id"], "rush", "{out}");
    assert_eq!(started["run_mult_shown"], "×2", "home shows the boosted run: {out}");
    let notice = started["notice"].as_str().unwrap_or_default();
    assert!(notice.starts_with("Rush Hour is running — "), "{out}");
    assert_eq!(out["run"]["seconds"], 4 + 3, "the Stopwatch adds 3 s to the 4 s run: {out}");
    assert_eq!(out["run"]["max_score"], (4 + 3) * 60 * 2, "Rush Hour's ×2 beats the Gold Skin's ×1.5: {out}");
    assert_eq!(
        (out["run"]["skin"].as_str(), out["run"]["score_multiplier"].as_f64()),
        (Some("classic"), Some(2.0)),
        "{out}"
    );
    let score = out["score"].as_u64().expect("a score");
    assert!(score > 0, "the driver mined something: {out}");
    let awarded = out["gems_awarded"].as_u64().expect("gems awarded");
    assert_eq!(awarded, score * 10 / 100, "{out}");
    assert_eq!(out["allowance"], "Arcade gems left today: 50 of 50", "{out}");
    assert_eq!(out["daily_note"], format!("Arcade gems left today: {} of 50", 50 - awarded), "{out}");
    for shot in out["screenshots"].as_array().expect("screenshots") {
        let shot = Path::new(shot.as_str().expect("a path"));
        assert!(shot.starts_with(&screenshots), "{}", shot.display());
        assert!(std::fs::metadata(shot).is_ok_and(|meta| meta.len() > 1_000), "{} is a picture", shot.display());
    }

    let after = player(&app, ALICE).await;
    assert_eq!(after["inventory"]["rush"].as_u64().unwrap_or(0), 0, "started, so no longer held: {after}");
    assert_eq!(after["boosts"][0]["item_id"], "rush", "{after}");
    let gems = |player: &Value| player["gems"].as_u64().expect("gems");
    assert_eq!(gems(&after), gems(&before) + awarded, "the run's reward: {before} -> {after}");

    let scored = score_sent(&app).await;
    let param = |name: &str| scored.params[name].as_i64().or_else(|| scored.params[name].as_str()?.parse().ok());
    assert_eq!(
        (param("user_id"), param("score"), param("chat_id"), param("message_id")),
        (Some(ALICE), Some(score as i64), Some(ALICE), Some(game.message_id)),
        "{:?}",
        scored.params
    );
    let token = url::Url::parse(&game_url)
        .expect("a URL")
        .query_pairs()
        .find(|(key, _)| key == "token")
        .expect("a token")
        .1
        .into_owned();
    let scores: Value = reqwest::Client::new()
        .get(format!("{base}/api/scores"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the bot answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(scores["scores"][0]["score"], score, "the game message's high scores: {scores}");
    assert!(app.emulator.requests().iter().any(|request| request.method == "getGameHighScores"));

    let top = say_expect(&app, ALICE, "/top", "Starmine Rush (best run)").await;
    let top = top.text.unwrap_or_default();
    assert!(top.contains(&format!("— {score}")), "the arcade section shows the run: {top}");
}
