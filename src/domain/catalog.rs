//! The catalog of items for sale and the shop settings, as validated values.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::economy::{Bonuses, Economy, TrackEffect, Upgrades};
use super::game::{ArcadeRules, Effects, EnergyRules, LootTable, RunParams, RunSources};
use super::ids::{ItemId, Stars};
use super::lang::Lang;
use super::pass::PassPerks;
use super::profile::Population;

/// What kind of item this is, with the data only that kind has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// Stackable; used up when used.
    Consumable,
    /// A tool: a player owns at most one.
    Permanent,
    /// A timed effect started by the player; lasts `duration` once started.
    Boost { duration: Duration },
    /// A pack of plain consumables, granted as its contents (never as itself).
    Bundle { contains: Vec<(ItemId, u32)> },
    /// A monthly Stars subscription (the Miner's Pass): never in the inventory; a payment
    /// extends the player's pass and its perks count while it runs (`domain::pass`). Sold by
    /// `/pass`, not by the shop.
    /// `refundable_use`: how long a period may have run and still be refunded at the player's
    /// request (within the refund window).
    Subscription { perks: PassPerks, refundable_use: Duration },
}

impl ItemKind {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Consumable => "consumable",
            Self::Permanent => "permanent",
            Self::Boost { .. } => "boost",
            Self::Bundle { .. } => "bundle",
            Self::Subscription { .. } => "subscription",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: ItemId,
    /// 1–32 characters: it is the invoice title.
    pub name: String,
    /// 1–255 characters: the invoice description.
    pub description: String,
    pub price: Stars,
    pub kind: ItemKind,
    /// Total units ever sellable; `None` = unlimited.
    pub stock: Option<u32>,
    /// Units one player may hold bought at once (unrefunded purchases plus open holds).
    pub max_per_player: Option<u32>,
    /// What the item does in play.
    pub effects: Effects,
    /// Taken off sale by the designers (`retired = true`): never offered or sold again, but
    /// still in the catalog, so its owners keep it, its name, its use and its refund.
    pub retired: bool,
    /// The name and description in other languages (`[items.<lang>]`); English is `name` and
    /// `description`, and what a language lacks falls back to them.
    pub translations: BTreeMap<Lang, ItemText>,
}

/// An item's name and description in one language other than English; either may be missing
/// (check-data warns), and then English is shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemText {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl Item {
    /// The item's name in `lang` (the invoice title), English when not translated.
    pub fn name_in(&self, lang: Lang) -> &str {
        self.translations.get(&lang).and_then(|text| text.name.as_deref()).unwrap_or(&self.name)
    }

    /// The item's description in `lang` (the invoice description), English when not translated.
    pub fn description_in(&self, lang: Lang) -> &str {
        self.translations.get(&lang).and_then(|text| text.description.as_deref()).unwrap_or(&self.description)
    }

    /// The items one purchase of this item is made of; [`Catalog::grants`] turns gem packs
    /// among them into gems.
    pub fn grants(&self) -> Vec<(ItemId, u32)> {
        match &self.kind {
            ItemKind::Bundle { contains } => contains.clone(),
            _ => vec![(self.id.clone(), 1)],
        }
    }

    /// Whether the shop offers it: every item but a retired one (a sold-out one is still
    /// shown, as sold out).
    pub fn on_sale(&self) -> bool {
        !self.retired
    }

    /// The perks of a subscription (a pass); `None` for every other kind.
    pub fn pass_perks(&self) -> Option<PassPerks> {
        match self.kind {
            ItemKind::Subscription { perks, .. } => Some(perks),
            _ => None,
        }
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self.kind, ItemKind::Permanent)
    }

    /// Whether a player can use (start) a held unit: a boost starts its timer, an energy item
    /// fills the bar. Tools work by being owned; other consumables do nothing when used.
    pub fn is_usable(&self) -> bool {
        matches!(self.kind, ItemKind::Boost { .. }) || self.effects.energy.is_some()
    }
}

/// Everything one purchase gives: inventory units, and gems from gem packs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grant {
    pub units: Vec<(ItemId, u32)>,
    pub gems: u64,
}

/// The unit name of gems in grants, revocations and payment records (inventory units are
/// named by their item id).
pub const GEMS_UNIT: &str = "@gems";

/// A grant as named units: items by id, gems as [`GEMS_UNIT`].
pub fn grant_units(grant: &Grant) -> Vec<(String, u32)> {
    let mut units: Vec<(String, u32)> = grant.units.iter().map(|(item, qty)| (item.to_string(), *qty)).collect();
    if grant.gems > 0 {
        units.push((GEMS_UNIT.to_owned(), u32::try_from(grant.gems).unwrap_or(u32::MAX)));
    }
    units
}

/// Shop-wide settings from `settings.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// How long after paying a player may refund a purchase they still fully hold.
    pub refund_window: Duration,
    /// How long an invoice stays payable.
    pub order_ttl: Duration,
    /// How long an approved pre-checkout holds a unit for its payment.
    pub hold_ttl: Duration,
    /// Energy cap, regeneration and dig cost.
    pub energy: EnergyRules,
    /// At most one notification of each kind (energy full, boost expired) per player per period.
    pub notify_period: Duration,
    /// Run length, score ceiling and reward of the arcade.
    pub arcade: ArcadeRules,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            refund_window: Duration::from_secs(48 * 3600),
            order_ttl: Duration::from_secs(30 * 60),
            hold_ttl: Duration::from_secs(5 * 60),
            energy: EnergyRules::default(),
            notify_period: Duration::from_secs(3600),
            arcade: ArcadeRules::default(),
        }
    }
}

/// A validated, immutable catalog. Items keep the designers' file order.
#[derive(Clone, Debug)]
pub struct Catalog {
    items: Vec<Item>,
    index: HashMap<ItemId, usize>,
    pub settings: Settings,
    pub loot: LootTable,
    /// The gem sinks: upgrade tracks and cosmetics (`upgrades.toml`).
    pub economy: Economy,
    /// The players the economy lab simulates (`players.toml`; empty without it). The live game
    /// never reads them.
    pub population: Population,
    /// A short fingerprint of the content, stored with each order.
    pub version: String,
}

impl Catalog {
    /// Builds a catalog from already validated items (see `game_data`): ids are unique and every
    /// bundle refers to consumables of this catalog.
    pub fn new(items: Vec<Item>, settings: Settings, loot: LootTable, version: String) -> Self {
        let index = items.iter().enumerate().map(|(at, item)| (item.id.clone(), at)).collect();
        Self { items, index, settings, loot, economy: Economy::default(), population: Population::default(), version }
    }

    pub fn with_economy(self, economy: Economy) -> Self {
        Self { economy, ..self }
    }

    pub fn with_population(self, population: Population) -> Self {
        Self { population, ..self }
    }

    /// A player's energy rules at `now_ms`: the base ones with their upgrade levels and running
    /// passes applied (the one stacking rule; `energy_rules` in `game_lib.lua` is the same).
    pub fn energy_rules(&self, upgrades: &Upgrades, now_ms: i64) -> EnergyRules {
        Economy::energy_rules_with(&self.settings.energy, self.bonuses_at(upgrades, now_ms))
    }

    /// Each effect's sum of levels at `now_ms`, with the perks of every pass still running
    /// added as levels are ([`PassPerks::stack_onto`]). A pass gone from the catalog adds nothing.
    pub fn bonuses_at(&self, upgrades: &Upgrades, now_ms: i64) -> Bonuses {
        let running = upgrades.passes.iter().filter(|(_, until)| **until > now_ms);
        let perks = running.filter_map(|(id, _)| self.find(id)?.pass_perks());
        perks.fold(self.economy.bonuses(upgrades), |bonuses, perks| perks.stack_onto(bonuses))
    }

    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The items the shop offers, in file order: all but the retired ones and the passes
    /// (subscriptions are sold by `/pass`, never through an item order).
    pub fn on_sale(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.on_sale() && item.pass_perks().is_none())
    }

    /// The passes on sale, in file order.
    pub fn passes(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.on_sale() && item.pass_perks().is_some())
    }

    pub fn get(&self, id: &ItemId) -> Option<&Item> {
        self.index.get(id).map(|&at| &self.items[at])
    }

    /// Looks up an item by the raw text a player typed.
    pub fn find(&self, raw: &str) -> Option<&Item> {
        let id = ItemId::parse(raw.trim()).ok()?;
        self.get(&id)
    }

    /// What one purchase of `item` gives: a gem pack gives gems, a bundle its contents (its
    /// gem packs as gems), anything else one unit of itself.
    pub fn grants(&self, item: &Item) -> Grant {
        let mut grant = Grant::default();
        for (id, qty) in item.grants() {
            let gems = self.get(&id).and_then(|part| part.effects.gems);
            match gems {
                Some(gems) => grant.gems += u64::from(gems) * u64::from(qty),
                None => grant.units.push((id, qty)),
            }
        }
        grant
    }

    /// Gems per find and rare-find weight (percent) for a dig at `now_ms`: the best yield among
    /// the permanent items `owned` and the boosts running (`boosts`: id -> expiry), the best luck
    /// among those boosts, then the upgrade levels' `bonuses` (the stacking rule in
    /// [`crate::domain::economy`]).
    pub fn dig_multipliers(
        &self,
        owned: &BTreeMap<String, u64>,
        boosts: &BTreeMap<String, i64>,
        bonuses: Bonuses,
        now_ms: i64,
    ) -> (u32, u32) {
        let mut best_yield = 100;
        let mut best_luck = 100;
        let tools = owned.iter().filter(|(_, qty)| **qty > 0).filter_map(|(id, _)| self.find(id));
        for item in tools.filter(|item| item.is_permanent()) {
            best_yield = best_yield.max(item.effects.yield_percent.unwrap_or(100));
        }
        let running = boosts.iter().filter(|(_, until)| **until > now_ms).filter_map(|(id, _)| self.find(id));
        for item in running {
            best_yield = best_yield.max(item.effects.yield_percent.unwrap_or(100));
            best_luck = best_luck.max(item.effects.luck_percent.unwrap_or(100));
        }
        Economy::dig_multipliers_with(best_yield, best_luck, bonuses)
    }

    /// What an arcade run is allowed now (the stacking rule in [`crate::domain::economy`]): the
    /// base run plus the best extra time among owned tools (`owned`) and boosts active at
    /// `now_ms` (`boosts`: id -> expiry) plus the upgrade levels' seconds, the best score
    /// multiplier, the skin, and the ceiling they imply. The skin is the player's `chosen` one
    /// when it is among [`Catalog::skins_available`], else the skin of the last skin item by id
    /// (or `classic`).
    pub fn run_params(
        &self,
        owned: &BTreeMap<String, u64>,
        boosts: &BTreeMap<String, i64>,
        upgrades: &Upgrades,
        chosen: Option<&str>,
        now_ms: i64,
    ) -> RunParams {
        let rules = &self.settings.arcade;
        let mut sources = RunSources {
            base_seconds: rules.run_seconds,
            points_per_second: rules.points_per_second,
            level_seconds: self.economy.bonus(upgrades, TrackEffect::RunSeconds),
            boost_seconds: 0,
            boost_percent: 100,
            tools: Vec::new(),
        };
        let mut skin = "classic".to_owned();
        let tools =
            owned.iter().filter(|(_, qty)| **qty > 0).filter_map(|(id, _)| self.find(id)).filter(|i| i.is_permanent());
        for item in tools {
            let (seconds, percent) = (item.effects.run_seconds.unwrap_or(0), item.effects.score_percent.unwrap_or(100));
            if seconds > 0 || percent > 100 {
                sources.tools.push((item.id.to_string(), seconds, percent));
            }
            if let Some(item_skin) = &item.effects.skin {
                skin = item_skin.clone();
            }
        }
        let active = boosts
            .iter()
            .filter(|(_, until)| **until > now_ms)
            .filter_map(|(id, _)| self.find(id))
            .filter(|item| matches!(item.kind, ItemKind::Boost { .. }));
        for item in active {
            sources.boost_seconds = sources.boost_seconds.max(item.effects.run_seconds.unwrap_or(0));
            sources.boost_percent = sources.boost_percent.max(item.effects.score_percent.unwrap_or(100));
        }
        if let Some(chosen) =
            chosen.filter(|chosen| self.skins_available(owned, upgrades, now_ms).iter().any(|s| s == chosen))
        {
            skin = chosen.to_owned();
        }
        let (seconds, score_percent, max_score) = sources.allowance(|_| true);
        RunParams { seconds, score_percent, skin, max_score, sources }
    }

    /// The skins a player owning `owned` and `upgrades` may choose at `now_ms`: `classic`, then
    /// those of their permanent skin items in id order, then their gem-bought cosmetics, then the
    /// skins of their passes running now (a pass-only skin goes with its pass), without repeats.
    pub fn skins_available(&self, owned: &BTreeMap<String, u64>, upgrades: &Upgrades, now_ms: i64) -> Vec<String> {
        let mut skins = vec!["classic".to_owned()];
        let items = owned.iter().filter(|(_, qty)| **qty > 0).filter_map(|(id, _)| self.find(id));
        let item_skins = items.filter(|item| item.is_permanent()).filter_map(|item| item.effects.skin.clone());
        let cosmetic_skins = self
            .economy
            .cosmetics
            .iter()
            .filter(|cosmetic| upgrades.cosmetics.contains(&cosmetic.id))
            .map(|cosmetic| cosmetic.skin.clone());
        let running = upgrades.passes.iter().filter(|(_, until)| **until > now_ms).filter_map(|(id, _)| self.find(id));
        let pass_skins =
            running.filter(|item| item.pass_perks().is_some()).filter_map(|item| item.effects.skin.clone());
        for skin in item_skins.chain(cosmetic_skins).chain(pass_skins) {
            if !skins.contains(&skin) {
                skins.push(skin);
            }
        }
        skins
    }

    /// The display name of any item id, falling back to the id for items no longer sold.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.name_in(Lang::En, id)
    }

    /// The name of item `id` in `lang` (English when not translated), or the id itself when the
    /// catalog has no such item.
    pub fn name_in<'a>(&'a self, lang: Lang, id: &'a str) -> &'a str {
        match ItemId::parse(id).ok().and_then(|id| self.index.get(&id).copied()) {
            Some(at) => self.items[at].name_in(lang),
            None => id,
        }
    }
}
