//! Bot API calls as our own small JSON requests, for what teloxide 0.17 cannot do: the game
//! score methods it types wrongly, and getUpdates with the raw update JSON (the journal must
//! keep the update exactly as Telegram sent it). Reuses the `Bot`'s URL, token and client.

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
    let base = bot.api_url();
    let base = base.as_str().trim_end_matches('/');
    let url = format!("{base}/bot{}/{method}", bot.token());
    let mut request = bot.client().post(url).json(body);
    if let Some(timeout) = timeout {
        request = request.timeout(timeout);
    }
    let transport = |error: reqwest::Error| CallError::Transport(error.without_url().to_string());
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
