//! The game's JSON API: me, skin, start and finish a run, the arcade top and the chat's high
//! scores here; the shop, buying and orders in [`shop`]; using an item in [`items`]; gifts to a
//! friend on the chat's scoreboard in [`gifts`]. Every call
//! is authenticated (game token or Mini App initData) and rate-limited per player; bad input
//! gets a 4xx with `{"error": "..."}` (and a `code` when the page may show it as it is) and
//! changes nothing.

mod gifts;
mod items;
mod shop;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use super::auth::{verify_init_data, AuthError, Session};
use super::{HttpState, PlayApi};
use crate::clock::now_ms;
use crate::domain::game::API_CALLS_PER_MINUTE;
use crate::domain::{Catalog, UserId};
use crate::game::{GameError, RunFinish, RunParams, RunRefusal, StartOutcome};
use crate::i18n::{t, Lang};

/// Bodies are tiny JSON objects; anything bigger is refused.
const MAX_BODY: usize = 4 * 1024;
/// How old Mini App initData may be.
const INIT_DATA_MAX_AGE_SECS: i64 = 24 * 3600;

/// The API's routes, with at most `max_in_flight` requests in hand at once.
pub fn router(max_in_flight: usize) -> Router<HttpState> {
    let slots = Arc::new(Semaphore::new(max_in_flight));
    Router::new()
        .route("/api/me", get(me))
        .route("/api/shop", get(shop::shop))
        .route("/api/skin", post(choose_skin))
        .route("/api/upgrades", post(super::upgrades::buy))
        .route("/api/runs", post(start_run))
        .route("/api/runs/{run_id}/finish", post(finish_run))
        .route("/api/buy", post(shop::buy))
        .route("/api/friends", get(gifts::friends))
        .route("/api/gift", post(gifts::gift))
        .route("/api/orders/{order_id}", get(shop::order))
        .route("/api/use", post(items::use_item))
        .route("/api/top", get(top))
        .route("/api/scores", get(chat_scores))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .route_layer(middleware::from_fn_with_state(slots, limit_in_flight))
}

/// `HTTP_API_MAX_IN_FLIGHT`: past that many API requests in hand, the next gets a fast 503
/// instead of queueing behind them, so a flood of game calls cannot take every worker from the
/// rest of the server (the webhook, health). A slot is held until the handler answers.
async fn limit_in_flight(State(slots): State<Arc<Semaphore>>, request: Request, next: Next) -> Response {
    let Ok(_slot) = slots.try_acquire() else {
        metrics::counter!("starmine_http_api_busy_total").increment(1);
        return ApiError::Busy.into_response();
    };
    next.run(request).await
}

/// Every way an API call can fail, turned into a status and a message in one place.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String),
    /// An expected refusal (sold out, not owned, energy full): a sentence the page shows as it
    /// is, and a stable code.
    #[error("{message}")]
    Refused { status: StatusCode, code: &'static str, message: String },
    #[error("slow down: too many requests")]
    RateLimited,
    #[error("the game is unavailable right now, try again in a moment")]
    Unavailable,
    /// More requests in hand than `HTTP_API_MAX_IN_FLIGHT`.
    #[error("the game is busy right now, try again in a moment")]
    Busy,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Refused { status, code, .. } => {
                let body = json!({ "error": self.to_string(), "code": code });
                return (*status, Json(body)).into_response();
            }
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Busy => {
                let body = json!({ "error": self.to_string(), "code": "busy" });
                return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "1")], Json(body)).into_response();
            }
        };
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        tracing::warn!(%error, "game api: store unavailable");
        Self::Unavailable
    }
}

impl From<GameError> for ApiError {
    fn from(error: GameError) -> Self {
        tracing::warn!(%error, "game api: game loop unavailable");
        Self::Unavailable
    }
}

pub(super) type ApiResult = Result<Json<Value>, ApiError>;

pub(super) fn play(state: &HttpState) -> Result<&PlayApi, ApiError> {
    state.play.as_ref().ok_or(ApiError::NotFound("the game is not enabled"))
}

/// Authenticates and rate-limits the caller.
pub(super) async fn caller(state: &HttpState, headers: &HeaderMap) -> Result<Session, ApiError> {
    let session = authenticated(state, headers)?;
    if !state.store.allow_api(session.user, API_CALLS_PER_MINUTE, now_ms()).await? {
        return Err(ApiError::RateLimited);
    }
    Ok(session)
}

/// Authenticates the caller; for the calls whose own script counts them against the per-player
/// limit (starting and finishing a run), saving a round trip to Redis.
fn authenticated(state: &HttpState, headers: &HeaderMap) -> Result<Session, ApiError> {
    let play = play(state)?;
    let now = now_ms();
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let session = if let Some(token) = header("authorization").and_then(|v| v.strip_prefix("Bearer ")) {
        Session::verify(token.trim(), &play.token_secret, now)
    } else if let Some(init_data) = header("x-telegram-init-data") {
        verify_init_data(init_data, &play.bot_token, now, INIT_DATA_MAX_AGE_SECS)
    } else {
        Err(AuthError::Missing)
    };
    let session = session.map_err(|error| {
        tracing::info!(%error, "game api: refused credentials");
        ApiError::Unauthorized(match error {
            AuthError::Expired => "this game link has expired: open the game again from the chat",
            _ => "this game link is not valid: open the game from the chat",
        })
    })?;
    Ok(session)
}

/// A JSON body no bigger than [`MAX_BODY`]; anything else is a 400.
pub(super) fn parse_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let body = body.map_err(|_| ApiError::BadRequest(format!("the body must be JSON of at most {MAX_BODY} bytes")))?;
    let body: &[u8] = if body.is_empty() { b"{}" } else { &body };
    serde_json::from_slice(body).map_err(|error| ApiError::BadRequest(format!("malformed body: {error}")))
}

async fn me(State(state): State<HttpState>, headers: HeaderMap) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let play = play(&state)?;
    let view = play.game.view(session.user).await?;
    let catalog = play.catalog.current();
    let chosen = state.store.skin_choice(session.user).await?;
    let run = catalog.run_params(&view.inventory, &view.boosts, &view.upgrades, chosen.as_deref(), now_ms());
    let skins = catalog.skins_available(&view.inventory, &view.upgrades, now_ms());
    let best = state.store.best_score(session.user).await?;
    let name = state.store.player_name(session.user).await?.unwrap_or_default();
    let lang = state.store.language(session.user).await?;
    let inventory: Vec<Value> = view
        .inventory
        .iter()
        .map(|(id, qty)| {
            let item = catalog.find(id);
            json!({
                "id": id,
                "name": catalog.name_in(lang, id),
                "qty": qty,
                "kind": item.map(|item| item.kind.name()),
                "usable": item.is_some_and(|item| item.is_usable()),
                "duration_seconds": item.and_then(shop::boost_seconds),
            })
        })
        .collect();
    let now = now_ms();
    let boosts: Vec<Value> = view
        .boosts
        .iter()
        .filter(|(_, until)| **until > now)
        .map(|(id, until)| boost_json(&catalog, lang, id, *until, now))
        .collect();
    Ok(Json(json!({
        "user": { "id": session.user.0, "name": name },
        // The page's words in the player's language, formatted here (assets/i18n/<lang>/game.ftl).
        "lang": lang.code(),
        "dir": if lang.is_rtl() { "rtl" } else { "ltr" },
        "texts": crate::i18n::page_texts(lang),
        "energy": view.energy,
        "gems": view.gems,
        "best_score": best,
        "inventory": inventory,
        "run": run_json(&run),
        // The run's length as the home card shows it: `30 s`, `30 с`, `۳۰ ث`.
        "run_seconds_text": t!(lang, "page-run-seconds", n = run.seconds),
        "skins": skins,
        "boosts": boosts,
        "energy_max": view.energy_max,
        "upgrades": super::upgrades::describe(&view, &catalog, lang),
        "arcade": {
            "gems_left_today": view.arcade_gems_left,
            "gems_per_day": view.arcade_gems_per_day,
            // The line under Play, in the player's language.
            "text": t!(lang, "api-arcade-left", left = view.arcade_gems_left, per_day = view.arcade_gems_per_day),
        },
    })))
}

/// A running boost: when it ends, and how long that is from now (the page counts down from
/// this, whatever its own clock says).
fn boost_json(catalog: &Catalog, lang: Lang, id: &str, until: i64, now_ms: i64) -> Value {
    json!({
        "id": id,
        "name": catalog.name_in(lang, id),
        "expires_at": rfc3339(until),
        "seconds_left": ((until - now_ms).max(0) + 999) / 1000,
    })
}

/// What a run started now gets: its length, score multiplier and skin.
fn run_json(run: &RunParams) -> Value {
    json!({ "seconds": run.seconds, "score_multiplier": f64::from(run.score_percent) / 100.0, "skin": run.skin })
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn start_run(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let session = authenticated(&state, &headers)?;
    let Start {} = parse_body(body)?;
    // The skin the player chose is in the World's copy of them; the limit is in the script.
    let start = match play(&state)?.game.start_run(session.user).await? {
        StartOutcome::Started(start) => start,
        StartOutcome::SlowDown => return Err(ApiError::RateLimited),
    };
    let params = start.params;
    Ok(Json(json!({
        "run_id": start.run_id,
        "seconds": params.seconds,
        "max_score": params.max_score,
        "score_multiplier": f64::from(params.score_percent) / 100.0,
        "skin": params.skin,
    })))
}

/// `POST /api/skin {"skin": "crystal"}` (or `null`: the automatic choice): the look of the
/// player's next runs, one of the skins they own. Answers with the skin runs now use.
async fn choose_skin(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let ChooseSkin { skin } = parse_body(body)?;
    let play = play(&state)?;
    let view = play.game.view(session.user).await?;
    let catalog = play.catalog.current();
    let available = catalog.skins_available(&view.inventory, &view.upgrades, now_ms());
    if let Some(skin) = &skin {
        if !available.contains(skin) {
            return Err(ApiError::Unprocessable(format!(
                "you don't own the {skin} skin; yours: {}",
                available.join(", ")
            )));
        }
    }
    state.store.choose_skin(session.user, skin.as_deref()).await?;
    play.game.skin_chosen(session.user, skin.clone());
    let run = catalog.run_params(&view.inventory, &view.boosts, &view.upgrades, skin.as_deref(), now_ms());
    Ok(Json(json!({ "skin": run.skin, "skins": available })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChooseSkin {
    skin: Option<String>,
}

/// `POST /api/runs` takes an empty object (or no body).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Start {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Finish {
    score: i64,
    /// Ores mined, as the page counted them (logged, not trusted).
    #[serde(default)]
    mined: Option<u64>,
}

async fn finish_run(
    State(state): State<HttpState>,
    run_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let session = authenticated(&state, &headers)?;
    let finish: Finish = parse_body(body)?;
    // An undecodable id is just no run (and still a JSON error).
    let run_id = run_id.map(|Path(id)| id).unwrap_or_default();
    let valid_id = run_id.len() == 13 && run_id.starts_with('r') && run_id.bytes().all(|b| b.is_ascii_alphanumeric());
    if !valid_id {
        return Err(ApiError::NotFound("no such run"));
    }
    if finish.score < 0 {
        return Err(ApiError::BadRequest("the score must be zero or more".into()));
    }
    let play = play(&state)?;
    let (score, best, new_best, gems_awarded, capped, rank, left, per_day) =
        match play.game.finish_run(session.user, &run_id, finish.score).await? {
            RunFinish::Finished { score, best, new_best, gems_awarded, capped, rank, player } => {
                (score, best, new_best, gems_awarded, capped, rank, player.arcade_gems_left, player.arcade_gems_per_day)
            }
            RunFinish::Refused(refusal) => return Err(refused_run(session.user, &run_id, finish.score, refusal)),
        };
    // The run counts either way; the chat's scoreboard follows when the send budget allows.
    play.telegram.report_score(session.user, score, session.target.clone());
    tracing::debug!(user = %session.user, run = %run_id, score, mined = ?finish.mined, gems_awarded, "arcade run finished");
    let lang = state.store.language(session.user).await?;
    Ok(Json(json!({
        "score": score,
        "best": best,
        "new_best": new_best,
        "gems_awarded": gems_awarded,
        "daily_limit_reached": capped || left == 0,
        "gems_left_today": left,
        // The note under the results, in the player's language.
        "gems_left_text": t!(lang, "api-arcade-left", left = left, per_day = per_day),
        "rank": rank,
    })))
}

fn refused_run(user: UserId, run_id: &str, score: i64, refusal: RunRefusal) -> ApiError {
    match refusal {
        RunRefusal::SlowDown => ApiError::RateLimited,
        RunRefusal::UnknownRun => ApiError::NotFound("no such run"),
        RunRefusal::AlreadyFinished => ApiError::Conflict("this run is already finished".into()),
        RunRefusal::Replaced => ApiError::Conflict("you started a newer run, so this one no longer counts".into()),
        RunRefusal::TooEarly => ApiError::BadRequest("this run has not ended yet".into()),
        RunRefusal::Expired => ApiError::Conflict("this run ended too long ago to count".into()),
        RunRefusal::Impossible { max_score } => {
            tracing::warn!(%user, run = run_id, score, max_score, "impossible arcade score rejected");
            ApiError::Unprocessable(format!("a score of {score} is not possible in this run"))
        }
    }
}

async fn top(State(state): State<HttpState>, headers: HeaderMap) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let leaders = state.store.arcade_top(10).await?;
    let top: Vec<Value> = leaders
        .iter()
        .enumerate()
        .map(|(at, (_, name, score))| json!({ "rank": at + 1, "name": name, "score": score }))
        .collect();
    let me = state.store.arcade_rank(session.user).await?.map(|(rank, score)| json!({ "rank": rank, "score": score }));
    Ok(Json(json!({ "top": top, "me": me })))
}

async fn chat_scores(State(state): State<HttpState>, headers: HeaderMap) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let scores = play(&state)?.telegram.high_scores(session.user, &session.target).await.map_err(|error| {
        tracing::warn!(%error, "getGameHighScores failed");
        ApiError::Unavailable
    })?;
    Ok(Json(json!({ "scores": scores })))
}
