//! The audit's rules on hand-built snapshots: a balanced one is clean, each kind of tampering is
//! named.

use std::collections::BTreeMap;

use super::*;

const ALICE: UserId = UserId(1);
const BOB: UserId = UserId(2);

fn units(items: &[(&str, i64)], gems: i64) -> Units {
    Units { items: items.iter().map(|(item, qty)| ((*item).to_owned(), *qty)).collect(), gems }
}

fn payment(charge: &str, item: &str, amount: u32, status: PayStatus) -> Payment {
    Payment {
        charge: charge.into(),
        item: item.into(),
        qty: 1,
        amount,
        status,
        counted: true,
        paid_at_ms: 10,
        payer: None,
    }
}

fn granted(charge: &str, payer: UserId, amount: u32, side: ItemSide) -> ItemCharge {
    ItemCharge { charge: charge.into(), side, qty: 1, amount, payer: Some(payer), holder: None }
}

/// Alice bought a pickaxe and a gem pack (50 gems), dug 7 gems, spent 50 on a level, used
/// nothing; Bob bought two energy refills, used one and had the other refunded.
fn balanced() -> Snapshot {
    let alice = PlayerBooks {
        user: ALICE,
        inventory: BTreeMap::from([("pickaxe".into(), 1)]),
        gems: 7,
        mined: 7,
        levels: BTreeMap::from([("lvl:sharp".into(), 1)]),
        since: Since::Start,
        ledger: vec![
            LedgerEntry::Grant { charge: "a1".into(), units: units(&[("pickaxe", 1)], 0) },
            LedgerEntry::Grant { charge: "a2".into(), units: units(&[], 50) },
            LedgerEntry::GemPurchase { field: "lvl:sharp".into(), level: 1, gems: -50 },
        ],
        payments: vec![payment("a1", "pickaxe", 50, PayStatus::Paid), payment("a2", "gem_pack", 15, PayStatus::Paid)],
    };
    let bob = PlayerBooks {
        user: BOB,
        inventory: BTreeMap::new(),
        gems: 0,
        mined: 0,
        levels: BTreeMap::new(),
        since: Since::Start,
        ledger: vec![
            LedgerEntry::Grant { charge: "b1".into(), units: units(&[("energy", 1)], 0) },
            LedgerEntry::Grant { charge: "b2".into(), units: units(&[("energy", 1)], 0) },
            LedgerEntry::Use { units: units(&[("energy", 1)], 0) },
            LedgerEntry::Revoke { charge: "b2".into(), units: units(&[("energy", 1)], 0) },
            LedgerEntry::Refunded { charge: "b2".into() },
        ],
        payments: vec![payment("b1", "energy", 5, PayStatus::Paid), payment("b2", "energy", 5, PayStatus::Refunded)],
    };
    let item = |id: &str, sold: i64, owned: &[(UserId, i64)], charges: Vec<ItemCharge>| ItemBooks {
        item: id.into(),
        sold,
        owned: owned.iter().copied().collect(),
        charges,
    };
    Snapshot {
        players: BTreeMap::from([(ALICE, alice), (BOB, bob)]),
        items: BTreeMap::from([
            ("pickaxe".into(), item("pickaxe", 1, &[(ALICE, 1)], vec![granted("a1", ALICE, 50, ItemSide::Granted)])),
            ("gem_pack".into(), item("gem_pack", 1, &[(ALICE, 1)], vec![granted("a2", ALICE, 15, ItemSide::Granted)])),
            (
                "energy".into(),
                item(
                    "energy",
                    1,
                    &[(BOB, 1)],
                    vec![granted("b1", BOB, 5, ItemSide::Granted), granted("b2", BOB, 5, ItemSide::Released)],
                ),
            ),
        ]),
        stars: vec![
            StarEntry::Payment { charge: "a1".into(), user: ALICE, amount: 50, item: Some("pickaxe".into()) },
            StarEntry::Payment { charge: "a2".into(), user: ALICE, amount: 15, item: None },
            StarEntry::Payment { charge: "b1".into(), user: BOB, amount: 5, item: None },
            StarEntry::Payment { charge: "b2".into(), user: BOB, amount: 5, item: None },
            StarEntry::Refund { charge: "b2".into(), user: BOB, amount: 5 },
        ],
    }
}

fn player(snapshot: &mut Snapshot, user: UserId) -> &mut PlayerBooks {
    snapshot.players.get_mut(&user).expect("a player of the snapshot")
}

fn item<'a>(snapshot: &'a mut Snapshot, id: &str) -> &'a mut ItemBooks {
    snapshot.items.get_mut(id).expect("an item of the snapshot")
}

/// Tampers with a balanced snapshot and expects exactly these (kind, player, item, charge).
fn check_tamper(name: &str, tamper: impl FnOnce(&mut Snapshot), expected: &[discrepancy::Key<'_>]) {
    let mut snapshot = balanced();
    tamper(&mut snapshot);
    let found = check(&snapshot);
    let keys: Vec<_> = found.iter().map(Discrepancy::key).collect();
    assert_eq!(keys, expected, "{name}: {found:#?}");
}

#[test]
fn a_balanced_snapshot_is_clean_and_totals_add_up() {
    let snapshot = balanced();
    assert_eq!(check(&snapshot), Vec::new());
    let totals = totals(&snapshot);
    assert_eq!((totals.ledger_received, totals.ledger_refunded), (75, 5));
    assert_eq!((totals.recorded_received, totals.recorded_refunded), (75, 5));
}

#[test]
fn each_tampering_is_named() {
    use Kind::*;
    check_tamper(
        "an inventory unit added behind the scripts",
        |s| *player(s, BOB).inventory.entry("energy".into()).or_default() += 1,
        &[(Inventory, Some(BOB), Some("energy"), None)],
    );
    check_tamper("gems changed", |s| player(s, ALICE).gems += 100, &[(Gems, Some(ALICE), None, None)]);
    check_tamper(
        "a level set",
        |s| {
            player(s, ALICE).levels.insert("lvl:battery".into(), 2);
        },
        &[(Level, Some(ALICE), None, None)],
    );
    check_tamper("sold changed", |s| item(s, "energy").sold += 1, &[(Sold, None, Some("energy"), None)]);
    check_tamper(
        "owned changed",
        |s| {
            item(s, "pickaxe").owned.insert(BOB, 1);
        },
        &[(Owned, Some(BOB), Some("pickaxe"), None)],
    );
    check_tamper(
        "a payment record deleted",
        |s| player(s, ALICE).payments.retain(|payment| payment.charge != "a1"),
        &[
            (LedgerWithoutPayment, Some(ALICE), None, Some("a1")),
            (PaymentMissing, Some(ALICE), Some("pickaxe"), Some("a1")),
            (StarPaymentUnrecorded, Some(ALICE), None, Some("a1")),
        ],
    );
    check_tamper(
        "a ledger grant the records miss",
        |s| {
            let alice = player(s, ALICE);
            alice.ledger.push(LedgerEntry::Grant { charge: "x9".into(), units: units(&[("golden", 1)], 0) });
        },
        &[(Inventory, Some(ALICE), Some("golden"), None), (LedgerWithoutPayment, Some(ALICE), None, Some("x9"))],
    );
    check_tamper(
        "a payment record the ledger lacks",
        |s| player(s, BOB).payments.push(payment("x8", "energy", 5, PayStatus::Paid)),
        &[
            (LedgerGrant, Some(BOB), Some("energy"), Some("x8")),
            (ItemSideMissing, Some(BOB), Some("energy"), Some("x8")),
            (PaymentNotInStarLedger, Some(BOB), Some("energy"), Some("x8")),
        ],
    );
    check_tamper(
        "a payment recorded for another item than the invoice paid",
        |s| player(s, ALICE).payments[0].item = "golden".into(),
        &[
            (ItemSide, Some(ALICE), Some("pickaxe"), Some("a1")),
            (ItemSideMissing, Some(ALICE), Some("golden"), Some("a1")),
            (Item, Some(ALICE), Some("golden"), Some("a1")),
        ],
    );
    check_tamper(
        "a refund the records miss",
        |s| s.stars.push(StarEntry::Refund { charge: "a1".into(), user: ALICE, amount: 50 }),
        &[(StarRefundUnrecorded, Some(ALICE), Some("pickaxe"), Some("a1"))],
    );
    check_tamper(
        "a charge recorded for a second player",
        |s| {
            let copy = payment("a1", "pickaxe", 50, PayStatus::Paid);
            let bob = player(s, BOB);
            bob.payments.push(copy);
            bob.ledger.push(LedgerEntry::Grant { charge: "a1".into(), units: units(&[("pickaxe", 1)], 0) });
            bob.inventory.insert("pickaxe".into(), 1);
        },
        &[(ChargeTwice, None, None, Some("a1")), (Payer, Some(BOB), Some("pickaxe"), Some("a1"))],
    );
}

#[test]
fn voided_payments_release_their_stock_and_are_no_revenue() {
    let mut snapshot = balanced();
    // b1 was never made by Telegram: voided, revoked, released, not in the Star ledger.
    let bob = player(&mut snapshot, BOB);
    bob.payments[0].status = PayStatus::Voided;
    bob.ledger.push(LedgerEntry::Revoke { charge: "b1".into(), units: units(&[], 0) });
    bob.ledger.push(LedgerEntry::Voided { charge: "b1".into() });
    let energy = item(&mut snapshot, "energy");
    energy.charges[0].side = ItemSide::Released;
    energy.sold = 0;
    energy.owned.clear();
    snapshot.stars.retain(|entry| !matches!(entry, StarEntry::Payment { charge, .. } if charge == "b1"));
    assert_eq!(check(&snapshot), Vec::new());
    let totals = totals(&snapshot);
    assert_eq!((totals.recorded_received, totals.voided, totals.ledger_received), (70, 5, 70));
}

#[test]
fn a_voided_false_claim_of_another_players_charge_is_no_discrepancy() {
    let mut snapshot = balanced();
    // A forged update claimed Alice's charge a1 for Bob (for an energy order) before the real one
    // came: voided, revoked, its item-side record forgotten; Alice's payment granted afresh.
    let bob = player(&mut snapshot, BOB);
    let mut claim = payment("a1", "energy", 50, PayStatus::Voided);
    claim.paid_at_ms = 9;
    bob.payments.push(claim);
    bob.ledger.push(LedgerEntry::Grant { charge: "a1".into(), units: units(&[("energy", 1)], 0) });
    bob.ledger.push(LedgerEntry::Revoke { charge: "a1".into(), units: units(&[("energy", 1)], 0) });
    bob.ledger.push(LedgerEntry::Voided { charge: "a1".into() });
    assert_eq!(check(&snapshot), Vec::new());
    // Not voided, the same record is a second grant of one charge.
    player(&mut snapshot, BOB).payments.last_mut().expect("the claim").status = PayStatus::Paid;
    let keys: Vec<_> = check(&snapshot).iter().map(|d| (d.kind, d.player)).collect();
    assert!(keys.contains(&(Kind::ChargeTwice, None)), "{keys:?}");
    assert!(keys.contains(&(Kind::Payer, Some(BOB))), "{keys:?}");
}

#[test]
fn an_opening_line_starts_the_books_of_an_old_player() {
    let mut snapshot = balanced();
    let alice = player(&mut snapshot, ALICE);
    // History before the books: lines are missing, but the opening has the balances then.
    alice.since = Since::Opening(5);
    alice.ledger =
        vec![LedgerEntry::Opening { units: units(&[("pickaxe", 1)], 50), mined: 0, levels: BTreeMap::new() }];
    alice.ledger.push(LedgerEntry::GemPurchase { field: "lvl:sharp".into(), level: 1, gems: -50 });
    for payment in &mut alice.payments {
        payment.paid_at_ms = 1;
    }
    assert_eq!(check(&snapshot), Vec::new());
    // After the opening, the ledger counts again.
    player(&mut snapshot, ALICE).gems += 1;
    let keys: Vec<_> = check(&snapshot).iter().map(|d| (d.kind, d.player)).collect();
    assert_eq!(keys, [(Kind::Gems, Some(ALICE))]);
    // Opened, but the opening line is gone.
    let mut snapshot = balanced();
    player(&mut snapshot, ALICE).since = Since::Opening(5);
    let keys: Vec<_> = check(&snapshot).iter().map(|d| (d.kind, d.player)).collect();
    assert_eq!(keys, [(Kind::OpeningMissing, Some(ALICE))]);
}
