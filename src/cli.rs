//! The command line: `serve` (default), `check-data`, `player`, `reconcile`, `audit`, `refund`,
//! `admin-link`, `bench` and `simulate` (`cli/simulate.rs`). Logs go to stderr, command output to stdout;
//! exit codes are [`crate::exit::Exit`].

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use serde_json::json;

use crate::app;
use crate::config::Config;
use crate::domain::{ChargeId, UserId};
use crate::exit::{Exit, Failure};
use crate::game_data;
use crate::reload::SharedCatalog;
use crate::telegram::refunds::{self, Outcome};
use crate::telegram::{self, Shop};

mod simulate;

#[derive(Parser)]
#[command(name = "starmine", version, about = "Starmine: a Telegram game bot that sells items for Telegram Stars")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot (long polling or webhook) with health on HTTP_ADDR and metrics on METRICS_ADDR
    /// (the default command).
    Serve {
        /// Sandbox only: start afresh, removing ./data (its Redis, Star ledger and chat) first.
        #[arg(long)]
        reset: bool,
    },
    /// Check the designer files: every problem as `file:line: message`.
    CheckData {
        /// Directory of *.toml files (default: GAME_DATA_DIR, else `game_data`).
        dir: Option<PathBuf>,
    },
    /// Print a player's inventory and payments as JSON, found by user id or @username.
    Player {
        #[arg(value_parser = crate::admin::PlayerQuery::parse, value_name = "USER_ID|@USERNAME")]
        who: crate::admin::PlayerQuery,
    },
    /// Compare the Star ledger (getStarTransactions) with our records once and repair what they
    /// miss; prints a JSON report.
    Reconcile,
    /// Re-derive the books from the records (inventories and gems from the ledgers, sold counts
    /// from the charges, Stars against getStarTransactions) and print every discrepancy that
    /// persists when read again; exit 1 if there is one. Safe on a live system.
    Audit {
        /// Print one JSON report instead of lines of text.
        #[arg(long)]
        json: bool,
        /// How long to wait before each of the (up to three) reads of a discrepancy again (ms).
        #[arg(long, default_value_t = 2000)]
        recheck_after_ms: u64,
    },
    /// Refund a player's payment as an admin (revokes what remains, tells the player).
    Refund {
        #[arg(value_parser = clap::value_parser!(u64).range(1..))]
        user_id: u64,
        charge_id: String,
    },
    /// Print a one-time sign-in link to the operator console for an admin (ADMIN_USER_IDS),
    /// valid for 5 minutes, under PUBLIC_URL (else HTTP_ADDR); needs ADMIN_SESSION_SECRET.
    AdminLink {
        #[arg(value_parser = clap::value_parser!(u64).range(1..))]
        user_id: u64,
    },
    /// Benchmarks: the game loop's tick, dig mutations to Redis, a flash sale, the purchase flow
    /// and the game API (build with --release; see BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        what: crate::bench::Bench,
    },
    /// The economy lab: plays a population of players (players.toml) through simulated days
    /// with the game's rules, writes the per-day series as CSV files and prints a summary.
    Simulate(simulate::Args),
}

/// Parses arguments, runs the command and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { Exit::Usage } else { Exit::Ok }.code();
        }
    };
    let command = cli.command.unwrap_or(Command::Serve { reset: false });
    init_tracing(matches!(command, Command::Serve { .. }));
    if let Command::CheckData { dir } = command {
        // Designers run this without any bot or Redis settings: only GAME_DATA_DIR matters.
        return check_data(dir.unwrap_or_else(default_data_dir)).code();
    }
    if let Command::Simulate(args) = command {
        // Like check-data: only the game data matters, no bot or Redis settings.
        return simulate::run(args).code();
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(problems) => {
            for problem in problems {
                eprintln!("configuration: {problem}");
            }
            return Exit::Usage.code();
        }
    };
    if let Command::AdminLink { user_id } = command {
        // Needs no Redis and no Bot API: the link is signed here and claimed when opened.
        return finish(admin_link(&config, UserId(user_id)));
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return Exit::Unavailable.code();
        }
    };
    let result = runtime.block_on(async move {
        match command {
            Command::Serve { reset } => async {
                if reset {
                    app::reset_sandbox(&config).await?;
                }
                app::serve(config).await
            }
            .await
            .map(|()| Exit::Ok),
            Command::CheckData { .. } | Command::Simulate(_) | Command::AdminLink { .. } => {
                unreachable!("handled before the configuration is read")
            }
            Command::Player { who } => player(&config, &who).await,
            Command::Refund { user_id, charge_id } => refund(&config, UserId(user_id), &charge_id).await,
            Command::Reconcile => reconcile(&config).await,
            Command::Audit { json, recheck_after_ms } => audit(&config, json, recheck_after_ms).await,
            Command::Bench { what } => crate::bench::run(what, &config).await,
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    finish(result)
}

/// A command's exit code, its failure's message on stderr.
fn finish(result: Result<Exit, Failure>) -> i32 {
    match result {
        Ok(exit) => exit.code(),
        Err(Failure { exit, message }) => {
            eprintln!("starmine: {message}");
            exit.code()
        }
    }
}

/// `starmine admin-link <user_id>`: prints a one-time sign-in link for an admin.
fn admin_link(config: &Config, user: UserId) -> Result<Exit, Failure> {
    let Some(secret) = &config.admin_session_secret else {
        return Err(Failure::new(
            Exit::Usage,
            "the operator console is off: set ADMIN_SESSION_SECRET (32+ characters)",
        ));
    };
    if !config.is_admin(user) {
        return Err(Failure::new(Exit::Refused, format!("user {user} is not an admin (ADMIN_USER_IDS)")));
    }
    let base = crate::admin::Console::base_url(config.play.as_ref().map(|play| &play.public_url), config.http.addr);
    let link = crate::admin::Console::new(secret.expose().as_bytes(), base).login_link(user, crate::clock::now_ms());
    tracing::info!(target: "starmine::admin", admin = %user, via = "cli", "sign-in link issued");
    println!("{link}");
    Ok(Exit::Ok)
}

fn init_tracing(serving: bool) {
    let default = if serving { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env(crate::config::LOG_FILTER)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi).init();
}

/// The game data directory when none is given: GAME_DATA_DIR, else `game_data`.
fn default_data_dir() -> PathBuf {
    std::env::var_os("GAME_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("game_data"))
}

/// `check-data`: the game data's problems, or its summary and its warnings (missing
/// translations); the built-in Fluent texts' problems too (`assets/i18n/<lang>/<file>:<line>`).
fn check_data(dir: PathBuf) -> Exit {
    let texts = crate::i18n::check::problems();
    for problem in &texts {
        eprintln!("assets/i18n/{}:{}: {}", problem.path, problem.line, problem.message);
    }
    let checked = game_data::check_dir(&dir);
    let catalog = match checked.catalog {
        Ok(catalog) => catalog,
        Err(problems) => return refused(&problems),
    };
    for warning in &checked.warnings {
        eprintln!("warning: {warning}");
    }
    if !texts.is_empty() {
        return Exit::Refused;
    }
    println!("{}", game_data::summary(&catalog));
    Exit::Ok
}

/// The game data in `dir`, or every problem printed to stderr as `file:line: message` and the
/// exit that says so.
fn load_data(dir: &std::path::Path) -> Result<crate::domain::Catalog, Exit> {
    game_data::load_dir(dir).map_err(|problems| refused(&problems))
}

/// Every problem on stderr as `file:line: message`; the exit that says the data was refused.
fn refused(problems: &[game_data::Problem]) -> Exit {
    for problem in problems {
        eprintln!("{problem}");
    }
    Exit::Refused
}

async fn player(config: &Config, who: &crate::admin::PlayerQuery) -> Result<Exit, Failure> {
    // Energy is derived with the designers' rules; broken game data falls back to the defaults.
    let catalog = match game_data::load_dir(&config.game_data_dir) {
        Ok(catalog) => catalog,
        Err(_) => {
            tracing::warn!("game data is invalid (see `starmine check-data`); energy uses the default rules");
            let loot = crate::domain::LootTable::new(Vec::new());
            crate::domain::Catalog::new(Vec::new(), crate::domain::Settings::default(), loot, String::new())
        }
    };
    let store = app::connect_store(config).await?;
    let unavailable = |error: crate::store::StoreError| Failure::new(Exit::Unavailable, error.to_string());
    let Some(user) = who.resolve(&store).await.map_err(unavailable)? else {
        return Err(Failure::new(Exit::Refused, format!("nobody who wrote to the bot in private goes by {who}")));
    };
    let card = crate::admin::player_card(&store, &catalog, user, crate::clock::now_ms()).await.map_err(unavailable)?;
    println!("{}", serde_json::to_value(&card).expect("a card serializes"));
    Ok(Exit::Ok)
}

async fn refund(config: &Config, user: UserId, charge: &str) -> Result<Exit, Failure> {
    let Ok(charge) = ChargeId::parse(charge) else {
        println!("refused: `{}` is not a charge id", charge.escape_debug());
        return Ok(Exit::Refused);
    };
    let Some(token) = config.token.clone() else {
        return Err(Failure::new(Exit::Usage, "TELOXIDE_TOKEN is not set: the refund needs the bot's token"));
    };
    let (bot, shop) = one_shot_shop(config, &token).await?;
    // Ask the Bot API first: a refund revokes the item before calling Telegram, so a bad token or
    // no network must be found out while nothing has changed yet.
    if let Err(error) = telegram::check_token(&shop.raw_bot).await {
        let code = match error {
            telegram::TokenCheckError::Refused(_) => Exit::Usage,
            telegram::TokenCheckError::Unreachable { .. } => Exit::Unavailable,
        };
        return Err(Failure::new(code, format!("{error}; nothing was changed")));
    }
    let outcome = refunds::refund_as_admin(&bot, &shop, user, &charge)
        .await
        .map_err(|error| Failure::new(Exit::Unavailable, format!("Redis is unavailable: {error}")))?;
    let (code, summary) = (refund_exit(&outcome), outcome.admin_summary(user, &charge));
    println!("{summary}");
    Ok(code)
}

/// The bot and shop of a one-shot command (no game loop, no polling).
async fn one_shot_shop(config: &Config, token: &crate::config::Token) -> Result<(telegram::TgBot, Shop), Failure> {
    let catalog = crate::reload::load_catalog(&config.game_data_dir)?;
    let store = app::connect_store(config).await?;
    let raw_bot = app::bot(config, token);
    let bot = telegram::TgBot::new(raw_bot.clone(), config.send_limits, store.clone());
    let shop = Shop {
        store,
        catalog: SharedCatalog::new(catalog),
        admins: Arc::new(config.admins.clone()),
        username: Arc::new(String::new()),
        raw_bot,
        game: crate::game::GameHandle::detached(),
        play: None,
        console: None,
        seen: Arc::default(),
        languages: telegram::language_memo(),
    };
    Ok((bot, shop))
}

fn refund_exit(outcome: &Outcome) -> Exit {
    match outcome {
        Outcome::Refunded { .. } | Outcome::AlreadyRefunded => Exit::Ok,
        Outcome::Pending { .. } => Exit::Unavailable,
        _ => Exit::Refused,
    }
}

/// `starmine reconcile`: one full pass over the Star ledger.
async fn reconcile(config: &Config) -> Result<Exit, Failure> {
    let Some(token) = config.token.clone() else {
        return Err(Failure::new(Exit::Usage, "TELOXIDE_TOKEN is not set: reconciliation reads the bot's Star ledger"));
    };
    let (bot, shop) = one_shot_shop(config, &token).await?;
    let report = match telegram::reconcile::reconcile(&bot, &shop, 0, config.ledger_grace).await {
        Ok(report) => report,
        Err(error) => {
            telegram::reconcile::remember_pass(&shop, Err(&error.to_string())).await;
            return Err(Failure::new(Exit::Unavailable, format!("reconciliation stopped: {error}")));
        }
    };
    telegram::reconcile::remember_pass(&shop, Ok(&report)).await;
    println!("{}", serde_json::to_string(&report).unwrap_or_default());
    Ok(Exit::Ok)
}

/// `starmine audit`: exit 0 when the books balance, 1 with every discrepancy that persists.
async fn audit(config: &Config, json: bool, recheck_after_ms: u64) -> Result<Exit, Failure> {
    let Some(token) = config.token.clone() else {
        return Err(Failure::new(Exit::Usage, "TELOXIDE_TOKEN is not set: the audit reads the bot's Star ledger"));
    };
    let (_bot, shop) = one_shot_shop(config, &token).await?;
    let pause = std::time::Duration::from_millis(recheck_after_ms);
    let audit = telegram::audit::audit(&shop, pause)
        .await
        .map_err(|error| Failure::new(Exit::Unavailable, format!("the audit stopped: {error}")))?;
    if json {
        println!("{}", audit_json(&audit));
    } else {
        for discrepancy in &audit.discrepancies {
            println!("{discrepancy}");
        }
        let totals = &audit.totals;
        let verdict = if audit.discrepancies.is_empty() {
            "the books balance".to_owned()
        } else {
            format!("{} discrepancies", audit.discrepancies.len())
        };
        println!(
            "{verdict}: {} players ({} opened now), {} items, {} Star transactions; received {} stars \
             (records {}), refunded {} (records {}), refunds under way {}, voided {}",
            audit.players,
            audit.opened.len(),
            audit.items,
            audit.star_transactions,
            totals.ledger_received,
            totals.recorded_received,
            totals.ledger_refunded,
            totals.recorded_refunded,
            totals.refund_pending,
            totals.voided,
        );
    }
    Ok(if audit.discrepancies.is_empty() { Exit::Ok } else { Exit::Refused })
}

fn audit_json(audit: &telegram::audit::Audit) -> serde_json::Value {
    let discrepancies: Vec<_> = audit
        .discrepancies
        .iter()
        .map(|found| {
            json!({
                "kind": found.kind.code(),
                "player": found.player.map(|user| user.0),
                "item": found.item,
                "charge": found.charge,
                "expected": found.expected,
                "found": found.found,
                "message": found.to_string(),
            })
        })
        .collect();
    let totals = &audit.totals;
    json!({
        "balanced": audit.discrepancies.is_empty(),
        "discrepancies": discrepancies,
        "players": audit.players,
        "items": audit.items,
        "star_transactions": audit.star_transactions,
        "opened": audit.opened.iter().map(|user| user.0).collect::<Vec<_>>(),
        "transient": audit.transient,
        "stars": {
            "received": { "star_ledger": totals.ledger_received, "records": totals.recorded_received },
            "refunded": { "star_ledger": totals.ledger_refunded, "records": totals.recorded_refunded },
            "refund_pending": totals.refund_pending,
            "voided": totals.voided,
        },
    })
}
