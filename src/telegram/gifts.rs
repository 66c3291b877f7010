//! Item gifts in chat: `/gift <item> <@username or user id>`, and the shop's Gift button, which
//! asks for the item and then the recipient. Every refusal comes before any invoice: a
//! recipient nobody knows (or who never started the bot), a gift to oneself, and whatever
//! stock, limits or ownership say for the recipient (`Store::create_gift_order`). The invoice is
//! the buyer's, for the recipient; `payments` grants it to them. [`attempt`] is shared with the
//! game page's `POST /api/gift`.

use teloxide::prelude::*;
use teloxide::types::LabeledPrice;

use super::keyboard::{button, keyboard};
use super::{shop::BUYS_PER_MINUTE, texts, HandlerError, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::{username_key, Catalog, Item, Refusal, UserId as PlayerId};
use crate::i18n::Lang;
use crate::store::{OrderOffer, Store, StoreError};

/// How long the Gift button waits for the recipient's name, in seconds.
const RECIPIENT_WAIT_S: u64 = 600;

/// What asking to give an item came to, before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GiftAttempt {
    /// A payable gift order: the invoice goes out with this payload and amount.
    Payable {
        payload: String,
        amount: u32,
        recipient_name: String,
    },
    /// No player by that @username or id has started the bot.
    UnknownRecipient,
    ToSelf,
    /// The order was refused for the recipient (stock, their limit, an item they own, retired).
    Refused {
        refusal: Refusal,
        recipient_name: String,
    },
    SlowDown,
}

/// The player a recipient's name means: `@name` or `name` through the index of players who
/// wrote to the bot, or a numeric user id; only a player who started the bot.
pub async fn find_recipient(store: &Store, raw: &str) -> Result<Option<PlayerId>, StoreError> {
    let raw = raw.trim();
    let user = match raw.parse::<u64>() {
        Ok(id) if id > 0 => Some(PlayerId(id)),
        _ if username_key(raw).is_some() => store.find_username(raw).await?,
        _ => None,
    };
    let Some(user) = user else { return Ok(None) };
    Ok(store.has_started(user).await?.then_some(user))
}

/// How a gift names a player: their @username, else their first name, else their id.
pub async fn display_name(store: &Store, user: PlayerId) -> Result<String, StoreError> {
    if let Some(username) = store.username_of(user).await? {
        return Ok(format!("@{username}"));
    }
    Ok(store.player_name(user).await?.unwrap_or_else(|| user.to_string()))
}

/// Checks a gift of `item` from `buyer` to the player `raw_recipient` names and opens its order
/// (with `buys_per_minute`, only that many a minute): the one path the chat and the game's API
/// share.
pub async fn attempt(
    store: &Store,
    catalog: &Catalog,
    item: &Item,
    buyer: PlayerId,
    raw_recipient: &str,
    buys_per_minute: Option<u32>,
) -> Result<GiftAttempt, StoreError> {
    let Some(recipient) = find_recipient(store, raw_recipient).await? else {
        return Ok(GiftAttempt::UnknownRecipient);
    };
    if recipient == buyer {
        return Ok(GiftAttempt::ToSelf);
    }
    let recipient_name = display_name(store, recipient).await?;
    let offer = store
        .create_gift_order(item, (buyer, recipient), &catalog.version, &catalog.settings, buys_per_minute, now_ms())
        .await?;
    Ok(match offer {
        OrderOffer::SlowDown => GiftAttempt::SlowDown,
        OrderOffer::Refused(refusal) => GiftAttempt::Refused { refusal, recipient_name },
        OrderOffer::Payable { order, amount, reopened, .. } => {
            tracing::debug!(user = %buyer, %recipient, item = %item.id, %order, amount, reopened, "gift invoice");
            metrics::counter!("starmine_invoices_total").increment(1);
            GiftAttempt::Payable { payload: order.to_string(), amount, recipient_name }
        }
    })
}

/// `/gift <item> <@username or user id>`: the invoice, or why not.
pub async fn gift(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId, args: &str) -> HandlerResult {
    let catalog = shop.catalog.current();
    let Some((raw_item, raw_recipient)) = args.split_once(char::is_whitespace) else {
        bot.send_message(chat, texts::gift_usage(lang, catalog.on_sale().next())).await?;
        return Ok(());
    };
    let Some(item) = catalog.find(raw_item) else {
        let suggestions = crate::domain::suggest::closest(raw_item, catalog.on_sale());
        bot.send_message(chat, texts::unknown_item(lang, raw_item, "gift", &suggestions)).await?;
        return Ok(());
    };
    give(&bot, &shop, lang, chat, player, item, raw_recipient.trim()).await
}

/// The invoice for a gift of `item` to `raw_recipient`, or the refusal, in the chat.
async fn give(
    bot: &TgBot,
    shop: &Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    item: &Item,
    raw_recipient: &str,
) -> HandlerResult {
    let catalog = shop.catalog.current();
    let attempt = attempt(&shop.store, &catalog, item, player, raw_recipient, Some(BUYS_PER_MINUTE)).await?;
    let text = match attempt {
        GiftAttempt::Payable { payload, amount, recipient_name } => {
            let name = item.name_in(lang);
            let description = texts::gift_invoice_description(lang, item, &recipient_name);
            bot.send_invoice(chat, name, description, payload, "XTR", [LabeledPrice::new(name, amount)]).await?;
            return Ok(());
        }
        GiftAttempt::UnknownRecipient => texts::gift_unknown_recipient(lang, raw_recipient),
        GiftAttempt::ToSelf => texts::gift_to_self(lang, item),
        GiftAttempt::Refused { refusal, recipient_name } => texts::gift_refused(lang, item, &recipient_name, refusal),
        GiftAttempt::SlowDown => texts::slow_down(lang),
    };
    bot.send_message(chat, text).await?;
    Ok(())
}

/// The shop's Gift button (`gift`): the items on sale, each a button (`gift:<item>`) that asks
/// for the recipient; the next plain message names them ([`answer_pending`]).
pub async fn on_gift_pressed(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    raw_item: &str,
) -> Result<Option<String>, HandlerError> {
    let catalog = shop.catalog.current();
    if raw_item.is_empty() {
        bot.send_message(chat, texts::gift_choose(lang)).reply_markup(keyboard(item_buttons(lang, &catalog))).await?;
        return Ok(None);
    }
    let Some(item) = catalog.find(raw_item) else {
        return Ok(Some(texts::not_for_sale(lang, raw_item)));
    };
    shop.store.await_gift_recipient(player, item.id.as_str(), RECIPIENT_WAIT_S).await?;
    bot.send_message(chat, texts::gift_ask_recipient(lang, item)).await?;
    Ok(None)
}

/// One button per item on sale: `gift:<item>`.
fn item_buttons<'a>(
    lang: Lang,
    catalog: &'a Catalog,
) -> impl Iterator<Item = teloxide::types::InlineKeyboardButton> + 'a {
    catalog.on_sale().map(move |item| button(texts::price_button(lang, item), format!("gift:{}", item.id)))
}

/// A plain message after the Gift button asked for a recipient: the gift to them. False when
/// no gift was waiting (the message is someone else's to answer).
pub async fn answer_pending(
    bot: &TgBot,
    shop: &Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    text: &str,
) -> Result<bool, HandlerError> {
    let Some(item_id) = shop.store.take_gift_request(player).await? else {
        return Ok(false);
    };
    let catalog = shop.catalog.current();
    match catalog.find(&item_id) {
        Some(item) => give(bot, shop, lang, chat, player, item, text.trim()).await?,
        None => {
            bot.send_message(chat, texts::not_for_sale(lang, &item_id)).await?;
        }
    }
    Ok(true)
}
