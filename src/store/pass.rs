//! The Miner's Pass in Redis: a period's payment on the item side (`confirm_pass.lua`) and the
//! player side (`grant_pass.lua`), the player's pass as stored (its expiry `pass:<id>` in the
//! state hash, its charges in `{p:<user>}:pass:<id>`), and who stopped its renewals.

use std::collections::HashMap;

use redis::AsyncCommands;

use super::keys::{ItemKeys, PlayerKeys};
use super::shop::{number, recorded};
use super::{Recorded, Store, StoreError, StoreResult};
use crate::domain::sales::{Day, Hour};
use crate::domain::{ChargeId, ItemId, PassState, UserId};

/// One period of a pass Telegram says was paid: the first payment or a renewal.
#[derive(Clone, Copy, Debug)]
pub struct PassPeriod<'a> {
    pub payer: UserId,
    pub pass: &'a ItemId,
    pub charge: &'a ChargeId,
    pub amount: u32,
    /// When the period paid for ends (ms): `subscription_expiration_date`, or the Star ledger's
    /// date plus its `subscription_period`.
    pub paid_until: i64,
    /// `is_first_recurring`: the payment that started a subscription.
    pub first: bool,
}

impl Store {
    /// The item side of a pass period, idempotent by charge id: counted as one unit sold with its
    /// money of the day. `Some(first payer)` when this charge was confirmed before for another
    /// payer (never granted twice).
    pub async fn confirm_pass(&self, period: PassPeriod<'_>, now_ms: i64) -> StoreResult<Option<UserId>> {
        let keys = ItemKeys::new(period.pass);
        let reply: Vec<String> = self
            .scripts
            .confirm_pass
            .key(keys.sold())
            .key(keys.owned())
            .key(keys.charges())
            .key(keys.money())
            .arg(period.payer.0)
            .arg(period.amount)
            .arg(period.charge.as_str())
            .arg(Day::of(now_ms).to_string())
            .arg(Hour::of(now_ms).to_string())
            .invoke_async(&mut self.conn())
            .await?;
        match reply.as_slice() {
            [verdict, first, _] if verdict == "foreign" => Ok(Some(UserId(number(first)?))),
            [verdict, _, _] if verdict == "granted" => Ok(None),
            other => Err(StoreError::Protocol(format!("confirm_pass: {other:?}"))),
        }
    }

    /// The player side of a pass period, idempotent by charge id: records the payment and runs
    /// the pass to the period's end (never shortening it). Like [`Store::record_payment`], the
    /// payment must be awaiting verification already.
    pub async fn record_pass_period(&self, period: PassPeriod<'_>, now_ms: i64) -> StoreResult<Recorded> {
        let keys = PlayerKeys::new(period.payer);
        let reply: Vec<redis::Value> = self
            .scripts
            .grant_pass
            .key(keys.inventory())
            .key(keys.payment(period.charge))
            .key(keys.payments())
            .key(keys.ledger())
            .key(keys.state())
            .key(keys.boosts())
            .key(keys.pass(period.pass))
            .arg(now_ms)
            .arg(period.charge.as_str())
            .arg(period.pass.as_str())
            .arg(period.amount)
            .arg(period.paid_until)
            .arg(period.payer.0)
            .arg(if period.first { "1" } else { "0" })
            .invoke_async(&mut self.conn())
            .await?;
        recorded(reply, "grant_pass")
    }

    /// `user`'s pass `pass` as stored (all zero and empty when they never had it).
    pub async fn pass_state(&self, user: UserId, pass: &ItemId) -> StoreResult<PassState> {
        let keys = PlayerKeys::new(user);
        let (expires_at, fields): (Option<i64>, HashMap<String, String>) = redis::pipe()
            .hget(keys.state(), format!("pass:{pass}"))
            .hgetall(keys.pass(pass))
            .query_async(&mut self.conn())
            .await?;
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        Ok(PassState {
            expires_at: expires_at.unwrap_or(0),
            first_charge: field("first_charge"),
            latest_charge: field("latest_charge"),
            stopped_by_bot: field("stopped_by_bot") == "1",
        })
    }

    /// Notes that the bot stopped (`true`) or re-enabled (`false`) the renewals of `user`'s pass.
    pub async fn set_pass_stopped_by_bot(&self, user: UserId, pass: &ItemId, stopped: bool) -> StoreResult<()> {
        let _: () = self.conn().hset(PlayerKeys::new(user).pass(pass), "stopped_by_bot", i32::from(stopped)).await?;
        Ok(())
    }
}

/// What claiming a pass's gems of the day did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DailyGems {
    /// Added now: the player's gems after it.
    Claimed { gems: u64 },
    /// Claimed before today.
    Already,
    /// No pass running.
    Ended,
}

impl Store {
    /// Claims `gems` of pass `pass` for UTC day `day`, once a day and only while it runs.
    pub async fn claim_pass_gems(
        &self,
        user: UserId,
        pass: &ItemId,
        gems: u32,
        day: i64,
        now_ms: i64,
    ) -> StoreResult<DailyGems> {
        let keys = PlayerKeys::new(user);
        let reply: Vec<String> = self
            .scripts
            .claim_pass_gems
            .key(keys.state())
            .key(keys.ledger())
            .arg(now_ms)
            .arg(pass.as_str())
            .arg(gems)
            .arg(day)
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        match reply.as_slice() {
            [verdict, gems] if verdict == "claimed" => Ok(DailyGems::Claimed { gems: number(gems)? }),
            [verdict, _] if verdict == "already" => Ok(DailyGems::Already),
            [verdict, _] if verdict == "ended" => Ok(DailyGems::Ended),
            other => Err(StoreError::Protocol(format!("claim_pass_gems: {other:?}"))),
        }
    }
}

/// A fresh token for a pass's invoice payload, as random as an order's.
pub fn pass_token() -> String {
    super::shop::new_token()
}
