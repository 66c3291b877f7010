//! The names of the players who write to the bot in private, recorded as their updates come
//! ([`store::names`](crate::store::Store::remember_user)): what the console's `@username` lookup
//! and a gift's recipient are found by. Written only when this process has not recorded the
//! same names for that player before: with the player's language when that is read too
//! ([`super::reader_language`]), else in a task of its own, off the handler's path.

use teloxide::types::{ChatKind, MaybeInaccessibleMessage, Update, UpdateKind, User};

use super::memo::PlayerMemo;
use super::{player_of, Shop};
use crate::domain::UserId as PlayerId;
use crate::store::{IndexMove, Names as StoredNames};

/// The names this process last recorded for each player.
#[derive(Debug, Default)]
pub struct Seen {
    names: PlayerMemo<Names>,
}

/// A private-chat user's names, as an update shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    first_name: String,
    username: Option<String>,
}

impl Names {
    pub fn stored(&self) -> StoredNames<'_> {
        StoredNames { first_name: &self.first_name, username: self.username.as_deref() }
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

/// The names of `update`'s private-chat user when they are news to this process, noted as
/// recorded from now on (a flow sends several updates at once: only the first writes). The
/// caller writes them, and calls [`failed`] if it cannot.
pub fn news(shop: &Shop, update: &Update) -> Option<(PlayerId, Names)> {
    let user = private_user(update).filter(|user| !user.is_bot)?;
    let player = player_of(user);
    let names = Names { first_name: user.first_name.clone(), username: user.username.clone() };
    if shop.seen.names.get(player).as_ref() == Some(&names) {
        return None;
    }
    shop.seen.names.put(player, names.clone());
    Some((player, names))
}

/// The names of `player` could not be written: a later update tries again.
pub fn failed(shop: &Shop, player: PlayerId, error: &dyn std::fmt::Display) {
    tracing::warn!(user = %player, %error, "could not record a player's names");
    shop.seen.names.forget(player);
}

/// Writes `names` in a task of its own.
pub fn record(shop: &Shop, player: PlayerId, names: Names) {
    let shop = shop.clone();
    tokio::spawn(async move {
        if let Err(error) = shop.store.remember_user(player, names.stored()).await {
            failed(&shop, player, &error);
        }
    });
}

/// Moves `player`'s index entry (what a names write left to do) in a task of its own.
pub fn move_index(shop: &Shop, player: PlayerId, change: IndexMove) {
    let shop = shop.clone();
    tokio::spawn(async move {
        if let Err(error) = shop.store.move_index(player, change).await {
            failed(&shop, player, &error);
        }
    });
}
