//! A burst of checkouts for benchmarks: many players' pre-checkout queries enqueued under one
//! lock, each answered or given up at Telegram's deadline, with the times each query was
//! enqueued, handed to the bot by getUpdates and answered; approved ones can then be paid.

use std::time::Instant;

use tokio::sync::oneshot;

use super::model::Invoice;
use super::payments::{ask_pre_checkout, charge};
use super::state::State;
use super::Emulator;

/// One player's checkout in a burst: they pay `amount` Stars for the invoice `payload`.
#[derive(Clone, Debug)]
pub struct BurstCheckout {
    pub payer: i64,
    pub payload: String,
    pub amount: i64,
}

/// How one checkout of a burst went.
#[derive(Clone, Debug)]
pub struct BurstAnswer {
    pub payer: i64,
    /// The bot's verdict; None when it did not answer before the deadline.
    pub ok: Option<bool>,
    pub error_message: Option<String>,
    /// When the query was put in the update queue (the same for the whole burst).
    pub enqueued: Instant,
    /// When a getUpdates answer first carried it.
    pub fetched: Option<Instant>,
    /// When the bot's answerPreCheckoutQuery for it arrived.
    pub answered: Option<Instant>,
}

impl Emulator {
    /// Enqueues every checkout's pre_checkout_query at once and waits for each answer up to the
    /// pre-checkout deadline (a query unanswered by then is given up, as Telegram does).
    /// Answers come back in the checkouts' order.
    pub async fn precheckout_burst(&self, checkouts: &[BurstCheckout]) -> Vec<BurstAnswer> {
        let ids: Vec<String> = checkouts.iter().map(|_| State::fresh_id("pcq", 16)).collect();
        self.shared.taps.watch_queries(ids.iter().cloned());
        let enqueued = Instant::now();
        let receivers: Vec<_> = self.shared.change(|state| {
            let asks = checkouts.iter().zip(&ids);
            asks.map(|(checkout, id)| {
                let (answer, receiver) = oneshot::channel();
                ask_pre_checkout(state, id, checkout.payer, &checkout.invoice(), answer);
                receiver
            })
            .collect()
        });
        let deadline = tokio::time::Instant::from_std(enqueued) + self.shared.config.pre_checkout_deadline;
        let answers = futures::future::join_all(
            receivers.into_iter().map(|receiver| async move { tokio::time::timeout_at(deadline, receiver).await }),
        )
        .await;
        // Late answers find no query (the bot gets "query is too old"), as with Telegram.
        self.shared.change(|state| {
            for id in &ids {
                state.pre_checkouts.remove(id);
            }
        });
        let mut times = self.shared.taps.take_queries();
        let mut results = Vec::with_capacity(checkouts.len());
        for ((checkout, id), answer) in checkouts.iter().zip(&ids).zip(answers) {
            let seen = times.remove(id).unwrap_or_default();
            let (ok, error_message) = match answer {
                Ok(Ok(answer)) => (Some(answer.ok), answer.error_message),
                _ => (None, None),
            };
            results.push(BurstAnswer {
                payer: checkout.payer,
                ok,
                error_message,
                enqueued,
                fetched: seen.fetched,
                answered: seen.answered,
            });
        }
        results
    }

    /// Pays a checkout the bot approved in a burst: the charge and its successful_payment in
    /// the payer's private chat, as after an approved [`Emulator::pay_payload`]. Returns the
    /// charge id.
    pub fn pay_checkout(&self, checkout: &BurstCheckout) -> String {
        self.shared.change(|state| charge(state, checkout.payer, checkout.payer, &checkout.invoice()))
    }
}

impl BurstCheckout {
    fn invoice(&self) -> Invoice {
        Invoice {
            title: "Burst".to_owned(),
            description: "Burst".to_owned(),
            payload: self.payload.clone(),
            currency: "XTR".to_owned(),
            amount: self.amount,
            subscription_period: None,
        }
    }
}
