//! One Bot API call of a send, posted as JSON with the `Bot`'s client, URL and token, and its
//! answer turned into teloxide's `RequestError` (so handlers match on `ApiError` as before).
//!
//! Not through teloxide's own request path: that one sleeps 10 s after any 5xx answer
//! (teloxide-core 0.13 `net/request.rs`, `DELAY_ON_SERVER_ERROR`) before the caller even sees
//! it, holding the chat's lane the whole time. Here a failure comes back at once and the outbox
//! applies its own retry policy.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use teloxide::types::{ResponseParameters, Seconds};
use teloxide::{ApiError, Bot, RequestError};

use crate::telegram::bot_api::{count_error, ErrorCode};

/// How a failed call may be retried.
#[derive(Debug)]
pub enum Failure {
    /// 429: Telegram asks us to wait this long; the call was not performed.
    TooManyRequests(Seconds),
    /// A 5xx answer, or no connection at all: most likely not performed; worth one more try.
    Transient(RequestError),
    /// Anything else (a 4xx, a timeout after the request went out, an answer we cannot read):
    /// returned to the handler as it is.
    Final(RequestError),
}

impl Failure {
    pub fn into_error(self) -> RequestError {
        match self {
            Self::TooManyRequests(seconds) => RequestError::RetryAfter(seconds),
            Self::Transient(error) | Self::Final(error) => error,
        }
    }
}

#[derive(Deserialize)]
struct Answer<T> {
    ok: bool,
    result: Option<T>,
    description: Option<String>,
    parameters: Option<ResponseParameters>,
}

/// POSTs `payload` to `method`.
pub async fn post<P, T>(bot: &Bot, method: &str, payload: &P) -> Result<T, Failure>
where
    P: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let url = crate::telegram::bot_api::method_url(bot, method);
    let transport = |failure| {
        count_error(method, ErrorCode::Transport);
        Err(failure)
    };
    let response = match bot.client().post(url).json(payload).send().await {
        Ok(response) => response,
        Err(error) if error.is_connect() => return transport(Failure::Transient(error.into())),
        Err(error) => return transport(Failure::Final(error.into())),
    };
    let status = response.status();
    let text = match response.text().await {
        Ok(text) => text,
        Err(error) => return transport(Failure::Final(error.into())),
    };
    let answer = read_answer(&text);
    if answer.is_err() {
        count_error(method, ErrorCode::Telegram(status.as_u16()));
    }
    match answer {
        Ok(result) => Ok(result),
        Err(Failure::Final(error)) if status.is_server_error() => Err(Failure::Transient(error)),
        Err(failure) => Err(failure),
    }
}

fn read_answer<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    let invalid = |source: serde_json::Error| {
        Failure::Final(RequestError::InvalidJson { source: std::sync::Arc::new(source), raw: text.into() })
    };
    let answer: Answer<T> = serde_json::from_str(text).map_err(invalid)?;
    match answer {
        Answer { ok: true, result: Some(result), .. } => Ok(result),
        Answer { parameters: Some(ResponseParameters::RetryAfter(seconds)), .. } => {
            Err(Failure::TooManyRequests(seconds))
        }
        Answer { parameters: Some(ResponseParameters::MigrateToChatId(chat)), .. } => {
            Err(Failure::Final(RequestError::MigrateToChatId(chat)))
        }
        Answer { description, .. } => {
            let description = description.unwrap_or_else(|| "no description".to_owned());
            // ApiError reads Telegram's description text, with `Unknown` for the rest.
            let error: ApiError = serde_json::from_value(serde_json::Value::String(description))
                .unwrap_or_else(|error| ApiError::Unknown(error.to_string()));
            Err(Failure::Final(RequestError::Api(error)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> String {
        match read_answer::<serde_json::Value>(text) {
            Ok(value) => format!("ok {value}"),
            Err(Failure::TooManyRequests(seconds)) => format!("429 {}", seconds.seconds()),
            Err(Failure::Transient(error)) => format!("transient {error}"),
            Err(Failure::Final(RequestError::Api(error))) => format!("api {error:?}"),
            Err(Failure::Final(error)) => format!("final {error}"),
        }
    }

    #[test]
    fn answers_read_as_teloxide_would() {
        assert_eq!(check(r#"{"ok":true,"result":{"message_id":5}}"#), r#"ok {"message_id":5}"#);
        assert_eq!(
            check(
                r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#
            ),
            "429 3"
        );
        assert_eq!(
            check(
                r#"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}"#
            ),
            "api MessageNotModified"
        );
        assert_eq!(
            check(r#"{"ok":false,"error_code":400,"description":"Bad Request: something new"}"#),
            r#"api Unknown("Bad Request: something new")"#
        );
        assert!(check(r#"{"ok":false,"error_code":400,"description":"x","parameters":{"migrate_to_chat_id":-100}}"#)
            .contains("migrated"));
        assert!(check("<html>bad gateway</html>").starts_with("final An error while parsing JSON"));
    }
}
