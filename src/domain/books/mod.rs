//! The books, re-derived from the records: what each player's inventory, gems and upgrade levels
//! should be by their ledger (and the dig aggregate), what each item's sold and owned counts
//! should be by its charges, and whether the payment records, the items' charge records and the
//! Star ledger agree charge by charge. [`check`] compares one [`Snapshot`] and returns every
//! [`Discrepancy`], each naming the player, item and charge it is about; [`totals`] sums the Stars.

mod discrepancy;
mod money;
mod players;

use std::collections::BTreeMap;

pub use discrepancy::{Discrepancy, Kind};

use super::UserId;

/// Items (by id) and gems: a balance, or a change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Units {
    pub items: BTreeMap<String, i64>,
    pub gems: i64,
}

impl Units {
    /// `self += sign * other`.
    fn add(&mut self, other: &Units, sign: i64) {
        for (item, qty) in &other.items {
            *self.items.entry(item.clone()).or_default() += sign * qty;
        }
        self.gems += sign * other.gems;
    }
}

/// One line of a player's ledger, by what it does to their balances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LedgerEntry {
    /// A paid purchase granted these units.
    Grant { charge: String, units: Units },
    /// A payment recorded as awaiting an automatic refund: nothing granted.
    Unfulfillable { charge: String },
    /// A refund took these units back (what remained of the grant).
    Revoke { charge: String, units: Units },
    /// A refund Telegram declined gave the revoked units back.
    Restore { charge: String, units: Units },
    /// A refund settled: moves nothing (the revoke did).
    Refunded { charge: String },
    /// A payment the Star ledger never showed settled as voided: moves nothing (the revoke did).
    Voided { charge: String },
    /// A unit used (a refill, a boost started).
    Use { units: Units },
    /// Gems spent on an upgrade level or a cosmetic (`field` is `lvl:<track>` or `cos:<id>`).
    GemPurchase { field: String, level: u32, gems: i64 },
    /// Gems an arcade run awarded.
    Run { awarded: i64 },
    /// A running Miner's Pass's gems of the day, claimed in `/pass`.
    PassGems { gems: i64 },
    /// The balances when the books of a player created before the audit existed were opened:
    /// later lines count from here; `mined` is the dig aggregate at that moment.
    Opening { units: Units, mined: i64, levels: BTreeMap<String, u32> },
    /// A line that moves nothing (an impossible score, ...).
    Note,
    /// A line the audit cannot read: an event it does not know, or a broken line.
    Unreadable { index: usize, text: String },
}

/// From when a player's ledger accounts for everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Since {
    /// From the player's first change (created after the books existed, or never changed).
    Start,
    /// From the `opening` line written at this moment (ms).
    Opening(i64),
    /// Not opened yet (a player from before the books; the audit opens them first).
    Unopened,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayStatus {
    Paid,
    RefundPending,
    Refunded,
    /// A payment Telegram never made: grant revoked, stock released, never revenue.
    Voided,
    Other(String),
}

impl PayStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "paid" => Self::Paid,
            "refund_pending" => Self::RefundPending,
            "refunded" => Self::Refunded,
            "voided" => Self::Voided,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Paid => "paid",
            Self::RefundPending => "refund_pending",
            Self::Refunded => "refunded",
            Self::Voided => "voided",
            Self::Other(text) => text,
        }
    }
}

/// One payment record of a player (`{p:<user>}:pay:<charge>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub charge: String,
    pub item: String,
    pub qty: u32,
    pub amount: u32,
    pub status: PayStatus,
    /// The item side counted it as sold.
    pub counted: bool,
    pub paid_at_ms: i64,
    /// A gift's buyer (the record lives in the recipient's slot): whom the Star ledger names.
    pub payer: Option<UserId>,
}

/// One player's records, read in one consistent snapshot of their slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerBooks {
    pub user: UserId,
    /// Quantities held (entries at zero are absent).
    pub inventory: BTreeMap<String, i64>,
    pub gems: i64,
    /// The dig aggregate: every gem a dig ever found (digs write no ledger line).
    pub mined: i64,
    /// Upgrade levels (`lvl:<track>`) and cosmetics (`cos:<id>`, level 1) as the state holds them.
    pub levels: BTreeMap<String, u32>,
    pub since: Since,
    pub ledger: Vec<LedgerEntry>,
    pub payments: Vec<Payment>,
}

/// What the item side did with a charge (`{i:<item>}:charges`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemSide {
    /// Sold: counted in `sold` and the payer's `owned`.
    Granted,
    /// Sold, then refunded (or voided): back in stock.
    Released,
    /// Never counted: the payment could not be honoured and is refunded.
    Refund,
    /// A record the audit cannot read.
    Unreadable(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemCharge {
    pub charge: String,
    pub side: ItemSide,
    pub qty: u32,
    pub amount: u32,
    pub payer: Option<UserId>,
    /// A gift's recipient, whose `owned` count the units are in (None: the payer's).
    pub holder: Option<UserId>,
}

/// One item's slot, read in one consistent snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemBooks {
    pub item: String,
    pub sold: i64,
    pub owned: BTreeMap<UserId, i64>,
    pub charges: Vec<ItemCharge>,
}

/// A transaction of the bot's Star ledger (`getStarTransactions`) that concerns our payments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StarEntry {
    /// A player paid an invoice (for `item`, when its payload is one of our orders).
    Payment { charge: String, user: UserId, amount: u32, item: Option<String> },
    /// Stars went back to a player (our refund or a dispute).
    Refund { charge: String, user: UserId, amount: u32 },
}

/// Everything the audit compares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub players: BTreeMap<UserId, PlayerBooks>,
    pub items: BTreeMap<String, ItemBooks>,
    pub stars: Vec<StarEntry>,
}

/// Stars by both sides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Payments in the Star ledger.
    pub ledger_received: u64,
    /// Refunds in the Star ledger.
    pub ledger_refunded: u64,
    /// Payment records, voided ones excluded.
    pub recorded_received: u64,
    /// Payment records refunded.
    pub recorded_refunded: u64,
    /// Payment records whose refund is under way.
    pub refund_pending: u64,
    /// Payment records voided (Telegram never made them): never revenue.
    pub voided: u64,
}

/// Every discrepancy in the snapshot, in a stable order.
pub fn check(snapshot: &Snapshot) -> Vec<Discrepancy> {
    let mut found = Vec::new();
    for player in snapshot.players.values() {
        found.extend(players::check(player));
    }
    found.extend(money::check_items(snapshot));
    found.extend(money::check_stars(snapshot));
    found.sort_by(|a, b| a.key().cmp(&b.key()));
    found.dedup_by(|a, b| a.key() == b.key());
    found
}

/// The Stars both sides account for.
pub fn totals(snapshot: &Snapshot) -> Totals {
    money::totals(snapshot)
}

#[cfg(test)]
mod tests;
