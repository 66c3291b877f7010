//! The names of the players who write to the bot in private, recorded as their updates come
//! ([`store::names`](crate::store::Store::remember_user)): what the console's `@username` lookup
//! and a gift's recipient are found by. Written in a task of its own, off every handler's path,
//! and only when this process has not recorded the same names for that player before.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use teloxide::types::{ChatKind, MaybeInaccessibleMessage, Update, UpdateKind, User};

use super::{player_of, Shop};
use crate::domain::UserId as PlayerId;

/// Players remembered at most before the memory starts over (each then writes once more).
const REMEMBERED: usize = 100_000;

/// The names this process last recorded for each player.
#[derive(Debug, Default)]
pub struct Seen {
    names: Mutex<HashMap<PlayerId, Names>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Names {
    first_name: String,
    username: Option<String>,
}

impl Seen {
    /// True when `names` differ from what this process last recorded for `player`.
    fn is_news(&self, player: PlayerId, names: &Names) -> bool {
        self.names.lock().unwrap_or_else(PoisonError::into_inner).get(&player) != Some(names)
    }

    fn recorded(&self, player: PlayerId, names: Names) {
        let mut known = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= REMEMBERED {
            known.clear();
        }
        known.insert(player, names);
    }
}

/// The user of a private-chat message or of a button pressed in the private chat.
fn private_user(update: &Update) -> Option<&User> {
    match &update.kind {
        UpdateKind::Message(message) if matches!(message.chat.kind, ChatKind::Private(_)) => message.from.as_ref(),
        UpdateKind::CallbackQuery(query) => match &query.message {
            Some(MaybeInaccessibleMessage::Regular(message)) if matches!(message.chat.kind, ChatKind::Private(_)) => {
                Some(&query.from)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Records the names of `update`'s private-chat user when they are news to this process.
pub fn note(shop: &Shop, update: &Update) {
    let Some(user) = private_user(update).filter(|user| !user.is_bot) else { return };
    let player = player_of(user);
    let names = Names { first_name: user.first_name.clone(), username: user.username.clone() };
    if !shop.seen.is_news(player, &names) {
        return;
    }
    let shop = shop.clone();
    tokio::spawn(async move {
        match shop.store.remember_user(player, &names.first_name, names.username.as_deref()).await {
            Ok(()) => shop.seen.recorded(player, names),
            Err(error) => tracing::warn!(user = %player, %error, "could not record a player's names"),
        }
    });
}
