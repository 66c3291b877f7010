//! Payments checked against the Star ledger: every recorded payment waits in one global sorted
//! set (`payments:to_verify`, score = paid at) until a ledger pass shows its charge, and the time
//! up to which the ledger was read to its end decides when a payment it never showed is overdue.
//!
//! Order matters: a payment enters the set before its grant (so a crash cannot leave a grant
//! unchecked), and a pass marks the payment's record verified before it leaves the set (so a
//! redelivered update that puts it back later finds it verified, not overdue).

use redis::AsyncCommands;

use super::keys::{ItemKeys, PlayerKeys, LEDGER_READ_TO, TO_VERIFY};
use super::{Conn, Store, StoreResult};
use crate::domain::{ChargeId, OrderId, UserId};

/// A recorded payment the Star ledger has not shown yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unverified {
    pub user: UserId,
    pub charge: ChargeId,
    pub paid_at_ms: i64,
}

fn member(user: UserId, charge: &ChargeId) -> String {
    format!("{user}:{charge}")
}

/// ZADD NX: an entry already waiting keeps its time.
fn only_new() -> redis::SortedSetAddOptions {
    redis::SortedSetAddOptions::add_only()
}

impl Store {
    /// Puts a payment about to be recorded in the to-verify set (keeps an earlier entry's time).
    pub async fn await_verification(&self, user: UserId, charge: &ChargeId, paid_at_ms: i64) -> StoreResult<()> {
        let _: i64 = self.conn().zadd_options(TO_VERIFY, member(user, charge), paid_at_ms, &only_new()).await?;
        Ok(())
    }

    /// [`Store::await_verification`] and the buyer of `order` (when the payload names one), in
    /// one round trip: the first step of handling a payment.
    pub async fn await_verification_of_order(
        &self,
        user: UserId,
        charge: &ChargeId,
        paid_at_ms: i64,
        order: &OrderId,
    ) -> StoreResult<Option<UserId>> {
        let mut conn = self.conn();
        let order = ItemKeys::new(order.item()).order(order.token());
        let buyer: Option<u64> = if matches!(conn, Conn::Cluster(_)) {
            // A cluster takes no pipeline across slots: one after the other.
            self.await_verification(user, charge, paid_at_ms).await?;
            conn.hget(order, "user").await?
        } else {
            let (buyer,) = redis::pipe()
                .zadd_options(TO_VERIFY, member(user, charge), paid_at_ms, &only_new())
                .ignore()
                .hget(order, "user")
                .query_async(&mut conn)
                .await?;
            buyer
        };
        Ok(buyer.map(UserId))
    }

    /// The ledger shows `user`'s `charge`: marks the record verified, then drops it from the set.
    /// Returns whether we have a record of it.
    pub async fn mark_verified(&self, user: UserId, charge: &ChargeId, now_ms: i64) -> StoreResult<bool> {
        let known: i64 = self
            .scripts
            .mark_verified
            .key(PlayerKeys::new(user).payment(charge))
            .arg(now_ms)
            .invoke_async(&mut self.conn())
            .await?;
        self.verification_done(user, charge).await?;
        Ok(known == 1)
    }

    /// Drops a payment from the to-verify set (verified, voided, or never recorded).
    pub async fn verification_done(&self, user: UserId, charge: &ChargeId) -> StoreResult<()> {
        let _: i64 = self.conn().zrem(TO_VERIFY, member(user, charge)).await?;
        Ok(())
    }

    /// Payments waiting for the ledger that were recorded at or before `paid_by_ms`, oldest first.
    pub async fn unverified(&self, paid_by_ms: i64, limit: isize) -> StoreResult<Vec<Unverified>> {
        let rows: Vec<(String, i64)> =
            self.conn().zrangebyscore_limit_withscores(TO_VERIFY, "-inf", paid_by_ms, 0, limit).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(member, paid_at_ms)| {
                let (user, charge) = member.split_once(':')?;
                Some(Unverified { user: UserId(user.parse().ok()?), charge: ChargeId::parse(charge).ok()?, paid_at_ms })
            })
            .collect())
    }

    /// How many payments wait for the ledger.
    pub async fn unverified_count(&self) -> StoreResult<u64> {
        Ok(self.conn().zcard(TO_VERIFY).await?)
    }

    /// Up to when the Star ledger has been read to its end (ms; None before the first full read).
    pub async fn ledger_read_to(&self) -> StoreResult<Option<i64>> {
        Ok(self.conn().get(LEDGER_READ_TO).await?)
    }

    /// Moves the ledger's read-to time forward (never back: a slow pass may finish after a newer
    /// one) and returns the read-to time now in force.
    pub async fn set_ledger_read_to(&self, at_ms: i64) -> StoreResult<i64> {
        let previous = self.ledger_read_to().await?.unwrap_or(0);
        if at_ms <= previous {
            return Ok(previous);
        }
        let _: () = self.conn().set(LEDGER_READ_TO, at_ms).await?;
        Ok(at_ms)
    }
}
