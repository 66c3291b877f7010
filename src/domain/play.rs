//! One player's play as pure rules over a small state ([`Player`]): what the game's scripts
//! decide atomically in Redis — a dig's spend (`dig.lua`), using an item (`use_item.lua`), a gem
//! purchase (`upgrade.lua`), a run's start and finish (`start_run.lua`, `finish_run.lua`), a
//! purchase's grant (`grant.lua`) and a refund's revocation (`begin_refund.lua`) — written once in
//! Rust, so the game loop's optimistic copy and the economy simulator follow the scripts' rule.
//! `tests/integration/rules.rs` runs the same cases through each script on a real Redis and
//! through these functions and requires the same results.

use std::collections::BTreeMap;

use rand::Rng;

use super::catalog::{Catalog, Grant, Item, ItemKind, GEMS_UNIT};
use super::economy::{Economy, GemPurchase, GemRefusal, Upgrades};
use super::game::{
    roll, utc_day, yield_gems, ArcadeRules, Drop, Energy, EnergyRules, LootTable, RunParams, RunSources,
};
use super::game::{EARLY_SLACK_MS, LATE_GRACE_MS};
use super::outcome::{RunVerdict, Verdict};

/// What the game keeps of one player, as the scripts change it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Player {
    pub energy: Energy,
    pub gems: u64,
    /// Meters dug: each dig goes one deeper, and the depth picks the zone.
    pub depth: u32,
    /// Item id -> units held (an entry at zero is removed).
    pub inventory: BTreeMap<String, u64>,
    /// Boost item id -> expiry (ms); may include expired ones.
    pub boosts: BTreeMap<String, i64>,
    pub upgrades: Upgrades,
    /// Arcade gems awarded on one UTC day.
    pub arcade: Allowance,
    /// The one open arcade run, if any.
    pub open_run: Option<Run>,
    pub best_score: u64,
}

impl Player {
    /// A new player: a full bar, nothing else.
    pub fn new(catalog: &Catalog, now_ms: i64) -> Self {
        Self {
            energy: Energy::full(&catalog.settings.energy, now_ms),
            gems: 0,
            depth: 0,
            inventory: BTreeMap::new(),
            boosts: BTreeMap::new(),
            upgrades: Upgrades::default(),
            arcade: Allowance::default(),
            open_run: None,
            best_score: 0,
        }
    }

    pub fn held(&self, item: &str) -> u64 {
        self.inventory.get(item).copied().unwrap_or(0)
    }

    /// One dig with the player's own rules and multipliers now (see [`Player::dig_with`]).
    pub fn dig<'c>(&mut self, catalog: &'c Catalog, rng: &mut impl Rng, now_ms: i64) -> Result<Dug<'c>, NoEnergy> {
        let bonuses = catalog.bonuses_at(&self.upgrades, now_ms);
        let rules = Economy::energy_rules_with(&catalog.settings.energy, bonuses);
        let multipliers = catalog.dig_multipliers(&self.inventory, &self.boosts, bonuses, now_ms);
        self.dig_with(&catalog.loot, &rules, multipliers, rng, now_ms)
    }

    /// One dig (`dig.lua`): spends `dig_cost` (refused, with the energy settled, when there is
    /// too little), finds a drop at the player's depth with `multipliers` (yield, luck percent)
    /// and goes one meter deeper. Callers that know the rules and multipliers pass them in.
    pub fn dig_with<'c>(
        &mut self,
        loot: &'c LootTable,
        rules: &EnergyRules,
        multipliers: (u32, u32),
        rng: &mut impl Rng,
        now_ms: i64,
    ) -> Result<Dug<'c>, NoEnergy> {
        match self.energy.spend(rules, now_ms) {
            Ok(spent) => self.energy = spent,
            Err(settled) => {
                self.energy = settled;
                return Err(NoEnergy);
            }
        }
        let dug = find(loot, self.depth, multipliers, rng);
        self.gems += dug.gems;
        self.depth = dug.depth;
        Ok(dug)
    }

    /// Uses one unit of `item` (`use_item.lua`): energy added up to the cap (refused while the
    /// bar is full, unless it also starts a boost), a boost started or extended by its duration,
    /// expired boosts dropped, the unit taken. Returns the boost's expiry when it is one.
    pub fn use_item(&mut self, item: &Item, rules: &EnergyRules, now_ms: i64) -> Result<Option<i64>, Verdict> {
        if self.held(item.id.as_str()) < 1 {
            return Err(Verdict::NotOwned);
        }
        let boost = match item.kind {
            ItemKind::Boost { duration } => Some(duration.as_millis() as i64),
            _ => None,
        };
        if let Some(add) = item.effects.energy {
            match self.energy.refill(rules, add, now_ms) {
                Some(filled) => self.energy = filled,
                None if boost.is_none() => return Err(Verdict::EnergyFull),
                None => {}
            }
        }
        self.boosts.retain(|_, until| *until > now_ms);
        let until = boost.map(|duration| {
            let current = self.boosts.get(item.id.as_str()).copied().unwrap_or(0);
            let until = current.max(now_ms) + duration;
            self.boosts.insert(item.id.to_string(), until);
            until
        });
        self.add_units(item.id.as_str(), -1);
        Ok(until)
    }

    /// A gem purchase (`upgrade.lua`): [`GemPurchase::apply`], with the energy settled at the
    /// cap and rate from before the level changes them.
    pub fn buy_with_gems(&mut self, purchase: &GemPurchase, catalog: &Catalog, now_ms: i64) -> Result<(), GemRefusal> {
        let before = catalog.energy_rules(&self.upgrades, now_ms);
        purchase.apply(&mut self.upgrades, &mut self.gems)?;
        self.energy = self.energy.settle(&before, now_ms);
        Ok(())
    }

    /// Starts a run with `params` (`start_run.lua`): the player's open run, if any, is closed
    /// without reward and returned.
    pub fn start_run(&mut self, params: RunParams, now_ms: i64) -> Option<Run> {
        let run = Run {
            started_at_ms: now_ms,
            seconds: params.seconds,
            max_score: params.max_score,
            sources: params.sources,
            closed: None,
        };
        let mut replaced = self.open_run.replace(run)?;
        replaced.closed.get_or_insert(RunVerdict::Replaced);
        Some(replaced)
    }

    /// Finishes the open run with `score` (`finish_run.lua`): its checks ([`Run::finish`]),
    /// then gems within the day's allowance and the best score kept. A run finished too early
    /// stays open; any other verdict closes it.
    pub fn finish_run(&mut self, score: i64, rules: &ArcadeRules, now_ms: i64) -> Result<RunAward, RunVerdict> {
        let inventory = &self.inventory;
        let run = self.open_run.as_mut().ok_or(RunVerdict::UnknownRun)?;
        let checked = run.finish(score, |id| inventory.get(id).is_some_and(|qty| *qty > 0), now_ms);
        if run.closed.is_some() {
            self.open_run = None;
        }
        let ceiling = checked?;
        let score = score as u64;
        let earned = rules.earned(score);
        let awarded = self.arcade.award(earned, rules.gems_per_day, now_ms);
        self.gems += awarded;
        let new_best = score > self.best_score;
        self.best_score = self.best_score.max(score);
        Ok(RunAward { score, ceiling, earned, awarded, new_best })
    }

    /// Grants one purchase (`grant.lua`): its units into the inventory, gem packs' gems into
    /// the stash.
    pub fn grant(&mut self, grant: &Grant) {
        for (item, qty) in &grant.units {
            self.add_units(item.as_str(), i64::from(*qty));
        }
        self.gems += grant.gems;
    }

    /// What the player holds as the refund policy counts it: inventory units by item id, gems as
    /// [`GEMS_UNIT`] (see [`crate::domain::refund::player_refund`]).
    pub fn holdings(&self) -> BTreeMap<String, u64> {
        let mut held = self.inventory.clone();
        held.insert(GEMS_UNIT.to_owned(), self.gems);
        held
    }

    /// Takes back what remains of a refunded purchase's `units` (`begin_refund.lua`): each unit
    /// at most what is held, never below zero. Returns what was taken, unit by unit.
    pub fn revoke(&mut self, units: &[(String, u32)]) -> Vec<(String, u64)> {
        let mut taken = Vec::new();
        for (unit, qty) in units {
            let held = if unit == GEMS_UNIT { self.gems } else { self.held(unit) };
            let take = held.min(u64::from(*qty));
            if take == 0 {
                continue;
            }
            if unit == GEMS_UNIT {
                self.gems -= take;
            } else {
                self.add_units(unit, -(take as i64));
            }
            taken.push((unit.clone(), take));
        }
        taken
    }

    fn add_units(&mut self, item: &str, n: i64) {
        let held = self.held(item) as i64 + n;
        if held <= 0 {
            self.inventory.remove(item);
        } else {
            self.inventory.insert(item.to_owned(), held as u64);
        }
    }
}

/// A dig refused: the player has less energy than a dig costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoEnergy;

/// What one dig found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dug<'c> {
    pub zone: &'c super::game::Zone,
    pub drop: &'c Drop,
    /// The find's gems with the yield multiplier (at least 1).
    pub gems: u64,
    /// The depth the dig reached (one below where it started).
    pub depth: u32,
}

/// The find of one dig starting at `depth`: the zone there, a drop rolled with the luck and its
/// gems with the yield (`multipliers`: yield, luck percent). The game loop rolls it and the dig
/// script adds what it found.
pub fn find<'c>(loot: &'c LootTable, depth: u32, multipliers: (u32, u32), rng: &mut impl Rng) -> Dug<'c> {
    let (yield_percent, luck_percent) = multipliers;
    let zone = loot.zone_at(depth);
    let drop = roll(zone, luck_percent, rng);
    Dug { zone, drop, gems: yield_gems(drop, yield_percent), depth: depth + 1 }
}

/// An arcade run as its record keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub started_at_ms: i64,
    pub seconds: u32,
    /// The ceiling at its start.
    pub max_score: u64,
    pub sources: RunSources,
    /// How it was closed, once it was (replaced, expired, impossible, finished).
    pub closed: Option<RunVerdict>,
}

impl Run {
    /// A finish's checks (`finish_run.lua`): not closed before, not too early (the run stays
    /// open), not expired, the score within the ceiling at the finish (`owned`: whether a tool
    /// is still held). Returns that ceiling; closes the run with its verdict unless too early.
    pub fn finish(&mut self, score: i64, owned: impl Fn(&str) -> bool, now_ms: i64) -> Result<u64, RunVerdict> {
        match self.closed {
            Some(RunVerdict::Replaced) => return Err(RunVerdict::Replaced),
            Some(_) => return Err(RunVerdict::AlreadyFinished),
            None => {}
        }
        let length = i64::from(self.seconds) * 1000;
        let elapsed = now_ms - self.started_at_ms;
        if elapsed < length - EARLY_SLACK_MS {
            return Err(RunVerdict::TooEarly);
        }
        let (verdict, result) = if elapsed > length + LATE_GRACE_MS {
            (RunVerdict::Expired, Err(RunVerdict::Expired))
        } else {
            let ceiling = self.sources.ceiling_at_finish(self.max_score, owned);
            if score < 0 || score as u64 > ceiling {
                (RunVerdict::Impossible, Err(RunVerdict::Impossible))
            } else {
                (RunVerdict::Finished, Ok(ceiling))
            }
        };
        self.closed = Some(verdict);
        result
    }
}

/// What a finished run gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunAward {
    pub score: u64,
    /// The ceiling it was checked against.
    pub ceiling: u64,
    /// Gems the score is worth before the daily allowance.
    pub earned: u64,
    /// Gems actually awarded (what was left of the day's allowance at most).
    pub awarded: u64,
    pub new_best: bool,
}

/// Arcade gems awarded to one player on one UTC day (earlier days count as none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allowance {
    /// Days since the Unix epoch.
    pub day: i64,
    pub gems: u64,
}

impl Allowance {
    /// Gems runs may still award on the UTC day of `now_ms`.
    pub fn left(&self, per_day: u32, now_ms: i64) -> u64 {
        let today = if self.day == utc_day(now_ms) { self.gems } else { 0 };
        u64::from(per_day).saturating_sub(today)
    }

    /// Awards `earned` gems within what is left today; returns what was awarded.
    pub fn award(&mut self, earned: u64, per_day: u32, now_ms: i64) -> u64 {
        let awarded = earned.min(self.left(per_day, now_ms));
        let day = utc_day(now_ms);
        let today = if self.day == day { self.gems } else { 0 };
        *self = Self { day, gems: today + awarded };
        awarded
    }
}

impl ArcadeRules {
    /// Gems a score is worth before the daily allowance: score × gems per 100 points / 100.
    pub fn earned(&self, score: u64) -> u64 {
        score.saturating_mul(u64::from(self.gems_per_100_points)) / 100
    }
}

#[cfg(test)]
mod tests;
