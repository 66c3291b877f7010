//! The Players tab's API: `GET /admin/api/players/{who}` (a player's card,
//! [`crate::admin::player_card`], by numeric Telegram user id or by `@username` among the players
//! who wrote to the bot in private: [`crate::admin::PlayerQuery`]) and `POST /admin/api/refund` `{user, charge}` (an admin refund through
//! [`crate::admin::AdminPort::refund`], the CLI's flow; logged with the admin's id).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::json;

use super::guard::SignedIn;
use super::AdminState;
use crate::admin::{player_card, PlayerQuery};
use crate::clock::now_ms;
use crate::domain::UserId;

/// `GET /admin/api/players/{who}`: the card; 400 `bad_id` for neither an id nor a username, 404
/// `unknown_player` when nobody goes by that username or the store knows nothing of that id.
pub async fn player(State(state): State<AdminState>, Path(who): Path<String>) -> Response {
    let query = match PlayerQuery::parse(&who) {
        Ok(query) => query,
        Err(error) => {
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": error, "code": "bad_id" }))).into_response();
        }
    };
    let user = match query.resolve(&state.store).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            let error = format!("nobody who wrote to the bot in private goes by {query}");
            return (StatusCode::NOT_FOUND, Json(json!({ "error": error, "code": "unknown_player" }))).into_response();
        }
        Err(error) => return unavailable(&error.to_string()),
    };
    match player_card(&state.store, &state.catalog.current(), user, now_ms()).await {
        Ok(card) if card.is_known() => Json(card).into_response(),
        Ok(_) => {
            let error = format!("no player {user}: no items, payments, gems or energy spent");
            (StatusCode::NOT_FOUND, Json(json!({ "error": error, "code": "unknown_player" }))).into_response()
        }
        Err(error) => unavailable(&error.to_string()),
    }
}

#[derive(Deserialize)]
pub struct RefundRequest {
    user: u64,
    charge: String,
}

/// `POST /admin/api/refund`: `{"result", "message"}` ([`crate::admin::RefundReport`]).
pub async fn refund(
    State(state): State<AdminState>,
    Extension(signed): Extension<SignedIn>,
    Json(request): Json<RefundRequest>,
) -> Response {
    let user = UserId(request.user);
    let charge = request.charge.as_str();
    match state.telegram.refund(user, charge).await {
        Ok(report) => {
            tracing::info!(
                target: "starmine::admin", admin = %signed.admin, %user, charge, result = report.result,
                "refund from the console"
            );
            Json(report).into_response()
        }
        Err(error) => {
            tracing::warn!(target: "starmine::admin", admin = %signed.admin, %user, charge, %error, "refund failed");
            unavailable(&error)
        }
    }
}

pub(super) fn unavailable(error: &str) -> Response {
    let body = json!({ "error": format!("Redis is unavailable: {error}"), "code": "unavailable" });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
}
