//! What the console reads from Telegram and does through it, as a trait the `telegram` module
//! implements (over its raw Bot API calls and its refund flow), so that `http` knows no Bot API
//! types; and the rule for an answer to a support message ([`checked_answer`]), which the
//! console and the chat's Reply share.

use futures::future::BoxFuture;

use crate::domain::UserId;

/// The bot's Star balance (`getMyStarBalance`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StarBalance {
    pub amount: i64,
    pub nanostar_amount: i64,
}

/// The webhook as Telegram sees it (`getWebhookInfo`); `url` is empty while the bot polls.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WebhookStatus {
    pub url: String,
    pub pending_update_count: u64,
    /// Unix seconds of the last delivery that failed, and why.
    pub last_error_date: Option<i64>,
    pub last_error_message: Option<String>,
}

/// How an admin's refund ended: `result` is `refunded`, `already_refunded`, `pending` (the Bot
/// API's answer is not known yet; it is retried), `declined` (Telegram refused; the purchase was
/// restored) or `refused` (no such charge of this player, or voided); `message` says it in words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RefundReport {
    pub result: &'static str,
    pub message: String,
}

pub trait AdminPort: Send + Sync {
    /// `getMyStarBalance`; Err is the Bot API's (or the connection's) message.
    fn star_balance(&self) -> BoxFuture<'_, Result<StarBalance, String>>;

    /// `getWebhookInfo`.
    fn webhook_status(&self) -> BoxFuture<'_, Result<WebhookStatus, String>>;

    /// Refunds `charge` of `user` as an admin, through the same flow as `starmine refund` (the
    /// player is told); Err is Redis being unavailable.
    fn refund<'a>(&'a self, user: UserId, charge: &'a str) -> BoxFuture<'a, Result<RefundReport, String>>;

    /// Sends `admin`'s answer to support message `id` to its player through the bot and marks
    /// it answered; Err is Redis being unavailable.
    fn answer_support<'a>(
        &'a self,
        id: u64,
        admin: UserId,
        text: &'a str,
    ) -> BoxFuture<'a, Result<ReplyReport, String>>;
}

/// How an admin's answer to a support message ended: `result` is `sent` (the player got it and
/// the message is marked answered), `unknown` (no such message kept), `bad_answer` (empty or too
/// long: [`checked_answer`]) or `undelivered` (Telegram refused the send, e.g. the player blocked
/// the bot; not marked answered); `message` in words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReplyReport {
    pub result: &'static str,
    pub message: String,
}

/// The longest answer to a support message, in UTF-16 code units (how Telegram counts a message's
/// length, and a textarea's `maxlength` too): Telegram sends at most 4096 in one message and the
/// answer goes out under a header of about 60 (`telegram::texts::support_answer`).
pub const ANSWER_MAX: usize = 4000;

/// Why an answer to a support message is not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadAnswer {
    #[error("the answer is empty")]
    Empty,
    #[error("the answer is {0} characters long; one answer is at most {ANSWER_MAX}")]
    TooLong(usize),
}

impl BadAnswer {
    /// The code the console's API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_answer",
            Self::TooLong(_) => "answer_too_long",
        }
    }
}

/// `text` without the blanks around it, if it can go to a player as an answer.
pub fn checked_answer(text: &str) -> Result<&str, BadAnswer> {
    let text = text.trim();
    let length = text.encode_utf16().count();
    match length {
        0 => Err(BadAnswer::Empty),
        _ if length > ANSWER_MAX => Err(BadAnswer::TooLong(length)),
        _ => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<&str, BadAnswer>) {
        assert_eq!(checked_answer(text), expected, "{text:?}");
    }

    #[test]
    fn an_answer_is_trimmed_and_between_one_and_the_most_telegram_sends() {
        check("  Sorry, fixed.\n", Ok("Sorry, fixed."));
        check("", Err(BadAnswer::Empty));
        check(" \n\t ", Err(BadAnswer::Empty));
        let longest = "a".repeat(ANSWER_MAX);
        check(&longest, Ok(&longest));
        check(&format!("{longest}b"), Err(BadAnswer::TooLong(ANSWER_MAX + 1)));
        // An emoji is two UTF-16 units, as Telegram counts it.
        let emoji = "💬".repeat(ANSWER_MAX / 2);
        check(&emoji, Ok(&emoji));
        check(&format!("{emoji}💬"), Err(BadAnswer::TooLong(ANSWER_MAX + 2)));
    }
}
