//! Handing updates to the bot: getUpdates (offset confirmation, limit, long polling, sticky
//! allowed_updates, 409 for a second poller or while a webhook is set) and the webhook methods
//! (delivery itself is in `webhook`).

use std::time::Duration;

use serde_json::{json, Value};
use tokio::time::Instant;

use super::state::{Shared, State, Webhook};
use super::wire::{ApiError, ApiResult, Params};

pub(crate) async fn get_updates(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let offset = params.int("offset")?;
    // Telegram clamps the limit into 1-100 rather than refusing it.
    let limit = params.int("limit")?.unwrap_or(100).clamp(1, 100) as usize;
    let timeout = params.int("timeout")?.unwrap_or(0).max(0) as u64;
    let allowed = allowed_updates(params)?;
    let deadline = Instant::now() + Duration::from_secs(timeout).min(shared.config.max_poll_hold);
    let generation = shared.change(|state| {
        if state.webhook.is_some() {
            return Err(webhook_active());
        }
        if let Some(allowed) = allowed {
            state.allowed_updates = Some(allowed);
        }
        confirm(state, offset);
        state.poll_generation += 1;
        Ok(state.poll_generation)
    })?;
    loop {
        // Take the wake-up ticket before looking, so an update enqueued in between still wakes us.
        let notified = shared.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let state = shared.lock();
            if state.poll_generation != generation {
                return Err(ApiError::conflict(
                    "terminated by other getUpdates request; make sure that only one bot instance is running",
                ));
            }
            if state.webhook.is_some() {
                return Err(webhook_active());
            }
            if !state.updates.is_empty() {
                return Ok(Value::Array(state.updates.iter().take(limit).cloned().collect()));
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return Ok(json!([]));
        }
    }
}

/// A positive offset confirms every update below it; a negative one keeps only the last -offset.
fn confirm(state: &mut State, offset: Option<i64>) {
    match offset {
        // The queue is ascending by update_id (every update takes the next id), so what an
        // offset confirms is at its front: a poll costs what it confirms, not the queue's length.
        Some(offset) if offset > 0 => {
            while state.updates.front().and_then(|update| update["update_id"].as_i64()).is_some_and(|id| id < offset) {
                state.updates.pop_front();
            }
        }
        Some(offset) if offset < 0 => {
            let keep = offset.unsigned_abs() as usize;
            while state.updates.len() > keep {
                state.updates.pop_front();
            }
        }
        _ => {}
    }
}

fn webhook_active() -> ApiError {
    ApiError::conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    )
}

fn allowed_updates(params: &Params<'_>) -> Result<Option<Vec<String>>, ApiError> {
    let Some(value) = params.json("allowed_updates")? else {
        return Ok(None);
    };
    let names = value.as_array().map(|items| items.iter().map(Value::as_str).collect::<Option<Vec<_>>>());
    match names.flatten() {
        Some(names) => Ok(Some(names.into_iter().map(str::to_owned).collect())),
        None => Err(ApiError::bad_request("allowed_updates must be an Array of String")),
    }
}

pub(crate) fn set_webhook(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let url = params.req_string("url")?;
    let allowed = allowed_updates(params)?;
    let drop_pending = params.bool("drop_pending_updates")?.unwrap_or(false);
    let secret = params.string("secret_token")?;
    let max_connections = params.int("max_connections")?.unwrap_or(40);
    if !url.is_empty() && !url.starts_with("https://") {
        return Err(ApiError::bad_request("bad webhook: An HTTPS URL must be provided for webhook"));
    }
    if let Some(secret) = &secret {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if secret.is_empty() || secret.len() > 256 || !secret.chars().all(allowed) {
            return Err(ApiError::bad_request("secret token contains unallowed characters"));
        }
    }
    if !(1..=100).contains(&max_connections) {
        return Err(ApiError::bad_request("bad webhook: max_connections must be between 1 and 100"));
    }
    shared.change(|state| {
        if drop_pending {
            state.updates.clear();
        }
        if let Some(allowed) = allowed {
            state.allowed_updates = Some(allowed);
        }
        state.deliveries.reset();
        state.webhook = (!url.is_empty()).then_some(Webhook { url, secret, max_connections: max_connections as u32 });
    });
    Ok(json!(true))
}

pub(crate) fn delete_webhook(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let drop_pending = params.bool("drop_pending_updates")?.unwrap_or(false);
    shared.change(|state| {
        if drop_pending {
            state.updates.clear();
        }
        state.webhook = None;
        state.deliveries.reset();
    });
    Ok(json!(true))
}

pub(crate) fn get_webhook_info(shared: &Shared) -> ApiResult {
    let state = shared.lock();
    let mut info = json!({
        "url": state.webhook.as_ref().map(|hook| hook.url.clone()).unwrap_or_default(),
        "has_custom_certificate": false,
        "pending_update_count": state.updates.len(),
    });
    if let Some(hook) = &state.webhook {
        info["max_connections"] = json!(hook.max_connections);
        if let Some(allowed) = &state.allowed_updates {
            info["allowed_updates"] = json!(allowed);
        }
        if let Some((date, message)) = &state.deliveries.last_error {
            info["last_error_date"] = json!(date);
            info["last_error_message"] = json!(message);
        }
    }
    Ok(info)
}
