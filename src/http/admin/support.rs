//! The Support tab's API: `GET /admin/api/support`, the newest `/paysupport` messages
//! ([`crate::store::SupportMessage`], newest first, answered or not) each with the player's most
//! recent payments from their card ([`crate::admin::player_card`]).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::players::unavailable;
use super::AdminState;
use crate::admin::{player_card, PaymentLine};
use crate::clock::now_ms;
use crate::domain::UserId;
use crate::store::SupportMessage;

/// How many messages the inbox shows.
const SHOWN: isize = 100;
/// How many of a player's payments each message shows, newest first.
const PAYMENTS_SHOWN: usize = 5;

/// One inbox entry.
#[derive(Serialize)]
struct Entry {
    #[serde(flatten)]
    message: SupportMessage,
    recent_payments: Vec<PaymentLine>,
}

/// `GET /admin/api/support`: `{"messages": [...]}`.
pub async fn inbox(State(state): State<AdminState>) -> Response {
    match entries(&state).await {
        Ok(messages) => Json(serde_json::json!({ "messages": messages })).into_response(),
        Err(error) => unavailable(&error.to_string()),
    }
}

async fn entries(state: &AdminState) -> Result<Vec<Entry>, crate::store::StoreError> {
    let catalog = state.catalog.current();
    let mut entries = Vec::new();
    for message in state.store.support_messages(SHOWN).await? {
        let card = player_card(&state.store, &catalog, UserId(message.user as u64), now_ms()).await?;
        let recent_payments = card.payments.into_iter().rev().take(PAYMENTS_SHOWN).collect();
        entries.push(Entry { message, recent_payments });
    }
    Ok(entries)
}
