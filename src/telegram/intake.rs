//! How updates come in — long polling or the webhook — and the rule that keeps money safe on the
//! way: an update that moves money (a `successful_payment` or `refunded_payment` message) is
//! written to the journal in Redis *before* Telegram is told we have it. With polling that is
//! the next getUpdates offset, which is only sent after the journal write; with the webhook it
//! is the 200, which is only answered after it. The handler removes the entry when it finishes.
//! A process that dies in between leaves the entry behind and [`replay`] (in this process after
//! a restart, or in any other process sharing Redis) hands it to the dispatcher again; the
//! handlers are idempotent by charge id.
//!
//! Why not teloxide's listeners: its polling confirms a batch as soon as it is received, and its
//! webhook answers 200 before handling (telegram-api.md section 8), so an update in hand when
//! the process dies is gone from Telegram's side. Other updates (commands, buttons,
//! pre-checkout queries) are not journaled: losing a `/dig` to a crash costs nothing, and a
//! pre-checkout query nobody answers is declined by Telegram, with nothing charged.
//!
//! Backpressure ([`in_flight`]): an update is in flight from the moment intake hands it to the
//! dispatcher until its handler finishes. A batch first takes a slot for each of its updates —
//! before anything is journaled or confirmed — so at the limit the poller fetches nothing more
//! and the webhook route waits before accepting: a burst waits at Telegram, not in the bot.
//! [`poll`] holds the getUpdates loop, [`confirm`] and the webhook registration.

mod in_flight;
mod poll;

use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, StreamExt};
use serde_json::value::RawValue;
use serde_json::Value;
use teloxide::dispatching::UpdateHandler;
use teloxide::types::{AllowedUpdate, MessageKind, Update, UpdateKind};
use tokio::sync::{mpsc, watch};

pub use self::in_flight::InFlight;
pub use self::poll::{confirm, drop_webhook, poll, set_webhook};
use super::{is_query, HandlerError};
use crate::clock::now_ms;
use crate::config::IntakeLimits;
use crate::store::{Store, StoreError};

/// The update kinds Starmine asks for, registered explicitly with getUpdates and setWebhook
/// (an omitted list keeps whatever was registered before).
pub const ALLOWED_UPDATES: [AllowedUpdate; 4] =
    [AllowedUpdate::Message, AllowedUpdate::CallbackQuery, AllowedUpdate::PreCheckoutQuery, AllowedUpdate::InlineQuery];

/// How long a journaled update may stay unfinished before some process replays it. A handler
/// takes milliseconds; this is well past that, and a replay of a finished one is harmless.
pub const REPLAY_AFTER: Duration = Duration::from_secs(5);
/// How often the journal is checked for updates due for a replay.
const REPLAY_EVERY: Duration = Duration::from_secs(2);
/// A replayed update that still does not finish is tried again after this, doubled each time.
const REPLAY_BACKOFF: Duration = Duration::from_secs(5);
const REPLAY_BACKOFF_MAX: Duration = Duration::from_secs(600);

/// Why intake could not take an update. Telegram keeps it and delivers it again.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("the journal is unavailable: {0}")]
    Unavailable(#[from] StoreError),
    #[error("shutting down")]
    Stopping,
    /// The in-flight limit left no room within the time the caller could wait.
    #[error("at the in-flight limit")]
    Busy,
}

/// Hands updates to the dispatcher, journaling the money ones first. Cheap to clone.
#[derive(Clone)]
pub struct Intake {
    store: Store,
    /// Bounded by the in-flight limit (every update in it holds a slot), so a send never waits.
    tx: mpsc::Sender<Update>,
    in_flight: InFlight,
    /// Turns true once [`Intake::stop`] is called.
    stopping: watch::Receiver<bool>,
    stop: Arc<watch::Sender<bool>>,
}

/// The dispatcher's side of [`Intake`]: every update handed over, in order; ends once intake
/// is stopped (after which it refuses new updates).
pub type Updates = std::pin::Pin<Box<dyn Stream<Item = Update> + Send>>;

/// One update as Telegram sent it: its JSON text, read once into an [`Update`] for the
/// dispatcher and kept as it came for the journal.
pub type RawUpdate = Box<RawValue>;

/// Whether `update` is one whose loss would lose money: a payment or a refund.
pub fn moves_money(update: &Update) -> bool {
    matches!(
        &update.kind,
        UpdateKind::Message(message)
            if matches!(message.kind, MessageKind::SuccessfulPayment(_) | MessageKind::RefundedPayment(_))
    )
}

impl Intake {
    pub fn new(store: Store, limits: IntakeLimits) -> (Self, Updates) {
        let (tx, rx) = mpsc::channel(limits.max_in_flight);
        let updates = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|update| (update, rx)) });
        let (stop, stopping) = watch::channel(false);
        let intake = Self { store, tx, in_flight: InFlight::new(limits), stopping, stop: Arc::new(stop) };
        let updates: Updates = Box::pin(updates.take_until(intake.stopped()));
        (intake, updates)
    }

    /// Stops taking updates: the poller and the webhook refuse from now on (Telegram keeps what
    /// they did not confirm) and the dispatcher's stream ends (a payment update handed over but
    /// not yet taken stays in the journal and is replayed).
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }

    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// The handler tree to give the dispatcher: `handler`, giving each update's slot back when
    /// it is done (see [`InFlight::track`]).
    pub fn track(&self, handler: UpdateHandler<HandlerError>) -> UpdateHandler<HandlerError> {
        self.in_flight.track(handler)
    }

    /// The most updates that can be in flight; no lane of the dispatcher ever holds more.
    pub fn max_in_flight(&self) -> usize {
        self.in_flight.limits().0
    }

    /// Resolves once intake was stopped.
    pub fn stopped(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut stopping = self.stopping.clone();
        async move {
            // An error means the sender is gone, which only happens after it sent `true`.
            let _ = stopping.wait_for(|stopping| *stopping).await;
        }
    }

    /// Takes a batch as Telegram sent it: waits for a slot per update under the in-flight limit
    /// (at most `wait`, when given), journals the updates that move money (all or none), then
    /// hands every update to the dispatcher in order. Malformed updates are logged and skipped.
    /// Returns the highest update id in the batch (the next getUpdates offset is one more).
    /// `Err` means nothing was handed over and Telegram must deliver the batch again.
    pub async fn accept(&self, raws: Vec<RawUpdate>, wait: Option<Duration>) -> Result<Option<i64>, Refused> {
        if self.is_stopping() {
            return Err(Refused::Stopping);
        }
        let mut updates = Vec::with_capacity(raws.len());
        let mut journal = Vec::new();
        let mut last = None;
        for raw in raws {
            let Some(update) = parse(raw.get()) else {
                last = last.max(update_id(raw.get()));
                continue;
            };
            let id = i64::from(update.id.0);
            last = last.max(Some(id));
            if moves_money(&update) {
                journal.push((id, String::from(Box::<str>::from(raw))));
            }
            updates.push(update);
        }
        if updates.is_empty() {
            return Ok(last);
        }
        let queries = updates.iter().filter(|update| is_query(update)).count();
        let take = self.in_flight.take(updates.len(), queries);
        let mut room = tokio::select! {
            () = self.stopped() => return Err(Refused::Stopping),
            room = bounded(wait, take) => room.ok_or(Refused::Busy)?,
        };
        let due = now_ms() + REPLAY_AFTER.as_millis() as i64;
        self.store.journal(&journal, due).await?;
        for update in updates {
            let query = is_query(&update);
            tokio::select! {
                () = self.stopped() => return Err(Refused::Stopping),
                () = room.hand_over(query) => {}
            }
            if self.tx.send(update).await.is_err() {
                room.take_back(query);
                return Err(Refused::Stopping);
            }
        }
        Ok(last)
    }
}

/// `future`, or None once `wait` (when given) has passed.
async fn bounded<T>(wait: Option<Duration>, future: impl std::future::Future<Output = T>) -> Option<T> {
    match wait {
        Some(wait) => tokio::time::timeout(wait, future).await.ok(),
        None => Some(future.await),
    }
}

/// The update read from its JSON text, or None (logged) when it is not one teloxide can route.
pub fn parse(raw: &str) -> Option<Update> {
    match serde_json::from_str::<Update>(raw) {
        Ok(Update { kind: UpdateKind::Error(_), id }) => {
            tracing::warn!(update_id = id.0, "skipping an update of a kind Starmine does not handle or cannot read");
            None
        }
        Ok(update) => Some(update),
        Err(error) => {
            let update_id = update_id(raw);
            if looks_like_payment(raw) {
                // Nothing here can handle it; the Star ledger still has the payment.
                tracing::error!(update_id, %error, "a payment update cannot be read; the next reconciliation pass repairs it");
            } else {
                tracing::warn!(update_id, %error, "skipping a malformed update");
            }
            None
        }
    }
}

/// The `update_id` of an update's JSON text, read without the rest (None when it has none).
pub fn update_id(raw: &str) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Id {
        update_id: i64,
    }
    serde_json::from_str::<Id>(raw).ok().map(|id| id.update_id)
}

/// Whether an update that cannot be read carries a payment or a refund (for the log).
fn looks_like_payment(raw: &str) -> bool {
    let Ok(raw) = serde_json::from_str::<Value>(raw) else { return false };
    let message = &raw["message"];
    message.get("successful_payment").is_some_and(Value::is_object)
        || message.get("refunded_payment").is_some_and(Value::is_object)
}

/// Every few seconds, hands the journaled updates nobody finished to the dispatcher again.
pub async fn replay(intake: Intake) {
    let mut every = tokio::time::interval(REPLAY_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = intake.stopped() => return,
            _ = every.tick() => {}
        }
        let due = intake
            .store
            .journal_claim_due(now_ms(), REPLAY_BACKOFF.as_millis() as i64, REPLAY_BACKOFF_MAX.as_millis() as i64, 100)
            .await;
        // The loop's journal read doubles as the Redis probe behind `starmine_redis_up`.
        let backlog = intake.store.journal_len().await;
        metrics::gauge!("starmine_redis_up").set(if backlog.is_ok() { 1.0 } else { 0.0 });
        if let Ok(waiting) = backlog {
            metrics::gauge!("starmine_journal_updates").set(waiting as f64);
        }
        let due = match due {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "journal replay skipped: Redis unavailable");
                continue;
            }
        };
        for entry in due {
            let Some(update) = parse(&entry.raw) else {
                tracing::error!(update_id = entry.update_id, "a journaled update cannot be read; dropping it");
                let _ = intake.store.journal_done(entry.update_id).await;
                continue;
            };
            if entry.attempt > 3 {
                tracing::warn!(
                    update_id = entry.update_id,
                    attempt = entry.attempt,
                    "a payment update still fails; replaying it again"
                );
            } else {
                tracing::info!(
                    update_id = entry.update_id,
                    attempt = entry.attempt,
                    "replaying an unfinished payment update from the journal"
                );
            }
            let mut room = tokio::select! {
                () = intake.stopped() => return,
                room = intake.in_flight.take(1, 0) => room,
            };
            room.hand_over(false).await;
            if intake.tx.send(update).await.is_err() {
                room.take_back(false);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(extra: Value) -> Value {
        let mut message = json!({
            "message_id": 5,
            "date": 1_700_000_000,
            "chat": { "id": 42, "type": "private", "first_name": "A" },
            "from": { "id": 42, "is_bot": false, "first_name": "A" },
        });
        message.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!({ "update_id": 10, "message": message })
    }

    #[test]
    fn only_payment_messages_move_money() {
        let paid = message(json!({ "successful_payment": {
            "currency": "XTR", "total_amount": 5, "invoice_payload": "p",
            "telegram_payment_charge_id": "stx1", "provider_payment_charge_id": ""
        }}));
        let refunded = message(json!({ "refunded_payment": {
            "currency": "XTR", "total_amount": 5, "invoice_payload": "p", "telegram_payment_charge_id": "stx1"
        }}));
        let read = |raw: Value| parse(&raw.to_string());
        assert!(moves_money(&read(paid).expect("a payment reads")));
        assert!(moves_money(&read(refunded).expect("a refund reads")));
        assert!(!moves_money(&read(message(json!({ "text": "/dig" }))).unwrap()));
        let query = json!({ "update_id": 3, "pre_checkout_query": {
            "id": "q1", "from": { "id": 42, "is_bot": false, "first_name": "A" },
            "currency": "XTR", "total_amount": 5, "invoice_payload": "p",
        }});
        assert!(!moves_money(&read(query).unwrap()));
        let forged = message(json!({ "successful_payment": "forged" }));
        assert!(read(forged).is_none_or(|update| !moves_money(&update)));
    }

    #[test]
    fn updates_parse_from_their_json_text_and_bad_ones_are_skipped() {
        let update = parse(&message(json!({ "text": "/dig" })).to_string()).expect("a text message parses");
        assert_eq!(update.id.0, 10);
        assert!(matches!(update.kind, UpdateKind::Message(_)));
        assert!(parse(r#"{ "message": {} }"#).is_none(), "no update_id");
        assert!(parse(r#"{ "update_id": 4, "something_new": {} }"#).is_none(), "an unknown kind");
        assert!(parse(r#""text""#).is_none());
        assert!(parse("{").is_none());
        assert_eq!(update_id(r#"{ "update_id": 4, "something_new": {} }"#), Some(4));
        assert_eq!(update_id(r#"{ "message": {} }"#), None);
    }

    #[test]
    fn a_payment_that_cannot_be_read_is_told_from_other_bad_updates() {
        assert!(looks_like_payment(r#"{ "update_id": 1, "message": { "successful_payment": {} } }"#));
        assert!(looks_like_payment(r#"{ "update_id": 1, "message": { "refunded_payment": {} } }"#));
        assert!(!looks_like_payment(r#"{ "update_id": 1, "message": { "text": "/dig" } }"#));
        assert!(!looks_like_payment("not json"));
    }
}
