//! The page's shop: `GET /api/shop` (every item, with what this player may buy of it now — stock
//! left and the reason Buy is off, from the same `Store::availability` the chat's `/shop`
//! shows; retired items too, marked `retired`, so the page can still describe what players
//! hold, but its shop leaves them out), `POST /api/buy` (an order and its invoice link) and `GET /api/orders/{id}`.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use futures::future::try_join_all;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{caller, parse_body, play, ApiError, ApiResult};
use crate::clock::now_ms;
use crate::domain::grant_units;
use crate::domain::{Catalog, Item, ItemKind, OrderId, Refusal};
use crate::http::{sentences, HttpState};
use crate::i18n::{duration, t, Lang};
use crate::store::OrderOffer;
use crate::telegram::texts::grant_phrase;

pub(super) async fn shop(State(state): State<HttpState>, headers: HeaderMap) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let play = play(&state)?;
    let catalog = play.catalog.current();
    let inventory = state.store.inventory(session.user).await?;
    let lang = state.store.language(session.user).await?;
    let now = now_ms();
    let availability =
        try_join_all(catalog.items().iter().map(|item| state.store.availability(item, session.user, now))).await?;
    let items: Vec<Value> = catalog
        .items()
        .iter()
        .zip(availability)
        .map(|(item, availability)| {
            json!({
                "id": item.id.as_str(),
                "name": item.name_in(lang),
                "description": item.description_in(lang),
                "price_stars": item.price.get(),
                "kind": item.kind.name(),
                "owned": inventory.get(item.id.as_str()).copied().unwrap_or(0),
                "effect": effect_text(lang, item, &catalog, true),
                "gear_effect": effect_text(lang, item, &catalog, false),
                "delivers": grant_phrase(lang, &catalog, &grant_units(&catalog.grants(item))),
                "duration_seconds": boost_seconds(item),
                "receipt_text": sentences::receipt(lang, item, &catalog),
                "boost_texts": boost_lasts(item).map(|lasts| {
                    let (runs, adds) = sentences::boost_notes(lang, lasts);
                    json!({ "runs": runs, "adds": adds })
                }),
                "stock": item.stock,
                "left": availability.left,
                "left_text": availability.left.map(|left| t!(lang, "page-shop-left", n = left)),
                "owned_text": t!(lang, "page-shop-you-have", n = inventory.get(item.id.as_str()).copied().unwrap_or(0)),
                "sold_out": availability.left == Some(0),
                "max_per_player": item.max_per_player,
                "retired": item.retired,
                "can_buy": availability.refusal.is_none(),
                "unavailable": availability.refusal.map(|refusal| unavailable(lang, item, refusal)),
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// How long a boost runs once started (None for other kinds).
fn boost_lasts(item: &Item) -> Option<std::time::Duration> {
    match item.kind {
        ItemKind::Boost { duration } => Some(duration),
        _ => None,
    }
}

/// How long a boost runs once started, in seconds (None for other kinds).
pub(super) fn boost_seconds(item: &Item) -> Option<u64> {
    boost_lasts(item).map(|lasts| lasts.as_secs())
}

/// Why this player can't buy `item` now: a code, a label for the disabled Buy button and a
/// sentence for the card, in `lang`.
fn unavailable(lang: Lang, item: &Item, refusal: Refusal) -> Value {
    let name = item.name_in(lang);
    let (label, text) = match (refusal, item.max_per_player) {
        (Refusal::SoldOut, _) => (t!(lang, "api-sold-out-label"), t!(lang, "api-sold-out", item = name)),
        (Refusal::LimitReached, Some(max)) => (t!(lang, "api-limit-label"), t!(lang, "api-limit", max = max)),
        (Refusal::AlreadyOwned, _) => (t!(lang, "api-owned-label"), t!(lang, "api-owned", item = name)),
        (Refusal::Retired, _) => (t!(lang, "api-retired-label"), t!(lang, "api-retired", item = name)),
        _ => (t!(lang, "api-unavailable-label"), t!(lang, "api-unavailable", item = name)),
    };
    json!({ "code": refusal.code(), "label": label, "text": text })
}

/// What an item does, in a few words for the shop card (bundle contents by name), in `lang`;
/// without a boost's duration for the gear rows, which say how long themselves.
fn effect_text(lang: Lang, item: &Item, catalog: &Catalog, with_duration: bool) -> String {
    let effects = &item.effects;
    let times = |percent: u32| f64::from(percent) / 100.0;
    let mut parts = Vec::new();
    if let Some(energy) = effects.energy {
        parts.push(t!(lang, "api-effect-energy", n = energy));
    }
    if let Some(gems) = effects.gems {
        parts.push(t!(lang, "api-effect-gems", n = gems));
    }
    if let Some(percent) = effects.yield_percent {
        parts.push(t!(lang, "api-effect-yield", x = times(percent)));
    }
    if let Some(percent) = effects.luck_percent {
        parts.push(t!(lang, "api-effect-luck", x = times(percent)));
    }
    if let Some(seconds) = effects.run_seconds {
        parts.push(t!(lang, "api-effect-run-seconds", n = seconds));
    }
    if let Some(percent) = effects.score_percent {
        parts.push(t!(lang, "api-effect-score", x = times(percent)));
    }
    if let Some(skin) = &effects.skin {
        parts.push(t!(lang, "effect-skin", skin = crate::telegram::texts::skin_name(lang, skin)));
    }
    match &item.kind {
        ItemKind::Boost { duration: lasts } if with_duration => {
            parts.push(t!(lang, "api-effect-for", duration = duration(lang, *lasts)))
        }
        ItemKind::Boost { .. } => {}
        ItemKind::Bundle { contains } => {
            let names = contains.iter().map(|(id, qty)| format!("{qty}× {}", catalog.name_in(lang, id.as_str())));
            parts.push(names.collect::<Vec<_>>().join(", "))
        }
        ItemKind::Consumable | ItemKind::Permanent | ItemKind::Subscription { .. } => {}
    }
    parts.join(", ")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Buy {
    item_id: String,
}

pub(super) async fn buy(
    State(state): State<HttpState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let request: Buy = parse_body(body)?;
    let play = play(&state)?;
    let catalog = play.catalog.current();
    let Some(item) = catalog.find(&request.item_id) else {
        return Err(ApiError::NotFound("no such item"));
    };
    // The page's calls are metered by the API's own limit.
    let offer =
        state.store.create_order(item, session.user, &catalog.version, &catalog.settings, None, now_ms()).await?;
    let lang = state.store.language(session.user).await?;
    let (order, amount) = match offer {
        OrderOffer::Payable { order, amount, .. } => (order, amount),
        OrderOffer::Refused(refusal) => return Err(refused(lang, item, refusal)),
        OrderOffer::SlowDown => return Err(ApiError::RateLimited),
    };
    let link = play.telegram.invoice_link(item, lang, &order.to_string(), amount).await.map_err(|error| {
        tracing::warn!(%error, "createInvoiceLink failed");
        ApiError::Unavailable
    })?;
    tracing::info!(user = %session.user, item = %item.id, %order, "invoice link created for the game page");
    let pay_text = sentences::pay(lang, amount);
    Ok(Json(json!({ "order_id": order.to_string(), "invoice_link": link, "amount": amount, "pay_text": pay_text })))
}

/// A purchase the shop refuses at once: 409 with the refusal's code and a sentence to show, in
/// `lang`.
fn refused(lang: Lang, item: &Item, refusal: Refusal) -> ApiError {
    let name = item.name_in(lang);
    let message = match (refusal, item.max_per_player) {
        (Refusal::SoldOut, _) => t!(lang, "api-refused-sold-out", item = name),
        (Refusal::LimitReached, Some(max)) => t!(lang, "api-refused-limit", item = name, max = max),
        (Refusal::AlreadyOwned, _) => t!(lang, "api-owned", item = name),
        (Refusal::Retired, _) => t!(lang, "api-refused-retired", item = name),
        _ => t!(lang, "api-refused-other", item = name),
    };
    ApiError::Refused { status: StatusCode::CONFLICT, code: refusal.code(), message }
}

pub(super) async fn order(
    State(state): State<HttpState>,
    order_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult {
    let session = caller(&state, &headers).await?;
    let order_id = order_id.map(|Path(id)| id).unwrap_or_default();
    let order = OrderId::parse(&order_id).ok_or(ApiError::NotFound("no such order"))?;
    let status =
        state.store.order_status(&order, session.user, now_ms()).await?.ok_or(ApiError::NotFound("no such order"))?;
    Ok(Json(json!({ "status": status })))
}
