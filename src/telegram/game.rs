//! The game in chat: `/dig` and the Dig button, `/me`, `/top`, `/use` and Use buttons, and the
//! notices the loop asks to send.

use std::collections::BTreeMap;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, User};
use tokio::sync::mpsc;

use super::{player_of, texts, HandlerResult, Shop, TgBot};
use crate::app::now_ms;
use crate::domain::{Catalog, UserId as PlayerId};
use crate::game::{DigOutcome, GameError, Notice, PlayerView, UseOutcome};

fn button(text: impl Into<String>, data: impl Into<String>) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text.into(), data.into())
}

/// The item a player with no energy is offered: one they hold first, else the cheapest refill.
fn refill_offer(catalog: &Catalog, view: &PlayerView) -> Vec<InlineKeyboardButton> {
    let refills = catalog.items().iter().filter(|item| item.effects.energy.is_some());
    let mut buttons = Vec::new();
    if let Some(held) = refills.clone().find(|item| view.inventory.get(item.id.as_str()).is_some_and(|qty| *qty > 0)) {
        buttons.push(button(format!("Use {}", held.name), format!("use:{}", held.id)));
    }
    if let Some(cheapest) = refills.min_by_key(|item| item.price) {
        buttons.push(button(texts::buy_button(cheapest), format!("buy:{}", cheapest.id)));
    }
    buttons
}

fn unavailable(error: GameError) -> anyhow::Error {
    anyhow::anyhow!(error)
}

pub async fn dig(bot: TgBot, shop: Shop, chat: ChatId, user: &User) -> HandlerResult {
    let player = player_of(user);
    let outcome = match shop.game.dig(player, &user.first_name).await {
        Ok(outcome) => outcome,
        Err(error) => {
            bot.send_message(chat, texts::SERVICE_TROUBLE).await?;
            return Err(unavailable(error));
        }
    };
    let catalog = shop.catalog.current();
    let now = now_ms();
    match outcome {
        DigOutcome::Found { find, player } => {
            let text = texts::dig_found(&find, &player, now);
            let keyboard = InlineKeyboardMarkup::new([[button("⛏ Dig again", "dig"), button("👤 Me", "me")]]);
            bot.send_message(chat, text).reply_markup(keyboard).await?;
        }
        DigOutcome::NoEnergy { player } => {
            let keyboard = InlineKeyboardMarkup::new([refill_offer(&catalog, &player)]);
            bot.send_message(chat, texts::no_energy(&player, now)).reply_markup(keyboard).await?;
        }
    }
    Ok(())
}

pub async fn me(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId) -> HandlerResult {
    let view = match shop.game.view(player).await {
        Ok(view) => view,
        Err(error) => {
            bot.send_message(chat, texts::SERVICE_TROUBLE).await?;
            return Err(unavailable(error));
        }
    };
    let catalog = shop.catalog.current();
    let rank = shop.store.rank(player).await?;
    let mut rows = vec![vec![button("⛏ Dig", "dig"), button("⬆️ Upgrades", "upgrades"), button("🏆 Top", "top")]];
    rows.extend(usable(&catalog, &view.inventory).into_iter().map(|b| vec![b]));
    bot.send_message(chat, texts::me(&view, &catalog, rank, now_ms()))
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

/// Use buttons for what the player holds that can be used.
pub fn usable(catalog: &Catalog, inventory: &BTreeMap<String, u64>) -> Vec<InlineKeyboardButton> {
    inventory
        .keys()
        .filter_map(|id| catalog.find(id))
        .filter(|item| item.is_usable())
        .map(|item| button(format!("Use {}", item.name), format!("use:{}", item.id)))
        .collect()
}

pub async fn top(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId) -> HandlerResult {
    let miners = shop.store.leaderboard(10).await?;
    let arcade = shop.store.arcade_top(10).await?;
    let mined = shop.store.rank(player).await?.zip(shop.game.view(player).await.ok().map(|v| v.mined));
    let played = shop.store.arcade_rank(player).await?;
    bot.send_message(chat, texts::top(&miners, &arcade, player, mined, played)).await?;
    Ok(())
}

pub async fn use_item(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId, raw: &str) -> HandlerResult {
    let catalog = shop.catalog.current();
    let Some(item) = catalog.find(raw) else {
        bot.send_message(chat, texts::unknown_item(raw)).await?;
        return Ok(());
    };
    let outcome = match shop.game.use_item(player, item.id.clone()).await {
        Ok(outcome) => outcome,
        Err(error) => {
            bot.send_message(chat, texts::SERVICE_TROUBLE).await?;
            return Err(unavailable(error));
        }
    };
    let text = match outcome {
        UseOutcome::Used { boost_until, player, .. } => texts::used(item, boost_until, &player, now_ms()),
        UseOutcome::NotOwned => texts::not_owned(item),
        UseOutcome::NotUsable => texts::not_usable(item),
        UseOutcome::EnergyFull { player } => texts::energy_already_full(&player),
    };
    let keyboard = InlineKeyboardMarkup::new([[button("⛏ Dig", "dig"), button("👤 Me", "me")]]);
    bot.send_message(chat, text).reply_markup(keyboard).await?;
    Ok(())
}

/// Sends the loop's notices: each claimed in Redis first, so across processes a player gets at
/// most one of each kind per `notify_period`; sends go through the Throttle.
pub async fn run_notifier(bot: TgBot, shop: Shop, mut notices: mpsc::UnboundedReceiver<Notice>) {
    while let Some(notice) = notices.recv().await {
        let catalog = shop.catalog.current();
        let period = catalog.settings.notify_period;
        let (user, kind, text) = match &notice {
            Notice::EnergyFull { user, energy } => (*user, "energy_full", texts::energy_full_notice(*energy)),
            Notice::BoostExpired { user, item } => {
                (*user, "boost_expired", texts::boost_expired_notice(catalog.name_of(item)))
            }
        };
        match shop.store.claim_notice(user, kind, period).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(%error, "cannot claim a notice; skipped");
                continue;
            }
        }
        let keyboard = InlineKeyboardMarkup::new([[button("⛏ Dig", "dig")]]);
        let bot = bot.clone();
        // Sends wait in the Throttle's queue; one task per notice keeps the others moving.
        tokio::spawn(async move {
            if let Err(error) = bot.send_message(ChatId(user.0 as i64), text).reply_markup(keyboard).await {
                tracing::warn!(%user, %error, kind, "could not send a notice");
            }
        });
    }
}
