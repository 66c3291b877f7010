//! `/language`: the shipped languages as buttons, each named in itself; a press stores the
//! choice for the player (`store::language`) and answers in the new language. Until a player
//! chooses, their Telegram `language_code` decides (`reader_language` in the handler tree).

use teloxide::prelude::*;

use super::keyboard::{button, keyboard};
use super::{texts, HandlerResult, Shop, TgBot};
use crate::domain::{Lang, UserId as PlayerId};

/// The callback action of a language button: `lang:<code>`.
pub const CHOSEN: &str = "lang";

/// `/language`: the question in the player's language, a button per shipped language.
pub async fn show(bot: TgBot, lang: Lang, chat: ChatId) -> HandlerResult {
    let buttons = Lang::ALL.into_iter().map(|choice| {
        let label =
            if choice == lang { format!("✓ {}", choice.native_name()) } else { choice.native_name().to_owned() };
        button(label, format!("{CHOSEN}:{}", choice.code()))
    });
    bot.send_message(chat, texts::language_choose(lang)).reply_markup(keyboard(buttons)).await?;
    Ok(())
}

/// A language button: stores the choice and confirms in the chosen language.
pub async fn chosen(bot: TgBot, shop: Shop, chat: ChatId, player: PlayerId, code: &str) -> HandlerResult {
    let Some(choice) = Lang::from_code(code) else {
        return Ok(());
    };
    shop.store.set_language(player, choice).await?;
    shop.languages.put(player, choice);
    bot.send_message(chat, texts::language_set(choice)).await?;
    Ok(())
}
