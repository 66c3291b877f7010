//! What the game API needs from Telegram, as a trait the `telegram` module implements, so that
//! `http` knows no Bot API types.

use futures::future::BoxFuture;

use super::ScoreTarget;
use crate::domain::{Item, Lang, UserId};

/// One line of a chat's high scores.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChatScore {
    pub position: u32,
    /// Who it is, so the page can pick a friend to give a gift to.
    pub user_id: u64,
    pub name: String,
    pub score: u64,
}

pub trait TelegramPort: Send + Sync {
    /// An invoice link (`createInvoiceLink`) for one unit of `item` with this order payload, its
    /// title, description and price label in `lang`.
    fn invoice_link<'a>(
        &'a self,
        item: &'a Item,
        lang: Lang,
        payload: &'a str,
        amount: u32,
    ) -> BoxFuture<'a, Result<String, String>>;

    /// [`TelegramPort::invoice_link`] for a gift: the description says it is for `recipient`
    /// (their name as a gift names them).
    fn gift_invoice_link<'a>(
        &'a self,
        item: &'a Item,
        lang: Lang,
        payload: &'a str,
        amount: u32,
        recipient: &'a str,
    ) -> BoxFuture<'a, Result<String, String>>;

    /// Reports a score to the game message (`setGameScore`) in the background: it is a send
    /// that waits for the chat's budget, which the API's answer must not; a score reported while
    /// an earlier one for the same message still waits replaces it if higher.
    fn report_score(&self, user: UserId, score: u64, target: ScoreTarget);

    /// The game message's high scores around `user` (`getGameHighScores`).
    fn high_scores<'a>(
        &'a self,
        user: UserId,
        target: &'a ScoreTarget,
    ) -> BoxFuture<'a, Result<Vec<ChatScore>, String>>;
}
