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

use std::convert::Infallible;
use std::time::Duration;

use futures::{Stream, StreamExt};
use serde::Serialize;
use serde_json::Value;
use teloxide::stop::{mk_stop_token, StopToken};
use teloxide::types::{AllowedUpdate, Update, UpdateKind};
use teloxide::update_listeners::StatefulListener;
use teloxide::Bot;
use tokio::sync::{mpsc, watch};

use super::bot_api::{self, CallError};
use crate::app::now_ms;
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
/// Updates the dispatcher may have queued before intake waits.
const QUEUE: usize = 4096;
/// The long-poll hold asked of getUpdates, and how long the request may take in all.
const POLL_TIMEOUT_S: u64 = 10;
const POLL_REQUEST_TIMEOUT: Duration = Duration::from_secs(POLL_TIMEOUT_S + 10);

/// Why intake could not take an update. Telegram keeps it and delivers it again.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("the journal is unavailable: {0}")]
    Unavailable(#[from] StoreError),
    #[error("shutting down")]
    Stopping,
}

/// Hands updates to the dispatcher, journaling the money ones first. Cheap to clone.
#[derive(Clone)]
pub struct Intake {
    store: Store,
    tx: mpsc::Sender<Update>,
    /// Turns true once the dispatcher asked the listener to stop.
    stopping: watch::Receiver<bool>,
}

type UpdateStream = std::pin::Pin<Box<dyn Stream<Item = Result<Update, Infallible>> + Send>>;
type ListenerState = (UpdateStream, StopToken);

/// The dispatcher's side of [`Intake`]: a teloxide update listener that ends when the
/// dispatcher asks it to stop (after which intake refuses new updates).
pub type Listener = StatefulListener<
    ListenerState,
    fn(&mut ListenerState) -> &mut UpdateStream,
    fn(&mut ListenerState) -> StopToken,
    fn(&mut ListenerState, &mut dyn Iterator<Item = AllowedUpdate>),
>;

fn stream_of(state: &mut ListenerState) -> &mut UpdateStream {
    &mut state.0
}

fn stop_token_of(state: &mut ListenerState) -> StopToken {
    state.1.clone()
}

/// Whether `raw` is an update whose loss would lose money.
pub fn moves_money(raw: &Value) -> bool {
    let message = &raw["message"];
    message.get("successful_payment").is_some_and(Value::is_object)
        || message.get("refunded_payment").is_some_and(Value::is_object)
}

impl Intake {
    pub fn new(store: Store) -> (Self, Listener) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let updates =
            futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|update| (Ok(update), rx)) });
        // teloxide's stop flag wakes only the last task that polled it, so one task waits on
        // it and tells everyone else through a watch channel.
        let (token, flag) = mk_stop_token();
        let (stop_tx, stopping) = watch::channel(false);
        tokio::spawn(async move {
            flag.await;
            let _ = stop_tx.send(true);
        });
        let intake = Self { store, tx, stopping };
        let stream: UpdateStream = Box::pin(updates.take_until(intake.stopped()));
        let listener = StatefulListener::new((stream, token), stream_of as _, stop_token_of as _);
        (intake, listener)
    }

    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Resolves once the dispatcher asked intake to stop.
    fn stopped(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut stopping = self.stopping.clone();
        async move {
            // An error means the sender is gone, which only happens after it sent `true`.
            let _ = stopping.wait_for(|stopping| *stopping).await;
        }
    }

    /// Takes a batch as Telegram sent it: journals the updates that move money (all or none),
    /// then hands every update to the dispatcher in order. Malformed updates are logged and
    /// skipped. `Err` means nothing was handed over and Telegram must deliver the batch again.
    pub async fn accept(&self, raws: Vec<Value>) -> Result<(), Refused> {
        if self.is_stopping() {
            return Err(Refused::Stopping);
        }
        let mut updates = Vec::with_capacity(raws.len());
        let mut journal = Vec::new();
        for raw in raws {
            let Some(update) = parse(&raw) else {
                if moves_money(&raw) {
                    // Nothing here can handle it; the Star ledger still has the payment.
                    tracing::error!(
                        update_id = raw["update_id"].as_i64(),
                        "a payment update cannot be read; the next reconciliation pass repairs it"
                    );
                }
                continue;
            };
            if moves_money(&raw) {
                journal.push((i64::from(update.id.0), raw.to_string()));
            }
            updates.push(update);
        }
        let due = now_ms() + REPLAY_AFTER.as_millis() as i64;
        self.store.journal(&journal, due).await?;
        for update in updates {
            self.tx.send(update).await.map_err(|_| Refused::Stopping)?;
        }
        Ok(())
    }
}

/// The update, or None (logged) when it is not one teloxide can route.
pub fn parse(raw: &Value) -> Option<Update> {
    let id = raw.get("update_id").and_then(Value::as_i64);
    // From `&Value`, which lends its strings: teloxide's update kinds borrow while parsing, so
    // an owned `from_value` would read every update as an error.
    match <Update as serde::Deserialize>::deserialize(raw) {
        Ok(Update { kind: UpdateKind::Error(_), .. }) => {
            tracing::warn!(update_id = id, "skipping an update of a kind Starmine does not handle or cannot read");
            None
        }
        Ok(update) => Some(update),
        Err(error) => {
            tracing::warn!(update_id = id, %error, "skipping a malformed update");
            None
        }
    }
}

#[derive(Serialize)]
struct GetUpdates {
    offset: i64,
    limit: u8,
    timeout: u64,
    allowed_updates: Vec<AllowedUpdate>,
}

/// Long polling: fetch a batch, [`Intake::accept`] it, and only then confirm it with the next
/// offset. Runs until the dispatcher stops; returns the offset that confirms everything
/// accepted, for [`confirm`] once the dispatcher has drained.
pub async fn poll(bot: Bot, intake: Intake) -> i64 {
    let mut offset = 0_i64;
    let mut failures = 0_u32;
    loop {
        let request =
            GetUpdates { offset, limit: 100, timeout: POLL_TIMEOUT_S, allowed_updates: ALLOWED_UPDATES.to_vec() };
        let fetched = tokio::select! {
            // Dropping a poll in flight is safe: what it would have returned is not confirmed.
            () = intake.stopped() => return offset,
            fetched = bot_api::call_with_timeout::<Vec<Value>>(&bot, "getUpdates", &request, Some(POLL_REQUEST_TIMEOUT)) => fetched,
        };
        let pause = match fetched {
            Ok(batch) => {
                let next = batch.iter().filter_map(|raw| raw["update_id"].as_i64()).max().map(|last| last + 1);
                match intake.accept(batch).await {
                    Ok(()) => {
                        failures = 0;
                        offset = next.unwrap_or(offset).max(offset);
                        continue;
                    }
                    Err(Refused::Stopping) => return offset,
                    Err(error) => {
                        // Not confirmed: the same batch comes again.
                        tracing::warn!(%error, "cannot journal payment updates; fetching the batch again");
                        Duration::from_millis(500)
                    }
                }
            }
            Err(CallError::Api { retry_after: Some(seconds), .. }) => Duration::from_secs(seconds),
            Err(CallError::Api { code: 409, description, .. }) => {
                tracing::error!(%description, "getUpdates refused: another process polls with this token, or a webhook is set");
                Duration::from_secs(5)
            }
            Err(error) => {
                failures += 1;
                tracing::warn!(%error, failures, "getUpdates failed; retrying");
                Duration::from_millis(250 * u64::from(failures.min(20)))
            }
        };
        tokio::select! {
            () = intake.stopped() => return offset,
            () = tokio::time::sleep(pause) => {}
        }
    }
}

/// Confirms every update below `offset` (a last getUpdates that holds nothing), so a graceful
/// stop does not leave handled updates for the next start to do again.
pub async fn confirm(bot: &Bot, offset: i64) {
    if offset == 0 {
        return;
    }
    let request = GetUpdates { offset, limit: 1, timeout: 0, allowed_updates: ALLOWED_UPDATES.to_vec() };
    if let Err(error) = bot_api::call::<Vec<Value>>(bot, "getUpdates", &request).await {
        tracing::warn!(%error, "could not confirm the last updates; they will be delivered again");
    }
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
        if let Ok(waiting) = intake.store.journal_len().await {
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
            let update = serde_json::from_str::<Value>(&entry.raw).ok().and_then(|raw| parse(&raw));
            let Some(update) = update else {
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
            if intake.tx.send(update).await.is_err() {
                return;
            }
        }
    }
}

/// Registers the webhook with the update kinds asked for explicitly. Never deleted on stop:
/// other processes behind the same URL keep serving it.
pub async fn set_webhook(bot: &Bot, url: &url::Url, secret: &str) -> Result<(), CallError> {
    #[derive(Serialize)]
    struct SetWebhook<'a> {
        url: &'a str,
        secret_token: &'a str,
        allowed_updates: Vec<AllowedUpdate>,
    }
    let request = SetWebhook { url: url.as_str(), secret_token: secret, allowed_updates: ALLOWED_UPDATES.to_vec() };
    bot_api::call::<bool>(bot, "setWebhook", &request).await.map(|_| ())
}

/// Polling needs no webhook: a leftover one (from webhook mode) is deleted, or getUpdates
/// would answer 409.
pub async fn drop_webhook(bot: &Bot) -> Result<(), CallError> {
    #[derive(serde::Deserialize)]
    struct Info {
        url: String,
    }
    let info: Info = bot_api::call(bot, "getWebhookInfo", &serde_json::json!({})).await?;
    if !info.url.is_empty() {
        tracing::warn!("a webhook was set; deleting it to poll (set WEBHOOK_URL to run in webhook mode)");
        bot_api::call::<bool>(bot, "deleteWebhook", &serde_json::json!({})).await?;
    }
    Ok(())
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
        assert!(moves_money(&paid));
        assert!(moves_money(&refunded));
        assert!(!moves_money(&message(json!({ "text": "/dig" }))));
        assert!(!moves_money(&json!({ "update_id": 3, "pre_checkout_query": {} })));
        assert!(!moves_money(&message(json!({ "successful_payment": "forged" }))));
    }

    #[test]
    fn updates_parse_from_raw_json_and_bad_ones_are_skipped() {
        let update = parse(&message(json!({ "text": "/dig" }))).expect("a text message parses");
        assert_eq!(update.id.0, 10);
        assert!(matches!(update.kind, UpdateKind::Message(_)));
        assert!(parse(&json!({ "message": {} })).is_none(), "no update_id");
        assert!(parse(&json!({ "update_id": 4, "something_new": {} })).is_none(), "an unknown kind");
        assert!(parse(&json!("text")).is_none());
    }
}
