//! Property tests of everything the bot reads from outside: invoice payloads and ids, game tokens
//! and Mini App `initData`, the game API's request bodies, and designer game data.
//!
//! Every property runs a set number of cases from one fixed seed (whatever `PROPTEST_*` says), so
//! a run is repeatable and a failure prints an input that fails again. Each predicate that says
//! what a parser should accept is written here from the documented grammar, not from the parser.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use hmac::{Hmac, Mac};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{RngAlgorithm, RngSeed, TestCaseError, TestRunner};
use redis::aio::MultiplexedConnection;
use serde::de::IgnoredAny;
use serde_json::Value;
use sha2::Sha256;
use starmine::clock::now_ms;
use starmine::domain::{ChargeId, Item, ItemId, OrderId, Stars, UserId};
use starmine::game::{self, GameConfig, GameTask};
use starmine::game_data::{format_duration, load_dir, parse_duration, summary};
use starmine::game_link::{AuthError, ChatScore, ScoreTarget, Session, TelegramPort};
use starmine::http::auth::verify_init_data;
use starmine::http::{router, HttpState, PlayApi};
use starmine::reload::SharedCatalog;
use starmine::store::Store;
use tempfile::TempDir;

const SEED: u64 = 0x5354_4152_4d49_4e45;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs one property outside the `proptest!` macro (for properties that share a costly setup).
fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(config(cases));
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{failure}");
    }
}

/// Text from outside: anything at all, near misses of the shapes we parse, and huge strings.
fn untrusted_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9_]{0,34}\\.[A-Za-z0-9]{0,34}",
        "[a-z0-9_]{30,34}(\\.[A-Za-z0-9]{6,34})?",
        "[a-z0-9_A-Z.\\- é⭐\\x00\\n]{0,40}",
        "[!-~]{0,130}",
        "[!-~]{126,130}",
        vec(any::<char>(), 0..1_000).prop_map(String::from_iter),
        ("[a-z0-9_.A-Z⭐]{1,3}", 0..40_000usize).prop_map(|(unit, times)| unit.repeat(times)),
    ]
}

// Payload parsing: the documented grammar of each newtype.

fn is_item_id(raw: &str) -> bool {
    (1..=32).contains(&raw.len()) && raw.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

fn is_order_token(raw: &str) -> bool {
    (8..=32).contains(&raw.len()) && raw.bytes().all(|b| matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'))
}

/// `<item_id>.<token>`, split at the first dot.
fn is_order_id(raw: &str) -> bool {
    match raw.find('.') {
        Some(dot) => is_item_id(&raw[..dot]) && is_order_token(&raw[dot + 1..]),
        None => false,
    }
}

/// 1–128 bytes of printable ASCII without spaces.
fn is_charge_id(raw: &str) -> bool {
    (1..=128).contains(&raw.len()) && raw.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn order_ids_parse_exactly_their_grammar_and_round_trip(raw in untrusted_text()) {
        let parsed = OrderId::parse(&raw);
        prop_assert_eq!(parsed.is_some(), is_order_id(&raw));
        if let Some(order) = parsed {
            prop_assert_eq!(order.to_string(), raw.as_str());
            prop_assert!(is_item_id(order.item().as_str()), "{order}");
            prop_assert_eq!(&ItemId::parse(order.item().as_str()), &Ok(order.item().clone()));
        }
    }

    #[test]
    fn order_ids_made_of_valid_parts_parse_back(item in "[a-z0-9_]{1,32}", token in "[A-Za-z0-9]{8,32}") {
        let order = OrderId::new(ItemId::parse(&item).map_err(TestCaseError::fail)?, token);
        prop_assert_eq!(OrderId::parse(&order.to_string()), Some(order));
    }

    #[test]
    fn item_ids_are_exactly_1_to_32_of_lowercase_digits_and_underscores(raw in untrusted_text()) {
        let parsed = ItemId::parse(&raw).ok().map(|id| id.to_string());
        prop_assert_eq!(parsed, is_item_id(&raw).then(|| raw.clone()));
    }

    #[test]
    fn charge_ids_are_exactly_1_to_128_printable_ascii_bytes(raw in untrusted_text()) {
        let parsed = ChargeId::parse(&raw).ok().map(|id| id.to_string());
        prop_assert_eq!(parsed, is_charge_id(&raw).then(|| raw.clone()));
    }

    #[test]
    fn stars_are_whole_amounts_from_1_to_10000(
        amount in prop_oneof![any::<i64>(), -3i64..3, 9_997i64..10_004, Just(i64::MIN), Just(i64::MAX)],
    ) {
        let expected = u32::try_from(amount).ok().filter(|amount| (1..=10_000).contains(amount));
        prop_assert_eq!(Stars::new(amount).ok().map(Stars::get), expected);
    }
}

// Game tokens and Mini App initData.

const SECRET: &[u8] = b"properties-game-token-secret-32b";
const BOT_TOKEN: &str = "123456789:PROPERTIES-bot-token";
/// How old initData may be in these checks (the API allows a day).
const MAX_AGE_SECS: i64 = 24 * 3600;

fn score_target() -> impl Strategy<Value = ScoreTarget> {
    prop_oneof![
        (any::<i64>(), any::<i32>()).prop_map(|(chat, message)| ScoreTarget::Message { chat, message }),
        // Telegram's inline message ids are never empty.
        vec(any::<char>(), 1..64).prop_map(|id| ScoreTarget::Inline { id: String::from_iter(id) }),
        Just(ScoreTarget::None),
    ]
}

fn session() -> impl Strategy<Value = Session> {
    (any::<u64>(), score_target(), any::<i64>()).prop_map(|(user, target, expires_at_ms)| Session {
        user: UserId(user),
        target,
        expires_at_ms,
    })
}

/// A `GAME_TOKEN_SECRET`: at least 16 characters from the environment, so never NUL (HMAC pads
/// keys with zero bytes: `k` and `k\0` are one key).
fn secret() -> impl Strategy<Value = Vec<u8>> {
    "[^\\x00]{16,80}".prop_map(String::into_bytes)
}

/// A moment `ago` + 1 ms before `expires_at_ms`, or the earliest there is.
fn before(expires_at_ms: i64, ago: u64) -> i64 {
    i64::try_from(i128::from(expires_at_ms) - 1 - i128::from(ago)).unwrap_or(i64::MIN)
}

/// One byte of an ASCII token replaced, inserted or deleted; the result is still ASCII.
#[derive(Clone, Debug)]
enum ByteEdit {
    /// XOR with a non-zero mask below 128.
    Replace(Index, u8),
    Insert(Index, u8),
    Delete(Index),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), 1..128u8).prop_map(|(at, mask)| ByteEdit::Replace(at, mask)),
        (any::<Index>(), 0..128u8).prop_map(|(at, byte)| ByteEdit::Insert(at, byte)),
        any::<Index>().prop_map(ByteEdit::Delete),
    ]
}

impl ByteEdit {
    fn apply(&self, token: &str) -> String {
        let mut bytes = token.as_bytes().to_vec();
        let len = bytes.len();
        match *self {
            Self::Replace(at, mask) => bytes[at.index(len)] ^= mask,
            Self::Insert(at, byte) => bytes.insert(at.index(len + 1), byte),
            Self::Delete(at) => {
                bytes.remove(at.index(len));
            }
        }
        String::from_utf8(bytes).expect("an edited ASCII token is ASCII")
    }
}

/// `v1.<payload>.<mac>`, both base64url, as `Session::sign` writes tokens.
fn token_of(payload: &[u8], mac: &[u8]) -> String {
    use base64::Engine;
    let base64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("v1.{}.{}", base64.encode(payload), base64.encode(mac))
}

/// Tokens nobody signed: any text, and well-formed tokens with a made-up MAC.
fn unsigned_token() -> impl Strategy<Value = String> {
    let payload = prop_oneof![
        vec(any::<u8>(), 0..64),
        (any::<u64>(), any::<i64>(), "n|m:-1:2|i:[a-z]{1,8}")
            .prop_map(|(user, expiry, target)| format!("{user}|{expiry}|{target}").into_bytes()),
    ];
    prop_oneof![
        untrusted_text(),
        (payload, prop_oneof![vec(any::<u8>(), 32), vec(any::<u8>(), 0..40)])
            .prop_map(|(payload, mac)| token_of(&payload, &mac)),
    ]
}

/// initData as Telegram signs it for the bot with `bot_token` (see `http::auth`).
fn signed_init_data(bot_token: &str, fields: &BTreeMap<String, String>) -> String {
    let check = fields.iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>().join("\n");
    let mut secret = Hmac::<Sha256>::new_from_slice(b"WebAppData").expect("any key length");
    secret.update(bot_token.as_bytes());
    let mut signer = Hmac::<Sha256>::new_from_slice(&secret.finalize().into_bytes()).expect("any key length");
    signer.update(check.as_bytes());
    let hash: String = signer.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(fields);
    query.append_pair("hash", &hash).finish()
}

/// Fields besides `auth_date`, `user` and `hash`, as a Mini App may get them (no raw newlines:
/// Telegram's check string joins fields with them).
fn extra_fields() -> impl Strategy<Value = BTreeMap<String, String>> {
    let key = "[a-z_]{1,12}"
        .prop_filter("not a field the check reads", |key| !matches!(key.as_str(), "auth_date" | "user" | "hash"));
    btree_map(key, "[^\\n]{0,24}", 0..4)
}

/// Form-encoded fields nobody signed, with the names initData uses among others.
fn unsigned_init_data() -> impl Strategy<Value = String> {
    let key = prop_oneof![Just("auth_date".to_owned()), Just("user".to_owned()), Just("hash".to_owned()), ".{0,8}"];
    let value = prop_oneof![".{0,40}", "[0-9a-f]{64}", Just(r#"{"id":42}"#.to_owned()), "[0-9]{1,12}"];
    let form = vec((key, value), 0..6)
        .prop_map(|fields| url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish());
    prop_oneof![untrusted_text(), form]
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn tokens_verify_as_the_session_they_were_signed_for_until_it_expires(
        session in session(),
        secret in secret(),
        ago in any::<u64>(),
    ) {
        prop_assume!(session.expires_at_ms > i64::MIN, "no moment is before the earliest expiry");
        let token = session.sign(&secret);
        prop_assert_eq!(Session::verify(&token, &secret, before(session.expires_at_ms, ago)), Ok(session.clone()));
        let after = session.expires_at_ms.saturating_add_unsigned(ago);
        prop_assert_eq!(Session::verify(&token, &secret, after), Err(AuthError::Expired));
    }

    #[test]
    fn any_one_byte_edit_of_a_token_is_refused(session in session(), secret in secret(), edit in byte_edit()) {
        let token = session.sign(&secret);
        let edited = edit.apply(&token);
        let verdict = Session::verify(&edited, &secret, i64::MIN);
        prop_assert!(
            matches!(verdict, Err(AuthError::Malformed | AuthError::BadSignature)),
            "{edited} (from {token}) gave {verdict:?}"
        );
    }

    #[test]
    fn a_token_never_verifies_under_another_secret(session in session(), secret in secret(), other in secret()) {
        prop_assume!(secret != other);
        prop_assert_eq!(Session::verify(&session.sign(&secret), &other, i64::MIN), Err(AuthError::BadSignature));
    }

    #[test]
    fn unsigned_tokens_are_refused(token in unsigned_token()) {
        let verdict = Session::verify(&token, SECRET, i64::MIN);
        prop_assert!(matches!(verdict, Err(AuthError::Malformed | AuthError::BadSignature)), "{verdict:?}");
    }

    #[test]
    fn unsigned_init_data_is_refused(init_data in unsigned_init_data()) {
        let verdict = verify_init_data(&init_data, BOT_TOKEN, now_ms(), MAX_AGE_SECS);
        prop_assert!(matches!(verdict, Err(AuthError::Malformed | AuthError::BadSignature)), "{verdict:?}");
    }

    #[test]
    fn signed_init_data_names_its_user_for_its_bot_only(
        user in any::<u64>(),
        age in 0..=MAX_AGE_SECS,
        extra in extra_fields(),
        other_bot in "[0-9]{1,10}:[A-Za-z0-9_-]{1,40}",
        tamper in any::<Index>(),
    ) {
        prop_assume!(other_bot != BOT_TOKEN);
        let now = now_ms();
        let auth_date = now / 1000 - age;
        let mut fields = extra;
        fields.insert("auth_date".into(), auth_date.to_string());
        fields.insert("user".into(), format!(r#"{{"id":{user},"first_name":"Ann"}}"#));
        let init_data = signed_init_data(BOT_TOKEN, &fields);
        let session = verify_init_data(&init_data, BOT_TOKEN, now, MAX_AGE_SECS);
        prop_assert_eq!(session.map(|session| session.user), Ok(UserId(user)));
        prop_assert_eq!(verify_init_data(&init_data, &other_bot, now, MAX_AGE_SECS), Err(AuthError::BadSignature));
        // The same hash over one changed value.
        let hash = url::form_urlencoded::parse(init_data.as_bytes()).find(|(key, _)| key == "hash").unwrap().1;
        let key = fields.keys().nth(tamper.index(fields.len())).unwrap().clone();
        fields.get_mut(&key).unwrap().push('0');
        let mut tampered = url::form_urlencoded::Serializer::new(String::new());
        tampered.extend_pairs(&fields).append_pair("hash", &hash);
        let verdict = verify_init_data(&tampered.finish(), BOT_TOKEN, now, MAX_AGE_SECS);
        prop_assert_eq!(verdict, Err(AuthError::BadSignature), "{} changed", key);
    }
}

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

/// A private `redis-server` on a free loopback port, killed on drop.
struct TestRedis {
    child: std::process::Child,
    url: String,
    _dir: TempDir,
}

impl TestRedis {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        for _attempt in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .expect("a free port")
                .port();
            let mut child = std::process::Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(dir.path())
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("redis-server is on PATH (apt-get install redis-server)");
            let url = format!("redis://127.0.0.1:{port}");
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            while child.try_wait().ok().flatten().is_none() && tokio::time::Instant::now() < deadline {
                if connect(&url).await.is_some() {
                    return Self { child, url, _dir: dir };
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("redis-server did not start");
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
    fn invoice_link<'a>(&'a self, _: &'a Item, _: &'a str, _: u32) -> BoxFuture<'a, Result<String, String>> {
        self.count();
        Box::pin(async { Ok("https://t.me/$invoice".to_owned()) })
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
        let redis = TestRedis::start().await;
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
fn json_value() -> impl Strategy<Value = Value> {
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

// Game data loading.

const GAME_DATA_NAMES: [&str; 5] = ["items.toml", "loot.toml", "settings.toml", "extra.toml", "notes.txt"];

fn read_game_data(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    ["items.toml", "loot.toml", "settings.toml"]
        .into_iter()
        .map(|name| (name.to_owned(), std::fs::read(dir.join(name)).expect("read game data")))
        .collect()
}

/// The lines an editor shows for `bytes`; an empty file has one.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&byte| byte == b'\n').count();
    if bytes.last().is_none_or(|&last| last != b'\n') {
        newlines + 1
    } else {
        newlines
    }
}

fn write_dir(files: &BTreeMap<String, Vec<u8>>) -> TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write game data");
    }
    dir
}

/// Writes `files` to a fresh directory and checks what `load_dir` makes of it.
fn check_load(files: &BTreeMap<String, Vec<u8>>) -> Result<(), TestCaseError> {
    let dir = write_dir(files);
    let loaded = load_dir(dir.path());
    match &loaded {
        Ok(catalog) => {
            prop_assert!(files.contains_key("items.toml") && files.contains_key("loot.toml"));
            let line = summary(catalog);
            prop_assert!(line.starts_with("game_data: ") && !line.contains(['\n', '\r']), "{line}");
        }
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "refused without a problem");
            for problem in problems {
                let name = problem.file.strip_prefix(dir.path()).ok().and_then(Path::to_str);
                let lines = match name.and_then(|name| files.get(name)) {
                    Some(bytes) => line_count(bytes),
                    None => {
                        prop_assert!(matches!(name, Some("items.toml" | "loot.toml")), "{problem}");
                        1
                    }
                };
                prop_assert!((1..=lines).contains(&problem.line), "{problem}, but the file has {lines} lines");
            }
            let order: Vec<_> = problems.iter().map(|problem| (&problem.file, problem.line)).collect();
            prop_assert!(order.is_sorted(), "problems out of order: {problems:?}");
        }
    }
    let again = load_dir(dir.path());
    prop_assert_eq!(loaded.map(|catalog| summary(&catalog)), again.map(|catalog| summary(&catalog)));
    Ok(())
}

/// Designer files of any content, TOML-looking or not, under the names `load_dir` reads or not.
fn arbitrary_files() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    let bytes = prop_oneof![
        vec(any::<u8>(), 0..256),
        "[a-z_\\[\\]=\"' .0-9#{},\n]{0,300}".prop_map(String::into_bytes),
        any::<String>().prop_map(String::into_bytes),
    ];
    btree_map(proptest::sample::select(&GAME_DATA_NAMES[..]).prop_map(str::to_owned), bytes, 0..5)
}

/// One edit of a real designer file: whole lines deleted, duplicated, swapped or cut short, a
/// byte flipped (possibly out of UTF-8), or the file removed.
#[derive(Clone, Debug)]
enum FileEdit {
    DeleteLine(Index, Index),
    DuplicateLine(Index, Index),
    SwapLines(Index, Index, Index),
    TruncateLine(Index, Index, Index),
    FlipByte(Index, Index, u8),
    Remove(Index),
}

fn file_edit() -> impl Strategy<Value = FileEdit> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>()).prop_map(|(file, line)| FileEdit::DeleteLine(file, line)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(file, line)| FileEdit::DuplicateLine(file, line)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(file, a, b)| FileEdit::SwapLines(file, a, b)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(file, line, at)| FileEdit::TruncateLine(file, line, at)),
        3 => (any::<Index>(), any::<Index>(), 1..=255u8).prop_map(|(file, at, mask)| FileEdit::FlipByte(file, at, mask)),
        1 => any::<Index>().prop_map(FileEdit::Remove),
    ]
}

impl FileEdit {
    fn apply(&self, files: &mut BTreeMap<String, Vec<u8>>) {
        let (Self::DeleteLine(file, ..)
        | Self::DuplicateLine(file, ..)
        | Self::SwapLines(file, ..)
        | Self::TruncateLine(file, ..)
        | Self::FlipByte(file, ..)
        | Self::Remove(file)) = self;
        if files.is_empty() {
            return;
        }
        let name = files.keys().nth(file.index(files.len())).expect("a file").clone();
        if let Self::Remove(_) = self {
            files.remove(&name);
            return;
        }
        let bytes = files.get_mut(&name).expect("a file");
        if bytes.is_empty() {
            return;
        }
        let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|&byte| byte == b'\n').map(<[u8]>::to_vec).collect();
        let count = lines.len();
        match *self {
            Self::DeleteLine(_, line) => {
                lines.remove(line.index(count));
            }
            Self::DuplicateLine(_, line) => {
                let copy = lines[line.index(count)].clone();
                lines.insert(line.index(count), copy);
            }
            Self::SwapLines(_, a, b) => lines.swap(a.index(count), b.index(count)),
            Self::TruncateLine(_, line, at) => {
                let line = &mut lines[line.index(count)];
                line.truncate(at.index(line.len()));
            }
            Self::FlipByte(_, at, mask) => {
                let at = at.index(bytes.len());
                bytes[at] ^= mask;
                return;
            }
            Self::Remove(_) => unreachable!("handled above"),
        }
        *bytes = lines.concat();
    }
}

/// The shipped game data or the test fixture, with 1 to 6 edits.
fn edited_real_files() -> impl Strategy<Value = BTreeMap<String, Vec<u8>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [read_game_data(&root.join("game_data")), read_game_data(&root.join("tests/fixtures/game_data"))];
    (proptest::sample::select(sources.to_vec()), vec(file_edit(), 1..=6)).prop_map(|(mut files, edits)| {
        for edit in &edits {
            edit.apply(&mut files);
        }
        files
    })
}

#[test]
fn the_real_game_data_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [root.join("game_data"), root.join("tests/fixtures/game_data")] {
        let catalog = load_dir(&dir).unwrap_or_else(|problems| panic!("{}: {problems:?}", dir.display()));
        assert!(!summary(&catalog).contains('\n'));
    }
}

/// What `parse_duration` should accept, from its documentation: whole numbers each followed by
/// d, h, m or s, units from largest to smallest and each at most once, more than zero and at most
/// 365 days in all. Returns the seconds.
fn expected_duration(text: &str) -> Option<u64> {
    const UNITS: [(u8, u128); 4] = [(b'd', 86_400), (b'h', 3_600), (b'm', 60), (b's', 1)];
    let bytes = text.as_bytes();
    let (mut at, mut next_unit, mut total) = (0, 0, 0u128);
    if bytes.is_empty() {
        return None;
    }
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        let unit = UNITS.iter().position(|&(name, _)| Some(&name) == bytes.get(at))?;
        if at == start || unit < next_unit {
            return None;
        }
        // More than 12 significant digits is more than 365 days in any unit.
        let digits = text[start..at].trim_start_matches('0');
        if digits.len() > 12 {
            return None;
        }
        total += digits.parse::<u128>().unwrap_or(0) * UNITS[unit].1;
        next_unit = unit + 1;
        at += 1;
    }
    u64::try_from(total).ok().filter(|&seconds| (1..=365 * 86_400).contains(&seconds))
}

fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9dhms]{0,10}",
        "(0{0,3}[0-9]{1,4}[dhms]){1,4}",
        "[0-9]{6,24}[dhms]",
        // Around the 365-day cap, in each unit.
        "36[0-9]d|87[56][0-9]h|525[0-9]{3}m|315[0-9]{5}s|365d[0-9]{1,2}s|364d2[34]h",
        "[0-9]{1,3}[dhmsDHMS x.\\-⭐]{1,2}[0-9]{0,3}",
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_game_data_is_refused_or_loaded_with_problems_on_real_lines(files in arbitrary_files()) {
        check_load(&files)?;
    }

    #[test]
    fn edited_real_game_data_is_refused_or_loaded_with_problems_on_real_lines(files in edited_real_files()) {
        check_load(&files)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn durations_parse_exactly_their_grammar_and_round_trip(text in duration_text()) {
        let parsed = parse_duration(&text);
        prop_assert_eq!(parsed.as_ref().ok().map(Duration::as_secs), expected_duration(&text), "{:?}", parsed);
        if let Ok(duration) = parsed {
            prop_assert_eq!(parse_duration(&format_duration(duration)), Ok(duration));
        }
    }

    #[test]
    fn every_allowed_duration_prints_as_text_that_parses_back(seconds in 1..=365 * 86_400u64) {
        let text = format_duration(Duration::from_secs(seconds));
        prop_assert_eq!(parse_duration(&text), Ok(Duration::from_secs(seconds)), "{}", text);
    }
}

/// A real `successful_payment` or `refunded_payment` update as Telegram sends it.
fn payment_update(refund: bool) -> Value {
    let payment = if refund {
        serde_json::json!({ "refunded_payment": {
            "currency": "XTR", "total_amount": 5, "invoice_payload": "energy.AbCdEf12",
            "telegram_payment_charge_id": "stx123"
        }})
    } else {
        serde_json::json!({ "successful_payment": {
            "currency": "XTR", "total_amount": 5, "invoice_payload": "energy.AbCdEf12",
            "telegram_payment_charge_id": "stx123", "provider_payment_charge_id": ""
        }})
    };
    let mut message = serde_json::json!({
        "message_id": 7, "date": 1_700_000_000,
        "chat": { "id": 42, "type": "private", "first_name": "A" },
        "from": { "id": 42, "is_bot": false, "first_name": "A" },
    });
    if let (Some(object), Some(fields)) = (message.as_object_mut(), payment.as_object()) {
        object.extend(fields.clone());
    }
    serde_json::json!({ "update_id": 10, "message": message })
}

/// Every JSON pointer in `value` (objects and arrays), the root first.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(key, inner)| pointers(inner, format!("{at}/{key}"), out)),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, inner)| pointers(inner, format!("{at}/{i}"), out))
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Webhook and getUpdates input: a payment update with one field replaced by anything, or
    /// removed. Reading it never panics, and an update that reads as a payment message is
    /// always one the intake journals before confirming it.
    #[test]
    fn payment_updates_with_any_field_changed_are_read_or_skipped_and_never_slip_past_the_journal(
        refund in any::<bool>(),
        at in any::<Index>(),
        replacement in prop_oneof![json_value().prop_map(Some), Just(None)],
    ) {
        use starmine::telegram::intake::{moves_money, parse};
        use teloxide::types::{MessageKind, UpdateKind};
        let mut raw = payment_update(refund);
        let mut all = Vec::new();
        pointers(&raw, String::new(), &mut all);
        let target = all[at.index(all.len())].clone();
        match (target.rsplit_once('/'), replacement) {
            (None, Some(value)) => raw = value,
            (None, None) => raw = Value::Null,
            (Some(_), Some(value)) => *raw.pointer_mut(&target).expect("a pointer from the value") = value,
            (Some((parent, key)), None) => {
                match raw.pointer_mut(parent) {
                    Some(Value::Object(map)) => { map.remove(key); }
                    Some(Value::Array(items)) => { items.remove(key.parse::<usize>().unwrap_or(0).min(items.len().saturating_sub(1))); }
                    _ => {}
                }
            }
        }
        if let Some(update) = parse(&raw.to_string()) {
            let is_payment = matches!(
                &update.kind,
                UpdateKind::Message(message)
                    if message.successful_payment().is_some() || matches!(message.kind, MessageKind::RefundedPayment(_))
            );
            prop_assert_eq!(is_payment, moves_money(&update), "journaled if and only if a payment: {}", raw);
        }
    }
}

/// The property above starts from updates that do read as payments.
#[test]
fn the_payment_update_templates_read_as_payments_and_move_money() {
    use starmine::telegram::intake::{moves_money, parse};
    for refund in [false, true] {
        let raw = payment_update(refund);
        let update = parse(&raw.to_string()).unwrap_or_else(|| panic!("the template reads: {raw}"));
        assert!(moves_money(&update));
        let teloxide::types::UpdateKind::Message(message) = update.kind else { panic!("a message: {raw}") };
        assert!(
            message.successful_payment().is_some()
                || matches!(message.kind, teloxide::types::MessageKind::RefundedPayment(_))
        );
    }
}
