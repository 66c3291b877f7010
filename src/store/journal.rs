//! The update journal: every update that moves money (a `successful_payment` or a
//! `refunded_payment` message) is written here before Telegram is told we have it (the next
//! getUpdates offset, or the webhook's 200), and removed when its handler has finished. A
//! process that dies in between leaves the entry, and some process replays it; the handlers
//! are idempotent by charge id, so a replay of an update that was in fact handled changes
//! nothing.
//!
//! Three keys in one slot (`{journal}`): the raw updates, when each is due for a replay, and
//! how often each was replayed (for the back-off).

use redis::AsyncCommands;

use futures::future::BoxFuture;
use futures::FutureExt;

use super::{Conn, Store, StoreError, StoreResult};

use super::keys::{JOURNAL_ATTEMPTS as ATTEMPTS, JOURNAL_DUE as DUE, JOURNAL_UPDATES as UPDATES};

/// The write behind [`Store::journal_done`]: every finished update forgotten in one transaction.
pub(super) fn write_done(conn: Conn) -> impl Fn(Vec<i64>) -> BoxFuture<'static, StoreResult<()>> + Send + Sync {
    move |ids| {
        let mut conn = conn.clone();
        async move {
            let mut pipe = redis::pipe();
            pipe.atomic().hdel(UPDATES, &ids).ignore().zrem(DUE, &ids).ignore().hdel(ATTEMPTS, &ids).ignore();
            let _: () = pipe.query_async(&mut conn).await?;
            Ok(())
        }
        .boxed()
    }
}

/// A journaled update due for a replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journaled {
    pub update_id: i64,
    pub raw: String,
    /// 1 for the first replay.
    pub attempt: u32,
}

impl Store {
    /// Writes `updates` (update_id, raw JSON) in one transaction, each due for a replay at
    /// `due_ms` unless its handler finishes first. Writing an entry again is harmless.
    pub async fn journal(&self, updates: &[(i64, String)], due_ms: i64) -> StoreResult<()> {
        if updates.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (id, raw) in updates {
            pipe.hset(UPDATES, id, raw).ignore().zadd(DUE, id, due_ms).ignore();
        }
        let _: () = pipe.query_async(&mut self.conn()).await?;
        Ok(())
    }

    /// The handler of `update_id` finished: forget it (group-committed with the other handlers
    /// finishing at the same moment; returns once it is written).
    pub async fn journal_done(&self, update_id: i64) -> StoreResult<()> {
        self.groups.journal_done.submit(update_id).await
    }

    /// Claims up to `limit` entries due at `now_ms`; each one's next replay moves back by
    /// `first_delay_ms` doubled per attempt, at most `max_delay_ms`.
    pub async fn journal_claim_due(
        &self,
        now_ms: i64,
        first_delay_ms: i64,
        max_delay_ms: i64,
        limit: usize,
    ) -> StoreResult<Vec<Journaled>> {
        let flat: Vec<redis::Value> = self
            .scripts
            .journal_claim
            .key(UPDATES)
            .key(DUE)
            .key(ATTEMPTS)
            .arg(now_ms)
            .arg(first_delay_ms)
            .arg(max_delay_ms)
            .arg(limit)
            .invoke_async(&mut self.conn())
            .await?;
        fn parse<T: redis::FromRedisValue>(value: redis::Value) -> StoreResult<T> {
            redis::from_redis_value(value).map_err(|error| StoreError::Protocol(error.to_string()))
        }
        let mut values = flat.into_iter();
        let mut claimed = Vec::new();
        while let Some(id) = values.next() {
            let (Some(raw), Some(attempt)) = (values.next(), values.next()) else {
                return Err(StoreError::Protocol("journal_claim: a partial entry".into()));
            };
            claimed.push(Journaled { update_id: parse(id)?, raw: parse(raw)?, attempt: parse(attempt)? });
        }
        Ok(claimed)
    }

    /// How many updates wait in the journal.
    pub async fn journal_len(&self) -> StoreResult<u64> {
        Ok(self.conn().hlen(UPDATES).await?)
    }
}
