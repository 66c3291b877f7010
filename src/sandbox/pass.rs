//! The Miner's Pass in the sandbox: the player's passes for the panel (our side and Telegram's,
//! from the emulator) and "advance to the renewal", which charges the next month or fails it.

use serde::Deserialize;
use serde_json::{json, Value};

use super::control::{bad, Answer, Sandbox};
use super::emulator::Renewal;
use crate::domain::{Catalog, UserId};
use axum::extract::State;
use axum::Json;

#[derive(Deserialize)]
pub(super) struct Renew {
    /// Any charge of the subscription (the first, as the panel sends it).
    charge_id: String,
    /// Fail the charge (too few Stars): nothing is charged and the subscription ends.
    #[serde(default)]
    fail: bool,
}

/// "Advance to the renewal": Telegram reaches the subscription's period end and charges the next
/// month (a renewal the bot hears of with no pre-checkout), fails to, or ends a stopped one.
pub(super) async fn renew(State(sandbox): State<Sandbox>, Json(request): Json<Renew>) -> Answer {
    let Some((first, _)) = sandbox.emulator.subscription(&request.charge_id) else {
        return Err(bad("no subscription has that charge id"));
    };
    Ok(Json(match sandbox.emulator.renew_subscription(&first, request.fail) {
        Renewal::Renewed { charge_id, expires_at } => {
            json!({ "status": "renewed", "charge_id": charge_id, "expires_at": expires_at })
        }
        Renewal::Canceled { by } => json!({ "status": "ended", "canceled_by": format!("{by:?}").to_lowercase() }),
        Renewal::Failed => json!({ "status": "failed" }),
        Renewal::Ended => json!({ "status": "ended" }),
    }))
}

/// The player's passes as stored: expiry, its charges, who stopped renewals; and Telegram's side
/// of the subscription (the emulator's), so the panel can advance it.
pub(super) async fn passes_of(
    sandbox: &Sandbox,
    catalog: &Catalog,
    user: UserId,
) -> Result<Vec<Value>, crate::store::StoreError> {
    let mut passes = Vec::new();
    for item in catalog.items().iter().filter(|item| item.pass_perks().is_some()) {
        let state = sandbox.store.pass_state(user, &item.id).await?;
        if state.first_charge.is_empty() {
            continue;
        }
        let telegram = sandbox.emulator.subscription(&state.first_charge).map(|(_, subscription)| subscription);
        passes.push(json!({
            "id": item.id.as_str(), "name": item.name, "expires_at": state.expires_at,
            "first_charge": state.first_charge, "latest_charge": state.latest_charge,
            "stopped_by_bot": state.stopped_by_bot,
            "telegram": telegram.map(|s| json!({
                "ended": s.ended, "canceled_by": s.canceled_by.map(|by| format!("{by:?}").to_lowercase()),
                "renews_at": s.expires_at * 1000,
            })),
        }));
    }
    Ok(passes)
}
