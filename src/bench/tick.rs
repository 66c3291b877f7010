//! The tick benchmark: a World of N loaded players run through `systems::schedule()` the way
//! the loop thread runs it, idle and with a share of the players digging.

use std::any::TypeId;
use std::time::{Duration, Instant};

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::ApplyDeferred;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::oneshot;

use super::{ms, Stats};
use crate::domain::{Energy, ItemKind, UserId};
use crate::game::components::*;
use crate::game::runner::{new_world, GameConfig};
use crate::game::{systems, Command};
use crate::reload::SharedCatalog;

/// The loop's default tick: the budget every figure is compared with.
fn tick_budget() -> Duration {
    GameConfig::default().tick
}

/// What one size measured.
struct Row {
    players: usize,
    spawn: Duration,
    rss_kib: u64,
    first: Duration,
    idle: Stats,
    digs: usize,
    busy: Stats,
    systems: Vec<(&'static str, f64, f64)>,
}

/// Measures each size in turn (a fresh World each) and prints a report with two tables.
pub fn bench(catalog: &SharedCatalog, sizes: &[usize], ticks: usize, dig_percent: f64) {
    let mut rows = Vec::new();
    for &players in sizes {
        let mut rng = StdRng::seed_from_u64(players as u64);
        let mut world = new_world(catalog, &GameConfig::default(), 7);
        let rss_before = rss_kib();
        let started = Instant::now();
        populate(&mut world, players, &mut rng);
        let spawn = started.elapsed();
        let rss = rss_kib();
        let mut schedule = systems::schedule();
        // The first run sees every player as changed (as after a mass load): shown apart.
        let first = tick(&mut world, &mut schedule, Vec::new()).0;
        let digs = (players as f64 * dig_percent / 100.0).round() as usize;
        let mut phase = |digging: usize| {
            let mut times = Vec::with_capacity(ticks);
            let (mut sent, mut notices) = (0, 0);
            for _ in 0..ticks {
                let inbox = dig_commands(&mut rng, players, digging);
                let (took, batch, told) = tick(&mut world, &mut schedule, inbox);
                times.push(took);
                sent += batch;
                notices += told;
            }
            (Stats::of(&mut times), sent / ticks, notices)
        };
        let idle = phase(0);
        let busy = phase(digs);
        let (split, unlisted) = per_system(&mut world, &schedule, &mut rng, (players, digs, ticks));
        println!(
            "{players} players: spawned in {:.0} ms, RSS {} MiB ({} MiB more); first tick {:.2} ms",
            ms(spawn),
            rss / 1024,
            rss.saturating_sub(rss_before) / 1024,
            ms(first)
        );
        println!("  idle tick: {}; {} notices over {ticks} ticks", idle.0, idle.2);
        println!("  busy tick, {digs} digs: {}; {} mutations sent per tick", busy.0, busy.1);
        for (name, idle, busy) in &split {
            println!("  {name:<15} p50 idle {idle:>8.3} ms, busy {busy:>8.3} ms");
        }
        if unlisted > 0 {
            println!("  note: {unlisted} system(s) of schedule() are not in the per-system list (bench/tick.rs)");
        }
        let row = Row { players, spawn, rss_kib: rss, first, idle: idle.0, digs, busy: busy.0, systems: split };
        rows.push(row);
    }
    println!("\n| players | spawn ms | RSS MiB | first tick ms | idle p50 / p99 / max ms | digs | busy p50 / p99 / max ms | busy p99 of 50 ms |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        println!(
            "| {} | {:.0} | {} | {:.2} | {} | {} | {} | {:.1}% |",
            row.players,
            ms(row.spawn),
            row.rss_kib / 1024,
            ms(row.first),
            row.idle.cells(),
            row.digs,
            row.busy.cells(),
            100.0 * row.busy.p99 / ms(tick_budget())
        );
    }
    println!("\n| players | system | idle p50 ms | busy p50 ms |\n| ---: | --- | ---: | ---: |");
    for row in &rows {
        for (name, idle, busy) in &row.systems {
            println!("| {} | {name} | {idle:.3} | {busy:.3} |", row.players);
        }
    }
}

/// Spawns `n` players with the components `apply_arrivals` gives a loaded one: 30% refilling
/// energy (watched), 10% with a boost running (expiring over its duration), 20% with a tool,
/// 30% with upgrade levels (a random level on every track).
fn populate(world: &mut World, n: usize, rng: &mut StdRng) {
    let catalog = world.resource::<CatalogRes>().0.clone();
    let now = world.resource::<Now>().0;
    let rules = catalog.settings.energy.clone();
    let regen = rules.regen.as_millis().max(1) as i64;
    let tools: Vec<String> = (catalog.items().iter())
        .filter(|item| matches!(item.kind, ItemKind::Permanent))
        .map(|item| item.id.to_string())
        .collect();
    let boosts: Vec<(String, i64)> = (catalog.items().iter())
        .filter_map(|item| match item.kind {
            ItemKind::Boost { duration } => Some((item.id.to_string(), duration.as_millis() as i64)),
            _ => None,
        })
        .collect();
    let tracks: Vec<(String, u32)> =
        catalog.economy.tracks.iter().map(|track| (track.id.clone(), track.max_level())).collect();
    let entities: Vec<Entity> = world
        .spawn_batch((0..n).map(|i| {
            let energy = match rng.random_bool(0.3) {
                true => Energy { value: rng.random_range(0..rules.max), at_ms: now - rng.random_range(0..regen) },
                false => Energy::full(&rules, now),
            };
            let mut inventory = Inventory::default();
            if !tools.is_empty() && rng.random_bool(0.2) {
                inventory.0.insert(tools[rng.random_range(0..tools.len())].clone(), 1);
            }
            let mut running = Boosts::default();
            if !boosts.is_empty() && rng.random_bool(0.1) {
                let (id, duration) = &boosts[rng.random_range(0..boosts.len())];
                running.0.insert(id.clone(), now + rng.random_range(1..=*duration));
            }
            let depth = rng.random_range(0..500);
            let gems = u64::from(depth) * 7;
            let progress =
                Progress { energy, gems, mined: gems, depth, ver: 1, pending_digs: 0, arcade_day: 0, arcade_gems: 0 };
            // Active within the last 10 minutes: nobody reaches the 15-minute idle limit.
            let last = LastActive(now - rng.random_range(0..600_000));
            let player = Player { user: UserId(i as u64 + 1) };
            let mut levels = Levels::default();
            if rng.random_bool(0.3) {
                for (track, max) in &tracks {
                    levels.0.levels.insert(track.clone(), rng.random_range(0..=*max));
                }
            }
            (player, progress, inventory, running, levels, InFlight(0), last)
        }))
        .collect();
    let mut players = world.resource_mut::<Players>();
    players.0.reserve(n);
    for (i, entity) in entities.into_iter().enumerate() {
        players.0.insert(UserId(i as u64 + 1), entity);
    }
}

/// `count` dig commands from distinct random players (their replies go nowhere).
fn dig_commands(rng: &mut StdRng, players: usize, count: usize) -> Vec<Command> {
    let chosen = rand::seq::index::sample(rng, players, count.min(players));
    (chosen.into_iter())
        .map(|i| Command::Dig {
            user: UserId(i as u64 + 1),
            name: format!("Miner {}", i + 1),
            reply: oneshot::channel().0,
        })
        .collect()
}

/// What the loop thread does in one tick (`Loop::tick`), with the clock moved on by one tick:
/// the time taken, the mutations sent and the notices produced.
fn tick(world: &mut World, schedule: &mut Schedule, inbox: Vec<Command>) -> (Duration, usize, usize) {
    let started = Instant::now();
    world.resource_mut::<Now>().0 += tick_budget().as_millis() as i64;
    world.resource_mut::<Inbox>().0.extend(inbox);
    schedule.run(world);
    let batch = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    let notices = world.resource_mut::<Notices>().0.drain(..).count();
    let took = started.elapsed();
    (took, batch.len(), notices)
}

/// Each system of `schedule()` in its own schedule, in the same order: p50 (ms) per system for
/// idle and busy ticks, and how many systems of `full` the list misses (it names them by hand,
/// so it can fall behind `systems::schedule()`).
fn per_system(
    world: &mut World,
    full: &Schedule,
    rng: &mut StdRng,
    (players, digs, ticks): (usize, usize, usize),
) -> (Vec<(&'static str, f64, f64)>, usize) {
    macro_rules! each {
        ($($system:ident),*) => {
            vec![$((stringify!($system), {
                let mut schedule = Schedule::default();
                schedule.add_systems(systems::$system);
                schedule
            })),*]
        };
    }
    let mut steps = each!(
        apply_arrivals,
        route_commands,
        digging,
        using,
        spending_gems,
        arcade,
        expire_runs,
        expire_boosts,
        watch_energy,
        evict_idle
    );
    for (_, schedule) in &mut steps {
        schedule.run(world); // The first run of a change filter sees everything: not counted.
    }
    let types = |schedule: &Schedule| -> Vec<TypeId> {
        let systems = schedule.systems().into_iter().flatten();
        systems.map(|(_, system)| system.system_type()).filter(|t| *t != TypeId::of::<ApplyDeferred>()).collect()
    };
    let listed: Vec<TypeId> = steps.iter().flat_map(|(_, schedule)| types(schedule)).collect();
    let unlisted = types(full).iter().filter(|t| !listed.contains(t)).count();
    let mut measure = |digging: usize| {
        let mut times = vec![Vec::with_capacity(ticks); steps.len()];
        for _ in 0..ticks {
            world.resource_mut::<Now>().0 += tick_budget().as_millis() as i64;
            world.resource_mut::<Inbox>().0 = dig_commands(rng, players, digging);
            for ((_, schedule), times) in steps.iter_mut().zip(&mut times) {
                let started = Instant::now();
                schedule.run(world);
                times.push(started.elapsed());
            }
            world.resource_mut::<Outbox>().0.clear();
            world.resource_mut::<Notices>().0.clear();
        }
        times.into_iter().map(|mut t| Stats::of(&mut t).p50).collect::<Vec<_>>()
    };
    let idle = measure(0);
    let busy = measure(digs);
    let rows = steps.iter().zip(idle.into_iter().zip(busy)).map(|((name, _), (idle, busy))| (*name, idle, busy));
    (rows.collect(), unlisted)
}

/// This process's resident set (KiB), from /proc (0 where there is none).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    (status.lines())
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
