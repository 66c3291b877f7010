//! The game API: bad bodies get a 4xx and change nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use redis::aio::MultiplexedConnection;
use serde::de::IgnoredAny;
use serde_json::Value;
use starmine::clock::now_ms;
use starmine::domain::{Item, Lang, UserId};
use starmine::game::{self, GameConfig, GameTask};
use starmine::game_data::load_dir;
use starmine::game_link::{ChatScore, ScoreTarget, Session, TelegramPort};
use starmine::http::{router, HttpState, PlayApi};
use starmine::reload::SharedCatalog;
use starmine::store::Store;
use tempfile::TempDir;

use super::auth::{byte_edit, BOT_TOKEN, SECRET};
use super::game_data::read_game_data;
use super::run;
use crate::harness::TestRedis;
use starmine::store::private_server::Persistence;

// The game API: bad bodies get a 4xx and change nothing.

/// The player whose calls the properties make.
const PLAYER: u64 = 5151;
/// Longest run game data allows, so the live run cannot be finished while the properties run.
const RUN_SECONDS: &str = "run_seconds = 600";
/// Bodies above this are refused before they are parsed (`http::api::MAX_BODY`).
const MAX_BODY: usize = 4 * 1024;
/// The API rate limiter counts every call by design: it is reset before each case and left out
/// of snapshots (its keys end with this), so a refused call must leave every other key alone.
const RATE_LIMIT_SUFFIX: &str = ":rl:api";

async fn connect(url: &str) -> Option<MultiplexedConnection> {
    let mut connection = redis::Client::open(url).ok()?.get_multiplexed_async_connection().await.ok()?;
    let pong: String = redis::cmd("PING").query_async(&mut connection).await.ok()?;
    (pong == "PONG").then_some(connection)
}

/// Telegram's stand-in: a refused call must not reach it, so it only counts calls.
#[derive(Default)]
struct CountingTelegram {
    calls: Mutex<usize>,
}

impl CountingTelegram {
    fn count(&self) {
        *self.calls.lock().unwrap() += 1;
    }
}

impl TelegramPort for CountingTelegram {
    fn invoice_link<'a>(&'a self, _: &'a Item, _: Lang, _: &'a str, _: u32) -> BoxFuture<'a, Result<String, String>> {
        self.count();
        Box::pin(async { Ok("https://t.me/$invoice".to_owned()) })
    }

    fn gift_invoice_link<'a>(
        &'a self,
        item: &'a Item,
        lang: Lang,
        payload: &'a str,
        amount: u32,
        _: &'a str,
    ) -> BoxFuture<'a, Result<String, String>> {
        self.invoice_link(item, lang, payload, amount)
    }

    fn report_score(&self, _: UserId, _: u64, _: ScoreTarget) {
        self.count();
    }

    fn high_scores<'a>(&'a self, _: UserId, _: &'a ScoreTarget) -> BoxFuture<'a, Result<Vec<ChatScore>, String>> {
        self.count();
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// The router on a loopback port with a real game loop, Redis and the fixture catalog (with
/// 10-minute runs), and one live run of [`PLAYER`].
struct Api {
    redis: TestRedis,
    redis_conn: MultiplexedConnection,
    base: String,
    client: reqwest::Client,
    telegram: Arc<CountingTelegram>,
    catalog: SharedCatalog,
    game: GameTask,
    live_run: String,
    _game_data: TempDir,
}

impl Api {
    async fn start() -> Self {
        let game_data = long_run_game_data();
        let catalog = load_dir(game_data.path()).expect("the fixture game data with long runs loads");
        let catalog = SharedCatalog::new(catalog);
        let redis = TestRedis::start_with(Persistence::None).await;
        let redis_conn = connect(&redis.url).await.expect("Redis answers");
        let store = Store::connect(std::slice::from_ref(&redis.url)).await.expect("Redis answers");
        let (notices, _) = tokio::sync::mpsc::unbounded_channel();
        let (handle, game) = game::spawn(store.clone(), catalog.clone(), GameConfig::default(), notices);
        let telegram = Arc::new(CountingTelegram::default());
        let play = PlayApi {
            game: handle,
            catalog: catalog.clone(),
            token_secret: Arc::new(SECRET.to_vec()),
            bot_token: Arc::new(BOT_TOKEN.to_owned()),
            telegram: telegram.clone(),
        };
        let api_max_in_flight = starmine::config::HttpLimits::default().api_max_in_flight;
        let app = router(HttpState { store, play: Some(play), api_max_in_flight });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the router serves") });
        let mut api = Self {
            redis,
            redis_conn,
            base,
            client: reqwest::Client::new(),
            telegram,
            catalog,
            game,
            live_run: String::new(),
            _game_data: game_data,
        };
        let (status, run) = api.post("/api/runs", b"{}".to_vec()).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{run}");
        let run: Value = serde_json::from_str(&run).expect("a JSON run");
        api.live_run = run["run_id"].as_str().expect("a run id").to_owned();
        api
    }

    async fn post(&self, path: &str, body: Vec<u8>) -> (reqwest::StatusCode, String) {
        let token = Session { user: UserId(PLAYER), target: ScoreTarget::None, expires_at_ms: now_ms() + 3_600_000 }
            .sign(SECRET);
        let request = self.client.post(format!("{}{path}", self.base)).bearer_auth(token);
        let response =
            request.header("content-type", "application/json").body(body).send().await.expect("the router answers");
        let status = response.status();
        (status, response.text().await.expect("a body"))
    }

    /// Every key but the rate limiter's, with its serialized value.
    async fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut redis = self.redis_conn.clone();
        let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut redis).await.expect("KEYS");
        let mut snapshot = BTreeMap::new();
        for key in keys.into_iter().filter(|key| !key.ends_with(RATE_LIMIT_SUFFIX)) {
            let dump: Option<Vec<u8>> = redis::cmd("DUMP").arg(&key).query_async(&mut redis).await.expect("DUMP");
            snapshot.insert(key, dump.unwrap_or_default());
        }
        snapshot
    }

    async fn reset_rate_limit(&self) {
        let mut redis = self.redis_conn.clone();
        let pattern = format!("*{RATE_LIMIT_SUFFIX}");
        let keys: Vec<String> = redis::cmd("KEYS").arg(pattern).query_async(&mut redis).await.expect("KEYS");
        for key in keys {
            let () = redis::cmd("DEL").arg(key).query_async(&mut redis).await.expect("DEL");
        }
    }

    /// Posts `body` to `path` and checks it is refused with a 4xx, `{"error": ...}` when
    /// `json_error`, and that Redis and Telegram saw nothing.
    async fn refused(&self, path: &str, body: Vec<u8>, json_error: bool) -> Result<(), TestCaseError> {
        self.reset_rate_limit().await;
        let before = self.snapshot().await;
        let (status, answer) = self.post(path, body).await;
        prop_assert!(status.is_client_error(), "{path} answered {status}: {answer}");
        if json_error {
            let error = serde_json::from_str::<Value>(&answer).ok().filter(|answer| answer["error"].is_string());
            prop_assert!(error.is_some(), "{path} answered {status} without a JSON error: {answer}");
        }
        prop_assert!(self.snapshot().await == before, "{path} answered {status} ({answer}) but changed Redis");
        prop_assert_eq!(*self.telegram.calls.lock().unwrap(), 0, "{} reached Telegram", path);
        Ok(())
    }

    async fn stop(self) {
        self.game.stop().await;
        drop(self.redis);
    }
}

/// The fixture game data with 10-minute runs.
fn long_run_game_data() -> TempDir {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, text) in read_game_data(&fixture) {
        let mut text = String::from_utf8(text).expect("UTF-8 game data");
        if name == "settings.toml" {
            let run = text.lines().find(|line| line.starts_with("run_seconds")).expect("run_seconds").to_owned();
            text = text.replace(&run, RUN_SECONDS);
        }
        std::fs::write(dir.path().join(name), text).expect("write game data");
    }
    dir
}

/// JSON of any shape, with the API's own field names among the keys.
pub(super) fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(Value::from("stopwatch")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let key = prop_oneof![Just("score"), Just("mined"), Just("item_id"), Just("run_id")].prop_map(str::to_owned);
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::from),
            btree_map(prop_oneof![key, ".{0,6}"], inner, 0..4).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Bodies: random bytes, bytes around the size limit, JSON of any shape, the real bodies with
/// wrong fields, and the real bodies with one byte edited.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let near_miss = btree_map(
        prop_oneof![
            Just("score".to_owned()),
            Just("mined".to_owned()),
            Just("item_id".to_owned()),
            Just("item".to_owned()),
            "[a-z_]{1,8}"
        ],
        json_value(),
        0..4,
    )
    .prop_map(|fields| Value::Object(fields.into_iter().collect()));
    let real = prop_oneof![
        Just(r#"{"score":10}"#),
        Just(r#"{"score":10,"mined":3}"#),
        Just(r#"{"item_id":"stopwatch"}"#),
        Just(r#"{"item":"rush"}"#),
    ];
    prop_oneof![
        vec(any::<u8>(), 0..64),
        vec(any::<u8>(), MAX_BODY - 8..MAX_BODY + 64),
        json_value().prop_map(|value| value.to_string().into_bytes()),
        near_miss.prop_map(|value| value.to_string().into_bytes()),
        (real, byte_edit()).prop_map(|(body, edit)| edit.apply(body).into_bytes()),
        (0..10_000i64).prop_map(|score| format!(r#"{{"score":{score}}}"#).into_bytes()),
        (MAX_BODY..MAX_BODY * 2).prop_map(|len| format!(r#"{{"item_id":"{}"}}"#, "x".repeat(len)).into_bytes()),
    ]
}

/// Where a finish is posted: the live run, a run id nobody started, or any text at all.
#[derive(Clone, Debug)]
enum RunTarget {
    Live,
    Unknown(String),
    Arbitrary(Vec<u8>),
}

fn run_target() -> impl Strategy<Value = RunTarget> {
    prop_oneof![
        2 => Just(RunTarget::Live),
        1 => "r[A-Za-z0-9]{12}".prop_map(RunTarget::Unknown),
        1 => vec(any::<u8>(), 1..20).prop_map(RunTarget::Arbitrary),
    ]
}

#[test]
fn the_game_api_refuses_bad_bodies_with_a_4xx_and_changes_nothing() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let api = runtime.block_on(Api::start());
    let start = runtime.block_on(api.snapshot());

    run(100, (run_target(), body()), |(target, body)| {
        let run_id = match &target {
            RunTarget::Live => api.live_run.clone(),
            RunTarget::Unknown(run_id) => run_id.clone(),
            RunTarget::Arbitrary(bytes) => bytes.iter().map(|byte| format!("%{byte:02X}")).collect(),
        };
        prop_assume!(run_id != api.live_run || matches!(target, RunTarget::Live));
        let path = format!("/api/runs/{run_id}/finish");
        runtime.block_on(api.refused(&path, body, !matches!(target, RunTarget::Arbitrary(_))))
    });

    let catalog = api.catalog.current();
    let purchase = |body: &[u8]| {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Buy {
            item_id: String,
        }
        serde_json::from_slice::<Buy>(body).is_ok_and(|buy| catalog.find(&buy.item_id).is_some())
    };
    run(100, body(), |body| {
        prop_assume!(!purchase(&body), "a good purchase");
        runtime.block_on(api.refused("/api/buy", body, true))
    });

    // The player holds nothing: every use is refused (not owned, no such item, a bad body).
    run(100, body(), |body| runtime.block_on(api.refused("/api/use", body, true)));

    // Any JSON body starts a run (the body is ignored); anything else is refused.
    let starts_a_run = |body: &[u8]| body.len() <= MAX_BODY && serde_json::from_slice::<IgnoredAny>(body).is_ok();
    run(100, body(), |body| {
        prop_assume!(!body.is_empty() && !starts_a_run(&body), "a JSON body");
        runtime.block_on(api.refused("/api/runs", body, true))
    });

    assert!(runtime.block_on(api.snapshot()) == start, "the refused calls changed Redis");
    runtime.block_on(api.stop());
}
