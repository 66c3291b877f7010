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
    let result = send::<T>(request).await;
    if let Err(error) = &result {
        count_error(
            method,
            match error {
                CallError::Api { code, .. } => ErrorCode::Telegram(*code),
                CallError::Transport(_) => ErrorCode::Transport,
            },
        );
    }
    result
}

/// The `code` label of `starmine_bot_api_errors_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// Telegram's `error_code` (the HTTP status): 400, 403, 429, 502…
    Telegram(u16),
    /// No answer, or none we could read.
    Transport,
    /// An error teloxide reports without a code we can tell.
    Unrecognized,
}

impl ErrorCode {
    /// The code of an error from a call made through teloxide, whose errors carry Telegram's
    /// description but not its code: read back from the description's standard prefix.
    pub fn of(error: &teloxide::RequestError) -> Self {
        use teloxide::RequestError;
        match error {
            RequestError::RetryAfter(_) => Self::Telegram(429),
            RequestError::MigrateToChatId(_) => Self::Telegram(400),
            RequestError::Api(teloxide::ApiError::Unknown(description)) => Self::of_description(description),
            RequestError::Api(error) => Self::of_description(&error.to_string()),
            RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => Self::Transport,
        }
    }

    /// Telegram's error descriptions start with the HTTP reason ("Bad Request: chat not found").
    fn of_description(description: &str) -> Self {
        const REASONS: [(&str, u16); 7] = [
            ("Bad Request", 400),
            ("Unauthorized", 401),
            ("Forbidden", 403),
            ("Not Found", 404),
            ("Conflict", 409),
            ("Too Many Requests", 429),
            ("Internal Server Error", 500),
        ];
        let known = REASONS.iter().find(|(reason, _)| description.starts_with(reason));
        known.map_or(Self::Unrecognized, |(_, code)| Self::Telegram(*code))
    }

    fn label(self) -> String {
        match self {
            Self::Telegram(code) => code.to_string(),
            Self::Transport => "transport".to_owned(),
            Self::Unrecognized => "unrecognized".to_owned(),
        }
    }
}

/// [`count_error`] for a call made through teloxide.
pub fn count_request_error(method: &str, error: &teloxide::RequestError) {
    count_error(method, ErrorCode::of(error));
}

/// Counts one failed Bot API call (each attempt, retries included) in
/// `starmine_bot_api_errors_total{method, code}`, the method as the Bot API spells it
/// (`sendMessage`; teloxide's payload names are capitalized). Failures are rare: the labels may
/// be built here.
pub fn count_error(method: &str, code: ErrorCode) {
    let mut chars = method.chars();
    let method: String = chars.next().map(|first| first.to_ascii_lowercase()).into_iter().chain(chars).collect();
    metrics::counter!("starmine_bot_api_errors_total", "method" => method, "code" => code.label()).increment(1);
}

async fn send<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<T, CallError> {
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

#[cfg(test)]
mod tests {
    use teloxide::{ApiError, RequestError};

    use super::ErrorCode;

    #[test]
    fn error_codes_of_teloxide_errors() {
        let api = |description: &str| {
            let error: ApiError = serde_json::from_value(serde_json::Value::String(description.to_owned()))
                .unwrap_or_else(|_| ApiError::Unknown(description.to_owned()));
            RequestError::Api(error)
        };
        for (error, expected) in [
            (api("Forbidden: bot was blocked by the user"), ErrorCode::Telegram(403)),
            (api("Bad Request: chat not found"), ErrorCode::Telegram(400)),
            (api("Bad Request: CHARGE_ALREADY_REFUNDED"), ErrorCode::Telegram(400)),
            (api("something else"), ErrorCode::Unrecognized),
            (RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3)), ErrorCode::Telegram(429)),
        ] {
            assert_eq!(ErrorCode::of(&error), expected, "{error:?}");
        }
    }
}
