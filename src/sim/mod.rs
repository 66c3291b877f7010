//! The economy lab: a population of players (`players.toml`) through D simulated days on a
//! simulated clock, in memory, with the live game's rules (`domain::play`, `domain::order`,
//! the catalog's stacking rule). No Redis, no Telegram, no async runtime: one thread, one loop.
//!
//! Deterministic from the seed: player `i` draws from its own stream (the seed and `i`), and
//! each day the players take their turns in an order shuffled from the seed and the day, so the
//! shared stock sells out to whoever comes first that day, the same way on every run.
//! Measurements are aggregated into one [`Day`] of counters per day as the players play.

mod agent;
pub mod metrics;
pub mod report;

use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::domain::Catalog;
use agent::{mix, Agent, Shop, World, DAY_MS};
pub use metrics::{Day, Metrics};

/// 2026-01-01T00:00:00Z: the first simulated day starts at a UTC midnight, so simulated days
/// are the UTC days the daily arcade allowance counts in.
pub const START_MS: i64 = 1_767_225_600_000;

/// How big and which simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub players: u32,
    pub days: u32,
    pub seed: u64,
}

/// The simulation was asked to stop after `days_done` whole days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stopped {
    pub days_done: u32,
}

/// Simulates `options.players` players of `catalog.population` for `options.days` days.
/// `after_day(days_done)` is called after each day (a progress bar); when it returns false the
/// simulation stops there, between two days, and returns [`Stopped`].
pub fn simulate(
    catalog: &Catalog,
    options: &Options,
    mut after_day: impl FnMut(u32) -> bool,
) -> Result<Metrics, Stopped> {
    let profiles = &catalog.population.profiles;
    let mut agents = population(catalog, options);
    let mut metrics = empty_metrics(catalog, options);
    let mut shop = Shop { sold: vec![0; catalog.items().len()] };
    let mut order: Vec<usize> = Vec::with_capacity(agents.len());
    for day_index in 0..options.days {
        let day_start_ms = START_MS + i64::from(day_index) * DAY_MS;
        let world = World { catalog, profiles, day: day_index, day_start_ms };
        let mut day = new_day(&metrics);
        order.clear();
        order.extend(agents.iter().enumerate().filter(|(_, agent)| agent.active).map(|(at, _)| at));
        order.shuffle(&mut SmallRng::seed_from_u64(mix(options.seed, u64::MAX - u64::from(day_index))));
        let energy_before: u64 = order.iter().map(|&at| agents[at].energy_at(catalog, day_start_ms)).sum();
        for &at in &order {
            agents[at].play_day(&world, &mut shop, &mut day);
        }
        let energy_after: u64 = order.iter().map(|&at| agents[at].energy_at(catalog, day_start_ms + DAY_MS)).sum();
        day.active = order.len() as u32;
        day.energy_regenerated = (energy_after + day.energy_spent).saturating_sub(energy_before + day.energy_refilled);
        close_day(catalog, &metrics, &agents, &shop, &mut day);
        metrics.days.push(day);
        if !after_day(day_index + 1) && day_index + 1 < options.days {
            return Err(Stopped { days_done: day_index + 1 });
        }
    }
    metrics.median_levels = median_levels(catalog, &agents);
    Ok(metrics)
}

/// The players, assigned to profiles by share (largest remainders), in profile order.
fn population(catalog: &Catalog, options: &Options) -> Vec<Agent> {
    let profiles = &catalog.population.profiles;
    let exact: Vec<f64> = profiles.iter().map(|profile| profile.share / 100.0 * f64::from(options.players)).collect();
    let mut counts: Vec<u32> = exact.iter().map(|share| share.floor() as u32).collect();
    let mut by_remainder: Vec<usize> = (0..profiles.len()).collect();
    by_remainder.sort_by(|a, b| (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor())));
    let missing = options.players.saturating_sub(counts.iter().sum());
    for &profile in by_remainder.iter().cycle().take(missing as usize) {
        counts[profile] += 1;
    }
    let assigned = counts.iter().enumerate().flat_map(|(profile, count)| std::iter::repeat_n(profile, *count as usize));
    assigned
        .enumerate()
        .map(|(index, profile)| Agent::new(catalog, profile, options.seed, index as u64, START_MS))
        .collect()
}

fn empty_metrics(catalog: &Catalog, options: &Options) -> Metrics {
    let limited = catalog.items().iter().enumerate().filter_map(|(at, item)| Some((at, item.stock?))).collect();
    Metrics {
        players: options.players,
        seed: options.seed,
        items: catalog.items().iter().map(|item| item.id.to_string()).collect(),
        prices: catalog.items().iter().map(|item| item.price.get()).collect(),
        limited,
        profiles: catalog.population.profiles.iter().map(|profile| profile.id.clone()).collect(),
        tracks: catalog.economy.tracks.iter().map(|track| track.id.clone()).collect(),
        zones: catalog.loot.zones().iter().map(|zone| zone.id.clone()).collect(),
        arcade_gems_per_day: catalog.settings.arcade.gems_per_day,
        days: Vec::with_capacity(options.days as usize),
        median_levels: Vec::new(),
    }
}

fn new_day(metrics: &Metrics) -> Day {
    let (items, limited, profiles) = (metrics.items.len(), metrics.limited.len(), metrics.profiles.len());
    Day::new(items, limited, profiles, metrics.tracks.len(), metrics.zones.len())
}

/// The day's stocks as it ends: who still plays, their gems, levels and zones, stock left.
fn close_day(catalog: &Catalog, metrics: &Metrics, agents: &[Agent], shop: &Shop, day: &mut Day) {
    let tracks = &catalog.economy.tracks;
    let zones = catalog.loot.zones();
    for agent in agents.iter().filter(|agent| agent.active) {
        let player = &agent.player;
        day.gems_held += player.gems;
        day.profile_active[agent.profile] += 1;
        for (at, track) in tracks.iter().enumerate() {
            day.level_sums[agent.profile * tracks.len() + at] += u64::from(player.upgrades.level(&track.id));
        }
        let zone = catalog.loot.zone_at(player.depth);
        day.zone_players[zones.iter().position(|known| std::ptr::eq(known, zone)).unwrap_or(0)] += 1;
    }
    day.payers_ever = agents.iter().filter(|agent| agent.paid_ever).count() as u32;
    for (at, (item, stock)) in metrics.limited.iter().enumerate() {
        day.stock_left[at] = u64::from(*stock).saturating_sub(shop.sold[*item]);
    }
}

/// Each profile's median level of each track among its active players.
fn median_levels(catalog: &Catalog, agents: &[Agent]) -> Vec<Vec<u32>> {
    let profiles = catalog.population.profiles.len();
    let mut medians = vec![vec![0; catalog.economy.tracks.len()]; profiles];
    for (profile, row) in medians.iter_mut().enumerate() {
        for (slot, track) in row.iter_mut().zip(&catalog.economy.tracks) {
            let mut levels: Vec<u32> = agents
                .iter()
                .filter(|agent| agent.active && agent.profile == profile)
                .map(|agent| agent.player.upgrades.level(&track.id))
                .collect();
            levels.sort_unstable();
            *slot = levels.get(levels.len() / 2).copied().unwrap_or(0);
        }
    }
    medians
}

#[cfg(test)]
mod tests;
