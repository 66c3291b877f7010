//! The steps of a refund: revoke and mark pending, settle or restore, release the stock, and
//! the queue of refunds whose outcome is not known yet.

use redis::AsyncCommands;

use super::keys::{self, ItemKeys, PlayerKeys, PENDING_REFUNDS};
use super::{decode_units, Store, StoreError, StoreResult};
use crate::domain::sales::Day;
use crate::domain::{ChargeId, ItemId, RefundBy, UserId};

/// What `begin_refund` found or did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundStart {
    /// Revoked (now or by an earlier attempt) and refund_pending: call refundStarPayment.
    Pending(PendingRefund),
    AlreadyRefunded(PendingRefund),
    /// No such charge for this player.
    Unknown,
    /// The player changed since the version the caller checked the policy at: check again.
    Changed,
    /// The Star ledger never showed this payment; it was voided (nothing to refund).
    Voided,
}

/// How a refund_pending purchase ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// The Stars went back to the player.
    Refunded,
    /// Telegram definitely refused the refund: what was revoked is given back.
    Restore,
    /// The Star ledger never showed the payment: it stays revoked and never counts as revenue.
    Voided,
}

impl Settlement {
    /// Its name in the scripts (`finish_refund.lua`, `release.lua`).
    fn as_str(self) -> &'static str {
        match self {
            Self::Refunded => "refunded",
            Self::Restore => "restore",
            Self::Voided => "voided",
        }
    }
}

/// A purchase on its way back to the player.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRefund {
    pub amount: u32,
    pub item: String,
    pub qty: u32,
    /// The item side counted it as sold (false for an automatic refund of an unfulfillable payment).
    pub counted: bool,
    /// What was taken back from the inventory.
    pub revoked: Vec<(String, u32)>,
    /// Who paid, when it was a gift (the holder's record keeps the buyer): the refund goes to them.
    pub payer: Option<UserId>,
}

impl Store {
    /// Revokes what remains of a purchase and marks it refund_pending. With `expected_ver`
    /// (a player's refund, allowed by the policy at that version of the player) it does so only
    /// if the player is still at that version, else answers [`RefundStart::Changed`].
    pub async fn begin_refund(
        &self,
        user: UserId,
        charge: &ChargeId,
        by: RefundBy,
        expected_ver: Option<u64>,
        now_ms: i64,
    ) -> StoreResult<RefundStart> {
        let keys = PlayerKeys::new(user);
        let reply: Vec<String> = self
            .scripts
            .begin_refund
            .key(keys.inventory())
            .key(keys.payment(charge))
            .key(keys.ledger())
            .key(keys.state())
            .arg(now_ms)
            .arg(by.as_str())
            .arg(expected_ver.map(|ver| ver.to_string()).unwrap_or_default())
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        let pending = |rest: &[String]| -> StoreResult<PendingRefund> {
            let [amount, item, qty, counted, revoked, payer] = rest else {
                return Err(StoreError::Protocol(format!("begin_refund: {reply:?}")));
            };
            Ok(PendingRefund {
                amount: amount.parse().map_err(|_| StoreError::Protocol(amount.clone()))?,
                item: item.clone(),
                qty: qty.parse().map_err(|_| StoreError::Protocol(qty.clone()))?,
                counted: counted == "1",
                revoked: decode_units(revoked),
                payer: payer.parse().ok().map(UserId),
            })
        };
        let Some((state, rest)) = reply.split_first() else {
            return Err(StoreError::Protocol("begin_refund: empty reply".into()));
        };
        Ok(match state.as_str() {
            "pending" => RefundStart::Pending(pending(rest)?),
            "already" => RefundStart::AlreadyRefunded(pending(rest)?),
            "unknown" => RefundStart::Unknown,
            "changed" => RefundStart::Changed,
            "voided" => RefundStart::Voided,
            other => return Err(StoreError::Protocol(format!("begin_refund: {other}"))),
        })
    }

    /// Settles a refund_pending purchase (see [`Settlement`]).
    /// Returns the status it moved to, or `settled:<status>` when it was settled before.
    pub async fn finish_refund(
        &self,
        user: UserId,
        charge: &ChargeId,
        settlement: Settlement,
        note: &str,
        now_ms: i64,
    ) -> StoreResult<String> {
        let keys = PlayerKeys::new(user);
        let status: String = self
            .scripts
            .finish_refund
            .key(keys.inventory())
            .key(keys.payment(charge))
            .key(keys.ledger())
            .key(keys.state())
            .arg(now_ms)
            .arg(settlement.as_str())
            .arg(note)
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        Ok(status)
    }

    /// The item side of a settled refund or void, idempotent by charge id: a sold purchase's
    /// units go back to stock and free the player's limit, and the day's money counts the
    /// refund (or void) once, an automatic refund's Stars included. A restored purchase stays
    /// sold: nothing to do. Returns whether units went back to stock now.
    pub async fn release(&self, item: &str, charge: &ChargeId, settled: Settlement, now_ms: i64) -> StoreResult<bool> {
        if settled == Settlement::Restore {
            return Ok(false);
        }
        let Ok(item) = ItemId::parse(item) else {
            return Ok(false);
        };
        let keys = ItemKeys::new(&item);
        let released: i64 = self
            .scripts
            .release
            .key(keys.sold())
            .key(keys.owned())
            .key(keys.charges())
            .key(keys.money())
            .arg(charge.as_str())
            .arg(settled.as_str())
            .arg(Day::of(now_ms).to_string())
            .invoke_async(&mut self.conn())
            .await?;
        Ok(released == 1)
    }

    /// Who paid this charge, if we ever recorded it.
    pub async fn charge_owner(&self, charge: &ChargeId) -> StoreResult<Option<UserId>> {
        // `<payer>|<payload>` (see `claim_charge.lua`), or the payer alone in older entries.
        let owner: Option<String> = self.conn().get(keys::charge_owner(charge)).await?;
        Ok(owner.and_then(|owner| owner.split('|').next()?.parse().ok()).map(UserId))
    }

    /// Queues a refund whose outcome is not known yet for another attempt at `retry_at_ms`.
    pub async fn schedule_refund_retry(&self, user: UserId, charge: &ChargeId, retry_at_ms: i64) -> StoreResult<()> {
        let _: () = self.conn().zadd(PENDING_REFUNDS, format!("{user}:{charge}"), retry_at_ms).await?;
        Ok(())
    }

    pub async fn clear_refund_retry(&self, user: UserId, charge: &ChargeId) -> StoreResult<()> {
        let _: () = self.conn().zrem(PENDING_REFUNDS, format!("{user}:{charge}")).await?;
        Ok(())
    }

    /// The charge of the player's payment made at `paid_at_ms` (refund buttons carry that time,
    /// which fits in callback data where a charge id might not).
    pub async fn charge_paid_at(&self, user: UserId, paid_at_ms: i64) -> StoreResult<Option<ChargeId>> {
        let charges: Vec<String> =
            self.conn().zrangebyscore_limit(PlayerKeys::new(user).payments(), paid_at_ms, paid_at_ms, 0, 1).await?;
        Ok(charges.first().and_then(|charge| ChargeId::parse(charge).ok()))
    }

    /// Where the periodic reconciliation continues (0 when it never ran).
    pub async fn reconcile_offset(&self) -> StoreResult<u32> {
        let offset: Option<u32> = self.conn().get(keys::RECONCILE_OFFSET).await?;
        Ok(offset.unwrap_or(0))
    }

    pub async fn set_reconcile_offset(&self, offset: u32) -> StoreResult<()> {
        let _: () = self.conn().set(keys::RECONCILE_OFFSET, offset).await?;
        Ok(())
    }

    /// Keeps `pass` (JSON) as the last reconciliation pass, and as the last repair too when
    /// `repaired`.
    pub async fn save_reconcile_pass(&self, pass: &serde_json::Value, repaired: bool) -> StoreResult<()> {
        let text = pass.to_string();
        let mut pipe = redis::pipe();
        pipe.set(keys::RECONCILE_LAST, &text).ignore();
        if repaired {
            pipe.set(keys::RECONCILE_LAST_REPAIR, &text).ignore();
        }
        let _: () = pipe.query_async(&mut self.conn()).await?;
        Ok(())
    }

    /// The last reconciliation pass and the last that repaired something, as saved (None: none yet).
    pub async fn reconcile_passes(&self) -> StoreResult<(Option<serde_json::Value>, Option<serde_json::Value>)> {
        let (last, repair): (Option<String>, Option<String>) = redis::pipe()
            .get(keys::RECONCILE_LAST)
            .get(keys::RECONCILE_LAST_REPAIR)
            .query_async(&mut self.conn())
            .await?;
        let parse = |text: Option<String>| text.and_then(|text| serde_json::from_str(&text).ok());
        Ok((parse(last), parse(repair)))
    }

    /// Refunds begun and not settled: every one waits in the retry queue until it is.
    pub async fn pending_refund_count(&self) -> StoreResult<u64> {
        Ok(self.conn().zcard(PENDING_REFUNDS).await?)
    }

    /// Refunds due for another attempt.
    pub async fn due_refunds(&self, now_ms: i64, limit: isize) -> StoreResult<Vec<(UserId, ChargeId)>> {
        let members: Vec<String> = self.conn().zrangebyscore_limit(PENDING_REFUNDS, "-inf", now_ms, 0, limit).await?;
        Ok(members
            .iter()
            .filter_map(|member| {
                let (user, charge) = member.split_once(':')?;
                Some((UserId(user.parse().ok()?), ChargeId::parse(charge).ok()?))
            })
            .collect())
    }
}
