//! The teloxide side: the handler tree, commands, the shop, payments and refunds. The only
//! module that knows Bot API types.

pub mod admin;
pub mod audit;
mod bot_api;
mod commands;
pub mod dispatch;
pub mod game;
pub mod intake;
mod keyboard;
mod ledger_copy;
mod log_gate;
mod memo;
pub mod outbox;
mod payments;
pub mod play;
pub mod reconcile;
pub mod refund_list;
pub mod refunds;
mod seen;
mod shop;
mod shop_pages;
mod support;
pub mod texts;
mod upgrades;
pub mod verify;

use std::sync::Arc;

use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, MessageKind};

use crate::domain::UserId as PlayerId;
use crate::reload::SharedCatalog;
use crate::store::Store;

pub use self::bot_api::{check_token, TokenCheckError};
pub use self::outbox::{Priority, TgBot};

pub type HandlerError = anyhow::Error;
pub type HandlerResult = Result<(), HandlerError>;

/// What every handler needs, injected by dptree.
#[derive(Clone)]
pub struct Shop {
    pub store: Store,
    pub catalog: SharedCatalog,
    pub admins: Arc<Vec<PlayerId>>,
    /// The bot's @username, for links to the private chat.
    pub username: Arc<String>,
    /// The plain Bot, for calls that are not sends (refunds, the ledger).
    pub raw_bot: Bot,
    /// The game loop.
    pub game: crate::game::GameHandle,
    /// The HTML5 game, when configured.
    pub play: Option<Arc<crate::config::PlayConfig>>,
    /// The operator console's sign-in links (`/admin`), when `ADMIN_SESSION_SECRET` is set.
    pub console: Option<Arc<crate::admin::Console>>,
    /// The names this process recorded for players ([`seen`]).
    pub seen: Arc<seen::Seen>,
}

impl Shop {
    pub fn is_admin(&self, user: PlayerId) -> bool {
        self.admins.contains(&user)
    }
}

/// The commands shown in Telegram's menu (setMyCommands).
pub fn menu() -> Vec<BotCommand> {
    texts::MENU.into_iter().map(|(command, description)| BotCommand::new(command, description)).collect()
}

/// The chat whose lane runs `update`: a chat's updates run one after another in arrival order.
/// None for a pre-checkout or inline query (and anything without a chat): it runs at once in a
/// task of its own, never behind a chat's queue or another query (how many run at once is
/// intake's bound, `intake::InFlight`). [`dispatch`] runs them.
pub fn lane(update: &Update) -> Option<ChatId> {
    if is_query(update) {
        return None;
    }
    update.chat().map(|chat| chat.id)
}

/// Whether `update` is a query with a lane of its own ([`lane`]): these count against intake's
/// query limit as well.
pub fn is_query(update: &Update) -> bool {
    use teloxide::types::UpdateKind;
    matches!(update.kind, UpdateKind::PreCheckoutQuery(_) | UpdateKind::InlineQuery(_))
}

/// The handler tree. Pre-checkout queries each run in a lane of their own ([`lane`]), never
/// behind a chat's queue or each other.
pub fn schema() -> UpdateHandler<HandlerError> {
    let messages = Update::filter_message()
        .branch(Message::filter_successful_payment().endpoint(payments::on_successful_payment))
        .branch(
            dptree::filter_map(|message: Message| match message.kind {
                MessageKind::RefundedPayment(refund) => Some(refund.refunded_payment),
                _ => None,
            })
            .endpoint(payments::on_refunded_payment),
        )
        .branch(dptree::endpoint(commands::on_message));
    dptree::entry()
        .inspect(|shop: Shop, update: Update| seen::note(&shop, &update))
        .branch(Update::filter_pre_checkout_query().endpoint(payments::on_pre_checkout))
        .branch(Update::filter_inline_query().endpoint(play::on_inline_query))
        .branch(Update::filter_callback_query().endpoint(commands::on_callback))
        .branch(messages)
}

pub(crate) fn player_of(user: &teloxide::types::User) -> PlayerId {
    PlayerId(user.id.0)
}
