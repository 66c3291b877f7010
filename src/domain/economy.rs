//! Gem sinks and the one stacking rule: upgrade tracks bought level by level with gems,
//! cosmetics bought with gems, and how items and upgrade levels combine into what a player's
//! digs, energy and arcade runs get.
//!
//! The stacking rule, for every source of an effect (items, upgrade levels, a running pass):
//! - yield and luck: the best item counts (tools owned, boosts running), then upgrade levels
//!   multiply it: `best × (100 + Σ level × per_level) / 100`;
//! - arcade seconds: the base run, plus the best item's extra time, plus `Σ level × per_level`;
//! - score multiplier: the best item counts (no track raises it);
//! - energy cap: `energy_max + Σ level × per_level`; regeneration: `energy_regen − Σ level ×
//!   per_level` seconds per point, never under [`MIN_REGEN`];
//! - a running Miner's Pass adds its energy cap and regeneration perks to those sums as levels
//!   would ([`crate::domain::pass::PassPerks::stack_onto`]).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::game::EnergyRules;
use super::{ItemText, Lang};

/// The fastest regeneration any number of levels can reach.
pub const MIN_REGEN: Duration = Duration::from_secs(1);

/// What one level of a track raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackEffect {
    /// Gems per find, in percent points of the best item's multiplier.
    Yield,
    /// Weight of rare finds, in percent points of the best item's luck.
    Luck,
    /// Energy cap, in points.
    EnergyCap,
    /// Regeneration, in seconds less per point.
    Regen,
    /// Arcade run length, in seconds.
    RunSeconds,
}

impl TrackEffect {
    pub const ALL: [Self; 5] = [Self::Yield, Self::Luck, Self::EnergyCap, Self::Regen, Self::RunSeconds];

    /// The name designers write in `upgrades.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Yield => "yield",
            Self::Luck => "luck",
            Self::EnergyCap => "energy_cap",
            Self::Regen => "regen",
            Self::RunSeconds => "run_seconds",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|effect| effect.key() == key)
    }
}

/// An upgrade track: levels 1..=`costs.len()`, each bought with gems in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    pub id: String,
    pub name: String,
    pub description: String,
    pub effect: TrackEffect,
    /// What one level adds (see [`TrackEffect`] for the unit).
    pub per_level: u32,
    /// `costs[n]` is the price in gems of level `n + 1`.
    pub costs: Vec<u64>,
    /// The name and description in other languages (`[tracks.<lang>]`), as items have them.
    pub translations: BTreeMap<Lang, ItemText>,
}

impl Track {
    pub fn name_in(&self, lang: Lang) -> &str {
        text_in(&self.translations, lang, (&self.name, &self.description)).0
    }

    pub fn description_in(&self, lang: Lang) -> &str {
        text_in(&self.translations, lang, (&self.name, &self.description)).1
    }

    pub fn max_level(&self) -> u32 {
        self.costs.len() as u32
    }

    /// The gems level `level` costs, if the track has it (levels start at 1).
    pub fn cost_of(&self, level: u32) -> Option<u64> {
        let index = usize::try_from(level.checked_sub(1)?).ok()?;
        self.costs.get(index).copied()
    }

    /// The total of levels 1..=`level`.
    pub fn total_cost(&self, level: u32) -> u64 {
        self.costs.iter().take(level as usize).sum()
    }

    /// `base × growth^(level − 1)` for each level, rounded to whole gems.
    pub fn curve(base: u64, growth: f64, levels: u32) -> Vec<u64> {
        (0..levels).map(|n| (base as f64 * growth.powi(n as i32)).round() as u64).collect()
    }
}

/// A look bought with gems (an arcade skin), kept forever.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosmetic {
    pub id: String,
    pub name: String,
    pub description: String,
    pub skin: String,
    pub price_gems: u64,
    /// The name and description in other languages (`[cosmetics.<lang>]`).
    pub translations: BTreeMap<Lang, ItemText>,
}

/// The name and description of a track or cosmetic in `lang`, English where not translated.
fn text_in<'a>(
    translations: &'a BTreeMap<Lang, ItemText>,
    lang: Lang,
    english: (&'a str, &'a str),
) -> (&'a str, &'a str) {
    let text = translations.get(&lang);
    let name = text.and_then(|text| text.name.as_deref()).unwrap_or(english.0);
    let description = text.and_then(|text| text.description.as_deref()).unwrap_or(english.1);
    (name, description)
}

impl Cosmetic {
    pub fn name_in(&self, lang: Lang) -> &str {
        text_in(&self.translations, lang, (&self.name, &self.description)).0
    }

    pub fn description_in(&self, lang: Lang) -> &str {
        text_in(&self.translations, lang, (&self.name, &self.description)).1
    }
}

/// Every gem sink, in the designers' order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Economy {
    pub tracks: Vec<Track>,
    pub cosmetics: Vec<Cosmetic>,
}

/// Each effect's `Σ level × per_level` for one player, indexed by [`TrackEffect`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bonuses([u32; 5]);

impl Bonuses {
    pub fn of(&self, effect: TrackEffect) -> u32 {
        self.0[effect as usize]
    }

    /// These bonuses with `amount` more of `effect` (a running pass's perks count like levels).
    pub fn plus(mut self, effect: TrackEffect, amount: u32) -> Self {
        let slot = &mut self.0[effect as usize];
        *slot = slot.saturating_add(amount);
        self
    }
}

/// What raises a player's tracks: a level per track bought with gems (absent = 0), cosmetics
/// owned, and the Miner's Passes paid for (pass id -> expiry in ms; a pass counts while its
/// expiry is ahead, derived when read: [`crate::domain::Catalog::bonuses_at`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Upgrades {
    pub levels: BTreeMap<String, u32>,
    pub cosmetics: BTreeSet<String>,
    pub passes: BTreeMap<String, i64>,
}

impl Upgrades {
    pub fn level(&self, track: &str) -> u32 {
        self.levels.get(track).copied().unwrap_or(0)
    }
}

/// What a gem purchase asks for: the next level of a track, or a cosmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GemPurchase {
    /// Applies only if the player is at `level - 1` (a double tap cannot buy twice).
    Level {
        track: String,
        level: u32,
        cost: u64,
    },
    Cosmetic {
        id: String,
        cost: u64,
    },
}

/// Why a gem purchase was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GemRefusal {
    Unknown,
    /// The track has no such level (past its last one).
    NoSuchLevel,
    /// Already at (or past) the level, or owns the cosmetic: nothing to do.
    AlreadyHave,
    /// Not at the level before it.
    NotNext,
    NotEnoughGems,
}

impl Economy {
    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|track| track.id == id)
    }

    pub fn cosmetic(&self, id: &str) -> Option<&Cosmetic> {
        self.cosmetics.iter().find(|cosmetic| cosmetic.id == id)
    }

    /// `Σ level × per_level` over the tracks with `effect`.
    pub fn bonus(&self, upgrades: &Upgrades, effect: TrackEffect) -> u32 {
        self.bonuses(upgrades).of(effect)
    }

    /// Every effect's `Σ level × per_level` in one pass over the tracks (one lookup each; none
    /// for a player without levels): the hot path of a dig.
    pub fn bonuses(&self, upgrades: &Upgrades) -> Bonuses {
        let mut bonuses = Bonuses::default();
        if upgrades.levels.is_empty() {
            return bonuses;
        }
        for track in &self.tracks {
            let level = upgrades.level(&track.id).min(track.max_level());
            let slot = &mut bonuses.0[track.effect as usize];
            *slot = slot.saturating_add(level.saturating_mul(track.per_level));
        }
        bonuses
    }

    /// The player's energy rules: the base cap and regeneration with their levels applied.
    pub fn energy_rules(&self, base: &EnergyRules, upgrades: &Upgrades) -> EnergyRules {
        Self::energy_rules_with(base, self.bonuses(upgrades))
    }

    pub fn energy_rules_with(base: &EnergyRules, bonuses: Bonuses) -> EnergyRules {
        let cap = base.max.saturating_add(bonuses.of(TrackEffect::EnergyCap));
        let faster = Duration::from_secs(u64::from(bonuses.of(TrackEffect::Regen)));
        let regen = base.regen.saturating_sub(faster).max(MIN_REGEN);
        EnergyRules { max: cap, regen, dig_cost: base.dig_cost }
    }

    /// Gems per find and rare-find weight (percent) from the best item's and the levels.
    pub fn dig_multipliers(&self, best_yield: u32, best_luck: u32, upgrades: &Upgrades) -> (u32, u32) {
        Self::dig_multipliers_with(best_yield, best_luck, self.bonuses(upgrades))
    }

    pub fn dig_multipliers_with(best_yield: u32, best_luck: u32, bonuses: Bonuses) -> (u32, u32) {
        let scale = |best: u32, effect| {
            (u64::from(best) * (100 + u64::from(bonuses.of(effect))) / 100).min(u64::from(u32::MAX)) as u32
        };
        (scale(best_yield, TrackEffect::Yield), scale(best_luck, TrackEffect::Luck))
    }

    /// The purchase of the next level of `track`, or of cosmetic `id`, checked against what the
    /// player has (the store checks again atomically).
    pub fn next_purchase(&self, id: &str, upgrades: &Upgrades, gems: u64) -> Result<GemPurchase, GemRefusal> {
        let purchase = if let Some(track) = self.track(id) {
            let level = upgrades.level(id) + 1;
            let cost = track.cost_of(level).ok_or(GemRefusal::NoSuchLevel)?;
            GemPurchase::Level { track: id.to_owned(), level, cost }
        } else if let Some(cosmetic) = self.cosmetic(id) {
            if upgrades.cosmetics.contains(id) {
                return Err(GemRefusal::AlreadyHave);
            }
            GemPurchase::Cosmetic { id: id.to_owned(), cost: cosmetic.price_gems }
        } else {
            return Err(GemRefusal::Unknown);
        };
        if purchase.cost() > gems {
            return Err(GemRefusal::NotEnoughGems);
        }
        Ok(purchase)
    }
}

impl GemPurchase {
    pub fn cost(&self) -> u64 {
        match self {
            Self::Level { cost, .. } | Self::Cosmetic { cost, .. } => *cost,
        }
    }

    /// The track or cosmetic id.
    pub fn id(&self) -> &str {
        match self {
            Self::Level { track, .. } => track,
            Self::Cosmetic { id, .. } => id,
        }
    }

    /// Applies the purchase to `upgrades` and `gems` if it still fits (the rule the store's
    /// script follows atomically): the level before, not owned, enough gems.
    pub fn apply(&self, upgrades: &mut Upgrades, gems: &mut u64) -> Result<(), GemRefusal> {
        match self {
            Self::Level { track, level, .. } => {
                let current = upgrades.level(track);
                if current >= *level {
                    return Err(GemRefusal::AlreadyHave);
                }
                if current + 1 != *level {
                    return Err(GemRefusal::NotNext);
                }
            }
            Self::Cosmetic { id, .. } if upgrades.cosmetics.contains(id) => return Err(GemRefusal::AlreadyHave),
            Self::Cosmetic { .. } => {}
        }
        if *gems < self.cost() {
            return Err(GemRefusal::NotEnoughGems);
        }
        *gems -= self.cost();
        match self {
            Self::Level { track, level, .. } => {
                upgrades.levels.insert(track.clone(), *level);
            }
            Self::Cosmetic { id, .. } => {
                upgrades.cosmetics.insert(id.clone());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn economy() -> Economy {
        let track = |id: &str, effect, per_level| Track {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            effect,
            per_level,
            costs: Track::curve(300, 1.6, 8),
            translations: BTreeMap::new(),
        };
        Economy {
            tracks: vec![
                track("pickaxe", TrackEffect::Yield, 10),
                track("lantern", TrackEffect::Luck, 10),
                track("battery", TrackEffect::EnergyCap, 2),
                track("generator", TrackEffect::Regen, 10),
                track("stopwatch", TrackEffect::RunSeconds, 1),
            ],
            cosmetics: vec![Cosmetic {
                id: "dragon_skin".into(),
                name: "Dragon".into(),
                description: String::new(),
                skin: "dragon".into(),
                price_gems: 25_000,
                translations: BTreeMap::new(),
            }],
        }
    }

    fn levels(pairs: &[(&str, u32)]) -> Upgrades {
        Upgrades { levels: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(), ..Upgrades::default() }
    }

    #[test]
    fn the_curve_rises_by_the_growth_factor() {
        let costs = Track::curve(300, 1.6, 8);
        assert_eq!(costs, vec![300, 480, 768, 1229, 1966, 3146, 5033, 8053]);
        assert_eq!(costs.iter().sum::<u64>(), 20_975);
    }

    #[test]
    fn levels_multiply_the_best_item_and_add_to_caps_and_seconds() {
        let economy = economy();
        let check = |upgrades: &Upgrades, best: (u32, u32), expected: (u32, u32)| {
            assert_eq!(economy.dig_multipliers(best.0, best.1, upgrades), expected, "{upgrades:?} {best:?}");
        };
        check(&Upgrades::default(), (150, 100), (150, 100));
        check(&levels(&[("pickaxe", 3)]), (150, 100), (195, 100));
        check(&levels(&[("pickaxe", 3), ("lantern", 8)]), (100, 300), (130, 540));
        let base = EnergyRules { max: 20, regen: Duration::from_secs(180), dig_cost: 1 };
        let rules = economy.energy_rules(&base, &levels(&[("battery", 4), ("generator", 8)]));
        assert_eq!((rules.max, rules.regen, rules.dig_cost), (28, Duration::from_secs(100), 1));
        assert_eq!(economy.bonus(&levels(&[("stopwatch", 5)]), TrackEffect::RunSeconds), 5);
        // Levels past a track's end (a designer shortened it) count as its last.
        assert_eq!(economy.bonus(&levels(&[("stopwatch", 50)]), TrackEffect::RunSeconds), 8);
    }

    #[test]
    fn regeneration_never_drops_under_the_floor() {
        let mut economy = economy();
        economy.tracks[3].per_level = 100;
        let base = EnergyRules { max: 20, regen: Duration::from_secs(180), dig_cost: 1 };
        assert_eq!(economy.energy_rules(&base, &levels(&[("generator", 8)])).regen, MIN_REGEN);
    }

    #[test]
    fn a_purchase_applies_once_at_the_next_level_and_never_below_zero_gems() {
        let economy = economy();
        let mut upgrades = Upgrades::default();
        let mut gems = 1_000;
        let first = economy.next_purchase("pickaxe", &upgrades, gems).unwrap();
        assert_eq!(first, GemPurchase::Level { track: "pickaxe".into(), level: 1, cost: 300 });
        assert_eq!(first.apply(&mut upgrades, &mut gems), Ok(()));
        assert_eq!((upgrades.level("pickaxe"), gems), (1, 700));
        // A double tap names the same target level: nothing happens the second time.
        assert_eq!(first.apply(&mut upgrades, &mut gems), Err(GemRefusal::AlreadyHave));
        assert_eq!(gems, 700);
        let skip = GemPurchase::Level { track: "pickaxe".into(), level: 3, cost: 768 };
        assert_eq!(skip.apply(&mut upgrades, &mut gems), Err(GemRefusal::NotNext));
        let second = economy.next_purchase("pickaxe", &upgrades, gems).unwrap();
        assert_eq!(second.apply(&mut upgrades, &mut gems), Ok(()));
        assert_eq!(gems, 220);
        assert_eq!(economy.next_purchase("pickaxe", &upgrades, gems), Err(GemRefusal::NotEnoughGems));
        assert_eq!(economy.next_purchase("nothing", &upgrades, gems), Err(GemRefusal::Unknown));
        let maxed = levels(&[("pickaxe", 8)]);
        assert_eq!(economy.next_purchase("pickaxe", &maxed, 1_000_000), Err(GemRefusal::NoSuchLevel));
        let mut rich = 30_000;
        let dragon = economy.next_purchase("dragon_skin", &upgrades, rich).unwrap();
        assert_eq!(dragon.apply(&mut upgrades, &mut rich), Ok(()));
        assert_eq!(rich, 5_000);
        assert_eq!(economy.next_purchase("dragon_skin", &upgrades, rich), Err(GemRefusal::AlreadyHave));
    }
}
