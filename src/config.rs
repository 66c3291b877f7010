//! Typed configuration, read once from the environment at start-up. Every problem is reported
//! together; the bot token never appears in `Debug` output or logs. The HTTP side's settings
//! are in [`http`], the update intake's bound on work in flight in [`intake`].

mod http;
mod intake;

use std::fmt;
use std::path::PathBuf;

use url::Url;

pub use self::http::{HttpConfig, HttpLimits};
pub use self::intake::IntakeLimits;
use crate::domain::UserId;

/// The bot token. `Debug` prints only the bot id part.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bot_id = self.0.split(':').next().unwrap_or("?");
        write!(f, "Token({bot_id}:***)")
    }
}

/// A secret of our own (not the bot token): `Debug` shows none of it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Where Redis is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedisTarget {
    /// `REDIS_URL`: one URL, or several for the seed nodes of a cluster.
    Urls(Vec<String>),
    /// Unset: the private server on `<dir>/redis.sock`.
    Private { dir: PathBuf },
}

/// Outgoing message limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendLimits {
    /// Telegram's documented limits (the default).
    Telegram,
    /// No limits, as with paid broadcasts: for benchmarks.
    Off,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub token: Option<Token>,
    pub api_url: Option<Url>,
    pub redis: RedisTarget,
    pub game_data_dir: PathBuf,
    pub admins: Vec<UserId>,
    /// Listeners and their limits.
    pub http: HttpConfig,
    pub send_limits: SendLimits,
    /// `INTAKE_MAX_IN_FLIGHT`, `INTAKE_MAX_QUERIES_IN_FLIGHT`: updates in hand before intake waits.
    pub intake: IntakeLimits,
    /// `GAME_TICK_MS` (default 50) and `LOOT_SEED` (default: random, logged).
    pub game: crate::game::GameConfig,
    /// The HTML5 game (`PUBLIC_URL`, `GAME_SHORT_NAME`, `GAME_TOKEN_SECRET`); None = `/play` off.
    pub play: Option<PlayConfig>,
    /// Webhook mode (`WEBHOOK_URL`, `WEBHOOK_SECRET`); None = long polling.
    pub webhook: Option<WebhookConfig>,
    /// `RECONCILE_EVERY_S` (default 60; 0 = off): the periodic pass over the Star ledger.
    pub reconcile_every: Option<std::time::Duration>,
    /// `LEDGER_GRACE_S` (default 600): how long after we record a payment the Star ledger, read
    /// to its end, must show it before the payment is voided as one Telegram never made.
    pub ledger_grace: std::time::Duration,
    /// `ADMIN_SESSION_SECRET`: signs the operator console's sign-in links and session cookies;
    /// None = the console is off (the sandbox makes one up).
    pub admin_session_secret: Option<Secret>,
}

/// Webhook mode: Telegram POSTs updates to `url`, which reaches this process's HTTP server at
/// `url`'s path (through a load balancer or a reverse proxy doing TLS).
#[derive(Clone)]
pub struct WebhookConfig {
    pub url: Url,
    pub secret: Token,
}

impl fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookConfig").field("url", &self.url.as_str()).field("secret", &"***").finish()
    }
}

/// Everything the HTML5 game needs; all three variables or none.
#[derive(Clone)]
pub struct PlayConfig {
    /// Base URL the game page is reached at (its `/game/` path is appended).
    pub public_url: Url,
    pub short_name: String,
    pub token_secret: Token,
}

impl fmt::Debug for PlayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlayConfig")
            .field("public_url", &self.public_url.as_str())
            .field("short_name", &self.short_name)
            .field("token_secret", &"***")
            .finish()
    }
}

impl PlayConfig {
    pub const VARIABLES: [&'static str; 3] = ["PUBLIC_URL", "GAME_SHORT_NAME", "GAME_TOKEN_SECRET"];
}

/// Every environment variable [`Config::from_lookup`] reads (a test checks the two agree, and
/// the deployment files and the README's going-live guide name no other). `RUST_LOG` is read by
/// the log set-up in `cli`, [`LOG_FILTER`].
pub const VARIABLES: [&str; 26] = [
    "TELOXIDE_TOKEN",
    "TELOXIDE_API_URL",
    "REDIS_URL",
    "GAME_DATA_DIR",
    "ADMIN_USER_IDS",
    "HTTP_ADDR",
    "WEBHOOK_ADDR",
    "METRICS_ADDR",
    "HTTP_MAX_CONNECTIONS",
    "HTTP_HEADER_TIMEOUT_MS",
    "HTTP_IDLE_TIMEOUT_S",
    "HTTP_REQUEST_TIMEOUT_S",
    "HTTP_API_MAX_IN_FLIGHT",
    "SEND_LIMITS",
    "INTAKE_MAX_IN_FLIGHT",
    "INTAKE_MAX_QUERIES_IN_FLIGHT",
    "GAME_TICK_MS",
    "LOOT_SEED",
    "PUBLIC_URL",
    "GAME_SHORT_NAME",
    "GAME_TOKEN_SECRET",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "RECONCILE_EVERY_S",
    "LEDGER_GRACE_S",
    "ADMIN_SESSION_SECRET",
];

/// The log filter's variable (tracing-subscriber's `EnvFilter` default).
pub const LOG_FILTER: &str = "RUST_LOG";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, Vec<String>> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Vec<String>> {
        let get = |name: &str| lookup(name).map(|value| value.trim().to_owned()).filter(|v| !v.is_empty());
        let mut problems = Vec::new();

        let token = get("TELOXIDE_TOKEN").map(Token);
        let api_url = get("TELOXIDE_API_URL").and_then(|raw| match Url::parse(&raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
            _ => {
                problems.push(format!("TELOXIDE_API_URL: `{raw}` is not an http(s) URL"));
                None
            }
        });
        let redis = match get("REDIS_URL") {
            Some(raw) => {
                let urls: Vec<String> =
                    raw.split(',').map(|url| url.trim().to_owned()).filter(|u| !u.is_empty()).collect();
                for url in &urls {
                    if redis::parse_redis_url(url).is_none() {
                        problems
                            .push(format!("REDIS_URL: `{}` is not a Redis URL (redis://host:port)", redact_url(url)));
                    }
                }
                RedisTarget::Urls(urls)
            }
            None => RedisTarget::Private { dir: PathBuf::from("data") },
        };
        let game_data_dir = PathBuf::from(get("GAME_DATA_DIR").unwrap_or_else(|| "game_data".into()));
        let admins = match get("ADMIN_USER_IDS") {
            None => Vec::new(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .filter_map(|id| match id.parse::<u64>() {
                    Ok(id) if id > 0 => Some(UserId(id)),
                    _ => {
                        problems.push(format!("ADMIN_USER_IDS: `{id}` is not a positive user id"));
                        None
                    }
                })
                .collect(),
        };
        let http = http::read(&get, &mut problems);
        let send_limits = match get("SEND_LIMITS").as_deref() {
            None | Some("telegram") => SendLimits::Telegram,
            Some("off") => SendLimits::Off,
            Some(other) => {
                problems.push(format!("SEND_LIMITS: `{other}` must be `telegram` or `off`"));
                SendLimits::Telegram
            }
        };
        let intake = intake::read(&get, &mut problems);
        let mut game = crate::game::GameConfig::default();
        if let Some(raw) = get("GAME_TICK_MS") {
            match raw.parse::<u64>() {
                Ok(ms) if (1..=60_000).contains(&ms) => game.tick = std::time::Duration::from_millis(ms),
                _ => problems.push(format!("GAME_TICK_MS: `{raw}` must be 1 to 60000 milliseconds")),
            }
        }
        if let Some(raw) = get("LOOT_SEED") {
            match raw.parse::<u64>() {
                Ok(seed) => game.seed = Some(seed),
                Err(_) => problems.push(format!("LOOT_SEED: `{raw}` is not a number")),
            }
        }
        let play = read_play(&get, &mut problems);
        let webhook = read_webhook(&get, &mut problems);
        if http.webhook_addr.is_some() && get("WEBHOOK_URL").is_none() {
            problems.push("WEBHOOK_ADDR is set without WEBHOOK_URL (it is the webhook's own listener)".to_owned());
        }
        let reconcile_every = match get("RECONCILE_EVERY_S").map(|raw| (raw.parse::<u64>(), raw)) {
            None => Some(std::time::Duration::from_secs(60)),
            Some((Ok(0), _)) => None,
            Some((Ok(seconds), _)) if seconds <= 86_400 => Some(std::time::Duration::from_secs(seconds)),
            Some((_, raw)) => {
                problems.push(format!("RECONCILE_EVERY_S: `{raw}` must be 0 (off) to 86400 seconds"));
                None
            }
        };
        let ledger_grace = match get("LEDGER_GRACE_S").map(|raw| (raw.parse::<u64>(), raw)) {
            None => std::time::Duration::from_secs(600),
            Some((Ok(seconds), _)) if (1..=604_800).contains(&seconds) => std::time::Duration::from_secs(seconds),
            Some((_, raw)) => {
                problems.push(format!("LEDGER_GRACE_S: `{raw}` must be 1 to 604800 seconds"));
                std::time::Duration::ZERO
            }
        };
        let admin_session_secret = get("ADMIN_SESSION_SECRET").and_then(|secret| {
            if secret.len() < 32 {
                problems.push("ADMIN_SESSION_SECRET: use at least 32 characters".to_owned());
                return None;
            }
            Some(Secret(secret))
        });
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            token,
            api_url,
            redis,
            game_data_dir,
            admins,
            http,
            send_limits,
            intake,
            game,
            play,
            webhook,
            reconcile_every,
            ledger_grace,
            admin_session_secret,
        })
    }

    pub fn is_admin(&self, user: UserId) -> bool {
        self.admins.contains(&user)
    }

    /// The Redis URLs to connect to (the private socket's URL when `REDIS_URL` is unset).
    pub fn redis_urls(&self) -> Vec<String> {
        match &self.redis {
            RedisTarget::Urls(urls) => urls.clone(),
            RedisTarget::Private { dir } => vec![crate::store::PrivateRedis::url(dir)],
        }
    }
}

/// The three play variables: all set, or none (then `/play` is off); some set is a mistake.
fn read_play(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> Option<PlayConfig> {
    let values = PlayConfig::VARIABLES.map(get);
    if values.iter().all(Option::is_none) {
        return None;
    }
    let [Some(url), Some(short_name), Some(secret)] = values else {
        let missing: Vec<&str> =
            PlayConfig::VARIABLES.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(name, _)| *name).collect();
        problems.push(format!(
            "the HTML5 game needs PUBLIC_URL, GAME_SHORT_NAME and GAME_TOKEN_SECRET together; missing {}",
            missing.join(", ")
        ));
        return None;
    };
    let public_url = match Url::parse(&url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => parsed,
        _ => {
            problems.push(format!("PUBLIC_URL: `{url}` is not an http(s) URL"));
            return None;
        }
    };
    // The game page, its API and the console are served at the root (`/game/`, `/api/`,
    // `/admin/` with a cookie for `/admin`): a path would lead every link past them.
    if public_url.path() != "/" || public_url.query().is_some() || public_url.fragment().is_some() {
        problems.push(format!(
            "PUBLIC_URL: `{url}` has a path; give the origin alone (like https://game.example.com): the game \
             and the console are served at its root"
        ));
        return None;
    }
    if secret.len() < 16 {
        problems.push("GAME_TOKEN_SECRET: use at least 16 characters".to_owned());
        return None;
    }
    Some(PlayConfig { public_url, short_name, token_secret: Token(secret) })
}

/// `WEBHOOK_URL` and `WEBHOOK_SECRET`: both, or neither (then the bot polls).
fn read_webhook(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> Option<WebhookConfig> {
    let (url, secret) = match (get("WEBHOOK_URL"), get("WEBHOOK_SECRET")) {
        (None, None) => return None,
        (Some(url), Some(secret)) => (url, secret),
        (Some(_), None) => {
            problems.push("WEBHOOK_URL needs WEBHOOK_SECRET (1-256 characters of A-Z, a-z, 0-9, _ and -)".to_owned());
            return None;
        }
        (None, Some(_)) => {
            problems.push("WEBHOOK_SECRET is set without WEBHOOK_URL".to_owned());
            return None;
        }
    };
    let before = problems.len();
    match Url::parse(&url) {
        Ok(parsed) if parsed.scheme() != "https" => {
            problems.push(format!("WEBHOOK_URL: `{url}` must be https (Telegram delivers to HTTPS only)"))
        }
        Ok(parsed) if parsed.path() == "/" || parsed.path().starts_with("/api/") || parsed.path() == "/healthz" => {
            problems.push(format!(
                "WEBHOOK_URL: `{url}` needs a path of its own, such as https://bot.example.com/telegram/<random>"
            ))
        }
        Ok(_) => {}
        Err(_) => problems.push(format!("WEBHOOK_URL: `{url}` is not a URL")),
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if secret.len() > 256 || !secret.chars().all(allowed) {
        problems.push("WEBHOOK_SECRET: use 1-256 characters of A-Z, a-z, 0-9, _ and -".to_owned());
    } else if secret.len() < 16 {
        problems.push("WEBHOOK_SECRET: use at least 16 characters".to_owned());
    }
    if problems.len() > before {
        return None;
    }
    Some(WebhookConfig { url: Url::parse(&url).ok()?, secret: Token(secret) })
}

/// A Redis URL with any password replaced, for messages.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// A random alphanumeric secret.
pub fn new_secret(len: usize) -> String {
    use rand::distr::{Alphanumeric, SampleString};
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, Vec<String>> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults() {
        let config = config(&[]).unwrap();
        assert!(config.token.is_none());
        assert_eq!(config.redis, RedisTarget::Private { dir: PathBuf::from("data") });
        assert_eq!(config.http.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.send_limits, SendLimits::Telegram);
    }

    #[test]
    fn every_problem_is_reported_together() {
        let problems = config(&[
            ("ADMIN_USER_IDS", "1,x"),
            ("HTTP_ADDR", "nowhere"),
            ("SEND_LIMITS", "fast"),
            ("REDIS_URL", "http://x"),
        ])
        .unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
    }

    #[test]
    fn token_is_redacted() {
        let config = config(&[("TELOXIDE_TOKEN", "123:SECRET")]).unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("123:***"));
    }

    #[test]
    fn play_needs_all_three_variables() {
        assert!(config(&[]).unwrap().play.is_none());
        let problems = config(&[("PUBLIC_URL", "https://x.example")]).unwrap_err();
        assert!(problems[0].contains("GAME_SHORT_NAME, GAME_TOKEN_SECRET"), "{problems:?}");
        let play = [
            ("PUBLIC_URL", "https://x.example"),
            ("GAME_SHORT_NAME", "rush"),
            ("GAME_TOKEN_SECRET", "0123456789abcdef"),
        ];
        let config = config(&play).unwrap();
        assert!(!format!("{config:?}").contains("0123456789abcdef"));
        assert_eq!(config.play.unwrap().short_name, "rush");
    }

    #[test]
    fn public_url_is_an_origin_without_a_path() {
        let with = |url: &'static str| {
            config(&[("PUBLIC_URL", url), ("GAME_SHORT_NAME", "rush"), ("GAME_TOKEN_SECRET", "0123456789abcdef")])
        };
        assert!(with("https://game.example.com/").is_ok());
        assert!(with("http://127.0.0.1:8080").is_ok());
        for url in ["https://example.com/starmine/", "https://example.com/starmine", "https://example.com/?a=1"] {
            let problems = with(url).unwrap_err();
            assert!(problems.len() == 1 && problems[0].contains("has a path"), "{url}: {problems:?}");
        }
    }

    #[test]
    fn webhook_needs_an_https_url_with_a_path_and_a_secret() {
        assert!(config(&[]).unwrap().webhook.is_none());
        let good = [("WEBHOOK_URL", "https://bot.example.com/telegram/hook"), ("WEBHOOK_SECRET", "s3cret_-0123456789")];
        let webhook = config(&good).unwrap().webhook.unwrap();
        assert_eq!(webhook.url.path(), "/telegram/hook");
        assert!(!format!("{webhook:?}").contains("s3cret"));
        for (vars, expected) in [
            (vec![("WEBHOOK_URL", "https://bot.example.com/hook")], "needs WEBHOOK_SECRET"),
            (vec![("WEBHOOK_SECRET", "0123456789abcdef")], "without WEBHOOK_URL"),
            (vec![("WEBHOOK_ADDR", "127.0.0.1:8443")], "WEBHOOK_ADDR is set without WEBHOOK_URL"),
            (vec![("WEBHOOK_URL", "http://bot.example.com/hook"), ("WEBHOOK_SECRET", "0123456789abcdef")], "https"),
            (vec![("WEBHOOK_URL", "https://bot.example.com/"), ("WEBHOOK_SECRET", "0123456789abcdef")], "path"),
            (vec![("WEBHOOK_URL", "https://bot.example.com/h"), ("WEBHOOK_SECRET", "bad secret!")], "A-Z"),
            (vec![("WEBHOOK_URL", "https://bot.example.com/h"), ("WEBHOOK_SECRET", "short")], "16"),
        ] {
            let problems = config(&vars).unwrap_err();
            assert!(problems.len() == 1 && problems[0].contains(expected), "{vars:?}: {problems:?}");
        }
    }

    #[test]
    fn reconcile_interval() {
        assert_eq!(config(&[]).unwrap().reconcile_every, Some(std::time::Duration::from_secs(60)));
        assert_eq!(config(&[("RECONCILE_EVERY_S", "0")]).unwrap().reconcile_every, None);
        assert_eq!(config(&[]).unwrap().ledger_grace, std::time::Duration::from_secs(600));
        assert_eq!(config(&[("LEDGER_GRACE_S", "5")]).unwrap().ledger_grace, std::time::Duration::from_secs(5));
        assert!(config(&[("LEDGER_GRACE_S", "0")]).is_err());
        assert!(config(&[("RECONCILE_EVERY_S", "soon")]).is_err());
    }

    #[test]
    fn admin_session_secret_is_long_and_redacted() {
        assert!(config(&[]).unwrap().admin_session_secret.is_none());
        let problems = config(&[("ADMIN_SESSION_SECRET", "short")]).unwrap_err();
        assert!(problems[0].contains("32 characters"), "{problems:?}");
        let secret = "console-secret-0123456789abcdefghij";
        let config = config(&[("ADMIN_SESSION_SECRET", secret)]).unwrap();
        assert_eq!(config.admin_session_secret.as_ref().map(Secret::expose), Some(secret));
        assert!(!format!("{config:?}").contains("console-secret"));
    }

    #[test]
    fn variables_names_exactly_what_is_read() {
        let asked = std::sync::Mutex::new(std::collections::BTreeSet::new());
        let _ = Config::from_lookup(|name| {
            asked.lock().unwrap().insert(name.to_owned());
            None
        });
        let listed: std::collections::BTreeSet<String> = VARIABLES.iter().map(|name| name.to_string()).collect();
        assert_eq!(asked.into_inner().unwrap(), listed, "config::VARIABLES and what from_lookup reads differ");
    }

    #[test]
    fn cluster_urls() {
        let config = config(&[("REDIS_URL", "redis://a:1, redis://b:2")]).unwrap();
        assert_eq!(config.redis_urls(), vec!["redis://a:1", "redis://b:2"]);
    }
}
