//! The teloxide side: the handler tree, commands, the shop, payments and refunds. The only
//! module that knows Bot API types.

pub mod admin;
pub mod audit;
mod bot_api;
mod commands;
pub mod dispatch;
pub mod game;
pub mod gifts;
pub mod intake;
mod keyboard;
mod language;
mod ledger_copy;
mod log_gate;
mod memo;
pub mod outbox;
mod pass;
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

use crate::domain::{Lang, UserId as PlayerId};
use crate::reload::SharedCatalog;
use crate::store::Store;

pub use self::memo::PlayerMemo;

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
    /// The language each player read in lately ([`LANGUAGE_KEPT`]), so an update needs no
    /// Redis read to know it.
    pub languages: Arc<PlayerMemo<Lang>>,
}

/// How long this process trusts the language it last read for a player: a `/language` choice
/// made through another process shows here within this.
pub const LANGUAGE_KEPT: std::time::Duration = std::time::Duration::from_secs(30);

/// The memory [`Shop::languages`] starts with.
pub fn language_memo() -> Arc<PlayerMemo<Lang>> {
    Arc::new(PlayerMemo::for_at_most(LANGUAGE_KEPT))
}

impl Shop {
    pub fn is_admin(&self, user: PlayerId) -> bool {
        self.admins.contains(&user)
    }

    /// The stored language of `player`, for what is sent outside their own update (notices,
    /// refunds, repairs); English when unknown or when Redis cannot say.
    pub async fn lang_of(&self, player: PlayerId) -> Lang {
        if let Some(lang) = self.languages.get(player) {
            return lang;
        }
        match self.store.language(player).await {
            Ok(lang) => {
                self.languages.put(player, lang);
                lang
            }
            Err(error) => {
                tracing::warn!(%error, %player, "cannot read a player's language; writing in English");
                Lang::default()
            }
        }
    }
}

/// The commands shown in Telegram's menu (setMyCommands) in `lang`.
pub fn menu(lang: Lang) -> Vec<BotCommand> {
    texts::menu(lang).into_iter().map(|(command, description)| BotCommand::new(command, description)).collect()
}

/// Registers the command menu: English for everyone, and each other shipped language for the
/// users whose Telegram speaks it.
pub async fn register_menus(bot: &Bot) {
    for lang in Lang::ALL {
        let mut request = bot.set_my_commands(menu(lang));
        if lang != Lang::En {
            request = request.language_code(lang.code());
        }
        if let Err(error) = request.await {
            tracing::warn!(%error, lang = lang.code(), "could not register the command menu");
        }
    }
}

/// The language of the player an update comes from, injected into every handler: the stored
/// one, else their Telegram `language_code` (stored from now on); English for anything without
/// a sender. A private-chat user's names are recorded here too when they are news to this
/// process ([`seen`]): on a first contact in the same round trip as the language.
async fn reader_language(update: Update, shop: Shop) -> Lang {
    let news = seen::news(&shop, &update);
    let Some(user) = update.from() else {
        return Lang::default();
    };
    let player = player_of(user);
    if let Some(lang) = shop.languages.get(player) {
        if let Some((player, names)) = news {
            seen::record(&shop, player, names);
        }
        return lang;
    }
    let first_seen = Lang::for_telegram(user.language_code.as_deref());
    let names = news.as_ref().map(|(_, names)| names.stored());
    match shop.store.greet(player, first_seen, names).await {
        Ok((lang, index)) => {
            shop.languages.put(player, lang);
            if let Some(change) = index {
                seen::move_index(&shop, player, change);
            }
            lang
        }
        Err(error) => {
            tracing::warn!(%error, "cannot read a player's language; using their Telegram one");
            if news.is_some() {
                seen::failed(&shop, player, &error);
            }
            first_seen
        }
    }
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
        .map_async(reader_language)
        .branch(Update::filter_pre_checkout_query().endpoint(payments::on_pre_checkout))
        .branch(Update::filter_inline_query().endpoint(play::on_inline_query))
        .branch(Update::filter_callback_query().endpoint(commands::on_callback))
        .branch(messages)
}

pub(crate) fn player_of(user: &teloxide::types::User) -> PlayerId {
    PlayerId(user.id.0)
}
