//! Refunds by players, admins, disputes and automatic ones, shared by the bot and the CLI.
//!
//! Order: queue a retry, (a player's refund: the [`policy`] on their holdings at one version),
//! revoke and mark refund_pending (one script, at that version), call
//! `refundStarPayment`, then settle (refunded -> release stock) or restore on a definite refusal.
//! A crash anywhere leaves the retry queued, so [`retry_due`] finishes the job.
//!
//! A gift's record lives in its recipient's slot (its holder) and keeps its payer: every step
//! works on the holder's record and holdings, `refundStarPayment` names the payer, and only the
//! payer may ask for a player's refund.

use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{TelegramTransactionId, UserId as TgUserId};
use teloxide::{ApiError, RequestError};

use super::{texts, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::refund::{player_pass_refund, player_refund};
use crate::domain::{
    Catalog, ChargeId, ItemKind, NotRefundable, PassPeriodUse, Purchase, RefundBy, UserId as PlayerId,
};
use crate::i18n::Lang;
use crate::store::{Holdings, PaymentRecord, PaymentStatus, PendingRefund, RefundStart, Settlement, StoreError};

/// Seconds before a refund with an unknown outcome is tried again.
const RETRY_AFTER_MS: i64 = 15_000;
/// How often a player's refund looks at the policy again when the player changed meanwhile.
const POLICY_TRIES: usize = 5;

/// How a refund request ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Refunded {
        item: String,
        amount: u32,
        revoked: Vec<(String, u32)>,
    },
    AlreadyRefunded,
    /// Revoked; the refund call's outcome is not known yet. It stays refund_pending and is retried.
    Pending {
        item: String,
        amount: u32,
    },
    /// Telegram definitely refused the refund; the purchase was restored.
    Declined {
        reason: String,
    },
    /// No such charge for this player (and none for anyone, as far as we know).
    Unknown,
    /// The charge exists but belongs to another player.
    NotYours,
    /// A gift this player received: only its payer may ask for its refund.
    GiftReceived,
    /// The player refund policy refuses it: why, for a purchase of `item`.
    NotRefundable {
        item: String,
        reason: NotRefundable,
    },
    /// The player kept changing while the policy looked (digging, using): nothing was done.
    Busy,
    /// The Star ledger never showed this payment: it was voided, there is nothing to refund.
    Voided,
}

/// What `refundStarPayment` answered.
enum Call {
    Done,
    Definite(String),
    Unknown(String),
}

async fn call_refund(bot: &Bot, user: PlayerId, charge: &ChargeId) -> Call {
    let result = bot.refund_star_payment(TgUserId(user.0), TelegramTransactionId(charge.to_string())).await;
    if let Err(error) = &result {
        super::bot_api::count_request_error("refundStarPayment", error);
    }
    match result {
        Ok(_) => Call::Done,
        Err(RequestError::Api(ApiError::Unknown(description))) if description.contains("CHARGE_ALREADY_REFUNDED") => {
            Call::Done
        }
        Err(RequestError::Api(ApiError::Unknown(description))) => {
            // Telegram's client errors start like this; anything else (a 5xx) is not definite.
            let definite = ["Bad Request", "Forbidden", "Not Found", "Unauthorized"]
                .iter()
                .any(|prefix| description.starts_with(prefix));
            if definite {
                Call::Definite(description)
            } else {
                Call::Unknown(description)
            }
        }
        // Every error teloxide knows by name is a 4xx.
        Err(RequestError::Api(error)) => Call::Definite(error.to_string()),
        Err(error) => Call::Unknown(error.to_string()),
    }
}

impl Outcome {
    /// The outcome's name in the console's API ([`crate::admin::RefundReport`]).
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Refunded { .. } => "refunded",
            Outcome::AlreadyRefunded => "already_refunded",
            Outcome::Pending { .. } => "pending",
            Outcome::Declined { .. } => "declined",
            _ => "refused",
        }
    }

    /// What an admin is told of their refund (the CLI prints it, the console shows it).
    pub fn admin_summary(&self, user: PlayerId, charge: &ChargeId) -> String {
        match self {
            Outcome::Refunded { amount, .. } => format!("refunded {amount} stars to user {user} ({charge})"),
            Outcome::AlreadyRefunded => format!("already refunded ({charge})"),
            Outcome::Pending { .. } => format!(
                "refund pending: the Bot API's answer is not known yet; it stays refund_pending and is retried ({charge})"
            ),
            Outcome::Declined { reason } => format!("refused by Telegram: {reason}; the purchase was restored"),
            Outcome::Unknown => format!("refused: no charge {charge} is known for user {user}"),
            Outcome::Voided => {
                format!("refused: charge {charge} of user {user} was voided (the Star ledger never showed it)")
            }
            Outcome::NotYours => format!("refused: charge {charge} belongs to another user, not {user}"),
            Outcome::GiftReceived => format!("refused: charge {charge} is a gift user {user} received"),
            Outcome::NotRefundable { .. } | Outcome::Busy => "refused by the refund policy".to_owned(),
        }
    }
}

/// An admin's refund (`starmine refund`, the console): [`refund`] by [`RefundBy::Admin`], then
/// the player is told when it went through or is under way.
pub async fn refund_as_admin(
    bot: &TgBot,
    shop: &Shop,
    user: PlayerId,
    charge: &ChargeId,
) -> Result<Outcome, StoreError> {
    let outcome = refund(shop, user, charge, RefundBy::Admin).await?;
    if matches!(outcome, Outcome::Refunded { .. } | Outcome::Pending { .. }) {
        if let Err(error) = tell_player(bot, shop, user, charge, &outcome, false).await {
            tracing::warn!(%error, "could not tell the player");
        }
    }
    Ok(outcome)
}

/// Queues a retry of this charge's refund, to be done by [`retry_due`] unless settled first.
pub async fn queue_retry(shop: &Shop, user: PlayerId, charge: &ChargeId) -> Result<(), StoreError> {
    shop.store.schedule_refund_retry(user, charge, now_ms() + RETRY_AFTER_MS).await
}

/// Refunds one charge of `user` (its payer, or the holder of a gift's record), started by `by`.
pub async fn refund(shop: &Shop, user: PlayerId, charge: &ChargeId, by: RefundBy) -> Result<Outcome, StoreError> {
    let holder = shop.store.holder_of(user, charge).await?;
    // Queued before anything is revoked: if we die after revoking, the retry loop finishes it
    // (an entry whose purchase is not refund_pending is simply dropped).
    queue_retry(shop, holder, charge).await?;
    let start = match by {
        RefundBy::Player => match begin_player_refund(shop, user, holder, charge).await? {
            Ok(start) => start,
            Err(refused) => return Ok(refused),
        },
        _ => shop.store.begin_refund(holder, charge, by, None, now_ms()).await?,
    };
    let pending = match start {
        RefundStart::Pending(pending) => pending,
        RefundStart::AlreadyRefunded(done) => {
            // Idempotent: puts the stock back (and counts the refund) if a crash came between
            // settling and releasing.
            shop.store.release(&done.item, charge, Settlement::Refunded, now_ms()).await?;
            return Ok(Outcome::AlreadyRefunded);
        }
        // Only a player's refund checks the version, and it looks again on a change.
        RefundStart::Changed => return Ok(Outcome::Busy),
        RefundStart::Voided => return Ok(Outcome::Voided),
        RefundStart::Unknown => {
            return Ok(match shop.store.charge_owner(charge).await? {
                Some(owner) if owner != user => Outcome::NotYours,
                _ => Outcome::Unknown,
            });
        }
    };
    let outcome = settle(shop, holder, charge, pending, by).await?;
    if matches!(outcome, Outcome::Refunded { .. }) {
        super::pass::stop_if_first_refunded(shop, holder, charge).await?;
    }
    Ok(outcome)
}

/// The player refund policy on a purchase and the player's holdings now: the one place both
/// the refund list and a player's refund ask.
pub fn policy(
    catalog: &Catalog,
    record: &PaymentRecord,
    holdings: &Holdings,
    now_ms: i64,
) -> Result<(), NotRefundable> {
    let window = catalog.settings.refund_window;
    if let Some((start_ms, until_ms)) = record.pass_period {
        // A pass period: its expiry is the state's `pass:<id>`, which holdings count as a unit.
        let expires_at_ms = holdings.held.get(&format!("@pass:{}", record.item)).map_or(0, |at| *at as i64);
        let period = PassPeriodUse { paid_at_ms: record.paid_at_ms, start_ms, until_ms, expires_at_ms };
        let refundable_use = match catalog.find(&record.item).map(|item| &item.kind) {
            Some(ItemKind::Subscription { refundable_use, .. }) => *refundable_use,
            _ => Duration::ZERO,
        };
        return player_pass_refund(period, window, refundable_use, now_ms);
    }
    let purchase = Purchase { paid_at_ms: record.paid_at_ms, grants: &record.grants };
    player_refund(&purchase, &holdings.held, window, now_ms)
}

/// Begins `asker`'s refund of a purchase `holder` holds (themselves, or a gift's recipient): the
/// [`policy`] on the holder's holdings at one version, then the revoke at that same version. A
/// change in between (a dig, a use) means looking again. Only the payer may ask.
async fn begin_player_refund(
    shop: &Shop,
    asker: PlayerId,
    holder: PlayerId,
    charge: &ChargeId,
) -> Result<Result<RefundStart, Outcome>, StoreError> {
    for _ in 0..POLICY_TRIES {
        let record = shop.store.payment(holder, charge).await?;
        if record.as_ref().is_some_and(|record| record.payer.unwrap_or(holder) != asker) {
            return Ok(Err(Outcome::GiftReceived));
        }
        let expected = match record {
            Some(record) if record.status == PaymentStatus::Paid => {
                let holdings = shop.store.holdings(holder).await?;
                if let Err(reason) = policy(&shop.catalog.current(), &record, &holdings, now_ms()) {
                    return Ok(Err(Outcome::NotRefundable { item: record.item, reason }));
                }
                Some(holdings.ver)
            }
            // Unknown, pending or refunded: the script answers those as they are.
            _ => None,
        };
        match shop.store.begin_refund(holder, charge, RefundBy::Player, expected, now_ms()).await? {
            RefundStart::Changed => continue,
            start => return Ok(Ok(start)),
        }
    }
    Ok(Err(Outcome::Busy))
}

async fn settle(
    shop: &Shop,
    user: PlayerId,
    charge: &ChargeId,
    pending: PendingRefund,
    by: RefundBy,
) -> Result<Outcome, StoreError> {
    // Queued (again) before the call: if we die mid-way, the retry loop finishes it.
    shop.store.schedule_refund_retry(user, charge, now_ms() + RETRY_AFTER_MS).await?;
    // The Stars go back to whoever paid: a gift's payer, not its holder.
    let call = call_refund(&shop.raw_bot, pending.payer.unwrap_or(user), charge).await;
    let result = match &call {
        Call::Done => "refunded",
        Call::Definite(_) => "declined",
        Call::Unknown(_) => "unknown",
    };
    metrics::counter!("starmine_refund_calls_total", "by" => by.as_str(), "result" => result).increment(1);
    match call {
        Call::Done => {
            metrics::counter!("starmine_stars_refunded_total").increment(u64::from(pending.amount));
            shop.store.finish_refund(user, charge, Settlement::Refunded, "", now_ms()).await?;
            shop.store.release(&pending.item, charge, Settlement::Refunded, now_ms()).await?;
            shop.store.clear_refund_retry(user, charge).await?;
            tracing::info!(%user, %charge, by = by.as_str(), amount = pending.amount, "refunded");
            Ok(Outcome::Refunded { item: pending.item, amount: pending.amount, revoked: pending.revoked })
        }
        Call::Definite(reason) => {
            shop.store.clear_refund_retry(user, charge).await?;
            if by == RefundBy::Automatic {
                // Nothing was granted, so there is nothing to restore; an operator must look.
                tracing::error!(%user, %charge, %reason, "automatic refund refused by Telegram; left refund_pending");
            } else {
                shop.store.finish_refund(user, charge, Settlement::Restore, &reason, now_ms()).await?;
                tracing::warn!(%user, %charge, %reason, "refund refused by Telegram; purchase restored");
            }
            Ok(Outcome::Declined { reason })
        }
        Call::Unknown(error) => {
            tracing::warn!(%user, %charge, %error, "refund outcome unknown; will retry");
            Ok(Outcome::Pending { item: pending.item, amount: pending.amount })
        }
    }
}

/// Settles a refund Telegram reports (`refunded_payment`): the echo of ours, or a dispute.
/// `payer` is whom Telegram names; a gift's record is its recipient's.
pub async fn settle_external(shop: &Shop, payer: PlayerId, charge: &ChargeId) -> Result<Outcome, StoreError> {
    let user = shop.store.holder_of(payer, charge).await?;
    let Some(record) = shop.store.payment(user, charge).await? else {
        tracing::warn!(%user, %charge, "refunded_payment for a charge we have no record of");
        return Ok(Outcome::Unknown);
    };
    let ours = record.status == PaymentStatus::RefundPending && record.refund_by.as_deref() != Some("dispute");
    if record.status == PaymentStatus::Refunded {
        release_if_refunded(shop, &record, charge).await?;
        return Ok(Outcome::AlreadyRefunded);
    }
    let RefundStart::Pending(pending) =
        shop.store.begin_refund(user, charge, RefundBy::Dispute, None, now_ms()).await?
    else {
        return Ok(Outcome::AlreadyRefunded);
    };
    let status = shop.store.finish_refund(user, charge, Settlement::Refunded, "refunded by Telegram", now_ms()).await?;
    shop.store.release(&pending.item, charge, Settlement::Refunded, now_ms()).await?;
    shop.store.clear_refund_retry(user, charge).await?;
    if status != "refunded" || ours {
        // Our own refund, settled by its own flow (or settled now, told by that flow).
        return Ok(Outcome::AlreadyRefunded);
    }
    tracing::info!(%user, %charge, amount = pending.amount, "disputed payment revoked");
    super::pass::stop_if_first_refunded(shop, user, charge).await?;
    Ok(Outcome::Refunded { item: pending.item, amount: pending.amount, revoked: pending.revoked })
}

/// A refunded or voided purchase's units go back to stock and its refund or void is counted
/// (idempotent: the item side remembers it).
pub async fn release_if_refunded(
    shop: &Shop,
    record: &crate::store::PaymentRecord,
    charge: &ChargeId,
) -> Result<(), StoreError> {
    let settled = match record.status {
        PaymentStatus::Refunded => Settlement::Refunded,
        PaymentStatus::Voided => Settlement::Voided,
        _ => return Ok(()),
    };
    if shop.store.release(&record.item, charge, settled, now_ms()).await? {
        tracing::warn!(%charge, item = %record.item, "released the stock of a refund settled before a crash");
    }
    Ok(())
}

/// Tries again every queued refund whose time has come. Returns how many were settled. Sets
/// `starmine_refunds_pending` to the refunds queued before the pass.
pub async fn retry_due(bot: &TgBot, shop: &Shop) -> Result<usize, StoreError> {
    let pending = shop.store.pending_refund_count().await?;
    metrics::gauge!("starmine_refunds_pending").set(pending as f64);
    let mut settled = 0;
    for (user, charge) in shop.store.due_refunds(now_ms(), 50).await? {
        let Some(record) = shop.store.payment(user, &charge).await? else {
            shop.store.clear_refund_retry(user, &charge).await?;
            continue;
        };
        if record.status != PaymentStatus::RefundPending {
            // Settled already; a crash may have come between settling and releasing the stock.
            release_if_refunded(shop, &record, &charge).await?;
            shop.store.clear_refund_retry(user, &charge).await?;
            continue;
        }
        let by = match record.refund_by.as_deref() {
            // Being voided: the ledger check finishes it (a refund call would only be refused).
            Some("void") => {
                shop.store.clear_refund_retry(user, &charge).await?;
                continue;
            }
            Some("automatic") => RefundBy::Automatic,
            Some("player") => RefundBy::Player,
            _ => RefundBy::Admin,
        };
        let RefundStart::Pending(pending) = shop.store.begin_refund(user, &charge, by, None, now_ms()).await? else {
            continue;
        };
        let outcome = settle(shop, user, &charge, pending, by).await?;
        if !matches!(outcome, Outcome::Pending { .. }) {
            settled += 1;
            // The payer hears of it (a gift's holder did not pay).
            let payer = record.payer.unwrap_or(user);
            if let Err(error) = tell_player(bot, shop, payer, &charge, &outcome, false).await {
                tracing::warn!(%user, %error, "could not tell the player about a retried refund");
            }
        }
    }
    Ok(settled)
}

/// Tells the player how their refund went.
pub async fn tell_player(
    bot: &TgBot,
    shop: &Shop,
    user: PlayerId,
    charge: &ChargeId,
    outcome: &Outcome,
    by_telegram: bool,
) -> HandlerResult {
    let lang = shop.lang_of(user).await;
    bot.send_message(ChatId(user.0 as i64), outcome_text(shop, lang, charge, outcome, by_telegram)).notice().await?;
    Ok(())
}

/// How a refund went, in `lang`.
pub fn outcome_text(shop: &Shop, lang: Lang, charge: &ChargeId, outcome: &Outcome, by_telegram: bool) -> String {
    let catalog = shop.catalog.current();
    match outcome {
        Outcome::Refunded { item, amount, revoked } => {
            let taken = texts::grant_phrase(lang, &catalog, revoked);
            let name = catalog.name_in(lang, item);
            if by_telegram {
                texts::disputed(lang, name, *amount, &taken)
            } else {
                texts::refunded(lang, name, *amount, &taken, charge.as_str())
            }
        }
        Outcome::AlreadyRefunded => texts::already_refunded(lang),
        Outcome::Pending { item, amount } => texts::refund_pending(lang, catalog.name_in(lang, item), *amount),
        Outcome::Declined { reason } => texts::refund_failed(lang, reason),
        Outcome::Unknown => texts::unknown_charge(lang),
        Outcome::Voided => texts::voided_charge(lang),
        Outcome::NotYours => texts::foreign_charge(lang),
        Outcome::GiftReceived => texts::gift_refund_not_yours(lang),
        Outcome::NotRefundable { item, reason } => {
            let window = catalog.settings.refund_window;
            texts::refund_refused(lang, &texts::not_refundable(lang, &catalog, item, reason, window))
        }
        Outcome::Busy => texts::refund_busy(lang),
    }
}
