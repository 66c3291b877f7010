//! Our records checked against the Star ledger, the other way round from reconciliation: a
//! recorded payment the ledger never shows (a made-up charge id posted with the webhook secret)
//! is voided — its grant revoked, its stock released, never revenue — logged at error, counted
//! and reported to the admins.
//!
//! A payment is overdue only once a ledger pass has read to the ledger's end past its `paid_at`
//! plus the grace period (`LEDGER_GRACE_S`). So nothing is voided while reconciliation is off
//! (`RECONCILE_EVERY_S=0`) or the Bot API cannot be read: no pass, no read-to time.

use std::time::Duration;

use teloxide::prelude::*;

use super::{texts, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::{ChargeId, RefundBy, UserId as PlayerId};
use crate::store::{PaymentRecord, PaymentStatus, RefundStart, Settlement, StoreError, Unverified};

/// How many overdue payments one pass looks at (the rest wait for the next pass).
const BATCH: isize = 200;

/// What one check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checked {
    /// Overdue entries the ledger had in fact shown, or whose record is gone: dropped.
    pub cleared: u64,
    /// Payments the ledger never showed: voided now.
    pub voided: u64,
    /// Payments still waiting for the ledger (within the grace period, or beyond this batch).
    pub waiting: u64,
}

/// Voids every recorded payment the ledger, read to its end at `read_to_ms`, should have shown.
pub async fn void_overdue(bot: &TgBot, shop: &Shop, read_to_ms: i64, grace: Duration) -> Result<Checked, StoreError> {
    let mut checked = Checked::default();
    let cutoff = read_to_ms - grace.as_millis() as i64;
    for entry in shop.store.unverified(cutoff, BATCH).await? {
        if void_one(bot, shop, &entry).await? {
            checked.voided += 1;
        } else {
            checked.cleared += 1;
        }
    }
    checked.waiting = shop.store.unverified_count().await?;
    Ok(checked)
}

/// Voids one overdue payment unless its record says the ledger showed it after all. Safe to
/// repeat after a crash at any step: the entry leaves the set last.
async fn void_one(bot: &TgBot, shop: &Shop, entry: &Unverified) -> Result<bool, StoreError> {
    let Unverified { user, charge, .. } = entry;
    let record = match shop.store.payment(*user, charge).await? {
        Some(record) if record.verified_at_ms.is_none() && record.status != PaymentStatus::Refunded => record,
        // Verified meanwhile, refunded through Telegram (so Telegram knew it), or never recorded.
        _ => {
            shop.store.verification_done(*user, charge).await?;
            return Ok(false);
        }
    };
    void(bot, shop, *user, charge, record).await?;
    Ok(true)
}

/// Voids `user`'s record of a charge the Star ledger shows as another payer's (in its
/// recipient's slot when the false claim was a gift), and makes the item side forget it, so the
/// real payer's payment is confirmed afresh.
pub async fn void_false_claim(bot: &TgBot, shop: &Shop, user: PlayerId, charge: &ChargeId) -> Result<(), StoreError> {
    let holder = shop.store.holder_of(user, charge).await?;
    let Some(record) = shop.store.payment(holder, charge).await? else { return Ok(()) };
    if record.status != PaymentStatus::Voided {
        void(bot, shop, holder, charge, record.clone()).await?;
    }
    shop.store.forget_item_charge(&record.item, charge, user).await?;
    Ok(())
}

/// Revokes what the payment granted, marks it voided, releases its stock, then logs, counts
/// and reports it; the to-verify entry goes last.
async fn void(
    bot: &TgBot,
    shop: &Shop,
    user: PlayerId,
    charge: &ChargeId,
    record: PaymentRecord,
) -> Result<(), StoreError> {
    let (user, paid_at_ms) = (&user, record.paid_at_ms);
    if record.status != PaymentStatus::Voided {
        let start = shop.store.begin_refund(*user, charge, RefundBy::Void, None, now_ms()).await?;
        if matches!(start, RefundStart::Pending(_)) {
            let note = "the Star ledger never showed this charge";
            shop.store.finish_refund(*user, charge, Settlement::Voided, note, now_ms()).await?;
        }
    }
    shop.store.release(&record.item, charge, Settlement::Voided, now_ms()).await?;
    shop.store.clear_refund_retry(*user, charge).await?;
    metrics::counter!("starmine_payments_voided_total").increment(1);
    metrics::counter!("starmine_stars_voided_total").increment(u64::from(record.amount));
    tracing::error!(
        %user,
        %charge,
        item = %record.item,
        amount = record.amount,
        paid_at_ms,
        "a payment the Star ledger never showed: voided, its grant revoked (a made-up charge id?)"
    );
    let name = shop.catalog.current().name_of(&record.item).to_owned();
    let report = texts::payment_voided(*user, &name, record.amount, charge.as_str());
    for admin in shop.admins.iter() {
        if let Err(error) = bot.send_message(ChatId(admin.0 as i64), report.clone()).notice().await {
            tracing::warn!(%admin, %error, "could not report a voided payment to an admin");
        }
    }
    shop.store.verification_done(*user, charge).await?;
    Ok(())
}
