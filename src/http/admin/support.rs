//! The Support tab's API: `GET /admin/api/support`, the newest `/paysupport` messages and the
//! newest not answered yet, however old ([`crate::store::SupportMessage`], newest first), with
//! how many are not answered, each with the player's most recent payments from their card ([`crate::admin::player_card`]), and
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
use crate::admin::{checked_answer, player_card, PaymentLine, ANSWER_MAX};
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

/// `GET /admin/api/support`: `{"messages": [...], "unanswered", "answer_max"}` (the longest answer, in UTF-16
/// code units as a textarea's `maxlength` counts).
pub async fn inbox(State(state): State<AdminState>) -> Response {
    match entries(&state).await {
        Ok((messages, unanswered)) => {
            Json(json!({ "messages": messages, "unanswered": unanswered, "answer_max": ANSWER_MAX })).into_response()
        }
        Err(error) => unavailable(&error.to_string()),
    }
}

/// The newest [`SHOWN`] messages and the newest [`SHOWN`] unanswered ones, newest first, each
/// once; and how many are unanswered in all.
async fn entries(state: &AdminState) -> Result<(Vec<Entry>, u64), crate::store::StoreError> {
    let catalog = state.catalog.current();
    let (newest, (open, unanswered)) =
        tokio::try_join!(state.store.support_messages(SHOWN), state.store.unanswered_support_messages(SHOWN))?;
    let mut messages: Vec<SupportMessage> = newest;
    let shown: std::collections::HashSet<u64> = messages.iter().map(|message| message.id).collect();
    messages.extend(open.into_iter().filter(|message| !shown.contains(&message.id)));
    messages.sort_by_key(|message| std::cmp::Reverse(message.id));
    let mut entries = Vec::with_capacity(messages.len());
    for message in messages {
        let card = player_card(&state.store, &catalog, UserId(message.user as u64), now_ms()).await?;
        let recent_payments = card.payments.into_iter().rev().take(PAYMENTS_SHOWN).collect();
        entries.push(Entry { message, recent_payments });
    }
    Ok((entries, unanswered))
}

#[derive(Deserialize)]
pub struct ReplyRequest {
    text: String,
}

/// `POST /admin/api/support/{id}/reply`: `{"result", "message"}` ([`crate::admin::ReplyReport`]:
/// `sent`, or `undelivered` when Telegram refused the send); 400 `empty_answer` or
/// `answer_too_long` ([`checked_answer`]), 404 `unknown_message` when no such message is kept.
pub async fn reply(
    State(state): State<AdminState>,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
    Json(request): Json<ReplyRequest>,
) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return refused(StatusCode::NOT_FOUND, format!("no support message #{id}"), "unknown_message");
    };
    let text = match checked_answer(&request.text) {
        Ok(text) => text,
        Err(bad) => return refused(StatusCode::BAD_REQUEST, bad.to_string(), bad.code()),
    };
    match state.telegram.answer_support(id, signed.admin, text).await {
        Ok(report) if report.result == "unknown" => refused(StatusCode::NOT_FOUND, report.message, "unknown_message"),
        Ok(report) => {
            tracing::info!(target: "starmine::admin", admin = %signed.admin, id, result = report.result, "support answer from the console");
            Json(report).into_response()
        }
        Err(error) => unavailable(&error),
    }
}

fn refused(status: StatusCode, error: String, code: &str) -> Response {
    (status, Json(json!({ "error": error, "code": code }))).into_response()
}
