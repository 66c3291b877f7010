//! Gifts from the game page: `GET /api/friends` (the players on the chat's scoreboard of the
//! game message the page was opened from, the caller left out) and `POST /api/gift` (an order
//! for a friend and its invoice link). The checks are the chat's (`telegram::gifts::attempt`):
//! a recipient who never started the bot, oneself, and stock, limits and ownership counted for
//! the recipient are refused (409 with a code and a sentence) before any invoice.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::{caller, parse_body, play, ApiError, ApiResult};
use crate::domain::Item;
use crate::http::{sentences, HttpState};
use crate::i18n::{t, Lang};
use crate::telegram::gifts::{attempt, GiftAttempt};
use crate::telegram::texts::gift_refused;

pub(super) async fn friends(State(state): State<HttpState>, headers: HeaderMap) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let scores = play(&state)?.telegram.high_scores(session.user, &session.target).await.map_err(|error| {
        tracing::warn!(%error, "getGameHighScores failed");
        ApiError::Unavailable
    })?;
    let friends: Vec<_> = scores
        .into_iter()
        .filter(|line| line.user_id != session.user.0)
        .map(|line| json!({ "user_id": line.user_id, "name": line.name }))
        .collect();
    Ok(Json(json!({ "friends": friends })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Gift {
    item_id: String,
    to_user_id: u64,
}

pub(super) async fn gift(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let request: Gift = parse_body(body)?;
    let play = play(&state)?;
    let catalog = play.catalog.current();
    let Some(item) = catalog.find(&request.item_id) else {
        return Err(ApiError::NotFound("no such item"));
    };
    let lang = state.store.language(session.user).await?;
    // The page's calls are metered by the API's own limit.
    let tried = attempt(&state.store, &catalog, item, session.user, &request.to_user_id.to_string(), None).await?;
    let (payload, amount, recipient_name) = match tried {
        GiftAttempt::Payable { payload, amount, recipient_name } => (payload, amount, recipient_name),
        GiftAttempt::SlowDown => return Err(ApiError::RateLimited),
        refused => return Err(refusal(lang, item, refused)),
    };
    let link =
        play.telegram.gift_invoice_link(item, lang, &payload, amount, &recipient_name).await.map_err(|error| {
            tracing::warn!(%error, "createInvoiceLink failed");
            ApiError::Unavailable
        })?;
    tracing::info!(user = %session.user, to = request.to_user_id, item = %item.id, order = %payload, "gift invoice link created for the game page");
    let pay_text = sentences::pay(lang, amount);
    Ok(Json(json!({
        "order_id": payload,
        "invoice_link": link,
        "amount": amount,
        "pay_text": pay_text,
        "recipient": recipient_name,
    })))
}

/// A gift refused at once: 409 with a code and a sentence to show, in `lang`.
fn refusal(lang: Lang, item: &Item, refused: GiftAttempt) -> ApiError {
    let name = item.name_in(lang);
    let (code, message) = match refused {
        GiftAttempt::UnknownRecipient => ("unknown_recipient", t!(lang, "api-gift-unknown-recipient")),
        GiftAttempt::ToSelf => ("gift_to_self", t!(lang, "api-gift-to-self")),
        GiftAttempt::Refused { refusal, recipient_name } => {
            (refusal.code(), gift_refused(lang, item, &recipient_name, refusal))
        }
        GiftAttempt::Payable { .. } | GiftAttempt::SlowDown => {
            ("unavailable", t!(lang, "api-refused-other", item = name))
        }
    };
    ApiError::Refused { status: StatusCode::CONFLICT, code, message }
}
