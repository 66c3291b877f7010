//! The money side of the books: each item's sold and owned counts from its charges, each charge's
//! item-side record against the player's payment record, and the payment records against the
//! Star ledger (payments and refunds), charge by charge and in totals.

use std::collections::{BTreeMap, BTreeSet};

use super::{Discrepancy, ItemSide, Kind, PayStatus, Payment, Snapshot, StarEntry, Totals};
use crate::domain::UserId;

/// Charge -> every record of it, under the player who paid (a gift's record lives in its
/// recipient's slot and names its buyer, the one the item side and the Star ledger name).
fn records(snapshot: &Snapshot) -> BTreeMap<&str, Vec<(UserId, &Payment)>> {
    let mut by_charge: BTreeMap<&str, Vec<(UserId, &Payment)>> = BTreeMap::new();
    for player in snapshot.players.values() {
        for payment in &player.payments {
            let payer = payment.payer.unwrap_or(player.user);
            by_charge.entry(payment.charge.as_str()).or_default().push((payer, payment));
        }
    }
    by_charge
}

/// What the item side should say of a payment record (None: a status the audit does not know,
/// reported with the player).
fn expected_side(payment: &Payment) -> Option<ItemSide> {
    if !payment.counted {
        return Some(ItemSide::Refund);
    }
    match payment.status {
        PayStatus::Paid | PayStatus::RefundPending => Some(ItemSide::Granted),
        PayStatus::Refunded | PayStatus::Voided => Some(ItemSide::Released),
        PayStatus::Other(_) => None,
    }
}

fn side_name(side: &ItemSide) -> String {
    match side {
        ItemSide::Granted => "granted".into(),
        ItemSide::Released => "released".into(),
        ItemSide::Refund => "refund".into(),
        ItemSide::Unreadable(text) => format!("`{text}`"),
    }
}

pub(super) fn check_items(snapshot: &Snapshot) -> Vec<Discrepancy> {
    let mut found = Vec::new();
    let records = records(snapshot);
    for books in snapshot.items.values() {
        let item = books.item.as_str();
        let mut sold = 0;
        let mut owned: BTreeMap<UserId, i64> = BTreeMap::new();
        for charge in &books.charges {
            let named = |kind: Kind, expected: String, found: String| {
                Discrepancy::new(kind, expected, found).item(item).charge(&charge.charge)
            };
            if let ItemSide::Unreadable(_) = charge.side {
                found.push(named(Kind::ItemSide, "a readable record".into(), side_name(&charge.side)));
                continue;
            }
            if charge.side == ItemSide::Granted {
                sold += i64::from(charge.qty);
                if let Some(holder) = charge.holder.or(charge.payer) {
                    *owned.entry(holder).or_default() += i64::from(charge.qty);
                }
            }
            let holders = records.get(charge.charge.as_str()).map(Vec::as_slice).unwrap_or_default();
            let record = holders.iter().find(|(user, _)| Some(*user) == charge.payer).or(holders.first());
            let Some((user, payment)) = record else {
                let missing = named(Kind::PaymentMissing, "a payment record".into(), "none".into());
                found.push(match charge.payer {
                    Some(payer) => missing.player(payer),
                    None => missing,
                });
                continue;
            };
            let named = |kind: Kind, expected: String, found: String| named(kind, expected, found).player(*user);
            if Some(*user) != charge.payer {
                let payer = charge.payer.map_or("nobody".to_owned(), |payer| payer.to_string());
                found.push(named(Kind::Payer, format!("paid by {payer}"), format!("recorded for {user}")));
            }
            if payment.item != item {
                found.push(named(Kind::ItemSide, format!("in the charges of {}", payment.item), "here".into()));
            }
            if let Some(expected) = expected_side(payment) {
                if expected != charge.side {
                    let status = format!("{} ({})", side_name(&expected), payment.status.as_str());
                    found.push(named(Kind::ItemSide, status, side_name(&charge.side)));
                }
            }
            if (payment.qty, payment.amount) != (charge.qty, charge.amount) {
                found.push(named(
                    Kind::Amount,
                    format!("{} unit(s) for {} stars (payment record)", payment.qty, payment.amount),
                    format!("{} unit(s) for {} stars (item side)", charge.qty, charge.amount),
                ));
            }
        }
        if sold != books.sold {
            found.push(Discrepancy::new(Kind::Sold, sold, books.sold).item(item));
        }
        let users: BTreeSet<&UserId> = owned.keys().chain(books.owned.keys()).collect();
        for user in users {
            let expected = owned.get(user).copied().unwrap_or(0);
            let have = books.owned.get(user).copied().unwrap_or(0);
            if expected != have {
                found.push(Discrepancy::new(Kind::Owned, expected, have).item(item).player(*user));
            }
        }
    }
    for player in snapshot.players.values() {
        // A voided false claim's item-side record is forgotten, so that the real payer's payment
        // is confirmed afresh (perhaps for another item): a voided record may have none.
        for payment in player.payments.iter().filter(|payment| payment.status != PayStatus::Voided) {
            let books = snapshot.items.get(&payment.item);
            if !books.is_some_and(|books| books.charges.iter().any(|charge| charge.charge == payment.charge)) {
                let missing = Discrepancy::new(Kind::ItemSideMissing, "an item-side record", "none");
                found.push(missing.player(player.user).item(&payment.item).charge(&payment.charge));
            }
        }
    }
    found
}

/// One Star ledger transaction: who, how much, for which item (payments whose payload is ours).
type Star<'a> = (UserId, u32, Option<&'a str>);

/// The Star ledger's payments and refunds by charge.
fn star_ledger(snapshot: &Snapshot) -> (BTreeMap<&str, Star<'_>>, BTreeMap<&str, Star<'_>>) {
    let (mut payments, mut refunds) = (BTreeMap::new(), BTreeMap::new());
    for entry in &snapshot.stars {
        match entry {
            StarEntry::Payment { charge, user, amount, item } => {
                payments.entry(charge.as_str()).or_insert((*user, *amount, item.as_deref()))
            }
            StarEntry::Refund { charge, user, amount } => {
                refunds.entry(charge.as_str()).or_insert((*user, *amount, None))
            }
        };
    }
    (payments, refunds)
}

pub(super) fn check_stars(snapshot: &Snapshot) -> Vec<Discrepancy> {
    let mut found = Vec::new();
    let records = records(snapshot);
    let (paid, refunded) = star_ledger(snapshot);
    for (charge, holders) in &records {
        let standing: Vec<&(UserId, &Payment)> =
            holders.iter().filter(|(_, payment)| payment.status != PayStatus::Voided).collect();
        if standing.len() > 1 {
            let users: Vec<String> = standing.iter().map(|(user, _)| user.to_string()).collect();
            found.push(Discrepancy::new(Kind::ChargeTwice, "one player", users.join(", ")).charge(charge));
        }
    }
    for (charge, (payer, amount, invoiced)) in &paid {
        let holders = records.get(charge).map(Vec::as_slice).unwrap_or_default();
        let named = |kind: Kind, expected: String, found: String| {
            Discrepancy::new(kind, expected, found).player(*payer).charge(charge)
        };
        let Some((_, payment)) = holders.iter().find(|(user, _)| user == payer) else {
            // Recorded only under other players: each of those records is named below.
            if holders.is_empty() {
                found.push(named(
                    Kind::StarPaymentUnrecorded,
                    format!("a payment record of {amount} stars"),
                    "none".into(),
                ));
            }
            continue;
        };
        let named = |kind: Kind, expected: String, found: String| named(kind, expected, found).item(&payment.item);
        if payment.amount != *amount {
            found.push(named(
                Kind::Amount,
                format!("{amount} stars (Star ledger)"),
                format!("{} stars (payment record)", payment.amount),
            ));
        }
        if invoiced.is_some_and(|item| item != payment.item) {
            let invoiced = invoiced.unwrap_or_default();
            found.push(named(
                Kind::Item,
                format!("{invoiced} (Star ledger)"),
                format!("{} (payment record)", payment.item),
            ));
        }
        if payment.status == PayStatus::Voided {
            found.push(named(Kind::VoidedButPaid, "not voided: Telegram made it".into(), "voided".into()));
        }
        if refunded.contains_key(charge) && payment.status == PayStatus::Paid {
            found.push(named(Kind::StarRefundUnrecorded, "refunded".into(), "paid".into()));
        }
    }
    for (charge, holders) in &records {
        for (user, payment) in holders {
            let named = |kind: Kind, expected: &str, found: &str| {
                Discrepancy::new(kind, expected, found).player(*user).item(&payment.item).charge(charge)
            };
            match paid.get(charge) {
                None if payment.status != PayStatus::Voided => {
                    found.push(named(Kind::PaymentNotInStarLedger, "a payment in the Star ledger", "none"));
                }
                // A voided false claim: the ledger gives the charge to its real payer.
                Some((payer, ..)) if payer != user && payment.status != PayStatus::Voided => {
                    found.push(named(Kind::Payer, &format!("paid by {payer}"), &format!("recorded for {user}")));
                }
                _ => {}
            }
            if payment.status == PayStatus::Refunded && !refunded.contains_key(charge) {
                found.push(named(Kind::RefundNotInStarLedger, "a refund in the Star ledger", "none"));
            }
        }
    }
    found
}

pub(super) fn totals(snapshot: &Snapshot) -> Totals {
    let mut totals = Totals::default();
    for entry in &snapshot.stars {
        match entry {
            StarEntry::Payment { amount, .. } => totals.ledger_received += u64::from(*amount),
            StarEntry::Refund { amount, .. } => totals.ledger_refunded += u64::from(*amount),
        }
    }
    for payment in snapshot.players.values().flat_map(|player| &player.payments) {
        let amount = u64::from(payment.amount);
        match payment.status {
            PayStatus::Voided => totals.voided += amount,
            PayStatus::Refunded => totals.recorded_refunded += amount,
            PayStatus::RefundPending => totals.refund_pending += amount,
            PayStatus::Paid | PayStatus::Other(_) => {}
        }
        if payment.status != PayStatus::Voided {
            totals.recorded_received += amount;
        }
    }
    totals
}
