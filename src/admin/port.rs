//! What the console reads from Telegram and does through it, as a trait the `telegram` module
//! implements (over its raw Bot API calls and its refund flow), so that `http` knows no Bot API
//! types.

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
/// the message is marked answered), `unknown` (no such message kept) or `undelivered` (Telegram
/// refused the send, e.g. the player blocked the bot; not marked answered); `message` in words.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReplyReport {
    pub result: &'static str,
    pub message: String,
}
