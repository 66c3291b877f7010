//! Who a player is by name: their Telegram first name and @username, kept in their state, and an
//! index from @username to user id (`keys::usernames`) of the players who wrote to the bot in
//! private. The Bot API cannot look a user up by @username, so this index is the only way the
//! console (and a gift) finds `@name`.
//!
//! Two steps in two slots (the player's, then the index's): a crash between them leaves the
//! index behind by one rename, and a lookup checks the player's state before it trusts an entry,
//! so a stale entry finds nobody rather than the wrong player.

use redis::AsyncCommands;

use super::keys::{self, PlayerKeys};
use super::{Store, StoreResult};
use crate::domain::{username_key, UserId};

impl Store {
    /// Records the names `user` goes by now (`username` without the `@`, None when they have
    /// none) and moves their index entry when their @username changed.
    pub async fn remember_user(&self, user: UserId, first_name: &str, username: Option<&str>) -> StoreResult<()> {
        let username = username.unwrap_or("");
        // One round trip in the player's slot and no script (a first contact is every
        // purchase flow's in `bench purchase-flow`): the name held before, and the new ones.
        let state = PlayerKeys::new(user).state();
        let mut names = redis::pipe();
        names.atomic().hget(&state, "username").hset(&state, "name", first_name).ignore();
        if username.is_empty() {
            names.hdel(&state, "username").ignore();
        } else {
            names.hset(&state, "username", username).ignore();
        }
        let (before,): (Option<String>,) = names.query_async(&mut self.conn()).await?;
        let before = before.unwrap_or_default().to_ascii_lowercase();
        let now = username.to_ascii_lowercase();
        if before == now {
            return Ok(());
        }
        if before.is_empty() {
            let _: () = self.conn().hset(keys::usernames(), &now, user.0).await?;
            return Ok(());
        }
        let _: i64 = self
            .scripts
            .index_username
            .key(keys::usernames())
            .arg(user.0)
            .arg(&now)
            .arg(&before)
            .invoke_async(&mut self.conn())
            .await?;
        Ok(())
    }

    /// The player who goes by `username` (with or without the `@`, any case), when they wrote to
    /// the bot in private under that name and still hold it.
    pub async fn find_username(&self, username: &str) -> StoreResult<Option<UserId>> {
        let Some(key) = username_key(username) else { return Ok(None) };
        let user: Option<u64> = self.conn().hget(keys::usernames(), &key).await?;
        let Some(user) = user.map(UserId) else { return Ok(None) };
        let holds = self.username_of(user).await?.is_some_and(|now| now.eq_ignore_ascii_case(&key));
        Ok(holds.then_some(user))
    }

    /// The @username (without the `@`) `user` went by when they last wrote to the bot.
    pub async fn username_of(&self, user: UserId) -> StoreResult<Option<String>> {
        Ok(self.conn().hget(PlayerKeys::new(user).state(), "username").await?)
    }
}
