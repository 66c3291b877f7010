//! Components of a player entity and the resources the systems share.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Arc;

use bevy_ecs::prelude::*;
use rand::rngs::StdRng;

use super::io::{IoRequest, IoResult};
use super::{Command, Notice, PlayerView};
use crate::domain::economy::{Bonuses, Economy};
use crate::domain::play::Allowance;
use crate::domain::{Catalog, Energy, Upgrades, UserId};
use crate::store::game::PlayerState;

/// The player an entity is.
#[derive(Component, Debug)]
pub struct Player {
    pub user: UserId,
}

/// Counters as of the last authoritative result (plus optimistic spends since).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub energy: Energy,
    pub gems: u64,
    pub mined: u64,
    /// Authoritative depth plus the digs sent and not answered yet (so several digs in one tick
    /// each dig one meter deeper, in the right zone).
    pub depth: u32,
    pub ver: u64,
    /// Digs sent to Redis and not answered yet (counted into `depth`).
    pub pending_digs: u32,
    /// Arcade gems awarded on `arcade_day` (a UTC day number).
    pub arcade_day: i64,
    pub arcade_gems: u64,
}

/// Upgrade levels and cosmetics bought with gems.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels(pub Upgrades);

#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory(pub BTreeMap<String, u64>);

/// Active boosts: item id -> expiry (ms).
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Boosts(pub BTreeMap<String, i64>);

/// The arcade skin the player chose (None: the automatic one).
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Look(pub Option<String>);

/// When the player last did something (ms), for idle eviction.
#[derive(Component, Clone, Copy, Debug)]
pub struct LastActive(pub i64);

/// Being loaded from Redis; commands wait here until it arrives.
#[derive(Component, Debug, Default)]
pub struct Loading(pub Vec<Command>);

/// Mutations sent and not answered yet: such a player is never evicted.
#[derive(Component, Clone, Copy, Debug, Default)]
pub struct InFlight(pub u32);

/// Energy is below the cap: notify when it is full at `at` (ms).
#[derive(Component, Clone, Copy, Debug)]
pub struct WatchEnergyFull {
    pub at: i64,
}

/// An arcade run in progress (its own entity; the record in Redis is the authority).
#[derive(Component, Clone, Debug)]
pub struct Run {
    pub user: UserId,
    pub run_id: String,
    pub ends_at_ms: i64,
}

/// Arcade commands waiting for their system.
#[derive(Resource, Default)]
pub struct RunQueue(pub Vec<Command>);

/// Gem purchases waiting for their system.
#[derive(Resource, Default)]
pub struct GemQueue(pub Vec<Command>);

/// The time of this tick (ms since the epoch).
#[derive(Resource, Clone, Copy, Debug, Default)]
pub struct Now(pub i64);

/// The catalog in force this tick.
#[derive(Resource, Clone)]
pub struct CatalogRes(pub Arc<Catalog>);

/// user -> entity of every player in the World.
#[derive(Resource, Default)]
pub struct Players(pub HashMap<UserId, Entity>);

/// Commands received this tick, and the dig/use ones routed to their systems.
#[derive(Resource, Default)]
pub struct Inbox(pub Vec<Command>);

#[derive(Resource, Default)]
pub struct DigQueue(pub Vec<Command>);

#[derive(Resource, Default)]
pub struct UseQueue(pub Vec<Command>);

/// Results of Redis work that arrived since the last tick.
#[derive(Resource, Default)]
pub struct Arrivals(pub Vec<IoResult>);

/// Redis work produced this tick, sent as one batch after it.
#[derive(Resource, Default)]
pub struct Outbox(pub Vec<IoRequest>);

/// Notices produced this tick.
#[derive(Resource, Default)]
pub struct Notices(pub Vec<Notice>);

/// The loot dice. Seeded from `LOOT_SEED` when set, so runs can be replayed.
#[derive(Resource)]
pub struct Dice(pub StdRng);

/// How long an idle player stays loaded (ms), and how long one with a pending timer does.
#[derive(Resource, Clone, Copy, Debug)]
pub struct Eviction {
    pub idle_ms: i64,
    pub idle_with_timers_ms: i64,
}

impl Progress {
    pub fn from_state(state: &PlayerState, catalog: &Catalog, now_ms: i64) -> Self {
        let stats = state.stats;
        Self {
            energy: stats
                .energy
                .unwrap_or_else(|| Energy::full(&catalog.energy_rules(&state.upgrades, now_ms), now_ms)),
            gems: stats.gems,
            mined: stats.mined,
            depth: stats.depth,
            ver: stats.ver,
            pending_digs: 0,
            arcade_day: state.arcade_day,
            arcade_gems: state.arcade_gems,
        }
    }

    /// Arcade gems the player may still win on the UTC day of `now_ms`.
    pub fn arcade_gems_left(&self, catalog: &Catalog, now_ms: i64) -> u64 {
        let allowance = Allowance { day: self.arcade_day, gems: self.arcade_gems };
        allowance.left(catalog.settings.arcade.gems_per_day, now_ms)
    }
}

/// Yield and luck in percent: the best item's (tools owned, boosts active) times the upgrade
/// levels ([`Catalog::dig_multipliers`]).
pub fn multipliers(
    catalog: &Catalog,
    inventory: &Inventory,
    boosts: &Boosts,
    bonuses: Bonuses,
    now_ms: i64,
) -> (u32, u32) {
    catalog.dig_multipliers(&inventory.0, &boosts.0, bonuses, now_ms)
}

/// The player as shown to them now.
pub fn view(
    user: UserId,
    progress: &Progress,
    inventory: &Inventory,
    boosts: &Boosts,
    levels: &Levels,
    catalog: &Catalog,
    now_ms: i64,
) -> PlayerView {
    let bonuses = catalog.bonuses_at(&levels.0, now_ms);
    let rules = &Economy::energy_rules_with(&catalog.settings.energy, bonuses);
    let (yield_percent, luck_percent) = multipliers(catalog, inventory, boosts, bonuses, now_ms);
    PlayerView {
        user,
        energy: progress.energy.now(rules, now_ms),
        energy_max: rules.max,
        next_point_at: progress.energy.next_point_at(rules, now_ms),
        full_at: progress.energy.full_at(rules, now_ms),
        gems: progress.gems,
        mined: progress.mined,
        depth: progress.depth,
        zone: catalog.loot.zone_at(progress.depth).name.clone(),
        inventory: inventory.0.clone(),
        boosts: boosts.0.iter().filter(|(_, until)| **until > now_ms).map(|(k, v)| (k.clone(), *v)).collect(),
        yield_percent,
        luck_percent,
        regen_ms: rules.regen.as_millis() as i64,
        upgrades: levels.0.clone(),
        arcade_gems_left: progress.arcade_gems_left(catalog, now_ms),
        arcade_gems_per_day: u64::from(catalog.settings.arcade.gems_per_day),
    }
}

/// When something may next come due for a player — a boost running out, energy full again,
/// the idle limit — in time order, so the timer systems look only at the entities whose moment
/// has come instead of every loaded player every tick (at a million players that scan alone
/// took most of a 50 ms tick). Entries are hints: a system checks the entity when one comes due
/// and drops it if the entity changed or left. Each queue holds about one entry per entity.
#[derive(Resource, Default)]
pub struct Timers {
    pub boosts: TimeQueue,
    pub energy: TimeQueue,
    pub idle: TimeQueue,
}

/// A min-queue of `(moment ms, entity)`.
#[derive(Default)]
pub struct TimeQueue(BinaryHeap<Reverse<(i64, Entity)>>);

impl TimeQueue {
    pub fn push(&mut self, at: i64, entity: Entity) {
        self.0.push(Reverse((at, entity)));
    }

    /// Adds many at once (a mass load): one rebuild instead of a sift per entry.
    pub fn extend(&mut self, entries: Vec<(i64, Entity)>) {
        self.0.extend(entries.into_iter().map(Reverse));
    }

    /// Takes every entry due at `now`, earliest first, one per entity (a stale entry and a
    /// fresh one for the same entity may both be due; the entity is looked at once).
    pub fn pop_due(&mut self, now: i64) -> Vec<(i64, Entity)> {
        let mut due = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(Reverse((at, _))) = self.0.peek() {
            if *at > now {
                break;
            }
            if let Some(Reverse((at, entity))) = self.0.pop() {
                if seen.insert(entity) {
                    due.push((at, entity));
                }
            }
        }
        due
    }
}
