//! Pre-checkout, successful payments and refunds Telegram tells us about.

use teloxide::prelude::*;
use teloxide::types::{PreCheckoutQuery, RefundedPayment, SuccessfulPayment};

use super::bot_api::count_request_error;
use super::refunds::{self, Outcome};
use super::{player_of, texts, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::grant_units;
use crate::domain::sales::Day;
use crate::domain::{ChargeId, Grant, OrderId, PassPayload, RefundBy, Refusal, UserId as PlayerId};
use crate::i18n::Lang;
use crate::store::{ChargeClaim, Claim, Recorded};

/// Answers within milliseconds: one script in the item's slot, nothing else.
pub async fn on_pre_checkout(bot: TgBot, shop: Shop, lang: Lang, query: PreCheckoutQuery) -> HandlerResult {
    let started = std::time::Instant::now();
    let payer = player_of(&query.from);
    let pass = PassPayload::parse(&query.invoice_payload);
    let verdict = match OrderId::parse(&query.invoice_payload) {
        None if pass.is_some() => super::pass::precheckout(
            &shop,
            pass.as_ref().map(PassPayload::pass),
            payer,
            &query.currency,
            query.total_amount,
        )
        .await
        .unwrap_or_else(|error| {
            tracing::error!(%error, "pass pre-checkout: store unavailable");
            Err(Refusal::UnknownOrder)
        }),
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
                    bot.answer_pre_checkout_query(query.id, false)
                        .error_message(texts::service_trouble(lang))
                        .await
                        .inspect_err(|error| count_request_error("answerPreCheckoutQuery", error))?;
                    return Ok(());
                }
            }
        }
    };
    let outcome = verdict.err().map_or("ok", Refusal::code);
    metrics::counter!("starmine_precheckout_total", "outcome" => outcome).increment(1);
    match verdict {
        Ok(()) => {
            tracing::debug!(user = %payer, payload = %query.invoice_payload, "pre-checkout approved");
            bot.answer_pre_checkout_query(query.id, true)
                .await
                .inspect_err(|error| count_request_error("answerPreCheckoutQuery", error))?;
        }
        Err(refusal) => {
            tracing::debug!(user = %payer, payload = %texts::shorten(&query.invoice_payload, 64), reason = refusal.code(), "pre-checkout refused");
            bot.answer_pre_checkout_query(query.id, false)
                .error_message(texts::checkout_refusal(lang, refusal))
                .await
                .inspect_err(|error| count_request_error("answerPreCheckoutQuery", error))?;
        }
    }
    metrics::histogram!("starmine_precheckout_answer_seconds").record(started.elapsed().as_secs_f64());
    Ok(())
}

/// A payment Telegram reports: from a `successful_payment` update or found by reconciliation.
#[derive(Clone, Copy, Debug)]
pub struct Paid<'a> {
    pub payer: PlayerId,
    pub charge: &'a ChargeId,
    pub payload: &'a str,
    pub currency: &'a str,
    pub amount: u32,
    /// A subscription's payment (`is_recurring`, or a ledger entry with a
    /// `subscription_period`): `None` for every one-off purchase.
    pub recurring: Option<Recurring>,
}

/// What a subscription's payment says of its period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurring {
    /// When the period paid for ends (ms): `subscription_expiration_date`, or the ledger's date
    /// plus its `subscription_period`.
    pub paid_until_ms: Option<i64>,
    /// `is_first_recurring`: the payment that started the subscription.
    pub first: bool,
}

/// What [`process_payment`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Processed {
    /// This charge was handled before.
    Duplicate,
    /// This charge id was first claimed by another payer or for another order, or the order is
    /// another player's: nothing is granted, refunded or told (a replayed or forged update).
    /// `first`: the payer of the first claim, when another one.
    Foreign { first: Option<PlayerId> },
    /// Granted: the receipt text to send.
    Granted { receipt: String },
    /// A gift granted to `recipient`: the giver's receipt, and the recipient's message naming
    /// the giver.
    Gifted { receipt: String, recipient: PlayerId, notice: String },
    /// Could not be honoured: refunded automatically (the texts to send, in order).
    Refunded { notices: Vec<String> },
}

/// Handles one payment exactly once per charge id: the item side confirms (or decides it cannot
/// be honoured), the player side grants; an unfulfillable payment is refunded automatically.
/// A gift (its payload names a recipient) is granted once to the recipient, whose slot keeps
/// the record with the payer in it.
pub async fn process_payment(shop: &Shop, paid: Paid<'_>) -> Result<Processed, crate::store::StoreError> {
    // A subscription's payments (its first and every renewal, all with the first invoice's
    // payload and no order behind them) have their own path: one period each.
    if let Some(pass) = PassPayload::parse(paid.payload) {
        return super::pass::process_period(shop, paid, &pass).await;
    }
    let Paid { payer, charge, payload, currency, amount, .. } = paid;
    let order = OrderId::parse(payload);
    let now = now_ms();
    let holder = order.as_ref().map_or(payer, |order| order.holder(payer));
    let gift_from = (holder != payer).then_some(payer);
    // Awaiting the Star ledger's word before anything is granted (an entry whose record never
    // comes, after a crash or a refusal below, is dropped by the ledger pass; `store::verify`),
    // with the order's buyer in the same round trip. Under the record's holder, where the
    // ledger pass finds it.
    let buyer = match &order {
        Some(order) => shop.store.await_verification_of_order(holder, charge, now, order).await?,
        None => shop.store.await_verification(payer, charge, now).await.map(|()| None)?,
    };
    // Another player's order is never this payer's to claim (pre-checkout refuses such a
    // payment, so only a forged update gets here): refused before it can claim the charge.
    if let Some(buyer) = buyer.filter(|buyer| *buyer != payer) {
        return Ok(foreign(payer, charge, payload, Some(buyer), payload));
    }
    if let ChargeClaim::Foreign { payer: first, payload: first_payload } =
        shop.store.claim_charge(charge, payer, payload).await?
    {
        return Ok(foreign(payer, charge, payload, first, &first_payload));
    }
    let catalog = shop.catalog.current();
    let claim = Claim { payer, currency, amount };
    let confirmation = match &order {
        Some(order) => Some(shop.store.confirm_payment(order, catalog.get(order.item()), claim, charge, now).await?),
        None => None,
    };
    if let Some(first) = confirmation.as_ref().and_then(|c| c.foreign_payer) {
        return Ok(foreign(payer, charge, payload, Some(first), ""));
    }
    // The script saw the same catalog snapshot: an item missing here was refused there.
    let refusal = confirmation.as_ref().map_or(Some(Refusal::UnknownOrder), |c| c.refusal);
    let qty = confirmation.as_ref().map_or(1, |c| c.qty);
    let item_id = order.as_ref().map_or_else(|| "unknown".to_owned(), |order| order.item().to_string());
    let grant = match (refusal, order.as_ref().and_then(|order| catalog.get(order.item()))) {
        (None, Some(item)) => catalog.grants(item),
        _ => Grant::default(),
    };
    if refusal.is_some() {
        // Before recording it as awaiting a refund, so a crash in between still gets it refunded.
        refunds::queue_retry(shop, holder, charge).await?;
    }
    let record = shop.store.record_payment_from(holder, gift_from, charge, &item_id, qty, amount, &grant, refusal, now);
    // A paying player of the day, counted beside the grant (in its own slot, idempotent: a
    // replay after a crash anywhere here counts them again, once).
    let recorded = if refusal.is_none() {
        let (recorded, ()) = tokio::try_join!(record, shop.store.count_payer(Day::of(now), payer))?;
        recorded
    } else {
        record.await?
    };
    if gift_from.is_some() {
        // Whatever was recorded (a replay redoes it): the giver's index of gifts given.
        shop.store.note_gift_given(payer, charge, holder).await?;
    }
    if let Recorded::Granted(state) = recorded {
        // Before the receipt: a command the player sends on seeing it must find the item in
        // this process's World.
        shop.game.granted(holder, *state);
    } else if recorded == Recorded::Repeat {
        metrics::counter!("starmine_payments_total", "outcome" => "duplicate").increment(1);
        tracing::info!(user = %payer, %charge, "payment already handled");
        return Ok(Processed::Duplicate);
    }
    let outcome = if refusal.is_none() { "granted" } else { "unfulfillable" };
    metrics::counter!("starmine_payments_total", "outcome" => outcome).increment(1);
    metrics::counter!("starmine_stars_received_total").increment(u64::from(amount));
    // The payer's stored language (reconcile repairs have no update to read it from).
    let lang = shop.lang_of(payer).await;
    let name = catalog.name_in(lang, &item_id).to_owned();
    let Some(refusal) = refusal else {
        tracing::info!(user = %payer, %charge, item = %item_id, amount, "payment granted");
        if gift_from.is_some() {
            let item = order.as_ref().and_then(|order| catalog.get(order.item()));
            return gifted(shop, &catalog, payer, holder, (&item_id, item), amount, &grant, charge).await;
        }
        let granted = texts::grant_phrase(lang, &catalog, &grant_units(&grant));
        let next = order.as_ref().and_then(|order| catalog.get(order.item())).map(|item| texts::next_step(lang, item));
        return Ok(Processed::Granted {
            receipt: texts::receipt(lang, &name, amount, &granted, &next.unwrap_or_default(), charge.as_str()),
        });
    };
    tracing::warn!(user = %payer, %charge, item = %item_id, reason = refusal.code(), "payment cannot be honoured; refunding");
    let outcome = refunds::refund(shop, payer, charge, RefundBy::Automatic).await?;
    let notices = vec![
        texts::auto_refund(lang, &name, amount, refusal),
        refunds::outcome_text(shop, lang, charge, &outcome, false),
    ];
    Ok(Processed::Refunded { notices })
}

/// The texts of a gift granted to `recipient`: the giver's receipt and the recipient's message,
/// each in the reader's language.
#[allow(clippy::too_many_arguments)]
async fn gifted(
    shop: &Shop,
    catalog: &crate::domain::Catalog,
    payer: PlayerId,
    recipient: PlayerId,
    (item_id, item): (&str, Option<&crate::domain::Item>),
    amount: u32,
    grant: &Grant,
    charge: &ChargeId,
) -> Result<Processed, crate::store::StoreError> {
    let (payer_lang, recipient_lang) = (shop.lang_of(payer).await, shop.lang_of(recipient).await);
    let giver = super::gifts::display_name(&shop.store, payer).await?;
    let recipient_name = super::gifts::display_name(&shop.store, recipient).await?;
    tracing::info!(user = %payer, %recipient, %charge, item = %item_id, amount, "gift granted");
    let granted = texts::grant_phrase(recipient_lang, catalog, &grant_units(grant));
    let next = item.map(|item| texts::next_step(recipient_lang, item)).unwrap_or_default();
    let received_name = catalog.name_in(recipient_lang, item_id);
    Ok(Processed::Gifted {
        receipt: texts::gift_receipt(
            payer_lang,
            catalog.name_in(payer_lang, item_id),
            amount,
            &recipient_name,
            charge.as_str(),
        ),
        recipient,
        notice: texts::gift_received(recipient_lang, &giver, received_name, &granted, &next),
    })
}

/// A second claim of a charge id: refused, logged at error, counted.
pub(super) fn foreign(
    payer: PlayerId,
    charge: &ChargeId,
    payload: &str,
    first: Option<PlayerId>,
    first_payload: &str,
) -> Processed {
    metrics::counter!("starmine_payments_total", "outcome" => "foreign_claim").increment(1);
    tracing::error!(
        user = %payer,
        %charge,
        payload = %texts::shorten(payload, 64),
        first_payer = %first.map_or_else(|| "?".to_owned(), |first| first.to_string()),
        first_payload = %texts::shorten(first_payload, 64),
        "a payment claimed by someone other than its order's buyer or its charge id's first claim: refused, nothing granted"
    );
    Processed::Foreign { first: first.filter(|first| *first != payer) }
}

/// Grants once per charge id; a payment that cannot be honoured is refunded automatically.
/// The update leaves the journal once the payment is recorded (see `intake`).
pub async fn on_successful_payment(
    bot: TgBot,
    shop: Shop,
    update: Update,
    message: Message,
    payment: SuccessfulPayment,
) -> HandlerResult {
    let processed = match message.from.as_ref() {
        None => None,
        Some(user) => {
            let payer = player_of(user);
            match ChargeId::parse(&payment.telegram_payment_charge_id.0) {
                Err(_) => {
                    tracing::error!(user = %payer, "successful_payment with an unusable charge id");
                    None
                }
                Ok(charge) => {
                    crate::failpoint::stall("payment_handler").await;
                    let paid = Paid {
                        payer,
                        charge: &charge,
                        payload: &payment.invoice_payload,
                        currency: &payment.currency,
                        amount: payment.total_amount,
                        recurring: payment.is_recurring.then(|| Recurring {
                            paid_until_ms: payment.subscription_expiration_date.map(|at| at.timestamp_millis()),
                            first: payment.is_first_recurring,
                        }),
                    };
                    Some(process_payment(&shop, paid).await?)
                }
            }
        }
    };
    finished(&shop, &update).await;
    match processed {
        Some(processed) => tell(&bot, message.chat.id, processed).await,
        None => Ok(()),
    }
}

/// A journaled update's handler is done with it. A failure here only means a harmless replay.
async fn finished(shop: &Shop, update: &Update) {
    if let Err(error) = shop.store.journal_done(i64::from(update.id.0)).await {
        tracing::warn!(%error, update_id = update.id.0, "could not clear a handled update from the journal");
    }
}

/// Sends what processing a payment has to say to the player, then to a gift's recipient (whose
/// chat failing, say they blocked the bot, costs the giver nothing: logged).
pub async fn tell(bot: &TgBot, chat: ChatId, processed: Processed) -> HandlerResult {
    let (texts, gift) = match processed {
        Processed::Duplicate | Processed::Foreign { .. } => (Vec::new(), None),
        Processed::Granted { receipt } => (vec![receipt], None),
        Processed::Gifted { receipt, recipient, notice } => (vec![receipt], Some((recipient, notice))),
        Processed::Refunded { notices } => (notices, None),
    };
    for text in texts {
        bot.send_message(chat, text).await?;
    }
    if let Some((recipient, notice)) = gift {
        if let Err(error) = bot.send_message(ChatId(recipient.0 as i64), notice).notice().await {
            tracing::warn!(%recipient, %error, "could not tell a gift's recipient");
        }
    }
    Ok(())
}

/// A refund Telegram made (a dispute) or the echo of one we made: revoke once either way.
pub async fn on_refunded_payment(
    bot: TgBot,
    shop: Shop,
    update: Update,
    message: Message,
    refund: RefundedPayment,
) -> HandlerResult {
    let player = match message.from.as_ref() {
        Some(user) if !user.is_bot => player_of(user),
        _ => PlayerId(message.chat.id.0.max(0) as u64),
    };
    let Ok(charge) = ChargeId::parse(&refund.telegram_payment_charge_id.0) else {
        tracing::error!(user = %player, "refunded_payment with an unusable charge id");
        finished(&shop, &update).await;
        return Ok(());
    };
    let outcome = refunds::settle_external(&shop, player, &charge).await?;
    finished(&shop, &update).await;
    if let Outcome::Refunded { .. } = outcome {
        refunds::tell_player(&bot, &shop, player, &charge, &outcome, true).await?;
    }
    Ok(())
}
