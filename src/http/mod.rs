//! The HTTP side: health, Prometheus metrics, the Telegram webhook, the HTML5 game's pages and
//! its JSON API.

mod api;
pub mod auth;
mod pages;
pub mod port;
mod upgrades;
pub mod webhook;

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::app::SharedCatalog;
use crate::game::GameHandle;
use crate::store::Store;

#[derive(Clone)]
pub struct HttpState {
    pub store: Store,
    pub metrics: PrometheusHandle,
    /// The HTML5 game; None when `/play` is off.
    pub play: Option<PlayApi>,
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
    pub telegram: Arc<dyn port::TelegramPort>,
}

pub fn router(state: HttpState) -> Router {
    let mut router = Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics));
    if state.play.is_some() {
        router = router.merge(pages::router()).merge(api::router());
    }
    router.with_state(state)
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

async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    ([("content-type", "text/plain; version=0.0.4")], state.metrics.render())
}
