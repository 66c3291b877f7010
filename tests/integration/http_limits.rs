//! The webhook stays answerable while the game side is saturated: on its own listener
//! (`WEBHOOK_ADDR`) when the public one is at its connection cap, and beside a game API at its
//! in-flight limit (`HTTP_API_MAX_IN_FLIGHT`), which answers the excess with a fast 503.

use std::time::Duration;

use serde_json::{json, Value};
use starmine::http::webhook::SECRET_HEADER;
use tokio::net::TcpStream;

use crate::harness::TestApp;
use crate::play::{open_game, play_env, token_of};
use crate::support::*;

const HOOK_URL: &str = "https://starmine.test/telegram/hook-limits";
const SECRET: &str = "test_webhook_secret-0123456789";

/// A `/start` from `user` (one the emulator knows) as Telegram would deliver it.
fn start_update(update_id: i64, user: i64) -> String {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": { "id": user, "type": "private", "first_name": "Webhook" },
            "from": { "id": user, "is_bot": false, "first_name": "Webhook" },
            "text": "/start",
            "entities": [{ "type": "bot_command", "offset": 0, "length": 6 }]
        }
    })
    .to_string()
}

async fn post_update(addr: std::net::SocketAddr, path: &str, body: String) -> u16 {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header(SECRET_HEADER, SECRET)
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(5))
        .body(body)
        .send()
        .await
        .expect("the webhook answers");
    response.status().as_u16()
}

async fn health_within(addr: std::net::SocketAddr, within: Duration) -> Option<u16> {
    let client = reqwest::Client::builder().timeout(within).build().unwrap();
    let response = client.get(format!("http://{addr}/healthz")).send().await.ok()?;
    Some(response.status().as_u16())
}

#[tokio::test]
async fn the_webhook_on_its_own_listener_answers_while_the_public_one_is_at_its_cap() {
    let app = spawn_webhook_own_listener(
        HOOK_URL,
        SECRET,
        &[("HTTP_MAX_CONNECTIONS", "2"), ("HTTP_HEADER_TIMEOUT_MS", "30000")],
    )
    .await;
    let (public, webhook) = (app.http_addr().await, app.webhook_addr().await);
    assert_ne!(public, webhook);
    // Not on the public listener.
    let path = url::Url::parse(HOOK_URL).unwrap().path().to_owned();
    assert_eq!(post_update(public, &path, start_update(1, ALICE)).await, 404);

    // Three silent connections: two take the public cap, one waits in its backlog.
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(public).await.unwrap());
    }
    assert_eq!(health_within(public, Duration::from_secs(1)).await, None, "the public listener is saturated");

    // Telegram's deliveries still get through, and the bot answers them.
    say_expect(&app, ALICE, "/start", "Welcome to Starmine").await;
    let before = last_id(&app, ALICE);
    assert_eq!(post_update(webhook, &path, start_update(2, ALICE)).await, 200);
    text_after(&app, ALICE, before, "Welcome to Starmine").await;
    assert_eq!(health_within(webhook, Duration::from_secs(1)).await, Some(200));

    drop(silent);
    assert_eq!(health_within(public, Duration::from_secs(5)).await, Some(200));
}

#[tokio::test]
async fn the_game_api_over_its_in_flight_limit_answers_503_fast_and_the_webhook_still_answers() {
    let (env, base) = play_env();
    let mut vars: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
    vars.push(("HTTP_API_MAX_IN_FLIGHT", "1"));
    let app: TestApp = spawn_webhook(HOOK_URL, SECRET, &vars).await;
    let token = token_of(&open_game(&app, ALICE).await);
    let before = last_id(&app, ALICE);
    let client = reqwest::Client::new();

    let calls = (0..40).map(|_| {
        let request = client.get(format!("{base}/api/me")).bearer_auth(&token);
        async move {
            let response = request.send().await.expect("the API answers");
            let status = response.status().as_u16();
            let retry_after = response.headers().get("retry-after").map(|value| value.to_str().unwrap().to_owned());
            (status, retry_after, response.json::<Value>().await.unwrap_or(Value::Null))
        }
    });
    let addr = app.http_addr().await;
    let path = url::Url::parse(HOOK_URL).unwrap().path().to_owned();
    let (answers, webhook) =
        tokio::join!(futures::future::join_all(calls), post_update(addr, &path, start_update(3, ALICE)));
    assert_eq!(webhook, 200, "the webhook is not behind the API's limit");

    let busy: Vec<&(u16, Option<String>, Value)> = answers.iter().filter(|(status, ..)| *status == 503).collect();
    let served = answers.iter().filter(|(status, ..)| *status == 200).count();
    assert!(!busy.is_empty() && served >= 1, "{served} served, {} busy", busy.len());
    assert_eq!(busy.len() + served, answers.len(), "{answers:?}");
    for (_, retry_after, body) in busy {
        assert_eq!(body["code"], "busy", "{body}");
        assert!(body["error"].as_str().is_some_and(|error| error.contains("busy")), "{body}");
        assert_eq!(retry_after.as_deref(), Some("1"));
    }
    text_after(&app, ALICE, before, "Welcome to Starmine").await;
    // Under the limit again, every call is served.
    let (status, _) = crate::play::api(&base, &token, "GET", "/api/me", None).await;
    assert_eq!(status, 200);
}
