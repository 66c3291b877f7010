//! The webhook endpoint (`WEBHOOK_URL`'s path): Telegram POSTs one update per request with the
//! secret from `WEBHOOK_SECRET` in `X-Telegram-Bot-Api-Secret-Token`. The secret is compared in
//! constant time; the answer is 200 only once the update is safe ([`Intake::accept`] journaled
//! it if it moves money), so a crash before that makes Telegram deliver it again (to this
//! process after a restart, or to another one behind the same URL).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::telegram::intake::{Intake, Refused};

/// The header Telegram echoes the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// Updates are small; anything near this is not from Telegram.
const MAX_BODY: usize = 1 << 20;

#[derive(Clone)]
struct Hook {
    secret: Arc<Vec<u8>>,
    intake: Intake,
}

/// The route at `path`, answering POSTs with the status Telegram acts on.
pub fn router(path: &str, secret: &str, intake: Intake) -> Router {
    let hook = Hook { secret: Arc::new(secret.as_bytes().to_vec()), intake };
    Router::new().route(path, post(receive)).layer(axum::extract::DefaultBodyLimit::max(MAX_BODY)).with_state(hook)
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> (StatusCode, &'static str) {
    let given = headers.get(SECRET_HEADER).map(|value| value.as_bytes()).unwrap_or_default();
    // ct_eq on slices of different lengths is false without looking at the contents; the
    // length of the secret is not what it protects.
    if !bool::from(given.ct_eq(hook.secret.as_slice())) {
        metrics::counter!("starmine_webhook_total", "outcome" => "bad_secret").increment(1);
        tracing::warn!(secret_given = !given.is_empty(), "webhook: refused a request without the right secret token");
        return (StatusCode::UNAUTHORIZED, "wrong or missing secret token\n");
    }
    let update = match serde_json::from_slice::<Value>(&body) {
        Ok(update) if update.get("update_id").and_then(Value::as_i64).is_some() => update,
        _ => {
            metrics::counter!("starmine_webhook_total", "outcome" => "malformed").increment(1);
            tracing::warn!(bytes = body.len(), "webhook: refused a body that is not an Update");
            return (StatusCode::BAD_REQUEST, "the body is not a Telegram Update\n");
        }
    };
    match hook.intake.accept(vec![update]).await {
        Ok(()) => {
            metrics::counter!("starmine_webhook_total", "outcome" => "accepted").increment(1);
            (StatusCode::OK, "")
        }
        Err(Refused::Stopping) => (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n"),
        Err(error @ Refused::Unavailable(_)) => {
            metrics::counter!("starmine_webhook_total", "outcome" => "unavailable").increment(1);
            tracing::warn!(%error, "webhook: cannot take an update now; Telegram will deliver it again");
            (StatusCode::SERVICE_UNAVAILABLE, "try again\n")
        }
    }
}
