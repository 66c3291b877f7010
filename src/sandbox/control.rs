//! The sandbox's control API: what the sandbox page does as a Telegram client would (send
//! text, press buttons, pay invoices and invoice links, dispute) and what it shows (the whole
//! chat, the player's state, the Star ledger, what the last reload of `game_data/` came to, and
//! an event stream saying when those change: `events`; the economy lab on the catalog in force: `economy`). Mounted under `/sandbox/` on the bot's own HTTP
//! server, loopback only, beside the page's files ([`crate::http::assets::SANDBOX`]), all with the
//! sandbox's security headers ([`crate::http::headers`]).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::economy::{self, EconomyLab};
use super::emulator::{Emulator, PayOutcome, SentMessage};
use crate::clock::now_ms;
use crate::domain::Lang;
use crate::domain::{NotRefundable, UserId};
use crate::http::{assets, headers};
use crate::reload::{ReloadStatus, SharedCatalog};
use crate::store::{PaymentStatus, Store};
use crate::telegram::refund_list::review;
use crate::telegram::texts;

/// The sandbox's players: Telegram user ids and names (the first is an admin).
#[derive(Clone)]
pub struct Sandbox {
    pub emulator: Emulator,
    pub store: Store,
    pub catalog: SharedCatalog,
    users: Arc<Mutex<BTreeMap<i64, (String, bool)>>>,
    economy: EconomyLab,
}

pub const ADMIN_USER: i64 = 1000;

impl Sandbox {
    /// The default users, and the ones added on the page before a restart (the emulator keeps
    /// every user it knew, with the chat).
    pub fn new(emulator: Emulator, store: Store, catalog: SharedCatalog) -> Self {
        let mut users: BTreeMap<i64, (String, bool)> = [
            (ADMIN_USER, ("Ada (admin)".to_owned(), true)),
            (1001, ("Alice".to_owned(), false)),
            (1002, ("Bob".to_owned(), false)),
            (1003, ("Carol".to_owned(), false)),
        ]
        .into_iter()
        .collect();
        for (id, (name, _)) in &users {
            emulator.set_user_name(*id, name, None);
        }
        for (id, name) in emulator.users() {
            users.entry(id).or_insert((name, false));
        }
        let economy = EconomyLab::new(catalog.clone(), economy::PANEL_OPTIONS);
        Self { emulator, store, catalog, users: Arc::new(Mutex::new(users)), economy }
    }

    fn users_json(&self) -> Value {
        // A std Mutex held only to copy a small map, never across an await.
        let users = self.users.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        users.iter().map(|(id, (name, admin))| json!({ "id": id, "name": name, "admin": admin })).collect()
    }
}

pub fn router(sandbox: Sandbox) -> Router {
    let routes = assets::routes("/sandbox", assets::SANDBOX)
        .route("/sandbox", get(|| async { axum::response::Redirect::permanent("/sandbox/") }))
        .route("/sandbox/api/users", get(users).post(add_user))
        .route("/sandbox/api/chat/{user}", get(chat))
        .route("/sandbox/api/send", post(send))
        .route("/sandbox/api/press", post(press))
        .route("/sandbox/api/pay", post(pay))
        .route("/sandbox/api/pay-link", post(pay_link))
        .route("/sandbox/api/dispute", post(dispute))
        .route("/sandbox/api/renew", post(super::pass::renew))
        .route("/sandbox/api/player/{user}", get(player))
        .route("/sandbox/api/ledger", get(ledger))
        .route("/sandbox/api/commands", get(commands))
        .route("/sandbox/api/reload", get(reload_status))
        .route("/sandbox/api/events", get(super::events::stream))
        .route("/sandbox/api/economy", get(economy_panel))
        .with_state(sandbox);
    headers::with_page_headers(routes, headers::SANDBOX_CSP)
}

/// `GET /sandbox/api/economy`: the economy lab on the catalog in force ([`economy`]).
async fn economy_panel(State(sandbox): State<Sandbox>) -> axum::response::Response {
    economy::economy(sandbox.economy).await
}

pub(super) fn bad(message: &str) -> (StatusCode, Json<Value>) {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message })))
}

pub(super) type Answer = Result<Json<Value>, (StatusCode, Json<Value>)>;

async fn users(State(sandbox): State<Sandbox>) -> Json<Value> {
    Json(json!({ "users": sandbox.users_json() }))
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    /// The Telegram `language_code` their updates carry (`ru`, `fa`, `es`…); none = `en`.
    language_code: Option<String>,
}

/// A `language_code` as Telegram sends one: an IETF tag of letters and hyphens.
fn language_code(code: Option<&str>) -> Result<&str, (StatusCode, Json<Value>)> {
    let code = code.map(str::trim).filter(|code| !code.is_empty()).unwrap_or("en");
    let tag = code.len() <= 16
        && code.split('-').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    if tag {
        Ok(code)
    } else {
        Err(bad("a language code is a tag such as en, ru or pt-br"))
    }
}

async fn add_user(State(sandbox): State<Sandbox>, Json(request): Json<NewUser>) -> Answer {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 32 {
        return Err(bad("a name is 1 to 32 characters"));
    }
    let language = language_code(request.language_code.as_deref())?;
    let id = {
        let mut users = sandbox.users.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let id = users.keys().next_back().map_or(1001, |last| last + 1);
        users.insert(id, (name.to_owned(), false));
        id
    };
    sandbox.emulator.set_user_name(id, name, None);
    sandbox.emulator.set_user_language(id, language);
    Ok(Json(json!({ "id": id, "name": name, "language_code": language })))
}

/// One chat message as the page draws it.
fn message_json(from_bot: bool, message: &SentMessage) -> Value {
    let buttons: Vec<Vec<Value>> = message
        .reply_markup
        .as_ref()
        .and_then(|markup| markup.get("inline_keyboard"))
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_array()
                        .map(|row| {
                            row.iter()
                                .map(|button| {
                                    json!({
                                        "text": button.get("text").and_then(Value::as_str).unwrap_or(""),
                                        "data": button.get("callback_data"),
                                        "url": button.get("url"),
                                        "pay": button.get("pay").is_some(),
                                        "game": button.get("callback_game").is_some(),
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let invoice = message.invoice.as_ref().map(|invoice| {
        json!({ "title": invoice.title, "description": invoice.description, "currency": invoice.currency, "amount": invoice.amount })
    });
    let kind = if message.raw.get("successful_payment").is_some() {
        "payment"
    } else if message.raw.get("refunded_payment").is_some() {
        "refund"
    } else {
        "text"
    };
    // A service message's amount and charge id, for the page's "You paid 5 ⭐" pill.
    let payment =
        ["successful_payment", "refunded_payment"].iter().find_map(|field| message.raw.get(*field)).map(|paid| {
            json!({
                "amount": paid.get("total_amount"),
                "currency": paid.get("currency"),
                "charge_id": paid.get("telegram_payment_charge_id"),
            })
        });
    json!({
        "id": message.message_id,
        "from": if from_bot { "bot" } else { "user" },
        "kind": kind,
        "text": message.text,
        "buttons": buttons,
        "invoice": invoice,
        "game": message.game_short_name,
        "date": message.raw.get("date"),
        "edited": message.raw.get("edit_date").is_some_and(|date| !date.is_null()),
        "payment": payment,
    })
}

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: i64,
}

async fn chat(State(sandbox): State<Sandbox>, Path(user): Path<i64>, Query(after): Query<After>) -> Json<Value> {
    let transcript = sandbox.emulator.transcript(user);
    // Invoices whose payment shows in this chat, so a reloaded page still marks them paid.
    let paid: std::collections::HashSet<&str> = transcript
        .iter()
        .filter_map(|(_, message)| message.raw.get("successful_payment")?.get("invoice_payload")?.as_str())
        .collect();
    let messages: Vec<Value> = transcript
        .iter()
        .filter(|(_, message)| message.message_id > after.after)
        .map(|(from_bot, message)| {
            let mut json = message_json(*from_bot, message);
            if let Some(invoice) = &message.invoice {
                json["invoice"]["paid"] = json!(paid.contains(invoice.payload.as_str()));
            }
            json
        })
        .collect();
    Json(json!({ "messages": messages }))
}

#[derive(Deserialize)]
struct Send {
    user: i64,
    text: String,
}

async fn send(State(sandbox): State<Sandbox>, Json(request): Json<Send>) -> Answer {
    if request.text.trim().is_empty() || request.text.chars().count() > 4096 {
        return Err(bad("a message is 1 to 4096 characters"));
    }
    let id = sandbox.emulator.send_text(request.user, &request.text);
    Ok(Json(json!({ "id": id })))
}

#[derive(Deserialize)]
struct Press {
    user: i64,
    message_id: i64,
    /// Callback data; absent for the game's Play button.
    data: Option<String>,
}

/// Presses an inline button and waits briefly for the bot's answer (a Play button answers
/// with the game's URL).
async fn press(State(sandbox): State<Sandbox>, Json(request): Json<Press>) -> Answer {
    let emulator = &sandbox.emulator;
    let id = match &request.data {
        Some(data) => emulator.press_button(request.user, request.user, request.message_id, data),
        None => emulator
            .press_game(request.user, request.user, request.message_id)
            .ok_or_else(|| bad("that message has no game"))?,
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while tokio::time::Instant::now() < deadline {
        if let Some(answer) = emulator.callback_answer(&id) {
            return Ok(Json(json!({ "text": answer.text, "url": answer.url, "alert": answer.show_alert })));
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    Ok(Json(json!({ "text": null, "url": null })))
}

fn outcome_json(outcome: PayOutcome) -> Value {
    match outcome {
        PayOutcome::Paid { charge_id } => json!({ "status": "paid", "charge_id": charge_id }),
        PayOutcome::Declined { error_message } => json!({ "status": "declined", "error": error_message }),
        PayOutcome::NoAnswer => {
            json!({ "status": "no_answer", "error": "the bot did not answer the pre-checkout in 10 s" })
        }
        PayOutcome::Unpayable { reason } => json!({ "status": "unpayable", "error": reason }),
    }
}

#[derive(Deserialize)]
struct Pay {
    user: i64,
    message_id: i64,
}

async fn pay(State(sandbox): State<Sandbox>, Json(request): Json<Pay>) -> Json<Value> {
    Json(outcome_json(sandbox.emulator.pay_invoice(request.user, request.user, request.message_id).await))
}

#[derive(Deserialize)]
struct PayLink {
    user: i64,
    link: String,
}

async fn pay_link(State(sandbox): State<Sandbox>, Json(request): Json<PayLink>) -> Json<Value> {
    Json(outcome_json(sandbox.emulator.pay_link(request.user, &request.link).await))
}

#[derive(Deserialize)]
struct Dispute {
    user: i64,
    charge_id: String,
}

async fn dispute(State(sandbox): State<Sandbox>, Json(request): Json<Dispute>) -> Answer {
    if !sandbox.emulator.dispute(request.user, &request.charge_id) {
        return Err(bad("no unrefunded charge with that id for this user"));
    }
    Ok(Json(json!({ "status": "disputed" })))
}

/// The player's state: inventory, gems, energy and boosts as stored, and their payments, each
/// with what `/refund` would do with it (refundable, or why not, and what it takes back).
async fn player(State(sandbox): State<Sandbox>, Path(user): Path<u64>) -> Answer {
    let store = &sandbox.store;
    let failed = |error: crate::store::StoreError| {
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": error.to_string() })))
    };
    let view = store.player(UserId(user)).await.map_err(failed)?;
    let game = store.load_player(UserId(user)).await.map_err(failed)?;
    let now = now_ms();
    let catalog = sandbox.catalog.current();
    let rules = catalog.energy_rules(&game.upgrades, now);
    // What `/refund` would say of each paid purchase: the same review, the same policy.
    let reviewed = review(store, &catalog, UserId(user), now).await.map_err(failed)?;
    let payments: Vec<Value> = view
        .payments
        .iter()
        .map(|p| {
            let review = reviewed.iter().find(|reviewed| reviewed.record.charge == p.charge);
            let refund_note = match review {
                Some(review) => review.refusal(Lang::En, &catalog),
                // A gift received: only its payer may refund it (with /refund).
                None if p.payer.is_some() => Some(texts::gift_refund_not_yours(Lang::En)),
                None if p.status == PaymentStatus::Paid => Some(texts::not_refundable(
                    Lang::En,
                    &catalog,
                    &p.item,
                    &NotRefundable::WindowClosed,
                    catalog.settings.refund_window,
                )),
                None => None,
            };
            json!({
                "charge_id": p.charge, "item_id": p.item, "name": catalog.name_of(&p.item), "amount": p.amount,
                "status": p.status.as_str(), "paid_at": p.paid_at_ms, "refund_by": p.refund_by,
                "refundable": review.is_some_and(|review| review.verdict.is_ok()),
                "refund_note": refund_note,
                "takes_back": texts::grant_phrase(Lang::En, &catalog, &p.grants),
            })
        })
        .collect();
    let boosts: BTreeMap<&String, i64> =
        game.boosts.iter().filter(|(_, until)| **until > now).map(|(k, v)| (k, *v)).collect();
    let passes = super::pass::passes_of(&sandbox, &catalog, UserId(user)).await.map_err(failed)?;
    Ok(Json(json!({
        "user_id": user,
        "inventory": view.inventory,
        "gems": game.stats.gems,
        "mined": game.stats.mined,
        "depth": game.stats.depth,
        "energy": game.stats.energy.map(|e| json!({ "value": e.value, "at": e.at_ms })),
        "energy_now": game.stats.energy.map_or(rules.max, |energy| energy.now(&rules, now)),
        "energy_max": rules.max,
        "boosts": boosts,
        "passes": passes,
        "upgrades": game.upgrades.levels,
        "cosmetics": game.upgrades.cosmetics,
        "payments": payments,
    })))
}

async fn ledger(State(sandbox): State<Sandbox>) -> Json<Value> {
    Json(json!({ "transactions": sandbox.emulator.transactions(), "balance": sandbox.emulator.star_balance() }))
}

/// The bot's command menu as it set it with setMyCommands (the page's "/" menu).
async fn commands(State(sandbox): State<Sandbox>) -> Json<Value> {
    let commands: Vec<Value> = sandbox
        .emulator
        .commands()
        .into_iter()
        .map(|(command, description)| json!({ "command": command, "description": description }))
        .collect();
    Json(json!({ "commands": commands }))
}

/// What the reloads of `game_data/` came to: the catalog in force (its version, when it was
/// applied), the problems of the files when they could not be loaded (the catalog in force is
/// then the previous one) and warnings about the catalog in force.
async fn reload_status(State(sandbox): State<Sandbox>) -> Json<Value> {
    Json(reload_json(&sandbox.catalog.status()))
}

fn reload_json(status: &ReloadStatus) -> Value {
    json!({
        "generation": status.generation,
        "version": status.version,
        "applied_at": status.applied_at_ms,
        "problems": status.problems,
        "failed_at": status.failed_at_ms,
        "warnings": status.warnings,
    })
}
