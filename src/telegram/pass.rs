//! The Miner's Pass in chat: `/pass` (status, perks, renewal date; subscribe through an invoice
//! link with `subscription_period`; stop renewals and turn them back on), the pass's
//! pre-checkout, and each paid period (`process_period`), granted once per charge id through the
//! same journal, verification and reconciliation as every payment.

use teloxide::payloads::setters::*;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, LabeledPrice, Seconds, TelegramTransactionId};

use super::keyboard::{button, keyboard};
use super::payments::{foreign, Paid, Processed};
use super::{texts, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::pass::{END_NOTICE_GRACE_MS, PERIOD_SECONDS};
use crate::domain::sales::Day;
use crate::domain::{Catalog, ChargeId, Item, ItemId, PassPayload, PassState, Refusal, UserId as PlayerId};
use crate::i18n::Lang;
use crate::store::{ChargeClaim, DailyGems, PassPeriod, Recorded, StoreError};

/// The callback action of the Stop renewals button: `pstop:<pass>`.
pub const STOP: &str = "pstop";
/// The callback action of the Turn renewals back on button: `pon:<pass>`.
pub const RESUME: &str = "pon";
/// The callback action of the Claim gems button: `pgem:<pass>`.
pub const CLAIM: &str = "pgem";

const PERIOD_MS: i64 = PERIOD_SECONDS as i64 * 1000;

/// Pre-checkout of a pass's first payment: the pass is on sale at this price in Stars, and the
/// payer has no pass running that Telegram still renews (a second subscription would charge
/// twice for one pass).
pub async fn precheckout(
    shop: &Shop,
    pass: Option<&ItemId>,
    payer: PlayerId,
    currency: &str,
    amount: u32,
) -> Result<Result<(), Refusal>, StoreError> {
    let catalog = shop.catalog.current();
    let Some(item) = pass.and_then(|pass| catalog.get(pass)).filter(|item| item.pass_perks().is_some()) else {
        return Ok(Err(Refusal::ItemGone));
    };
    if !item.on_sale() {
        return Ok(Err(Refusal::Retired));
    }
    if currency != "XTR" || amount != item.price.get() {
        return Ok(Err(Refusal::AmountMismatch));
    }
    let state = shop.store.pass_state(payer, &item.id).await?;
    if state.active(now_ms()) && !state.stopped_by_bot {
        return Ok(Err(Refusal::AlreadyOwned));
    }
    Ok(Ok(()))
}

/// One paid period of a pass, exactly once per charge id: awaiting the Star ledger's word,
/// the charge claimed for this payer and payload, the item side counted, the player's pass run
/// to the period's end. A renewal (same payload, new charge id, no pre-checkout) takes the same
/// path as the first payment; a pass no longer on sale, or gone from the catalog, is honoured
/// for the period paid.
pub async fn process_period(shop: &Shop, paid: Paid<'_>, payload: &PassPayload) -> Result<Processed, StoreError> {
    let Paid { payer, charge, payload: raw, amount, recurring, .. } = paid;
    let now = now_ms();
    shop.store.await_verification(payer, charge, now).await?;
    if let ChargeClaim::Foreign { payer: first, payload: first_payload } =
        shop.store.claim_charge(charge, payer, raw).await?
    {
        return Ok(foreign(payer, charge, raw, first, &first_payload));
    }
    let period = PassPeriod {
        payer,
        pass: payload.pass(),
        charge,
        amount,
        paid_until: recurring.and_then(|r| r.paid_until_ms).unwrap_or(now + PERIOD_MS),
        first: recurring.is_some_and(|r| r.first),
    };
    if let Some(first) = shop.store.confirm_pass(period, now).await? {
        return Ok(foreign(payer, charge, raw, Some(first), ""));
    }
    // The "your pass ended" notice waits in the durable due-time index (`game::due`), which
    // finds the pass renewed if it was by then. Noted first, so a replay notes it again.
    shop.store.schedule_timer(payer, period.paid_until.saturating_add(END_NOTICE_GRACE_MS)).await?;
    let (recorded, ()) =
        tokio::try_join!(shop.store.record_pass_period(period, now), shop.store.count_payer(Day::of(now), payer))?;
    match recorded {
        Recorded::Granted(state) => shop.game.granted(payer, *state),
        Recorded::Repeat | Recorded::AwaitingRefund => {
            metrics::counter!("starmine_payments_total", "outcome" => "duplicate").increment(1);
            tracing::info!(user = %payer, %charge, "pass payment already handled");
            return Ok(Processed::Duplicate);
        }
    }
    metrics::counter!("starmine_payments_total", "outcome" => "granted").increment(1);
    metrics::counter!("starmine_stars_received_total").increment(u64::from(amount));
    tracing::info!(user = %payer, %charge, pass = %payload.pass(), amount, until = period.paid_until, first = period.first, "pass period granted");
    let lang = shop.lang_of(payer).await;
    let catalog = shop.catalog.current();
    let receipt = match catalog.get(payload.pass()) {
        Some(item) if period.first => texts::pass_started(lang, item, amount, period.paid_until, charge.as_str()),
        _ => {
            let name = catalog.name_in(lang, payload.pass().as_str());
            texts::pass_renewed(lang, name, amount, period.paid_until, charge.as_str())
        }
    };
    Ok(Processed::Granted { receipt })
}

/// The pass `/pass` is about: the first pass of the catalog the player ever paid for (a retired
/// one included: it runs to its end), else the first on sale.
async fn pass_of<'a>(
    shop: &Shop,
    catalog: &'a Catalog,
    player: PlayerId,
) -> Result<Option<(&'a Item, PassState)>, StoreError> {
    let passes = catalog.items().iter().filter(|item| item.pass_perks().is_some());
    for item in passes.clone() {
        let state = shop.store.pass_state(player, &item.id).await?;
        if !state.first_charge.is_empty() && (state.active(now_ms()) || item.on_sale()) {
            return Ok(Some((item, state)));
        }
    }
    Ok(catalog.passes().next().map(|item| (item, PassState::default())))
}

/// `/pass`: a running pass's status, perks and renewal date with the button that stops or
/// resumes its renewals; otherwise the offer with a Subscribe button (an invoice link).
pub async fn show(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let catalog = shop.catalog.current();
    let now = now_ms();
    let Some((item, state)) = pass_of(&shop, &catalog, player).await? else {
        bot.send_message(chat, texts::pass_off_sale(lang)).await?;
        return Ok(());
    };
    if state.active(now) {
        let renews = !state.stopped_by_bot;
        let control = match renews {
            true => button(texts::pass_stop_button(lang), format!("{STOP}:{}", item.id)),
            false => button(texts::pass_resume_button(lang), format!("{RESUME}:{}", item.id)),
        };
        let daily = item.pass_perks().map_or(0, |perks| perks.daily_gems);
        let claim = (daily > 0).then(|| button(texts::pass_claim_button(lang, daily), format!("{CLAIM}:{}", item.id)));
        bot.send_message(chat, texts::pass_status(lang, item, state.expires_at, renews))
            .reply_markup(keyboard(claim.into_iter().chain([control])))
            .await?;
        return Ok(());
    }
    let mut text = texts::pass_offer(lang, item);
    if state.expires_at > 0 {
        text = format!("{}\n\n{text}", texts::pass_ended(lang, item, state.expires_at));
    }
    if !item.on_sale() {
        bot.send_message(chat, texts::pass_off_sale(lang)).await?;
        return Ok(());
    }
    let link = invoice_link(&shop, lang, item).await?;
    let subscribe = InlineKeyboardButton::url(texts::pass_subscribe_button(lang, item), link);
    bot.send_message(chat, text).reply_markup(keyboard([subscribe])).await?;
    Ok(())
}

/// A subscription invoice link for `pass` in the player's language: Telegram's only period
/// (`subscription_period` 2592000 s), the pass's price in Stars, a fresh `sub.<pass>.<token>`.
async fn invoice_link(shop: &Shop, lang: Lang, pass: &Item) -> Result<reqwest::Url, super::HandlerError> {
    let payload = PassPayload::new(pass.id.clone(), crate::store::pass_token());
    let (name, description) = (pass.name_in(lang), pass.description_in(lang));
    let link = shop
        .raw_bot
        .create_invoice_link(name, description, payload.to_string(), "XTR", [LabeledPrice::new(name, pass.price.get())])
        .subscription_period(Seconds::from_seconds(PERIOD_SECONDS))
        .await?;
    metrics::counter!("starmine_invoices_total").increment(1);
    Ok(link.parse()?)
}

/// Stop renewals (`pstop`) or turn them back on (`pon`): `editUserStarSubscription` on the
/// subscription's charge ([`PassState::subscription_charge`]). The bot turns back on only what
/// it stopped: a cancellation the player made in Telegram is invisible to it.
pub async fn pressed(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    action: &str,
    arg: &str,
) -> HandlerResult {
    let catalog = shop.catalog.current();
    let Some(item) = catalog.find(arg).filter(|item| item.pass_perks().is_some()) else {
        return Ok(());
    };
    let state = shop.store.pass_state(player, &item.id).await?;
    let stop = action == STOP;
    if !state.active(now_ms()) || state.first_charge.is_empty() {
        return show(bot, shop, lang, chat, player).await;
    }
    if !stop && !state.stopped_by_bot {
        bot.send_message(chat, texts::pass_not_stopped_by_bot(lang)).await?;
        return Ok(());
    }
    let charge = TelegramTransactionId(state.subscription_charge().to_owned());
    match shop.raw_bot.edit_user_star_subscription(UserId(player.0), charge, stop).await {
        Ok(_) => {
            shop.store.set_pass_stopped_by_bot(player, &item.id, stop).await?;
            let text = match stop {
                true => texts::pass_stopped_now(lang, state.expires_at),
                false => texts::pass_resumed(lang, state.expires_at),
            };
            bot.send_message(chat, text).await?;
        }
        Err(error) => {
            tracing::warn!(%error, user = %player, stop, "editUserStarSubscription refused");
            let text = match stop {
                false => texts::pass_not_stopped_by_bot(lang),
                true => texts::pass_edit_refused(lang, &error.to_string()),
            };
            bot.send_message(chat, text).await?;
        }
    }
    Ok(())
}

/// A refunded pass period ends at once (`begin_refund.lua`); refunding the FIRST payment also
/// stops the subscription's renewals (`editUserStarSubscription`, noted as stopped by the bot).
/// Telegram refusing (the subscription ended already) changes nothing of ours.
pub async fn stop_if_first_refunded(shop: &Shop, user: PlayerId, charge: &ChargeId) -> Result<(), StoreError> {
    let Some(record) = shop.store.payment(user, charge).await? else { return Ok(()) };
    let (true, Ok(pass)) = (record.pass_period.is_some(), ItemId::parse(&record.item)) else { return Ok(()) };
    let state = shop.store.pass_state(user, &pass).await?;
    if state.first_charge != charge.as_str() || state.stopped_by_bot {
        return Ok(());
    }
    let subscription = TelegramTransactionId(state.subscription_charge().to_owned());
    if let Err(error) = shop.raw_bot.edit_user_star_subscription(UserId(user.0), subscription, true).await {
        tracing::warn!(%error, %user, %charge, "refunded the first payment; stopping renewals was refused");
    }
    tracing::info!(%user, %charge, pass = %pass, "the first payment refunded: renewals stopped");
    shop.store.set_pass_stopped_by_bot(user, &pass, true).await
}

/// The Claim gems button: a running pass's gems of the day, once per UTC day.
pub async fn claim_gems(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    arg: &str,
) -> HandlerResult {
    let catalog = shop.catalog.current();
    let Some((item, perks)) = catalog.find(arg).and_then(|item| Some((item, item.pass_perks()?))) else {
        return Ok(());
    };
    let now = now_ms();
    let day = crate::domain::game::utc_day(now);
    let text = match shop.store.claim_pass_gems(player, &item.id, perks.daily_gems, day, now).await? {
        DailyGems::Claimed { gems } => texts::pass_gems_claimed(lang, perks.daily_gems, gems),
        DailyGems::Already => texts::pass_gems_already(lang),
        DailyGems::Ended => texts::pass_gems_ended(lang),
    };
    bot.send_message(chat, text).await?;
    Ok(())
}
