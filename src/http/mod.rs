//! The HTTP side: health, the Telegram webhook, the HTML5 game's pages and its JSON API, and the
//! operator console ([`admin`]) on the public listener; Prometheus metrics on a listener of their own; the server itself (our
//! accept loop with its limits) in [`server`].

pub mod admin;
mod api;
pub mod assets;
pub mod auth;
pub mod headers;
mod pages;
mod sentences;
pub mod server;
mod upgrades;
pub mod webhook;

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::game::GameHandle;
use crate::reload::SharedCatalog;
use crate::store::Store;

#[derive(Clone)]
pub struct HttpState {
    pub store: Store,
    /// The HTML5 game; None when `/play` is off.
    pub play: Option<PlayApi>,
    /// `HTTP_API_MAX_IN_FLIGHT`: game API requests handled at once.
    pub api_max_in_flight: usize,
}

/// What the game pages and API need.
#[derive(Clone)]
pub struct PlayApi {
    pub game: GameHandle,
    pub catalog: SharedCatalog,
    /// `GAME_TOKEN_SECRET`.
    pub token_secret: Arc<Vec<u8>>,
    /// The bot token, to check Mini App `initData`.
    pub bot_token: Arc<String>,
    pub telegram: Arc<dyn crate::game_link::TelegramPort>,
}

/// The public listener's routes: health, and the game when it is on.
pub fn router(state: HttpState) -> Router {
    let mut router = Router::new().route("/healthz", get(healthz));
    if state.play.is_some() {
        router = router.merge(pages::router()).merge(api::router(state.api_max_in_flight));
    }
    router.with_state(state)
}

/// `/healthz` alone, for the webhook's own listener (a load balancer's health check).
pub fn health_router(state: HttpState) -> Router {
    Router::new().route("/healthz", get(healthz)).with_state(state)
}

/// What every listener answers while `serve` starts (waiting for Redis): 503 "not ready" for
/// `/healthz` and everything else, so Telegram delivers updates again later.
pub fn starting_router() -> Router {
    let not_ready =
        || async { (StatusCode::SERVICE_UNAVAILABLE, "not ready: starting (waiting for Redis and the Bot API)\n") };
    Router::new().route("/healthz", get(not_ready)).fallback(not_ready)
}

/// `/metrics` (Prometheus text format), for the metrics listener only: it shows revenue.
pub fn metrics_router(metrics: PrometheusHandle) -> Router {
    Router::new().route("/metrics", get(render_metrics)).with_state(metrics)
}

/// 200 when Redis answers, 503 otherwise.
async fn healthz(State(state): State<HttpState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(error) => {
            tracing::warn!(%error, "health check: redis does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "redis unavailable\n")
        }
    }
}

async fn render_metrics(State(metrics): State<PrometheusHandle>) -> impl IntoResponse {
    ([("content-type", "text/plain; version=0.0.4")], metrics.render())
}
