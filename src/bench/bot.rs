//! The real bot under a benchmark: this very binary run as `starmine serve` in a child process,
//! pointed at an in-process Bot API emulator and a Redis, with a bench copy of `game_data`
//! written at run time.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::config::SendLimits;
use crate::domain::Catalog;
use crate::exit::{Exit, Failure};
use crate::game_data;
use crate::sandbox::emulator::Emulator;

/// The limited item of the flash sale, added to the bench copy of `game_data`.
pub const FLASH_ITEM: &str = "bench_flash_crate";
/// The game's short name the bench bot is configured with.
pub const GAME_SHORT_NAME: &str = "starmine_rush";

/// A temp dir holding the shipped `game_data` plus, for the benchmarks, a limited item of
/// `flash_stock` units with no per-player cap and one-second arcade runs (so a run may be
/// finished as soon as it starts: `EARLY_SLACK_MS` is longer). Removed when dropped.
pub struct BenchData {
    pub dir: PathBuf,
    pub catalog: Catalog,
}

impl BenchData {
    pub fn write(source: &Path, flash_stock: u32) -> Result<Self, Failure> {
        let failed = |what: String| Failure::new(Exit::Unavailable, what);
        let dir = std::env::temp_dir().join(format!("starmine-bench-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|error| failed(format!("{}: {error}", dir.display())))?;
        let entries = std::fs::read_dir(source).map_err(|error| failed(format!("{}: {error}", source.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                let text =
                    std::fs::read_to_string(&path).map_err(|error| failed(format!("{}: {error}", path.display())))?;
                let text = match path.file_name().and_then(|name| name.to_str()) {
                    Some("items.toml") => format!("{text}\n{}", flash_item(flash_stock)),
                    Some("settings.toml") => one_second_runs(&text),
                    _ => text,
                };
                let to = dir.join(entry.file_name());
                std::fs::write(&to, text).map_err(|error| failed(format!("{}: {error}", to.display())))?;
            }
        }
        let catalog = game_data::load_dir(&dir).map_err(|problems| {
            let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
            failed(format!("the bench copy of game_data is invalid:\n{}", listed.join("\n")))
        })?;
        Ok(Self { dir, catalog })
    }
}

impl Drop for BenchData {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn flash_item(stock: u32) -> String {
    format!(
        r#"# Added by `starmine bench`: the flash sale's limited item.
[[items]]
id = "{FLASH_ITEM}"
name = "Flash Crate"
description = "Benchmark only: 100 gems in a crate sold in a flash sale."
price_stars = 10
stock = {stock}
gems = 100
"#
    )
}

/// `run_seconds = 1`, replacing the shipped value.
fn one_second_runs(settings: &str) -> String {
    let kept: Vec<&str> = settings.lines().filter(|line| !line.trim_start().starts_with("run_seconds")).collect();
    format!("{}\nrun_seconds = 1\n", kept.join("\n"))
}

/// How to run the bot.
pub struct BotSetup<'a> {
    pub emulator: &'a Emulator,
    pub redis_url: &'a str,
    pub data: &'a BenchData,
    pub send_limits: SendLimits,
    /// `GAME_TOKEN_SECRET`: turns the HTML5 game and its API on.
    pub game_secret: Option<&'a str>,
}

/// `starmine serve` in a child process, killed when dropped; its log stays in a temp file.
pub struct BotProcess {
    child: Child,
    pub http: SocketAddr,
    pub log: PathBuf,
}

impl BotProcess {
    /// Starts the bot and waits (up to 30 s) until it polls the emulator for updates.
    pub async fn spawn(setup: BotSetup<'_>) -> Result<Self, Failure> {
        let failed = |what: String| Failure::new(Exit::Unavailable, what);
        let program = std::env::current_exe().map_err(|error| failed(format!("this binary: {error}")))?;
        let free = std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr());
        let http = free.map_err(|error| failed(error.to_string()))?;
        // Outside the data dir, so it stays for reading after the run.
        let log = std::env::temp_dir().join(format!("starmine-bench-bot-{}-{}.log", std::process::id(), http.port()));
        let out = std::fs::File::create(&log).map_err(|error| failed(format!("{}: {error}", log.display())))?;
        let err = out.try_clone().map_err(|error| failed(error.to_string()))?;
        let limits = match setup.send_limits {
            SendLimits::Telegram => "telegram",
            SendLimits::Off => "off",
        };
        let mut command = Command::new(program);
        // Only what the bot needs: nothing from the caller's shell changes how it runs.
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TELOXIDE_TOKEN", setup.emulator.token())
            .env("TELOXIDE_API_URL", setup.emulator.api_url())
            .env("REDIS_URL", setup.redis_url)
            .env("GAME_DATA_DIR", &setup.data.dir)
            .env("HTTP_ADDR", http.to_string())
            // The benches read no metrics; the default port may be taken by a bot running here.
            .env("METRICS_ADDR", "off")
            .env("SEND_LIMITS", limits)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true);
        // The intake limits are the one setting a bench may vary from its own environment.
        for name in ["INTAKE_MAX_IN_FLIGHT", "INTAKE_MAX_QUERIES_IN_FLIGHT"] {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        if let Some(secret) = setup.game_secret {
            command
                .env("PUBLIC_URL", format!("http://{http}/"))
                .env("GAME_SHORT_NAME", GAME_SHORT_NAME)
                .env("GAME_TOKEN_SECRET", secret);
        }
        let first_request = setup.emulator.request_count();
        let child = command.spawn().map_err(|error| failed(format!("cannot start the bot: {error}")))?;
        let mut bot = Self { child, http, log };
        let is_poll = |request: &crate::sandbox::emulator::RecordedRequest| request.method == "getUpdates";
        for _ in 0..300 {
            if setup.emulator.wait_for_request(first_request, Duration::from_millis(100), is_poll).await.is_ok() {
                return Ok(bot);
            }
            if let Ok(Some(status)) = bot.child.try_wait() {
                return Err(failed(format!("the bot exited ({status}) before polling; see {}", bot.log.display())));
            }
        }
        Err(failed(format!("the bot did not poll within 30 s; see {}", bot.log.display())))
    }

    /// Kills the bot and reaps it.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// CPU time used during a phase by the bot and by this process (the emulator and the
/// simulated players), from `/proc` (Linux; figures are absent elsewhere).
pub struct CpuMeter {
    bot_pid: Option<u32>,
    started: (Option<f64>, Option<f64>),
}

impl CpuMeter {
    pub fn start(bot: &BotProcess) -> Self {
        let bot_pid = bot.child.id();
        Self { bot_pid, started: (bot_pid.and_then(cpu_seconds), cpu_seconds(std::process::id())) }
    }

    /// `bot 1.2 s, emulator and players 0.8 s, Redis 0.3 s of CPU over 2.0 s`.
    pub fn report(&self, span: Duration, redis_seconds: f64) -> String {
        let used = |now: Option<f64>, then: Option<f64>| match now.zip(then) {
            Some((now, then)) => format!("{:.2} s", now - then),
            None => "?".to_owned(),
        };
        let bot = used(self.bot_pid.and_then(cpu_seconds), self.started.0);
        let own = used(cpu_seconds(std::process::id()), self.started.1);
        format!(
            "CPU used: bot {bot}, emulator and simulated players {own}, Redis {redis_seconds:.2} s, in {:.2} s on {} cores",
            span.as_secs_f64(),
            std::thread::available_parallelism().map_or(1, usize::from)
        )
    }
}

/// User + system CPU seconds of process `pid` (`/proc/<pid>/stat`, 100 ticks a second).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: the fields that count come after its closing paren.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}
