//! The support inbox: every `/paysupport` message is stored here before it is forwarded, so a
//! message survives admins who never opened the bot. Global keys written by single commands (a
//! counter, an index sorted by arrival, the ids not answered yet, a hash per message); the
//! indexes keep the newest [`KEPT`] messages and a message's hash expires [`KEEP_SECS`] after it
//! arrived.

use redis::AsyncCommands;

use super::{keys, Store, StoreResult};
use crate::domain::UserId;

/// How many messages the inbox index keeps.
pub const KEPT: isize = 1_000;
/// How long one message is kept (180 days).
pub const KEEP_SECS: i64 = 180 * 24 * 3600;

/// One stored support message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SupportMessage {
    pub id: u64,
    pub user: i64,
    pub name: String,
    /// Their @username when they had one (without the @).
    pub username: Option<String>,
    pub text: String,
    pub at_ms: i64,
    pub answer: Option<String>,
    pub answered_at_ms: Option<i64>,
    pub answered_by: Option<i64>,
}

impl Store {
    /// Stores a new support message from `user` (their name, and @username if they have one) and
    /// returns its id.
    pub async fn record_support_message(
        &self,
        user: UserId,
        name: &str,
        username: Option<&str>,
        text: &str,
        at_ms: i64,
    ) -> StoreResult<u64> {
        let id: u64 = self.conn().incr(keys::SUPPORT_SEQ, 1).await?;
        let key = keys::support_message(id);
        let mut fields = vec![
            ("user", user.to_string()),
            ("name", name.to_owned()),
            ("text", text.to_owned()),
            ("at", at_ms.to_string()),
        ];
        fields.extend(username.map(|username| ("username", username.to_owned())));
        let _: () = self.conn().hset_multiple(&key, &fields).await?;
        let _: () = self.conn().expire(&key, KEEP_SECS).await?;
        for index in [keys::SUPPORT_INBOX, keys::SUPPORT_UNANSWERED] {
            let _: () = self.conn().zadd(index, id, at_ms).await?;
            let _: () = self.conn().zremrangebyrank(index, 0, -(KEPT + 1)).await?;
        }
        Ok(id)
    }

    /// The newest `limit` support messages, newest first (expired ones left out).
    pub async fn support_messages(&self, limit: isize) -> StoreResult<Vec<SupportMessage>> {
        self.support_messages_of(keys::SUPPORT_INBOX, limit).await
    }

    /// The newest `limit` messages not answered yet, newest first, and how many there are.
    pub async fn unanswered_support_messages(&self, limit: isize) -> StoreResult<(Vec<SupportMessage>, u64)> {
        let count: u64 = self.conn().zcard(keys::SUPPORT_UNANSWERED).await?;
        Ok((self.support_messages_of(keys::SUPPORT_UNANSWERED, limit).await?, count))
    }

    async fn support_messages_of(&self, index: &str, limit: isize) -> StoreResult<Vec<SupportMessage>> {
        let ids: Vec<u64> = self.conn().zrevrange(index, 0, limit - 1).await?;
        let mut messages = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(message) = self.support_message(id).await? {
                messages.push(message);
            }
        }
        Ok(messages)
    }

    /// One support message, if it is still kept.
    pub async fn support_message(&self, id: u64) -> StoreResult<Option<SupportMessage>> {
        let row: std::collections::HashMap<String, String> = self.conn().hgetall(keys::support_message(id)).await?;
        let number = |field: &str| row.get(field).and_then(|value| value.parse::<i64>().ok());
        let Some(user) = number("user") else { return Ok(None) };
        Ok(Some(SupportMessage {
            id,
            user,
            name: row.get("name").cloned().unwrap_or_default(),
            username: row.get("username").cloned(),
            text: row.get("text").cloned().unwrap_or_default(),
            at_ms: number("at").unwrap_or(0),
            answer: row.get("answer").cloned(),
            answered_at_ms: number("answered_at"),
            answered_by: number("answered_by"),
        }))
    }

    /// Marks a support message answered by `admin` (the latest answer wins); false if the
    /// message is no longer kept.
    pub async fn answer_support_message(&self, id: u64, admin: UserId, answer: &str, at_ms: i64) -> StoreResult<bool> {
        let key = keys::support_message(id);
        if !self.conn().exists::<_, bool>(&key).await? {
            return Ok(false);
        }
        let fields =
            [("answer", answer.to_owned()), ("answered_at", at_ms.to_string()), ("answered_by", admin.to_string())];
        let _: () = self.conn().hset_multiple(&key, &fields).await?;
        let _: () = self.conn().zrem(keys::SUPPORT_UNANSWERED, id).await?;
        Ok(true)
    }

    /// Remembers that `admin`'s next plain message answers message `id` (for `for_secs`).
    pub async fn start_support_reply(&self, admin: UserId, id: u64, for_secs: u64) -> StoreResult<()> {
        let _: () = self.conn().set_ex(keys::support_replying(admin), id, for_secs).await?;
        Ok(())
    }

    /// The message `admin` is answering, once.
    pub async fn take_support_reply(&self, admin: UserId) -> StoreResult<Option<u64>> {
        Ok(self.conn().get_del(keys::support_replying(admin)).await?)
    }
}
