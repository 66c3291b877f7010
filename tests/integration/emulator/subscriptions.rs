//! Star subscriptions through the emulator: a subscription invoice link's first payment, renewals
//! (new charge ids, the first payload, no pre-checkout, the next expiry), editUserStarSubscription
//! stopping and re-enabling renewals, a user's own cancellation the bot cannot undo, a failed
//! renewal, and the ledger's entries.

use starmine::sandbox::emulator::{CanceledBy, Emulator, PayOutcome, Renewal};
use teloxide::payloads::setters::*;
use teloxide::requests::Requester;
use teloxide::types::{Message, Seconds, TelegramTransactionId, True, UpdateKind, UserId};
use teloxide::{Bot, RequestError};

use super::{next_update, stars, start, unknown_error};
use crate::conformance::assert_conforms;

const PERIOD: i64 = 2_592_000;
const USER: i64 = 7;

/// The successful_payment message of the next update.
async fn next_payment(bot: &Bot, offset: &mut i32) -> Message {
    match next_update(bot, offset).await.kind {
        UpdateKind::Message(message) if message.successful_payment().is_some() => message,
        other => panic!("expected a successful_payment, got {other:?}"),
    }
}

/// Subscribes `USER` through a 250-Star monthly invoice link; returns the first charge id and
/// its expiry (Unix time).
async fn subscribe(emulator: &Emulator, bot: &Bot, offset: &mut i32) -> (String, i64) {
    let link = bot
        .create_invoice_link("Miner's Pass", "A month of perks", "pass.monthly", "XTR", stars(250))
        .subscription_period(Seconds::from_seconds(PERIOD as u32))
        .await
        .expect("a subscription link");
    let payer = tokio::spawn({
        let emulator = emulator.clone();
        async move { emulator.pay_link(USER, &link).await }
    });
    let UpdateKind::PreCheckoutQuery(query) = next_update(bot, offset).await.kind else { panic!("pre-checkout") };
    bot.answer_pre_checkout_query(query.id, true).await.expect("answerPreCheckoutQuery");
    let charge = payer.await.expect("payer").charge_id();
    let message = next_payment(bot, offset).await;
    let payment = message.successful_payment().expect("a payment");
    assert_eq!(payment.telegram_payment_charge_id.0, charge);
    assert!(payment.is_recurring && payment.is_first_recurring, "{payment:?}");
    let expires = payment.subscription_expiration_date.expect("an expiry").timestamp();
    (charge, expires)
}

/// editUserStarSubscription for `USER`'s subscription named by `charge`.
async fn edit(bot: &Bot, charge: &str, cancel: bool) -> Result<True, RequestError> {
    bot.edit_user_star_subscription(UserId(USER as u64), TelegramTransactionId(charge.to_owned()), cancel).await
}

#[tokio::test]
async fn a_subscription_renews_with_new_charges_and_no_pre_checkout_until_it_is_stopped() {
    let (emulator, bot) = start().await;
    let mut offset = 0;
    let (first, expires) = subscribe(&emulator, &bot, &mut offset).await;
    let (key, subscription) = emulator.subscription(&first).expect("a subscription");
    assert_eq!((key.as_str(), subscription.expires_at, subscription.amount), (first.as_str(), expires, 250));

    // A renewal: a new charge id, the first payload, the next expiry, recurring but not first.
    let Renewal::Renewed { charge_id: second, expires_at } = emulator.renew_subscription(&first, false) else {
        panic!("renewed")
    };
    assert_ne!(second, first);
    assert_eq!(expires_at, expires + PERIOD);
    let message = next_payment(&bot, &mut offset).await;
    let payment = message.successful_payment().expect("a payment");
    assert_eq!(payment.telegram_payment_charge_id.0, second, "no pre-checkout came before it");
    assert_eq!((payment.invoice_payload.as_str(), payment.total_amount), ("pass.monthly", 250));
    assert!(payment.is_recurring && !payment.is_first_recurring, "{payment:?}");
    assert_eq!(payment.subscription_expiration_date.map(|at| at.timestamp()), Some(expires + PERIOD));
    assert_eq!(message.chat.id.0, USER);
    // The ledger: both payments, each a subscription's, the renewal dated at the period's end.
    let ledger = emulator.transactions();
    assert_eq!(ledger.len(), 2);
    assert_eq!((ledger[1]["id"].as_str(), ledger[1]["date"].as_i64()), (Some(second.as_str()), Some(expires)));
    assert_eq!(ledger[1]["source"]["subscription_period"], PERIOD);
    assert_eq!(ledger[1]["source"]["invoice_payload"], "pass.monthly");

    // The bot stops renewals (naming it by its first charge), re-enables them, stops them again:
    // the next period's end ends it, and nothing more is charged.
    edit(&bot, &first, true).await.expect("cancelled");
    edit(&bot, &first, false).await.expect("re-enabled: the bot stopped it");
    edit(&bot, &second, true).await.expect("a renewal's charge names it too");
    assert_eq!(emulator.subscription(&first).expect("kept").1.canceled_by, Some(CanceledBy::Bot));
    assert_eq!(emulator.renew_subscription(&first, false), Renewal::Canceled { by: CanceledBy::Bot });
    assert_eq!(emulator.renew_subscription(&first, false), Renewal::Ended);
    assert!(unknown_error(edit(&bot, &first, false).await).contains("SUBSCRIPTION_EXPIRED"));
    assert_eq!(emulator.transactions().len(), 2);

    // Another user's or an unknown charge is no subscription of this user's.
    let foreign = bot.edit_user_star_subscription(UserId(8), TelegramTransactionId(first.clone()), true).await;
    assert!(unknown_error(foreign).contains("CHARGE_NOT_FOUND"));
    assert!(unknown_error(edit(&bot, "stx_unknown", true).await).contains("CHARGE_NOT_FOUND"));
    assert_conforms(&emulator.requests());
}

#[tokio::test]
async fn a_users_own_cancellation_cannot_be_undone_by_the_bot_and_a_failed_renewal_ends_it() {
    let (emulator, bot) = start().await;
    let mut offset = 0;
    let (first, _) = subscribe(&emulator, &bot, &mut offset).await;
    assert!(emulator.cancel_subscription_as_user(&first));
    assert!(unknown_error(edit(&bot, &first, false).await).contains("SUBSCRIPTION_CANCELED_BY_USER"));
    edit(&bot, &first, true).await.expect("stopping a stopped subscription is no error");
    assert_eq!(emulator.renew_subscription(&first, false), Renewal::Canceled { by: CanceledBy::User });

    let (other, _) = subscribe(&emulator, &bot, &mut offset).await;
    assert_eq!(emulator.renew_subscription(&other, true), Renewal::Failed);
    assert_eq!(emulator.renew_subscription(&other, false), Renewal::Ended, "a failed renewal ends it");
    assert_eq!(emulator.transactions().len(), 2, "only the two first payments were charged");
    assert_eq!(emulator.subscriptions().len(), 2);
    // A subscription link's payment is refundable like any other charge.
    bot.refund_star_payment(UserId(USER as u64), TelegramTransactionId(other.clone())).await.expect("refund");
    assert!(!matches!(emulator.pay_link(USER, "https://t.me/$none").await, PayOutcome::Paid { .. }));
}
