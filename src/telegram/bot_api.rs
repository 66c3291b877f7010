//! Bot API calls as our own small JSON requests, for what teloxide 0.17 cannot do: the game
//! score methods it types wrongly, getUpdates with the raw update JSON (the journal must keep
//! the update exactly as Telegram sent it), and the token check of operator commands (which
//! needs the answer's code). Reuses the `Bot`'s URL, token and client.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use teloxide::Bot;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// Telegram answered `ok: false`.
    #[error("{description}")]
    Api { code: u16, description: String, retry_after: Option<u64> },
    /// No usable answer (connection, timeout, not JSON). The URL, which holds the token, is
    /// never part of the message.
    #[error("{0}")]
    Transport(String),
}

/// Why [`check_token`] failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenCheckError {
    /// Telegram refused the token: 401 Unauthorized (a wrong or revoked token) or 404 Not Found
    /// (a malformed one).
    #[error("the Bot API refused the bot token (TELOXIDE_TOKEN): {0}")]
    Refused(String),
    /// No answer from the Bot API (connection, timeout, not the Bot API), or an error that says
    /// nothing about the token.
    #[error("the Bot API at {url} is unreachable: {reason}")]
    Unreachable { url: String, reason: String },
}

/// `getMe`: whether the Bot API answers and accepts the token, before a command that changes
/// records relies on it.
pub async fn check_token(bot: &Bot) -> Result<(), TokenCheckError> {
    let unreachable = |reason: String| TokenCheckError::Unreachable { url: bot.api_url().to_string(), reason };
    match call::<serde_json::Value>(bot, "getMe", &serde_json::json!({})).await {
        Ok(_me) => Ok(()),
        Err(CallError::Api { code: 401 | 404, description, .. }) => Err(TokenCheckError::Refused(description)),
        Err(error @ CallError::Api { .. }) => Err(unreachable(error.to_string())),
        Err(CallError::Transport(reason)) => Err(unreachable(reason)),
    }
}

/// `error: cause: cause`, the way an operator needs it ("error sending request" alone says
/// little).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[derive(Deserialize)]
struct Answer<T> {
    ok: bool,
    result: Option<T>,
    error_code: Option<u16>,
    description: Option<String>,
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    retry_after: Option<u64>,
}

/// `<api url>/bot<token>/<method>` (it holds the token: never log it).
pub(super) fn method_url(bot: &Bot, method: &str) -> String {
    let base = bot.api_url();
    format!("{}/bot{}/{method}", base.as_str().trim_end_matches('/'), bot.token())
}

/// POSTs `body` as JSON to `method` and returns its `result`.
pub async fn call<T: DeserializeOwned>(bot: &Bot, method: &str, body: &impl Serialize) -> Result<T, CallError> {
    call_with_timeout(bot, method, body, None).await
}

/// [`call`] with a request timeout of its own (a long poll outlasts the client's default).
pub async fn call_with_timeout<T: DeserializeOwned>(
    bot: &Bot,
    method: &str,
    body: &impl Serialize,
    timeout: Option<std::time::Duration>,
) -> Result<T, CallError> {
    let mut request = bot.client().post(method_url(bot, method)).json(body);
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let transport = |error: reqwest::Error| CallError::Transport(with_causes(&error.without_url()));
    let response = request.send().await.map_err(transport)?;
    let answer: Answer<T> = response.json().await.map_err(transport)?;
    match answer {
        Answer { ok: true, result: Some(result), .. } => Ok(result),
        Answer { error_code, description, parameters, .. } => Err(CallError::Api {
            code: error_code.unwrap_or_default(),
            description: description.unwrap_or_else(|| "no description".into()),
            retry_after: parameters.and_then(|parameters| parameters.retry_after),
        }),
    }
}
