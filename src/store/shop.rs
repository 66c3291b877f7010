//! Orders, pre-checkout holds and the two halves of a payment (item side, player side).

use std::time::Duration;

use redis::AsyncCommands;

use super::game::PlayerState;
use super::keys::{self, ItemKeys, PlayerKeys};
use super::{encode_grant, Store, StoreError, StoreResult};
use crate::domain::sales::{Day, Hour};
use crate::domain::{ChargeId, Grant, Item, ItemId, OrderId, Refusal, Settings, UserId};

/// How long orders and charge records stay after their last use, so a late payment or
/// reconciliation still finds them.
pub const KEEP_AFTER_USE: Duration = Duration::from_secs(72 * 3600);

/// The answer to "I want to buy this item".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderOffer {
    /// A payable order: send an invoice for it. `reopened` when it is the player's open one.
    Payable {
        order: OrderId,
        amount: u32,
        expires_at_ms: i64,
        reopened: bool,
    },
    Refused(Refusal),
    /// Over the buys per minute: nothing was created.
    SlowDown,
}

/// The item side's verdict on a successful payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// `None`: grant it. `Some`: it cannot be honoured and must be refunded.
    pub refusal: Option<Refusal>,
    pub qty: u32,
    pub amount: u32,
    /// This charge was confirmed before (a redelivered update).
    pub repeat: bool,
    /// This charge was confirmed before for this other payer: nothing more may be granted.
    pub foreign_payer: Option<UserId>,
}

/// Whose a charge id is, by its first claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChargeClaim {
    /// Claimed now by this payer and order, or claimed by them before (a repeat).
    Ours,
    /// First claimed by another payer, or by this payer for another order.
    Foreign { payer: Option<UserId>, payload: String },
}

/// What one player may buy of one item now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Availability {
    /// Units still for sale: stock - sold - held (None when the item is unlimited).
    pub left: Option<u64>,
    /// Why this player cannot buy one now (sold out, their limit, a tool they own).
    pub refusal: Option<Refusal>,
}

/// What recording a payment did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// This charge was recorded before: nothing changed.
    Repeat,
    /// Granted now: the player as they stand after the grant.
    Granted(Box<PlayerState>),
    /// Recorded now as awaiting an automatic refund; nothing granted.
    AwaitingRefund,
}

/// What Telegram says was (or is about to be) paid: who pays, in what currency, how much.
#[derive(Clone, Copy, Debug)]
pub struct Claim<'a> {
    pub payer: UserId,
    pub currency: &'a str,
    pub amount: u32,
}

fn limits(item: Option<&Item>) -> (i64, i64, &'static str) {
    let Some(item) = item else {
        return (-1, -1, "0");
    };
    let stock = item.stock.map_or(-1, i64::from);
    let max = item.max_per_player.map_or(-1, i64::from);
    (stock, max, if item.is_permanent() { "1" } else { "0" })
}

/// Who an order is opened by and for.
#[derive(Clone, Copy, Debug)]
struct Buyer {
    user: UserId,
    /// A gift's recipient.
    recipient: Option<UserId>,
}

/// A gift's recipient as the order scripts take it ('' for a purchase for oneself).
fn recipient_arg(order: &OrderId) -> String {
    order.recipient().map(|recipient| recipient.to_string()).unwrap_or_default()
}

fn millis(duration: Duration) -> i64 {
    duration.as_millis() as i64
}

impl Store {
    /// Opens an order for `item` (price snapshot, expiry) or re-offers the player's open one;
    /// with `buys_per_minute`, only that many a minute for this player and item (counted in the
    /// same script).
    pub async fn create_order(
        &self,
        item: &Item,
        user: UserId,
        catalog_version: &str,
        settings: &Settings,
        buys_per_minute: Option<u32>,
        now_ms: i64,
    ) -> StoreResult<OrderOffer> {
        let buyer = Buyer { user, recipient: None };
        self.open_order(item, buyer, catalog_version, settings, buys_per_minute, now_ms).await
    }

    /// [`Store::create_order`] for a gift: `giver` pays, `recipient` gets the units, and stock,
    /// limits and ownership count for the recipient (the payload names them: [`OrderId::gift`]).
    pub async fn create_gift_order(
        &self,
        item: &Item,
        (giver, recipient): (UserId, UserId),
        catalog_version: &str,
        settings: &Settings,
        buys_per_minute: Option<u32>,
        now_ms: i64,
    ) -> StoreResult<OrderOffer> {
        let buyer = Buyer { user: giver, recipient: Some(recipient) };
        self.open_order(item, buyer, catalog_version, settings, buys_per_minute, now_ms).await
    }

    async fn open_order(
        &self,
        item: &Item,
        buyer: Buyer,
        catalog_version: &str,
        settings: &Settings,
        buys_per_minute: Option<u32>,
        now_ms: i64,
    ) -> StoreResult<OrderOffer> {
        // A pass is never an item order (it is a subscription, bought through `/pass`).
        if !item.on_sale() || item.pass_perks().is_some() {
            return Ok(OrderOffer::Refused(Refusal::Retired));
        }
        let Buyer { user, recipient } = buyer;
        let keys = ItemKeys::new(&item.id);
        let token = new_token();
        let (stock, max, permanent) = limits(Some(item));
        let open = match recipient {
            Some(recipient) => keys.open_gift_order(user, recipient),
            None => keys.open_order(user),
        };
        let reply: Vec<String> = self
            .scripts
            .create_order
            .key(keys.sold())
            .key(keys.holds())
            .key(keys.owned())
            .key(keys.user_holds(recipient.unwrap_or(user)))
            .key(open)
            .key(keys.order(&token))
            .key(keys.buy_rate(user))
            .arg(now_ms)
            .arg(&token)
            .arg(user.0)
            .arg(item.id.as_str())
            .arg(1)
            .arg(item.price.get())
            .arg(catalog_version)
            .arg(millis(settings.order_ttl))
            .arg(millis(KEEP_AFTER_USE))
            .arg(stock)
            .arg(max)
            .arg(permanent)
            .arg(buys_per_minute.unwrap_or(0))
            .arg(new_token())
            .arg(recipient.map(|recipient| recipient.to_string()).unwrap_or_default())
            .invoke_async(&mut self.conn())
            .await?;
        let order = |token: &String| match recipient {
            Some(recipient) => OrderId::gift(item.id.clone(), token.clone(), recipient),
            None => OrderId::new(item.id.clone(), token.clone()),
        };
        match reply.as_slice() {
            [verdict] if verdict == "slow_down" => Ok(OrderOffer::SlowDown),
            [verdict, reason] if verdict == "refused" => Ok(OrderOffer::Refused(refusal(reason)?)),
            [verdict, token, amount, expires] => Ok(OrderOffer::Payable {
                order: order(token),
                amount: number(amount)?,
                expires_at_ms: number(expires)?,
                reopened: verdict == "reopened",
            }),
            other => Err(StoreError::Protocol(format!("create_order: {other:?}"))),
        }
    }

    /// Decides a pre-checkout query in one script in the item's slot and holds the unit.
    /// `item` is `None` when the item is no longer in the catalog; a retired item's open
    /// invoice is refused before anything is held.
    pub async fn precheckout(
        &self,
        order: &OrderId,
        item: Option<&Item>,
        claim: Claim<'_>,
        settings: &Settings,
        now_ms: i64,
    ) -> StoreResult<Result<(), Refusal>> {
        if item.is_some_and(|item| !item.on_sale()) {
            return Ok(Err(Refusal::Retired));
        }
        let Claim { payer, currency, amount } = claim;
        let keys = ItemKeys::new(order.item());
        let (stock, max, permanent) = limits(item);
        let reply: String = self
            .scripts
            .precheckout
            .key(keys.order(order.token()))
            .key(keys.sold())
            .key(keys.holds())
            .key(keys.owned())
            .key(keys.user_holds(order.holder(payer)))
            .arg(now_ms)
            .arg(payer.0)
            .arg(currency)
            .arg(amount)
            .arg(stock)
            .arg(max)
            .arg(permanent)
            .arg(millis(settings.hold_ttl))
            .arg(order.token())
            .arg(millis(KEEP_AFTER_USE))
            .arg(recipient_arg(order))
            .invoke_async(&mut self.conn())
            .await?;
        if reply == "ok" {
            return Ok(match item {
                Some(_) => Ok(()),
                None => Err(Refusal::ItemGone),
            });
        }
        Ok(Err(refusal(&reply)?))
    }

    /// The item side of a successful payment, idempotent by charge id; counts the day's money
    /// (see `domain::sales`).
    pub async fn confirm_payment(
        &self,
        order: &OrderId,
        item: Option<&Item>,
        claim: Claim<'_>,
        charge: &ChargeId,
        now_ms: i64,
    ) -> StoreResult<Confirmation> {
        let Claim { payer, currency, amount } = claim;
        let keys = ItemKeys::new(order.item());
        let (stock, max, permanent) = limits(item);
        let reply: Vec<String> = self
            .scripts
            .confirm_payment
            .key(keys.order(order.token()))
            .key(keys.sold())
            .key(keys.holds())
            .key(keys.owned())
            .key(keys.user_holds(order.holder(payer)))
            .key(keys.charges())
            .key(match order.recipient() {
                Some(recipient) => keys.open_gift_order(payer, recipient),
                None => keys.open_order(payer),
            })
            .key(keys.money())
            .arg(now_ms)
            .arg(payer.0)
            .arg(currency)
            .arg(amount)
            .arg(stock)
            .arg(max)
            .arg(permanent)
            .arg(charge.as_str())
            .arg(order.token())
            .arg(millis(KEEP_AFTER_USE))
            .arg(if item.is_some() { "1" } else { "0" })
            .arg(Day::of(now_ms).to_string())
            .arg(Hour::of(now_ms).to_string())
            .arg(recipient_arg(order))
            .invoke_async(&mut self.conn())
            .await?;
        let [verdict, reason, qty, paid, repeat] = reply.as_slice() else {
            return Err(StoreError::Protocol(format!("confirm_payment: {reply:?}")));
        };
        let foreign_payer = (verdict == "foreign").then(|| number(reason).map(UserId)).transpose()?;
        Ok(Confirmation {
            refusal: if verdict == "refund" { Some(refusal(reason)?) } else { None },
            qty: number(qty)?,
            amount: number(paid)?,
            repeat: repeat == "1",
            foreign_payer,
        })
    }

    /// Gives `charge` to `payer` and `payload` whatever claimed it first: only for what the Star
    /// ledger itself shows (reconciliation), which outranks any claim from an update.
    pub async fn reclaim_charge(&self, charge: &ChargeId, payer: UserId, payload: &str) -> StoreResult<()> {
        let _: () = self.conn().set(keys::charge_owner(charge), format!("{payer}|{payload}")).await?;
        Ok(())
    }

    /// Forgets `item`'s record of `charge` made by `false_payer`'s voided, released claim.
    pub async fn forget_item_charge(&self, item: &str, charge: &ChargeId, false_payer: UserId) -> StoreResult<bool> {
        let Ok(item) = ItemId::parse(item) else { return Ok(false) };
        let forgotten: i64 = self
            .scripts
            .forget_charge
            .key(ItemKeys::new(&item).charges())
            .arg(charge.as_str())
            .arg(false_payer.0)
            .invoke_async(&mut self.conn())
            .await?;
        Ok(forgotten == 1)
    }

    /// Claims `charge` for `payer` and the invoice `payload` (one key, any slot): the first
    /// claim of a charge id holds for good, so no other payer or order is ever granted it.
    pub async fn claim_charge(&self, charge: &ChargeId, payer: UserId, payload: &str) -> StoreResult<ChargeClaim> {
        let reply: Vec<String> = self
            .scripts
            .claim_charge
            .key(keys::charge_owner(charge))
            .arg(payer.0)
            .arg(payload)
            .invoke_async(&mut self.conn())
            .await?;
        match reply.as_slice() {
            [verdict, _] if verdict == "ours" => Ok(ChargeClaim::Ours),
            [verdict, owner] if verdict == "foreign" => {
                let (payer, payload) = owner.split_once('|').unwrap_or((owner, ""));
                Ok(ChargeClaim::Foreign { payer: payer.parse().ok().map(UserId), payload: payload.to_owned() })
            }
            other => Err(StoreError::Protocol(format!("claim_charge: {other:?}"))),
        }
    }

    /// The player side of a payment, idempotent by charge id: records it and grants `grants`
    /// (or, with `unfulfillable`, records it as awaiting an automatic refund and grants nothing).
    /// The payment must be awaiting verification already ([`Store::await_verification`]), so a
    /// crash can never leave a grant the Star ledger does not check.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_payment(
        &self,
        user: UserId,
        charge: &ChargeId,
        item: &str,
        qty: u32,
        amount: u32,
        grant: &Grant,
        unfulfillable: Option<Refusal>,
        now_ms: i64,
    ) -> StoreResult<Recorded> {
        self.record_payment_from(user, None, charge, item, qty, amount, grant, unfulfillable, now_ms).await
    }

    /// [`Store::record_payment`] in `user`'s slot, naming `payer` when another player paid (a
    /// gift: the record keeps its buyer, who alone may ask for its refund).
    #[allow(clippy::too_many_arguments)]
    pub async fn record_payment_from(
        &self,
        user: UserId,
        payer: Option<UserId>,
        charge: &ChargeId,
        item: &str,
        qty: u32,
        amount: u32,
        grant: &Grant,
        unfulfillable: Option<Refusal>,
        now_ms: i64,
    ) -> StoreResult<Recorded> {
        let keys = PlayerKeys::new(user);
        let (status, grants, counted, reason) = match unfulfillable {
            None => ("paid", encode_grant(grant), "1", ""),
            Some(refusal) => ("refund_pending", String::new(), "0", refusal.code()),
        };
        let reply: Vec<redis::Value> = self
            .scripts
            .grant
            .key(keys.inventory())
            .key(keys.payment(charge))
            .key(keys.payments())
            .key(keys.ledger())
            .key(keys.state())
            .key(keys.boosts())
            .arg(now_ms)
            .arg(charge.as_str())
            .arg(item)
            .arg(qty)
            .arg(amount)
            .arg(status)
            .arg(grants)
            .arg(counted)
            .arg(reason)
            .arg(user.0)
            .arg(payer.map(|payer| payer.to_string()).unwrap_or_default())
            .invoke_async(&mut self.conn())
            .await?;
        recorded(reply, "grant")
    }

    /// What `user` may buy of `item` now: units left for sale (limited items) and why one more
    /// unit cannot go to them, by the rule `create_order` applies (what both shops show).
    pub async fn availability(&self, item: &Item, user: UserId, now_ms: i64) -> StoreResult<Availability> {
        if !item.on_sale() {
            return Ok(Availability { left: None, refusal: Some(Refusal::Retired) });
        }
        let (stock, max, permanent) = limits(Some(item));
        if stock < 0 && max < 0 && permanent == "0" {
            return Ok(Availability { left: None, refusal: None });
        }
        let keys = ItemKeys::new(&item.id);
        let (left, reason): (i64, String) = self
            .scripts
            .availability
            .key(keys.sold())
            .key(keys.holds())
            .key(keys.owned())
            .key(keys.user_holds(user))
            .arg(now_ms)
            .arg(user.0)
            .arg(stock)
            .arg(max)
            .arg(permanent)
            .invoke_async(&mut self.conn())
            .await?;
        Ok(Availability {
            left: u64::try_from(left).ok(),
            refusal: if reason.is_empty() { None } else { Some(refusal(&reason)?) },
        })
    }

    /// How many players hold unrefunded purchases of `item` (its per-player owned counts).
    pub async fn owners(&self, item: &ItemId) -> StoreResult<u64> {
        Ok(self.conn().hlen(ItemKeys::new(item).owned()).await?)
    }

    /// Units of `item` sold and not refunded (holds not counted).
    pub async fn units_sold(&self, item: &ItemId) -> StoreResult<u64> {
        let sold: Option<u64> = self.conn().get(ItemKeys::new(item).sold()).await?;
        Ok(sold.unwrap_or(0))
    }

    /// Units of `item` that open holds keep at `now_ms` (approved pre-checkouts waiting for
    /// payment), as `held_units` in the scripts counts them, without dropping the expired ones.
    pub async fn held_units(&self, item: &ItemId, now_ms: i64) -> StoreResult<u64> {
        let members: Vec<String> =
            self.conn().zrangebyscore(ItemKeys::new(item).holds(), format!("({now_ms}"), "+inf").await?;
        let units = |member: &String| member.rsplit_once('|').and_then(|(_, qty)| qty.parse::<u64>().ok());
        Ok(members.iter().filter_map(units).sum())
    }

    /// Serves one game API call if the player made fewer than `per_minute` in the last minute.
    pub async fn allow_api(&self, user: UserId, per_minute: u32, now_ms: i64) -> StoreResult<bool> {
        self.allow(PlayerKeys::new(user).api_rate(), per_minute, now_ms).await
    }

    /// One request against the one-minute sliding window at `window`.
    async fn allow(&self, window: String, per_minute: u32, now_ms: i64) -> StoreResult<bool> {
        let served: i64 = self
            .scripts
            .rate_limit
            .key(window)
            .arg(now_ms)
            .arg(60_000)
            .arg(per_minute)
            .arg(new_token())
            .invoke_async(&mut self.conn())
            .await?;
        Ok(served == 1)
    }

    /// Where a player's order stands: `open`, `paid`, `refunded` or `expired`; None when the
    /// order is unknown or another player's.
    pub async fn order_status(&self, order: &OrderId, user: UserId, now_ms: i64) -> StoreResult<Option<&'static str>> {
        let row: std::collections::HashMap<String, String> =
            self.conn().hgetall(ItemKeys::new(order.item()).order(order.token())).await?;
        if row.get("user").map(String::as_str) != Some(user.to_string().as_str()) {
            return Ok(None);
        }
        if row.get("status").map(String::as_str) == Some("paid") {
            let charge = row.get("charge").and_then(|charge| ChargeId::parse(charge).ok());
            let refunded = match charge {
                Some(charge) => {
                    // A gift's record is its recipient's.
                    let holder = row.get("for").and_then(|to| to.parse().ok()).map_or(user, UserId);
                    let status: Option<String> =
                        self.conn().hget(PlayerKeys::new(holder).payment(&charge), "status").await?;
                    status.as_deref() == Some("refunded")
                }
                None => false,
            };
            return Ok(Some(if refunded { "refunded" } else { "paid" }));
        }
        let expires: i64 = row.get("expires_at").and_then(|at| at.parse().ok()).unwrap_or(0);
        Ok(Some(if now_ms > expires { "expired" } else { "open" }))
    }

    /// The name the player goes by on leaderboards (their Telegram first name).
    pub async fn player_name(&self, user: UserId) -> StoreResult<Option<String>> {
        Ok(self.conn().hget(PlayerKeys::new(user).state(), "name").await?)
    }

    pub async fn set_player_name(&self, user: UserId, name: &str) -> StoreResult<()> {
        let _: () = self.conn().hset(PlayerKeys::new(user).state(), "name", name).await?;
        Ok(())
    }

    /// Marks that the player's next plain message goes to support.
    pub async fn await_support_message(&self, user: UserId, for_secs: u64) -> StoreResult<()> {
        let _: () = self.conn().set_ex(PlayerKeys::new(user).support(), 1, for_secs).await?;
        Ok(())
    }

    /// True once if the player was asked for a support message.
    pub async fn take_support_request(&self, user: UserId) -> StoreResult<bool> {
        let removed: i64 = self.conn().del(PlayerKeys::new(user).support()).await?;
        Ok(removed == 1)
    }
}

fn refusal(code: &str) -> StoreResult<Refusal> {
    Refusal::from_code(code).ok_or_else(|| StoreError::Protocol(format!("unknown refusal `{code}`")))
}

/// A grant script's reply: `{0}` a repeat, `{1, state, inventory, boosts}` granted now (the
/// player as the grant left them), `{1}` recorded as awaiting an automatic refund.
pub(super) fn recorded(reply: Vec<redis::Value>, script: &str) -> StoreResult<Recorded> {
    let protocol = |error| StoreError::Protocol(format!("{script}: {error}"));
    let mut reply = reply.into_iter();
    let recorded: i64 = redis::from_redis_value(reply.next().unwrap_or(redis::Value::Nil)).map_err(protocol)?;
    Ok(match (recorded, reply.next(), reply.next(), reply.next()) {
        (0, ..) => Recorded::Repeat,
        (_, Some(state), Some(inventory), Some(boosts)) => Recorded::Granted(Box::new(super::game::player_state(
            redis::from_redis_value(state).map_err(protocol)?,
            redis::from_redis_value(inventory).map_err(protocol)?,
            redis::from_redis_value(boosts).map_err(protocol)?,
        )?)),
        _ => Recorded::AwaitingRefund,
    })
}

pub(super) fn number<T: std::str::FromStr>(text: &str) -> StoreResult<T> {
    text.parse().map_err(|_| StoreError::Protocol(format!("not a number: `{text}`")))
}

/// A fresh single-use order token: 12 random alphanumerics (~71 bits).
pub(super) fn new_token() -> String {
    use rand::distr::{Alphanumeric, SampleString};
    Alphanumeric.sample_string(&mut rand::rng(), 12)
}
