//! The gem sinks in the game API: the tracks and cosmetics with the player's levels (part of
//! `GET /api/me`) and `POST /api/upgrades {"id", "level"}`, which buys the named level of a
//! track (or a cosmetic) with gems through the game loop — the same path as `/upgrades` in chat.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::{caller, parse_body, play, ApiError, ApiResult};
use super::sentences::track_effect;
use super::HttpState;
use crate::domain::economy::{GemPurchase, GemRefusal, Track};
use crate::domain::Catalog;
use crate::game::{GemOutcome, PlayerView};
use crate::i18n::{t, Lang};

/// The tracks (level, what it gives, the next level and its price) and the cosmetics, each with
/// its card's words in `lang` (`texts`).
pub fn describe(view: &PlayerView, catalog: &Catalog, lang: Lang) -> Value {
    let tracks: Vec<Value> = catalog.economy.tracks.iter().map(|track| track_json(view, track, lang)).collect();
    let cosmetics: Vec<Value> = catalog
        .economy
        .cosmetics
        .iter()
        .map(|cosmetic| {
            json!({
                "id": cosmetic.id,
                "name": cosmetic.name_in(lang),
                "description": cosmetic.description_in(lang),
                "skin": cosmetic.skin,
                "price_gems": cosmetic.price_gems,
                "owned": view.upgrades.cosmetics.contains(&cosmetic.id),
                "affordable": view.gems >= cosmetic.price_gems,
                "texts": {
                    "buy": t!(lang, "page-up-buy-cost", cost = cosmetic.price_gems),
                    "need": need_text(view, cosmetic.price_gems, lang),
                },
            })
        })
        .collect();
    json!({ "tracks": tracks, "cosmetics": cosmetics, "you_have": t!(lang, "page-up-you-have", gems = view.gems) })
}

fn track_json(view: &PlayerView, track: &Track, lang: Lang) -> Value {
    let level = view.upgrades.level(&track.id).min(track.max_level());
    let max = track.max_level();
    let next = track.cost_of(level + 1).map(|cost| {
        json!({ "level": level + 1, "cost": cost, "effect": track_effect(lang, track, level + 1), "affordable": view.gems >= cost })
    });
    let now = (level > 0).then(|| track_effect(lang, track, level));
    let texts = json!({
        "now": now.as_ref().map(|now| t!(lang, "page-up-now", effect = now.as_str())),
        "level_of": t!(lang, "page-up-level-of", level = level, max = max),
        "all_bought": t!(lang, "page-up-all-bought", max = max),
        "next": track.cost_of(level + 1).map(|cost| t!(lang, "page-up-level-cost", level = level + 1, cost = cost)),
        "need": track.cost_of(level + 1).and_then(|cost| need_text(view, cost, lang)),
    });
    json!({
        "id": track.id,
        "name": track.name_in(lang),
        "description": track.description_in(lang),
        "effect": track.effect.key(),
        "level": level,
        "max_level": max,
        "now": now,
        "next": next,
        "texts": texts,
    })
}

/// "Need 300 more 💎" when the player's gems fall short of `cost`.
fn need_text(view: &PlayerView, cost: u64, lang: Lang) -> Option<String> {
    let short = cost.saturating_sub(view.gems);
    (short > 0).then(|| t!(lang, "page-up-need", gems = short))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Upgrade {
    id: String,
    /// The target level (a cosmetic: omitted or 1). A repeated request names the same level and
    /// buys nothing the second time.
    level: Option<u32>,
}

/// What is being bought, as the sentences name it.
enum Target<'a> {
    Level { name: &'a str, level: u32 },
    Look { name: &'a str },
}

impl<'a> Target<'a> {
    /// The track level or cosmetic `id` names (`level` for a track: the one asked for, else the
    /// next); None for an unknown id.
    fn of(catalog: &'a Catalog, lang: Lang, view: &PlayerView, id: &str, level: Option<u32>) -> Option<Self> {
        if let Some(track) = catalog.economy.track(id) {
            let level = level.unwrap_or(view.upgrades.level(id) + 1);
            return Some(Self::Level { name: track.name_in(lang), level });
        }
        catalog.economy.cosmetic(id).map(|cosmetic| Self::Look { name: cosmetic.name_in(lang) })
    }
}

/// A refused purchase: the API's status and code, and the sentence the page shows, in `lang`.
fn refusal(lang: Lang, refusal: GemRefusal, target: Target<'_>, view: &PlayerView, id: &str) -> ApiError {
    let gems = view.gems;
    let (status, code, message) = match (refusal, target) {
        (GemRefusal::NotEnoughGems, Target::Level { name, level }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_enough_gems",
            t!(lang, "page-up-poor-level", name = name, level = level, gems = gems),
        ),
        (GemRefusal::NotEnoughGems, Target::Look { name }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_enough_gems",
            t!(lang, "page-up-poor-look", name = name, gems = gems),
        ),
        (GemRefusal::AlreadyHave, Target::Level { name, level }) => {
            (StatusCode::CONFLICT, "already_have", t!(lang, "page-up-have-level", name = name, level = level))
        }
        (GemRefusal::AlreadyHave, Target::Look { name }) => {
            (StatusCode::CONFLICT, "already_have", t!(lang, "page-up-have-look", name = name))
        }
        (GemRefusal::NotNext, Target::Level { name, .. }) => {
            let first = view.upgrades.level(id) + 1;
            (StatusCode::CONFLICT, "not_next", t!(lang, "page-up-first", name = name, level = first))
        }
        (_, Target::Level { name, .. } | Target::Look { name }) => {
            (StatusCode::CONFLICT, "no_such_level", t!(lang, "page-up-maxed-out", name = name))
        }
    };
    ApiError::Refused { status, code, message }
}

/// `POST /api/upgrades`: 200 with the purchase and the player's upgrades after it; 404 for an
/// unknown id; 409 when already owned or not the next level; 422 without enough gems.
pub async fn buy(State(state): State<HttpState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let request: Upgrade = parse_body(body)?;
    let play = play(&state)?;
    let action = {
        use rand::distr::{Alphanumeric, SampleString};
        format!("api-{}", Alphanumeric.sample_string(&mut rand::rng(), 16))
    };
    let outcome = play.game.spend_gems(session.user, &request.id, request.level, &action).await?;
    let lang = state.store.language(session.user).await?;
    let catalog = play.catalog.current();
    match outcome {
        GemOutcome::Bought { purchase, player } => {
            let (id, level) = match &purchase {
                GemPurchase::Level { track, level, .. } => (track.as_str(), *level),
                GemPurchase::Cosmetic { id, .. } => (id.as_str(), 1),
            };
            tracing::info!(user = %session.user, id, level, cost = purchase.cost(), "bought with gems");
            let message = match catalog.economy.track(id) {
                Some(track) => t!(
                    lang,
                    "page-up-bought-level",
                    name = track.name_in(lang),
                    level = level,
                    effect = track_effect(lang, track, level),
                    gems = player.gems
                ),
                None => {
                    let name = catalog.economy.cosmetic(id).map_or(id, |cosmetic| cosmetic.name_in(lang));
                    t!(lang, "page-up-bought-look", name = name, gems = player.gems)
                }
            };
            Ok(Json(json!({
                "bought": { "id": id, "level": level, "cost": purchase.cost() },
                "gems": player.gems,
                "energy": player.energy,
                "energy_max": player.energy_max,
                "upgrades": describe(&player, &catalog, lang),
                "message": message,
            })))
        }
        GemOutcome::Refused { refusal: GemRefusal::Unknown, .. } => Err(ApiError::NotFound("no such upgrade")),
        GemOutcome::Refused { refusal: why, player } => {
            match Target::of(&catalog, lang, &player, &request.id, request.level) {
                Some(target) => Err(refusal(lang, why, target, &player, &request.id)),
                None => Err(ApiError::NotFound("no such upgrade")),
            }
        }
    }
}
