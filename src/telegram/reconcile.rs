//! Reconciliation: pages `getStarTransactions` and repairs what our records miss — a payment
//! whose update never reached us (granted now, or refunded if it can no longer be honoured) and
//! a refund we never heard of (revoked now). Idempotent: every step is keyed by the charge id.
//!
//! Each page it reads also goes into the console's copy of the ledger ([`super::ledger_copy`]),
//! once per transaction, and a pass that reads to the end marks the copy refreshed.
//!
//! It also checks the other way (see [`super::verify`]): every payment the ledger shows is
//! marked verified, and a pass that reads to the ledger's end records when it did, after which
//! payments recorded more than the grace period before that and never shown are voided.

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{StarTransaction, TransactionPartner, TransactionPartnerUserKind};

use super::payments::{self, Paid, Processed, Recurring};
use super::refunds::{self, Outcome};
use super::verify::{self, Checked};
use super::{Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::{ChargeId, OrderId, UserId as PlayerId};
use crate::store::PaymentStatus;

/// Transactions per `getStarTransactions` page (the Bot API maximum).
pub(super) const PAGE: u8 = 100;

/// What one pass found and repaired.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub transactions: u64,
    pub payments_known: u64,
    pub payments_recovered: u64,
    pub payments_refunded: u64,
    pub refunds_known: u64,
    pub refunds_recovered: u64,
    pub unknown_refunds: u64,
    /// Ledger payments whose charge id we first recorded for another payer or order.
    pub foreign_claims: u64,
    /// Transactions new to the console's copy of the ledger.
    pub copied: u64,
    /// The check of our records against the ledger, after the pass read it to its end.
    pub checked: Checked,
    /// The offset the next pass may start from.
    pub next_offset: u32,
}

impl Report {
    /// How many records the pass repaired: payments granted or refunded, refunds revoked,
    /// payments voided.
    pub fn repaired(&self) -> u64 {
        self.payments_recovered + self.payments_refunded + self.refunds_recovered + self.checked.voided
    }
}

/// Keeps what a pass did (or why it failed) for the console's money path:
/// `{at_ms, ok, report}` or `{at_ms, ok: false, error}`. A failure to keep it is only logged.
pub async fn remember_pass(shop: &Shop, outcome: Result<&Report, &str>) {
    let at_ms = now_ms();
    let (pass, repaired) = match outcome {
        Ok(report) => (serde_json::json!({ "at_ms": at_ms, "ok": true, "report": report }), report.repaired() > 0),
        Err(error) => (serde_json::json!({ "at_ms": at_ms, "ok": false, "error": error }), false),
    };
    if let Err(error) = shop.store.save_reconcile_pass(&pass, repaired).await {
        tracing::warn!(%error, "could not keep the reconciliation pass for the console");
    }
}

/// A Star ledger transaction as reconciliation and the audit read it.
pub(super) enum Entry {
    /// `paid_until_ms`: a subscription's period end (the date plus `subscription_period`).
    Payment {
        user: PlayerId,
        charge: ChargeId,
        payload: String,
        amount: u32,
        paid_until_ms: Option<i64>,
    },
    Refund {
        user: PlayerId,
        charge: ChargeId,
        amount: u32,
    },
    Other,
}

pub(super) fn classify(transaction: &StarTransaction) -> Entry {
    let Ok(charge) = ChargeId::parse(&transaction.id.0) else { return Entry::Other };
    match (&transaction.source, &transaction.receiver) {
        (Some(TransactionPartner::User(partner)), _) => match &partner.kind {
            TransactionPartnerUserKind::InvoicePayment(invoice) => Entry::Payment {
                user: PlayerId(partner.user.id.0),
                charge,
                payload: invoice.invoice_payload.clone().unwrap_or_default(),
                amount: transaction.amount,
                paid_until_ms: invoice
                    .subscription_period
                    .map(|period| transaction.date.timestamp_millis() + period.seconds() as i64 * 1000),
            },
            _ => Entry::Other,
        },
        (_, Some(TransactionPartner::User(partner))) => {
            Entry::Refund { user: PlayerId(partner.user.id.0), charge, amount: transaction.amount }
        }
        _ => Entry::Other,
    }
}

/// Pages the Star ledger from `offset` to its end and repairs every difference, then voids
/// the payments it should have shown `grace` ago and did not.
pub async fn reconcile(bot: &TgBot, shop: &Shop, offset: u32, grace: Duration) -> anyhow::Result<Report> {
    let mut report = Report { next_offset: offset, ..Report::default() };
    loop {
        // Everything Telegram recorded before this request is on this page or an earlier one.
        let asked_at = now_ms();
        let page = shop
            .raw_bot
            .get_star_transactions()
            .offset(report.next_offset)
            .limit(PAGE)
            .await
            .inspect_err(|error| super::bot_api::count_request_error("getStarTransactions", error))?;
        let count = page.transactions.len();
        for transaction in &page.transactions {
            report.transactions += 1;
            repair(bot, shop, classify(transaction), &mut report).await?;
        }
        report.copied += super::ledger_copy::copy_page(shop, &page.transactions).await?;
        report.next_offset += count as u32;
        shop.store.set_ledger_copy_offset(report.next_offset).await?;
        if count < usize::from(PAGE) {
            let read_to = shop.store.set_ledger_read_to(asked_at).await?;
            shop.store.set_ledger_copy_refreshed(now_ms()).await?;
            report.checked = verify::void_overdue(bot, shop, read_to, grace).await?;
            return Ok(report);
        }
    }
}

/// The ledger names the payer; a gift's record lives in its recipient's slot (the payload of a
/// payment names them, a refund's holder is found by the charge's first claim).
async fn repair(bot: &TgBot, shop: &Shop, entry: Entry, report: &mut Report) -> anyhow::Result<()> {
    if let Entry::Refund { user, charge, .. } = &entry {
        // A refund reuses its payment's charge id: that payment was real.
        let holder = shop.store.holder_of(*user, charge).await?;
        shop.store.mark_verified(holder, charge, now_ms()).await?;
    }
    match entry {
        Entry::Other => {}
        Entry::Payment { user, charge, payload, amount, paid_until_ms } => {
            let holder = OrderId::parse(&payload).map_or(user, |order| order.holder(user));
            if shop.store.payment(holder, &charge).await?.is_some() {
                report.payments_known += 1;
                shop.store.mark_verified(holder, &charge, now_ms()).await?;
                return Ok(());
            }
            tracing::warn!(%user, %charge, "reconciliation: a payment our records miss; handling it now");
            let recurring = paid_until_ms.map(|until| Recurring { paid_until_ms: Some(until), first: false });
            let paid = Paid { payer: user, charge: &charge, payload: &payload, currency: "XTR", amount, recurring };
            let mut processed = payments::process_payment(shop, paid).await?;
            if let Processed::Foreign { first: Some(first) } = processed {
                // The ledger outranks any update: whoever claimed this charge first was not its
                // payer (a forged update that came before the real one). Void that, then grant.
                tracing::error!(%user, %charge, %first, "reconciliation: the ledger gives a charge to another payer than its first claim");
                verify::void_false_claim(bot, shop, first, &charge).await?;
                shop.store.reclaim_charge(&charge, user, &payload).await?;
                processed = payments::process_payment(shop, paid).await?;
            }
            match &processed {
                Processed::Refunded { .. } => report.payments_refunded += 1,
                Processed::Foreign { .. } => report.foreign_claims += 1,
                _ => report.payments_recovered += 1,
            }
            // Recorded just now from the ledger itself (or by a concurrent update).
            shop.store.mark_verified(holder, &charge, now_ms()).await?;
            if let Err(error) = payments::tell(bot, ChatId(user.0 as i64), processed).await {
                tracing::warn!(%user, %error, "reconciliation: could not tell the player");
            }
        }
        Entry::Refund { user, charge, .. } => {
            match shop.store.payment(shop.store.holder_of(user, &charge).await?, &charge).await? {
                None => report.unknown_refunds += 1,
                Some(record) if record.status == PaymentStatus::Refunded => {
                    // Settled; make sure its stock went back too (a crash may have come between).
                    refunds::release_if_refunded(shop, &record, &charge).await?;
                    report.refunds_known += 1;
                }
                Some(_) => {
                    tracing::warn!(%user, %charge, "reconciliation: a refund our records miss; revoking now");
                    let outcome = refunds::settle_external(shop, user, &charge).await?;
                    report.refunds_recovered += 1;
                    if let Outcome::Refunded { .. } = outcome {
                        if let Err(error) = refunds::tell_player(bot, shop, user, &charge, &outcome, true).await {
                            tracing::warn!(%user, %error, "reconciliation: could not tell the player");
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
