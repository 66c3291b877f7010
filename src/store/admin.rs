//! The operator console's one-time sign-in links: a link's nonce is claimed once, by a single
//! `SET NX` that lives until the link expires anyway, so a link works once across processes.

use redis::AsyncCommands;

use super::{keys, Store, StoreResult};
use crate::domain::UserId;

impl Store {
    /// Claims the sign-in link with `nonce` for `admin`: true the first time, false ever after
    /// (until `expires_at_ms`, when the link is refused as expired anyway).
    pub async fn claim_admin_link(
        &self,
        nonce: &str,
        admin: UserId,
        expires_at_ms: i64,
        now_ms: i64,
    ) -> StoreResult<bool> {
        // At least a second, so a link checked just before its end is still remembered as used.
        let keep_ms = (expires_at_ms - now_ms).max(1_000) as u64;
        let options = redis::SetOptions::default()
            .conditional_set(redis::ExistenceCheck::NX)
            .with_expiration(redis::SetExpiry::PX(keep_ms));
        let claimed: Option<String> =
            self.conn().set_options(keys::admin_link(nonce), admin.to_string(), options).await?;
        Ok(claimed.is_some())
    }

    /// Whether the sign-in link with `nonce` was used (the confirmation page says so at once).
    pub async fn admin_link_claimed(&self, nonce: &str) -> StoreResult<bool> {
        Ok(self.conn().exists(keys::admin_link(nonce)).await?)
    }
}
