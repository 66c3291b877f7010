//! Timestamps for benchmarks (`starmine bench`): each message the bot sends as it is stored,
//! when each watched pre-checkout query was first handed out by getUpdates and when the bot
//! answered it, and how many sends the send limits refused with 429. Each part is off until a
//! benchmark turns it on; the server reports every answered call here (one short lock).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::mpsc;

use super::wire::ApiResult;
use super::Emulator;

/// One message the bot sent (sendMessage, sendInvoice, sendGame), as the emulator stored it.
#[derive(Clone, Debug)]
pub struct BotSend {
    /// The method in Telegram's spelling.
    pub method: String,
    pub chat: i64,
    pub message_id: i64,
    /// When the emulator stored it, just before answering the call.
    pub at: Instant,
}

/// When a watched pre-checkout query left the emulator and when its answer came back.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct QueryTimes {
    /// The first getUpdates answer that carried it.
    pub fetched: Option<Instant>,
    /// When the bot's answerPreCheckoutQuery for it arrived.
    pub answered: Option<Instant>,
}

/// What the probes hold. Lock choice: a std mutex, like the state's: a few map operations per
/// Bot API call, never held across an `.await`; apart from the state's lock so that observing
/// does not lengthen the critical sections the bot's calls wait on.
#[derive(Default)]
pub(crate) struct Taps(Mutex<TapState>);

#[derive(Default)]
struct TapState {
    sends: Option<mpsc::UnboundedSender<BotSend>>,
    /// Watched pre-checkout query ids; None while nobody watches.
    queries: Option<HashMap<String, QueryTimes>>,
    /// Sends answered 429 by the send limits (faults injected with `fault` are not counted).
    limit_refusals: u64,
}

impl Taps {
    fn lock(&self) -> MutexGuard<'_, TapState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Watches these pre-checkout query ids (replacing any watched before).
    pub fn watch_queries(&self, ids: impl IntoIterator<Item = String>) {
        self.lock().queries = Some(ids.into_iter().map(|id| (id, QueryTimes::default())).collect());
    }

    /// Stops watching and returns what was seen.
    pub fn take_queries(&self) -> HashMap<String, QueryTimes> {
        self.lock().queries.take().unwrap_or_default()
    }

    /// Called as the bot's answer to pre-checkout query `id` is handed to the paying side.
    pub fn answered(&self, id: &str) {
        let now = Instant::now();
        if let Some(times) = self.lock().queries.as_mut().and_then(|queries| queries.get_mut(id)) {
            times.answered.get_or_insert(now);
        }
    }

    /// Called by the server with every method call it performed and its result.
    pub fn observe(&self, method: &str, result: &ApiResult) {
        let now = Instant::now();
        let mut taps = self.lock();
        let value = match result {
            Ok(value) => value,
            Err(error) => {
                if error.code == 429 {
                    taps.limit_refusals += 1;
                }
                return;
            }
        };
        match method {
            "getUpdates" => {
                let Some(queries) = taps.queries.as_mut() else { return };
                let ids = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|update| update.get("pre_checkout_query")?.get("id")?.as_str().map(str::to_owned));
                for id in ids {
                    if let Some(times) = queries.get_mut(&id) {
                        times.fetched.get_or_insert(now);
                    }
                }
            }
            "sendMessage" | "sendInvoice" | "sendGame" => {
                let Some(sends) = taps.sends.as_ref() else { return };
                let chat = value["chat"]["id"].as_i64().unwrap_or_default();
                let message_id = value["message_id"].as_i64().unwrap_or_default();
                let send = BotSend { method: method.to_owned(), chat, message_id, at: now };
                if sends.send(send).is_err() {
                    taps.sends = None;
                }
            }
            _ => {}
        }
    }
}

impl Emulator {
    /// Every message the bot sends from now on, in the order they were stored (one receiver:
    /// a second call replaces the first). Dropping the receiver turns the tap off.
    pub fn tap_sends(&self) -> mpsc::UnboundedReceiver<BotSend> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.shared.taps.lock().sends = Some(sender);
        receiver
    }

    /// How many sends the send limits refused with 429 since the emulator started.
    pub fn limit_refusals(&self) -> u64 {
        self.shared.taps.lock().limit_refusals
    }
}
