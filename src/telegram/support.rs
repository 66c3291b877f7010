//! `/paysupport`: the player's next plain message is stored in the support inbox (`store::support`,
//! read by the console's Support tab) and then forwarded to the admins with their recent payments.
//! The player is told what actually happened: stored (and whether an admin was reached), or not.
//!
//! Admins answer from chat with the forwarded message's "Reply" button (callback `sr:<id>`): the
//! next plain message they send within [`REPLY_WAIT_SECS`] goes to the player as the answer.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, User};

use super::{player_of, texts, HandlerResult, Shop, TgBot};
use crate::admin::{checked_answer, ReplyReport};
use crate::clock::now_ms;
use crate::domain::UserId as PlayerId;
use crate::i18n::Lang;
use crate::store::StoreError;

/// How long the bot waits for the support message after `/paysupport`.
const WAIT_SECS: u64 = 30 * 60;
/// How long the bot waits for an admin's answer after they pressed "Reply".
const REPLY_WAIT_SECS: u64 = 15 * 60;
/// The callback action of the "Reply" button.
pub const REPLY: &str = "sr";

pub async fn on_paysupport(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, player: PlayerId) -> HandlerResult {
    shop.store.await_support_message(player, WAIT_SECS).await?;
    bot.send_message(chat, texts::paysupport(lang)).await?;
    Ok(())
}

/// Plain text in the private chat: a support message if one was asked for, else a hint.
pub async fn on_plain_text(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId, user: &User, text: &str) -> HandlerResult {
    let player = player_of(user);
    if shop.is_admin(player) {
        if let Some(id) = shop.store.take_support_reply(player).await? {
            let report = answer(&bot, &shop, id, player, text).await?;
            bot.send_message(chat, texts::support_reply_result(report.result, &report.message)).await?;
            return Ok(());
        }
    }
    if !shop.store.take_support_request(player).await? {
        bot.send_message(chat, texts::not_understood(lang)).await?;
        return Ok(());
    }
    let (name, username) = (user.full_name(), user.username.as_deref());
    let stored = shop.store.record_support_message(player, &name, username, text, now_ms()).await;
    let id = match stored {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(user = %player, %error, message = %texts::shorten(text, 500), "could not store a support request");
            bot.send_message(chat, texts::support_not_stored(lang)).await?;
            return Ok(());
        }
    };
    let catalog = shop.catalog.current();
    let payments = shop.store.payments(player, Some(5)).await?;
    let mut report = format!(
        "🛟 Support request #{id} from {} (id {player}{})\n\n{}\n\nRecent payments:",
        user.full_name(),
        user.username.as_deref().map(|name| format!(", @{name}")).unwrap_or_default(),
        texts::shorten(text, 3000),
    );
    if payments.is_empty() {
        report.push_str("\n• none");
    }
    for payment in payments.iter().rev() {
        let when = chrono::DateTime::from_timestamp_millis(payment.paid_at_ms)
            .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        report.push_str(&format!(
            "\n• {when} {} — {} ⭐ — {} — {}",
            catalog.name_of(&payment.item),
            payment.amount,
            payment.status.as_str(),
            payment.charge
        ));
    }
    tracing::info!(user = %player, id, "support request stored");
    let mut delivered = 0;
    for admin in shop.admins.iter() {
        // An admin who never opened the bot cannot be written to; the others still get it.
        let forward = bot.send_message(ChatId(admin.0 as i64), report.clone()).reply_markup(reply_button(id));
        match forward.notice().await {
            Ok(_) => delivered += 1,
            Err(error) => {
                tracing::warn!(%admin, %error, "could not forward a support request to an admin")
            }
        }
    }
    if delivered == 0 {
        tracing::warn!(user = %player, id, "support request stored but reached no admin in chat");
    }
    bot.send_message(chat, if delivered > 0 { texts::support_sent(lang) } else { texts::support_no_admins(lang) })
        .await?;
    Ok(())
}

/// Sends `admin`'s answer to support message `id` to its player and marks it answered; used by
/// the console and by an admin answering from chat. An empty or overlong answer is not sent.
pub async fn answer(bot: &TgBot, shop: &Shop, id: u64, admin: PlayerId, text: &str) -> Result<ReplyReport, StoreError> {
    let text = match checked_answer(text) {
        Ok(text) => text,
        Err(bad) => return Ok(ReplyReport { result: "bad_answer", message: bad.to_string() }),
    };
    let Some(message) = shop.store.support_message(id).await? else {
        return Ok(ReplyReport { result: "unknown", message: format!("no support message #{id} is kept") });
    };
    let to = ChatId(message.user);
    let lang = shop.lang_of(PlayerId(message.user.max(0) as u64)).await;
    if let Err(error) = bot.send_message(to, texts::support_answer(lang, id, text)).notice().await {
        tracing::warn!(target: "starmine::admin", %admin, id, %error, "support answer not delivered");
        return Ok(ReplyReport { result: "undelivered", message: format!("Telegram refused the send: {error}") });
    }
    shop.store.answer_support_message(id, admin, text, now_ms()).await?;
    tracing::info!(target: "starmine::admin", %admin, id, user = message.user, "support message answered");
    Ok(ReplyReport { result: "sent", message: format!("answer to #{id} sent to {}", message.name) })
}

fn reply_button(id: u64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("↩️ Reply", format!("{REPLY}:{id}"))]])
}

/// "Reply" pressed on a forwarded message: the admin's next plain message is the answer.
pub async fn on_reply_pressed(bot: TgBot, shop: Shop, chat: ChatId, admin: PlayerId, arg: &str) -> HandlerResult {
    let (true, Ok(id)) = (shop.is_admin(admin), arg.parse::<u64>()) else {
        return Ok(());
    };
    shop.store.start_support_reply(admin, id, REPLY_WAIT_SECS).await?;
    bot.send_message(chat, texts::support_reply_prompt(id)).await?;
    Ok(())
}
