//! The public values of the emulator: its configuration, what tests observe (sent messages,
//! recorded requests, callback answers) and what they ask for (faults, payment outcomes).

use std::time::Duration;

use serde_json::Value;

use super::markup;

/// How an emulator behaves; [`Default`] gives Telegram's numbers.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// The bot token; the part before ':' is the bot's user id.
    pub token: String,
    pub bot_username: String,
    pub bot_first_name: String,
    /// How long a simulated payment waits for answerPreCheckoutQuery (Telegram: 10 s).
    pub pre_checkout_deadline: Duration,
    /// How long a callback query may be answered (Telegram does not document it; 15 s).
    pub callback_answer_deadline: Duration,
    /// The longest a getUpdates long poll is held, whatever `timeout` asks (must stay below
    /// teloxide's 17 s client timeout).
    pub max_poll_hold: Duration,
    /// Whether send limits are on from the start (see [`super::Emulator::enforce_send_limits`]).
    pub send_limits: bool,
    /// Keeps the Star ledger in this file across restarts (the sandbox); None: in memory only.
    pub ledger_file: Option<std::path::PathBuf>,
    /// Keeps the chat (users, messages, ids, invoice links, scores) in this file across
    /// restarts (the sandbox; see `chat_file`); None: in memory only.
    pub chat_file: Option<std::path::PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            token: "123456789:TEST-token_for-the-emulator".to_owned(),
            bot_username: "starmine_test_bot".to_owned(),
            bot_first_name: "Starmine".to_owned(),
            pre_checkout_deadline: Duration::from_secs(10),
            callback_answer_deadline: Duration::from_secs(15),
            max_poll_hold: Duration::from_secs(14),
            send_limits: false,
            ledger_file: None,
            chat_file: None,
        }
    }
}

/// A message the bot has in a chat, as it is now (after edits).
#[derive(Clone, Debug, PartialEq)]
pub struct SentMessage {
    pub message_id: i64,
    pub chat_id: i64,
    /// The text a user sees: `parse_mode` markup already applied.
    pub text: Option<String>,
    pub reply_markup: Option<Value>,
    pub invoice: Option<Invoice>,
    pub game_short_name: Option<String>,
    /// The whole Message object as the emulator returned it to the bot.
    pub raw: Value,
}

impl SentMessage {
    /// Every inline button as (text, callback_data, url), row by row.
    pub fn buttons(&self) -> Vec<(String, Option<String>, Option<String>)> {
        self.reply_markup.as_ref().map(markup::buttons).unwrap_or_default()
    }

    /// The callback data of the first button whose text contains `text_part`.
    pub fn button_data(&self, text_part: &str) -> Option<String> {
        self.buttons().into_iter().find(|(text, _, _)| text.contains(text_part))?.1
    }
}

/// An invoice as the bot created it (the payload is not part of the Message object; the
/// emulator remembers it to pay the invoice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub title: String,
    pub description: String,
    pub payload: String,
    pub currency: String,
    pub amount: i64,
    /// Only invoice links can be subscriptions (2592000 s).
    pub subscription_period: Option<i64>,
}

/// One Bot API call the emulator received with the right token.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// The method name in Telegram's spelling (`sendMessage`; teloxide sends `SendMessage`, and
    /// Telegram matches names case-insensitively); an unknown method stays as sent.
    pub method: String,
    /// The parameters as a JSON object. Form bodies keep scalars as strings and decode values
    /// that look like JSON objects or arrays.
    pub params: Value,
    /// Whether the body was `application/x-www-form-urlencoded` (or query parameters only).
    pub form: bool,
}

/// How a simulated payment ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PayOutcome {
    /// The bot answered the pre-checkout query with ok=true; a successful_payment was enqueued.
    Paid { charge_id: String },
    /// The bot answered ok=false with this message.
    Declined { error_message: String },
    /// The bot did not answer before the deadline; nothing was charged.
    NoAnswer,
    /// A Telegram client could not even start paying (no such invoice message or link).
    Unpayable { reason: String },
}

impl PayOutcome {
    /// The charge id of a paid outcome; panics with the outcome otherwise (for tests).
    pub fn charge_id(&self) -> String {
        match self {
            Self::Paid { charge_id } => charge_id.clone(),
            other => panic!("expected a paid outcome, got {other:?}"),
        }
    }
}

/// A fault injected into the next calls of one method.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Answer 429 with this `retry_after` (the method is not performed).
    TooManyRequests { retry_after: u32 },
    /// Answer this error (the method is not performed). A 5xx makes teloxide's own request path
    /// sleep 10 s (the bot's sends use its outbox, which retries once after 500 ms).
    Error { code: u16, description: String },
    /// Start a 200 answer and abort the body, so the client sees a network error. With
    /// `apply: true` the method is performed first (the bot cannot know that it happened).
    DropConnection { apply: bool },
    /// Wait this long, then perform the method normally.
    Delay(Duration),
}

/// How the bot answered a callback query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallbackAnswer {
    pub text: Option<String>,
    pub show_alert: bool,
    pub url: Option<String>,
}

/// One attempt to deliver an update to the webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub update_id: i64,
    /// The URL POSTed to.
    pub target: String,
    /// The HTTP status, or None when no answer came.
    pub status: Option<u16>,
    /// A 2xx: the update is confirmed.
    pub delivered: bool,
}
