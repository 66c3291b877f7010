//! The language each player reads Starmine in: one plain key in the player's slot holding a
//! shipped language's code, set from the Telegram `language_code` of the first update seen from
//! the player and changed by `/language`. Single commands only.

use super::keys::PlayerKeys;
use super::{Store, StoreResult};
use crate::domain::{Lang, UserId};

impl Store {
    /// The player's stored language, English when none is stored (a player the bot has not
    /// heard from, or one from before languages).
    pub async fn language(&self, user: UserId) -> StoreResult<Lang> {
        let code: Option<String> =
            redis::cmd("GET").arg(PlayerKeys::new(user).language()).query_async(&mut self.conn()).await?;
        Ok(code.as_deref().and_then(Lang::from_code).unwrap_or_default())
    }

    /// `/language`: the player's choice, kept from now on.
    pub async fn set_language(&self, user: UserId, lang: Lang) -> StoreResult<()> {
        redis::cmd("SET")
            .arg(PlayerKeys::new(user).language())
            .arg(lang.code())
            .query_async::<()>(&mut self.conn())
            .await?;
        Ok(())
    }
}

/// The language a `SET NX GET` found stored, else the one it stored.
pub(super) fn stored_or(stored: Option<String>, first_seen: Lang) -> Lang {
    stored.as_deref().and_then(Lang::from_code).unwrap_or(first_seen)
}
