//! Telegram Stars: sendInvoice and createInvoiceLink with the XTR rules, the simulated checkout
//! (pre_checkout_query, the deadline, successful_payment), refunds, the Star transaction ledger
//! and the bot's balance.

use std::collections::HashMap;

use serde_json::{json, Map, Value};
use tokio::sync::oneshot;

use super::markup;
use super::model::{Invoice, PayOutcome};
use super::state::{Shared, State};
use super::subscriptions::{self, Subscription};
use super::wire::{unix_now, ApiError, ApiResult, Params, UserInfo};

const SUBSCRIPTION_PERIOD: i64 = 2_592_000;
const MAX_SUBSCRIPTION_STARS: i64 = 10_000;

#[derive(Debug)]
pub(crate) struct PreCheckoutAnswer {
    pub ok: bool,
    pub error_message: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Charge {
    pub user: i64,
    pub amount: i64,
    pub payload: String,
    pub subscription_period: Option<i64>,
    pub refunded: bool,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Transaction {
    pub id: String,
    pub amount: i64,
    pub date: i64,
    pub user: i64,
    pub payload: String,
    pub subscription_period: Option<i64>,
    /// A payment from the user (`source`); false for a refund to the user (`receiver`).
    pub incoming: bool,
}

impl Transaction {
    pub fn to_json(&self, users: &HashMap<i64, UserInfo>) -> Value {
        let user = users.get(&self.user).cloned().unwrap_or_else(|| UserInfo::simulated(self.user));
        let mut partner = json!({
            "type": "user",
            "transaction_type": "invoice_payment",
            "user": user.to_json(),
            "invoice_payload": self.payload,
        });
        if let Some(period) = self.subscription_period {
            partner["subscription_period"] = json!(period);
        }
        let mut transaction = json!({ "id": self.id, "amount": self.amount, "date": self.date });
        let side = if self.incoming { "source" } else { "receiver" };
        transaction[side] = partner;
        transaction
    }
}

/// Checks the invoice parameters shared by sendInvoice and createInvoiceLink.
fn invoice(params: &Params<'_>) -> Result<Invoice, ApiError> {
    let title = params.req_string("title")?;
    let description = params.req_string("description")?;
    let payload = params.req_string("payload")?;
    let currency = params.req_string("currency")?;
    let title_chars = title.chars().count();
    if !(1..=32).contains(&title_chars) {
        return Err(ApiError::bad_request(format!("invoice title must be 1-32 characters, got {title_chars}")));
    }
    let description_chars = description.chars().count();
    if !(1..=255).contains(&description_chars) {
        return Err(ApiError::bad_request(format!(
            "invoice description must be 1-255 characters, got {description_chars}"
        )));
    }
    if !(1..=128).contains(&payload.len()) {
        return Err(ApiError::bad_request(format!("invoice payload must be 1-128 bytes, got {}", payload.len())));
    }
    if currency != "XTR" {
        return Err(ApiError::bad_request(format!(
            "PAYMENT_PROVIDER_INVALID: the emulator sells only in Telegram Stars, currency must be \"XTR\", got \"{currency}\""
        )));
    }
    if params.string("provider_token")?.is_some_and(|token| !token.is_empty()) {
        return Err(ApiError::bad_request("STARS_INVOICE_INVALID: provider_token must be omitted or empty for XTR"));
    }
    if params.get("max_tip_amount").is_some() || params.get("suggested_tip_amounts").is_some() {
        return Err(ApiError::bad_request("STARS_INVOICE_INVALID: tips are not supported for XTR"));
    }
    let prices = params.json("prices")?.ok_or_else(|| ApiError::bad_request("prices is empty"))?;
    let [price] = prices.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err(ApiError::bad_request("STARS_INVOICE_INVALID: XTR invoices need exactly one price"));
    };
    let label_ok = price.get("label").is_some_and(Value::is_string);
    let amount = price.get("amount").and_then(Value::as_i64).filter(|amount| *amount >= 1);
    let Some(amount) = amount.filter(|_| label_ok) else {
        return Err(ApiError::bad_request(
            "STARS_INVOICE_INVALID: the price needs a label and an amount of at least 1",
        ));
    };
    Ok(Invoice { title, description, payload, currency, amount, subscription_period: None })
}

pub(crate) fn send_invoice(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let chat = params.chat_id()?;
    let invoice = invoice(params)?;
    let markup = params.json("reply_markup")?;
    if let Some(markup) = &markup {
        markup::check_first_is_pay(markup)?;
    }
    let start_parameter = params.string("start_parameter")?.unwrap_or_default();
    let mut fields = Map::new();
    fields.insert(
        "invoice".to_owned(),
        json!({
            "title": invoice.title,
            "description": invoice.description,
            "start_parameter": start_parameter,
            "currency": invoice.currency,
            "total_amount": invoice.amount,
        }),
    );
    if let Some(markup) = markup {
        fields.insert("reply_markup".to_owned(), markup);
    }
    shared.change(|state| {
        let stored = state.bot_message(chat, fields)?;
        stored.invoice = Some(invoice);
        Ok(stored.json.clone())
    })
}

pub(crate) fn create_invoice_link(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let mut invoice = invoice(params)?;
    if let Some(period) = params.int("subscription_period")? {
        if period != SUBSCRIPTION_PERIOD {
            return Err(ApiError::bad_request("SUBSCRIPTION_PERIOD_INVALID: it must be 2592000 (30 days)"));
        }
        if invoice.amount > MAX_SUBSCRIPTION_STARS {
            return Err(ApiError::bad_request("STARS_INVOICE_INVALID: a subscription costs at most 10000 Stars"));
        }
        invoice.subscription_period = Some(period);
    }
    let link = format!("https://t.me/${}", State::fresh_id("", 22));
    shared.change(|state| state.invoice_links.insert(link.clone(), invoice));
    Ok(json!(link))
}

pub(crate) fn answer_pre_checkout_query(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let id = params.req_string("pre_checkout_query_id")?;
    let ok = params.bool("ok")?.ok_or_else(|| ApiError::bad_request("ok is empty"))?;
    let error_message = params.string("error_message")?.filter(|message| !message.is_empty());
    if !ok && error_message.is_none() {
        return Err(ApiError::bad_request("error_message is required when ok is false"));
    }
    let waiting = shared.lock().pre_checkouts.remove(&id).ok_or_else(ApiError::query_too_old)?;
    shared.taps.answered(&id);
    // The payer gave up (deadline passed) if the receiving side is gone.
    waiting.send(PreCheckoutAnswer { ok, error_message }).map_err(|_| ApiError::query_too_old())?;
    Ok(json!(true))
}

/// Where a successful payment is announced, and what is being paid.
pub(crate) struct Checkout {
    pub payer: i64,
    pub chat: i64,
    pub invoice: Invoice,
}

/// Runs a checkout as a Telegram client would: pre-checkout query, wait for the bot's answer
/// up to the deadline, then charge and announce the payment.
pub(crate) async fn pay(shared: &Shared, checkout: Checkout) -> PayOutcome {
    let Checkout { payer, chat, invoice } = checkout;
    let query_id = State::fresh_id("pcq", 16);
    let (sender, receiver) = oneshot::channel();
    shared.change(|state| ask_pre_checkout(state, &query_id, payer, &invoice, sender));
    let answer = tokio::time::timeout(shared.config.pre_checkout_deadline, receiver).await;
    let answer = match answer {
        Ok(Ok(answer)) => answer,
        _ => {
            shared.lock().pre_checkouts.remove(&query_id);
            return PayOutcome::NoAnswer;
        }
    };
    if !answer.ok {
        return PayOutcome::Declined { error_message: answer.error_message.unwrap_or_default() };
    }
    let charge_id = shared.change(|state| charge(state, payer, chat, &invoice));
    PayOutcome::Paid { charge_id }
}

/// Enqueues the pre_checkout_query `id` of `payer` for `invoice`; its answer goes to `answer`.
pub(crate) fn ask_pre_checkout(
    state: &mut State,
    id: &str,
    payer: i64,
    invoice: &Invoice,
    answer: oneshot::Sender<PreCheckoutAnswer>,
) {
    state.open_private(payer);
    let from = state.user(payer).to_json();
    state.pre_checkouts.insert(id.to_owned(), answer);
    let query = json!({
        "id": id,
        "from": from,
        "currency": invoice.currency,
        "total_amount": invoice.amount,
        "invoice_payload": invoice.payload,
    });
    state.enqueue("pre_checkout_query", query);
}

/// Charges `invoice` to `payer` (a charge and a ledger entry) and announces the
/// successful_payment in `chat`; returns the new charge id.
pub(crate) fn charge(state: &mut State, payer: i64, chat: i64, invoice: &Invoice) -> String {
    let charge_id = State::fresh_id("stx", 24);
    let charge = Charge {
        user: payer,
        amount: invoice.amount,
        payload: invoice.payload.clone(),
        subscription_period: invoice.subscription_period,
        refunded: false,
    };
    state.charges.insert(charge_id.clone(), charge);
    state.record_transaction(Transaction {
        id: charge_id.clone(),
        amount: invoice.amount,
        date: unix_now(),
        user: payer,
        payload: invoice.payload.clone(),
        subscription_period: invoice.subscription_period,
        incoming: true,
    });
    let mut payment = json!({
        "currency": invoice.currency,
        "total_amount": invoice.amount,
        "invoice_payload": invoice.payload,
        "telegram_payment_charge_id": charge_id,
        "provider_payment_charge_id": "",
    });
    if let Some(period) = invoice.subscription_period {
        let expires_at = unix_now() + period;
        payment["is_recurring"] = json!(true);
        payment["is_first_recurring"] = json!(true);
        payment["subscription_expiration_date"] = json!(expires_at);
        let subscription = Subscription {
            user: payer,
            chat,
            payload: invoice.payload.clone(),
            title: invoice.title.clone(),
            amount: invoice.amount,
            period,
            expires_at,
            canceled_by: None,
            ended: false,
            charges: vec![charge_id.clone()],
        };
        subscriptions::start(state, &charge_id, subscription);
    }
    let mut fields = Map::new();
    fields.insert("successful_payment".to_owned(), payment);
    state.user_message(chat, payer, fields);
    charge_id
}

/// Refunds `charge_id` to `user`: records the refund and tells the bot with refunded_payment.
pub(crate) fn refund(state: &mut State, user: i64, charge_id: &str) -> Result<(), ApiError> {
    let charge = state
        .charges
        .get_mut(charge_id)
        .filter(|charge| charge.user == user)
        .ok_or_else(|| ApiError::bad_request("CHARGE_NOT_FOUND"))?;
    if charge.refunded {
        return Err(ApiError::bad_request("CHARGE_ALREADY_REFUNDED"));
    }
    charge.refunded = true;
    let charge = charge.clone();
    state.record_transaction(Transaction {
        id: charge_id.to_owned(),
        amount: charge.amount,
        date: unix_now(),
        user,
        payload: charge.payload.clone(),
        subscription_period: charge.subscription_period,
        incoming: false,
    });
    let mut fields = Map::new();
    fields.insert(
        "refunded_payment".to_owned(),
        json!({
            "currency": "XTR",
            "total_amount": charge.amount,
            "invoice_payload": charge.payload,
            "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": "",
        }),
    );
    state.open_private(user);
    state.user_message(user, user, fields);
    Ok(())
}

pub(crate) fn refund_star_payment(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let user = params.req_int("user_id")?;
    let charge_id = params.string("telegram_payment_charge_id")?.unwrap_or_default();
    if charge_id.is_empty() {
        return Err(ApiError::bad_request("CHARGE_ID_EMPTY"));
    }
    shared.change(|state| refund(state, user, &charge_id))?;
    Ok(json!(true))
}

pub(crate) fn get_star_transactions(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let offset = params.int("offset")?.unwrap_or(0);
    let limit = params.int("limit")?.unwrap_or(100);
    if offset < 0 {
        return Err(ApiError::bad_request("offset must be non-negative"));
    }
    if !(1..=100).contains(&limit) {
        return Err(ApiError::bad_request("limit must be 1-100"));
    }
    let state = shared.lock();
    let page: Vec<Value> = state
        .transactions
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|entry| entry.to_json(&state.users))
        .collect();
    Ok(json!({ "transactions": page }))
}

pub(crate) fn get_my_star_balance(shared: &Shared) -> ApiResult {
    Ok(json!({ "amount": shared.lock().star_balance(), "nanostar_amount": 0 }))
}
