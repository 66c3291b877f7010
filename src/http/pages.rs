//! The game page, served from the asset table ([`super::assets::GAME`]: `assets/game/`, built
//! into the binary, no build step) with the game's security headers ([`super::headers::GAME_CSP`]).

use axum::extract::RawQuery;
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;

use super::assets;
use super::HttpState;

pub fn router() -> Router<HttpState> {
    let pages = assets::routes("/game", assets::GAME).route("/game", get(to_slash));
    super::headers::with_page_headers(pages, super::headers::GAME_CSP)
}

/// `/game?token=…` -> `/game/?token=…`, keeping the query.
async fn to_slash(RawQuery(query): RawQuery) -> Redirect {
    match query {
        Some(query) => Redirect::permanent(&format!("/game/?{query}")),
        None => Redirect::permanent("/game/"),
    }
}
