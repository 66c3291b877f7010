//! The Support tab's API: `GET /admin/api/support`, the newest `/paysupport` messages
//! ([`crate::store::SupportMessage`], newest first, answered or not) each with the player's most
//! recent payments from their card ([`crate::admin::player_card`]), and
//! `POST /admin/api/support/{id}/reply` `{text}`: the answer sent to the player through the bot
//! ([`crate::admin::AdminPort::answer_support`]), marked answered with who and when.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::guard::SignedIn;
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

#[derive(Deserialize)]
pub struct ReplyRequest {
    text: String,
}

/// The longest answer Telegram sends as one message.
const ANSWER_MAX_CHARS: usize = 3500;

/// `POST /admin/api/support/{id}/reply`: `{"result", "message"}` ([`crate::admin::ReplyReport`]);
/// 400 `bad_text` for an empty or overlong answer.
pub async fn reply(
    State(state): State<AdminState>,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<u64>,
    Json(request): Json<ReplyRequest>,
) -> Response {
    let text = request.text.trim();
    if text.is_empty() || text.chars().count() > ANSWER_MAX_CHARS {
        let error = format!("an answer is 1 to {ANSWER_MAX_CHARS} characters");
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": error, "code": "bad_text" }))).into_response();
    }
    match state.telegram.answer_support(id, signed.admin, text).await {
        Ok(report) => {
            tracing::info!(target: "starmine::admin", admin = %signed.admin, id, result = report.result, "support answer from the console");
            Json(report).into_response()
        }
        Err(error) => unavailable(&error),
    }
}
