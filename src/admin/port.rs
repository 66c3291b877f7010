//! What the console reads from Telegram, as a trait the `telegram` module implements (over its
//! raw Bot API calls), so that `http` knows no Bot API types.

use futures::future::BoxFuture;

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

pub trait AdminPort: Send + Sync {
    /// `getMyStarBalance`; Err is the Bot API's (or the connection's) message.
    fn star_balance(&self) -> BoxFuture<'_, Result<StarBalance, String>>;

    /// `getWebhookInfo`.
    fn webhook_status(&self) -> BoxFuture<'_, Result<WebhookStatus, String>>;
}
