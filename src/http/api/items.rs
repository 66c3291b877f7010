//! `POST /api/use {"item": "<id>"}`: uses one held unit — starts a boost, drinks an energy
//! refill — through the game loop's use command, the very one the chat's `/use` sends, so the
//! page and the chat share one code path. Answers with the boost's end, the energy and the run
//! the player gets now (a run uses the boosts running when it starts).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::{boost_json, caller, parse_body, play, run_json, ApiError, ApiResult};
use crate::clock::now_ms;
use crate::game::UseOutcome;
use crate::http::{sentences, HttpState};
use crate::i18n::t;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UseItem {
    item: String,
}

pub(super) async fn use_item(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let UseItem { item } = parse_body(body)?;
    let play = play(&state)?;
    let catalog = play.catalog.current();
    let refused = |status, code, message: String| ApiError::Refused { status, code, message };
    let lang = state.store.language(session.user).await?;
    let Some(definition) = catalog.find(&item) else {
        return Err(refused(StatusCode::NOT_FOUND, "unknown_item", t!(lang, "page-use-unknown")));
    };
    let name = definition.name_in(lang);
    let (boost_until, player) = match play.game.use_item(session.user, definition.id.clone()).await? {
        UseOutcome::Used { boost_until, player, .. } => (boost_until, player),
        UseOutcome::NotOwned => {
            return Err(refused(StatusCode::CONFLICT, "not_owned", t!(lang, "page-use-not-owned", item = name)));
        }
        UseOutcome::NotUsable => {
            let message = t!(lang, "page-use-not-usable", item = name);
            return Err(refused(StatusCode::UNPROCESSABLE_ENTITY, "not_usable", message));
        }
        UseOutcome::EnergyFull { player } => {
            let message =
                t!(lang, "page-use-energy-full", energy = player.energy, max = player.energy_max, item = name);
            return Err(refused(StatusCode::CONFLICT, "energy_full", message));
        }
    };
    let now = now_ms();
    let chosen = state.store.skin_choice(session.user).await?;
    let run = catalog.run_params(&player.inventory, &player.boosts, &player.upgrades, chosen.as_deref(), now);
    tracing::info!(user = %session.user, item = %definition.id, ?boost_until, "item used from the game page");
    let seconds_left = boost_until.map(|until| ((until - now).max(0) as u64).div_ceil(1000));
    let multiplier = f64::from(run.score_percent) / 100.0;
    let message = sentences::used(lang, name, seconds_left, multiplier, (player.energy, player.energy_max));
    Ok(Json(json!({
        "used": definition.id.as_str(),
        "name": name,
        "boost": boost_until.map(|until| boost_json(&catalog, lang, definition.id.as_str(), until, now)),
        "left": player.inventory.get(definition.id.as_str()).copied().unwrap_or(0),
        "energy": player.energy,
        "energy_max": player.energy_max,
        "run": run_json(&run),
        "message": message,
    })))
}
