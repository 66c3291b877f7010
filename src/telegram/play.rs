//! The HTML5 game from the chat: `/play` sends the game message, pressing Play answers with a
//! signed game link, inline mode offers the game anywhere; and [`TelegramApi`], the Bot API
//! calls the game's HTTP API makes (invoice links, scores) — `setGameScore` and
//! `getGameHighScores` as our own small typed requests, because teloxide 0.17 gets them wrong
//! (a `u32` chat id; `True` instead of an array).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use teloxide::prelude::*;
use teloxide::types::{InlineQuery, InlineQueryResult, InlineQueryResultGame, LabeledPrice, MaybeInaccessibleMessage};

use super::outbox::{self, Priority};
use super::{player_of, HandlerResult, Shop, TgBot};
use crate::clock::now_ms;
use crate::config::PlayConfig;
use crate::domain::{Item, UserId as PlayerId};
use crate::game_link::{ChatScore, ScoreTarget, Session, TelegramPort};
use crate::i18n::Lang;

/// How long a game link works.
const SESSION_MS: i64 = 2 * 3600 * 1000;

pub async fn on_play_command(bot: TgBot, shop: Shop, lang: Lang, chat: ChatId) -> HandlerResult {
    let Some(play) = shop.play.as_ref() else {
        bot.send_message(chat, super::texts::play_off(lang)).await?;
        return Ok(());
    };
    bot.send_game(chat, play.short_name.clone()).await?;
    Ok(())
}

/// Play pressed on a game message (sent by us or inline): answer with the signed game link.
pub async fn on_play_pressed(bot: TgBot, shop: Shop, lang: Lang, query: CallbackQuery) -> HandlerResult {
    let Some(play) = shop.play.as_ref() else {
        bot.answer_callback_query(query.id).text(super::texts::play_off(lang)).await?;
        return Ok(());
    };
    if query.game_short_name.as_deref() != Some(play.short_name.as_str()) {
        bot.answer_callback_query(query.id).text(super::texts::play_off(lang)).await?;
        return Ok(());
    }
    let target = match (&query.message, &query.inline_message_id) {
        (Some(MaybeInaccessibleMessage::Regular(message)), _) => {
            ScoreTarget::Message { chat: message.chat.id.0, message: message.id.0 }
        }
        (Some(message), _) => ScoreTarget::Message { chat: message.chat().id.0, message: message.id().0 },
        (None, Some(inline)) => ScoreTarget::Inline { id: inline.clone() },
        (None, None) => ScoreTarget::None,
    };
    let player = player_of(&query.from);
    shop.store.set_player_name(player, &query.from.first_name).await?;
    let session = Session { user: player, target, expires_at_ms: now_ms() + SESSION_MS };
    let url = game_url(play, &session.sign(play.token_secret.expose().as_bytes()))?;
    tracing::debug!(user = %player, "game link issued");
    bot.answer_callback_query(query.id).url(url).await?;
    Ok(())
}

/// `<PUBLIC_URL>/game/?token=...`
pub fn game_url(play: &PlayConfig, token: &str) -> anyhow::Result<url::Url> {
    let mut url = play.public_url.join("game/")?;
    url.query_pairs_mut().append_pair("token", token);
    Ok(url)
}

/// Inline mode: offer the game in any chat.
pub async fn on_inline_query(bot: TgBot, shop: Shop, query: InlineQuery) -> HandlerResult {
    let Some(play) = shop.play.as_ref() else {
        bot.answer_inline_query(query.id, Vec::<InlineQueryResult>::new()).await?;
        return Ok(());
    };
    let game = InlineQueryResult::Game(InlineQueryResultGame::new("starmine-rush", play.short_name.clone()));
    bot.answer_inline_query(query.id, [game]).cache_time(60).await?;
    Ok(())
}

/// Scores waiting to be sent, per player and game message (at most one send each at a time).
type PendingScores = Arc<Mutex<HashMap<(PlayerId, ScoreTarget), u64>>>;

/// The Bot API calls of the game's HTTP API.
pub struct TelegramApi {
    bot: TgBot,
    pending_scores: PendingScores,
}

impl TelegramApi {
    pub fn new(bot: TgBot) -> Self {
        Self { bot, pending_scores: PendingScores::default() }
    }

    async fn call<T: for<'de> Deserialize<'de>>(&self, method: &str, body: &impl Serialize) -> Result<T, String> {
        super::bot_api::call(&self.bot, method, body).await.map_err(|error| error.to_string())
    }
}

/// `setGameScore` / `getGameHighScores` target: a bot-sent game message or an inline one.
#[derive(Serialize)]
#[serde(untagged)]
enum Target<'a> {
    Message { chat_id: i64, message_id: i32 },
    Inline { inline_message_id: &'a str },
}

#[derive(Serialize)]
struct SetGameScore<'a> {
    user_id: u64,
    score: u64,
    #[serde(flatten)]
    target: Target<'a>,
}

#[derive(Serialize)]
struct GetGameHighScores<'a> {
    user_id: u64,
    #[serde(flatten)]
    target: Target<'a>,
}

#[derive(Deserialize)]
struct GameHighScore {
    position: u32,
    user: teloxide::types::User,
    score: u64,
}

fn target(target: &ScoreTarget) -> Option<Target<'_>> {
    match target {
        ScoreTarget::Message { chat, message } => Some(Target::Message { chat_id: *chat, message_id: *message }),
        ScoreTarget::Inline { id } => Some(Target::Inline { inline_message_id: id }),
        ScoreTarget::None => None,
    }
}

/// `setGameScore` through the outbox: an edit of the game message, so it counts against the
/// chat's send budget.
async fn set_score(bot: &TgBot, user: PlayerId, score: u64, to: &ScoreTarget) -> Result<(), String> {
    let Some(target) = target(to) else { return Ok(()) };
    let to = match target {
        Target::Message { chat_id, .. } => outbox::Target::Chat(ChatId(chat_id).into()),
        Target::Inline { .. } => outbox::Target::Inline,
    };
    let request = SetGameScore { user_id: user.0, score, target };
    match bot.call::<serde_json::Value>("setGameScore", to, Priority::Reply, &request).await {
        Ok(_) => Ok(()),
        // Not higher than the best already shown: nothing to change.
        Err(error) if error.to_string().contains("BOT_SCORE_NOT_MODIFIED") => Ok(()),
        Err(error) => Err(error.to_string()),
    }
}

impl TelegramPort for TelegramApi {
    fn invoice_link<'a>(
        &'a self,
        item: &'a Item,
        lang: Lang,
        payload: &'a str,
        amount: u32,
    ) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move {
            let (name, description) = (item.name_in(lang), item.description_in(lang));
            let price = LabeledPrice::new(name, amount);
            self.bot
                .create_invoice_link(name, description, payload, "XTR", [price])
                .await
                .map_err(|error| error.to_string())
        })
    }

    fn gift_invoice_link<'a>(
        &'a self,
        item: &'a Item,
        lang: Lang,
        payload: &'a str,
        amount: u32,
        recipient: &'a str,
    ) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move {
            let name = item.name_in(lang);
            let description = super::texts::gift_invoice_description(lang, item, recipient);
            let price = LabeledPrice::new(name, amount);
            self.bot
                .create_invoice_link(name, description, payload, "XTR", [price])
                .await
                .map_err(|error| error.to_string())
        })
    }

    fn report_score(&self, user: PlayerId, score: u64, to: ScoreTarget) {
        if to == ScoreTarget::None {
            return;
        }
        let key = (user, to);
        {
            let mut pending = self.pending_scores.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(waiting) = pending.get_mut(&key) {
                // One is queued for this message: it goes out with the higher score.
                *waiting = (*waiting).max(score);
                return;
            }
            pending.insert(key.clone(), score);
        }
        let (bot, pending) = (self.bot.clone(), self.pending_scores.clone());
        tokio::spawn(async move {
            loop {
                let Some(score) = pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&key).copied()
                else {
                    return;
                };
                if let Err(error) = set_score(&bot, key.0, score, &key.1).await {
                    // The chat's scoreboard catches up with the player's next best.
                    tracing::warn!(user = %key.0, %error, "setGameScore failed");
                }
                let mut pending = pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if pending.get(&key) == Some(&score) {
                    pending.remove(&key);
                    return;
                }
            }
        });
    }

    fn high_scores<'a>(&'a self, user: PlayerId, to: &'a ScoreTarget) -> BoxFuture<'a, Result<Vec<ChatScore>, String>> {
        Box::pin(async move {
            let Some(target) = target(to) else { return Ok(Vec::new()) };
            let scores: Vec<GameHighScore> =
                self.call("getGameHighScores", &GetGameHighScores { user_id: user.0, target }).await?;
            Ok(scores
                .into_iter()
                .map(|line| ChatScore {
                    position: line.position,
                    user_id: line.user.id.0,
                    name: line.user.first_name,
                    score: line.score,
                })
                .collect())
        })
    }
}
