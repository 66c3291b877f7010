//! The gem sinks in the game API: the tracks and cosmetics with the player's levels (part of
//! `GET /api/me`) and `POST /api/upgrades {"id", "level"}`, which buys the named level of a
//! track (or a cosmetic) with gems through the game loop — the same path as `/upgrades` in chat.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::{caller, parse_body, play, ApiError, ApiResult};
use super::HttpState;
use crate::domain::economy::{GemPurchase, GemRefusal, Track, TrackEffect};
use crate::domain::Catalog;
use crate::game::{GemOutcome, PlayerView};
use crate::i18n::{t, Lang};

/// What `level` levels of a track give, in a few words for the page.
fn effect(track: &Track, level: u32) -> String {
    let amount = level * track.per_level;
    match track.effect {
        TrackEffect::Yield => format!("+{amount}% gems per find"),
        TrackEffect::Luck => format!("+{amount}% rare-find luck"),
        TrackEffect::EnergyCap => format!("+{amount} max energy"),
        TrackEffect::Regen => format!("energy {amount}s faster"),
        TrackEffect::RunSeconds => format!("+{amount}s per run"),
    }
}

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
                "name": cosmetic.name,
                "description": cosmetic.description,
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
        json!({ "level": level + 1, "cost": cost, "effect": effect(track, level + 1), "affordable": view.gems >= cost })
    });
    let now = (level > 0).then(|| effect(track, level));
    let texts = json!({
        "now": now.as_ref().map(|now| t!(lang, "page-up-now", effect = now.as_str())),
        "level_of": t!(lang, "page-up-level-of", level = level, max = max),
        "all_bought": t!(lang, "page-up-all-bought", max = max),
        "next": track.cost_of(level + 1).map(|cost| t!(lang, "page-up-level-cost", level = level + 1, cost = cost)),
        "need": track.cost_of(level + 1).and_then(|cost| need_text(view, cost, lang)),
    });
    json!({
        "id": track.id,
        "name": track.name,
        "description": track.description,
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

fn refusal_text(refusal: GemRefusal, gems: u64) -> String {
    match refusal {
        GemRefusal::Unknown => "there is no such upgrade".to_owned(),
        GemRefusal::NoSuchLevel => "that track has no such level".to_owned(),
        GemRefusal::AlreadyHave => "you already have that".to_owned(),
        GemRefusal::NotNext => "buy the levels in order".to_owned(),
        GemRefusal::NotEnoughGems => format!("not enough gems: you have {gems}"),
    }
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
            Ok(Json(json!({
                "bought": { "id": id, "level": level, "cost": purchase.cost() },
                "gems": player.gems,
                "energy": player.energy,
                "energy_max": player.energy_max,
                "upgrades": describe(&player, &catalog, lang),
            })))
        }
        GemOutcome::Refused { refusal, player } => Err(match refusal {
            GemRefusal::Unknown => ApiError::NotFound("no such upgrade"),
            GemRefusal::NotEnoughGems => ApiError::Unprocessable(refusal_text(refusal, player.gems)),
            _ => ApiError::Conflict(refusal_text(refusal, player.gems)),
        }),
    }
}
