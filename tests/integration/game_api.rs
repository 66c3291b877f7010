//! The game's JSON API through `router(state)`, in-process: a real redis-server, real game
//! loops, and only Telegram replaced by a [`TelegramPort`] that records its calls.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use starmine::clock::now_ms;
use starmine::domain::{Item, Lang, UserId};
use starmine::game::{self, GameConfig, GameTask, Notice};
use starmine::game_link::{ChatScore, ScoreTarget, Session, TelegramPort};
use starmine::http::auth::sign_init_data;
use starmine::http::{router, HttpState, PlayApi};
use starmine::reload::SharedCatalog;
use starmine::store::Store;
use tokio::sync::mpsc;

use crate::harness::{poll_until, TestRedis};

const SECRET: &[u8] = b"game-api-test-secret-32-bytes-ok";
const BOT_TOKEN: &str = "123456789:TEST-token_for-the-game-api";
const PLAYER: u64 = 4242;
const OTHER: u64 = 4343;
/// The fixture's run: 4 s, 60 points a second, 10 gems per 100 points.
const RUN_SECONDS: u64 = 4;
const MAX_SCORE: u64 = RUN_SECONDS * 60;
/// The fixture's `run_gems_per_day`.
const DAILY_GEMS: u64 = 50;
/// `domain::game::EARLY_SLACK_MS`: how early before its end a run may be finished.
const EARLY_SLACK_MS: u64 = 1_500;

/// What the API asked of Telegram.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Call {
    InvoiceLink { item: String, payload: String, amount: u32 },
    SetScore { user: u64, score: u64, target: ScoreTarget },
}

/// Telegram's stand-in: records calls, hands out fake invoice links, keeps a score table.
#[derive(Default)]
struct FakeTelegram {
    calls: Mutex<Vec<Call>>,
}

impl FakeTelegram {
    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    fn record(&self, call: Call) {
        self.calls.lock().unwrap().push(call);
    }
}

fn fake_link(payload: &str) -> String {
    format!("https://t.me/$fake-invoice-{payload}")
}

impl TelegramPort for FakeTelegram {
    fn invoice_link<'a>(
        &'a self,
        item: &'a Item,
        _lang: Lang,
        payload: &'a str,
        amount: u32,
    ) -> BoxFuture<'a, Result<String, String>> {
        self.record(Call::InvoiceLink { item: item.id.to_string(), payload: payload.to_owned(), amount });
        Box::pin(async move { Ok(fake_link(payload)) })
    }

    fn gift_invoice_link<'a>(
        &'a self,
        item: &'a Item,
        lang: Lang,
        payload: &'a str,
        amount: u32,
        _recipient: &'a str,
    ) -> BoxFuture<'a, Result<String, String>> {
        self.invoice_link(item, lang, payload, amount)
    }

    fn report_score(&self, user: UserId, score: u64, target: ScoreTarget) {
        self.record(Call::SetScore { user: user.0, score, target });
    }

    fn high_scores<'a>(&'a self, _: UserId, target: &'a ScoreTarget) -> BoxFuture<'a, Result<Vec<ChatScore>, String>> {
        let mut best: BTreeMap<u64, u64> = BTreeMap::new();
        for call in self.calls() {
            if let Call::SetScore { user, score, target: to } = call {
                if &to == target {
                    let entry = best.entry(user).or_default();
                    *entry = (*entry).max(score);
                }
            }
        }
        let mut rows: Vec<(u64, u64)> = best.into_iter().collect();
        rows.sort_by_key(|(_, score)| std::cmp::Reverse(*score));
        let scores = rows
            .into_iter()
            .enumerate()
            .map(|(at, (user, score))| ChatScore {
                position: at as u32 + 1,
                user_id: user,
                name: format!("user{user}"),
                score,
            })
            .collect();
        Box::pin(async move { Ok(scores) })
    }
}

/// One bot process's HTTP side: a game loop and the router served on a loopback port.
struct Server {
    base: String,
    game: GameTask,
    http: tokio::task::JoinHandle<()>,
    _notices: mpsc::UnboundedReceiver<Notice>,
}

impl Server {
    async fn start(redis_url: &str, catalog: SharedCatalog, telegram: Arc<FakeTelegram>) -> Self {
        let store = Store::connect(&[redis_url.to_owned()]).await.expect("Redis answers");
        let (notices, notice_rx) = mpsc::unbounded_channel();
        let config = GameConfig { changes_url: Some(redis_url.to_owned()), ..GameConfig::default() };
        let (game, task) = game::spawn(store.clone(), catalog.clone(), config, notices);
        let play = PlayApi {
            game,
            catalog,
            token_secret: Arc::new(SECRET.to_vec()),
            bot_token: Arc::new(BOT_TOKEN.to_owned()),
            telegram,
        };
        let api_max_in_flight = starmine::config::HttpLimits::default().api_max_in_flight;
        let app = router(HttpState { store, play: Some(play), api_max_in_flight });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let http = tokio::spawn(async move { axum::serve(listener, app).await.expect("the router serves") });
        Self { base, game: task, http, _notices: notice_rx }
    }

    async fn stop(self) {
        self.http.abort();
        self.game.stop().await;
    }
}

/// How a request proves who sends it.
enum Auth {
    Nobody,
    Token(String),
    InitData(String),
}

/// A game API on its own Redis, with a client.
struct GameApi {
    redis: TestRedis,
    catalog: SharedCatalog,
    telegram: Arc<FakeTelegram>,
    server: Server,
    client: reqwest::Client,
}

impl GameApi {
    async fn start() -> Self {
        let redis = TestRedis::start().await;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
        let catalog = starmine::game_data::load_dir(&dir).unwrap_or_else(|problems| {
            panic!(
                "the fixture game data loads: {}",
                problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
            )
        });
        let catalog = SharedCatalog::new(catalog);
        let telegram = Arc::new(FakeTelegram::default());
        let server = Server::start(&redis.url, catalog.clone(), telegram.clone()).await;
        Self { redis, catalog, telegram, server, client: reqwest::Client::new() }
    }

    /// Another bot process on the same Redis.
    async fn second_server(&self) -> Server {
        Server::start(&self.redis.url, self.catalog.clone(), self.telegram.clone()).await
    }

    async fn stop(self) {
        self.server.stop().await;
    }

    async fn send(
        &self,
        base: &str,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{base}{path}"));
        request = match auth {
            Auth::Nobody => request,
            Auth::Token(token) => request.bearer_auth(token),
            Auth::InitData(data) => request.header("x-telegram-init-data", data),
        };
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        let response = request.send().await.expect("the router answers");
        let status = response.status();
        let text = response.text().await.expect("a body");
        let value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path} answered {status} with non-JSON: {text}"));
        (status, value)
    }

    async fn get(&self, user: u64, path: &str) -> (StatusCode, Value) {
        self.send(&self.server.base, Method::GET, path, &Auth::Token(token(user)), None).await
    }

    async fn post(&self, user: u64, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(&self.server.base, Method::POST, path, &Auth::Token(token(user)), Some(body.to_string())).await
    }

    async fn post_raw(&self, user: u64, path: &str, body: &str) -> (StatusCode, Value) {
        self.send(&self.server.base, Method::POST, path, &Auth::Token(token(user)), Some(body.to_owned())).await
    }

    async fn gems(&self, user: u64) -> u64 {
        let (status, me) = self.get(user, "/api/me").await;
        assert_eq!(status, StatusCode::OK, "{me}");
        me["gems"].as_u64().expect("gems is a number")
    }

    /// Starts a run and returns its JSON, with when it started.
    async fn start_run(&self, user: u64) -> (Value, Instant) {
        let started = Instant::now();
        let (status, run) = self.post(user, "/api/runs", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        (run, started)
    }

    /// Every key in Redis with its serialized value: equal snapshots mean nothing changed.
    async fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let client = redis::Client::open(self.redis.url.as_str()).expect("a Redis URL");
        let mut redis = client.get_multiplexed_async_connection().await.expect("Redis answers");
        let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut redis).await.expect("KEYS");
        let mut snapshot = BTreeMap::new();
        for key in keys {
            let dump: Option<Vec<u8>> = redis::cmd("DUMP").arg(&key).query_async(&mut redis).await.expect("DUMP");
            snapshot.insert(key, dump.unwrap_or_default());
        }
        snapshot
    }
}

/// Where the test game links point: the player's game message.
fn game_message(user: u64) -> ScoreTarget {
    ScoreTarget::Message { chat: user as i64, message: 7 }
}

fn token(user: u64) -> String {
    Session { user: UserId(user), target: game_message(user), expires_at_ms: now_ms() + 3_600_000 }.sign(SECRET)
}

/// Mini App initData for `user`, signed as Telegram does for the bot with `bot_token`.
fn init_data(bot_token: &str, user: u64) -> String {
    let user_json = format!(r#"{{"id":{user},"first_name":"Mini"}}"#);
    let auth_date = (now_ms() / 1000).to_string();
    let fields = [("auth_date", auth_date.as_str()), ("query_id", "AAHdF6IQ"), ("user", user_json.as_str())];
    sign_init_data(bot_token, fields)
}

fn error_text(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_else(|| panic!("an error body: {body}"))
}

#[tokio::test]
async fn forged_expired_and_missing_credentials_get_401_and_change_nothing() {
    let api = GameApi::start().await;
    let (run, _) = api.start_run(PLAYER).await;
    let finish = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
    let before = api.snapshot().await;

    let session = |expires_at_ms| Session { user: UserId(PLAYER), target: game_message(PLAYER), expires_at_ms };
    let forged = session(now_ms() + 3_600_000).sign(b"not-the-game-token-secret-at-all");
    let expired = session(now_ms() - 1_000).sign(SECRET);
    let cases = [
        ("forged", Auth::Token(forged)),
        ("expired", Auth::Token(expired)),
        ("garbage", Auth::Token("v1.bm90.c2ln".to_owned())),
        ("none", Auth::Nobody),
        ("initData of another bot", Auth::InitData(init_data("987654321:another-bot", PLAYER))),
    ];
    let base = &api.server.base;
    for (name, auth) in &cases {
        let calls = [
            (Method::GET, "/api/me", None),
            (Method::POST, "/api/runs", Some("{}")),
            (Method::POST, finish.as_str(), Some(r#"{"score":1}"#)),
            (Method::POST, "/api/buy", Some(r#"{"item_id":"stopwatch"}"#)),
            (Method::POST, "/api/use", Some(r#"{"item":"rush"}"#)),
            (Method::GET, "/api/shop", None),
            (Method::GET, "/api/top", None),
        ];
        for (method, path, body) in calls {
            let (status, answer) = api.send(base, method, path, auth, body.map(str::to_owned)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{name} credentials on {path}: {answer}");
            let wanted = if *name == "expired" { "expired" } else { "not valid" };
            assert!(error_text(&answer).contains(wanted), "{name}: {answer}");
        }
    }
    assert_eq!(api.snapshot().await, before, "refused calls changed Redis");
    assert_eq!(api.telegram.calls(), [], "refused calls reached Telegram");

    let (status, me) = api.send(base, Method::GET, "/api/me", &Auth::InitData(init_data(BOT_TOKEN, OTHER)), None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["id"], OTHER);
    let tampered = init_data(BOT_TOKEN, OTHER).replace(&OTHER.to_string(), &PLAYER.to_string());
    assert!(tampered.contains(&PLAYER.to_string()), "the user id was swapped");
    let (status, answer) = api.send(base, Method::GET, "/api/me", &Auth::InitData(tampered), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
    api.stop().await;
}

#[tokio::test]
async fn oversized_malformed_and_unknown_bodies_get_400() {
    let api = GameApi::start().await;
    let oversized = json!({ "item_id": "x".repeat(5 * 1024) }).to_string();
    let bad = [
        ("/api/buy", oversized.as_str()),
        ("/api/buy", r#"{"item_id":"#),
        ("/api/buy", "not json"),
        ("/api/buy", r#"{"item_id":"stopwatch","qty":2}"#),
        ("/api/buy", r#"{"item_id":5}"#),
        ("/api/runs", oversized.as_str()),
        ("/api/runs", "{"),
    ];
    for (path, body) in bad {
        let (status, answer) = api.post_raw(PLAYER, path, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} with {:.60}: {answer}", body);
        let wanted = if body.len() > 4 * 1024 { "at most 4096 bytes" } else { "malformed body" };
        assert!(error_text(&answer).contains(wanted), "{path} with {:.60}: {answer}", body);
    }
    assert_eq!(api.telegram.calls(), [], "no invoice link for a bad body");
    let (status, answer) = api.post(PLAYER, "/api/buy", json!({ "item_id": "no_such_item" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    api.stop().await;
}

#[tokio::test]
async fn me_and_shop_describe_the_player_and_the_items() {
    let api = GameApi::start().await;
    let (status, me) = api.get(PLAYER, "/api/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["id"], PLAYER);
    assert!(me["user"]["name"].is_string(), "{me}");
    assert_eq!(me["gems"], 0);
    assert_eq!(me["best_score"], 0);
    assert!(me["energy"].is_u64(), "{me}");
    assert_eq!(me["inventory"], json!([]));
    assert_eq!(me["boosts"], json!([]));
    assert_eq!(me["run"], json!({ "seconds": RUN_SECONDS, "score_multiplier": 1.0, "skin": "classic" }));
    assert_eq!(me["skins"], json!(["classic"]));

    let (status, shop) = api.get(PLAYER, "/api/shop").await;
    assert_eq!(status, StatusCode::OK, "{shop}");
    let items = shop["items"].as_array().expect("an item list");
    let item =
        |id: &str| items.iter().find(|item| item["id"] == id).unwrap_or_else(|| panic!("{id} in {shop}")).clone();
    for item in items {
        for field in ["id", "name", "description", "kind", "effect"] {
            assert!(item[field].is_string(), "{field} of {item}");
        }
        assert!(item["price_stars"].as_u64().is_some_and(|stars| stars > 0), "{item}");
        assert_eq!(item["owned"], 0, "{item}");
        assert!(item["sold_out"].is_boolean(), "{item}");
    }
    let stopwatch = item("stopwatch");
    assert_eq!((stopwatch["kind"].as_str(), stopwatch["price_stars"].as_u64()), (Some("permanent"), Some(30)));
    assert_eq!(stopwatch["effect"], "+3 s per run");
    let gold = item("gold_skin");
    assert_eq!(gold["effect"], "×1.5 score, Gold skin");
    assert!(item("energy")["effect"].as_str().unwrap().contains("energy"), "{shop}");
    assert_eq!(item("starter")["effect"], "3× Energy, 1× Gem Pack", "bundle contents by name");
    api.stop().await;
}

/// Finishes `path` with an impossible score until the run may be finished: returns the answer
/// and how long after the start that was.
#[tokio::test]
async fn a_player_chooses_among_the_skins_they_own() {
    let api = GameApi::start().await;
    let (status, refused) = api.post(PLAYER, "/api/skin", json!({ "skin": "gold" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("don't own the gold skin"), "{refused}");
    // Owning the Gold Skin (written before the player is first loaded).
    let client = redis::Client::open(api.redis.url.as_str()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("HSET")
        .arg(format!("{{p:{OTHER}}}:inv"))
        .arg("gold_skin")
        .arg(1)
        .query_async(&mut redis)
        .await
        .unwrap();
    let (_, me) = api.get(OTHER, "/api/me").await;
    assert_eq!((me["skins"].clone(), me["run"]["skin"].clone()), (json!(["classic", "gold"]), json!("gold")), "{me}");

    let (status, chosen) = api.post(OTHER, "/api/skin", json!({ "skin": "classic" })).await;
    assert_eq!((status, chosen["skin"].clone()), (StatusCode::OK, json!("classic")), "{chosen}");
    let (_, me) = api.get(OTHER, "/api/me").await;
    assert_eq!(me["run"]["skin"], "classic");
    let (run, _) = api.start_run(OTHER).await;
    assert_eq!(run["skin"], "classic", "the run uses the choice: {run}");
    assert_eq!(run["score_multiplier"], 1.5, "the look only: the skin item's bonus stays");

    for bad in [json!({ "skin": "dragon" }), json!({ "skin": "" })] {
        let (status, answer) = api.post(OTHER, "/api/skin", bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {answer}");
    }
    let (status, _) = api.post_raw(OTHER, "/api/skin", r#"{"skin": 7}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, automatic) = api.post(OTHER, "/api/skin", json!({ "skin": null })).await;
    assert_eq!((status, automatic["skin"].clone()), (StatusCode::OK, json!("gold")), "{automatic}");
    let (run, _) = api.start_run(OTHER).await;
    assert_eq!(run["skin"], "gold");
    api.stop().await;
}

async fn finish_once_allowed(api: &GameApi, path: &str, score: u64, started: Instant) -> (StatusCode, Value, Duration) {
    let answer = poll_until(Duration::from_secs(RUN_SECONDS + 3), || async {
        let (status, body) = api.post(PLAYER, path, json!({ "score": score })).await;
        if status != StatusCode::BAD_REQUEST {
            return Some((status, body));
        }
        assert!(error_text(&body).contains("not ended"), "{body}");
        tokio::time::sleep(Duration::from_millis(75)).await;
        None
    });
    let (status, body) = answer.await.expect("the run can be finished once its time is up");
    (status, body, started.elapsed())
}

#[tokio::test]
async fn a_run_is_finished_once_within_its_time_and_score_limits() {
    let api = GameApi::start().await;
    let gems_before = api.gems(PLAYER).await;
    // One open run per player: a second start closes the first without reward.
    let (replaced, _) = api.start_run(PLAYER).await;
    let (cheat, started) = api.start_run(PLAYER).await;
    for run in [&replaced, &cheat] {
        assert_eq!(run["seconds"], RUN_SECONDS, "{run}");
        assert_eq!(run["max_score"], MAX_SCORE, "{run}");
        assert_eq!(run["score_multiplier"], 1.0, "{run}");
        assert_eq!(run["skin"], "classic", "{run}");
    }
    assert_ne!(replaced["run_id"], cheat["run_id"]);
    let path = |run: &Value| format!("/api/runs/{}/finish", run["run_id"].as_str().expect("a run id"));

    let (status, answer) = api.post(PLAYER, &path(&cheat), json!({ "score": 10 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "finishing at once is too early: {answer}");
    let (status, answer, after) = finish_once_allowed(&api, &path(&cheat), MAX_SCORE + 1, started).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(after >= Duration::from_millis(RUN_SECONDS * 1000 - EARLY_SLACK_MS), "accepted after only {after:?}");
    let (status, answer) = api.post(PLAYER, &path(&cheat), json!({ "score": 1 })).await;
    assert_eq!(status, StatusCode::CONFLICT, "an impossible score ends the run: {answer}");
    let (status, answer) = api.post(PLAYER, &path(&replaced), json!({ "score": 10 })).await;
    assert_eq!(status, StatusCode::CONFLICT, "the replaced run never pays: {answer}");
    assert!(answer["error"].as_str().unwrap_or_default().contains("newer run"), "{answer}");
    assert_eq!(api.gems(PLAYER).await, gems_before);

    // Bad finishes of a fair run change nothing: it still finishes once afterwards.
    let (fair, started) = api.start_run(PLAYER).await;
    for body in [r#"{"score":10,"bonus":1}"#, r#"{"score":"#, r#"{"score":-5}"#] {
        let (status, answer) = api.post_raw(PLAYER, &path(&fair), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    let (status, answer) = api.post(PLAYER, "/api/runs/rnotarun00000/finish", json!({ "score": 1 })).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let score = MAX_SCORE - 3;
    let (status, result, _) = finish_once_allowed(&api, &path(&fair), score, started).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    let awarded = score * 10 / 100;
    let mut expected = json!({ "score": score, "best": score, "new_best": true, "gems_awarded": awarded, "rank": 1 });
    expected["daily_limit_reached"] = json!(false);
    expected["gems_left_today"] = json!(DAILY_GEMS - awarded);
    expected["gems_left_text"] = json!(format!("Arcade gems left today: {} of {DAILY_GEMS}", DAILY_GEMS - awarded));
    assert_eq!(result, expected, "gems are score × 10 / 100, rounded down");
    assert_eq!(api.gems(PLAYER).await, gems_before + awarded);
    let (status, answer) = api.post(PLAYER, &path(&fair), json!({ "score": score })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(api.gems(PLAYER).await, gems_before + awarded, "no second reward");

    let scored = Call::SetScore { user: PLAYER, score, target: game_message(PLAYER) };
    assert_eq!(api.telegram.calls(), [scored], "only the accepted score goes to setGameScore");
    let (status, me) = api.get(PLAYER, "/api/me").await;
    assert_eq!((status, &me["best_score"]), (StatusCode::OK, &json!(score)), "{me}");
    let (status, top) = api.get(PLAYER, "/api/top").await;
    assert_eq!(status, StatusCode::OK, "{top}");
    assert_eq!(top["top"][0]["score"], score, "{top}");
    assert_eq!(top["me"], json!({ "rank": 1, "score": score }));
    let (status, scores) = api.get(PLAYER, "/api/scores").await;
    assert_eq!(status, StatusCode::OK, "{scores}");
    assert_eq!(scores["scores"][0]["score"], score, "{scores}");
    api.stop().await;
}

#[tokio::test]
async fn a_run_started_by_one_process_is_finished_by_another() {
    let api = GameApi::start().await;
    let other_process = api.second_server().await;
    let (run, started) = api.start_run(PLAYER).await;
    let path = format!("/api/runs/{}/finish", run["run_id"].as_str().expect("a run id"));
    let score = 100;
    let answer = poll_until(Duration::from_secs(RUN_SECONDS + 3), || async {
        let body = Some(json!({ "score": score }).to_string());
        let (status, body) =
            api.send(&other_process.base, Method::POST, &path, &Auth::Token(token(PLAYER)), body).await;
        if status != StatusCode::BAD_REQUEST {
            return Some((status, body));
        }
        tokio::time::sleep(Duration::from_millis(75)).await;
        None
    });
    let (status, result) = answer.await.expect("the run can be finished once its time is up");
    assert_eq!(status, StatusCode::OK, "{result}");
    assert!(started.elapsed() >= Duration::from_millis(RUN_SECONDS * 1000 - EARLY_SLACK_MS));
    assert_eq!(result["gems_awarded"], score * 10 / 100);
    let (status, answer) = api.post(PLAYER, &path, json!({ "score": score })).await;
    assert_eq!(status, StatusCode::CONFLICT, "the first process sees it finished: {answer}");
    // The first process learns of the reward through the change feed.
    let rewarded = || async { (api.gems(PLAYER).await == score * 10 / 100).then_some(()) };
    let refreshed = poll_until(Duration::from_secs(5), rewarded).await;
    assert!(refreshed.is_some(), "the first process shows the gems from the other process's finish");
    other_process.stop().await;
    api.stop().await;
}

#[tokio::test]
async fn buying_creates_an_order_with_an_invoice_link_only_its_player_sees() {
    let api = GameApi::start().await;
    let (status, order) = api.post(PLAYER, "/api/buy", json!({ "item_id": "stopwatch" })).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let order_id = order["order_id"].as_str().expect("an order id").to_owned();
    assert_eq!(order["invoice_link"], fake_link(&order_id));
    assert_eq!(order["amount"], 30);
    let asked = Call::InvoiceLink { item: "stopwatch".into(), payload: order_id.clone(), amount: 30 };
    assert_eq!(api.telegram.calls(), [asked]);

    let (status, answer) = api.get(PLAYER, &format!("/api/orders/{order_id}")).await;
    assert_eq!((status, answer), (StatusCode::OK, json!({ "status": "open" })));
    let (status, answer) = api.get(OTHER, &format!("/api/orders/{order_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another player's order: {answer}");
    let (status, answer) = api.get(PLAYER, "/api/orders/not-an-order").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    api.stop().await;
}

#[tokio::test]
async fn the_api_rate_limits_each_player() {
    let api = GameApi::start().await;
    let started = Instant::now();
    let mut served = 0;
    let limited = loop {
        let (status, answer) = api.get(PLAYER, "/api/top").await;
        match status {
            StatusCode::OK => served += 1,
            StatusCode::TOO_MANY_REQUESTS => break answer,
            other => panic!("unexpected {other}: {answer}"),
        }
        assert!(served <= 240, "more than 240 calls served within a minute");
    };
    assert_eq!(served, 240, "the limit is 240 calls a minute");
    assert!(started.elapsed() < Duration::from_secs(60), "the loop ran within one window");
    assert!(error_text(&limited).contains("slow down"), "{limited}");
    let (status, _) = api.get(OTHER, "/api/top").await;
    assert_eq!(status, StatusCode::OK, "the limit is per player");
    api.stop().await;
}

/// The farming probe of issue 10: ten runs opened at once pay at most one, a tool refunded
/// mid-run lowers that run's ceiling, and arcade gems stop at the daily allowance while points
/// still count.
#[tokio::test]
async fn runs_cannot_farm_gems_one_open_run_a_refunded_tool_and_the_daily_allowance() {
    const FARMER: u64 = 5151;
    let api = GameApi::start().await;
    let client = redis::Client::open(api.redis.url.as_str()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    let inventory = format!("{{p:{FARMER}}}:inv");
    let _: () = redis::cmd("HSET").arg(&inventory).arg("stopwatch").arg(1).query_async(&mut redis).await.unwrap();
    let started = Instant::now();
    let runs = futures::future::join_all((0..10).map(|_| api.post(FARMER, "/api/runs", json!({})))).await;
    let boosted = RUN_SECONDS + 3;
    for (status, run) in &runs {
        assert_eq!((*status, &run["seconds"]), (StatusCode::OK, &json!(boosted)), "{run}");
    }
    // The Stopwatch is refunded mid-run: the open run's ceiling falls back to a plain run's.
    let _: () = redis::cmd("HDEL").arg(&inventory).arg("stopwatch").query_async(&mut redis).await.unwrap();
    tokio::time::sleep(Duration::from_millis(boosted * 1000).saturating_sub(started.elapsed())).await;
    let mut statuses = Vec::new();
    for (_, run) in &runs {
        let path = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
        let (status, answer) = api.post(FARMER, &path, json!({ "score": MAX_SCORE + 1 })).await;
        statuses.push((status, answer));
    }
    let replaced = statuses.iter().filter(|(status, _)| *status == StatusCode::CONFLICT).count();
    let impossible: Vec<_> =
        statuses.iter().filter(|(status, _)| *status == StatusCode::UNPROCESSABLE_ENTITY).collect();
    assert_eq!((replaced, impossible.len()), (9, 1), "nine replaced, the open one over its new ceiling: {statuses:?}");
    assert_eq!(api.gems(FARMER).await, 0, "nothing paid");

    // Three plain runs at the ceiling: 24 + 24 gems, then only the 2 left of the 50 a day.
    let mut awarded = Vec::new();
    for _ in 0..3 {
        let (run, started) = api.start_run(FARMER).await;
        let path = format!("/api/runs/{}/finish", run["run_id"].as_str().unwrap());
        let answer = poll_until(Duration::from_secs(RUN_SECONDS + 3), || async {
            let (status, body) = api.post(FARMER, &path, json!({ "score": MAX_SCORE })).await;
            if status == StatusCode::BAD_REQUEST {
                tokio::time::sleep(Duration::from_millis(75)).await;
                return None;
            }
            Some((status, body))
        });
        let (status, result) = answer.await.expect("finished");
        assert_eq!(status, StatusCode::OK, "{result}");
        assert!(started.elapsed() >= Duration::from_millis(RUN_SECONDS * 1000 - EARLY_SLACK_MS));
        awarded.push((
            result["gems_awarded"].clone(),
            result["daily_limit_reached"].clone(),
            result["gems_left_today"].clone(),
        ));
        assert_eq!(result["score"], MAX_SCORE, "points count in full: {result}");
    }
    let expected = vec![
        (json!(24), json!(false), json!(26)),
        (json!(24), json!(false), json!(2)),
        (json!(2), json!(true), json!(0)),
    ];
    assert_eq!(awarded, expected);
    assert_eq!(api.gems(FARMER).await, DAILY_GEMS);
    let (_, me) = api.get(FARMER, "/api/me").await;
    assert_eq!(me["arcade"]["gems_left_today"], 0, "{me}");
    let (_, top) = api.get(FARMER, "/api/top").await;
    assert_eq!(top["me"]["score"], MAX_SCORE, "the leaderboard still counts: {top}");
    api.stop().await;
}

/// Writes `field = value` pairs into a Redis hash, as earlier purchases would have left them.
async fn hset(api: &GameApi, key: &str, pairs: &[(&str, u64)]) {
    let client = redis::Client::open(api.redis.url.as_str()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    for (field, value) in pairs {
        let _: () = redis::cmd("HSET").arg(key).arg(field).arg(value).query_async(&mut redis).await.unwrap();
    }
}

/// `/api/shop` for `user`, by item id.
async fn shop_items(api: &GameApi, user: u64) -> BTreeMap<String, Value> {
    let (status, shop) = api.get(user, "/api/shop").await;
    assert_eq!(status, StatusCode::OK, "{shop}");
    let items = shop["items"].as_array().expect("items");
    items.iter().map(|item| (item["id"].as_str().expect("an id").to_owned(), item.clone())).collect()
}

#[tokio::test]
async fn using_an_item_starts_a_boost_that_the_next_run_uses() {
    let api = GameApi::start().await;
    // Rush Hour (a ×2 score boost for 1 minute), a Stopwatch, an Energy: held before the
    // player is first loaded.
    hset(&api, &format!("{{p:{OTHER}}}:inv"), &[("rush", 1), ("stopwatch", 1), ("energy", 1)]).await;
    let (run, _) = api.start_run(OTHER).await;
    assert_eq!((run["seconds"].clone(), run["score_multiplier"].clone()), (json!(7), json!(1.0)), "{run}");
    let (_, me) = api.get(OTHER, "/api/me").await;
    let rush = me["inventory"].as_array().unwrap().iter().find(|item| item["id"] == "rush").cloned();
    assert_eq!(
        rush,
        Some(
            json!({ "id": "rush", "name": "Rush Hour", "qty": 1, "kind": "boost", "usable": true, "duration_seconds": 60 })
        )
    );

    let before = api.snapshot().await;
    let refusals = [
        (OTHER, json!({ "item": "no_such_item" }), StatusCode::NOT_FOUND, "unknown_item", "There is no such item."),
        (PLAYER, json!({ "item": "rush" }), StatusCode::CONFLICT, "not_owned", "You have no Rush Hour to use"),
        (
            OTHER,
            json!({ "item": "stopwatch" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_usable",
            "The Stopwatch works by being owned",
        ),
        (
            OTHER,
            json!({ "item": "energy" }),
            StatusCode::CONFLICT,
            "energy_full",
            "Your energy is already full (10/10)",
        ),
    ];
    for (user, body, status, code, message) in refusals {
        let (got, answer) = api.post(user, "/api/use", body.clone()).await;
        assert_eq!((got, answer["code"].as_str()), (status, Some(code)), "{body}: {answer}");
        assert!(error_text(&answer).starts_with(message), "{body}: {answer}");
    }
    for bad in [r#"{"item": 5}"#, r#"{"item": "rush", "qty": 2}"#, "{"] {
        let (status, answer) = api.post_raw(OTHER, "/api/use", bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
    }
    let ignore_rate_limits = |snapshot: BTreeMap<String, Vec<u8>>| {
        snapshot.into_iter().filter(|(key, _)| !key.ends_with(":rl:api")).collect::<BTreeMap<_, _>>()
    };
    assert_eq!(ignore_rate_limits(api.snapshot().await), ignore_rate_limits(before), "refused uses change nothing");

    let (status, used) = api.post(OTHER, "/api/use", json!({ "item": "rush" })).await;
    assert_eq!(status, StatusCode::OK, "{used}");
    assert_eq!((used["used"].as_str(), used["left"].as_u64()), (Some("rush"), Some(0)), "{used}");
    assert_eq!(used["boost"]["id"], "rush");
    let seconds_left = used["boost"]["seconds_left"].as_u64().expect("seconds left");
    assert!((58..=60).contains(&seconds_left), "a 1-minute boost: {used}");
    assert_eq!(used["run"], json!({ "seconds": 7, "score_multiplier": 2.0, "skin": "classic" }), "{used}");
    let (_, me) = api.get(OTHER, "/api/me").await;
    assert_eq!(me["boosts"][0]["id"], "rush", "{me}");
    assert!(me["inventory"].as_array().unwrap().iter().all(|item| item["id"] != "rush"), "{me}");
    assert_eq!(me["run"]["score_multiplier"], 2.0, "{me}");
    let (run, _) = api.start_run(OTHER).await;
    assert_eq!(run["score_multiplier"], 2.0, "the run started while Rush Hour runs: {run}");
    assert_eq!(run["max_score"], 7 * 60 * 2, "{run}");

    let (status, answer) = api.post(OTHER, "/api/use", json!({ "item": "rush" })).await;
    assert_eq!((status, answer["code"].as_str()), (StatusCode::CONFLICT, Some("not_owned")), "used up: {answer}");
    api.stop().await;
}

#[tokio::test]
async fn the_shop_says_what_each_player_may_buy_and_how_many_are_left() {
    let api = GameApi::start().await;
    // As earlier sales would have left the item slots: PLAYER owns the Pickaxe and 2 Crates
    // (the most one player may), the Rare Gem (3 made) is sold out, 1 of 2 Golden Pickaxes sold.
    hset(&api, "{i:pickaxe}:owned", &[(&PLAYER.to_string(), 1)]).await;
    hset(&api, "{i:crate}:owned", &[(&PLAYER.to_string(), 2)]).await;
    let client = redis::Client::open(api.redis.url.as_str()).unwrap();
    let mut redis = client.get_multiplexed_async_connection().await.unwrap();
    for (key, sold) in [("{i:rare}:sold", 3), ("{i:golden}:sold", 1)] {
        let _: () = redis::cmd("SET").arg(key).arg(sold).query_async(&mut redis).await.unwrap();
    }

    let fields = |item: Value| {
        let pick = ["left", "sold_out", "can_buy", "unavailable"].map(|field| (field.to_owned(), item[field].clone()));
        Value::Object(pick.into_iter().collect())
    };
    let mine = shop_items(&api, PLAYER).await;
    let mine = |id: &str| mine[id].clone();
    let unavailable = |code: &str, label: &str, text: &str| json!({ "code": code, "label": label, "text": text });
    let expected = [
        ("energy", json!({ "left": null, "sold_out": false, "can_buy": true, "unavailable": null })),
        ("golden", json!({ "left": 1, "sold_out": false, "can_buy": true, "unavailable": null })),
        (
            "pickaxe",
            json!({ "left": null, "sold_out": false, "can_buy": false,
                "unavailable": unavailable("already_owned", "Owned", "You own the Pickaxe — it's yours for good.") }),
        ),
        (
            "crate",
            json!({ "left": null, "sold_out": false, "can_buy": false,
                "unavailable": unavailable("limit_reached", "Limit reached", "You've bought 2, the most one player may.") }),
        ),
        (
            "rare",
            json!({ "left": 0, "sold_out": true, "can_buy": false,
                "unavailable": unavailable("sold_out", "Sold out", "Every Rare Gem has been sold.") }),
        ),
    ];
    for (id, wanted) in &expected {
        assert_eq!(fields(mine(id)), *wanted, "{id} for the player");
    }
    let theirs = shop_items(&api, OTHER).await;
    for id in ["pickaxe", "crate"] {
        assert_eq!(theirs[id]["can_buy"], true, "{id} for another player: {}", theirs[id]);
    }
    assert_eq!(theirs["rare"]["unavailable"]["code"], "sold_out");
    assert_eq!(
        (mine("rush")["duration_seconds"].clone(), mine("rush")["delivers"].clone()),
        (json!(60), json!("Rush Hour"))
    );
    assert_eq!(mine("starter")["delivers"], "3 Energies and 50 gems");
    assert_eq!(mine("gem_pack")["delivers"], "50 gems");

    // Buying past the limit anyway is refused with the same reason, in words for the player.
    let (status, refused) = api.post(PLAYER, "/api/buy", json!({ "item_id": "crate" })).await;
    assert_eq!((status, refused["code"].as_str()), (StatusCode::CONFLICT, Some("limit_reached")), "{refused}");
    assert_eq!(error_text(&refused), "You've reached the limit for Crate (2 per player). Nothing was charged.");
    // An open order holds nothing yet; a held unit (an approved pre-checkout) counts as sold.
    let (status, _) = api.post(OTHER, "/api/buy", json!({ "item_id": "golden" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shop_items(&api, PLAYER).await["golden"]["left"], 1);
    let hold = format!("tok{}|1", now_ms());
    let _: () = redis::cmd("ZADD")
        .arg("{i:golden}:holds")
        .arg(now_ms() + 60_000)
        .arg(hold)
        .query_async(&mut redis)
        .await
        .unwrap();
    let golden = shop_items(&api, PLAYER).await["golden"].clone();
    assert_eq!((golden["left"].clone(), golden["unavailable"]["code"].clone()), (json!(0), json!("sold_out")));
    api.stop().await;
}
