//! The composition root: load game data, open the HTTP listeners ([`listen`]), wait for Redis
//! ([`startup`]), open the store, start the bot (polling or webhook) and the background loops
//! (refund retries, journal replay, reconciliation); drain everything on SIGTERM.

mod listen;
mod startup;

use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::PrometheusHandle;
use teloxide::prelude::*;

use self::listen::Servers;
use self::startup::Stopping;

use crate::config::{new_secret, Config, PlayConfig, RedisTarget, Secret, Token};
use crate::domain::Catalog;
use crate::exit::{Exit, Failure};
use crate::game::{self, GameConfig};
use crate::reload::SharedCatalog;
use crate::sandbox::control;
use crate::sandbox::emulator::{Emulator, EmulatorConfig};
use crate::store::{PrivateRedis, Store};
use crate::telegram::intake::{self, Intake};
use crate::telegram::{self, Shop};
use crate::{game_data, http};

/// How long a stopping `serve` waits for the poller to return.
const POLLER_STOP: Duration = Duration::from_secs(5);

/// The longest a stopping `serve` takes with `config`, signal to exit (what a supervisor's stop
/// timeout must exceed): the handlers in hand get the request timeout (`HTTP_REQUEST_TIMEOUT_S`,
/// the time a request gets) and are cut off after it; then the poller returns within
/// [`POLLER_STOP`]; then the HTTP connections drain, each request in flight answered within the
/// request timeout. After that only the game loop's last writes to Redis remain (milliseconds).
pub fn drain_bound(config: &Config) -> Duration {
    let request = config.http.limits.request_timeout;
    request + POLLER_STOP + request
}

/// Connects to Redis for a one-shot command: never starts a server.
pub async fn connect_store(config: &Config) -> Result<Store, Failure> {
    if let RedisTarget::Private { dir } = &config.redis {
        let socket = std::path::absolute(dir.join("redis.sock")).unwrap_or_else(|_| dir.join("redis.sock"));
        if !crate::store::private_server::answers(&socket).await {
            return Err(Failure::new(
                Exit::Unavailable,
                format!("no Redis answers at {}: start `starmine serve` first, or set REDIS_URL", socket.display()),
            ));
        }
    }
    Store::connect(&config.redis_urls())
        .await
        .map_err(|error| Failure::new(Exit::Unavailable, format!("Redis is unavailable: {error}")))
}

/// A plain Bot for `token`, pointed at `TELOXIDE_API_URL` when set.
pub fn bot(config: &Config, token: &Token) -> Bot {
    let bot = Bot::new(token.expose());
    match &config.api_url {
        Some(url) => bot.set_api_url(url.clone()),
        None => bot,
    }
}

/// `starmine serve`: runs until SIGTERM or Ctrl-C, then drains.
pub async fn serve(config: Config) -> Result<(), Failure> {
    serve_until(config, startup::stop_signal()).await
}

/// Runs the whole app until `shutdown` resolves, then drains: what `serve` does, with the stop
/// passed in (tests run the app in-process this way where no crash is needed).
///
/// The HTTP listeners come first, answering "not ready"; then Redis, waited for with back-off;
/// then everything else, and the real routes replace the "not ready" ones.
pub async fn serve_until(
    mut config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Failure> {
    let stopping = Stopping::on(shutdown);
    // No token: the sandbox. The built-in Bot API emulator stands in for Telegram on loopback.
    let emulator = match config.token {
        Some(_) => None,
        None => {
            // The Star ledger and the chat live beside the sandbox's Redis: the bot checks its
            // records against the ledger, and a restart shows the same chat.
            let data_dir = sandbox_data_dir(&config);
            let emulator = Emulator::start(EmulatorConfig {
                token: format!("{}:sandbox-{}", rand::random::<u32>(), new_secret(24)),
                bot_username: "starmine_sandbox_bot".to_owned(),
                bot_first_name: "Starmine".to_owned(),
                ledger_file: Some(data_dir.join("sandbox-ledger.jsonl")),
                chat_file: Some(data_dir.join("sandbox-chat.json")),
                ..EmulatorConfig::default()
            })
            .await
            .map_err(|error| Failure::new(Exit::Unavailable, format!("cannot start the sandbox emulator: {error}")))?;
            tracing::warn!(
                "TELOXIDE_TOKEN is not set: running the local sandbox (no Telegram; set TELOXIDE_TOKEN for a real bot)"
            );
            config.token = Some(Token::new(emulator.token().to_owned()));
            config.api_url =
                Some(emulator.api_url().parse().map_err(|_| Failure::new(Exit::Usage, "bad emulator URL"))?);
            config.admins.push(crate::domain::UserId(control::ADMIN_USER as u64));
            Some(emulator)
        }
    };
    let Some(token) = config.token.clone() else { return Err(Failure::new(Exit::Usage, "no bot token")) };
    let catalog = crate::reload::load_catalog(&config.game_data_dir)?;
    tracing::info!("{}", game_data::summary(&catalog));

    let metrics = metrics_recorder()?;
    if emulator.is_some() && (config.webhook.is_some() || config.http.webhook_addr.is_some()) {
        tracing::warn!("WEBHOOK_URL and WEBHOOK_ADDR are ignored in the sandbox: it delivers updates by polling");
        config.webhook = None;
    }
    let servers = Servers::start(&config.http, config.webhook.is_some(), metrics).await?;
    let result = run_with_servers(config, token, catalog, emulator.clone(), &servers, stopping).await;
    servers.stop().await;
    if let Some(Err(error)) = emulator.map(|emulator| emulator.save_chat()) {
        tracing::error!(%error, "could not save the sandbox's chat");
    }
    tracing::info!("stopped");
    result
}

/// Where the sandbox keeps its Redis, Star ledger and chat (`./data`).
fn sandbox_data_dir(config: &Config) -> std::path::PathBuf {
    match &config.redis {
        RedisTarget::Private { dir } => dir.clone(),
        RedisTarget::Urls(_) => std::path::PathBuf::from("data"),
    }
}

/// `serve --reset`: removes the sandbox's data — its private Redis, Star ledger and chat,
/// together, so they never disagree — before it starts. Refused for a real bot, for a Redis of
/// `REDIS_URL` (flush that yourself), and while a sandbox still runs on the folder.
pub async fn reset_sandbox(config: &Config) -> Result<(), Failure> {
    let refuse = |why: &str| Err(Failure::new(Exit::Usage, format!("--reset: {why}")));
    if config.token.is_some() {
        return refuse("only the sandbox (no TELOXIDE_TOKEN) can be reset");
    }
    let RedisTarget::Private { dir } = &config.redis else {
        return refuse("REDIS_URL is set: the sandbox's data is in that Redis; flush it yourself");
    };
    if crate::store::private_server::answers(&dir.join("redis.sock")).await {
        return refuse(&format!("a sandbox is still running on {}: stop it first", dir.display()));
    }
    match std::fs::remove_dir_all(dir) {
        Ok(()) => tracing::warn!(dir = %dir.display(), "sandbox reset: its Redis, Star ledger and chat are gone"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(Failure::new(Exit::Unavailable, format!("--reset: {}: {error}", dir.display()))),
    }
    Ok(())
}

/// The process's one metrics recorder, installed by the first app the process runs (a second
/// app in the same process, as in tests, shares it).
fn metrics_recorder() -> Result<PrometheusHandle, Failure> {
    static RECORDER: std::sync::Mutex<Option<PrometheusHandle>> = std::sync::Mutex::new(None);
    let mut recorder = RECORDER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(handle) = recorder.as_ref() {
        return Ok(handle.clone());
    }
    let handle = crate::telemetry::builder()
        .and_then(|builder| builder.install_recorder())
        .map_err(|error| Failure::new(Exit::Usage, format!("metrics: {error}")))?;
    crate::telemetry::register();
    let upkeep = handle.clone();
    // A thread, not a task: it outlives the runtime of the app that installed the recorder.
    std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || metrics_upkeep(&upkeep))
        .map_err(|error| Failure::new(Exit::Unavailable, format!("metrics: {error}")))?;
    *recorder = Some(handle.clone());
    Ok(handle)
}

/// Folds the histograms' samples into their buckets every few seconds, so memory stays bounded
/// when nobody scrapes (a scrape does the same).
fn metrics_upkeep(handle: &PrometheusHandle) {
    loop {
        std::thread::sleep(Duration::from_secs(5));
        handle.run_upkeep();
    }
}

/// The private Redis (a missing `redis-server` is fatal), then Redis waited for, then the bot.
async fn run_with_servers(
    config: Config,
    token: Token,
    catalog: Catalog,
    sandbox: Option<Emulator>,
    servers: &Servers,
    stopping: Stopping,
) -> Result<(), Failure> {
    let private = match &config.redis {
        RedisTarget::Private { dir } => {
            Some(PrivateRedis::ensure(dir).await.map_err(|error| Failure::new(Exit::Unavailable, error.to_string()))?)
        }
        RedisTarget::Urls(_) => None,
    };
    let result = match startup::connect_store(&config, &stopping).await {
        Some(store) => run_with_store(config, token, catalog, sandbox, store, servers, stopping).await,
        None => Ok(()),
    };
    if let Some(private) = private {
        private.stop().await;
    }
    result
}

async fn run_with_store(
    config: Config,
    token: Token,
    catalog: Catalog,
    sandbox: Option<Emulator>,
    store: Store,
    servers: &Servers,
    stopping: Stopping,
) -> Result<(), Failure> {
    let app = build(config, token, catalog, sandbox, store, servers).await?;
    app.run(async move { stopping.wait().await }).await;
    Ok(())
}

/// Everything `serve` runs, built and wired, its routes live; [`App::run`] starts it.
struct App {
    raw_bot: Bot,
    bot: telegram::TgBot,
    shop: Shop,
    intake: Intake,
    updates: intake::Updates,
    polling: bool,
    game_task: game::GameTask,
    notice_rx: tokio::sync::mpsc::UnboundedReceiver<game::Notice>,
    game_data_dir: std::path::PathBuf,
    reconcile: Option<(Duration, Duration)>,
    /// How long the handlers in hand may run once stopping (see [`drain_bound`]).
    handlers_drain: Duration,
}

/// Connects to the Bot API, builds the game loop, the shop and the routes, puts the routes live
/// and registers (or drops) the webhook. Nothing handles updates yet.
async fn build(
    mut config: Config,
    token: Token,
    catalog: Catalog,
    sandbox: Option<Emulator>,
    store: Store,
    servers: &Servers,
) -> Result<App, Failure> {
    let raw_bot = bot(&config, &token);
    let me = get_me(&raw_bot).await?;
    let username = me.username.clone().unwrap_or_default();
    tracing::info!(bot = %username, "connected to the Bot API");
    telegram::register_menus(&raw_bot).await;

    let address = servers.public_addr;
    if sandbox.is_some() && config.play.is_none() {
        // The sandbox plays the HTML5 game from this very server.
        let public_url = format!("http://{address}/").parse().map_err(|_| Failure::new(Exit::Usage, "bad address"))?;
        let secret = Token::new(new_secret(32));
        config.play = Some(PlayConfig { public_url, short_name: "starmine_rush".to_owned(), token_secret: secret });
    }
    if sandbox.is_some() && config.admin_session_secret.is_none() {
        // The sandbox's console: an admin (Ada) signs in with /admin in the chat.
        config.admin_session_secret = Some(Secret::new(new_secret(48)));
    }
    let console = config.admin_session_secret.as_ref().map(|secret| {
        let base = crate::admin::Console::base_url(config.play.as_ref().map(|play| &play.public_url), address);
        Arc::new(crate::admin::Console::new(secret.expose().as_bytes(), base))
    });
    let bot = telegram::TgBot::new(raw_bot.clone(), config.send_limits, store.clone());
    let catalog = SharedCatalog::new(catalog);
    let (notice_tx, notice_rx) = tokio::sync::mpsc::unbounded_channel();
    let game_config = GameConfig { changes_url: config.redis_urls().first().cloned(), ..config.game.clone() };
    let (game, game_task) = game::spawn(store.clone(), catalog.clone(), game_config, notice_tx);
    if config.play.is_none() {
        tracing::warn!("the HTML5 game is off: set PUBLIC_URL, GAME_SHORT_NAME and GAME_TOKEN_SECRET to turn /play on");
    }
    let play = config.play.clone().map(|play| {
        let api = http::PlayApi {
            game: game.clone(),
            catalog: catalog.clone(),
            token_secret: Arc::new(play.token_secret.expose().as_bytes().to_vec()),
            bot_token: Arc::new(token.expose().to_owned()),
            telegram: Arc::new(telegram::play::TelegramApi::new(bot.clone())),
        };
        (Arc::new(play), api)
    });
    let shop = Shop {
        store: store.clone(),
        catalog,
        admins: Arc::new(config.admins.clone()),
        username: Arc::new(username),
        raw_bot: raw_bot.clone(),
        game,
        play: play.as_ref().map(|(config, _)| config.clone()),
        console: console.clone(),
        seen: Arc::default(),
        languages: telegram::language_memo(),
    };

    let state = http::HttpState {
        store: store.clone(),
        play: play.map(|(_, api)| api),
        api_max_in_flight: config.http.limits.api_max_in_flight,
    };
    let mut router = http::router(state.clone());
    // Updates come in through the intake: the webhook route, or a polling task started below.
    let (intake, updates) = Intake::new(store.clone(), config.intake);
    let webhook = config.webhook.clone();
    // At the in-flight limit a delivery waits for room, but answers (503) within the request timeout.
    let webhook_wait = http::webhook::wait_within(config.http.limits.request_timeout);
    let webhook_routes = webhook
        .as_ref()
        .map(|hook| http::webhook::router(hook.url.path(), hook.secret.expose(), intake.clone(), webhook_wait));
    match console {
        Some(console) => {
            router = router.merge(http::admin::router(http::admin::AdminState {
                store: store.clone(),
                console,
                admins: shop.admins.clone(),
                catalog: shop.catalog.clone(),
                telegram: Arc::new(telegram::admin::ConsoleApi::new(bot.clone(), shop.clone())),
            }))
        }
        None => tracing::info!("the operator console is off: set ADMIN_SESSION_SECRET to turn /admin on"),
    }
    if let Some(emulator) = &sandbox {
        router = router.merge(control::router(control::Sandbox::new(emulator.clone(), store, shop.catalog.clone())));
    }
    // The real routes before the webhook is registered, so Telegram's first delivery finds them.
    servers.ready(router, webhook_routes, http::health_router(state));
    match &webhook {
        Some(hook) => {
            intake::set_webhook(&raw_bot, &hook.url, hook.secret.expose())
                .await
                .map_err(|error| Failure::new(Exit::Unavailable, format!("setWebhook failed: {error}")))?;
            tracing::info!(path = hook.url.path(), "webhook registered; Telegram delivers updates to its path here");
        }
        None => {
            if let Err(error) = intake::drop_webhook(&raw_bot).await {
                tracing::warn!(%error, "could not check for a webhook to delete");
            }
        }
    }
    if sandbox.is_some() {
        println!("Starmine sandbox is running: open http://{address}/sandbox/ in your browser (Ctrl-C stops it)");
    }
    Ok(App {
        raw_bot,
        bot,
        shop,
        intake,
        updates,
        polling: webhook.is_none(),
        game_task,
        notice_rx,
        game_data_dir: config.game_data_dir.clone(),
        reconcile: config.reconcile_every.map(|every| (every, config.ledger_grace)),
        handlers_drain: config.http.limits.request_timeout,
    })
}

impl App {
    /// Runs until `shutdown` resolves, then drains: the updates in hand are handled, the last
    /// polled batch confirmed, the game loop flushed.
    async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) {
        let App {
            raw_bot,
            bot,
            shop,
            intake,
            updates,
            polling,
            game_task,
            notice_rx,
            game_data_dir,
            reconcile,
            handlers_drain,
        } = self;
        let retry_task = tokio::spawn(retry_refunds(bot.clone(), shop.clone()));
        let reload_task = tokio::spawn(crate::reload::watch(game_data_dir, shop.catalog.clone(), shop.store.clone()));
        let reconcile_task = reconcile
            .map(|(every, grace)| tokio::spawn(reconcile_periodically(bot.clone(), shop.clone(), every, grace)));
        let notifier = tokio::spawn(telegram::game::run_notifier(bot.clone(), shop.clone(), notice_rx));
        let replay_task = tokio::spawn(intake::replay(intake.clone()));
        let poll_task = polling.then(|| tokio::spawn(intake::poll(raw_bot.clone(), intake.clone())));

        tokio::spawn({
            let intake = intake.clone();
            async move {
                shutdown.await;
                tracing::info!("shutting down: finishing the updates in hand");
                intake.stop();
            }
        });
        if polling {
            tracing::info!("polling for updates");
        } else {
            tracing::info!("waiting for webhook deliveries");
        }
        // Handlers get the paced TgBot and the shop; each slot of intake is given back as its
        // handler ends (`Intake::track`).
        let handlers = telegram::dispatch::run(updates, intake.track(telegram::schema()), dptree::deps![shop, bot]);
        let cut_off = {
            let intake = intake.clone();
            async move {
                intake.stopped().await;
                tokio::time::sleep(handlers_drain).await;
            }
        };
        tokio::select! {
            () = handlers => {}
            () = cut_off => tracing::warn!(
                after_s = handlers_drain.as_secs(),
                "stopping with handlers still running (HTTP_REQUEST_TIMEOUT_S after the stop): a payment update \
                 among them stays in the journal and is replayed by the next process"
            ),
        }
        // Everything fetched was handled (or cut off: a payment among it is journaled, a command
        // is not worth a second run): confirm it, so the next start does not see it again.
        // The poller returns as soon as it sees the stop; bounded anyway, so a stop never hangs on
        // it (what it did not confirm is delivered again on the next start).
        if let Some(mut poll_task) = poll_task {
            match tokio::time::timeout(POLLER_STOP, &mut poll_task).await {
                Ok(Ok(offset)) => intake::confirm(&raw_bot, offset).await,
                Ok(Err(_)) => {}
                Err(_) => {
                    tracing::warn!("the poller did not stop in time; its last batch will be delivered again");
                    poll_task.abort();
                }
            }
        }

        retry_task.abort();
        reload_task.abort();
        replay_task.abort();
        if let Some(reconcile_task) = reconcile_task {
            reconcile_task.abort();
        }
        game_task.stop().await;
        notifier.abort();
    }
}

async fn get_me(bot: &Bot) -> Result<teloxide::types::Me, Failure> {
    let mut last = String::new();
    for attempt in 1..=5 {
        match bot.get_me().await {
            Ok(me) => return Ok(me),
            Err(error) => {
                last = error.to_string();
                tracing::warn!(attempt, error = %last, "the Bot API does not answer getMe yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    Err(Failure::new(Exit::Unavailable, format!("the Bot API is unavailable: {last}")))
}

async fn retry_refunds(bot: telegram::TgBot, shop: Shop) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        match telegram::refunds::retry_due(&bot, &shop).await {
            Ok(0) => {}
            Ok(settled) => tracing::info!(settled, "settled refunds on retry"),
            Err(error) => tracing::warn!(%error, "refund retry pass failed"),
        }
    }
}

/// Every `period` (a minute by default), reconciles the Star ledger from where the last pass
/// stopped, or from where the console's copy of it stops if that is earlier (a copy started
/// after the ledger was: one full pass fills it). A lost cursor only means a full, idempotent
/// pass.
async fn reconcile_periodically(bot: telegram::TgBot, shop: Shop, period: Duration, grace: Duration) {
    let mut every = tokio::time::interval(period);
    loop {
        every.tick().await;
        let offsets = tokio::try_join!(shop.store.reconcile_offset(), shop.store.ledger_copy_state());
        let offset = match offsets {
            Ok((offset, copy)) => offset.min(copy.offset),
            Err(error) => {
                tracing::warn!(%error, "reconciliation skipped: Redis unavailable");
                count_reconcile_pass(false);
                continue;
            }
        };
        match telegram::reconcile::reconcile(&bot, &shop, offset, grace).await {
            Ok(report) => {
                if report.repaired() > 0 {
                    tracing::warn!(?report, "reconciliation repaired records");
                }
                telegram::reconcile::remember_pass(&shop, Ok(&report)).await;
                if let Err(error) = shop.store.set_reconcile_offset(report.next_offset).await {
                    tracing::warn!(%error, "could not save the reconciliation offset");
                }
                count_reconcile_pass(true);
            }
            Err(error) => {
                tracing::warn!(%error, "reconciliation pass failed; will retry");
                telegram::reconcile::remember_pass(&shop, Err(&error.to_string())).await;
                count_reconcile_pass(false);
            }
        }
    }
}

/// `starmine_reconcile_passes_total{result}`, and the time of the last pass that read the ledger.
fn count_reconcile_pass(ok: bool) {
    metrics::counter!("starmine_reconcile_passes_total", "result" => if ok { "ok" } else { "failed" }).increment(1);
    if ok {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        metrics::gauge!("starmine_reconcile_last_success_timestamp_seconds").set(now.as_secs_f64());
    }
}
