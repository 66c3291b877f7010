//! The HTTP side: `POST /bot<token>/<method>` with a JSON or form body, token check, request
//! recording, injected faults, send limits, dispatch to the methods, and the `{ok, result}` /
//! `{ok:false, error_code, description}` answers.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::{json, Map, Value};

use super::model::{Fault, RecordedRequest};
use super::state::Shared;
use super::wire::{ApiError, ApiResult, Params};
use super::{games, messages, payments, subscriptions, updates};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{bot}/{method}", any(handle))
        .fallback(|| async { answer(Err(ApiError::not_found())) })
        .with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(token) = bot.strip_prefix("bot") else {
        return answer(Err(ApiError::not_found()));
    };
    if token != shared.config.token {
        // As Telegram: a token that is not `<bot id>:<secret>` is Not Found, a wrong one Unauthorized.
        return answer(Err(if well_formed(token) { ApiError::unauthorized() } else { ApiError::not_found() }));
    }
    let (params, form) = match decode(&headers, query.as_deref(), &body) {
        Ok(decoded) => decoded,
        Err(error) => return answer(Err(error)),
    };
    let method = canonical(&method).map_or(method, str::to_owned);
    shared.lock().requests.push(RecordedRequest {
        method: method.clone(),
        params: Value::Object(params.clone()),
        form,
    });
    shared.requests_changed.notify_waiters();

    let fault = shared.lock().next_fault(&method.to_ascii_lowercase());
    match fault {
        None => {}
        Some(Fault::TooManyRequests { retry_after }) => return answer(Err(ApiError::too_many_requests(retry_after))),
        Some(Fault::Error { code, description }) => {
            return answer(Err(ApiError { code, description, retry_after: None }))
        }
        Some(Fault::Delay(duration)) => tokio::time::sleep(duration).await,
        Some(Fault::DropConnection { apply }) => {
            if apply {
                let _performed = perform(&shared, &method, &params).await;
            }
            return broken_response();
        }
    }
    let result = perform(&shared, &method, &params).await;
    shared.taps.observe(&method, &result);
    answer(result)
}

fn well_formed(token: &str) -> bool {
    let Some((id, secret)) = token.split_once(':') else {
        return false;
    };
    let id_ok = !id.is_empty() && id.bytes().all(|byte| byte.is_ascii_digit());
    id_ok && !secret.is_empty() && secret.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"_-".contains(&byte))
}

/// Send limits, then the method itself.
async fn perform(shared: &Shared, method: &str, params: &Map<String, Value>) -> ApiResult {
    let params = Params(params);
    if counts_as_send(method) {
        // A message in a chat counts for the chat and overall; an inline one only overall.
        let chat = params.chat_id().ok();
        if let Err(retry_after) = shared.lock().limits.take(chat, Instant::now()) {
            return Err(ApiError::too_many_requests(retry_after));
        }
    }
    dispatch(shared, method, &params).await
}

/// What Telegram's flood limits count: new messages, and edits of messages already sent
/// (a game's score shown in its message is one).
fn counts_as_send(method: &str) -> bool {
    let method = method.to_ascii_lowercase();
    (method.starts_with("send") && method != "sendchataction")
        || method.starts_with("editmessage")
        || method == "setgamescore"
}

/// The methods the emulator serves, in Telegram's spelling (names match case-insensitively).
const METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "sendChatAction",
    "answerCallbackQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "sendInvoice",
    "createInvoiceLink",
    "answerPreCheckoutQuery",
    "refundStarPayment",
    "editUserStarSubscription",
    "getStarTransactions",
    "getMyStarBalance",
    "sendGame",
    "setGameScore",
    "getGameHighScores",
    "answerInlineQuery",
];

fn canonical(method: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|known| known.eq_ignore_ascii_case(method))
}

async fn dispatch(shared: &Shared, method: &str, params: &Params<'_>) -> ApiResult {
    match method {
        "getMe" => messages::get_me(shared),
        "getUpdates" => updates::get_updates(shared, params).await,
        "setWebhook" => updates::set_webhook(shared, params),
        "deleteWebhook" => updates::delete_webhook(shared, params),
        "getWebhookInfo" => updates::get_webhook_info(shared),
        "sendMessage" => messages::send_message(shared, params),
        "editMessageText" => messages::edit_message_text(shared, params),
        "editMessageReplyMarkup" => messages::edit_message_reply_markup(shared, params),
        "deleteMessage" => messages::delete_message(shared, params),
        "sendChatAction" => messages::send_chat_action(shared, params),
        "answerCallbackQuery" => messages::answer_callback_query(shared, params),
        "setMyCommands" => messages::set_my_commands(shared, params),
        "getMyCommands" => messages::get_my_commands(shared, params),
        "deleteMyCommands" => messages::delete_my_commands(shared, params),
        "sendInvoice" => payments::send_invoice(shared, params),
        "createInvoiceLink" => payments::create_invoice_link(shared, params),
        "answerPreCheckoutQuery" => payments::answer_pre_checkout_query(shared, params),
        "refundStarPayment" => payments::refund_star_payment(shared, params),
        "editUserStarSubscription" => subscriptions::edit_user_star_subscription(shared, params),
        "getStarTransactions" => payments::get_star_transactions(shared, params),
        "getMyStarBalance" => payments::get_my_star_balance(shared),
        "sendGame" => games::send_game(shared, params),
        "setGameScore" => games::set_game_score(shared, params),
        "getGameHighScores" => games::get_game_high_scores(shared, params),
        "answerInlineQuery" => games::answer_inline_query(shared, params),
        _ => Err(ApiError::not_found()),
    }
}

/// The parameters of a call: the query string, overridden by a JSON or form body.
fn decode(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Result<(Map<String, Value>, bool), ApiError> {
    let mut params = query.map(form_params).unwrap_or_default();
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let form = content_type.starts_with("application/x-www-form-urlencoded") || (body.is_empty() && query.is_some());
    if content_type.starts_with("multipart/") {
        return Err(ApiError::bad_request("the emulator does not accept multipart bodies (file uploads)"));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((params, form));
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("body is not UTF-8"))?;
        params.extend(form_params(text));
        return Ok((params, true));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => {
            params.extend(object);
            Ok((params, false))
        }
        Ok(_) => Err(ApiError::bad_request("the JSON body must be an object")),
        Err(error) => Err(ApiError::bad_request(format!("can't parse JSON body: {error}"))),
    }
}

/// Form fields as JSON: scalars stay strings, values that are JSON objects or arrays are decoded.
fn form_params(text: &str) -> Map<String, Value> {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(name, value)| {
            let looks_structured = value.starts_with('{') || value.starts_with('[');
            let decoded = looks_structured.then(|| serde_json::from_str::<Value>(&value).ok()).flatten();
            (name.into_owned(), decoded.unwrap_or_else(|| Value::String(value.into_owned())))
        })
        .collect()
}

fn answer(result: ApiResult) -> Response {
    match result {
        Ok(result) => axum::Json(json!({ "ok": true, "result": result })).into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, axum::Json(error.body())).into_response()
        }
    }
}

/// A 200 answer whose body breaks off after a few bytes: the client sees a network error.
fn broken_response() -> Response {
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"{\"ok\":tr")),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "fault: connection dropped")),
    ];
    let body = Body::from_stream(futures::stream::iter(chunks));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_stay_strings_unless_structured() {
        let params = form_params("chat_id=42&text=%7Bnot+json&reply_markup=%7B%22a%22%3A1%7D");
        assert_eq!(params["chat_id"], json!("42"));
        assert_eq!(params["text"], json!("{not json"));
        assert_eq!(params["reply_markup"], json!({"a": 1}));
    }

    #[test]
    fn json_bodies_must_be_objects() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "application/json".parse().expect("static header"));
        assert!(decode(&headers, None, b"[1]").is_err());
        assert!(decode(&headers, None, b"{").is_err());
        let (params, form) = decode(&headers, Some("limit=5"), b"{\"offset\":3}").expect("valid body");
        assert_eq!((params["offset"].clone(), params["limit"].clone(), form), (json!(3), json!("5"), false));
        assert!(decode(&headers, None, b"").expect("empty body").0.is_empty());
    }
}
