//! Who may refund what, and when: the one player refund policy. Listing refundable purchases
//! and refusing a refund both ask [`player_refund`]; nothing else decides it.

use std::collections::BTreeMap;
use std::time::Duration;

/// Who started a refund. Players are held to the refund policy; admins and disputes are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundBy {
    Player,
    Admin,
    /// Telegram refunded the payment on its own (a `refunded_payment` we did not start).
    Dispute,
    /// We could not deliver what was paid for.
    Automatic,
    /// Not a refund: the Star ledger never showed the payment, so its grant is taken back.
    Void,
}

impl RefundBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Player => "player",
            Self::Admin => "admin",
            Self::Dispute => "dispute",
            Self::Automatic => "automatic",
            Self::Void => "void",
        }
    }
}

/// A paid purchase as the policy sees it: when it was paid and every unit it granted (unit id
/// -> quantity; the store names gems and other non-inventory units its own way, the policy
/// only compares quantities).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purchase<'a> {
    pub paid_at_ms: i64,
    pub grants: &'a [(String, u32)],
}

/// Why a player may not refund a purchase themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRefundable {
    /// Paid longer ago than the refund window.
    WindowClosed,
    /// The player holds fewer of `unit` than the purchase granted (used, started or spent):
    /// the first such unit in the purchase's grant order.
    NotHeld { unit: String, granted: u64, held: u64 },
    /// A pass period that is not the latest one paid (a player refunds only the latest).
    PassPeriodNotLatest,
    /// A pass period used for `refundable_use` or longer (the designers' limit).
    PassUsed { allowed: Duration },
}

/// The player refund policy: a purchase is refundable by its player within `window` of paying,
/// while they still hold every unit it granted. `held` is the player's current holdings (unit
/// id -> quantity; a missing unit is held zero times).
pub fn player_refund(
    purchase: &Purchase<'_>,
    held: &BTreeMap<String, u64>,
    window: Duration,
    now_ms: i64,
) -> Result<(), NotRefundable> {
    if now_ms - purchase.paid_at_ms > window.as_millis() as i64 {
        return Err(NotRefundable::WindowClosed);
    }
    for (unit, granted) in purchase.grants {
        let granted = u64::from(*granted);
        let held = held.get(unit).copied().unwrap_or(0);
        if held < granted {
            return Err(NotRefundable::NotHeld { unit: unit.clone(), granted, held });
        }
    }
    Ok(())
}

/// One period of a Miner's Pass, as the player refund policy sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassPeriodUse {
    pub paid_at_ms: i64,
    /// When the period began to count (its payment, or the end of the period before it).
    pub start_ms: i64,
    /// When it ends.
    pub until_ms: i64,
    /// The pass's expiry now: a later period paid moves it past this one's end.
    pub expires_at_ms: i64,
}

/// The player refund policy for a pass period: the latest period paid, within `window` of its
/// payment, used for less than `refundable_use`. (Admins and disputes may refund any period.)
pub fn player_pass_refund(
    period: PassPeriodUse,
    window: Duration,
    refundable_use: Duration,
    now_ms: i64,
) -> Result<(), NotRefundable> {
    if period.until_ms < period.expires_at_ms {
        return Err(NotRefundable::PassPeriodNotLatest);
    }
    if now_ms - period.paid_at_ms > window.as_millis() as i64 {
        return Err(NotRefundable::WindowClosed);
    }
    if now_ms - period.start_ms >= refundable_use.as_millis() as i64 {
        return Err(NotRefundable::PassUsed { allowed: refundable_use });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_player_refunds_the_latest_pass_period_within_the_window_while_little_used() {
        const DAY: i64 = 86_400_000;
        let (window, use_limit) = (Duration::from_secs(2 * 86_400), Duration::from_secs(86_400));
        let latest = PassPeriodUse { paid_at_ms: 0, start_ms: 0, until_ms: 30 * DAY, expires_at_ms: 30 * DAY };
        let check = |period, now, expected| assert_eq!(player_pass_refund(period, window, use_limit, now), expected);
        check(latest, DAY / 2, Ok(()));
        check(latest, DAY, Err(NotRefundable::PassUsed { allowed: use_limit }));
        check(PassPeriodUse { expires_at_ms: 60 * DAY, ..latest }, 0, Err(NotRefundable::PassPeriodNotLatest));
        // A renewal paid before its period began: its use counts from the period's start.
        let early = PassPeriodUse { paid_at_ms: 0, start_ms: DAY, until_ms: 31 * DAY, expires_at_ms: 31 * DAY };
        check(early, DAY + DAY / 2, Ok(()));
        check(early, 2 * DAY + 1, Err(NotRefundable::WindowClosed));
    }

    const HOUR: Duration = Duration::from_secs(3600);

    fn check(grants: &[(&str, u32)], held: &[(&str, u64)], paid_ago_ms: i64, expected: Result<(), NotRefundable>) {
        let grants: Vec<(String, u32)> = grants.iter().map(|(unit, qty)| (unit.to_string(), *qty)).collect();
        let held: BTreeMap<String, u64> = held.iter().map(|(unit, qty)| (unit.to_string(), *qty)).collect();
        let now = 1_000_000_000;
        let purchase = Purchase { paid_at_ms: now - paid_ago_ms, grants: &grants };
        assert_eq!(player_refund(&purchase, &held, HOUR, now), expected, "{grants:?} with {held:?}");
    }

    fn not_held(unit: &str, granted: u64, held: u64) -> Result<(), NotRefundable> {
        Err(NotRefundable::NotHeld { unit: unit.into(), granted, held })
    }

    #[test]
    fn a_purchase_is_refundable_while_every_granted_unit_is_held_within_the_window() {
        let bundle = [("energy_refill", 5), ("@gems", 200)];
        check(&[("stopwatch", 1)], &[("stopwatch", 1)], 0, Ok(()));
        check(&bundle, &[("energy_refill", 5), ("@gems", 200)], 1_000, Ok(()));
        check(&bundle, &[("energy_refill", 9), ("@gems", 1_000)], 1_000, Ok(()));
        check(&[("stopwatch", 1)], &[("stopwatch", 1)], HOUR.as_millis() as i64, Ok(()));
        check(&[("stopwatch", 1)], &[("stopwatch", 1)], HOUR.as_millis() as i64 + 1, Err(NotRefundable::WindowClosed));
        check(&[("dynamite", 1)], &[], 0, not_held("dynamite", 1, 0));
        check(&bundle, &[("energy_refill", 3), ("@gems", 200)], 0, not_held("energy_refill", 5, 3));
        check(&bundle, &[("energy_refill", 5), ("@gems", 150)], 0, not_held("@gems", 200, 150));
        check(&[], &[], 0, Ok(()));
    }
}
