//! `/shop`, `/buy` and `/inventory`: offers, orders and invoices.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice};

use super::{texts, HandlerResult, Shop, TgBot};
use crate::app::now_ms;
use crate::domain::{Item, UserId as PlayerId};
use crate::store::OrderOffer;

/// `/buy` calls one player may make per minute before being asked to slow down (at least 10
/// must always be served).
pub const BUYS_PER_MINUTE: u32 = 20;

/// `/shop`: every item with its price, stock left and, for this player, whether they can buy
/// one (a Buy button) or why not.
pub async fn show_shop(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId) -> HandlerResult {
    let catalog = shop.catalog.current();
    if catalog.items().is_empty() {
        bot.send_message(chat, texts::SHOP_EMPTY).await?;
        return Ok(());
    }
    let now = now_ms();
    let mut lines = vec![texts::shop_header().to_owned()];
    let mut buttons = Vec::new();
    for item in catalog.items() {
        let availability = shop.store.availability(item, player, now).await?;
        lines.push(texts::shop_line(item, availability));
        if availability.refusal.is_none() {
            buttons.push([InlineKeyboardButton::callback(texts::buy_button(item), format!("buy:{}", item.id))]);
        }
    }
    bot.send_message(chat, lines.join("\n")).reply_markup(InlineKeyboardMarkup::new(buttons)).await?;
    Ok(())
}

/// `/buy <item>` and Buy buttons: refuse at once what cannot be sold, else send the invoice.
pub async fn buy(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId, raw_item: &str) -> HandlerResult {
    let now = now_ms();
    if !shop.store.allow_buy(player, BUYS_PER_MINUTE, now).await? {
        bot.send_message(chat, texts::SLOW_DOWN).await?;
        return Ok(());
    }
    let catalog = shop.catalog.current();
    let Some(item) = catalog.find(raw_item) else {
        bot.send_message(chat, texts::unknown_item(raw_item)).await?;
        return Ok(());
    };
    match shop.store.create_order(item, player, &catalog.version, &catalog.settings, now).await? {
        OrderOffer::Refused(refusal) => {
            bot.send_message(chat, texts::cannot_buy(item, refusal)).await?;
        }
        OrderOffer::Payable { order, amount, reopened, .. } => {
            tracing::info!(user = %player, item = %item.id, order = %order, amount, reopened, "invoice sent");
            metrics::counter!("starmine_invoices_total").increment(1);
            send_invoice(&bot, chat, item, &order.to_string(), amount).await?;
        }
    }
    Ok(())
}

async fn send_invoice(bot: &TgBot, chat: ChatId, item: &Item, payload: &str, amount: u32) -> HandlerResult {
    let price = LabeledPrice::new(item.name.clone(), amount);
    bot.send_invoice(chat, item.name.clone(), item.description.clone(), payload, "XTR", [price]).await?;
    Ok(())
}

pub async fn show_inventory(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId) -> HandlerResult {
    let inventory = shop.store.inventory(player).await?;
    if inventory.is_empty() {
        bot.send_message(chat, texts::INVENTORY_EMPTY).await?;
        return Ok(());
    }
    let catalog = shop.catalog.current();
    let lines: Vec<String> =
        inventory.iter().map(|(item, qty)| format!("• {} ×{qty}", catalog.name_of(item))).collect();
    let buttons = super::game::usable(&catalog, &inventory).into_iter().map(|button| [button]);
    bot.send_message(chat, format!("🎒 Your inventory\n\n{}", lines.join("\n")))
        .reply_markup(InlineKeyboardMarkup::new(buttons))
        .await?;
    Ok(())
}
