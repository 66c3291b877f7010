//! Star subscriptions as Telegram runs them: a paid invoice link with `subscription_period`
//! starts one (see `payments::charge`); each renewal is a new charge announced by a
//! `successful_payment` with `is_recurring` true, `is_first_recurring` false, the first invoice's
//! payload and the next `subscription_expiration_date`, with no pre-checkout before it; and
//! `editUserStarSubscription` stops renewals (`is_canceled` true) or re-enables a subscription
//! the bot stopped (false). A player's own cancellation (in Telegram's settings) is not visible
//! to the bot and cannot be undone by it.
//!
//! Time does not pass here: a renewal happens when a test or the sandbox asks for it
//! ([`Emulator::renew_subscription`]), dated at the period's end. Which charge id names a
//! subscription in `editUserStarSubscription` the Bot API does not say; the emulator accepts any
//! of its charges (the first or a renewal's) and records which one the bot sent.
//! The error texts for a subscription it cannot change are ours (the real ones are unverified).

use serde_json::{json, Map};

use super::payments::{Charge, Transaction};
use super::state::{Shared, State};
use super::wire::{ApiError, ApiResult, Params};
use super::Emulator;

/// Who stopped a subscription's renewals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CanceledBy {
    /// `editUserStarSubscription` with `is_canceled` true.
    Bot,
    /// The user, in Telegram's settings (invisible to the bot).
    User,
}

/// One subscription, keyed in the state by its first charge id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub user: i64,
    /// The chat its payments are announced in (the user's private chat).
    pub chat: i64,
    pub payload: String,
    pub title: String,
    pub amount: i64,
    pub period: i64,
    /// When the period paid for ends (Unix time).
    pub expires_at: i64,
    pub canceled_by: Option<CanceledBy>,
    /// Ended: renewals stopped at a period's end, or a renewal failed. Nothing renews it.
    pub ended: bool,
    /// Every charge of it, the first first.
    pub charges: Vec<String>,
}

/// What asking for a subscription's renewal did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renewal {
    /// Charged: a new successful_payment was enqueued.
    Renewed { charge_id: String, expires_at: i64 },
    /// Renewals were stopped (by the bot or the user): the subscription ended at its period's end.
    Canceled { by: CanceledBy },
    /// The charge failed (say, too few Stars): nothing was charged and the subscription ended.
    Failed,
    /// It had ended before, or there is no such subscription.
    Ended,
}

impl State {
    /// The subscription one of whose charges is `charge_id`: its first charge id and record.
    fn subscription_of(&mut self, charge_id: &str) -> Option<(String, &mut Subscription)> {
        self.subscriptions
            .iter_mut()
            .find(|(_, subscription)| subscription.charges.iter().any(|charge| charge == charge_id))
            .map(|(first, subscription)| (first.clone(), subscription))
    }
}

/// Starts a subscription with its first charge (called by `payments::charge`).
pub(crate) fn start(state: &mut State, first_charge: &str, subscription: Subscription) {
    state.subscriptions.insert(first_charge.to_owned(), subscription);
}

/// The next period's charge of `first_charge`'s subscription, or why there is none; `fail`
/// makes the charge fail.
fn renew(state: &mut State, first_charge: &str, fail: bool) -> Renewal {
    let Some(subscription) = state.subscriptions.get_mut(first_charge).filter(|s| !s.ended) else {
        return Renewal::Ended;
    };
    if let Some(by) = subscription.canceled_by {
        subscription.ended = true;
        return Renewal::Canceled { by };
    }
    if fail {
        subscription.ended = true;
        return Renewal::Failed;
    }
    let charge_id = State::fresh_id("stx", 24);
    let paid_at = subscription.expires_at;
    subscription.expires_at += subscription.period;
    subscription.charges.push(charge_id.clone());
    let subscription = subscription.clone();
    let charge = Charge {
        user: subscription.user,
        amount: subscription.amount,
        payload: subscription.payload.clone(),
        subscription_period: Some(subscription.period),
        refunded: false,
    };
    state.charges.insert(charge_id.clone(), charge);
    state.record_transaction(Transaction {
        id: charge_id.clone(),
        amount: subscription.amount,
        date: paid_at,
        user: subscription.user,
        payload: subscription.payload.clone(),
        subscription_period: Some(subscription.period),
        incoming: true,
    });
    let payment = json!({
        "currency": "XTR",
        "total_amount": subscription.amount,
        "invoice_payload": subscription.payload,
        "telegram_payment_charge_id": charge_id,
        "provider_payment_charge_id": "",
        "is_recurring": true,
        "subscription_expiration_date": subscription.expires_at,
    });
    let mut fields = Map::new();
    fields.insert("successful_payment".to_owned(), payment);
    state.open_private(subscription.user);
    state.user_message(subscription.chat, subscription.user, fields);
    Renewal::Renewed { charge_id, expires_at: subscription.expires_at }
}

/// `editUserStarSubscription{user_id, telegram_payment_charge_id, is_canceled}` -> `true`.
pub(crate) fn edit_user_star_subscription(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let user = params.req_int("user_id")?;
    let charge_id = params.req_string("telegram_payment_charge_id")?;
    let cancel = params.bool("is_canceled")?.ok_or_else(|| ApiError::bad_request("is_canceled is empty"))?;
    shared.change(|state| {
        let (_, subscription) = state
            .subscription_of(&charge_id)
            .filter(|(_, subscription)| subscription.user == user)
            .ok_or_else(|| ApiError::bad_request("CHARGE_NOT_FOUND: no subscription of this user has this charge"))?;
        if subscription.ended {
            return Err(ApiError::bad_request("SUBSCRIPTION_EXPIRED: the subscription has ended"));
        }
        match (cancel, subscription.canceled_by) {
            (true, None) => subscription.canceled_by = Some(CanceledBy::Bot),
            (true, Some(_)) => {}
            (false, Some(CanceledBy::User)) => {
                return Err(ApiError::bad_request(
                    "SUBSCRIPTION_CANCELED_BY_USER: only the user can re-enable a subscription they cancelled",
                ));
            }
            (false, _) => subscription.canceled_by = None,
        }
        Ok(json!(true))
    })
}

impl Emulator {
    /// Brings `first_charge`'s subscription to its period's end: charges the next period (a
    /// renewal the bot hears of with no pre-checkout), or, with `fail`, fails that charge; a
    /// subscription whose renewals were stopped ends instead.
    pub fn renew_subscription(&self, first_charge: &str, fail: bool) -> Renewal {
        self.shared.change(|state| renew(state, first_charge, fail))
    }

    /// The user stops renewals in Telegram's settings (the bot is not told).
    pub fn cancel_subscription_as_user(&self, charge_id: &str) -> bool {
        self.shared.change(|state| match state.subscription_of(charge_id) {
            Some((_, subscription)) if !subscription.ended => {
                subscription.canceled_by = Some(CanceledBy::User);
                true
            }
            _ => false,
        })
    }

    /// The subscription one of whose charges is `charge_id`, with its first charge id.
    pub fn subscription(&self, charge_id: &str) -> Option<(String, Subscription)> {
        let mut state = self.shared.lock();
        state.subscription_of(charge_id).map(|(first, subscription)| (first, subscription.clone()))
    }

    /// Every subscription, by first charge id.
    pub fn subscriptions(&self) -> Vec<(String, Subscription)> {
        let state = self.shared.lock();
        let mut all: Vec<_> = state.subscriptions.iter().map(|(first, s)| (first.clone(), s.clone())).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}
