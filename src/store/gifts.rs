//! Gifts: which player holds a charge (a gift's record lives in its recipient's slot, see
//! `grant.lua`), the index of the gifts a player gave, and whether a recipient ever started the bot.

use redis::AsyncCommands;

use super::keys::{self, PlayerKeys};
use super::{Store, StoreResult};
use crate::domain::{ChargeId, OrderId, UserId};

impl Store {
    /// The player whose slot keeps `user`'s charge: the recipient when `user` paid for a gift
    /// (the charge's first claim names the payer and the invoice payload, which names the
    /// recipient), else `user`. Any slot's reader of a payer's charge asks this first.
    pub async fn holder_of(&self, user: UserId, charge: &ChargeId) -> StoreResult<UserId> {
        let owner: Option<String> = self.conn().get(keys::charge_owner(charge)).await?;
        Ok(owner.as_deref().and_then(|owner| gift_recipient(owner, user)).unwrap_or(user))
    }

    /// Notes that `payer` gave `recipient` the charge (idempotent: a replay writes the same).
    pub async fn note_gift_given(&self, payer: UserId, charge: &ChargeId, recipient: UserId) -> StoreResult<()> {
        let _: () = self.conn().hset(PlayerKeys::new(payer).gifts_given(), charge.as_str(), recipient.0).await?;
        Ok(())
    }

    /// The gifts `payer` gave: charge -> recipient.
    pub async fn gifts_given(&self, payer: UserId) -> StoreResult<Vec<(ChargeId, UserId)>> {
        let raw: Vec<(String, u64)> = self.conn().hgetall(PlayerKeys::new(payer).gifts_given()).await?;
        Ok(raw.into_iter().filter_map(|(charge, to)| Some((ChargeId::parse(&charge).ok()?, UserId(to)))).collect())
    }

    /// Marks that the player's next plain message names the recipient of a gift of `item`.
    pub async fn await_gift_recipient(&self, user: UserId, item: &str, for_secs: u64) -> StoreResult<()> {
        let _: () = self.conn().set_ex(PlayerKeys::new(user).gift_request(), item, for_secs).await?;
        Ok(())
    }

    /// The item of the gift the player was asked a recipient for, once.
    pub async fn take_gift_request(&self, user: UserId) -> StoreResult<Option<String>> {
        Ok(self.conn().get_del(PlayerKeys::new(user).gift_request()).await?)
    }

    /// True when `user` has written to the bot (their name is kept: `store::names`), so a gift
    /// can reach them and they can read who sent it.
    pub async fn has_started(&self, user: UserId) -> StoreResult<bool> {
        Ok(self.conn().hexists(PlayerKeys::new(user).state(), "name").await?)
    }
}

/// The recipient a charge owner entry (`<payer>|<payload>`) names when `user` is its payer and
/// the payload is a gift's.
fn gift_recipient(owner: &str, user: UserId) -> Option<UserId> {
    let (payer, payload) = owner.split_once('|')?;
    if payer != user.to_string() {
        return None;
    }
    OrderId::parse(payload)?.recipient()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gift_charge_is_held_by_its_recipient_only_for_its_payer() {
        assert_eq!(gift_recipient("7|pickaxe.Ab3dEf9h:42", UserId(7)), Some(UserId(42)));
        assert_eq!(gift_recipient("7|pickaxe.Ab3dEf9h:42", UserId(42)), None);
        assert_eq!(gift_recipient("7|pickaxe.Ab3dEf9h", UserId(7)), None);
        assert_eq!(gift_recipient("7", UserId(7)), None);
    }
}
