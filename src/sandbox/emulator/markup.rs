//! `reply_markup` as Telegram checks it: the four keyboard kinds, inline button rules (exactly
//! one action, callback data of 1-64 bytes, a valid URL) and the first-button rules of invoices
//! and games.

use serde_json::{Map, Value};

use super::wire::ApiError;

/// The fields of which an inline button must have exactly one.
const BUTTON_ACTIONS: &[&str] = &[
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// Checks any `reply_markup` (inline keyboard, reply keyboard, keyboard removal, force reply).
pub(crate) fn validate(markup: &Value) -> Result<(), ApiError> {
    let Value::Object(fields) = markup else {
        return Err(ApiError::bad_request("can't parse reply keyboard markup JSON object"));
    };
    if let Some(rows) = fields.get("inline_keyboard") {
        return validate_inline(rows);
    }
    let known = ["keyboard", "remove_keyboard", "force_reply"];
    if known.iter().any(|name| fields.contains_key(*name)) {
        return Ok(());
    }
    Err(ApiError::bad_request("can't parse reply keyboard markup JSON object"))
}

fn validate_inline(rows: &Value) -> Result<(), ApiError> {
    let Value::Array(rows) = rows else {
        return Err(ApiError::bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array"));
    };
    for row in rows {
        let Value::Array(buttons) = row else {
            return Err(ApiError::bad_request(
                "field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays",
            ));
        };
        for button in buttons {
            validate_button(button)?;
        }
    }
    Ok(())
}

fn validate_button(button: &Value) -> Result<(), ApiError> {
    let cannot_parse = |why: &str| ApiError::bad_request(format!("can't parse inline keyboard button: {why}"));
    let Value::Object(fields) = button else {
        return Err(cannot_parse("InlineKeyboardButton should be an Object"));
    };
    if !matches!(fields.get("text"), Some(Value::String(_))) {
        return Err(cannot_parse("Field \"text\" must be of type String"));
    }
    let actions = BUTTON_ACTIONS.iter().filter(|name| fields.contains_key(**name)).count();
    if actions == 0 {
        return Err(cannot_parse("Text buttons are unallowed in the inline keyboard"));
    }
    if actions > 1 {
        return Err(cannot_parse("a button must have exactly one of url, callback_data, pay, ..."));
    }
    if let Some(data) = fields.get("callback_data") {
        let valid = data.as_str().is_some_and(|data| (1..=64).contains(&data.len()));
        if !valid {
            return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
        }
    }
    if let Some(link) = fields.get("url") {
        let valid = link
            .as_str()
            .and_then(|link| url::Url::parse(link).ok())
            .is_some_and(|link| matches!(link.scheme(), "http" | "https" | "tg"));
        if !valid {
            return Err(ApiError::bad_request("BUTTON_URL_INVALID"));
        }
    }
    Ok(())
}

/// The first button of the first row of an inline keyboard, if any.
pub(crate) fn first_button(markup: &Value) -> Option<&Map<String, Value>> {
    markup.get("inline_keyboard")?.get(0)?.get(0)?.as_object()
}

/// Invoices: a non-empty inline keyboard must start with a Pay button.
pub(crate) fn check_first_is_pay(markup: &Value) -> Result<(), ApiError> {
    validate(markup)?;
    match first_button(markup) {
        None => Ok(()),
        Some(button) if button.get("pay") == Some(&Value::Bool(true)) => Ok(()),
        Some(_) => Err(ApiError::bad_request(
            "the first button of an invoice's reply_markup must be a Pay button (\"pay\": true)",
        )),
    }
}

/// Games: a non-empty inline keyboard must start with a `callback_game` button.
pub(crate) fn check_first_is_game(markup: &Value) -> Result<(), ApiError> {
    validate(markup)?;
    match first_button(markup) {
        None => Ok(()),
        Some(button) if button.contains_key("callback_game") => Ok(()),
        Some(_) => {
            Err(ApiError::bad_request("the first button of a game's reply_markup must be a callback_game button"))
        }
    }
}

/// Every inline button as (text, callback_data, url).
pub(crate) fn buttons(markup: &Value) -> Vec<(String, Option<String>, Option<String>)> {
    let rows = markup.get("inline_keyboard").and_then(Value::as_array);
    let text_of = |button: &Value, field: &str| button.get(field).and_then(Value::as_str).map(str::to_owned);
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|button| {
            let text = text_of(button, "text").unwrap_or_default();
            (text, text_of(button, "callback_data"), text_of(button, "url"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(markup: Value, expected: Result<(), &str>) {
        let got = validate(&markup).map_err(|error| error.description);
        match expected {
            Ok(()) => assert_eq!(got, Ok(()), "{markup}"),
            Err(fragment) => {
                let description = got.expect_err(&markup.to_string());
                assert!(description.contains(fragment), "{markup}: {description}");
            }
        }
    }

    #[test]
    fn inline_buttons_need_exactly_one_valid_action() {
        check(json!({"inline_keyboard": [[{"text": "a", "callback_data": "buy:1"}]]}), Ok(()));
        check(json!({"inline_keyboard": [[{"text": "a", "url": "https://t.me/x"}]]}), Ok(()));
        check(json!({"inline_keyboard": []}), Ok(()));
        check(json!({"remove_keyboard": true}), Ok(()));
        check(json!({"inline_keyboard": [[{"text": "a"}]]}), Err("Text buttons are unallowed"));
        check(json!({"inline_keyboard": [[{"text": "a", "callback_data": ""}]]}), Err("BUTTON_DATA_INVALID"));
        check(
            json!({"inline_keyboard": [[{"text": "a", "callback_data": "x".repeat(65)}]]}),
            Err("BUTTON_DATA_INVALID"),
        );
        check(json!({"inline_keyboard": [[{"text": "a", "url": "nope"}]]}), Err("BUTTON_URL_INVALID"));
        check(json!({"inline_keyboard": [{"text": "a"}]}), Err("Array of Arrays"));
        check(json!({"colour": "red"}), Err("can't parse reply keyboard markup"));
    }

    #[test]
    fn invoices_and_games_check_their_first_button() {
        let pay = json!({"inline_keyboard": [[{"text": "Pay ⭐5", "pay": true}, {"text": "x", "callback_data": "c"}]]});
        assert!(check_first_is_pay(&pay).is_ok());
        let not_pay = json!({"inline_keyboard": [[{"text": "x", "callback_data": "c"}]]});
        assert!(check_first_is_pay(&not_pay).is_err());
        let game = json!({"inline_keyboard": [[{"text": "Play", "callback_game": {}}]]});
        assert!(check_first_is_game(&game).is_ok());
        assert!(check_first_is_game(&not_pay).is_err());
        assert_eq!(buttons(&not_pay), vec![("x".to_owned(), Some("c".to_owned()), None)]);
    }
}
