//! `/refund` in the chat: the list of a player's recent purchases — the ones the refund policy
//! would refund, with Refund buttons, and the others with the reason — the confirmation, and
//! admin refunds. [`review`] is shared with the sandbox panel, so both list what the policy says.
//! The list holds the player's own purchases and the gifts they gave (judged on what each
//! recipient holds), never the gifts they received: only a gift's payer may refund it.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::refunds::{outcome_text, policy, refund, tell_player, Outcome};
use super::{texts, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::{Catalog, ChargeId, NotRefundable, RefundBy, UserId as PlayerId};
use crate::i18n::Lang;
use crate::store::{PaymentRecord, PaymentStatus, Store, StoreError};

/// How many of the newest payments the list looks at, and how many lines of each kind it shows.
const RECENT_PAYMENTS: usize = 50;
const LIST_LINES: usize = 10;

/// A recent paid purchase and what the refund policy says of it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewed {
    pub record: PaymentRecord,
    pub verdict: Result<(), NotRefundable>,
    /// A gift's recipient, whose slot keeps the record and whose holdings the policy judged.
    pub recipient: Option<PlayerId>,
}

impl Reviewed {
    /// What a refund takes back (`5 Energy Refills and 200 gems`).
    pub fn takes_back(&self, lang: Lang, catalog: &Catalog) -> String {
        texts::grant_phrase(lang, catalog, &self.record.grants)
    }

    /// Why it can't be refunded (`Dynamite — started, can't be refunded`); None when it can.
    pub fn refusal(&self, lang: Lang, catalog: &Catalog) -> Option<String> {
        let reason = self.verdict.as_ref().err()?;
        Some(texts::not_refundable(lang, catalog, &self.record.item, reason, catalog.settings.refund_window))
    }
}

/// The player's paid purchases and the gifts they gave still inside the refund window, newest
/// first, each with the refund [`policy`]'s verdict on what its holder holds now (older ones are
/// left out; gifts received are not the player's to refund).
pub async fn review(
    store: &Store,
    catalog: &Catalog,
    player: PlayerId,
    now_ms: i64,
) -> Result<Vec<Reviewed>, StoreError> {
    let holdings = store.holdings(player).await?;
    let payments = store.payments(player, Some(RECENT_PAYMENTS)).await?;
    let mut reviewed: Vec<Reviewed> = payments
        .into_iter()
        .filter(|record| record.status == PaymentStatus::Paid && record.payer.is_none())
        .map(|record| {
            let verdict = policy(catalog, &record, &holdings, now_ms);
            Reviewed { record, verdict, recipient: None }
        })
        .collect();
    reviewed.extend(review_gifts_given(store, catalog, player, now_ms).await?);
    reviewed.sort_by_key(|reviewed| std::cmp::Reverse(reviewed.record.paid_at_ms));
    reviewed.retain(|reviewed| reviewed.verdict != Err(NotRefundable::WindowClosed));
    Ok(reviewed)
}

/// The paid gifts `player` gave, each judged on its recipient's holdings now.
async fn review_gifts_given(
    store: &Store,
    catalog: &Catalog,
    player: PlayerId,
    now_ms: i64,
) -> Result<Vec<Reviewed>, StoreError> {
    let mut reviewed = Vec::new();
    for (charge, recipient) in store.gifts_given(player).await? {
        let Some(record) = store.payment(recipient, &charge).await? else { continue };
        if record.status != PaymentStatus::Paid {
            continue;
        }
        let holdings = store.holdings(recipient).await?;
        let verdict = policy(catalog, &record, &holdings, now_ms);
        reviewed.push(Reviewed { record, verdict, recipient: Some(recipient) });
    }
    Ok(reviewed)
}

/// `/refund`, `/refund <charge>`, and for admins `/refund <user> <charge>`.
pub async fn on_refund_command(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    args: &str,
) -> HandlerResult {
    let parts: Vec<&str> = args.split_whitespace().collect();
    match parts.as_slice() {
        [] => list_refundable(bot, shop, lang, chat, player).await,
        [charge] => {
            let Ok(charge) = ChargeId::parse(charge) else {
                bot.send_message(chat, texts::unknown_charge(lang)).await?;
                return Ok(());
            };
            let outcome = refund(&shop, player, &charge, RefundBy::Player).await?;
            bot.send_message(chat, outcome_text(&shop, lang, &charge, &outcome, false)).await?;
            tell_recipient(&bot, &shop, player, &charge, &outcome).await
        }
        [user, charge] => {
            if !shop.is_admin(player) {
                bot.send_message(chat, texts::not_admin(lang)).await?;
                return Ok(());
            }
            let (Ok(user), Ok(charge)) = (user.parse::<u64>(), ChargeId::parse(charge)) else {
                bot.send_message(chat, texts::refund_usage(lang)).await?;
                return Ok(());
            };
            let user = PlayerId(user);
            tracing::info!(admin = %player, %user, %charge, "admin refund requested in chat");
            let outcome = refund(&shop, user, &charge, RefundBy::Admin).await?;
            let text = outcome_text(&shop, lang, &charge, &outcome, false);
            bot.send_message(chat, format!("Admin refund of {charge} for user {user}:\n{text}")).await?;
            if user != player && matches!(outcome, Outcome::Refunded { .. } | Outcome::Pending { .. }) {
                tell_player(&bot, &shop, user, &charge, &outcome, false).await?;
            }
            Ok(())
        }
        _ => {
            bot.send_message(chat, texts::refund_usage(lang)).await?;
            Ok(())
        }
    }
}

async fn list_refundable(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let catalog = shop.catalog.current();
    let reviewed = review(&shop.store, &catalog, player, now_ms()).await?;
    let (refundable, blocked): (Vec<&Reviewed>, Vec<&Reviewed>) =
        reviewed.iter().partition(|reviewed| reviewed.verdict.is_ok());
    let mut lines = Vec::new();
    let mut buttons = Vec::new();
    for reviewed in refundable.iter().take(LIST_LINES) {
        let payment = &reviewed.record;
        let name = match reviewed.recipient {
            Some(recipient) => {
                let to = super::gifts::display_name(&shop.store, recipient).await?;
                texts::gift_for(lang, catalog.name_in(lang, &payment.item), &to)
            }
            None => catalog.name_in(lang, &payment.item).to_owned(),
        };
        let name = name.as_str();
        let takes_back = reviewed.takes_back(lang, &catalog);
        lines.push(texts::refund_line(lang, name, payment.amount, &takes_back, &payment.charge));
        let label = texts::refund_button(lang, name, payment.amount);
        buttons.push([InlineKeyboardButton::callback(label, format!("rf:{}", payment.paid_at_ms))]);
    }
    let blocked: Vec<String> =
        blocked.iter().take(LIST_LINES).filter_map(|reviewed| reviewed.refusal(lang, &catalog)).collect();
    let message = bot.send_message(chat, texts::refund_list(lang, &lines, &blocked));
    if buttons.is_empty() {
        message.await?;
    } else {
        message.reply_markup(InlineKeyboardMarkup::new(buttons)).await?;
    }
    Ok(())
}

/// The charge a Refund button (`rf:<paid at>`) means: the player's own purchase paid then, else
/// a gift they gave that was paid then.
async fn charge_from_button(shop: &Shop, player: PlayerId, arg: &str) -> Result<Option<ChargeId>, StoreError> {
    let Ok(paid_at) = arg.parse::<i64>() else {
        return Ok(None);
    };
    if let Some(charge) = shop.store.charge_paid_at(player, paid_at).await? {
        return Ok(Some(charge));
    }
    for (charge, recipient) in shop.store.gifts_given(player).await? {
        if shop.store.charge_paid_at(recipient, paid_at).await?.as_ref() == Some(&charge) {
            return Ok(Some(charge));
        }
    }
    Ok(None)
}

/// A Refund button: ask before refunding, naming what it takes back — or, when the policy no
/// longer allows it (something was used since the list), say why instead of asking.
pub async fn ask_confirmation(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    arg: &str,
) -> HandlerResult {
    let Some(charge) = charge_from_button(&shop, player, arg).await? else {
        bot.send_message(chat, texts::unknown_charge(lang)).await?;
        return Ok(());
    };
    let holder = shop.store.holder_of(player, &charge).await?;
    let Some(payment) = shop.store.payment(holder, &charge).await? else {
        return Ok(());
    };
    if payment.payer.unwrap_or(holder) != player {
        bot.send_message(chat, texts::gift_refund_not_yours(lang)).await?;
        return Ok(());
    }
    let catalog = shop.catalog.current();
    let name = catalog.name_in(lang, &payment.item).to_owned();
    let text = match payment.status {
        PaymentStatus::Refunded => texts::already_refunded(lang),
        PaymentStatus::Voided => texts::voided_charge(lang),
        PaymentStatus::RefundPending => texts::refund_pending(lang, &name, payment.amount),
        PaymentStatus::Paid => {
            let holdings = shop.store.holdings(holder).await?;
            match policy(&catalog, &payment, &holdings, now_ms()) {
                Err(reason) => texts::refund_refused(
                    lang,
                    &texts::not_refundable(lang, &catalog, &payment.item, &reason, catalog.settings.refund_window),
                ),
                Ok(()) => {
                    let buttons = [[
                        InlineKeyboardButton::callback(texts::refund_yes(lang), format!("rfy:{arg}")),
                        InlineKeyboardButton::callback(texts::refund_no(lang), "rfn"),
                    ]];
                    let takes_back = texts::grant_phrase(lang, &catalog, &payment.grants);
                    bot.send_message(chat, texts::refund_confirm(lang, &name, payment.amount, &takes_back))
                        .reply_markup(InlineKeyboardMarkup::new(buttons))
                        .await?;
                    return Ok(());
                }
            }
        }
    };
    bot.send_message(chat, text).await?;
    Ok(())
}

pub async fn confirmed(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId, arg: &str) -> HandlerResult {
    let Some(charge) = charge_from_button(&shop, player, arg).await? else {
        bot.send_message(chat, texts::unknown_charge(lang)).await?;
        return Ok(());
    };
    let outcome = refund(&shop, player, &charge, RefundBy::Player).await?;
    bot.send_message(chat, outcome_text(&shop, lang, &charge, &outcome, false)).await?;
    tell_recipient(&bot, &shop, player, &charge, &outcome).await
}

/// When the payer had a gift refunded, its recipient hears what was taken back.
async fn tell_recipient(
    bot: &TgBot,
    shop: &Shop,
    payer: PlayerId,
    charge: &ChargeId,
    outcome: &Outcome,
) -> HandlerResult {
    let Outcome::Refunded { item, revoked, .. } = outcome else { return Ok(()) };
    let recipient = shop.store.holder_of(payer, charge).await?;
    if recipient == payer {
        return Ok(());
    }
    let lang = shop.lang_of(recipient).await;
    let catalog = shop.catalog.current();
    let giver = super::gifts::display_name(&shop.store, payer).await?;
    let taken = texts::grant_phrase(lang, &catalog, revoked);
    let text = texts::gift_revoked(lang, &giver, catalog.name_in(lang, item), &taken);
    bot.send_message(ChatId(recipient.0 as i64), text).notice().await?;
    Ok(())
}
