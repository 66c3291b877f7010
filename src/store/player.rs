//! Read-only views of a player: inventory, holdings and payments.

use std::collections::{BTreeMap, HashMap};

use redis::AsyncCommands;

use super::keys::PlayerKeys;
use super::{Store, StoreResult};
use crate::domain::{ChargeId, UserId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentStatus {
    Paid,
    RefundPending,
    Refunded,
    /// The Star ledger never showed it: a made-up charge id. Revoked, never revenue.
    Voided,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::RefundPending => "refund_pending",
            Self::Refunded => "refunded",
            Self::Voided => "voided",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "paid" => Self::Paid,
            "refunded" => Self::Refunded,
            "voided" => Self::Voided,
            _ => Self::RefundPending,
        }
    }
}

/// One payment as the player's records hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRecord {
    pub charge: String,
    pub item: String,
    pub qty: u32,
    pub amount: u32,
    pub status: PaymentStatus,
    pub paid_at_ms: i64,
    /// Who started the refund, when there is one (`player`, `admin`, `dispute`, `automatic`).
    pub refund_by: Option<String>,
    /// The item side counted this purchase as sold (its units go back to stock on refund).
    pub counted: bool,
    /// Every unit the purchase granted (inventory items by id, gems as [`crate::domain::GEMS_UNIT`]).
    pub grants: Vec<(String, u32)>,
    /// When the Star ledger was first seen to show it (None: not yet, or recorded before
    /// payments were verified).
    pub verified_at_ms: Option<i64>,
    /// A Miner's Pass period (`grant_pass.lua`): when it began to count and when it ends.
    pub pass_period: Option<(i64, i64)>,
    /// A gift's buyer (the record lives in the recipient's slot); None when the holder paid.
    pub payer: Option<UserId>,
}

/// What a player holds now, as the refund policy counts it: inventory items by id and the
/// counters of their state (gems) as `@<field>` units, like grants name them; `ver` is the
/// player's version, which every change bumps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holdings {
    pub held: BTreeMap<String, u64>,
    pub ver: u64,
}

/// Everything `starmine player` and `/inventory` show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlayerView {
    pub inventory: BTreeMap<String, u64>,
    /// Oldest first.
    pub payments: Vec<PaymentRecord>,
}

impl Store {
    pub async fn inventory(&self, user: UserId) -> StoreResult<BTreeMap<String, u64>> {
        let raw: HashMap<String, i64> = self.conn().hgetall(PlayerKeys::new(user).inventory()).await?;
        Ok(raw.into_iter().filter(|(_, qty)| *qty > 0).map(|(item, qty)| (item, qty as u64)).collect())
    }

    /// The player's payments, oldest first (at most `limit` of the newest when given).
    pub async fn payments(&self, user: UserId, limit: Option<usize>) -> StoreResult<Vec<PaymentRecord>> {
        let keys = PlayerKeys::new(user);
        let charges: Vec<String> = match limit {
            Some(limit) => {
                let mut newest: Vec<String> = self.conn().zrevrange(keys.payments(), 0, limit as isize - 1).await?;
                newest.reverse();
                newest
            }
            None => self.conn().zrange(keys.payments(), 0, -1).await?,
        };
        let charges: Vec<ChargeId> = charges.iter().filter_map(|charge| ChargeId::parse(charge).ok()).collect();
        if charges.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for charge in &charges {
            pipe.hgetall(keys.payment(charge));
        }
        let rows: Vec<HashMap<String, String>> = pipe.query_async(&mut self.conn()).await?;
        Ok(rows.into_iter().filter(|row| !row.is_empty()).map(record).collect())
    }

    /// One payment of this player, if it is theirs.
    pub async fn payment(&self, user: UserId, charge: &ChargeId) -> StoreResult<Option<PaymentRecord>> {
        let row: HashMap<String, String> = self.conn().hgetall(PlayerKeys::new(user).payment(charge)).await?;
        Ok((!row.is_empty()).then(|| record(row)))
    }

    /// The player's holdings and version. The state is read first: a change after that read
    /// bumps `ver` past the one returned, which `begin_refund`'s version check then refuses.
    pub async fn holdings(&self, user: UserId) -> StoreResult<Holdings> {
        let state: HashMap<String, String> = self.conn().hgetall(PlayerKeys::new(user).state()).await?;
        let mut held = self.inventory(user).await?;
        let ver = state.get("ver").and_then(|ver| ver.parse().ok()).unwrap_or(0);
        let counters = state.iter().filter_map(|(field, value)| Some((format!("@{field}"), value.parse().ok()?)));
        held.extend(counters);
        Ok(Holdings { held, ver })
    }

    pub async fn player(&self, user: UserId) -> StoreResult<PlayerView> {
        Ok(PlayerView { inventory: self.inventory(user).await?, payments: self.payments(user, None).await? })
    }
}

fn record(mut row: HashMap<String, String>) -> PaymentRecord {
    let mut take = |field: &str| row.remove(field).unwrap_or_default();
    PaymentRecord {
        charge: take("charge"),
        item: take("item"),
        qty: take("qty").parse().unwrap_or(1),
        amount: take("amount").parse().unwrap_or(0),
        status: PaymentStatus::parse(&take("status")),
        paid_at_ms: take("paid_at").parse().unwrap_or(0),
        refund_by: Some(take("refund_by")).filter(|by| !by.is_empty()),
        counted: take("counted") == "1",
        grants: super::decode_units(&take("grants")),
        verified_at_ms: take("verified_at").parse().ok(),
        pass_period: take("pass_start").parse().ok().zip(take("pass_until").parse().ok()),
        payer: take("payer").parse().ok().map(UserId),
    }
}
