//! Sends that leave the moment Telegram's limits allow (replacing teloxide's `Throttle`, whose
//! worker releases sends in fixed 250 ms passes). [`TgBot`] is what every handler gets: its send
//! methods (`send_message`, `edit_message_text`, `send_invoice`, `send_game`) return a [`Paced`]
//! request that, awaited,
//! 1. takes a place in the bounded outbox (a full outbox makes new sends wait, logged),
//! 2. takes the chat's lane ([`lanes`]): one send per chat at a time, in order, replies first,
//! 3. reserves its slot in the shared budget ([`budget`], skipped with `SEND_LIMITS=off`) and
//!    sleeps exactly as long as the slot is ahead,
//! 4. posts the call ([`wire`]): a 429 holds the chat for `retry_after` and sends again (up to
//!    [`MAX_429`] times); a 5xx or a refused connection is tried once more after
//!    [`TRANSIENT_PAUSE`]; anything else returns to the handler at once.
//!
//! So a failed send holds its chat for at most `TRANSIENT_PAUSE` plus two request times, and a
//! 429 for what Telegram asked. Everything else on `TgBot` (answers to pre-checkout, callback and
//! inline queries, refunds, reads) derefs to the plain `Bot` and never waits on the outbox.

mod budget;
mod lanes;
mod wire;

use std::future::IntoFuture;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use serde::de::DeserializeOwned;
use serde::Serialize;
use teloxide::payloads::{EditMessageText, SendGame, SendInvoice, SendMessage};
use teloxide::requests::{HasPayload, Payload};
use teloxide::types::{ChatId, LabeledPrice, MessageId, Recipient};
use teloxide::{Bot, RequestError};
use tokio::sync::Semaphore;

pub use self::lanes::Priority;
use self::wire::Failure;
use crate::config::SendLimits;
use crate::store::Store;
use crate::telegram::log_gate::LogGate;

/// Sends in the outbox (waiting or on the wire) beyond which new sends wait for room.
pub const OUTBOX_CAPACITY: usize = 20_000;
/// How often 429s in a row are retried before the error goes to the handler.
pub const MAX_429: u32 = 5;
/// The pause before the one retry of a 5xx or a refused connection.
pub const TRANSIENT_PAUSE: Duration = Duration::from_millis(500);

/// The requester handlers use: sends through the outbox, everything else straight to the Bot API.
#[derive(Clone)]
pub struct TgBot {
    outbox: Arc<Outbox>,
}

impl Deref for TgBot {
    type Target = Bot;

    /// Calls that are not sends (query answers, refunds, reads): never paced.
    fn deref(&self) -> &Bot {
        &self.outbox.bot
    }
}

impl TgBot {
    /// Sends through Telegram's limits shared in `store`'s Redis, or (`SendLimits::Off`) with no
    /// limiter but the same order, priorities and retries.
    pub fn new(bot: Bot, limits: SendLimits, store: Store) -> Self {
        let budget = match limits {
            SendLimits::Telegram => Some(budget::Budget::new(store)),
            SendLimits::Off => None,
        };
        let outbox = Outbox {
            bot,
            lanes: lanes::Lanes::default(),
            budget,
            room: Semaphore::new(OUTBOX_CAPACITY),
            full: LogGate::default(),
        };
        Self { outbox: Arc::new(outbox) }
    }

    pub fn send_message(&self, chat: impl Into<Recipient>, text: impl Into<String>) -> Paced<SendMessage> {
        self.paced(SendMessage::new(chat, text))
    }

    pub fn edit_message_text(
        &self,
        chat: impl Into<Recipient>,
        message: MessageId,
        text: impl Into<String>,
    ) -> Paced<EditMessageText> {
        self.paced(EditMessageText::new(chat, message, text))
    }

    pub fn send_invoice(
        &self,
        chat: impl Into<Recipient>,
        title: impl Into<String>,
        description: impl Into<String>,
        payload: impl Into<String>,
        currency: impl Into<String>,
        prices: impl IntoIterator<Item = LabeledPrice>,
    ) -> Paced<SendInvoice> {
        self.paced(SendInvoice::new(chat, title, description, payload, currency, prices))
    }

    pub fn send_game(&self, chat: impl Into<ChatId>, short_name: impl Into<String>) -> Paced<SendGame> {
        self.paced(SendGame::new(chat, short_name))
    }

    /// A call teloxide has no (correct) request for, e.g. `setGameScore`, through the outbox.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        to: Target,
        priority: Priority,
        body: &(impl Serialize + Sync),
    ) -> Result<T, RequestError> {
        self.outbox.deliver(method, &to, priority, body).await
    }

    fn paced<P>(&self, payload: P) -> Paced<P> {
        Paced { outbox: self.outbox.clone(), payload, priority: Priority::Reply }
    }
}

/// Where a send goes, for its lane and budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Chat(Recipient),
    /// An inline message: no chat, only the overall budget.
    Inline,
}

impl Target {
    fn lane(&self) -> Option<String> {
        match self {
            Self::Chat(Recipient::Id(chat)) => Some(chat.0.to_string()),
            Self::Chat(Recipient::ChannelUsername(name)) => Some(name.clone()),
            Self::Inline => None,
        }
    }

    fn chat_id(&self) -> Option<i64> {
        match self {
            Self::Chat(Recipient::Id(chat)) => Some(chat.0),
            Self::Chat(Recipient::ChannelUsername(_)) | Self::Inline => None,
        }
    }
}

/// The payloads the outbox sends, and where each goes.
pub trait Addressed {
    fn target(&self) -> Target;
}

impl Addressed for SendMessage {
    fn target(&self) -> Target {
        Target::Chat(self.chat_id.clone())
    }
}

impl Addressed for EditMessageText {
    fn target(&self) -> Target {
        Target::Chat(self.chat_id.clone())
    }
}

impl Addressed for SendInvoice {
    fn target(&self) -> Target {
        Target::Chat(self.chat_id.clone())
    }
}

impl Addressed for SendGame {
    fn target(&self) -> Target {
        Target::Chat(Recipient::Id(self.chat_id))
    }
}

/// A send, built with teloxide's setters (`.reply_markup(..)`), sent when awaited.
#[must_use = "a send does nothing until awaited"]
pub struct Paced<P> {
    outbox: Arc<Outbox>,
    payload: P,
    priority: Priority,
}

impl<P> Paced<P> {
    /// Something the bot says on its own: it goes after replies waiting for the same chat and
    /// leaves half the overall burst to replies.
    pub fn notice(mut self) -> Self {
        self.priority = Priority::Notice;
        self
    }
}

impl<P: Payload> HasPayload for Paced<P> {
    type Payload = P;

    fn payload_mut(&mut self) -> &mut P {
        &mut self.payload
    }

    fn payload_ref(&self) -> &P {
        &self.payload
    }
}

impl<P> IntoFuture for Paced<P>
where
    P: Payload + Addressed + Serialize + Send + Sync + 'static,
    P::Output: DeserializeOwned + Send,
{
    type Output = Result<P::Output, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let to = self.payload.target();
            self.outbox.deliver(P::NAME, &to, self.priority, &self.payload).await
        })
    }
}

struct Outbox {
    bot: Bot,
    lanes: lanes::Lanes,
    /// None with `SEND_LIMITS=off`.
    budget: Option<budget::Budget>,
    /// The bound on sends in the outbox.
    room: Semaphore,
    full: LogGate,
}

impl Outbox {
    async fn deliver<T: DeserializeOwned>(
        &self,
        method: &str,
        to: &Target,
        priority: Priority,
        body: &(impl Serialize + Sync + ?Sized),
    ) -> Result<T, RequestError> {
        let called = Instant::now();
        let _room = self.room().await;
        let _counted = Counted::new();
        let _lane = match to.lane() {
            Some(lane) => Some(self.lanes.enter(lane, priority).await),
            None => None,
        };
        let (mut too_many, mut transient) = (0, 0);
        loop {
            if let Some(budget) = &self.budget {
                let wait = budget.reserve(to.chat_id(), priority).await;
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            if too_many == 0 && transient == 0 {
                metrics::histogram!("starmine_send_wait_seconds").record(called.elapsed().as_secs_f64());
            }
            let failure = match wire::post(&self.bot, method, body).await {
                Ok(result) => {
                    metrics::counter!("starmine_sends_total", "result" => "sent").increment(1);
                    return Ok(result);
                }
                Err(failure) => failure,
            };
            match failure {
                Failure::TooManyRequests(after) if too_many < MAX_429 => {
                    too_many += 1;
                    metrics::counter!("starmine_send_retries_total", "reason" => "429").increment(1);
                    tracing::warn!(method, target = ?to, retry_after_s = after.seconds(), "Telegram asked to slow down: the chat waits, then the send is retried");
                    tokio::time::sleep(after.duration()).await;
                }
                Failure::Transient(error) if transient == 0 => {
                    transient += 1;
                    metrics::counter!("starmine_send_retries_total", "reason" => "transient").increment(1);
                    tracing::warn!(method, target = ?to, %error, "send failed on Telegram's side: retrying once");
                    tokio::time::sleep(TRANSIENT_PAUSE).await;
                }
                failure => {
                    metrics::counter!("starmine_sends_total", "result" => "failed").increment(1);
                    return Err(failure.into_error());
                }
            }
        }
    }

    /// A place in the outbox; when it is full, waits for one (and says so, once a minute).
    async fn room(&self) -> tokio::sync::SemaphorePermit<'_> {
        if let Ok(permit) = self.room.try_acquire() {
            return permit;
        }
        if let Some(times) = self.full.note() {
            tracing::warn!(
                capacity = OUTBOX_CAPACITY,
                busy_chats = self.lanes.busy_chats(),
                times,
                "the outbox is full: new sends wait for room (Telegram's limits are slower than the bot's replies; \
                 at most one line a minute, `times` since the last)"
            );
        }
        metrics::counter!("starmine_outbox_full_total").increment(1);
        self.room.acquire().await.expect("the outbox semaphore is never closed")
    }
}

/// Keeps `starmine_outbox_sends` (sends waiting or on the wire) true, however a send ends.
struct Counted;

impl Counted {
    fn new() -> Self {
        metrics::gauge!("starmine_outbox_sends").increment(1.0);
        Self
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        metrics::gauge!("starmine_outbox_sends").decrement(1.0);
    }
}
