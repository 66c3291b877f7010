//! Redis for the benchmarks: throwaway servers (or an empty `REDIS_URL`), what the server did
//! per operation (`INFO` counters; the MONITOR count is in [`super::monitor`]), and the
//! server's own ceiling measured with `redis-benchmark` in the same run.

use std::collections::BTreeMap;
use std::process::Command as Process;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::monitor::Seen;
use crate::config::{Config, RedisTarget};
use crate::exit::{Exit, Failure};
use crate::store::{private_server, Store};

/// How a throwaway server keeps its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Persistence {
    /// `--appendonly no`: the fastest the store can be.
    None,
    /// `--appendonly yes --appendfsync always`: what the private server runs (money-grade).
    AofAlways,
}

impl Persistence {
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "no persistence",
            Self::AofAlways => "AOF always",
        }
    }

    fn server(self) -> private_server::Persistence {
        match self {
            Self::None => private_server::Persistence::None,
            Self::AofAlways => private_server::Persistence::AofAlways,
        }
    }
}

/// A Redis a benchmark runs against: `REDIS_URL` (one run) or a throwaway server per mode.
pub struct Target {
    pub label: String,
    pub urls: Vec<String>,
    /// How `redis-benchmark` reaches it (None for a cluster).
    benchmark_args: Option<Vec<String>>,
    _server: Option<private_server::Throwaway>,
}

impl Target {
    /// The targets to run against, opened one at a time by the caller: `REDIS_URL` when set
    /// (it must hold no key, since the benchmarks write made-up players), else one throwaway
    /// server per mode.
    pub fn plans(config: &Config, modes: &[Persistence]) -> Vec<Plan> {
        match &config.redis {
            RedisTarget::Urls(urls) => vec![Plan::Url(urls.clone())],
            RedisTarget::Private { .. } => modes.iter().map(|mode| Plan::Throwaway(*mode)).collect(),
        }
    }

    /// The single URL (the first seed of a cluster).
    pub fn url(&self) -> &str {
        self.urls.first().map_or("", String::as_str)
    }
}

/// A target not opened yet.
pub enum Plan {
    Url(Vec<String>),
    Throwaway(Persistence),
}

impl Plan {
    pub async fn open(self) -> Result<Target, Failure> {
        let unavailable = |error: String| Failure::new(Exit::Unavailable, error);
        match self {
            Self::Url(urls) => {
                let keys: u64 = async {
                    let client = redis::Client::open(urls[0].as_str())?;
                    let mut conn = client.get_multiplexed_async_connection().await?;
                    redis::cmd("DBSIZE").query_async(&mut conn).await
                }
                .await
                .map_err(|error: redis::RedisError| unavailable(error.to_string()))?;
                if keys > 0 {
                    let why = format!("REDIS_URL holds {keys} keys: the bench writes made-up players, orders and leaderboard entries, so give it an empty database");
                    return Err(Failure::new(Exit::Refused, why));
                }
                let benchmark_args = match urls.as_slice() {
                    [url] => Some(vec!["-u".to_owned(), url.clone()]),
                    _ => None,
                };
                Ok(Target { label: "REDIS_URL".to_owned(), urls, benchmark_args, _server: None })
            }
            Self::Throwaway(mode) => {
                let server = throwaway(mode).await.map_err(|error| unavailable(error.to_string()))?;
                let port = server.port().to_string();
                Ok(Target {
                    label: mode.label().to_owned(),
                    urls: vec![server.url()],
                    benchmark_args: Some(["-h", "127.0.0.1", "-p", &port].map(str::to_owned).to_vec()),
                    _server: Some(server),
                })
            }
        }
    }
}

/// A `redis-server` on a free loopback port with its data in a temp dir of its own, killed and
/// its dir removed when dropped.
async fn throwaway(mode: Persistence) -> Result<private_server::Throwaway, private_server::StartError> {
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    let serial = STARTED.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("starmine-bench-{}-{serial}", std::process::id()));
    private_server::RedisServer::new(dir).persistence(mode.server()).remove_dir_when_dropped().start().await
}

/// The server's counters at one moment: `INFO stats` and `INFO commandstats`, plus its CPU.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// `total_commands_processed`: every command, including those scripts run inside Redis.
    pub commands: u64,
    /// Calls per command (`cmdstat_<name>`), script-internal ones included.
    pub calls: BTreeMap<String, u64>,
    /// `used_cpu_user + used_cpu_sys`, seconds.
    pub cpu_seconds: f64,
}

impl Counters {
    pub async fn read(url: &str) -> Result<Self, Failure> {
        let info: String = async {
            let mut conn = redis::Client::open(url)?.get_multiplexed_async_connection().await?;
            redis::cmd("INFO").arg("all").query_async(&mut conn).await
        }
        .await
        .map_err(|error: redis::RedisError| Failure::new(Exit::Unavailable, format!("INFO: {error}")))?;
        let mut counters = Self::default();
        for line in info.lines() {
            let Some((name, value)) = line.split_once(':') else { continue };
            match name {
                "total_commands_processed" => counters.commands = value.trim().parse().unwrap_or(0),
                "used_cpu_user" | "used_cpu_sys" => counters.cpu_seconds += value.trim().parse().unwrap_or(0.0),
                _ => {
                    let Some(command) = name.strip_prefix("cmdstat_") else { continue };
                    let calls = value.split(',').find_map(|field| field.strip_prefix("calls="));
                    counters.calls.insert(command.to_owned(), calls.and_then(|c| c.parse().ok()).unwrap_or(0));
                }
            }
        }
        Ok(counters)
    }

    /// Redis CPU seconds between `before` and `self`.
    pub fn cpu_since(&self, before: &Self) -> f64 {
        (self.cpu_seconds - before.cpu_seconds).max(0.0)
    }

    /// What happened between `before` and `self`, per operation, without this module's own
    /// INFO calls.
    pub fn per_op(&self, before: &Self, ops: usize) -> PerOp {
        let ops = ops.max(1) as f64;
        let delta = |name: &str| {
            let now = self.calls.get(name).copied().unwrap_or(0);
            now.saturating_sub(before.calls.get(name).copied().unwrap_or(0))
        };
        let info = delta("info");
        let scripts = delta("evalsha") + delta("eval");
        PerOp {
            commands: self.commands.saturating_sub(before.commands).saturating_sub(info) as f64 / ops,
            scripts: scripts as f64 / ops,
            cpu_us: (self.cpu_seconds - before.cpu_seconds).max(0.0) * 1e6 / ops,
        }
    }
}

/// Redis work per benchmark operation.
#[derive(Clone, Copy, Debug)]
pub struct PerOp {
    /// Commands executed, including those run inside scripts.
    pub commands: f64,
    /// Script calls (EVALSHA/EVAL).
    pub scripts: f64,
    /// Redis CPU (user + system) per operation, µs.
    pub cpu_us: f64,
}

impl PerOp {
    /// Operations per second that would keep the Redis process fully busy, from its CPU per op.
    pub fn cpu_bound_rate(&self) -> f64 {
        if self.cpu_us > 0.0 {
            1e6 / self.cpu_us
        } else {
            f64::INFINITY
        }
    }
}

impl std::fmt::Display for PerOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.2} commands (with those inside scripts), {:.2} script calls, {:.0} µs of Redis CPU (at most {:.0}/s for one busy Redis)",
            self.commands,
            self.scripts,
            self.cpu_us,
            self.cpu_bound_rate()
        )
    }
}

/// What Redis did per operation in one target's run, and its ceiling: a row of the Redis
/// table every bot benchmark prints.
pub struct RedisRow {
    pub label: String,
    pub per_op: PerOp,
    /// Requests per operation from the MONITOR pass.
    pub requests: String,
    pub ceilings: Vec<Ceiling>,
}

impl RedisRow {
    /// Prints the table of `rows`, per `what` (e.g. "run").
    pub fn print_table<'a>(what: &str, rows: impl IntoIterator<Item = &'a RedisRow>) {
        println!("\n| redis | commands per {what} | script calls per {what} | Redis CPU µs per {what} | requests per {what} (MONITOR) | ceiling |");
        println!("| --- | ---: | ---: | ---: | --- | --- |");
        for row in rows {
            let per = &row.per_op;
            let ceilings = Ceiling::cells(&row.ceilings);
            let (commands, scripts, cpu) = (per.commands, per.scripts, per.cpu_us);
            println!("| {} | {commands:.2} | {scripts:.2} | {cpu:.0} | {} | {ceilings} |", row.label, row.requests);
        }
    }
}

/// One `redis-benchmark` figure.
#[derive(Clone, Debug)]
pub struct Ceiling {
    pub what: String,
    pub per_second: f64,
}

impl Ceiling {
    /// `SET 300000/s, GET 400000/s, ...` for a table cell.
    pub fn cells(ceilings: &[Self]) -> String {
        let cells: Vec<String> = ceilings.iter().map(|c| format!("{} {:.0}/s", c.what, c.per_second)).collect();
        cells.join(", ")
    }
}

/// [`ceiling`] with the first call of the store script `script` that `seen` captured, replayed
/// under `label`.
pub fn ceiling_replaying(target: &Target, store: &Store, seen: &Seen, script: &str, label: &str) -> Vec<Ceiling> {
    let sha = store.script_shas().into_iter().find(|(name, _)| *name == script).map(|(_, sha)| sha);
    let call = sha.and_then(|sha| seen.first_call.get(&sha).cloned());
    let replayed: Vec<(String, Vec<String>)> = call.into_iter().map(|call| (label.to_owned(), call)).collect();
    ceiling(target, &replayed)
}

/// Runs `redis-benchmark -n 200000 -c 50 -P 16 -q` against `target` for SET and GET and for
/// each given command line (e.g. a script call a benchmark captured), prints each figure and
/// returns them. A target it cannot reach (a cluster) gets a note instead.
pub fn ceiling(target: &Target, commands: &[(String, Vec<String>)]) -> Vec<Ceiling> {
    let Some(reach) = &target.benchmark_args else {
        println!("ceiling: redis-benchmark needs one server, not a cluster: no ceiling");
        return Vec::new();
    };
    let mut runs = vec![("SET/GET".to_owned(), vec!["-t".to_owned(), "set,get".to_owned()])];
    runs.extend(commands.iter().cloned());
    let mut figures = Vec::new();
    for (label, run) in runs {
        let common = ["-n", "200000", "-c", "50", "-P", "16", "-q"];
        let output = match Process::new("redis-benchmark").args(reach).args(common).args(&run).output() {
            Ok(output) => output,
            Err(error) => {
                println!("ceiling: cannot run redis-benchmark: {error}");
                continue;
            }
        };
        let text = String::from_utf8_lossy(&output.stdout);
        // -q rewrites a progress line with \r; the figure is what follows the last one.
        let lines = text.lines().filter_map(|line| line.rsplit('\r').next()).filter(|line| !line.trim().is_empty());
        for line in lines {
            let line = line.trim();
            println!("ceiling (redis-benchmark -c 50 -P 16) {label}: {line}");
            let Some((what, rest)) = line.split_once(": ") else { continue };
            let per_second = rest.split_whitespace().next().and_then(|n| n.parse::<f64>().ok());
            let what = if run.first().map(String::as_str) == Some("-t") { what.to_owned() } else { label.clone() };
            if let Some(per_second) = per_second {
                figures.push(Ceiling { what, per_second });
            }
        }
    }
    figures
}
