//! `/buy`, Buy buttons and `/inventory`: orders and invoices. A typed `/buy` answers in the chat
//! (with the closest real items when the id is unknown); a Buy button that cannot sell answers
//! with a toast and leaves the chat as it is. The shop's pages are in `shop_pages`.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, LabeledPrice};

use super::keyboard::{button, keyboard};
use super::{texts, HandlerError, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::suggest::closest;
use crate::domain::{Item, UserId as PlayerId};
use crate::i18n::Lang;
use crate::store::OrderOffer;

/// `/buy` calls one player may make per minute for one item before being asked to slow down
/// (at least 10 must always be served); counted by `create_order.lua` in the item's slot.
pub const BUYS_PER_MINUTE: u32 = 20;

/// What a purchase request came to, before anything is sent.
enum Attempt<'a> {
    Invoice,
    SlowDown,
    Unknown,
    Refused(&'a Item, crate::domain::Refusal),
}

/// `/buy <item>`: the invoice, or why not.
pub async fn buy(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId, raw_item: &str) -> HandlerResult {
    let catalog = shop.catalog.current();
    match attempt(&bot, &shop, lang, &catalog, chat, player, raw_item).await? {
        Attempt::Invoice => {}
        Attempt::SlowDown => {
            bot.send_message(chat, texts::slow_down(lang)).await?;
        }
        Attempt::Unknown => {
            let suggestions = closest(raw_item, catalog.on_sale());
            let buttons =
                suggestions.iter().map(|item| button(texts::price_button(lang, item), format!("buy:{}", item.id)));
            bot.send_message(chat, texts::unknown_item(lang, raw_item, "buy", &suggestions))
                .reply_markup(keyboard(buttons))
                .await?;
        }
        Attempt::Refused(item, refusal) => {
            bot.send_message(chat, texts::cannot_buy(lang, item, refusal)).await?;
        }
    }
    Ok(())
}

/// A Buy button: the invoice, or a toast saying why not (an item no longer sold, sold out,
/// owned...), so an old button never adds a message that changes nothing.
pub async fn on_buy_pressed(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    raw_item: &str,
) -> Result<Option<String>, HandlerError> {
    let catalog = shop.catalog.current();
    let toast = match attempt(&bot, &shop, lang, &catalog, chat, player, raw_item).await? {
        Attempt::Invoice => None,
        Attempt::SlowDown => Some(texts::slow_down(lang)),
        Attempt::Unknown => Some(texts::not_for_sale(lang, raw_item)),
        Attempt::Refused(item, refusal) => Some(texts::cannot_buy(lang, item, refusal)),
    };
    Ok(toast)
}

/// `/buy` with no item: how, with a real item as the example.
pub async fn buy_usage(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId) -> HandlerResult {
    let catalog = shop.catalog.current();
    bot.send_message(chat, texts::buy_usage(lang, catalog.on_sale().next())).await?;
    Ok(())
}

/// Lookup, then the order (with the rate limit); sends the invoice when the order is payable.
async fn attempt<'a>(
    bot: &TgBot,
    shop: &Shop,
    lang: Lang,
    catalog: &'a crate::domain::Catalog,
    chat: ChatId,
    player: PlayerId,
    raw_item: &str,
) -> Result<Attempt<'a>, HandlerError> {
    let Some(item) = catalog.find(raw_item) else {
        return Ok(Attempt::Unknown);
    };
    if item.pass_perks().is_some() {
        // A pass is a subscription: `/pass` offers it with its own invoice link.
        super::pass::show(bot.clone(), shop.clone(), lang, chat, player).await?;
        return Ok(Attempt::Invoice);
    }
    let settings = &catalog.settings;
    match shop.store.create_order(item, player, &catalog.version, settings, Some(BUYS_PER_MINUTE), now_ms()).await? {
        OrderOffer::SlowDown => Ok(Attempt::SlowDown),
        OrderOffer::Refused(refusal) => Ok(Attempt::Refused(item, refusal)),
        OrderOffer::Payable { order, amount, reopened, .. } => {
            tracing::debug!(user = %player, item = %item.id, order = %order, amount, reopened, "invoice sent");
            metrics::counter!("starmine_invoices_total").increment(1);
            send_invoice(bot, lang, chat, item, &order.to_string(), amount).await?;
            Ok(Attempt::Invoice)
        }
    }
}

/// The invoice in the player's language: the item's name is its title and price label, its
/// description the description (`check-data` keeps both within Telegram's limits in every language).
async fn send_invoice(bot: &TgBot, lang: Lang, chat: ChatId, item: &Item, payload: &str, amount: u32) -> HandlerResult {
    let (name, description) = (item.name_in(lang), item.description_in(lang));
    let price = LabeledPrice::new(name, amount);
    bot.send_invoice(chat, name, description, payload, "XTR", [price]).await?;
    Ok(())
}

pub async fn show_inventory(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let inventory = shop.store.inventory(player).await?;
    if inventory.is_empty() {
        bot.send_message(chat, texts::inventory_empty(lang)).await?;
        return Ok(());
    }
    let catalog = shop.catalog.current();
    let buttons: InlineKeyboardMarkup = keyboard(super::game::usable(lang, &catalog, &inventory));
    bot.send_message(chat, texts::inventory(lang, &catalog, &inventory)).reply_markup(buttons).await?;
    Ok(())
}
