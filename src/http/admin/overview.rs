//! `GET /admin/api/overview`: what the console can say today cheaply and exactly — the bot's
//! Star balance and the webhook's status from Telegram, the journal backlog and the refunds
//! waiting for an outcome and the last reconciliation pass (and the last that repaired
//! something) from Redis. Each part is `{"ok": …}` or `{"error": "…"}` on its own,
//! so one unreachable source leaves the others on the page; `sales` is the money counters'
//! windows and charts ([`sales::overview`]).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use super::sales::{self, Month};
use super::AdminState;
use crate::clock::now_ms;

pub async fn overview(State(state): State<AdminState>) -> Response {
    let now = now_ms();
    let catalog = state.catalog.current();
    let (balance, webhook, journal, refunds, passes, month) = tokio::join!(
        state.telegram.star_balance(),
        state.telegram.webhook_status(),
        state.store.journal_len(),
        state.store.pending_refund_count(),
        state.store.reconcile_passes(),
        Month::read(&state.store, &catalog, now),
    );
    let reconciliation = passes.map(|(last, last_repair)| json!({ "last": last, "last_repair": last_repair }));
    Json(json!({
        "star_balance": part(balance),
        "webhook": part(webhook),
        "journal_backlog": part(journal),
        "pending_refunds": part(refunds),
        "reconciliation": part(reconciliation),
        "sales": part(month.map(|month| sales::overview(&month, &catalog))),
        "read_at": now,
    }))
    .into_response()
}

fn part<T: Serialize, E: std::fmt::Display>(result: Result<T, E>) -> Value {
    match result {
        Ok(value) => json!({ "ok": value }),
        Err(error) => json!({ "error": error.to_string() }),
    }
}
