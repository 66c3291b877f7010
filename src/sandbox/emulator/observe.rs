//! What tests observe: the bot's messages, the requests it made, the Star ledger, and bounded
//! waits on each.

use std::time::Duration;

use serde_json::{json, Value};

use super::model::{RecordedRequest, SentMessage};
use super::Emulator;

impl Emulator {
    /// The bot's messages in `chat` as they are now (after edits and deletes), oldest first.
    pub fn messages(&self, chat: i64) -> Vec<SentMessage> {
        self.shared.lock().bot_messages(chat)
    }

    /// Every message in `chat`, the user's and the bot's, oldest first: `(from_bot, message)`.
    /// (The sandbox page shows the whole conversation.)
    pub fn transcript(&self, chat: i64) -> Vec<(bool, SentMessage)> {
        let state = self.shared.lock();
        let Some(known) = state.chats.get(&chat) else { return Vec::new() };
        known.messages.values().map(|stored| (stored.from_bot, stored.to_sent())).collect()
    }

    /// One message of the bot.
    pub fn message(&self, chat: i64, message_id: i64) -> Option<SentMessage> {
        self.messages(chat).into_iter().find(|message| message.message_id == message_id)
    }

    /// Waits until the bot has a message in `chat` matching `pred` and returns the newest such
    /// one; on timeout the error lists the chat's messages.
    pub async fn wait_for(
        &self,
        chat: i64,
        timeout: Duration,
        pred: impl Fn(&SentMessage) -> bool,
    ) -> Result<SentMessage, String> {
        let found = self.wait_until(timeout, || self.messages(chat).into_iter().rev().find(|message| pred(message)));
        found.await.ok_or_else(|| {
            let listing: Vec<String> = self.messages(chat).iter().map(describe).collect();
            format!("no matching message in chat {chat} after {timeout:?}; the bot's messages:\n{}", listing.join("\n"))
        })
    }

    /// How far `chat` has come: its next message id (bumped by every new message) and its
    /// count of edits and deletions. The sandbox's event stream compares them.
    pub fn chat_revision(&self, chat: i64) -> (i64, u64) {
        let state = self.shared.lock();
        state.chats.get(&chat).map_or((1, 0), |known| (known.next_message_id, known.edits))
    }

    /// How many transactions the Star ledger holds.
    pub fn ledger_len(&self) -> usize {
        self.shared.lock().transactions.len()
    }

    /// Sees every later state change (its value counts them); closed when the emulator stops.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.shared.changes.subscribe()
    }

    /// Every user the emulator knows by id, with their first name (the sandbox's users after a
    /// restart).
    pub fn users(&self) -> Vec<(i64, String)> {
        let state = self.shared.lock();
        let mut users: Vec<(i64, String)> =
            state.users.values().map(|user| (user.id, user.first_name.clone())).collect();
        users.sort();
        users
    }

    /// Every Bot API call received with the right token, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    pub fn request_count(&self) -> usize {
        self.shared.lock().requests.len()
    }

    /// Waits for a request after the first `after` ones that matches `pred`.
    pub async fn wait_for_request(
        &self,
        after: usize,
        timeout: Duration,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> Result<RecordedRequest, String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.requests_changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let found = self.shared.lock().requests.iter().skip(after).find(|request| pred(request)).cloned();
            if let Some(request) = found {
                return Ok(request);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let methods: Vec<String> = self.requests().into_iter().skip(after).map(|r| r.method).collect();
                return Err(format!("no matching request after {timeout:?}; received: {methods:?}"));
            }
        }
    }

    /// Star transactions as getStarTransactions returns them, oldest first.
    pub fn transactions(&self) -> Vec<Value> {
        let state = self.shared.lock();
        state.transactions.iter().map(|entry| entry.to_json(&state.users)).collect()
    }

    pub fn star_balance(&self) -> i64 {
        self.shared.lock().star_balance()
    }

    pub fn is_refunded(&self, charge_id: &str) -> bool {
        self.shared.lock().charges.get(charge_id).is_some_and(|charge| charge.refunded)
    }

    /// Updates enqueued and not yet confirmed by a getUpdates offset.
    pub fn pending_updates(&self) -> Vec<Value> {
        self.shared.lock().updates.iter().cloned().collect()
    }

    /// The allowed_updates last given to getUpdates or setWebhook.
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.shared.lock().allowed_updates.clone()
    }

    /// The webhook URL, if the bot set one.
    pub fn webhook_url(&self) -> Option<String> {
        self.shared.lock().webhook.as_ref().map(|hook| hook.url.clone())
    }

    /// The bot's commands for the default scope and no language, as (command, description).
    pub fn commands(&self) -> Vec<(String, String)> {
        self.commands_in("")
    }

    /// The bot's commands for the default scope and `language_code` (`""`: no language).
    pub fn commands_in(&self, language_code: &str) -> Vec<(String, String)> {
        let key = format!("{}|{language_code}", json!({ "type": "default" }));
        let state = self.shared.lock();
        let list = state.commands.get(&key).and_then(Value::as_array).cloned().unwrap_or_default();
        let field = |entry: &Value, name: &str| entry.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
        list.iter().map(|entry| (field(entry, "command"), field(entry, "description"))).collect()
    }

    /// Polls `check` on every state change until it gives a value or `timeout` passes.
    async fn wait_until<T>(&self, timeout: Duration, check: impl Fn() -> Option<T>) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(value) = check() {
                return Some(value);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return check();
            }
        }
    }
}

fn describe(message: &SentMessage) -> String {
    let body = match (&message.text, &message.invoice, &message.game_short_name) {
        (Some(text), _, _) => format!("{text:?}"),
        (_, Some(invoice), _) => format!("invoice {:?} for {} {}", invoice.title, invoice.amount, invoice.currency),
        (_, _, Some(game)) => format!("game {game}"),
        _ => message.raw.to_string(),
    };
    format!("  #{} {body} buttons={:?}", message.message_id, message.buttons())
}
