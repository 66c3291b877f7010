//! Games, injected faults, send limits and the raw HTTP contract of the emulator.

use serde_json::{json, Value};
use starmine::sandbox::emulator::Fault;
use teloxide::requests::Requester;
use teloxide::types::{ChatId, UpdateKind};
use teloxide::{Bot, RequestError};

use super::start;
use crate::conformance::assert_conforms;

#[tokio::test]
async fn games_keep_high_scores() {
    let (emulator, bot) = start().await;
    emulator.send_text(3, "/play");
    let sent = bot.send_game(ChatId(3), "starmine").await.expect("sendGame");
    assert!(sent.game().is_some());
    let play = emulator.press_game(3, 3, sent.id.0 as i64).expect("a game message");
    assert!(!play.is_empty());
    let call = |method: &str, body: Value| {
        let url = format!("{}/bot{}/{method}", emulator.api_url(), emulator.token());
        async move { reqwest::Client::new().post(url).json(&body).send().await.expect("request") }
    };
    let target = json!({"user_id": 3, "chat_id": 3, "message_id": sent.id.0});
    let mut score = target.clone();
    score["score"] = json!(120);
    assert_eq!(call("setGameScore", score.clone()).await.status(), 200);
    let not_higher = call("setGameScore", score).await.json::<Value>().await.expect("json");
    assert_eq!(not_higher["description"], "Bad Request: BOT_SCORE_NOT_MODIFIED");
    let table = call("getGameHighScores", target).await.json::<Value>().await.expect("json");
    assert_eq!(table["result"], json!([{"position": 1, "user": table["result"][0]["user"], "score": 120}]));
    assert_conforms(&emulator.requests());
}

#[tokio::test]
async fn faults_and_limits_surface_as_teloxide_errors() {
    let (emulator, bot) = start().await;
    emulator.send_text(1, "/start");
    emulator.fault("sendMessage", Fault::TooManyRequests { retry_after: 3 }, 1);
    let flooded = bot.send_message(ChatId(1), "a").await;
    assert!(matches!(flooded, Err(RequestError::RetryAfter(s)) if s.seconds() == 3), "{flooded:?}");

    emulator.fault("sendMessage", Fault::DropConnection { apply: true }, 1);
    let dropped = bot.send_message(ChatId(1), "b").await;
    assert!(matches!(dropped, Err(RequestError::Network(_))), "{dropped:?}");
    assert_eq!(emulator.messages(1).len(), 1, "apply: true performed the send");

    emulator.fault("getMe", Fault::Error { code: 403, description: "Forbidden: nope".to_owned() }, 1);
    assert!(bot.get_me().await.is_err());

    emulator.enforce_send_limits(true);
    let mut refused = None;
    for n in 0..5 {
        if let Err(error) = bot.send_message(ChatId(1), format!("burst {n}")).await {
            refused = Some(error);
            break;
        }
    }
    assert!(matches!(refused, Some(RequestError::RetryAfter(_))), "{refused:?}");
}

#[tokio::test]
async fn raw_http_answers_like_telegram() {
    let (emulator, _bot) = start().await;
    let client = reqwest::Client::new();
    let base = emulator.api_url();
    let unknown = client.post(format!("{base}/bot{}/fooBar", emulator.token())).send().await.expect("unknown");
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.expect("json");
    assert_eq!(body, json!({"ok": false, "error_code": 404, "description": "Not Found"}));
    let wrong = client.post(format!("{base}/bot1:wrong/getMe")).send().await.expect("wrong token");
    assert_eq!(wrong.status(), 401);
    let malformed = client.post(format!("{base}/botnot-a-token/getMe")).send().await.expect("malformed token");
    assert_eq!(malformed.status(), 404, "a token that is not `<id>:<secret>` is Not Found, as on Telegram");

    emulator.send_text(2, "hi");
    let form = [("chat_id", "2"), ("text", "from a form")];
    let sent = client.post(format!("{base}/bot{}/sendMessage", emulator.token())).form(&form).send().await;
    let body: Value = sent.expect("form").json().await.expect("json");
    assert_eq!(body["result"]["text"], "from a form");
    let recorded = emulator.requests().into_iter().find(|r| r.method == "sendMessage").expect("recorded");
    assert!(recorded.form && recorded.params["chat_id"] == "2");

    let id = emulator.inject_update(json!({"mystery_kind": {"x": 1}}));
    let bot = Bot::new(emulator.token()).set_api_url(base.parse().expect("url"));
    let updates = bot.get_updates().await.expect("an unparsable update does not break the batch");
    let last = updates.last().expect("the injected update");
    assert!(last.id.0 as i64 == id && matches!(last.kind, UpdateKind::Error(_)));
}
