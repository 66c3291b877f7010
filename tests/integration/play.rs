//! The HTML5 game from the chat over the wire: `/play` sends the game message, Play answers with
//! a signed link, the page's API plays a run, and the score lands in the chat's game message.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::TestApp;
use crate::support::*;

pub const SECRET: &str = "integration-secret-0123456789abcdef";

/// A bot with the HTML5 game on, its HTTP server on a port known before start.
pub async fn spawn_play() -> (TestApp, String) {
    let (env, base) = play_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
    (spawn_with_env(&env).await, base)
}

/// The variables that turn the game on at a free port, and the base URL.
pub fn play_env() -> ([(&'static str, String); 4], String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let env = [
        ("HTTP_ADDR", format!("127.0.0.1:{port}")),
        ("PUBLIC_URL", base.clone()),
        ("GAME_SHORT_NAME", "starmine_rush".to_owned()),
        ("GAME_TOKEN_SECRET", SECRET.to_owned()),
    ];
    (env, base)
}

/// `/play`, press Play, and the game URL the bot answered with.
pub async fn open_game(app: &TestApp, user: i64) -> String {
    let game = say(app, user, "/play", |m| m.game_short_name.is_some()).await;
    assert_eq!(game.game_short_name.as_deref(), Some("starmine_rush"));
    let callback = app.emulator.press_game(user, user, game.message_id).expect("a game message");
    let answer = crate::harness::poll_until(WAIT, || async { app.emulator.callback_answer(&callback) }).await;
    answer.and_then(|answer| answer.url).expect("Play is answered with the game's URL")
}

pub fn token_of(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    url.query_pairs().find(|(k, _)| k == "token").map(|(_, v)| v.into_owned()).expect("a token")
}

pub async fn api(base: &str, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let client = reqwest::Client::new();
    let request = match method {
        "POST" => client.post(format!("{base}{path}")).json(&body.unwrap_or(json!({}))),
        _ => client.get(format!("{base}{path}")),
    };
    let response = request.bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The game page's security headers: a CSP that loads Telegram's script and lets Telegram's web
/// clients (and the sandbox, same origin) frame it, so no `X-Frame-Options`.
fn assert_game_headers(headers: &reqwest::header::HeaderMap) {
    let header = |name: &str| headers.get(name).map(|value| value.to_str().unwrap().to_owned());
    let csp = header("content-security-policy").expect("a Content-Security-Policy");
    for part in [
        "default-src 'self'",
        "script-src 'self' https://telegram.org",
        "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"), "the link's token stays here");
    assert_eq!(header("x-frame-options"), None, "Telegram frames the game");
}

#[tokio::test]
async fn a_run_from_the_game_message_lands_its_score_in_the_chat() {
    let (app, base) = spawn_play().await;
    let url = open_game(&app, ALICE).await;
    assert!(url.starts_with(&format!("{base}/game/?token=")), "{url}");
    let page = reqwest::get(&url).await.unwrap();
    assert_eq!(page.status(), 200);
    assert_game_headers(page.headers());
    assert!(page.text().await.unwrap().contains("<canvas"), "the game page is served");
    assert_game_headers(reqwest::get(format!("{base}/game/game.js")).await.unwrap().headers());
    let token = token_of(&url);

    let (status, run) = api(&base, &token, "POST", "/api/runs", None).await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(run["seconds"], 4);
    assert_eq!(run["max_score"], 240);
    let run_id = run["run_id"].as_str().unwrap().to_owned();
    let finish = format!("/api/runs/{run_id}/finish");
    let (status, _) = api(&base, &token, "POST", &finish, Some(json!({ "score": 100 }))).await;
    assert_eq!(status, 400, "too early");
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    let (status, result) = api(&base, &token, "POST", &finish, Some(json!({ "score": 180, "mined": 12 }))).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(
        (result["score"].as_u64(), result["gems_awarded"].as_u64(), result["rank"].as_u64()),
        (Some(180), Some(18), Some(1))
    );
    let (status, _) = api(&base, &token, "POST", &finish, Some(json!({ "score": 180 }))).await;
    assert_eq!(status, 409, "one finish per run");
    assert_eq!(player(&app, ALICE).await["gems"], 18, "rewarded once");

    let score = score_sent(&app).await;
    assert_eq!((score.params["user_id"].as_i64(), score.params["score"].as_i64()), (Some(ALICE), Some(180)));
    assert_eq!(score.params["chat_id"].as_i64(), Some(ALICE));
    let (status, scores) = api(&base, &token, "GET", "/api/scores", None).await;
    assert_eq!(status, 200, "{scores}");
    assert_eq!(scores["scores"][0]["score"], 180);

    assert_eq!(result["new_best"], true);
    // A tie later is fine (BOT_SCORE_NOT_MODIFIED is success), keeps the best and is no new best.
    let (_, run) = api(&base, &token, "POST", "/api/runs", None).await;
    tokio::time::sleep(Duration::from_millis(4_000)).await;
    let path = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
    let (status, result) = api(&base, &token, "POST", &path, Some(json!({ "score": 180 }))).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!((result["best"].as_u64(), result["new_best"].as_bool()), (Some(180), Some(false)));
    say_expect(&app, ALICE, "/top", "Starmine Rush (best run)").await;
}

#[tokio::test]
async fn forged_tokens_and_impossible_scores_change_nothing() {
    let (app, base) = spawn_play().await;
    let url = open_game(&app, ALICE).await;
    let token = token_of(&url);
    let mut forged = token.clone();
    forged.pop();
    forged.push(if token.ends_with('A') { 'B' } else { 'A' });
    for bad in [forged.as_str(), "v1.e30.e30", "nonsense", ""] {
        let (status, body) = api(&base, bad, "GET", "/api/me", None).await;
        assert_eq!(status, 401, "{bad}: {body}");
        assert!(body["error"].as_str().unwrap().contains("open the game"), "{body}");
    }
    let (_, run) = api(&base, &token, "POST", "/api/runs", None).await;
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    let path = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
    let (status, body) = api(&base, &token, "POST", &path, Some(json!({ "score": 100_000 }))).await;
    assert_eq!(status, 422, "{body}");
    assert!(app.log().contains("impossible arcade score rejected"), "impossible scores are logged");
    let (status, _) = api(&base, &token, "POST", &path, Some(json!({ "score": 10 }))).await;
    assert_eq!(status, 409, "a rejected run cannot be retried with a smaller score");
    let (status, _) = api(&base, &token, "POST", &path, Some(json!({ "score": "lots" }))).await;
    assert_eq!(status, 400);
    let client = reqwest::Client::new();
    let huge =
        client.post(format!("{base}/api/runs")).bearer_auth(&token).body("x".repeat(10_000)).send().await.unwrap();
    assert_eq!(huge.status().as_u16(), 400);
    assert_eq!(player(&app, ALICE).await["gems"], 0);
    assert!(!app.emulator.requests().iter().any(|r| r.method == "setGameScore"));
}

#[tokio::test]
async fn buying_from_the_page_changes_the_next_run() {
    let (app, base) = spawn_play().await;
    let token = token_of(&open_game(&app, ALICE).await);
    let (status, order) = api(&base, &token, "POST", "/api/buy", Some(json!({ "item_id": "stopwatch" }))).await;
    assert_eq!(status, 200, "{order}");
    let order_id = order["order_id"].as_str().unwrap().to_owned();
    let link = order["invoice_link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("https://t.me/$"), "{link}");
    let status_path = format!("/api/orders/{order_id}");
    assert_eq!(api(&base, &token, "GET", &status_path, None).await.1["status"], "open");
    let charge = app.emulator.pay_link(ALICE, &link).await.charge_id();
    wait_status(&app, ALICE, &charge, "paid").await;
    assert_eq!(api(&base, &token, "GET", &status_path, None).await.1["status"], "paid");
    // The page never decides: only the server knows it is paid, and the next run has 3 s more.
    let (_, run) = api(&base, &token, "POST", "/api/runs", None).await;
    assert_eq!(run["seconds"], 7, "{run}");
    // Another player cannot see this order.
    let bob = token_of(&open_game(&app, BOB).await);
    assert_eq!(api(&base, &bob, "GET", &status_path, None).await.0, 404);
}

#[tokio::test]
async fn inline_games_offer_the_game_and_score_the_inline_message() {
    let (app, base) = spawn_play().await;
    let query = app.emulator.inline_query(ALICE, "");
    let results = crate::harness::poll_until(WAIT, || async { app.emulator.inline_answer(&query) }).await;
    let results = results.expect("the inline query is answered");
    assert_eq!(results[0]["type"], "game");
    assert_eq!(results[0]["game_short_name"], "starmine_rush");

    let callback = app.emulator.press_inline_game(ALICE, "AgAAAInline123", "starmine_rush");
    let answer = crate::harness::poll_until(WAIT, || async { app.emulator.callback_answer(&callback) }).await;
    let url = answer.and_then(|a| a.url).expect("Play on an inline game answers with the URL");
    let token = token_of(&url);
    let (_, run) = api(&base, &token, "POST", "/api/runs", None).await;
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    let path = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
    let (status, result) = api(&base, &token, "POST", &path, Some(json!({ "score": 120 }))).await;
    assert_eq!(status, 200, "{result}");
    let score = score_sent(&app).await;
    assert_eq!(score.params["inline_message_id"], "AgAAAInline123");
    assert!(score.params.get("chat_id").is_none());
}
