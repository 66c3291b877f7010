//! Pre-checkout, successful payments and refunds Telegram tells us about.

use teloxide::prelude::*;
use teloxide::types::{PreCheckoutQuery, RefundedPayment, SuccessfulPayment};

use super::refunds::{self, Outcome};
use super::{player_of, texts, HandlerResult, Shop, TgBot};
use crate::app::now_ms;
use crate::domain::{ChargeId, Grant, OrderId, RefundBy, Refusal, UserId as PlayerId};
use crate::store::Claim;

/// Answers within milliseconds: one script in the item's slot, nothing else.
pub async fn on_pre_checkout(bot: TgBot, shop: Shop, query: PreCheckoutQuery) -> HandlerResult {
    let started = std::time::Instant::now();
    let payer = player_of(&query.from);
    let verdict = match OrderId::parse(&query.invoice_payload) {
        None => Err(Refusal::UnknownOrder),
        Some(order) => {
            let catalog = shop.catalog.current();
            let item = catalog.get(order.item());
            let settings = &catalog.settings;
            match shop
                .store
                .precheckout(
                    &order,
                    item,
                    Claim { payer, currency: &query.currency, amount: query.total_amount },
                    settings,
                    now_ms(),
                )
                .await
            {
                Ok(verdict) => verdict,
                Err(error) => {
                    // Telegram shows the checkout as failed; nothing is charged.
                    tracing::error!(%error, "pre-checkout: store unavailable");
                    bot.answer_pre_checkout_query(query.id, false).error_message(texts::SERVICE_TROUBLE).await?;
                    return Ok(());
                }
            }
        }
    };
    let outcome = verdict.err().map_or("ok", Refusal::code);
    metrics::counter!("starmine_precheckout_total", "outcome" => outcome).increment(1);
    match verdict {
        Ok(()) => {
            tracing::info!(user = %payer, payload = %query.invoice_payload, "pre-checkout approved");
            bot.answer_pre_checkout_query(query.id, true).await?;
        }
        Err(refusal) => {
            tracing::info!(user = %payer, payload = %texts::shorten(&query.invoice_payload, 64), reason = refusal.code(), "pre-checkout refused");
            bot.answer_pre_checkout_query(query.id, false).error_message(texts::checkout_refusal(refusal)).await?;
        }
    }
    metrics::histogram!("starmine_precheckout_answer_seconds").record(started.elapsed().as_secs_f64());
    Ok(())
}

/// Grants once per charge id; a payment that cannot be honoured is refunded automatically.
pub async fn on_successful_payment(
    bot: TgBot,
    shop: Shop,
    message: Message,
    payment: SuccessfulPayment,
) -> HandlerResult {
    let Some(user) = message.from.as_ref() else {
        return Ok(());
    };
    let payer = player_of(user);
    let Ok(charge) = ChargeId::parse(&payment.telegram_payment_charge_id.0) else {
        tracing::error!(user = %payer, "successful_payment with an unusable charge id");
        return Ok(());
    };
    let catalog = shop.catalog.current();
    let now = now_ms();
    let order = OrderId::parse(&payment.invoice_payload);
    let claim = Claim { payer, currency: &payment.currency, amount: payment.total_amount };
    let confirmation = match &order {
        Some(order) => Some(shop.store.confirm_payment(order, catalog.get(order.item()), claim, &charge, now).await?),
        None => None,
    };
    let refusal = match &confirmation {
        Some(confirmation) => confirmation.refusal,
        None => Some(Refusal::UnknownOrder),
    };
    let qty = confirmation.as_ref().map_or(1, |c| c.qty);
    let item_id = order.as_ref().map_or_else(|| "unknown".to_owned(), |order| order.item().to_string());
    let item = order.as_ref().and_then(|order| catalog.get(order.item()));
    let grant = match (refusal, item) {
        (None, Some(item)) => catalog.grants(item),
        _ => Grant::default(),
    };
    // An item removed between confirm and grant cannot be granted: refund it.
    let refusal = if refusal.is_none() && item.is_none() { Some(Refusal::ItemGone) } else { refusal };
    let recorded =
        shop.store.record_payment(payer, &charge, &item_id, qty, payment.total_amount, &grant, refusal, now).await?;
    if refusal.is_none() && item.is_none() {
        // The item side counted the sale; give the unit back to stock.
        shop.store.release(&item_id, &charge).await?;
    }
    if !recorded {
        metrics::counter!("starmine_payments_total", "outcome" => "duplicate").increment(1);
        tracing::info!(user = %payer, %charge, "duplicate successful_payment ignored");
        return Ok(());
    }
    let outcome = if refusal.is_none() { "granted" } else { "unfulfillable" };
    metrics::counter!("starmine_payments_total", "outcome" => outcome).increment(1);
    metrics::counter!("starmine_stars_received_total").increment(u64::from(payment.total_amount));
    let name = catalog.name_of(&item_id).to_owned();
    match refusal {
        None => {
            tracing::info!(user = %payer, %charge, item = %item_id, amount = payment.total_amount, "payment granted");
            let mut granted: Vec<(String, u64)> = grant
                .units
                .iter()
                .map(|(id, qty)| (catalog.name_of(id.as_str()).to_owned(), u64::from(*qty)))
                .collect();
            if grant.gems > 0 {
                granted.push(("Gems".to_owned(), grant.gems));
            }
            let receipt = texts::receipt(&name, payment.total_amount, &texts::units(&granted), charge.as_str());
            bot.send_message(message.chat.id, receipt).await?;
        }
        Some(refusal) => {
            tracing::warn!(user = %payer, %charge, item = %item_id, reason = refusal.code(), "payment cannot be honoured; refunding");
            bot.send_message(message.chat.id, texts::auto_refund(&name, payment.total_amount, refusal)).await?;
            let outcome = refunds::refund(&shop, payer, &charge, RefundBy::Automatic).await?;
            refunds::tell_player(&bot, &shop, payer, &charge, &outcome, false).await?;
        }
    }
    Ok(())
}

/// A refund Telegram made (a dispute) or the echo of one we made: revoke once either way.
pub async fn on_refunded_payment(bot: TgBot, shop: Shop, message: Message, refund: RefundedPayment) -> HandlerResult {
    let player = match message.from.as_ref() {
        Some(user) if !user.is_bot => player_of(user),
        _ => PlayerId(message.chat.id.0.max(0) as u64),
    };
    let Ok(charge) = ChargeId::parse(&refund.telegram_payment_charge_id.0) else {
        return Ok(());
    };
    let outcome = refunds::settle_external(&shop, player, &charge).await?;
    if let Outcome::Refunded { .. } = outcome {
        refunds::tell_player(&bot, &shop, player, &charge, &outcome, true).await?;
    }
    Ok(())
}
