//! Long polling (our own getUpdates loop, which fetches only what fits under the in-flight
//! limit and confirms a batch only once it is accepted) and registering or dropping the webhook.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use teloxide::types::AllowedUpdate;
use teloxide::Bot;

use super::{Intake, RawUpdate, Refused, ALLOWED_UPDATES};
use crate::telegram::bot_api::{self, CallError};

/// The long-poll hold asked of getUpdates, and how long the request may take in all.
const POLL_TIMEOUT_S: u64 = 10;
const POLL_REQUEST_TIMEOUT: Duration = Duration::from_secs(POLL_TIMEOUT_S + 10);
/// The most getUpdates hands out at once.
const MAX_BATCH: usize = 100;
/// At the limit, a fetch waits up to [`SETTLE`] for this many slots (or the smaller limit's
/// half), so each handler that finishes does not cost a getUpdates of its own.
const FULL_BATCH: usize = 32;
const SETTLE: Duration = Duration::from_millis(2);

#[derive(Serialize)]
struct GetUpdates {
    offset: i64,
    limit: u8,
    timeout: u64,
    allowed_updates: Vec<AllowedUpdate>,
}

/// Long polling: wait for room under the in-flight limit, fetch at most that many updates,
/// [`Intake::accept`] them, and only then confirm them with the next offset. Runs until the
/// dispatcher stops; returns the offset that confirms everything accepted, for [`confirm`] once
/// the dispatcher has drained.
pub async fn poll(bot: Bot, intake: Intake) -> i64 {
    let mut offset = 0_i64;
    let mut failures = 0_u32;
    let (all, queries) = intake.in_flight.limits();
    let want = FULL_BATCH.min(all.min(queries).div_ceil(2));
    loop {
        let room = tokio::select! {
            () = intake.stopped() => return offset,
            room = intake.in_flight.room_to_fetch(want, SETTLE) => room,
        };
        let request = GetUpdates {
            offset,
            limit: room.min(MAX_BATCH) as u8,
            timeout: POLL_TIMEOUT_S,
            allowed_updates: ALLOWED_UPDATES.to_vec(),
        };
        let fetched = tokio::select! {
            // Dropping a poll in flight is safe: what it would have returned is not confirmed.
            () = intake.stopped() => return offset,
            fetched = bot_api::call_with_timeout::<Vec<RawUpdate>>(&bot, "getUpdates", &request, Some(POLL_REQUEST_TIMEOUT)) => fetched,
        };
        let pause = match fetched {
            Ok(batch) => {
                // A stop while handing a batch over leaves it unconfirmed: delivered again.
                let accepted = tokio::select! {
                    () = intake.stopped() => return offset,
                    accepted = intake.accept(batch, None) => accepted,
                };
                match accepted {
                    Ok(last) => {
                        failures = 0;
                        offset = last.map_or(offset, |last| last + 1).max(offset);
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
