//! The mutation benchmark: batches of dig mutations through the loop's own I/O task against
//! Redis, next to the server's own ceiling (`redis-benchmark`) measured in the same run.

use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::redis::{self as redis_bench, Persistence, Target};
use super::Stats;
use crate::config::Config;
use crate::domain::outcome::Verdict;
use crate::domain::{EnergyRules, UserId};
use crate::exit::{Exit, Failure};
use crate::game::io::{self, IoRequest, IoResult, Pending};
use crate::game::wake::Wake;
use crate::game::Find;
use crate::store::game::EnergySpec;
use crate::store::Store;

/// Against `REDIS_URL` when set (it must be empty), else against two throwaway servers: no
/// persistence, then AOF with `appendfsync always` (what the private server runs).
pub async fn bench(config: &Config, sizes: &[usize], batches: usize) -> Result<Exit, Failure> {
    for plan in Target::plans(config, &[Persistence::None, Persistence::AofAlways]) {
        let target = plan.open().await?;
        let store =
            Store::connect(&target.urls).await.map_err(|error| Failure::new(Exit::Unavailable, error.to_string()))?;
        batch_digs(&store, &target.label, sizes, batches).await?;
        ceiling(&store, &target).await;
    }
    Ok(Exit::Ok)
}

/// For each size, digs with `size` players at once through the loop's own I/O task (`io::run`:
/// concurrent over one multiplexed connection), one batch at a time: a first untimed batch
/// creates the players, then `batches` timed ones dig with the same players again (energy is
/// made plentiful so every dig is applied). Prints a table row per size.
async fn batch_digs(store: &Store, label: &str, sizes: &[usize], batches: usize) -> Result<(), Failure> {
    let (batch_tx, batch_rx) = mpsc::unbounded_channel();
    let (result_tx, result_rx) = std::sync::mpsc::channel();
    tokio::spawn(io::run(store.clone(), batch_rx, result_tx, Pending::default(), Wake::default()));
    let rules = EnergyRules { max: 1_000_000, ..EnergyRules::default() };
    let (mut first_user, mut action) = (1_000_000_000_u64, 0_u64);
    let mut send = |players: std::ops::Range<u64>| -> Result<(Duration, usize), Failure> {
        let size = players.end - players.start;
        let batch: Vec<IoRequest> = players
            .map(|user| {
                action += 1;
                let find = Find {
                    drop_id: "quartz".into(),
                    drop_name: "Quartz".into(),
                    rare: false,
                    gems: 10,
                    zone: "Topsoil".into(),
                    depth: 1,
                };
                let (user, action, name) = (UserId(user), format!("bench-{action}"), "Bench".to_owned());
                let energy = EnergySpec::plain(&rules);
                IoRequest::Dig { user, action, rules: rules.clone(), energy, find, name, reply: oneshot::channel().0 }
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
                    Err(_) => return Err(Failure::new(Exit::Unavailable, "no answer from Redis within 60 s")),
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
async fn ceiling(store: &Store, target: &Target) {
    let Some((_, sha)) = store.script_shas().into_iter().find(|(name, _)| *name == "dig") else {
        return;
    };
    let loaded: redis::RedisResult<Vec<bool>> = async {
        let mut conn = redis::Client::open(target.url())?.get_multiplexed_async_connection().await?;
        redis::cmd("SCRIPT").arg("EXISTS").arg(&sha).query_async(&mut conn).await
    }
    .await;
    if !matches!(loaded.as_deref(), Ok([true])) {
        println!("ceiling: the dig script {sha} is not loaded: no script ceiling");
        redis_bench::ceiling(target, &[]);
        return;
    }
    let dig = [
        "-r",
        "10000",
        "EVALSHA",
        &sha,
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
    ];
    redis_bench::ceiling(target, &[("dig script".to_owned(), dig.map(str::to_owned).to_vec())]);
}
