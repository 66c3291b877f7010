//! Text commands and button presses: parses them and routes to the shop, the game, refunds or
//! support. A press is answered once its handler is done, with a toast when the handler has
//! one (a stale or refused button) or something failed.

use teloxide::prelude::*;
use teloxide::types::{CallbackQuery, ChatKind, InlineKeyboardButton, InlineKeyboardMarkup};

use super::{
    game, gifts, language, player_of, refund_list, shop, shop_pages, support, texts, upgrades, HandlerError,
    HandlerResult, Shop, TgBot,
};
use crate::i18n::Lang;

/// `/name@bot args` -> (`name`, `args`); None for plain text.
fn parse_command<'a>(text: &'a str, username: &str) -> Option<(String, &'a str)> {
    let rest = text.strip_prefix('/')?;
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (name, target) = head.split_once('@').unwrap_or((head, ""));
    if !target.is_empty() && !target.eq_ignore_ascii_case(username) {
        return None;
    }
    Some((name.to_ascii_lowercase(), args.trim()))
}

pub async fn on_message(bot: TgBot, shop: Shop, lang: Lang, message: Message) -> HandlerResult {
    let (Some(text), Some(user)) = (message.text(), message.from.as_ref()) else {
        return Ok(());
    };
    let private = matches!(message.chat.kind, ChatKind::Private(_));
    let Some((command, args)) = parse_command(text, &shop.username) else {
        if private {
            if gifts::answer_pending(&bot, &shop, lang, message.chat.id, player_of(user), text).await? {
                return Ok(());
            }
            return support::on_plain_text(bot, shop, lang, message.chat.id, user, text).await;
        }
        return Ok(());
    };
    let player = player_of(user);
    let chat = message.chat.id;
    if !private && command == "play" {
        return super::play::on_play_command(bot, shop, lang, chat).await;
    }
    if !private {
        // In groups only point to the private chat; purchases happen there.
        if matches!(
            command.as_str(),
            "start"
                | "shop"
                | "buy"
                | "gift"
                | "inventory"
                | "refund"
                | "paysupport"
                | "dig"
                | "me"
                | "use"
                | "upgrades"
                | "pass"
        ) {
            let link = format!("https://t.me/{}?start=shop", shop.username);
            let button = match link.parse() {
                Ok(url) => InlineKeyboardButton::url(texts::group_button(lang), url),
                Err(_) => return Ok(()),
            };
            bot.send_message(chat, texts::group_shop(lang)).reply_markup(InlineKeyboardMarkup::new([[button]])).await?;
        }
        return Ok(());
    }
    match command.as_str() {
        "start" | "help" => {
            bot.send_message(chat, texts::start(lang)).await?;
        }
        "terms" => {
            let catalog = shop.catalog.current();
            let window = catalog.settings.refund_window;
            let mut terms = texts::terms(lang, window);
            let pass_use = catalog.passes().find_map(|item| match item.kind {
                crate::domain::ItemKind::Subscription { refundable_use, .. } => Some(refundable_use),
                _ => None,
            });
            if let Some(refundable_use) = pass_use {
                terms = format!(
                    "{terms}

{}",
                    texts::terms_pass(lang, window, refundable_use)
                );
            }
            bot.send_message(chat, terms).await?;
        }
        "paysupport" => support::on_paysupport(bot, shop, lang, chat, player).await?,
        "dig" => game::dig(bot, shop, lang, chat, user).await?,
        "me" => game::me(bot, shop, lang, chat, player).await?,
        "top" => game::top(bot, shop, lang, chat, player).await?,
        "upgrades" => upgrades::show(bot, shop, lang, chat, player).await?,
        "play" => super::play::on_play_command(bot, shop, lang, chat).await?,
        "use" if args.is_empty() => game::use_usage(bot, shop, lang, chat, player).await?,
        "use" => game::use_item(bot, shop, lang, chat, player, args).await?,
        "shop" => shop_pages::show_shop(bot, shop, lang, chat).await?,
        "buy" if args.is_empty() => shop::buy_usage(bot, shop, lang, chat).await?,
        "buy" => shop::buy(bot, shop, lang, chat, player, args).await?,
        "gift" => gifts::gift(bot, shop, lang, chat, player, args).await?,
        "inventory" => shop::show_inventory(bot, shop, lang, chat, player).await?,
        "refund" => refund_list::on_refund_command(bot, shop, lang, chat, player, args).await?,
        "admin" => super::admin::on_admin_command(bot, shop, lang, chat, player).await?,
        "language" => language::show(bot, lang, chat).await?,
        "pass" => super::pass::show(bot, shop, lang, chat, player).await?,
        _ => {
            bot.send_message(chat, texts::unknown_command(lang)).await?;
        }
    }
    Ok(())
}

pub async fn on_callback(bot: TgBot, shop: Shop, lang: Lang, query: CallbackQuery) -> HandlerResult {
    if query.game_short_name.is_some() {
        return super::play::on_play_pressed(bot, shop, lang, query).await;
    }
    // Upgrade presses answer with their own toast.
    if let Some(arg) = query.data.as_deref().and_then(|data| data.strip_prefix("up:")) {
        let player = player_of(&query.from);
        return upgrades::pressed(bot, shop, lang, &query, player, arg).await;
    }
    // Answered after the handler: the button spins until its result shows (an edit lands in
    // place), and a stale, refused or failed press says why.
    let pressed = on_press(bot.clone(), shop, lang, &query).await;
    let toast = match &pressed {
        Ok(toast) => toast.clone(),
        Err(_) => Some(texts::service_trouble(lang)),
    };
    let mut answer = bot.answer_callback_query(query.id.clone());
    if let Some(text) = toast {
        answer = answer.text(text);
    }
    answer.await?;
    pressed.map(|_| ())
}

/// Runs a button's action; Some(text) is a toast for the player.
async fn on_press(bot: TgBot, shop: Shop, lang: Lang, query: &CallbackQuery) -> Result<Option<String>, HandlerError> {
    let (Some(data), Some(message)) = (query.data.as_deref(), query.message.as_ref()) else {
        return Ok(None);
    };
    let chat = message.chat().id;
    let player = player_of(&query.from);
    let (action, arg) = data.split_once(':').unwrap_or((data, ""));
    let done = |result: HandlerResult| result.map(|()| None);
    match action {
        "buy" => shop::on_buy_pressed(bot, shop, lang, chat, player, arg).await,
        "gift" => gifts::on_gift_pressed(bot, shop, lang, chat, player, arg).await,
        "shop" => shop_pages::on_page_pressed(bot, shop, lang, chat, message.id(), player, arg).await,
        game::DIG_AGAIN => game::dig_again(bot, shop, lang, chat, message.id(), &query.from).await,
        "dig" => done(game::dig(bot, shop, lang, chat, &query.from).await),
        "me" => done(game::me(bot, shop, lang, chat, player).await),
        "top" => done(game::top(bot, shop, lang, chat, player).await),
        "upgrades" => done(upgrades::show(bot, shop, lang, chat, player).await),
        "use" => done(game::use_item(bot, shop, lang, chat, player, arg).await),
        support::REPLY => done(support::on_reply_pressed(bot, shop, chat, player, arg).await),
        "rf" => done(refund_list::ask_confirmation(bot, shop, lang, chat, player, arg).await),
        "rfy" => done(refund_list::confirmed(bot, shop, lang, chat, player, arg).await),
        language::CHOSEN => done(language::chosen(bot, shop, chat, player, arg).await),
        "pass" => done(super::pass::show(bot, shop, lang, chat, player).await),
        super::pass::CLAIM => done(super::pass::claim_gems(bot, shop, lang, chat, player, arg).await),
        super::pass::STOP | super::pass::RESUME => {
            done(super::pass::pressed(bot, shop, lang, chat, player, action, arg).await)
        }
        "rfn" => {
            bot.send_message(chat, texts::refund_keep(lang)).await?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_command;

    #[test]
    fn commands() {
        assert_eq!(parse_command("/buy energy", "starminebot"), Some(("buy".into(), "energy")));
        assert_eq!(parse_command("/BUY@StarmineBot  x ", "starminebot"), Some(("buy".into(), "x")));
        assert_eq!(parse_command("/shop@otherbot", "starminebot"), None);
        assert_eq!(parse_command("hello", "starminebot"), None);
        assert_eq!(parse_command("/refund 1 2", "b"), Some(("refund".into(), "1 2")));
    }
}
