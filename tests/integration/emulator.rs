//! The Bot API emulator seen through a real teloxide `Bot`: every answer must parse with
//! teloxide's types, and the Telegram rules the emulator carries must bite.

use std::time::{Duration, Instant};

use starmine::sandbox::emulator::{Emulator, EmulatorConfig, PayOutcome};
use teloxide::payloads::setters::*;
use teloxide::requests::Requester;
use teloxide::types::{
    ChatId, InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, ParseMode, Update, UpdateKind, UserId,
};
use teloxide::{ApiError, Bot, RequestError};

use crate::conformance::assert_conforms;

mod edges;
mod payments;
mod subscriptions;

pub(crate) const WAIT: Duration = Duration::from_secs(5);

pub(crate) async fn start_with(config: EmulatorConfig) -> (Emulator, Bot) {
    let emulator = Emulator::start(config).await.expect("the emulator starts");
    let url = emulator.api_url().parse().expect("the emulator URL parses");
    let bot = Bot::new(emulator.token()).set_api_url(url);
    (emulator, bot)
}

pub(crate) async fn start() -> (Emulator, Bot) {
    start_with(EmulatorConfig::default()).await
}

/// Long-polls the next update and confirms everything before it.
pub(crate) async fn next_update(bot: &Bot, offset: &mut i32) -> Update {
    let updates = bot.get_updates().offset(*offset).timeout(5).limit(1).await.expect("getUpdates");
    let update = updates.into_iter().next().expect("an update within the poll timeout");
    *offset = update.id.0 as i32 + 1;
    update
}

pub(crate) fn unknown_error(result: Result<impl std::fmt::Debug, RequestError>) -> String {
    match result {
        Err(RequestError::Api(ApiError::Unknown(description))) => description,
        other => panic!("expected an unknown API error, got {other:?}"),
    }
}

pub(crate) fn stars(amount: u32) -> Vec<LabeledPrice> {
    vec![LabeledPrice::new("Pickaxe", amount)]
}

#[tokio::test]
async fn get_me_and_webhook_info_parse() {
    let (emulator, bot) = start().await;
    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.username(), "starmine_test_bot");
    assert_eq!(me.id.0 as i64, emulator.bot_id());
    let info = bot.get_webhook_info().await.expect("getWebhookInfo");
    assert!(info.url.is_none());
    bot.delete_webhook().await.expect("deleteWebhook");
    assert_conforms(&emulator.requests());
}

#[tokio::test]
async fn messages_are_sent_edited_and_deleted() {
    let (emulator, bot) = start().await;
    let missing = bot.send_message(ChatId(42), "hi").await;
    assert!(matches!(missing, Err(RequestError::Api(ApiError::ChatNotFound))), "{missing:?}");
    emulator.send_text(42, "/start");
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Dig", "dig")]]);
    let sent = bot
        .send_message(ChatId(42), "<b>Welcome</b> &amp; dig")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .await
        .expect("sendMessage");
    assert_eq!(sent.text(), Some("Welcome & dig"));
    let seen = emulator.wait_for(42, WAIT, |m| m.text.as_deref() == Some("Welcome & dig")).await.expect("stored");
    assert_eq!(seen.buttons(), vec![("Dig".to_owned(), Some("dig".to_owned()), None)]);

    let broken = bot.send_message(ChatId(42), "<b>open").parse_mode(ParseMode::Html).await;
    assert!(matches!(broken, Err(RequestError::Api(ApiError::CantParseEntities(_)))), "{broken:?}");

    let edited = bot.edit_message_text(ChatId(42), sent.id, "Dug!").await.expect("editMessageText");
    assert_eq!(edited.text(), Some("Dug!"));
    assert!(emulator.messages(42)[0].buttons().is_empty(), "an edit without markup drops the keyboard");
    let same = bot.edit_message_text(ChatId(42), sent.id, "Dug!").await;
    assert!(matches!(same, Err(RequestError::Api(ApiError::MessageNotModified))), "{same:?}");

    bot.delete_message(ChatId(42), sent.id).await.expect("deleteMessage");
    assert!(emulator.messages(42).is_empty());
    let again = bot.delete_message(ChatId(42), sent.id).await;
    assert!(matches!(again, Err(RequestError::Api(ApiError::MessageToDeleteNotFound))), "{again:?}");
    assert_conforms(&emulator.requests());
}

#[tokio::test]
async fn long_poll_wakes_when_a_user_writes() {
    let (emulator, bot) = start().await;
    let poll = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(10).await }
    });
    emulator.wait_for_request(0, WAIT, |r| r.method == "getUpdates").await.expect("the poll arrives");
    let started = Instant::now();
    emulator.send_text(42, "/dig now");
    let updates = poll.await.expect("poll task").expect("getUpdates");
    assert!(started.elapsed() < Duration::from_secs(5), "the poll was not woken");
    let [update] = updates.as_slice() else { panic!("one update expected: {updates:?}") };
    let UpdateKind::Message(message) = &update.kind else { panic!("a message: {update:?}") };
    assert_eq!(message.text(), Some("/dig now"));
    assert_eq!(message.chat.id, ChatId(42));
    let entities = message.entities().expect("a command entity");
    assert_eq!((entities[0].offset, entities[0].length), (0, 4));

    let empty = bot.get_updates().offset(update.id.0 as i32 + 1).timeout(0).await.expect("confirm");
    assert!(empty.is_empty() && emulator.pending_updates().is_empty());
}

#[tokio::test]
async fn a_second_poller_terminates_the_first() {
    let (emulator, bot) = start().await;
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(10).await }
    });
    emulator.wait_for_request(0, WAIT, |r| r.method == "getUpdates").await.expect("first poll");
    let _second = bot.get_updates().timeout(0).await.expect("second poll");
    let first = first.await.expect("poll task");
    assert!(matches!(first, Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates))), "{first:?}");
}

#[tokio::test]
async fn buttons_callbacks_and_groups() {
    let (emulator, bot) = start().await;
    let mut offset = 0;
    emulator.send_group_text(-100, 5, "/dig@starmine_test_bot");
    let UpdateKind::Message(message) = next_update(&bot, &mut offset).await.kind else { panic!("message") };
    assert!(message.chat.is_group() && message.from.as_ref().map(|u| u.id) == Some(UserId(5)));
    let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Again", "dig")]]);
    let sent = bot.send_message(ChatId(-100), "Found a gem").reply_markup(keyboard).await.expect("send");

    let id = emulator.press_button(5, -100, sent.id.0 as i64, "dig");
    let UpdateKind::CallbackQuery(query) = next_update(&bot, &mut offset).await.kind else { panic!("callback") };
    assert_eq!((query.id.0.as_str(), query.data.as_deref()), (id.as_str(), Some("dig")));
    assert_eq!(query.message.map(|m| m.id()), Some(sent.id));
    bot.answer_callback_query(query.id.clone()).text("Digging").await.expect("answer");
    assert_eq!(emulator.callback_answer(&id).and_then(|a| a.text), Some("Digging".to_owned()));
    let twice = bot.answer_callback_query(query.id).await;
    assert!(matches!(twice, Err(RequestError::Api(ApiError::InvalidQueryId))), "{twice:?}");

    emulator.deliver_twice(true);
    emulator.press_button(5, -100, 999, "stale");
    let first = next_update(&bot, &mut offset).await;
    let second = next_update(&bot, &mut offset).await;
    assert_ne!(first.id, second.id);
    let (UpdateKind::CallbackQuery(a), UpdateKind::CallbackQuery(b)) = (first.kind, second.kind) else {
        panic!("two callback queries")
    };
    assert_eq!(a, b);
    assert_conforms(&emulator.requests());
}

#[tokio::test]
async fn a_teloxide_dispatcher_polls_and_answers() {
    use teloxide::dispatching::UpdateFilterExt;
    use teloxide::types::{Message, PreCheckoutQuery};

    let (emulator, bot) = start().await;
    let handler = teloxide::dptree::entry()
        .branch(Update::filter_message().endpoint(|bot: Bot, message: Message| async move {
            bot.send_message(message.chat.id, "pong").await?;
            Ok::<(), RequestError>(())
        }))
        .branch(Update::filter_pre_checkout_query().endpoint(|bot: Bot, query: PreCheckoutQuery| async move {
            bot.answer_pre_checkout_query(query.id, true).await?;
            Ok::<(), RequestError>(())
        }));
    let mut dispatcher = teloxide::dispatching::Dispatcher::builder(bot, handler).build();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    emulator.send_text(11, "ping");
    let pong = emulator.wait_for(11, WAIT, |m| m.text.as_deref() == Some("pong")).await;
    pong.expect("the dispatcher answered");
    let paid = emulator.pay_payload(11, "order-9", "XTR", 2).await;
    assert!(matches!(paid, PayOutcome::Paid { .. }), "{paid:?}");
    let allowed = emulator.allowed_updates().unwrap_or_default();
    assert!(allowed.contains(&"pre_checkout_query".to_owned()), "{allowed:?}");
    running.abort();
    assert_conforms(&emulator.requests());
}
