//! Refunds by players, admins, disputes and automatic ones, shared by the bot and the CLI.
//!
//! Order: queue a retry, revoke and mark refund_pending (one script), call
//! `refundStarPayment`, then settle (refunded -> release stock) or restore on a definite refusal.
//! A crash anywhere leaves the retry queued, so [`retry_due`] finishes the job.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, TelegramTransactionId, UserId as TgUserId};
use teloxide::{ApiError, RequestError};

use super::{texts, HandlerResult, Shop, TgBot};
use crate::app::now_ms;
use crate::domain::{ChargeId, RefundBy, UserId as PlayerId};
use crate::store::{PaymentStatus, PendingRefund, RefundStart, StoreError};

/// Seconds before a refund with an unknown outcome is tried again.
const RETRY_AFTER_MS: i64 = 15_000;

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
    WindowClosed,
    NoLongerHeld,
}

/// What `refundStarPayment` answered.
enum Call {
    Done,
    Definite(String),
    Unknown(String),
}

async fn call_refund(bot: &Bot, user: PlayerId, charge: &ChargeId) -> Call {
    let result = bot.refund_star_payment(TgUserId(user.0), TelegramTransactionId(charge.to_string())).await;
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

/// Queues a retry of this charge's refund, to be done by [`retry_due`] unless settled first.
pub async fn queue_retry(shop: &Shop, user: PlayerId, charge: &ChargeId) -> Result<(), StoreError> {
    shop.store.schedule_refund_retry(user, charge, now_ms() + RETRY_AFTER_MS).await
}

/// Refunds one charge of `user`, started by `by`.
pub async fn refund(shop: &Shop, user: PlayerId, charge: &ChargeId, by: RefundBy) -> Result<Outcome, StoreError> {
    // Queued before anything is revoked: if we die after revoking, the retry loop finishes it
    // (an entry whose purchase is not refund_pending is simply dropped).
    queue_retry(shop, user, charge).await?;
    let window = shop.catalog.current().settings.refund_window;
    let start = shop.store.begin_refund(user, charge, by, window, now_ms()).await?;
    let pending = match start {
        RefundStart::Pending(pending) => pending,
        RefundStart::AlreadyRefunded(done) => {
            // Idempotent: puts the stock back if a crash came between settling and releasing.
            if done.counted {
                shop.store.release(&done.item, charge).await?;
            }
            return Ok(Outcome::AlreadyRefunded);
        }
        RefundStart::WindowClosed => return Ok(Outcome::WindowClosed),
        RefundStart::NoLongerHeld => return Ok(Outcome::NoLongerHeld),
        RefundStart::Unknown => {
            return Ok(match shop.store.charge_owner(charge).await? {
                Some(owner) if owner != user => Outcome::NotYours,
                _ => Outcome::Unknown,
            });
        }
    };
    settle(shop, user, charge, pending, by).await
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
    let call = call_refund(&shop.raw_bot, user, charge).await;
    let result = match &call {
        Call::Done => "refunded",
        Call::Definite(_) => "declined",
        Call::Unknown(_) => "unknown",
    };
    metrics::counter!("starmine_refund_calls_total", "by" => by.as_str(), "result" => result).increment(1);
    match call {
        Call::Done => {
            shop.store.finish_refund(user, charge, true, "", now_ms()).await?;
            if pending.counted {
                shop.store.release(&pending.item, charge).await?;
            }
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
                shop.store.finish_refund(user, charge, false, &reason, now_ms()).await?;
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
pub async fn settle_external(shop: &Shop, user: PlayerId, charge: &ChargeId) -> Result<Outcome, StoreError> {
    let Some(record) = shop.store.payment(user, charge).await? else {
        tracing::warn!(%user, %charge, "refunded_payment for a charge we have no record of");
        return Ok(Outcome::Unknown);
    };
    let ours = record.status == PaymentStatus::RefundPending && record.refund_by.as_deref() != Some("dispute");
    if record.status == PaymentStatus::Refunded {
        release_if_refunded(shop, &record, charge).await?;
        return Ok(Outcome::AlreadyRefunded);
    }
    let window = shop.catalog.current().settings.refund_window;
    let RefundStart::Pending(pending) =
        shop.store.begin_refund(user, charge, RefundBy::Dispute, window, now_ms()).await?
    else {
        return Ok(Outcome::AlreadyRefunded);
    };
    let status = shop.store.finish_refund(user, charge, true, "refunded by Telegram", now_ms()).await?;
    if pending.counted {
        shop.store.release(&pending.item, charge).await?;
    }
    shop.store.clear_refund_retry(user, charge).await?;
    if status != "refunded" || ours {
        // Our own refund, settled by its own flow (or settled now, told by that flow).
        return Ok(Outcome::AlreadyRefunded);
    }
    tracing::info!(%user, %charge, amount = pending.amount, "disputed payment revoked");
    Ok(Outcome::Refunded { item: pending.item, amount: pending.amount, revoked: pending.revoked })
}

/// A refunded purchase's units go back to stock (idempotent: the item side remembers it).
pub async fn release_if_refunded(
    shop: &Shop,
    record: &crate::store::PaymentRecord,
    charge: &ChargeId,
) -> Result<(), StoreError> {
    if record.status == PaymentStatus::Refunded && record.counted && shop.store.release(&record.item, charge).await? {
        tracing::warn!(%charge, item = %record.item, "released the stock of a refund settled before a crash");
    }
    Ok(())
}

/// Tries again every queued refund whose time has come. Returns how many were settled.
pub async fn retry_due(bot: &TgBot, shop: &Shop) -> Result<usize, StoreError> {
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
            Some("automatic") => RefundBy::Automatic,
            Some("player") => RefundBy::Player,
            _ => RefundBy::Admin,
        };
        let window = shop.catalog.current().settings.refund_window;
        let RefundStart::Pending(pending) = shop.store.begin_refund(user, &charge, by, window, now_ms()).await? else {
            continue;
        };
        let outcome = settle(shop, user, &charge, pending, by).await?;
        if !matches!(outcome, Outcome::Pending { .. }) {
            settled += 1;
            if let Err(error) = tell_player(bot, shop, user, &charge, &outcome, false).await {
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
    bot.send_message(ChatId(user.0 as i64), outcome_text(shop, charge, outcome, by_telegram)).await?;
    Ok(())
}

pub fn outcome_text(shop: &Shop, charge: &ChargeId, outcome: &Outcome, by_telegram: bool) -> String {
    let catalog = shop.catalog.current();
    match outcome {
        Outcome::Refunded { item, amount, revoked } => {
            let removed: Vec<(String, u64)> =
                revoked.iter().map(|(id, qty)| (texts::unit_name(&catalog, id), u64::from(*qty))).collect();
            let name = catalog.name_of(item);
            if by_telegram {
                texts::disputed(name, *amount, &texts::units(&removed))
            } else {
                texts::refunded(name, *amount, &texts::units(&removed), charge.as_str())
            }
        }
        Outcome::AlreadyRefunded => texts::ALREADY_REFUNDED.into(),
        Outcome::Pending { item, amount } => texts::refund_pending(catalog.name_of(item), *amount),
        Outcome::Declined { reason } => texts::refund_failed(reason),
        Outcome::Unknown => texts::UNKNOWN_CHARGE.into(),
        Outcome::NotYours => texts::FOREIGN_CHARGE.into(),
        Outcome::WindowClosed => texts::WINDOW_CLOSED.into(),
        Outcome::NoLongerHeld => texts::NO_LONGER_HELD.into(),
    }
}

/// `/refund`, `/refund <charge>`, and for admins `/refund <user> <charge>`.
pub async fn on_refund_command(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId, args: &str) -> HandlerResult {
    let parts: Vec<&str> = args.split_whitespace().collect();
    match parts.as_slice() {
        [] => list_refundable(bot, shop, chat, player).await,
        [charge] => {
            let Ok(charge) = ChargeId::parse(charge) else {
                bot.send_message(chat, texts::UNKNOWN_CHARGE).await?;
                return Ok(());
            };
            let outcome = refund(&shop, player, &charge, RefundBy::Player).await?;
            bot.send_message(chat, outcome_text(&shop, &charge, &outcome, false)).await?;
            Ok(())
        }
        [user, charge] => {
            if !shop.is_admin(player) {
                bot.send_message(chat, texts::NOT_ADMIN).await?;
                return Ok(());
            }
            let (Ok(user), Ok(charge)) = (user.parse::<u64>(), ChargeId::parse(charge)) else {
                bot.send_message(chat, texts::REFUND_USAGE).await?;
                return Ok(());
            };
            let user = PlayerId(user);
            let outcome = refund(&shop, user, &charge, RefundBy::Admin).await?;
            let text = outcome_text(&shop, &charge, &outcome, false);
            bot.send_message(chat, format!("Admin refund of {charge} for user {user}:\n{text}")).await?;
            if user != player && matches!(outcome, Outcome::Refunded { .. } | Outcome::Pending { .. }) {
                tell_player(&bot, &shop, user, &charge, &outcome, false).await?;
            }
            Ok(())
        }
        _ => {
            bot.send_message(chat, texts::REFUND_USAGE).await?;
            Ok(())
        }
    }
}

async fn list_refundable(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId) -> HandlerResult {
    let catalog = shop.catalog.current();
    let window_ms = catalog.settings.refund_window.as_millis() as i64;
    let now = now_ms();
    let payments = shop.store.payments(player, Some(50)).await?;
    let refundable: Vec<_> = payments
        .iter()
        .rev()
        .filter(|p| p.status == PaymentStatus::Paid && now - p.paid_at_ms <= window_ms)
        .take(10)
        .collect();
    if refundable.is_empty() {
        bot.send_message(chat, texts::NOTHING_TO_REFUND).await?;
        return Ok(());
    }
    let mut lines = vec![texts::refund_list_header().to_owned()];
    let mut buttons = Vec::new();
    for payment in refundable {
        let name = catalog.name_of(&payment.item);
        lines.push(format!("• {name} — {} ⭐\n   charge id: {}", payment.amount, payment.charge));
        let label = format!("Refund {name} · {} ⭐", payment.amount);
        buttons.push([InlineKeyboardButton::callback(label, format!("rf:{}", payment.paid_at_ms))]);
    }
    bot.send_message(chat, lines.join("\n")).reply_markup(InlineKeyboardMarkup::new(buttons)).await?;
    Ok(())
}

async fn charge_from_button(shop: &Shop, player: PlayerId, arg: &str) -> Result<Option<ChargeId>, StoreError> {
    let Ok(paid_at) = arg.parse::<i64>() else {
        return Ok(None);
    };
    shop.store.charge_paid_at(player, paid_at).await
}

/// A Refund button: ask before refunding.
pub async fn ask_confirmation(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId, arg: &str) -> HandlerResult {
    let Some(charge) = charge_from_button(&shop, player, arg).await? else {
        bot.send_message(chat, texts::UNKNOWN_CHARGE).await?;
        return Ok(());
    };
    let Some(payment) = shop.store.payment(player, &charge).await? else {
        return Ok(());
    };
    let name = shop.catalog.current().name_of(&payment.item).to_owned();
    let buttons = [[
        InlineKeyboardButton::callback("Yes, refund", format!("rfy:{arg}")),
        InlineKeyboardButton::callback("Keep it", "rfn"),
    ]];
    bot.send_message(chat, texts::refund_confirm(&name, payment.amount))
        .reply_markup(InlineKeyboardMarkup::new(buttons))
        .await?;
    Ok(())
}

pub async fn confirmed(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId, arg: &str) -> HandlerResult {
    let Some(charge) = charge_from_button(&shop, player, arg).await? else {
        bot.send_message(chat, texts::UNKNOWN_CHARGE).await?;
        return Ok(());
    };
    let outcome = refund(&shop, player, &charge, RefundBy::Player).await?;
    bot.send_message(chat, outcome_text(&shop, &charge, &outcome, false)).await?;
    Ok(())
}
