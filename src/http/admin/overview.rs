//! `GET /admin/api/overview`: what the console can say today cheaply and exactly — the bot's
//! Star balance and the webhook's status from Telegram, the journal backlog and the refunds
//! waiting for an outcome from Redis. Each part is `{"ok": …}` or `{"error": "…"}` on its own,
//! so one unreachable source leaves the others on the page. The sales figures come from the
//! payment scripts' counters once they exist: until then the answer has no `sales` and the page
//! draws no such section (never made-up numbers).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use super::AdminState;
use crate::clock::now_ms;

pub async fn overview(State(state): State<AdminState>) -> Response {
    let (balance, webhook, journal, refunds) = tokio::join!(
        state.telegram.star_balance(),
        state.telegram.webhook_status(),
        state.store.journal_len(),
        state.store.pending_refund_count(),
    );
    Json(json!({
        "star_balance": part(balance),
        "webhook": part(webhook),
        "journal_backlog": part(journal),
        "pending_refunds": part(refunds),
        "read_at": now_ms(),
    }))
    .into_response()
}

fn part<T: Serialize, E: std::fmt::Display>(result: Result<T, E>) -> Value {
    match result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({ "error": error.to_string() }),
    }
}
