//! The Bot API wire format as the emulator sees it: typed access to request parameters, the
//! error values a method can answer with, and the JSON shapes of users and chats.

use std::fmt::Display;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

/// A Bot API error answer: the HTTP status doubles as `error_code`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn bad_request(reason: impl Display) -> Self {
        Self { code: 400, description: format!("Bad Request: {reason}"), retry_after: None }
    }

    pub fn forbidden(reason: impl Display) -> Self {
        Self { code: 403, description: format!("Forbidden: {reason}"), retry_after: None }
    }

    pub fn conflict(reason: impl Display) -> Self {
        Self { code: 409, description: format!("Conflict: {reason}"), retry_after: None }
    }

    pub fn not_found() -> Self {
        Self { code: 404, description: "Not Found".to_owned(), retry_after: None }
    }

    pub fn unauthorized() -> Self {
        Self { code: 401, description: "Unauthorized".to_owned(), retry_after: None }
    }

    pub fn too_many_requests(retry_after: u32) -> Self {
        Self {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }

    /// The wording Telegram uses for stale or unknown callback and pre-checkout query ids.
    pub fn query_too_old() -> Self {
        Self::bad_request("query is too old and response timeout expired or query id is invalid")
    }

    pub fn chat_not_found() -> Self {
        Self::bad_request("chat not found")
    }

    /// The JSON body of this error.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let Some(seconds) = self.retry_after {
            body["parameters"] = json!({ "retry_after": seconds });
        }
        body
    }
}

pub(crate) type ApiResult = Result<Value, ApiError>;

/// Typed, lenient access to a method's parameters, as Telegram reads them: numbers may come as
/// strings (form bodies), objects may come as JSON-serialized strings, and `null` means absent.
pub(crate) struct Params<'a>(pub &'a Map<String, Value>);

impl<'a> Params<'a> {
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|value| !value.is_null())
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        let parsed = match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        };
        match parsed {
            Some(number) => Ok(Some(number)),
            None => Err(wrong_type(name, "Integer")),
        }
    }

    pub fn req_int(&self, name: &str) -> Result<i64, ApiError> {
        self.int(name)?.ok_or_else(|| is_empty(name))
    }

    pub fn string(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(Value::Number(number)) => Ok(Some(number.to_string())),
            Some(_) => Err(wrong_type(name, "String")),
        }
    }

    pub fn req_string(&self, name: &str) -> Result<String, ApiError> {
        self.string(name)?.ok_or_else(|| is_empty(name))
    }

    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(Value::String(text)) if text == "true" || text == "1" => Ok(Some(true)),
            Some(Value::String(text)) if text == "false" || text == "0" => Ok(Some(false)),
            Some(Value::Number(number)) => Ok(Some(number.as_i64() != Some(0))),
            Some(_) => Err(wrong_type(name, "Boolean")),
        }
    }

    /// An object or array parameter; a string holding JSON is decoded as Telegram does.
    pub fn json(&self, name: &str) -> Result<Option<Value>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(value @ (Value::Object(_) | Value::Array(_))) => Ok(Some(value.clone())),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(value @ (Value::Object(_) | Value::Array(_))) => Ok(Some(value)),
                _ => Err(ApiError::bad_request(format!("can't parse {name} JSON object"))),
            },
            Some(_) => Err(ApiError::bad_request(format!("can't parse {name} JSON object"))),
        }
    }

    /// `chat_id`: the emulator knows chats by number only, so `@username` finds no chat.
    pub fn chat_id(&self) -> Result<i64, ApiError> {
        match self.get("chat_id") {
            None => Err(is_empty("chat_id")),
            Some(Value::String(text)) if text.starts_with('@') => Err(ApiError::chat_not_found()),
            Some(_) => self.req_int("chat_id"),
        }
    }
}

fn wrong_type(name: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("field \"{name}\" must be of type {expected}"))
}

fn is_empty(name: &str) -> ApiError {
    ApiError::bad_request(format!("{name} is empty"))
}

/// Seconds since the Unix epoch, as every `date` field carries it.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs() as i64).unwrap_or(0)
}

/// A simulated Telegram user.
#[derive(Clone, Debug)]
pub(crate) struct UserInfo {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    /// The IETF language tag Telegram sends as `language_code` (`en` unless set).
    pub language_code: String,
}

impl UserInfo {
    pub fn simulated(id: i64) -> Self {
        let (first_name, username) = (format!("User {id}"), Some(format!("user{id}")));
        Self { id, first_name, username, language_code: "en".to_owned() }
    }

    pub fn to_json(&self) -> Value {
        let mut user = json!({
            "id": self.id,
            "is_bot": false,
            "first_name": self.first_name,
            "language_code": self.language_code,
        });
        if let Some(username) = &self.username {
            user["username"] = json!(username);
        }
        user
    }
}

/// The kind of a chat: a private chat's id is its user's id; basic groups have negative ids.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ChatKind {
    Private,
    Group { title: String },
}

/// The `chat` object of a chat the emulator knows.
pub(crate) fn chat_json(id: i64, kind: &ChatKind, user: Option<&UserInfo>) -> Value {
    match kind {
        ChatKind::Private => {
            let mut chat = json!({ "id": id, "type": "private" });
            if let Some(user) = user {
                chat["first_name"] = json!(user.first_name);
                if let Some(username) = &user.username {
                    chat["username"] = json!(username);
                }
            }
            chat
        }
        ChatKind::Group { title } => json!({ "id": id, "type": "group", "title": title }),
    }
}

/// Length in UTF-16 code units, the unit of entity offsets and lengths.
pub(crate) fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(params: Value, name: &str, expected: Result<Option<i64>, u16>) {
        let Value::Object(map) = params else { panic!("params must be an object") };
        let got = Params(&map).int(name).map_err(|error| error.code);
        assert_eq!(got, expected, "{name} in {map:?}");
    }

    #[test]
    fn integers_come_as_numbers_or_strings() {
        check(json!({"a": 5}), "a", Ok(Some(5)));
        check(json!({"a": "-7"}), "a", Ok(Some(-7)));
        check(json!({"a": null}), "a", Ok(None));
        check(json!({}), "a", Ok(None));
        check(json!({"a": "x"}), "a", Err(400));
        check(json!({"a": 1.5}), "a", Err(400));
    }

    #[test]
    fn flood_errors_carry_retry_after() {
        let body = ApiError::too_many_requests(5).body();
        assert_eq!(body["parameters"]["retry_after"], 5);
        assert_eq!(body["error_code"], 429);
        assert_eq!(body["description"], "Too Many Requests: retry after 5");
    }
}
