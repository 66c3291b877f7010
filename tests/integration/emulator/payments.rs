//! Stars through the emulator: invoice rules, checkout, refunds, the ledger.

use std::time::Duration;

use starmine::sandbox::emulator::{EmulatorConfig, PayOutcome};
use teloxide::payloads::setters::*;
use teloxide::requests::Requester;
use teloxide::types::{
    ChatId, InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, MessageKind, TelegramTransactionId, UpdateKind,
    UserId,
};
use teloxide::{ApiError, RequestError};

use super::{next_update, stars, start, start_with, unknown_error};
use crate::conformance::assert_conforms;

#[tokio::test]
async fn invoices_follow_the_stars_rules() {
    let (emulator, bot) = start().await;
    emulator.send_text(7, "/shop");
    let invoice = |title: &str, description: &str, payload: &str, currency: &str, prices: Vec<LabeledPrice>| {
        bot.send_invoice(ChatId(7), title, description, payload, currency, prices)
    };
    let cases = [
        (invoice(&"T".repeat(33), "d", "p", "XTR", stars(5)), "title"),
        (invoice("T", "", "p", "XTR", stars(5)), "description"),
        (invoice("T", "d", &"p".repeat(129), "XTR", stars(5)), "payload"),
        (invoice("T", "d", "p", "USD", stars(5)), "PAYMENT_PROVIDER_INVALID"),
        (invoice("T", "d", "p", "XTR", vec![LabeledPrice::new("a", 1), LabeledPrice::new("b", 1)]), "one price"),
        (invoice("T", "d", "p", "XTR", stars(0)), "at least 1"),
        (invoice("T", "d", "p", "XTR", stars(5)).max_tip_amount(3), "tips"),
        (invoice("T", "d", "p", "XTR", stars(5)).provider_token("123:LIVE"), "provider_token"),
        (
            invoice("T", "d", "p", "XTR", stars(5))
                .reply_markup(InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("x", "y")]])),
            "Pay button",
        ),
    ];
    for (request, fragment) in cases {
        let description = unknown_error(request.await);
        assert!(description.contains(fragment), "{fragment}: {description}");
    }
    assert!(emulator.messages(7).is_empty());
    let pay = InlineKeyboardMarkup::new([[InlineKeyboardButton::pay("Pay ⭐5")]]);
    let sent = invoice("Pickaxe", "A sturdy pickaxe", "order-1", "XTR", stars(5)).reply_markup(pay).await;
    let sent = sent.expect("a valid invoice");
    assert_eq!(sent.invoice().map(|i| i.total_amount), Some(5));
    assert_eq!(emulator.messages(7)[0].invoice.as_ref().map(|i| i.payload.as_str()), Some("order-1"));
}

#[tokio::test]
async fn a_paid_invoice_can_be_refunded_once() {
    let (emulator, bot) = start().await;
    let mut offset = 0;
    emulator.send_text(7, "/buy");
    next_update(&bot, &mut offset).await;
    let sent = bot.send_invoice(ChatId(7), "Pickaxe", "A pickaxe", "order-1", "XTR", stars(5)).await.expect("invoice");
    let payer = tokio::spawn({
        let emulator = emulator.clone();
        async move { emulator.pay_invoice(7, 7, sent.id.0 as i64).await }
    });
    let UpdateKind::PreCheckoutQuery(query) = next_update(&bot, &mut offset).await.kind else {
        panic!("a pre-checkout query first")
    };
    assert_eq!((query.total_amount, query.invoice_payload.as_str(), query.from.id), (5, "order-1", UserId(7)));
    let without_message = bot.answer_pre_checkout_query(query.id.clone(), false).await;
    assert!(unknown_error(without_message).contains("error_message"));
    bot.answer_pre_checkout_query(query.id, true).await.expect("answerPreCheckoutQuery");
    let charge_id = payer.await.expect("payer task").charge_id();

    let UpdateKind::Message(message) = next_update(&bot, &mut offset).await.kind else { panic!("a message") };
    let payment = message.successful_payment().expect("successful_payment");
    assert_eq!((payment.telegram_payment_charge_id.0.as_str(), payment.total_amount), (charge_id.as_str(), 5));
    assert_eq!(emulator.star_balance(), 5);

    let charge = TelegramTransactionId(charge_id.clone());
    let foreign = bot.refund_star_payment(UserId(8), charge.clone()).await;
    assert_eq!(unknown_error(foreign), "Bad Request: CHARGE_NOT_FOUND");
    bot.refund_star_payment(UserId(7), charge.clone()).await.expect("refund");
    let repeat = bot.refund_star_payment(UserId(7), charge).await;
    assert_eq!(unknown_error(repeat), "Bad Request: CHARGE_ALREADY_REFUNDED");
    assert!(emulator.is_refunded(&charge_id) && emulator.star_balance() == 0);

    let UpdateKind::Message(message) = next_update(&bot, &mut offset).await.kind else { panic!("a message") };
    let MessageKind::RefundedPayment(refund) = message.kind else { panic!("refunded_payment: {message:?}") };
    assert_eq!(refund.refunded_payment.telegram_payment_charge_id.0, charge_id);

    let ledger = bot.get_star_transactions().await.expect("getStarTransactions").transactions;
    assert_eq!(ledger.len(), 2);
    assert!(ledger[0].source.is_some() && ledger[1].receiver.is_some() && ledger[1].id.0 == charge_id);
    assert_eq!(bot.get_my_star_balance().await.expect("balance").amount, 0);
    assert!(!emulator.dispute(7, &charge_id), "a refunded charge cannot be disputed");
    assert_conforms(&emulator.requests());
}

#[tokio::test]
async fn checkout_declines_deadlines_and_links() {
    let config = EmulatorConfig { pre_checkout_deadline: Duration::from_millis(300), ..Default::default() };
    let (emulator, bot) = start_with(config).await;
    let mut offset = 0;
    let link = bot.create_invoice_link("Gems", "100 gems", "order-2", "XTR", stars(3)).await.expect("link");
    assert!(link.starts_with("https://t.me/$"), "{link}");

    let payer = tokio::spawn({
        let emulator = emulator.clone();
        async move { emulator.pay_link(9, &link).await }
    });
    let UpdateKind::PreCheckoutQuery(query) = next_update(&bot, &mut offset).await.kind else { panic!("query") };
    bot.answer_pre_checkout_query(query.id, false).error_message("Sold out").await.expect("decline");
    assert_eq!(payer.await.expect("payer"), PayOutcome::Declined { error_message: "Sold out".to_owned() });

    assert_eq!(emulator.pay_payload(9, "forged", "XTR", 1).await, PayOutcome::NoAnswer);
    let late = next_update(&bot, &mut offset).await;
    let UpdateKind::PreCheckoutQuery(query) = late.kind else { panic!("query") };
    let answer = bot.answer_pre_checkout_query(query.id, true).await;
    assert!(matches!(answer, Err(RequestError::Api(ApiError::InvalidQueryId))), "{answer:?}");
    assert!(emulator.transactions().is_empty());
    let unknown = emulator.pay_link(9, "https://t.me/$nope").await;
    assert!(matches!(unknown, PayOutcome::Unpayable { .. }));
}

/// Pays a 5-Star invoice in chat 7 as user 7 and returns the charge id.
async fn paid_charge(
    emulator: &starmine::sandbox::emulator::Emulator,
    bot: &teloxide::Bot,
    offset: &mut i32,
) -> String {
    let sent = bot.send_invoice(ChatId(7), "Pickaxe", "A pickaxe", "order-1", "XTR", stars(5)).await.expect("invoice");
    let payer = tokio::spawn({
        let emulator = emulator.clone();
        async move { emulator.pay_invoice(7, 7, sent.id.0 as i64).await }
    });
    let UpdateKind::PreCheckoutQuery(query) = next_update(bot, offset).await.kind else { panic!("pre-checkout") };
    bot.answer_pre_checkout_query(query.id, true).await.expect("answerPreCheckoutQuery");
    payer.await.expect("payer task").charge_id()
}

#[tokio::test]
async fn the_sandbox_ledger_file_survives_a_restart() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("data").join("sandbox-ledger.jsonl");
    let config = EmulatorConfig { ledger_file: Some(file.clone()), ..Default::default() };
    let charge_id = {
        let (emulator, bot) = start_with(config.clone()).await;
        let mut offset = 0;
        emulator.send_text(7, "/buy");
        next_update(&bot, &mut offset).await;
        paid_charge(&emulator, &bot, &mut offset).await
    };
    // Restarted: the ledger and the charge are still there, and the charge can be refunded.
    let (emulator, bot) = start_with(config.clone()).await;
    let ledger = bot.get_star_transactions().await.expect("getStarTransactions").transactions;
    assert_eq!(ledger.len(), 1, "{ledger:?}");
    assert_eq!(ledger[0].id.0, charge_id);
    assert_eq!(emulator.star_balance(), 5);
    let charge = TelegramTransactionId(charge_id.clone());
    bot.refund_star_payment(UserId(7), charge.clone()).await.expect("refund after a restart");
    drop((emulator, bot));
    // Restarted again: the refund is remembered too.
    let (emulator, bot) = start_with(config).await;
    assert_eq!(bot.get_star_transactions().await.expect("ledger").transactions.len(), 2);
    assert_eq!(unknown_error(bot.refund_star_payment(UserId(7), charge).await), "Bad Request: CHARGE_ALREADY_REFUNDED");
    assert_eq!(emulator.star_balance(), 0);
    // A torn last line (a crash mid-write) is skipped; damage elsewhere refuses to start.
    std::fs::write(&file, format!("{}{{\"id\":\"tor", std::fs::read_to_string(&file).unwrap())).unwrap();
    drop((emulator, bot));
    let (_emulator, bot) = start_with(EmulatorConfig { ledger_file: Some(file.clone()), ..Default::default() }).await;
    assert_eq!(bot.get_star_transactions().await.expect("ledger").transactions.len(), 2);
    std::fs::write(&file, "garbage\n{}\n").unwrap();
    let broken =
        starmine::sandbox::emulator::Emulator::start(EmulatorConfig { ledger_file: Some(file), ..Default::default() })
            .await;
    assert!(broken.is_err(), "a damaged ledger file is refused");
}
