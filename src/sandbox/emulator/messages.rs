//! Chat methods: getMe, sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage,
//! sendChatAction, answerCallbackQuery and the bot command list.

use serde_json::{json, Map, Value};

use super::markup;
use super::model::CallbackAnswer;
use super::state::Shared;
use super::text;
use super::wire::{ApiError, ApiResult, Params};

const MAX_TEXT_CHARS: usize = 4096;

pub(crate) fn get_me(shared: &Shared) -> ApiResult {
    let mut me = shared.lock().bot_user.clone();
    me["can_join_groups"] = json!(true);
    me["can_read_all_group_messages"] = json!(false);
    me["supports_inline_queries"] = json!(false);
    me["can_connect_to_business"] = json!(false);
    me["has_main_web_app"] = json!(false);
    Ok(me)
}

/// The text of a send or edit after `parse_mode`, with Telegram's length rules.
fn message_text(params: &Params<'_>) -> Result<String, ApiError> {
    let raw = params.string("text")?.unwrap_or_default();
    let parse_mode = params.string("parse_mode")?;
    let plain = text::render(&raw, parse_mode.as_deref())
        .map_err(|reason| ApiError::bad_request(format!("can't parse entities: {reason}")))?;
    if plain.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if plain.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(plain)
}

fn reply_markup(params: &Params<'_>) -> Result<Option<Value>, ApiError> {
    let markup = params.json("reply_markup")?;
    if let Some(markup) = &markup {
        markup::validate(markup)?;
    }
    Ok(markup)
}

pub(crate) fn send_message(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let chat = params.chat_id()?;
    let text = message_text(params)?;
    let markup = reply_markup(params)?;
    let mut fields = Map::new();
    fields.insert("text".to_owned(), json!(text));
    if let Some(markup) = markup {
        fields.insert("reply_markup".to_owned(), markup);
    }
    shared.change(|state| Ok(state.bot_message(chat, fields)?.json.clone()))
}

/// `chat_id` + `message_id` of an edit; inline messages do not exist in the emulator.
fn edit_target(params: &Params<'_>) -> Result<(i64, i64), ApiError> {
    if params.get("inline_message_id").is_some() {
        return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
    }
    Ok((params.chat_id()?, params.req_int("message_id")?))
}

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

pub(crate) fn edit_message_text(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let (chat, message_id) = edit_target(params)?;
    let text = message_text(params)?;
    // As on Telegram, an edit without reply_markup removes the inline keyboard.
    let markup = reply_markup(params)?;
    shared.change(|state| {
        let stored = state
            .message_mut(chat, message_id)
            .filter(|stored| stored.from_bot)
            .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
        let Some(old_text) = stored.json.get("text").and_then(Value::as_str) else {
            return Err(ApiError::bad_request("there is no text in the message to edit"));
        };
        if old_text == text && stored.json.get("reply_markup") == markup.as_ref() {
            return Err(ApiError::bad_request(NOT_MODIFIED));
        }
        stored.json["text"] = json!(text);
        set_markup(&mut stored.json, markup);
        stored.json["edit_date"] = json!(super::wire::unix_now());
        Ok(stored.json.clone())
    })
}

pub(crate) fn edit_message_reply_markup(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let (chat, message_id) = edit_target(params)?;
    let markup = reply_markup(params)?;
    shared.change(|state| {
        let stored = state
            .message_mut(chat, message_id)
            .filter(|stored| stored.from_bot)
            .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
        if stored.json.get("reply_markup") == markup.as_ref() {
            return Err(ApiError::bad_request(NOT_MODIFIED));
        }
        set_markup(&mut stored.json, markup);
        stored.json["edit_date"] = json!(super::wire::unix_now());
        Ok(stored.json.clone())
    })
}

fn set_markup(message: &mut Value, markup: Option<Value>) {
    let Value::Object(object) = message else {
        return;
    };
    match markup {
        Some(markup) => object.insert("reply_markup".to_owned(), markup),
        None => object.remove("reply_markup"),
    };
}

pub(crate) fn delete_message(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let chat = params.chat_id()?;
    let message_id = params.req_int("message_id")?;
    shared.change(|state| {
        let removed = state.chats.get_mut(&chat).and_then(|known| {
            known.edits += 1;
            known.messages.remove(&message_id)
        });
        match removed {
            Some(_) => Ok(json!(true)),
            None => Err(ApiError::bad_request("message to delete not found")),
        }
    })
}

pub(crate) fn send_chat_action(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let chat = params.chat_id()?;
    params.req_string("action")?;
    match shared.lock().chats.contains_key(&chat) {
        true => Ok(json!(true)),
        false => Err(ApiError::chat_not_found()),
    }
}

pub(crate) fn answer_callback_query(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let id = params.req_string("callback_query_id")?;
    let answer = CallbackAnswer {
        text: params.string("text")?,
        show_alert: params.bool("show_alert")?.unwrap_or(false),
        url: params.string("url")?,
    };
    if answer.text.as_ref().is_some_and(|text| text.chars().count() > 200) {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    let deadline = shared.config.callback_answer_deadline;
    shared.change(|state| {
        let pending = state
            .callbacks
            .get_mut(&id)
            .filter(|pending| pending.answer.is_none() && pending.created.elapsed() <= deadline)
            .ok_or_else(ApiError::query_too_old)?;
        pending.answer = Some(answer);
        Ok(json!(true))
    })
}

/// The key of a command list: its scope object and language.
fn commands_key(params: &Params<'_>) -> Result<String, ApiError> {
    let scope = params.json("scope")?.unwrap_or_else(|| json!({ "type": "default" }));
    let language = params.string("language_code")?.unwrap_or_default();
    Ok(format!("{scope}|{language}"))
}

pub(crate) fn set_my_commands(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let commands = params.json("commands")?.ok_or_else(|| ApiError::bad_request("commands is empty"))?;
    let Some(list) = commands.as_array() else {
        return Err(ApiError::bad_request("commands must be an Array of BotCommand"));
    };
    if list.len() > 100 {
        return Err(ApiError::bad_request("too many commands: at most 100 are allowed"));
    }
    for command in list {
        let name = command.get("command").and_then(Value::as_str).unwrap_or("");
        let valid_name = (1..=32).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_name {
            return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
        }
        let description = command.get("description").and_then(Value::as_str).unwrap_or("");
        if !(1..=256).contains(&description.chars().count()) {
            return Err(ApiError::bad_request("command description must be 1-256 characters"));
        }
    }
    let key = commands_key(params)?;
    shared.change(|state| state.commands.insert(key, commands));
    Ok(json!(true))
}

pub(crate) fn get_my_commands(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let key = commands_key(params)?;
    Ok(shared.lock().commands.get(&key).cloned().unwrap_or_else(|| json!([])))
}

pub(crate) fn delete_my_commands(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let key = commands_key(params)?;
    shared.change(|state| state.commands.remove(&key));
    Ok(json!(true))
}
