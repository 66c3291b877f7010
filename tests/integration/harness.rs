//! The integration test harness: a private `redis-server` on a free loopback port, the Bot API
//! emulator, and the real `starmine serve` binary pointed at both, all under one temp dir.
//! Dropping a [`TestApp`] kills both processes; a failing test prints the bot's log tail. Tests
//! that run `serve` without `REDIS_URL` hold a [`PrivateRedisGuard`], which stops the private
//! Redis a killed `serve` leaves behind.

use std::fs::OpenOptions;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Output, Stdio};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use starmine::sandbox::emulator::{Emulator, EmulatorConfig};
use starmine::store::private_server::{Persistence, Throwaway};
use tempfile::TempDir;
use tokio::process::{Child, Command};

pub use self::cluster::TestCluster;
use self::in_process::InProcess;
pub use self::peer::Peer;
pub use self::private_redis::PrivateRedisGuard;
use self::test_redis::start_redis;
pub use self::test_redis::TestRedis;

mod cluster;
mod in_process;
mod peer;
mod private_redis;
mod self_test;
mod test_redis;

const READY_TIMEOUT: Duration = Duration::from_secs(20);
const POLL_STEP: Duration = Duration::from_millis(25);

/// Variables a developer's shell might carry that would change how the bot runs: every one
/// `Config` reads, the log filter, and those read outside it.
fn scrubbed_env() -> impl Iterator<Item = &'static str> {
    starmine::config::VARIABLES.into_iter().chain([
        starmine::config::LOG_FILTER,
        "TELOXIDE_PROXY",
        "STARMINE_FAILPOINTS",
    ])
}

/// How to start a [`TestApp`].
#[derive(Clone, Debug)]
pub struct TestOptions {
    /// `GAME_DATA_DIR`; default `tests/fixtures/game_data`.
    pub game_data_dir: PathBuf,
    /// `ADMIN_USER_IDS`.
    pub admin_user_ids: Vec<i64>,
    /// More environment for the bot and the CLI (e.g. `GAME_SHORT_NAME`); wins over the defaults.
    pub env: Vec<(String, String)>,
    pub emulator: EmulatorConfig,
    /// Whether `spawn_with` and `restart` wait until the bot calls getUpdates.
    pub wait_for_polling: bool,
    /// The program and its arguments for the bot; default the real binary with `serve`.
    pub program: PathBuf,
    pub args: Vec<String>,
    /// The working directory of the bot and the CLI; default the crate root (so relative paths
    /// such as `assets/` resolve as in a checkout). Redis data and logs stay in the temp dir.
    pub working_dir: PathBuf,
    /// Run the app in this test process (`starmine::app::serve_until`) instead of the binary:
    /// for tests that need no crash; `kill9`, `sigterm` and `bot_pid` need a process.
    pub in_process: bool,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            game_data_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data"),
            admin_user_ids: Vec::new(),
            env: Vec::new(),
            emulator: EmulatorConfig::default(),
            wait_for_polling: true,
            program: PathBuf::from(env!("CARGO_BIN_EXE_starmine")),
            args: vec!["serve".to_owned()],
            working_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            in_process: false,
        }
    }
}

/// One bot under test with its own Redis and emulator.
pub struct TestApp {
    pub emulator: Emulator,
    pub redis_url: String,
    options: TestOptions,
    redis: Throwaway,
    bot: Option<Child>,
    in_process: Option<InProcess>,
    log_path: PathBuf,
    /// Where the current bot run starts in the log, and how many requests came before it.
    run_log_offset: u64,
    run_first_request: usize,
    dir: TempDir,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(TestOptions::default()).await
    }

    pub async fn spawn_with(options: TestOptions) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let redis = start_redis(dir.path(), Persistence::AofAlways, None).await;
        let redis_url = redis.url();
        let emulator = Emulator::start(options.emulator.clone()).await.expect("the emulator starts");
        let log_path = dir.path().join("bot.log");
        let mut app = Self {
            emulator,
            redis_url,
            options,
            redis,
            bot: None,
            in_process: None,
            log_path,
            run_log_offset: 0,
            run_first_request: 0,
            dir,
        };
        app.start_bot().await;
        app
    }

    /// The bot's environment (also used by [`TestApp::run_cli`]).
    pub fn env(&self) -> Vec<(String, String)> {
        let admins: Vec<String> = self.options.admin_user_ids.iter().map(i64::to_string).collect();
        let mut env = vec![
            ("TELOXIDE_TOKEN".to_owned(), self.emulator.token().to_owned()),
            ("TELOXIDE_API_URL".to_owned(), self.emulator.api_url()),
            ("REDIS_URL".to_owned(), self.redis_url.clone()),
            ("GAME_DATA_DIR".to_owned(), self.options.game_data_dir.display().to_string()),
            ("HTTP_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
            ("METRICS_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
            ("ADMIN_USER_IDS".to_owned(), admins.join(",")),
            ("RUST_LOG".to_owned(), "info,starmine=debug".to_owned()),
            ("NO_COLOR".to_owned(), "1".to_owned()),
        ];
        env.extend(self.options.env.iter().cloned());
        env
    }

    fn command(&self, args: &[String]) -> Command {
        let mut command = Command::new(&self.options.program);
        command.args(args).current_dir(&self.options.working_dir).stdin(Stdio::null());
        for name in scrubbed_env() {
            command.env_remove(name);
        }
        command.envs(self.env());
        command
    }

    async fn start_bot(&mut self) {
        let mut log = OpenOptions::new().create(true).append(true).open(&self.log_path).expect("the bot log opens");
        let runs = if self.run_log_offset == 0 { "start" } else { "restart" };
        writeln!(log, "===== harness: bot {runs} =====").expect("the bot log is writable");
        self.run_log_offset = log.metadata().map(|meta| meta.len()).unwrap_or(0);
        self.run_first_request = self.emulator.request_count();
        if self.options.in_process {
            self.in_process = Some(InProcess::start(&self.env()));
            if self.options.wait_for_polling {
                self.wait_until_polling().await;
            }
            return;
        }
        let stdout = log.try_clone().expect("the log handle clones");
        let mut command = self.command(&self.options.args);
        command.stdout(stdout).stderr(log).kill_on_drop(true);
        let program = self.options.program.display().to_string();
        self.bot = Some(command.spawn().unwrap_or_else(|error| panic!("cannot start {program}: {error}")));
        if self.options.wait_for_polling {
            self.wait_until_polling().await;
        }
    }

    /// Waits until the current bot run has called getUpdates; panics early if it exits.
    pub async fn wait_until_polling(&mut self) {
        let deadline = tokio::time::Instant::now() + READY_TIMEOUT;
        let is_poll =
            |request: &starmine::sandbox::emulator::RecordedRequest| request.method.eq_ignore_ascii_case("getUpdates");
        loop {
            let polled = self.emulator.wait_for_request(self.run_first_request, POLL_STEP * 4, is_poll).await;
            if polled.is_ok() {
                return;
            }
            if let Some(status) = self.bot.as_mut().and_then(|bot| bot.try_wait().ok().flatten()) {
                panic!("the bot exited ({status}) before polling; log tail:\n{}", self.log_tail(60));
            }
            if self.in_process.as_ref().is_some_and(InProcess::has_returned) {
                panic!("the in-process app returned before polling");
            }
            if tokio::time::Instant::now() > deadline {
                panic!("the bot did not poll within {READY_TIMEOUT:?}; log tail:\n{}", self.log_tail(60));
            }
        }
    }

    /// Sets (Some) or removes (None) one variable of the bot's environment for the next start.
    pub fn set_env(&mut self, name: &str, value: Option<&str>) {
        self.options.env.retain(|(key, _)| key != name);
        if let Some(value) = value {
            self.options.env.push((name.to_owned(), value.to_owned()));
        }
    }

    /// Starts another `serve` process on the same Redis and emulator with the same
    /// environment (for webhook mode, where several share the load), logging to its own file.
    pub async fn spawn_peer(&self, name: &str) -> Peer {
        let log_path = self.dir.path().join(format!("{name}.log"));
        let log = OpenOptions::new().create(true).append(true).open(&log_path).expect("the peer log opens");
        let stdout = log.try_clone().expect("the log handle clones");
        let mut command = self.command(&self.options.args);
        command.stdout(stdout).stderr(log).kill_on_drop(true);
        let child = command.spawn().expect("the peer starts");
        Peer { child: Some(child), log_path }
    }

    /// Stops the in-process app (see [`TestOptions::in_process`]) and waits for it to drain;
    /// what `serve_until` returned.
    pub async fn stop_in_process(&mut self) -> Result<(), starmine::exit::Failure> {
        self.in_process.take().expect("the app runs in-process").stop().await
    }

    /// The bot process's pid while it runs.
    pub fn bot_pid(&self) -> Option<u32> {
        self.bot.as_ref().and_then(|bot| bot.id())
    }

    /// Kills the bot with SIGKILL and reaps it.
    pub async fn kill9(&mut self) {
        if let Some(mut bot) = self.bot.take() {
            let _already_gone = bot.kill().await;
        }
    }

    /// Starts the bot again on the same Redis and emulator (killing it first if it still runs).
    pub async fn restart(&mut self) {
        self.kill9().await;
        self.start_bot().await;
    }

    /// Sends SIGTERM and waits (bounded) for the bot to exit.
    pub async fn sigterm(&mut self) -> ExitStatus {
        let mut bot = self.bot.take().expect("the bot is running");
        let pid = bot.id().expect("the bot has a pid") as libc::pid_t;
        // SAFETY: kill(2) with a pid we own and a valid signal number has no memory effects.
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM could not be sent");
        match tokio::time::timeout(Duration::from_secs(30), bot.wait()).await {
            Ok(status) => status.expect("the bot is reaped"),
            Err(_) => {
                let _ = bot.kill().await;
                panic!("the bot ignored SIGTERM for 30 s; log tail:\n{}", self.log_tail(60));
            }
        }
    }

    /// Runs the binary once with the bot's environment, e.g. `run_cli(&["player", "42"])`.
    pub async fn run_cli(&self, args: &[&str]) -> Output {
        self.run_cli_with_env(args, &[]).await
    }

    /// Like [`TestApp::run_cli`] with some variables changed, e.g. another `TELOXIDE_TOKEN`.
    pub async fn run_cli_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        let mut command = self.command(&args);
        command.envs(env.iter().copied());
        let run = tokio::time::timeout(Duration::from_secs(60), command.kill_on_drop(true).output());
        run.await.expect("the CLI finishes within 60 s").expect("the CLI runs")
    }

    /// Like [`TestApp::run_cli`], as a future that does not borrow the app: for tasks that run
    /// while the test restarts the bot or Redis (e.g. `tokio::spawn(app.cli(&["refund", ..]))`).
    pub fn cli(&self, args: &[&str]) -> impl Future<Output = Output> + Send + 'static {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        let mut command = self.command(&args);
        command.kill_on_drop(true);
        async move {
            let run = tokio::time::timeout(Duration::from_secs(60), command.output());
            run.await.expect("the CLI finishes within 60 s").expect("the CLI runs")
        }
    }

    /// Kills `redis-server` with SIGKILL and reaps it; its AOF stays in [`TestApp::dir`].
    pub fn kill9_redis(&mut self) {
        self.redis.kill();
    }

    /// Starts `redis-server` again on the same port and dir, so it loads its AOF (killing it
    /// first if it still runs); returns once it answers PING.
    pub async fn restart_redis(&mut self) {
        if let Err(error) = self.redis.restart().await {
            panic!("{error}");
        }
    }

    /// A connection to the test's Redis, for checks.
    pub async fn redis(&self) -> MultiplexedConnection {
        let client = redis::Client::open(self.redis_url.as_str()).expect("a valid Redis URL");
        client.get_multiplexed_async_connection().await.expect("Redis answers")
    }

    /// The bot's HTTP address from its `listening on http://ADDR` log line (this run).
    pub async fn http_addr(&self) -> SocketAddr {
        self.logged_addr(LISTENING).await
    }

    /// The metrics listener's address (`METRICS_ADDR`, a free port in tests) from the log.
    pub async fn metrics_addr(&self) -> SocketAddr {
        self.logged_addr(SERVING_METRICS).await
    }

    /// The webhook's own listener (`WEBHOOK_ADDR`) from the log.
    pub async fn webhook_addr(&self) -> SocketAddr {
        self.logged_addr(SERVING_WEBHOOK).await
    }

    async fn logged_addr(&self, phrase: &str) -> SocketAddr {
        let found = poll_until(READY_TIMEOUT, || async { parse_address(&self.run_log(), phrase) }).await;
        found.unwrap_or_else(|| panic!("no `{phrase}` line; log tail:\n{}", self.log_tail(60)))
    }

    /// Polls `check` until it is true; panics with the log tail after `timeout`.
    pub async fn wait_until<F, Fut>(&self, timeout: Duration, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let done = poll_until(timeout, || {
            let pending = check();
            async move { pending.await.then_some(()) }
        });
        if done.await.is_none() {
            panic!("condition not met within {timeout:?}; log tail:\n{}", self.log_tail(60));
        }
    }

    /// Everything the bot wrote, over all runs.
    pub fn log(&self) -> String {
        std::fs::read(&self.log_path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
    }

    /// What the current run wrote.
    pub fn run_log(&self) -> String {
        let log = self.log();
        log.get(self.run_log_offset as usize..).unwrap_or_default().to_owned()
    }

    pub fn log_tail(&self, lines: usize) -> String {
        let log = self.log();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// The test's temp dir (Redis data and log, the bot log).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("----- bot log tail ({}) -----\n{}\n-----", self.log_path.display(), self.log_tail(80));
        }
        if let Some(bot) = self.bot.as_mut() {
            let _ = bot.start_kill();
        }
        self.redis.kill();
        if !std::thread::panicking() {
            // Every request the bot sent in any test must conform to the Bot API description.
            crate::conformance::assert_conforms(&self.emulator.requests());
        }
    }
}

/// Polls `check` every few milliseconds until it gives a value or `timeout` passes.
pub async fn poll_until<T, F, Fut>(timeout: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(POLL_STEP).await;
    }
}

/// The log phrases before the listeners' addresses.
pub(super) const LISTENING: &str = "listening on http://";
const SERVING_METRICS: &str = "serving metrics on http://";
const SERVING_WEBHOOK: &str = "serving the webhook on http://";

/// The address after the last `phrase` (e.g. `listening on http://ADDR`), ANSI colours ignored.
pub(super) fn parse_address(log: &str, phrase: &str) -> Option<SocketAddr> {
    let start = log.rfind(phrase)? + phrase.len();
    let token: String = log[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || ".:[]".contains(*c)).collect();
    token.trim_end_matches(['.', ':']).parse().ok()
}
