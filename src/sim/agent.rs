//! One simulated player's day: visits with digs, arcade runs and gem spending, and the Star
//! purchases their profile's habits make, every decision through `domain::play` (the live
//! game's rules) and every sale through `domain::order::blocked` against the shared stock.

use std::collections::BTreeMap;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::metrics::Day;
use crate::domain::economy::{Economy, GemPurchase, GemRefusal};
use crate::domain::order::{blocked, Taken};
use crate::domain::play::Player;
use crate::domain::profile::{BuyWhen, Profile};
use crate::domain::{Catalog, EnergyRules, ItemKind};

pub(super) const DAY_MS: i64 = 86_400_000;
/// How long a dig takes a simulated player.
const DIG_MS: i64 = 2_000;
/// Seconds between a run's end and the next run's start.
const BETWEEN_RUNS_MS: i64 = 5_000;

/// The units of every item sold so far, by catalog index: the stock all players share.
pub(super) struct Shop {
    pub sold: Vec<u64>,
}

/// One simulated player.
pub(super) struct Agent {
    pub player: Player,
    pub profile: usize,
    rng: SmallRng,
    pub active: bool,
    pub paid_ever: bool,
    /// Units bought per catalog index (unrefunded purchases: the per-player limits).
    bought: BTreeMap<usize, u32>,
    /// Stars spent on each of the last seven days, today's at `day % 7`.
    spent_by_day: [u32; 7],
    /// Which `once` habits (by index) have bought.
    done_once: u64,
}

/// What one day of play needs to read.
pub(super) struct World<'a> {
    pub catalog: &'a Catalog,
    pub profiles: &'a [Profile],
    pub day: u32,
    pub day_start_ms: i64,
}

/// The rules and multipliers of the player now, until a change or a boost's end.
struct Cached {
    rules: EnergyRules,
    multipliers: (u32, u32),
    until_ms: i64,
}

impl Agent {
    /// Player `index`'s own random stream: from the seed and the index only, so a player plays
    /// the same whatever the population's size or the other players do.
    pub fn new(catalog: &Catalog, profile: usize, seed: u64, index: u64, start_ms: i64) -> Self {
        Self {
            player: Player::new(catalog, start_ms),
            profile,
            rng: SmallRng::seed_from_u64(mix(seed, index)),
            active: true,
            paid_ever: false,
            bought: BTreeMap::new(),
            spent_by_day: [0; 7],
            done_once: 0,
        }
    }

    /// Energy the player has at `now_ms` by their own rules.
    pub fn energy_at(&self, catalog: &Catalog, now_ms: i64) -> u64 {
        u64::from(self.player.energy.now(&catalog.energy_rules(&self.player.upgrades, now_ms), now_ms))
    }

    /// Plays one day: visits spread over it, then maybe leaves for good.
    pub fn play_day(&mut self, world: &World<'_>, shop: &mut Shop, day: &mut Day) {
        let profile = &world.profiles[self.profile];
        self.spent_by_day[world.day as usize % 7] = 0;
        let visits = self.count(profile.sessions_per_day);
        let mut paid_today = false;
        let mut capped_today = false;
        for visit in 0..visits {
            let jitter: f64 = self.rng.random_range(-0.4..0.4);
            let start =
                world.day_start_ms + ((f64::from(visit) + 0.5 + jitter) / f64::from(visits) * DAY_MS as f64) as i64;
            if visit == 0 {
                paid_today |= self.daily_habits(world, shop, day);
            }
            let (paid, capped) = self.visit(world, shop, day, start);
            paid_today |= paid;
            capped_today |= capped;
        }
        if paid_today {
            day.payers += 1;
        }
        if capped_today {
            day.arcade_capped_players += 1;
        }
        if self.rng.random_bool(profile.churn_per_day) {
            self.active = false;
            day.churned += 1;
        }
    }

    /// `whole.fraction` as a count: the whole part, and one more with the fraction's chance.
    fn count(&mut self, mean: f64) -> u32 {
        let whole = mean.floor();
        whole as u32 + u32::from(self.rng.random_bool(mean - whole))
    }

    /// The habits of the first visit of a day (`daily`, and `once` until bought). True if any bought.
    fn daily_habits(&mut self, world: &World<'_>, shop: &mut Shop, day: &mut Day) -> bool {
        let profile = &world.profiles[self.profile];
        let mut paid = false;
        for (index, habit) in profile.buys.iter().enumerate() {
            let once = habit.when == BuyWhen::Once;
            if habit.when == BuyWhen::OutOfEnergy
                || habit.from_day > world.day
                || (once && self.done_once & 1 << index != 0)
            {
                continue;
            }
            if !self.rng.random_bool(habit.chance) {
                continue;
            }
            if self.buy(world, shop, day, &habit.item, habit.max_price) {
                paid = true;
                if once {
                    self.done_once |= 1 << index;
                }
            }
        }
        paid
    }

    /// One visit: boosts started, digs until the session's end or no energy, arcade runs, then
    /// gems spent. Returns (paid during it, hit the arcade limit).
    fn visit(&mut self, world: &World<'_>, shop: &mut Shop, day: &mut Day, start_ms: i64) -> (bool, bool) {
        let catalog = world.catalog;
        let profile = &world.profiles[self.profile];
        self.start_boosts(catalog, start_ms);
        let mut paid = false;
        let mut now = start_ms;
        let mut cached: Option<Cached> = None;
        for _ in 0..profile.digs_per_session {
            now += DIG_MS;
            let current = match cached.take() {
                Some(current) if current.until_ms > now => current,
                _ => self.cache(catalog, now),
            };
            match self.player.dig_with(&catalog.loot, &current.rules, current.multipliers, &mut self.rng, now) {
                Ok(dug) => {
                    day.energy_spent += u64::from(current.rules.dig_cost);
                    day.gems_dug += dug.gems;
                    day.digs_by_zone[zone_index(catalog, dug.zone)] += 1;
                    cached = Some(current);
                }
                Err(_) => {
                    let (refilled, bought) = self.refill(world, shop, day, now);
                    paid |= bought;
                    if !refilled {
                        break;
                    }
                }
            }
        }
        let capped = self.arcade(world, day, now);
        self.spend_gems(catalog, profile, day, now);
        (paid, capped)
    }

    fn cache(&self, catalog: &Catalog, now_ms: i64) -> Cached {
        let player = &self.player;
        let bonuses = catalog.bonuses_at(&player.upgrades, now_ms);
        let rules = Economy::energy_rules_with(&catalog.settings.energy, bonuses);
        let multipliers = catalog.dig_multipliers(&player.inventory, &player.boosts, bonuses, now_ms);
        let until_ms = player.boosts.values().copied().filter(|until| *until > now_ms).min().unwrap_or(i64::MAX);
        Cached { rules, multipliers, until_ms }
    }

    /// Starts one unit of every boost held whose kind is not running.
    fn start_boosts(&mut self, catalog: &Catalog, now_ms: i64) {
        let held: Vec<String> = self.player.inventory.keys().cloned().collect();
        for id in held {
            let Some(item) = catalog.find(&id).filter(|item| matches!(item.kind, ItemKind::Boost { .. })) else {
                continue;
            };
            if self.player.boosts.get(&id).is_some_and(|until| *until > now_ms) {
                continue;
            }
            let rules = catalog.energy_rules(&self.player.upgrades, now_ms);
            let _ = self.player.use_item(item, &rules, now_ms);
        }
    }

    /// Out of energy: uses a held energy item, else tries the `out_of_energy` habits (and uses
    /// what they bought). Returns (energy added, paid).
    fn refill(&mut self, world: &World<'_>, shop: &mut Shop, day: &mut Day, now_ms: i64) -> (bool, bool) {
        if self.use_energy_item(world.catalog, day, now_ms) {
            return (true, false);
        }
        let profile = &world.profiles[self.profile];
        for habit in profile.buys.iter().filter(|habit| habit.when == BuyWhen::OutOfEnergy) {
            if habit.from_day > world.day || !self.rng.random_bool(habit.chance) {
                continue;
            }
            if self.buy(world, shop, day, &habit.item, habit.max_price) {
                return (self.use_energy_item(world.catalog, day, now_ms), true);
            }
        }
        (false, false)
    }

    fn use_energy_item(&mut self, catalog: &Catalog, day: &mut Day, now_ms: i64) -> bool {
        let held =
            self.player.inventory.keys().find_map(|id| catalog.find(id).filter(|item| item.effects.energy.is_some()));
        let Some(item) = held else {
            return false;
        };
        let rules = catalog.energy_rules(&self.player.upgrades, now_ms);
        let before = self.player.energy.now(&rules, now_ms);
        if self.player.use_item(item, &rules, now_ms).is_err() {
            return false;
        }
        day.energy_refilled += u64::from(self.player.energy.value.saturating_sub(before));
        true
    }

    /// Buys one unit of `item` if the price, the weekly budget and the shop's limits allow:
    /// the sale counts against the shared stock and the grant is the live game's.
    fn buy(
        &mut self,
        world: &World<'_>,
        shop: &mut Shop,
        day: &mut Day,
        item: &crate::domain::ItemId,
        max_price: Option<u32>,
    ) -> bool {
        let catalog = world.catalog;
        let Some(index) = catalog.items().iter().position(|known| &known.id == item) else {
            return false;
        };
        let definition = &catalog.items()[index];
        if !definition.on_sale() {
            // Retired: the shop sells it no more (see `Store::create_order`).
            return false;
        }
        let price = definition.price.get();
        let budget = world.profiles[self.profile].weekly_budget;
        let spent: u32 = self.spent_by_day.iter().sum();
        if max_price.is_some_and(|max| price > max) || spent + price > budget {
            return false;
        }
        let owned = u64::from(self.bought.get(&index).copied().unwrap_or(0));
        let taken = Taken { sold: shop.sold[index], held: 0, owned, player_held: 0 };
        if blocked(definition, taken, 1).is_some() {
            return false;
        }
        shop.sold[index] += 1;
        *self.bought.entry(index).or_default() += 1;
        self.spent_by_day[world.day as usize % 7] += price;
        let grant = catalog.grants(definition);
        self.player.grant(&grant);
        day.revenue += u64::from(price);
        day.purchases[index] += 1;
        day.gems_packs += grant.gems;
        self.paid_ever = true;
        true
    }

    /// The visit's arcade runs; true if one of them was capped by the daily allowance.
    fn arcade(&mut self, world: &World<'_>, day: &mut Day, mut now_ms: i64) -> bool {
        let catalog = world.catalog;
        let profile = &world.profiles[self.profile];
        let rules = &catalog.settings.arcade;
        let mut capped = false;
        for _ in 0..self.count(profile.runs_per_session) {
            let player = &self.player;
            let params = catalog.run_params(&player.inventory, &player.boosts, &player.upgrades, None, now_ms);
            let (seconds, ceiling) = (params.seconds, params.max_score);
            self.player.start_run(params, now_ms);
            let skill = (profile.skill.mean + profile.skill.spread * normal(&mut self.rng)).clamp(0.0, 1.0);
            let score = (skill * ceiling as f64).floor() as i64;
            now_ms += i64::from(seconds) * 1000;
            if let Ok(award) = self.player.finish_run(score, rules, now_ms) {
                day.runs += 1;
                day.gems_arcade += award.awarded;
                capped |= award.awarded < award.earned;
            }
            now_ms += BETWEEN_RUNS_MS;
        }
        capped
    }

    /// Spends gems in the profile's order: the next level (or the cosmetic) of the first entry
    /// not complete, as long as the gems allow; otherwise the player saves for it.
    fn spend_gems(&mut self, catalog: &Catalog, profile: &Profile, day: &mut Day, now_ms: i64) {
        for id in &profile.gem_order {
            loop {
                match catalog.economy.next_purchase(id, &self.player.upgrades, self.player.gems) {
                    Ok(purchase) => {
                        if self.player.buy_with_gems(&purchase, catalog, now_ms).is_err() {
                            return;
                        }
                        match purchase {
                            GemPurchase::Level { cost, .. } => day.gems_upgrades += cost,
                            GemPurchase::Cosmetic { cost, .. } => day.gems_cosmetics += cost,
                        }
                    }
                    Err(GemRefusal::NoSuchLevel | GemRefusal::AlreadyHave | GemRefusal::Unknown) => break,
                    Err(GemRefusal::NotEnoughGems | GemRefusal::NotNext) => return,
                }
            }
        }
    }
}

fn zone_index(catalog: &Catalog, zone: &crate::domain::Zone) -> usize {
    catalog.loot.zones().iter().position(|known| std::ptr::eq(known, zone)).unwrap_or(0)
}

/// A standard normal draw (Box–Muller), from the player's own stream.
fn normal(rng: &mut SmallRng) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// SplitMix64 of the seed and an index: independent streams for independent indices.
pub(super) fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(0x6a09_e667_f3bc_c909);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
