//! The game page, built into the binary from `assets/game/` (plain HTML/JS/CSS, no build step),
//! so a deployed binary needs no asset directory; sent with the game's security headers
//! ([`super::headers::GAME_CSP`]).

use axum::extract::RawQuery;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;

use super::HttpState;

const INDEX: &str = include_str!("../../assets/game/index.html");
const SCRIPT: &str = include_str!("../../assets/game/game.js");
const STYLE: &str = include_str!("../../assets/game/style.css");

pub fn router() -> Router<HttpState> {
    let pages = Router::new()
        .route("/game", get(to_slash))
        .route("/game/", get(|| async { page("text/html; charset=utf-8", INDEX) }))
        .route("/game/index.html", get(|| async { page("text/html; charset=utf-8", INDEX) }))
        .route("/game/game.js", get(|| async { page("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/game/style.css", get(|| async { page("text/css; charset=utf-8", STYLE) }));
    super::headers::with_page_headers(pages, super::headers::GAME_CSP)
}

/// `/game?token=…` -> `/game/?token=…`, keeping the query.
async fn to_slash(RawQuery(query): RawQuery) -> Redirect {
    match query {
        Some(query) => Redirect::permanent(&format!("/game/?{query}")),
        None => Redirect::permanent("/game/"),
    }
}

fn page(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body)
}
