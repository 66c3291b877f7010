//! The game in chat: `/dig` and its live dig message (the Dig again button edits it in place;
//! a Dig again on an older message is stale and only gets a toast), `/me`, `/top`, `/use` and
//! Use buttons, and the notices the loop asks to send.

use std::collections::BTreeMap;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId, User};
use teloxide::{ApiError, RequestError};
use tokio::sync::mpsc;

use super::keyboard::{button, edit_in_place, keyboard, rows};
use super::{player_of, texts, HandlerError, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::domain::suggest::closest;
use crate::domain::{Catalog, UserId as PlayerId};
use crate::game::{DigOutcome, GameError, Notice, PlayerView, UseOutcome};
use crate::i18n::Lang;

/// The data of the live dig message's button: dig and edit that message.
pub const DIG_AGAIN: &str = "dg";

/// The items a player with no energy is offered: one they hold first (retired or not), else the
/// cheapest refill on sale.
fn refill_offer(lang: Lang, catalog: &Catalog, view: &PlayerView) -> Vec<InlineKeyboardButton> {
    let refills = catalog.items().iter().filter(|item| item.effects.energy.is_some());
    let mut buttons = Vec::new();
    if let Some(held) = refills.clone().find(|item| view.inventory.get(item.id.as_str()).is_some_and(|qty| *qty > 0)) {
        buttons.push(button(texts::use_button(lang, held), format!("use:{}", held.id)));
    }
    if let Some(cheapest) = refills.filter(|item| item.on_sale()).min_by_key(|item| item.price) {
        buttons.push(button(texts::price_button(lang, cheapest), format!("buy:{}", cheapest.id)));
    }
    buttons
}

fn unavailable(error: GameError) -> anyhow::Error {
    anyhow::anyhow!(error)
}

/// The text and keyboard of a dig message for `outcome`: the find (or the empty bar with a
/// refill offer) and Dig again.
fn dig_message(lang: Lang, catalog: &Catalog, outcome: &DigOutcome) -> (String, InlineKeyboardMarkup) {
    let now = now_ms();
    match outcome {
        DigOutcome::Found { find, player } => {
            let keyboard = InlineKeyboardMarkup::new([[
                button(texts::dig_again_button(lang), DIG_AGAIN),
                button(texts::me_button(lang), "me"),
            ]]);
            (texts::dig_found(lang, find, player, catalog, now), keyboard)
        }
        DigOutcome::NoEnergy { player } => {
            let mut keyboard =
                vec![vec![button(texts::dig_again_button(lang), DIG_AGAIN), button(texts::me_button(lang), "me")]];
            keyboard.extend(rows(refill_offer(lang, catalog, player)));
            (texts::no_energy(lang, player, now), InlineKeyboardMarkup::new(keyboard))
        }
    }
}

/// `/dig`, and Dig buttons outside a dig message: digs and sends a new dig message, which
/// becomes the player's live one.
pub async fn dig(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, user: &User) -> HandlerResult {
    let player = player_of(user);
    let outcome = match shop.game.dig(player, &user.first_name).await {
        Ok(outcome) => outcome,
        Err(error) => {
            bot.send_message(chat, texts::service_trouble(lang)).await?;
            return Err(unavailable(error));
        }
    };
    send_live_dig(&bot, &shop, lang, chat, player, &outcome).await
}

async fn send_live_dig(
    bot: &TgBot,
    shop: &Shop,
    lang: Lang,
    chat: ChatId,
    player: PlayerId,
    outcome: &DigOutcome,
) -> HandlerResult {
    let (text, keyboard) = dig_message(lang, &shop.catalog.current(), outcome);
    let sent = bot.send_message(chat, text).reply_markup(keyboard).await?;
    shop.store.set_dig_message(player, i64::from(sent.id.0)).await?;
    Ok(())
}

/// Dig again on `message`: when it is the player's live dig message, digs and shows the find in
/// it; on any other (older) message, digs nothing and answers with a toast.
pub async fn dig_again(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    chat: ChatId,
    message: MessageId,
    user: &User,
) -> Result<Option<String>, HandlerError> {
    let player = player_of(user);
    if shop.store.dig_message(player).await? != Some(i64::from(message.0)) {
        return Ok(Some(texts::stale_dig(lang)));
    }
    let outcome = shop.game.dig(player, &user.first_name).await.map_err(unavailable)?;
    let (text, keyboard) = dig_message(lang, &shop.catalog.current(), &outcome);
    match edit_in_place(&bot, chat, message, text, Some(keyboard)).await {
        Ok(()) => Ok(None),
        // Deleted by the player meanwhile: the find goes to a new live message.
        Err(RequestError::Api(ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited)) => {
            send_live_dig(&bot, &shop, lang, chat, player, &outcome).await?;
            Ok(None)
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn me(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let view = match shop.game.view(player).await {
        Ok(view) => view,
        Err(error) => {
            bot.send_message(chat, texts::service_trouble(lang)).await?;
            return Err(unavailable(error));
        }
    };
    let catalog = shop.catalog.current();
    let rank = shop.store.rank(player).await?;
    let mut rows = vec![vec![
        button(texts::dig_button(lang), "dig"),
        button(texts::upgrades_button(lang), "upgrades"),
        button(texts::top_button(lang), "top"),
    ]];
    rows.extend(usable(lang, &catalog, &view.inventory).into_iter().map(|b| vec![b]));
    bot.send_message(chat, texts::me(lang, &view, &catalog, rank, now_ms()))
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

/// Use buttons for what the player holds that can be used.
pub fn usable(lang: Lang, catalog: &Catalog, inventory: &BTreeMap<String, u64>) -> Vec<InlineKeyboardButton> {
    inventory
        .keys()
        .filter_map(|id| catalog.find(id))
        .filter(|item| item.is_usable())
        .map(|item| button(texts::use_button(lang, item), format!("use:{}", item.id)))
        .collect()
}

/// `/use` with no item: how, with an item the player holds (else one the shop sells) as the
/// example, and Use buttons for what they hold.
pub async fn use_usage(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let catalog = shop.catalog.current();
    let inventory = shop.store.inventory(player).await?;
    let usable_items = || catalog.items().iter().filter(|item| item.is_usable());
    let held = usable_items().find(|item| inventory.get(item.id.as_str()).is_some_and(|qty| *qty > 0));
    let example = held.or_else(|| usable_items().find(|item| item.on_sale()));
    let buttons = keyboard(usable(lang, &catalog, &inventory));
    bot.send_message(chat, texts::use_usage(lang, example)).reply_markup(buttons).await?;
    Ok(())
}

pub async fn top(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let miners = shop.store.leaderboard(10).await?;
    let arcade = shop.store.arcade_top(10).await?;
    let mined = shop.store.rank(player).await?.zip(shop.game.view(player).await.ok().map(|v| v.mined));
    let played = shop.store.arcade_rank(player).await?;
    bot.send_message(chat, texts::top(lang, &miners, &arcade, player, mined, played)).await?;
    Ok(())
}

pub async fn use_item(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId, raw: &str) -> HandlerResult {
    let catalog = shop.catalog.current();
    let Some(item) = catalog.find(raw) else {
        // The closest items that can be used, else the closest of all (which then say why not).
        let usable_items = closest(raw, catalog.items().iter().filter(|item| item.is_usable()));
        let suggestions = if usable_items.is_empty() { closest(raw, catalog.items()) } else { usable_items };
        let buttons = suggestions.iter().map(|item| button(texts::use_button(lang, item), format!("use:{}", item.id)));
        bot.send_message(chat, texts::unknown_item(lang, raw, "use", &suggestions))
            .reply_markup(keyboard(buttons))
            .await?;
        return Ok(());
    };
    let outcome = match shop.game.use_item(player, item.id.clone()).await {
        Ok(outcome) => outcome,
        Err(error) => {
            bot.send_message(chat, texts::service_trouble(lang)).await?;
            return Err(unavailable(error));
        }
    };
    let text = match outcome {
        UseOutcome::Used { boost_until, player, .. } => texts::used(lang, item, boost_until, &player, now_ms()),
        UseOutcome::NotOwned => texts::not_owned(lang, item),
        UseOutcome::NotUsable => texts::not_usable(lang, item),
        UseOutcome::EnergyFull { player } => texts::energy_already_full(lang, &player),
    };
    let keyboard =
        InlineKeyboardMarkup::new([[button(texts::dig_button(lang), "dig"), button(texts::me_button(lang), "me")]]);
    bot.send_message(chat, text).reply_markup(keyboard).await?;
    Ok(())
}

/// Sends the loop's notices: each claimed in Redis first, so across processes a player gets at
/// most one of each kind per `notify_period`; sent as notices through the outbox.
pub async fn run_notifier(bot: TgBot, shop: Shop, mut notices: mpsc::UnboundedReceiver<Notice>) {
    while let Some(notice) = notices.recv().await {
        let catalog = shop.catalog.current();
        let period = catalog.settings.notify_period;
        let (user, kind) = match &notice {
            Notice::EnergyFull { user, .. } => (*user, "energy_full"),
            Notice::BoostExpired { user, .. } => (*user, "boost_expired"),
            Notice::PassEnded { user, .. } => (*user, "pass_ended"),
        };
        match shop.store.claim_notice(user, kind, period).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(%error, "cannot claim a notice; skipped");
                continue;
            }
        }
        let lang = shop.lang_of(user).await;
        let text = match &notice {
            Notice::EnergyFull { energy, .. } => texts::energy_full_notice(lang, *energy),
            Notice::BoostExpired { item, .. } => texts::boost_expired_notice(lang, catalog.name_in(lang, item)),
            Notice::PassEnded { pass, .. } => texts::pass_ended_notice(lang, catalog.name_in(lang, pass)),
        };
        let next = match &notice {
            Notice::PassEnded { .. } => button(texts::pass_button(lang), "pass"),
            _ => button(texts::dig_button(lang), "dig"),
        };
        let keyboard = InlineKeyboardMarkup::new([[next]]);
        let bot = bot.clone();
        // A send may wait for its chat's budget; one task per notice keeps the others moving.
        tokio::spawn(async move {
            if let Err(error) = bot.send_message(ChatId(user.0 as i64), text).reply_markup(keyboard).notice().await {
                tracing::warn!(%user, %error, kind, "could not send a notice");
            }
        });
    }
}
