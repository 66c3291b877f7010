//! What the chat remembers between updates: the player's live dig message, so "Dig again" on
//! any older message is known to be stale. One plain key per player in the player's slot,
//! written with a single `SET`.

use std::time::Duration;

use super::keys::PlayerKeys;
use super::{Store, StoreResult};
use crate::domain::UserId;

/// How long a live dig message stays live without a new `/dig` (a month of not digging makes
/// its button stale; `/dig` starts a new one).
const DIG_MESSAGE_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

impl Store {
    /// Makes `message_id` the player's live dig message.
    pub async fn set_dig_message(&self, user: UserId, message_id: i64) -> StoreResult<()> {
        redis::cmd("SET")
            .arg(PlayerKeys::new(user).dig_message())
            .arg(message_id)
            .arg("PX")
            .arg(DIG_MESSAGE_TTL.as_millis() as u64)
            .query_async::<()>(&mut self.conn())
            .await?;
        Ok(())
    }

    /// The player's live dig message, if any.
    pub async fn dig_message(&self, user: UserId) -> StoreResult<Option<i64>> {
        let id: Option<i64> =
            redis::cmd("GET").arg(PlayerKeys::new(user).dig_message()).query_async(&mut self.conn()).await?;
        Ok(id)
    }
}
