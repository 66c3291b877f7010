//! A player's books: inventory, gems and levels derived from their ledger (gems dug come from the
//! dig aggregate, as digs write no line), and the ledger checked against their payment records.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Discrepancy, Kind, LedgerEntry, PayStatus, PlayerBooks, Since, Units};

/// Every discrepancy in one player's snapshot.
pub(super) fn check(player: &PlayerBooks) -> Vec<Discrepancy> {
    let mut found = Vec::new();
    let opened = player.ledger.iter().any(|entry| matches!(entry, LedgerEntry::Opening { .. }));
    match player.since {
        // History before the books is not complete: nothing to derive from yet.
        Since::Unopened => {}
        Since::Opening(at) if !opened => {
            found.push(Discrepancy::new(Kind::OpeningMissing, format!("an opening line at {at}"), "none"));
        }
        Since::Start | Since::Opening(_) => found.extend(balances(player)),
    }
    found.extend(unreadable(player));
    found.extend(payments_against_ledger(player));
    found.into_iter().map(|discrepancy| discrepancy.player(player.user)).collect()
}

/// Balances and levels as the ledger has them.
struct Derived {
    units: Units,
    levels: BTreeMap<String, u32>,
}

fn derive(player: &PlayerBooks) -> Derived {
    let mut units = Units::default();
    let mut levels = BTreeMap::new();
    let mut mined_before = 0;
    for entry in &player.ledger {
        match entry {
            LedgerEntry::Opening { units: opening, mined, levels: at_opening } => {
                units = opening.clone();
                mined_before = *mined;
                levels = at_opening.clone();
            }
            LedgerEntry::Grant { units: granted, .. } | LedgerEntry::Restore { units: granted, .. } => {
                units.add(granted, 1);
            }
            LedgerEntry::Revoke { units: taken, .. } | LedgerEntry::Use { units: taken } => units.add(taken, -1),
            LedgerEntry::GemPurchase { field, level, gems } => {
                units.gems += gems;
                levels.insert(field.clone(), *level);
            }
            LedgerEntry::Run { awarded } | LedgerEntry::PassGems { gems: awarded } => units.gems += awarded,
            LedgerEntry::Unfulfillable { .. }
            | LedgerEntry::Refunded { .. }
            | LedgerEntry::Voided { .. }
            | LedgerEntry::Note
            | LedgerEntry::Unreadable { .. } => {}
        }
    }
    units.gems += player.mined - mined_before;
    Derived { units, levels }
}

fn balances(player: &PlayerBooks) -> Vec<Discrepancy> {
    let derived = derive(player);
    let mut found = Vec::new();
    let items: BTreeSet<&String> = derived.units.items.keys().chain(player.inventory.keys()).collect();
    for item in items {
        let expected = derived.units.items.get(item).copied().unwrap_or(0);
        let held = player.inventory.get(item).copied().unwrap_or(0);
        if expected != held {
            found.push(Discrepancy::new(Kind::Inventory, expected, held).item(item));
        }
    }
    if derived.units.gems != player.gems {
        found.push(Discrepancy::new(Kind::Gems, derived.units.gems, player.gems));
    }
    let fields: BTreeSet<&String> = derived.levels.keys().chain(player.levels.keys()).collect();
    for field in fields {
        let expected = derived.levels.get(field).copied().unwrap_or(0);
        let level = player.levels.get(field).copied().unwrap_or(0);
        if expected != level {
            found.push(Discrepancy::new(Kind::Level, format!("{field} = {expected}"), format!("{field} = {level}")));
        }
    }
    found
}

fn unreadable(player: &PlayerBooks) -> Option<Discrepancy> {
    let lines: Vec<String> = player
        .ledger
        .iter()
        .filter_map(|entry| match entry {
            LedgerEntry::Unreadable { index, text } => Some(format!("line {index}: {text}")),
            _ => None,
        })
        .collect();
    let first = lines.first()?;
    let more = if lines.len() > 1 { format!(" (and {} more)", lines.len() - 1) } else { String::new() };
    Some(Discrepancy::new(Kind::LedgerLine, "known ledger events", format!("{first}{more}")))
}

/// How often each event names one charge.
#[derive(Clone, Copy, Default)]
struct Lines {
    grant: i64,
    unfulfillable: i64,
    revoke: i64,
    restore: i64,
    refunded: i64,
    voided: i64,
}

fn lines_by_charge(player: &PlayerBooks) -> HashMap<&str, Lines> {
    let mut by_charge: HashMap<&str, Lines> = HashMap::new();
    for entry in &player.ledger {
        let (charge, count): (&str, fn(&mut Lines)) = match entry {
            LedgerEntry::Grant { charge, .. } => (charge, |lines| lines.grant += 1),
            LedgerEntry::Unfulfillable { charge } => (charge, |lines| lines.unfulfillable += 1),
            LedgerEntry::Revoke { charge, .. } => (charge, |lines| lines.revoke += 1),
            LedgerEntry::Restore { charge, .. } => (charge, |lines| lines.restore += 1),
            LedgerEntry::Refunded { charge } => (charge, |lines| lines.refunded += 1),
            LedgerEntry::Voided { charge } => (charge, |lines| lines.voided += 1),
            _ => continue,
        };
        count(by_charge.entry(charge).or_default());
    }
    by_charge
}

/// Each payment has its grant (or unfulfillable) line, one revocation net of restores once its
/// refund began (or it was voided), one `refunded` line once refunded, one `voided` line once
/// voided; no line names a charge without a record.
/// Payments from before the books were opened are not held to this (older history may lack lines).
fn payments_against_ledger(player: &PlayerBooks) -> Vec<Discrepancy> {
    let mut found = Vec::new();
    let by_charge = lines_by_charge(player);
    let accountable_from = match player.since {
        Since::Start => Some(i64::MIN),
        Since::Opening(at) => Some(at),
        Since::Unopened => None,
    };
    for payment in &player.payments {
        let named = |kind: Kind, expected: String, found: String| {
            Discrepancy::new(kind, expected, found).item(&payment.item).charge(&payment.charge)
        };
        if let PayStatus::Other(status) = &payment.status {
            found.push(named(Kind::PaymentStatus, "paid, refund_pending, refunded or voided".into(), status.clone()));
            continue;
        }
        if accountable_from.is_none_or(|from| payment.paid_at_ms < from) {
            continue;
        }
        let lines = by_charge.get(payment.charge.as_str()).copied().unwrap_or_default();
        let (grant, unfulfillable) = (i64::from(payment.counted), i64::from(!payment.counted));
        if (lines.grant, lines.unfulfillable) != (grant, unfulfillable) {
            found.push(named(
                Kind::LedgerGrant,
                format!("{grant} grant and {unfulfillable} unfulfillable line"),
                format!("{} grant and {} unfulfillable", lines.grant, lines.unfulfillable),
            ));
        }
        let refund_began = matches!(payment.status, PayStatus::RefundPending | PayStatus::Refunded | PayStatus::Voided);
        let revoked = i64::from(payment.counted && refund_began);
        if lines.revoke - lines.restore != revoked {
            found.push(named(
                Kind::LedgerRevoke,
                format!("{revoked} revocation net of restores ({})", payment.status.as_str()),
                format!("{} revoke and {} restore lines", lines.revoke, lines.restore),
            ));
        }
        let (refunded, voided) =
            (i64::from(payment.status == PayStatus::Refunded), i64::from(payment.status == PayStatus::Voided));
        if (lines.refunded, lines.voided) != (refunded, voided) {
            found.push(named(
                Kind::LedgerSettled,
                format!("{refunded} refunded and {voided} voided line ({})", payment.status.as_str()),
                format!("{} refunded and {} voided lines", lines.refunded, lines.voided),
            ));
        }
    }
    let recorded: BTreeSet<&str> = player.payments.iter().map(|payment| payment.charge.as_str()).collect();
    let mut strays: Vec<&&str> = by_charge.keys().filter(|charge| !recorded.contains(**charge)).collect();
    strays.sort();
    for charge in strays {
        found.push(Discrepancy::new(Kind::LedgerWithoutPayment, "a payment record", "none").charge(charge));
    }
    found
}
