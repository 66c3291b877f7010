//! The game's rules as pure values: item effects, loot tables and energy over time.
//! Time is a parameter (milliseconds since the Unix epoch); randomness is passed in.

use std::collections::BTreeMap;
use std::time::Duration;

use rand::Rng;

use super::Lang;

/// What an item does in play. Every effect is optional, so an item with none stays valid.
/// Multipliers are in percent (200 = twice), so Lua scripts and Rust agree exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// Consumable, on `/use`: adds this much energy (never beyond the cap).
    pub energy: Option<u32>,
    /// Consumable: a gem pack. Its purchase adds these gems directly, never an inventory unit.
    pub gems: Option<u32>,
    /// Permanent tool while owned, or boost while active: gems per dig in percent (the best
    /// one counts; they do not stack).
    pub yield_percent: Option<u32>,
    /// Boost while active: weight of rare drops in percent (the best active one counts).
    pub luck_percent: Option<u32>,
    /// Arcade, permanent tool while owned or boost while active: extra seconds per run (the
    /// best one counts).
    pub run_seconds: Option<u32>,
    /// Arcade, permanent or boost: points per ore in percent (the best one counts).
    pub score_percent: Option<u32>,
    /// Arcade, permanent: the look of the run (`classic`, `gold`, `crystal`, `dragon`).
    pub skin: Option<String>,
}

/// An arcade run may be finished this much before its end (clocks and latency differ)...
pub const EARLY_SLACK_MS: i64 = 1_500;
/// ...and until this long after it; later it has expired.
pub const LATE_GRACE_MS: i64 = 60_000;

/// Calls of the game's HTTP API one player may make per minute (a run is two: start and
/// finish, each metered inside its own script).
pub const API_CALLS_PER_MINUTE: u32 = 240;

/// The arcade run's rules from `settings.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArcadeRules {
    /// Base length of a run.
    pub run_seconds: u32,
    /// The most points per second legit play can reach, before score multipliers.
    pub points_per_second: u32,
    /// Gems awarded per 100 points of a finished run.
    pub gems_per_100_points: u32,
    /// The most gems runs award a player per UTC day; points and leaderboards still count after.
    pub gems_per_day: u32,
}

impl Default for ArcadeRules {
    fn default() -> Self {
        Self { run_seconds: 30, points_per_second: 60, gems_per_100_points: 10, gems_per_day: 600 }
    }
}

/// What an arcade run is allowed, from the player's tools, boosts and upgrade levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunParams {
    pub seconds: u32,
    pub score_percent: u32,
    pub skin: String,
    /// The highest score the server accepts for this run (its ceiling at the start).
    pub max_score: u64,
    /// Where the allowance came from, kept with the run so its finish can check the tools again.
    pub sources: RunSources,
}

/// Where a run's allowance comes from. A run's ceiling is the lesser of its ceiling at the start
/// and what the tools the player still owns at the finish, the boosts that were running at the
/// start and the upgrade levels allow (a tool refunded mid-run no longer counts; a boost that
/// ran out mid-run still does).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSources {
    pub base_seconds: u32,
    pub points_per_second: u32,
    /// Extra seconds from upgrade levels (never taken back).
    pub level_seconds: u32,
    /// The best extra seconds and score percent of the boosts running at the start.
    pub boost_seconds: u32,
    pub boost_percent: u32,
    /// Tools owned at the start that add time or points: (id, extra seconds, score percent).
    pub tools: Vec<(String, u32, u32)>,
}

impl RunSources {
    /// Run length, score percent and score ceiling with the tools for which `owned` is true.
    pub fn allowance(&self, owned: impl Fn(&str) -> bool) -> (u32, u32, u64) {
        let mut extra = self.boost_seconds;
        let mut percent = self.boost_percent.max(100);
        for (_, seconds, score_percent) in self.tools.iter().filter(|(id, _, _)| owned(id)) {
            extra = extra.max(*seconds);
            percent = percent.max(*score_percent);
        }
        let seconds = self.base_seconds + extra + self.level_seconds;
        let ceiling = u64::from(seconds) * u64::from(self.points_per_second) * u64::from(percent) / 100;
        (seconds, percent, ceiling)
    }

    /// The ceiling at a run's finish: never above the one it started with.
    pub fn ceiling_at_finish(&self, started_with: u64, owned: impl Fn(&str) -> bool) -> u64 {
        started_with.min(self.allowance(owned).2)
    }
}

/// The UTC day (days since the Unix epoch) of a moment, which the daily arcade allowance counts in.
pub fn utc_day(now_ms: i64) -> i64 {
    now_ms.div_euclid(86_400_000)
}

/// The skins the arcade page knows.
pub const SKINS: [&str; 5] = ["classic", "gold", "crystal", "dragon", "aurora"];

/// One possible find in a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drop {
    pub id: String,
    pub name: String,
    /// The name in other languages (`[zones.drops.<lang>]`); English is `name`.
    pub names: BTreeMap<Lang, String>,
    /// Gems this find is worth before multipliers.
    pub gems: u32,
    /// Relative chance within its zone.
    pub weight: u32,
    /// Rare finds get more likely under a luck boost.
    pub rare: bool,
}

/// A layer of the mine, from `from_depth` down to the next zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    pub id: String,
    pub name: String,
    /// The name in other languages (`[zones.<lang>]`); English is `name`.
    pub names: BTreeMap<Lang, String>,
    pub from_depth: u32,
    /// Non-empty; weights sum to more than zero.
    pub drops: Vec<Drop>,
}

impl Drop {
    /// The find's name in `lang`, English when not translated.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.names.get(&lang).map_or(&self.name, String::as_str)
    }
}

impl Zone {
    /// The zone's name in `lang`, English when not translated.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.names.get(&lang).map_or(&self.name, String::as_str)
    }
}

/// Zones sorted by `from_depth`, the first starting at 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LootTable {
    zones: Vec<Zone>,
}

impl LootTable {
    /// `zones` must be validated (see `game_data`): non-empty, first at depth 0, sorted,
    /// every zone with at least one drop of positive weight.
    pub fn new(mut zones: Vec<Zone>) -> Self {
        zones.sort_by_key(|zone| zone.from_depth);
        Self { zones }
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The zone a player at `depth` digs in.
    pub fn zone_at(&self, depth: u32) -> &Zone {
        self.zones.iter().rev().find(|zone| zone.from_depth <= depth).unwrap_or(&self.zones[0])
    }
}

/// Energy and dig rules from `settings.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnergyRules {
    /// The cap energy regenerates up to.
    pub max: u32,
    /// Time to regenerate one point.
    pub regen: Duration,
    /// Energy one dig costs.
    pub dig_cost: u32,
}

impl Default for EnergyRules {
    fn default() -> Self {
        Self { max: 20, regen: Duration::from_secs(180), dig_cost: 1 }
    }
}

/// Energy stored as a value plus the time it was true: derived when read, so a replay or a
/// second process never counts time twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Energy {
    pub value: u32,
    pub at_ms: i64,
}

impl Energy {
    /// A new player starts full.
    pub fn full(rules: &EnergyRules, now_ms: i64) -> Self {
        Self { value: rules.max, at_ms: now_ms }
    }

    /// Energy now, regenerated since `at_ms` up to the cap (never takes away energy above it).
    pub fn now(&self, rules: &EnergyRules, now_ms: i64) -> u32 {
        if self.value >= rules.max {
            return self.value;
        }
        let step = rules.regen.as_millis().max(1) as i64;
        let gained = (now_ms - self.at_ms).max(0) / step;
        (i64::from(self.value) + gained).min(i64::from(rules.max)) as u32
    }

    /// Energy now with the moment to store it with, as the game scripts settle it
    /// (`energy_now` in `game_lib.lua`): a full bar is stamped now; a partial one keeps the
    /// moment its last whole point came, so the time towards the next point is not lost.
    pub fn settle(&self, rules: &EnergyRules, now_ms: i64) -> Self {
        if self.value >= rules.max {
            return Self { value: self.value, at_ms: now_ms };
        }
        let step = rules.regen.as_millis().max(1) as i64;
        let gained = (now_ms - self.at_ms).max(0) / step;
        if i64::from(self.value) + gained >= i64::from(rules.max) {
            return Self { value: rules.max, at_ms: now_ms };
        }
        Self { value: self.value + gained as u32, at_ms: self.at_ms + gained * step }
    }

    /// A dig's spend (`dig.lua`): the settled energy less `dig_cost`, the regeneration clock
    /// starting now when the bar was full. `Err` with the settled energy when there is too little.
    pub fn spend(&self, rules: &EnergyRules, now_ms: i64) -> Result<Self, Self> {
        let settled = self.settle(rules, now_ms);
        if settled.value < rules.dig_cost {
            return Err(settled);
        }
        let at_ms = if settled.value >= rules.max { now_ms } else { settled.at_ms };
        Ok(Self { value: settled.value - rules.dig_cost, at_ms })
    }

    /// An energy item's refill (`use_item.lua`): `add` points up to the cap, never taking away
    /// energy above it; a bar that ends full is stamped now. `None` when the bar is already full.
    pub fn refill(&self, rules: &EnergyRules, add: u32, now_ms: i64) -> Option<Self> {
        let settled = self.settle(rules, now_ms);
        if settled.value >= rules.max {
            return None;
        }
        let value = settled.value.max(rules.max.min(settled.value.saturating_add(add)));
        let at_ms = if value >= rules.max { now_ms } else { settled.at_ms };
        Some(Self { value, at_ms })
    }

    /// When the next point arrives, or None when full.
    pub fn next_point_at(&self, rules: &EnergyRules, now_ms: i64) -> Option<i64> {
        if self.now(rules, now_ms) >= rules.max {
            return None;
        }
        let step = rules.regen.as_millis().max(1) as i64;
        let elapsed = (now_ms - self.at_ms).max(0);
        Some(self.at_ms + (elapsed / step + 1) * step)
    }

    /// When energy will be full, or None when it is.
    pub fn full_at(&self, rules: &EnergyRules, now_ms: i64) -> Option<i64> {
        let current = self.now(rules, now_ms);
        let next = self.next_point_at(rules, now_ms)?;
        let step = rules.regen.as_millis().max(1) as i64;
        Some(next + i64::from(rules.max - current - 1) * step)
    }
}

/// Rolls one find in `zone`; `luck_percent` scales the weight of rare drops.
pub fn roll<'a>(zone: &'a Zone, luck_percent: u32, rng: &mut impl Rng) -> &'a Drop {
    let weight = |drop: &Drop| -> u64 {
        let base = u64::from(drop.weight) * 100;
        if drop.rare {
            base * u64::from(luck_percent) / 100
        } else {
            base
        }
    };
    let total: u64 = zone.drops.iter().map(weight).sum();
    let mut pick = rng.random_range(0..total.max(1));
    for drop in &zone.drops {
        let w = weight(drop);
        if pick < w {
            return drop;
        }
        pick -= w;
    }
    &zone.drops[zone.drops.len() - 1]
}

/// Gems a find yields with the player's yield multiplier (percent), at least 1 for any find.
pub fn yield_gems(drop: &Drop, yield_percent: u32) -> u64 {
    (u64::from(drop.gems) * u64::from(yield_percent) / 100).max(1)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn rules() -> EnergyRules {
        EnergyRules { max: 5, regen: Duration::from_secs(60), dig_cost: 1 }
    }

    #[test]
    fn energy_regenerates_up_to_the_cap() {
        let energy = Energy { value: 2, at_ms: 0 };
        let check = |now: i64, expected: u32| assert_eq!(energy.now(&rules(), now), expected, "at {now}");
        check(0, 2);
        check(59_999, 2);
        check(60_000, 3);
        check(180_000, 5);
        check(10_000_000, 5);
        assert_eq!(energy.next_point_at(&rules(), 30_000), Some(60_000));
        assert_eq!(energy.full_at(&rules(), 30_000), Some(180_000));
        assert_eq!(energy.full_at(&rules(), 180_000), None);
        // Above the cap (a refill) stays until spent.
        assert_eq!(Energy { value: 9, at_ms: 0 }.now(&rules(), 1_000_000), 9);
    }

    fn zone() -> Zone {
        let drop = |id: &str, weight, rare| Drop {
            id: id.into(),
            name: id.into(),
            names: Default::default(),
            gems: 1,
            weight,
            rare,
        };
        Zone {
            id: "z".into(),
            name: "Z".into(),
            names: Default::default(),
            from_depth: 0,
            drops: vec![drop("common", 90, false), drop("rare", 10, true)],
        }
    }

    /// Share of rare finds over many seeded rolls.
    fn rare_share(luck: u32) -> f64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        let zone = zone();
        let rare = (0..100_000).filter(|_| roll(&zone, luck, &mut rng).rare).count();
        rare as f64 / 100_000.0
    }

    #[test]
    fn loot_follows_the_weights_and_luck_makes_rare_finds_likelier() {
        // 10% expected; with luck 300%: 30 / 120 = 25%.
        let plain = rare_share(100);
        let lucky = rare_share(300);
        assert!((plain - 0.10).abs() < 0.005, "plain {plain}");
        assert!((lucky - 0.25).abs() < 0.005, "lucky {lucky}");
    }

    #[test]
    fn zones_by_depth() {
        let mut deep = zone();
        deep.id = "deep".into();
        deep.from_depth = 50;
        let table = LootTable::new(vec![deep, zone()]);
        assert_eq!(table.zone_at(0).id, "z");
        assert_eq!(table.zone_at(49).id, "z");
        assert_eq!(table.zone_at(50).id, "deep");
    }

    #[test]
    fn yield_multiplies_and_never_rounds_to_nothing() {
        let drop =
            Drop { id: "d".into(), name: "d".into(), names: Default::default(), gems: 3, weight: 1, rare: false };
        assert_eq!(yield_gems(&drop, 100), 3);
        assert_eq!(yield_gems(&drop, 250), 7);
        assert_eq!(yield_gems(&Drop { gems: 0, ..drop }, 100), 1);
    }
}
