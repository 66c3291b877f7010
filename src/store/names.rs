//! Who a player is by name: their Telegram first name and @username, kept in their state, and an
//! index from @username to user id (`keys::usernames`) of the players who wrote to the bot in
//! private. The Bot API cannot look a user up by @username, so this index is the only way the
//! console (and a gift) finds `@name`.
//!
//! Two steps in two slots (the player's, then the index's): a crash between them leaves the
//! index behind by one rename, and a lookup checks the player's state before it trusts an entry,
//! so a stale entry finds nobody rather than the wrong player. A player's first contact with a
//! process is every purchase flow's in `bench purchase-flow`, so the writes are few: the names
//! go in the same round trip as the player's language ([`Store::greet`]), and new index entries
//! of many players in one `HSET` (group-committed).

use futures::future::BoxFuture;
use futures::FutureExt;
use redis::AsyncCommands;

use super::keys::{self, PlayerKeys};
use super::{Conn, Store, StoreResult};
use crate::domain::{username_key, Lang, UserId};

/// The names a player goes by now, as their latest update shows them.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    pub first_name: &'a str,
    /// Without the `@`; None when they have none.
    pub username: Option<&'a str>,
}

/// The index entry a write of names leaves to move: the @username held before (lowercase, empty
/// when none) and now.
#[derive(Debug, PartialEq, Eq)]
pub struct IndexMove {
    before: String,
    now: String,
}

/// The write behind a new index entry: every (lowercase @username, user) queued, one `HSET`.
pub(super) fn write_index(
    conn: Conn,
) -> impl Fn(Vec<(String, u64)>) -> BoxFuture<'static, StoreResult<()>> + Send + Sync {
    move |entries| {
        let mut conn = conn.clone();
        async move {
            let _: () = conn.hset_multiple(keys::usernames(), &entries).await?;
            Ok(())
        }
        .boxed()
    }
}

/// Appends to `pipe` the names' write in the player's state, whose one reply is the @username
/// held before. No script and no transaction: another process recording the same player in
/// between can only leave a stale index entry, which finds nobody (see `find_username`).
fn write_names(pipe: &mut redis::Pipeline, user: UserId, names: Names<'_>) {
    let state = PlayerKeys::new(user).state();
    pipe.hget(&state, "username");
    match names.username.filter(|username| !username.is_empty()) {
        Some(username) => pipe.hset_multiple(&state, &[("name", names.first_name), ("username", username)]).ignore(),
        None => pipe.hset(&state, "name", names.first_name).ignore().hdel(&state, "username").ignore(),
    };
}

fn index_move(before: Option<String>, names: Names<'_>) -> Option<IndexMove> {
    let before = before.unwrap_or_default().to_ascii_lowercase();
    let now = names.username.unwrap_or("").to_ascii_lowercase();
    (before != now).then_some(IndexMove { before, now })
}

impl Store {
    /// Records the names `user` goes by now and moves their index entry when their @username
    /// changed.
    pub async fn remember_user(&self, user: UserId, names: Names<'_>) -> StoreResult<()> {
        let mut pipe = redis::pipe();
        write_names(&mut pipe, user, names);
        let (before,): (Option<String>,) = pipe.query_async(&mut self.conn()).await?;
        match index_move(before, names) {
            Some(change) => self.move_index(user, change).await,
            None => Ok(()),
        }
    }

    /// A player's first update in this process: their language (the stored one, else
    /// `first_seen`, stored for good: `SET NX GET`) and, when given, their names, in one round
    /// trip in their slot. Returns the language and the index entry left to move
    /// ([`Store::move_index`]), which the caller may write off its path.
    pub async fn greet(
        &self,
        user: UserId,
        first_seen: Lang,
        names: Option<Names<'_>>,
    ) -> StoreResult<(Lang, Option<IndexMove>)> {
        let mut pipe = redis::pipe();
        pipe.cmd("SET").arg(PlayerKeys::new(user).language()).arg(first_seen.code()).arg("NX").arg("GET");
        let Some(names) = names else {
            let (stored,): (Option<String>,) = pipe.query_async(&mut self.conn()).await?;
            return Ok((super::language::stored_or(stored, first_seen), None));
        };
        write_names(&mut pipe, user, names);
        let (stored, before): (Option<String>, Option<String>) = pipe.query_async(&mut self.conn()).await?;
        Ok((super::language::stored_or(stored, first_seen), index_move(before, names)))
    }

    /// Moves `user`'s index entry after a change of @username: a first one is group-committed
    /// with the other new players' (one `HSET`); a rename or a dropped name runs a script that
    /// drops the old entry only while it still points to them.
    pub async fn move_index(&self, user: UserId, change: IndexMove) -> StoreResult<()> {
        if change.before.is_empty() {
            return self.groups.usernames.submit((change.now, user.0)).await;
        }
        let _: i64 = self
            .scripts
            .index_username
            .key(keys::usernames())
            .arg(user.0)
            .arg(&change.now)
            .arg(&change.before)
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
