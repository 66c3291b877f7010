//! HTML5 games: sendGame, setGameScore and getGameHighScores, with one high-score table per
//! game and chat (or per inline message).

use serde_json::{json, Map, Value};

use super::markup;
use super::state::Shared;
use super::wire::{unix_now, ApiError, ApiResult, Params, UserInfo};

pub(crate) fn send_game(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let chat = params.chat_id()?;
    let short_name = params.req_string("game_short_name")?;
    if short_name.is_empty() {
        return Err(ApiError::bad_request("GAME_SHORT_NAME_INVALID"));
    }
    let markup = params.json("reply_markup")?;
    if let Some(markup) = &markup {
        markup::check_first_is_game(markup)?;
    }
    let mut fields = Map::new();
    fields.insert(
        "game".to_owned(),
        json!({
            "title": short_name,
            "description": format!("The {short_name} game"),
            "photo": [{
                "file_id": format!("game-photo-{short_name}"),
                "file_unique_id": format!("gp-{short_name}"),
                "width": 640,
                "height": 360,
            }],
        }),
    );
    let markup = markup.unwrap_or_else(
        || json!({ "inline_keyboard": [[{ "text": format!("Play {short_name}"), "callback_game": {} }]] }),
    );
    fields.insert("reply_markup".to_owned(), markup);
    shared.change(|state| {
        let stored = state.bot_message(chat, fields)?;
        stored.game_short_name = Some(short_name);
        Ok(stored.json.clone())
    })
}

/// Where a score goes: a game message of the bot (its chat's table) or an inline message.
enum Target {
    Chat { chat: i64, message_id: i64 },
    Inline(String),
}

fn target(params: &Params<'_>) -> Result<Target, ApiError> {
    if let Some(inline) = params.string("inline_message_id")? {
        return Ok(Target::Inline(inline));
    }
    let chat = params.int("chat_id")?.ok_or_else(|| ApiError::bad_request("chat_id is empty"))?;
    Ok(Target::Chat { chat, message_id: params.req_int("message_id")? })
}

/// The high-score table key of a target; a chat target must be a game message of the bot.
fn table_key(shared: &Shared, target: &Target) -> Result<String, ApiError> {
    match target {
        Target::Inline(id) => Ok(format!("inline:{id}")),
        Target::Chat { chat, message_id } => {
            let mut state = shared.lock();
            let game = state
                .message_mut(*chat, *message_id)
                .filter(|stored| stored.from_bot)
                .and_then(|stored| stored.game_short_name.clone())
                .ok_or_else(|| ApiError::bad_request("message with the game not found"))?;
            Ok(format!("chat:{chat}:{game}"))
        }
    }
}

pub(crate) fn set_game_score(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let user = params.req_int("user_id")?;
    let score = params.req_int("score")?;
    if score < 0 {
        return Err(ApiError::bad_request("score must be non-negative"));
    }
    let force = params.bool("force")?.unwrap_or(false);
    let disable_edit = params.bool("disable_edit_message")?.unwrap_or(false);
    let target = target(params)?;
    let key = table_key(shared, &target)?;
    shared.change(|state| {
        state.user(user);
        let table = state.scores.entry(key).or_default();
        let current = table.get(&user).copied();
        if current.is_some_and(|current| score <= current) && !force {
            return Err(ApiError::bad_request("BOT_SCORE_NOT_MODIFIED"));
        }
        table.insert(user, score);
        let Target::Chat { chat, message_id } = target else {
            return Ok(json!(true));
        };
        let stored = state
            .message_mut(chat, message_id)
            .ok_or_else(|| ApiError::bad_request("message with the game not found"))?;
        if !disable_edit {
            stored.json["edit_date"] = json!(unix_now());
        }
        Ok(stored.json.clone())
    })
}

pub(crate) fn get_game_high_scores(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let user = params.req_int("user_id")?;
    let target = target(params)?;
    let key = table_key(shared, &target)?;
    let state = shared.lock();
    let Some(table) = state.scores.get(&key) else {
        return Ok(json!([]));
    };
    let mut ranked: Vec<(i64, i64)> = table.iter().map(|(user, score)| (*user, *score)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Telegram shows the top three and the user with two neighbours on each side.
    let user_position = ranked.iter().position(|(id, _)| *id == user);
    let rows: Vec<Value> = ranked
        .iter()
        .enumerate()
        .filter(|(position, _)| *position < 3 || user_position.is_some_and(|at| position.abs_diff(at) <= 2))
        .map(|(position, (id, score))| {
            let player = state.users.get(id).cloned().unwrap_or_else(|| UserInfo::simulated(*id));
            json!({ "position": position + 1, "user": player.to_json(), "score": score })
        })
        .collect();
    Ok(Value::Array(rows))
}

/// `answerInlineQuery`: remembers the results (at most 50) for the inline query.
pub(crate) fn answer_inline_query(shared: &Shared, params: &Params<'_>) -> ApiResult {
    let id = params.req_string("inline_query_id")?;
    let results = params.get("results").cloned().ok_or_else(|| ApiError::bad_request("results is empty"))?;
    let count = results.as_array().map(Vec::len).ok_or_else(|| ApiError::bad_request("results must be an array"))?;
    if count > 50 {
        return Err(ApiError::bad_request("RESULTS_TOO_MUCH"));
    }
    shared.change(|state| state.inline_answers.insert(id, results));
    Ok(json!(true))
}
