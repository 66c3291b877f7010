//! The mutation benchmark: batches of dig mutations through the loop's own I/O task against
//! Redis, next to the server's own ceiling (`redis-benchmark`) measured in the same run.

use std::path::PathBuf;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::Stats;
use crate::app::{exit, Failure};
use crate::config::{Config, RedisTarget};
use crate::domain::{EnergyRules, UserId};
use crate::game::io::{self, IoRequest, IoResult, Pending};
use crate::game::Find;
use crate::store::game::Verdict;
use crate::store::Store;

/// Against `REDIS_URL` when set (it must be empty), else against two throwaway servers: no
/// persistence, then AOF with `appendfsync always` (what the private server runs).
pub async fn bench(config: &Config, sizes: &[usize], batches: usize) -> Result<i32, Failure> {
    let unavailable = |error: String| Failure::new(exit::UNAVAILABLE, error);
    if let RedisTarget::Urls(urls) = &config.redis {
        let keys: u64 = async {
            let mut conn = redis::Client::open(urls[0].as_str())?.get_multiplexed_async_connection().await?;
            redis::cmd("DBSIZE").query_async(&mut conn).await
        }
        .await
        .map_err(|error: redis::RedisError| unavailable(error.to_string()))?;
        if keys > 0 {
            let why = format!("REDIS_URL holds {keys} keys: the bench writes made-up players and leaderboard entries, so give it an empty database");
            return Err(Failure::new(exit::REFUSED, why));
        }
        let store = Store::connect(urls).await.map_err(|error| unavailable(error.to_string()))?;
        batch_digs(&store, "REDIS_URL", sizes, batches).await?;
        if let [url] = urls.as_slice() {
            ceiling(url, &["-u", url]).await;
        }
        return Ok(exit::OK);
    }
    let modes: [(&str, &[&str]); 2] = [
        ("no persistence", &["--appendonly", "no"]),
        ("AOF always", &["--appendonly", "yes", "--appendfsync", "always"]),
    ];
    for (label, persistence) in modes {
        let server = Throwaway::start(persistence).await.map_err(unavailable)?;
        let store = Store::connect(&[server.url()]).await.map_err(|error| unavailable(error.to_string()))?;
        batch_digs(&store, label, sizes, batches).await?;
        ceiling(&server.url(), &["-h", "127.0.0.1", "-p", &server.port.to_string()]).await;
    }
    Ok(exit::OK)
}

/// For each size, digs with `size` players at once through the loop's own I/O task (`io::run`:
/// concurrent over one multiplexed connection), one batch at a time: a first untimed batch
/// creates the players, then `batches` timed ones dig with the same players again (energy is
/// made plentiful so every dig is applied). Prints a table row per size.
async fn batch_digs(store: &Store, label: &str, sizes: &[usize], batches: usize) -> Result<(), Failure> {
    let (batch_tx, batch_rx) = mpsc::unbounded_channel();
    let (result_tx, result_rx) = std::sync::mpsc::channel();
    tokio::spawn(io::run(store.clone(), batch_rx, result_tx, Pending::default()));
    let rules = EnergyRules { max: 1_000_000, ..EnergyRules::default() };
    let (mut first_user, mut action) = (1_000_000_000_u64, 0_u64);
    let mut send = |players: std::ops::Range<u64>| -> Result<(Duration, usize), Failure> {
        let size = players.end - players.start;
        let batch: Vec<IoRequest> = players
            .map(|user| {
                action += 1;
                let find = Find { drop_name: "Quartz".into(), rare: false, gems: 10, zone: "Topsoil".into(), depth: 1 };
                let (user, action, name) = (UserId(user), format!("bench-{action}"), "Bench".to_owned());
                IoRequest::Dig { user, action, rules: rules.clone(), find, name, reply: oneshot::channel().0 }
            })
            .collect();
        let started = Instant::now();
        let _ = batch_tx.send(batch);
        // Results come back on a std channel (the loop thread polls it); waiting on it blocks.
        let applied = tokio::task::block_in_place(|| {
            let mut applied = 0;
            for _ in 0..size {
                match result_rx.recv_timeout(Duration::from_secs(60)) {
                    Ok(IoResult::Dug { result: Ok(result), .. }) if result.verdict == Verdict::Applied => applied += 1,
                    Ok(_) => {}
                    Err(_) => return Err(Failure::new(exit::UNAVAILABLE, "no answer from Redis within 60 s")),
                }
            }
            Ok(applied)
        })?;
        Ok((started.elapsed(), applied))
    };
    println!("\n| redis | batch | batches | dig mutations/s | batch p50 ms | batch p99 ms | applied |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for &size in sizes {
        let players = first_user..first_user + size as u64;
        first_user = players.end;
        send(players.clone())?; // Creates the players (and loads the script): not counted.
        let (mut times, mut applied) = (Vec::with_capacity(batches), 0);
        for _ in 0..batches {
            let (took, ok) = send(players.clone())?;
            times.push(took);
            applied += ok;
        }
        let total: Duration = times.iter().sum();
        let rate = (size * batches) as f64 / total.as_secs_f64();
        let stats = Stats::of(&mut times);
        let all = size * batches;
        println!(
            "| {label} | {size} | {batches} | {rate:.0} | {:.2} | {:.2} | {applied}/{all} |",
            stats.p50, stats.p99
        );
    }
    Ok(())
}

/// The server's own ceiling in the same run: SET/GET, and the dig script itself (EVALSHA by
/// 10,000 random players with plentiful energy, fresh action ids), 50 clients pipelining 16 deep.
async fn ceiling(url: &str, target: &[&str]) {
    // The store composes its dig script this way; SCRIPT EXISTS checks the copy is the same.
    let script = redis::Script::new(&format!(
        "{}\n{}\n{}",
        include_str!("../../store/scripts/player_lib.lua"),
        include_str!("../../store/scripts/game_lib.lua"),
        include_str!("../../store/scripts/dig.lua")
    ));
    let sha = script.get_hash();
    let loaded: redis::RedisResult<Vec<bool>> = async {
        let mut conn = redis::Client::open(url)?.get_multiplexed_async_connection().await?;
        redis::cmd("SCRIPT").arg("EXISTS").arg(sha).query_async(&mut conn).await
    }
    .await;
    let mut runs = vec![vec!["-t", "set,get"]];
    match loaded.as_deref() {
        Ok([true]) => runs.push(vec![
            "-r",
            "10000",
            "EVALSHA",
            sha,
            "2",
            "{p:__rand_int__}:state",
            "{p:__rand_int__}:actions",
            "1700000000000",
            "a:__rand_int__",
            "1",
            "1000000",
            "180000",
            "10",
            "Bench",
            "__rand_int__",
        ]),
        _ => println!("ceiling: the store's dig script is not {sha} (its composition changed?): no script ceiling"),
    }
    for run in runs {
        let common = ["-n", "200000", "-c", "50", "-P", "16", "-q"];
        let output = match Process::new("redis-benchmark").args(target).args(common).args(&run).output() {
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
            println!("ceiling (redis-benchmark -c 50 -P 16): {}", line.trim());
        }
    }
}

/// A `redis-server` this process started on a free loopback port, killed when dropped.
struct Throwaway {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Throwaway {
    async fn start(persistence: &[&str]) -> Result<Self, String> {
        let free = std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr());
        let port = free.map_err(|error| error.to_string())?.port();
        let dir = std::env::temp_dir().join(format!("starmine-bench-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
        let child = Process::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no", "--dir"])
            .arg(&dir)
            .args(persistence)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start redis-server: {error}"))?;
        let server = Self { child, port, dir };
        let client = redis::Client::open(server.url()).map_err(|error| error.to_string())?;
        for _ in 0..100 {
            if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
                if redis::cmd("PING").query_async::<String>(&mut conn).await.is_ok() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("redis-server on port {port} did not answer within 10 s"))
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
