//! `/upgrades`: the gem sinks in chat — every upgrade track with its level and a button for the
//! next one, the cosmetics — and the button presses that buy them, answered with a toast and the
//! screen edited in place.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::{texts, HandlerResult, Shop, TgBot};
use crate::domain::economy::Economy;
use crate::domain::UserId as PlayerId;
use crate::game::{GameError, GemOutcome, PlayerView};
use crate::i18n::Lang;

/// `up:<id>:<level>` (a cosmetic's level is 1): the target travels with the button, so a double
/// tap, or an old screen, never buys twice.
fn keyboard(lang: Lang, player: &PlayerView, economy: &Economy) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    for track in &economy.tracks {
        let level = player.upgrades.level(&track.id) + 1;
        if let Some(cost) = track.cost_of(level) {
            let label = texts::upgrade_button(lang, track, level, cost);
            rows.push(vec![InlineKeyboardButton::callback(label, format!("up:{}:{level}", track.id))]);
        }
    }
    for cosmetic in economy.cosmetics.iter().filter(|cosmetic| !player.upgrades.cosmetics.contains(&cosmetic.id)) {
        let label = texts::cosmetic_button(lang, cosmetic);
        rows.push(vec![InlineKeyboardButton::callback(label, format!("up:{}:1", cosmetic.id))]);
    }
    rows.push(vec![
        InlineKeyboardButton::callback(texts::dig_button(lang), "dig"),
        InlineKeyboardButton::callback(texts::me_button(lang), "me"),
    ]);
    InlineKeyboardMarkup::new(rows)
}

pub async fn show(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    let view = match shop.game.view(player).await {
        Ok(view) => view,
        Err(error) => {
            bot.send_message(chat, texts::service_trouble(lang)).await?;
            return Err(anyhow::anyhow!(error));
        }
    };
    let economy = &shop.catalog.current().economy;
    bot.send_message(chat, texts::upgrades(lang, &view, economy)).reply_markup(keyboard(lang, &view, economy)).await?;
    Ok(())
}

/// An `up:<id>:<level>` press: buys with the query id as the action id (a redelivered update
/// changes nothing), answers with a toast and redraws the screen it was pressed on.
pub async fn pressed(
    bot: TgBot,
    shop: Shop,
    lang: Lang,
    query: &CallbackQuery,
    player: PlayerId,
    arg: &str,
) -> HandlerResult {
    let (id, level) = arg.rsplit_once(':').unwrap_or((arg, ""));
    let level = level.parse().ok();
    let outcome = shop.game.spend_gems(player, id, level, &query.id.0).await;
    let economy = &shop.catalog.current().economy;
    let (toast, view) = match outcome {
        Ok(GemOutcome::Bought { purchase, player }) => (texts::gems_spent(lang, &purchase, economy), player),
        Ok(GemOutcome::Refused { refusal, player }) => (texts::gems_refused(lang, refusal, &player), player),
        Err(GameError::Unavailable(_) | GameError::Stopped) => {
            bot.answer_callback_query(query.id.clone()).text(texts::service_trouble(lang)).show_alert(true).await?;
            return Ok(());
        }
    };
    bot.answer_callback_query(query.id.clone()).text(toast).await?;
    if let Some(message) = &query.message {
        redraw(&bot, lang, message.chat().id, message.id(), &view, economy).await;
    }
    Ok(())
}

async fn redraw(bot: &TgBot, lang: Lang, chat: ChatId, message: MessageId, view: &PlayerView, economy: &Economy) {
    let text = texts::upgrades(lang, view, economy);
    let edit = bot.edit_message_text(chat, message, text).reply_markup(keyboard(lang, view, economy));
    if let Err(error) = edit.await {
        // "message is not modified" (a refused tap) is expected; anything else is worth a line.
        tracing::debug!(%error, "upgrades screen not redrawn");
    }
}
