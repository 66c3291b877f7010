//! Inline keyboards that fit a phone (about 390 px across): a short label shares its row with
//! the next short one, a long one gets a row of its own. Callback data stays within Telegram's
//! 64 bytes. Messages with a keyboard (shop pages, the live dig) are edited in place.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};
use teloxide::{ApiError, RequestError};

use super::TgBot;

/// Telegram's limit on `callback_data`, in bytes.
pub const MAX_CALLBACK_DATA: usize = 64;

/// The longest label (in characters) that still fits half a phone-wide row unwrapped.
pub const HALF_ROW_CHARS: usize = 16;

/// A callback button. Data longer than Telegram allows is a bug in the caller.
pub fn button(text: impl Into<String>, data: impl Into<String>) -> InlineKeyboardButton {
    let data = data.into();
    debug_assert!(data.len() <= MAX_CALLBACK_DATA, "callback data over 64 bytes: {data}");
    InlineKeyboardButton::callback(text.into(), data)
}

/// Lays `buttons` out in rows: two to a row while both labels are short, else one.
pub fn rows(buttons: impl IntoIterator<Item = InlineKeyboardButton>) -> Vec<Vec<InlineKeyboardButton>> {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    for button in buttons {
        let short = button.text.chars().count() <= HALF_ROW_CHARS;
        match rows.last_mut() {
            Some(row) if short && row.len() == 1 && row[0].text.chars().count() <= HALF_ROW_CHARS => row.push(button),
            _ => rows.push(vec![button]),
        }
    }
    rows
}

/// A keyboard of `buttons` laid out by [`rows`].
pub fn keyboard(buttons: impl IntoIterator<Item = InlineKeyboardButton>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows(buttons))
}

/// Replaces the text and keyboard (None: removes it) of a bot message. An edit that changes
/// nothing (a double tap) is not an error.
pub async fn edit_in_place(
    bot: &TgBot,
    chat: ChatId,
    message: MessageId,
    text: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError> {
    let mut edit = bot.edit_message_text(chat, message, text);
    if let Some(keyboard) = keyboard {
        edit = edit.reply_markup(keyboard);
    }
    match edit.await {
        Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(texts: &[&str]) -> Vec<Vec<String>> {
        let buttons = texts.iter().map(|text| button(*text, "x"));
        rows(buttons).into_iter().map(|row| row.into_iter().map(|b| b.text).collect()).collect()
    }

    #[test]
    fn short_labels_pair_up_and_long_ones_stand_alone() {
        assert_eq!(labels(&["Gem Pack · 15 ⭐", "Dynamite · 8 ⭐"]), [vec!["Gem Pack · 15 ⭐", "Dynamite · 8 ⭐"]]);
        assert_eq!(
            labels(&["Energy Refill · 5 ⭐", "Dynamite · 8 ⭐", "Stopwatch · 40 ⭐"]),
            [vec!["Energy Refill · 5 ⭐"], vec!["Dynamite · 8 ⭐", "Stopwatch · 40 ⭐"]]
        );
        assert_eq!(labels(&["A", "B", "C"]), [vec!["A", "B"], vec!["C"]]);
        assert!(labels(&[]).is_empty());
    }
}
