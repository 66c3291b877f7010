//! The Miner's Pass: a Stars subscription's perks, its payload and its state, as pure values.
//!
//! A pass is an item of kind `subscription`. Its perks stack through the one rule of
//! [`crate::domain::economy`]: while a pass runs, its energy cap and regeneration count as upgrade
//! levels would (added to `Σ level × per_level`), its daily gems are a claim a day, and its skin
//! joins the skins the player may choose. Whether it runs is derived from the stored expiry when
//! read (`expires_at > now`), so nothing scans for passes that end.

use super::economy::{Bonuses, TrackEffect};
use super::ids::ItemId;

/// Telegram's only subscription period (`subscription_period` of `createInvoiceLink`): 30 days.
pub const PERIOD_SECONDS: u32 = 2_592_000;

/// The prefix of a subscription's invoice payload (`sub.<pass>.<token>`); an item order's payload
/// is `<item>.<token>` and item ids never contain a dot, so the two never meet.
pub const PAYLOAD_PREFIX: &str = "sub";

/// How long after a pass's expiry the "your pass ended" notice waits: Telegram charges a renewal
/// at the period's end and its update may reach us moments later, so a renewed pass is never
/// called ended. (Its perks end at the expiry itself, and return with the renewal.)
pub const END_NOTICE_GRACE_MS: i64 = 10 * 60 * 1000;

/// What a running pass adds, in the units of [`TrackEffect`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassPerks {
    /// Energy cap, in points.
    pub energy_cap: u32,
    /// Regeneration, in seconds less per energy point.
    pub regen: u32,
    /// Gems the player may claim once a UTC day while the pass runs.
    pub daily_gems: u32,
}

impl PassPerks {
    /// `bonuses` with these perks added as levels would be: the one stacking rule.
    pub fn stack_onto(self, bonuses: Bonuses) -> Bonuses {
        bonuses.plus(TrackEffect::EnergyCap, self.energy_cap).plus(TrackEffect::Regen, self.regen)
    }

    pub fn is_empty(self) -> bool {
        self == Self::default()
    }
}

/// A subscription's invoice payload: `sub.<pass>.<token>`. Every renewal carries the first
/// invoice's payload, so it names the pass, never one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassPayload {
    pass: ItemId,
    token: String,
}

impl PassPayload {
    pub fn new(pass: ItemId, token: String) -> Self {
        Self { pass, token }
    }

    /// `None` for anything but `sub.<item id>.<token>` with a non-empty alphanumeric token.
    pub fn parse(raw: &str) -> Option<Self> {
        let rest = raw.strip_prefix(PAYLOAD_PREFIX)?.strip_prefix('.')?;
        let (pass, token) = rest.split_once('.')?;
        let token_ok = !token.is_empty() && token.len() <= 32 && token.chars().all(|c| c.is_ascii_alphanumeric());
        let pass = ItemId::parse(pass).ok()?;
        token_ok.then(|| Self { pass, token: token.to_owned() })
    }

    pub fn pass(&self) -> &ItemId {
        &self.pass
    }
}

impl std::fmt::Display for PassPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{PAYLOAD_PREFIX}.{}.{}", self.pass, self.token)
    }
}

/// The charge id that names a subscription in `editUserStarSubscription`.
///
/// ASSUMPTION: the Bot API 10.1 docs do not say whether a subscription is named by its first
/// payment's charge id or its latest renewal's. We keep both on the pass and use the FIRST; if
/// Telegram turns out to want the latest, change this one function.
pub fn subscription_charge<'a>(first: &'a str, _latest: &'a str) -> &'a str {
    first
}

/// One player's pass as stored: when it ends, its charges, and who stopped its renewals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassState {
    /// Milliseconds since the epoch; the pass runs while `now < expires_at`.
    pub expires_at: i64,
    pub first_charge: String,
    pub latest_charge: String,
    /// Renewals stopped by the bot (`/pass` stop, or a refund of the first payment): the bot may
    /// turn them on again. A player's own cancellation in Telegram is not visible to the bot.
    pub stopped_by_bot: bool,
}

impl PassState {
    pub fn active(&self, now_ms: i64) -> bool {
        self.expires_at > now_ms
    }

    /// The charge id `editUserStarSubscription` names (see [`subscription_charge`]).
    pub fn subscription_charge(&self) -> &str {
        subscription_charge(&self.first_charge, &self.latest_charge)
    }
}

/// The expiry after a payment that pays up to `paid_until`: extended, never shortened (a
/// renewal delivered late or twice, or an older one after a newer, changes nothing).
pub fn extended_expiry(current: i64, paid_until: i64) -> i64 {
    current.max(paid_until)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_never_meet_item_orders() {
        let payload = PassPayload::parse("sub.miners_pass.abc123").unwrap();
        assert_eq!(payload.pass().as_str(), "miners_pass");
        assert_eq!(payload.to_string(), "sub.miners_pass.abc123");
        for bad in ["miners_pass.abc", "sub.miners_pass.", "sub..abc", "sub.Bad-Id.abc", "sub.x.a-b", "subx.a.b"] {
            assert_eq!(PassPayload::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn expiry_is_extended_never_shortened() {
        let check = |current, paid_until, expected| assert_eq!(extended_expiry(current, paid_until), expected);
        check(0, 100, 100);
        check(100, 200, 200);
        check(200, 100, 200);
    }

    #[test]
    fn perks_stack_like_levels_and_regeneration_keeps_its_floor() {
        use crate::domain::economy::{Economy, Track, Upgrades, MIN_REGEN};
        use crate::domain::EnergyRules;
        use std::time::Duration;
        let track = |id: &str, effect, per_level| Track {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            effect,
            per_level,
            costs: vec![10; 8],
            translations: Default::default(),
        };
        let economy = Economy {
            tracks: vec![track("battery", TrackEffect::EnergyCap, 2), track("generator", TrackEffect::Regen, 10)],
            cosmetics: Vec::new(),
        };
        let base = EnergyRules { max: 20, regen: Duration::from_secs(180), dig_cost: 1 };
        let levels =
            Upgrades { levels: [("battery".into(), 4), ("generator".into(), 8)].into(), ..Upgrades::default() };
        let perks = PassPerks { energy_cap: 25, regen: 30, daily_gems: 50 };
        let check = |bonuses, max, regen: u64| {
            let rules = Economy::energy_rules_with(&base, bonuses);
            assert_eq!((rules.max, rules.regen), (max, Duration::from_secs(regen)));
        };
        check(economy.bonuses(&levels), 28, 100);
        check(perks.stack_onto(economy.bonuses(&levels)), 53, 70);
        check(perks.stack_onto(Default::default()), 45, 150);
        let huge = PassPerks { regen: 10_000, ..perks };
        assert_eq!(Economy::energy_rules_with(&base, huge.stack_onto(Default::default())).regen, MIN_REGEN);
    }

    #[test]
    fn the_first_charge_names_the_subscription() {
        let state = PassState { first_charge: "first".into(), latest_charge: "latest".into(), ..PassState::default() };
        assert_eq!(state.subscription_charge(), "first");
    }
}
