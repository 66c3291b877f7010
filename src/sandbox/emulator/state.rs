//! Everything the emulator remembers (users, chats and their messages, the update queue,
//! pending queries, invoices, charges, scores, recorded requests, faults) and the shared cell
//! that holds it.
//!
//! Lock choice: one `std::sync::Mutex` around the whole [`State`]. Every critical section is a
//! few map operations with no I/O, so a blocking mutex is cheaper than an async one, and one lock
//! keeps multi-part changes (a payment touches the charge table, the ledger and the update queue)
//! atomic. It is never held across an `.await`: waiters take a `Notify` ticket, check under the
//! lock, drop the guard, then await.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use rand::distr::{Alphanumeric, SampleString};
use serde_json::{json, Map, Value};
use tokio::sync::{oneshot, watch, Notify};

use super::limits::SendLimits;
use super::model::{CallbackAnswer, EmulatorConfig, Fault, Invoice, RecordedRequest, SentMessage};
use super::payments::{Charge, PreCheckoutAnswer, Transaction};
use super::probe::Taps;
use super::wire::{chat_json, unix_now, ApiError, ChatKind, UserInfo};

/// What the emulator shares between the HTTP handlers and the test handle.
pub(crate) struct Shared {
    pub config: EmulatorConfig,
    state: Mutex<State>,
    /// Woken on every state change: long polls and `wait_for` re-check their condition.
    pub changed: Notify,
    /// Counts the state changes, for watchers that must not miss one between two looks (the
    /// sandbox page's event stream).
    pub changes: watch::Sender<u64>,
    /// Woken on every recorded request.
    pub requests_changed: Notify,
    /// Benchmark timestamps (see `probe`); kept apart from the state's lock.
    pub taps: Taps,
}

impl Shared {
    pub fn new(config: EmulatorConfig) -> Arc<Self> {
        let state = State::new(&config);
        Arc::new(Self {
            config,
            state: Mutex::new(state),
            changed: Notify::new(),
            changes: watch::Sender::new(0),
            requests_changed: Notify::new(),
            taps: Taps::default(),
        })
    }

    /// Reads (or changes without waking anyone) the state. A panic elsewhere while locked
    /// leaves the data usable, so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes the state, then wakes every waiter to re-check.
    pub fn change<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        let result = change(&mut self.lock());
        self.changed.notify_waiters();
        self.changes.send_modify(|count| *count += 1);
        result
    }
}

/// One message in a chat: its Message object plus what the object does not show.
#[derive(Clone, Debug)]
pub(crate) struct StoredMessage {
    pub json: Value,
    pub from_bot: bool,
    pub invoice: Option<Invoice>,
    pub game_short_name: Option<String>,
}

impl StoredMessage {
    pub fn to_sent(&self) -> SentMessage {
        let field = |name: &str| self.json.get(name).filter(|value| !value.is_null());
        SentMessage {
            message_id: field("message_id").and_then(Value::as_i64).unwrap_or_default(),
            chat_id: self.json["chat"]["id"].as_i64().unwrap_or_default(),
            text: field("text").and_then(Value::as_str).map(str::to_owned),
            reply_markup: field("reply_markup").cloned(),
            invoice: self.invoice.clone(),
            game_short_name: self.game_short_name.clone(),
            raw: self.json.clone(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Chat {
    pub kind: ChatKind,
    pub next_message_id: i64,
    pub messages: BTreeMap<i64, StoredMessage>,
    /// Bumped by every edit or deletion (a new message bumps `next_message_id`).
    pub edits: u64,
}

#[derive(Debug)]
pub(crate) struct PendingCallback {
    pub created: Instant,
    pub answer: Option<CallbackAnswer>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Webhook {
    pub url: String,
    pub secret: Option<String>,
    pub max_connections: u32,
}

/// Update kinds Telegram leaves out when allowed_updates is empty.
const OPT_IN_UPDATES: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

pub(crate) struct State {
    pub bot_user: Value,
    pub users: HashMap<i64, UserInfo>,
    pub chats: HashMap<i64, Chat>,
    pub blocked: HashSet<i64>,
    /// Unconfirmed updates, ascending by update_id.
    pub updates: VecDeque<Value>,
    pub next_update_id: i64,
    pub allowed_updates: Option<Vec<String>>,
    /// Bumped by every getUpdates; an older poll still waiting answers 409.
    pub poll_generation: u64,
    pub webhook: Option<Webhook>,
    pub deliveries: super::webhook::Deliveries,
    pub commands: HashMap<String, Value>,
    pub callbacks: HashMap<String, PendingCallback>,
    /// Inline query id -> the results the bot answered with.
    pub inline_answers: HashMap<String, Value>,
    pub pre_checkouts: HashMap<String, oneshot::Sender<PreCheckoutAnswer>>,
    pub invoice_links: HashMap<String, Invoice>,
    pub charges: HashMap<String, Charge>,
    /// Star subscriptions by their first charge id.
    pub subscriptions: HashMap<String, super::subscriptions::Subscription>,
    pub transactions: Vec<Transaction>,
    /// Where the ledger is kept across restarts (the sandbox); None keeps it in memory only.
    pub ledger_file: Option<super::ledger_file::LedgerFile>,
    /// High scores per game table ("chat:<id>:<game>" or "inline:<id>"), user -> score.
    pub scores: HashMap<String, BTreeMap<i64, i64>>,
    pub requests: Vec<RecordedRequest>,
    pub faults: HashMap<String, VecDeque<Fault>>,
    pub deliver_twice: bool,
    /// Update kind -> how many of the next ones are lost.
    pub lose: HashMap<String, u32>,
    pub limits: SendLimits,
}

impl State {
    fn new(config: &EmulatorConfig) -> Self {
        let bot_id = config.token.split(':').next().and_then(|id| id.parse::<i64>().ok()).unwrap_or(1);
        Self {
            bot_user: json!({
                "id": bot_id,
                "is_bot": true,
                "first_name": config.bot_first_name,
                "username": config.bot_username,
            }),
            users: HashMap::new(),
            chats: HashMap::new(),
            blocked: HashSet::new(),
            updates: VecDeque::new(),
            next_update_id: 1,
            allowed_updates: None,
            poll_generation: 0,
            webhook: None,
            deliveries: Default::default(),
            commands: HashMap::new(),
            callbacks: HashMap::new(),
            inline_answers: HashMap::new(),
            pre_checkouts: HashMap::new(),
            invoice_links: HashMap::new(),
            charges: HashMap::new(),
            subscriptions: HashMap::new(),
            transactions: Vec::new(),
            ledger_file: None,
            scores: HashMap::new(),
            requests: Vec::new(),
            faults: HashMap::new(),
            deliver_twice: false,
            lose: HashMap::new(),
            limits: SendLimits::new(config.send_limits),
        }
    }

    /// A simulated user, created with default names on first use.
    pub fn user(&mut self, id: i64) -> &UserInfo {
        self.users.entry(id).or_insert_with(|| UserInfo::simulated(id))
    }

    /// Opens the private chat of `user` (as pressing Start would).
    pub fn open_private(&mut self, user: i64) {
        self.user(user);
        self.chats.entry(user).or_insert_with(|| Chat::new(ChatKind::Private));
    }

    pub fn open_group(&mut self, chat: i64) {
        let title = format!("Group {}", chat.unsigned_abs());
        self.chats.entry(chat).or_insert_with(|| Chat::new(ChatKind::Group { title }));
    }

    pub fn chat_json(&self, chat: i64) -> Value {
        let kind = self.chats.get(&chat).map_or(ChatKind::Private, |known| known.kind.clone());
        chat_json(chat, &kind, self.users.get(&chat))
    }

    /// A fresh random id such as `stxK3v...` (charge ids, query ids, link slugs).
    pub fn fresh_id(prefix: &str, length: usize) -> String {
        format!("{prefix}{}", Alphanumeric.sample_string(&mut rand::rng(), length))
    }

    /// Stores a message the bot sends: the chat must exist and must not have blocked the bot.
    pub fn bot_message(&mut self, chat: i64, fields: Map<String, Value>) -> Result<&mut StoredMessage, ApiError> {
        if !self.chats.contains_key(&chat) {
            return Err(ApiError::chat_not_found());
        }
        if self.blocked.contains(&chat) {
            return Err(ApiError::forbidden("bot was blocked by the user"));
        }
        let from = self.bot_user.clone();
        Ok(self.store_message(chat, from, fields, true))
    }

    /// Stores a message `user` sends in `chat` and enqueues it as a `message` update.
    pub fn user_message(&mut self, chat: i64, user: i64, fields: Map<String, Value>) -> i64 {
        let from = self.user(user).to_json();
        let stored = self.store_message(chat, from, fields, false);
        let json = stored.json.clone();
        let message_id = json["message_id"].as_i64().unwrap_or_default();
        self.enqueue("message", json);
        message_id
    }

    fn store_message(
        &mut self,
        chat: i64,
        from: Value,
        fields: Map<String, Value>,
        from_bot: bool,
    ) -> &mut StoredMessage {
        let chat_object = self.chat_json(chat);
        let known = self.chats.entry(chat).or_insert_with(|| Chat::new(ChatKind::Private));
        let message_id = known.next_message_id;
        known.next_message_id += 1;
        let mut json = json!({
            "message_id": message_id,
            "date": unix_now(),
            "chat": chat_object,
            "from": from,
        });
        if let Value::Object(object) = &mut json {
            object.extend(fields);
        }
        let stored = StoredMessage { json, from_bot, invoice: None, game_short_name: None };
        known.messages.entry(message_id).or_insert(stored)
    }

    /// A message to edit (counted as an edit of its chat).
    pub fn message_mut(&mut self, chat: i64, message_id: i64) -> Option<&mut StoredMessage> {
        let known = self.chats.get_mut(&chat)?;
        let message = known.messages.get_mut(&message_id)?;
        known.edits += 1;
        Some(message)
    }

    pub fn bot_messages(&self, chat: i64) -> Vec<SentMessage> {
        let Some(known) = self.chats.get(&chat) else {
            return Vec::new();
        };
        known.messages.values().filter(|stored| stored.from_bot).map(StoredMessage::to_sent).collect()
    }

    /// Enqueues `{update_id, kind: body}` unless allowed_updates filters it out or a loss was
    /// asked for; with `deliver_twice` on, a copy follows under the next update_id (what a
    /// redelivery looks like to a bot that lost its offset). Returns the first update_id.
    pub fn enqueue(&mut self, kind: &str, body: Value) -> Option<i64> {
        if !self.allows(kind) {
            return None;
        }
        if let Some(remaining) = self.lose.get_mut(kind).filter(|remaining| **remaining > 0) {
            *remaining -= 1;
            return None;
        }
        let copies = if self.deliver_twice { 2 } else { 1 };
        let first = self.next_update_id;
        for _ in 0..copies {
            let mut update = Map::new();
            update.insert("update_id".to_owned(), json!(self.next_update_id));
            update.insert(kind.to_owned(), body.clone());
            self.updates.push_back(Value::Object(update));
            self.next_update_id += 1;
        }
        Some(first)
    }

    /// Enqueues a raw update as given, bypassing filters; only `update_id` is set.
    pub fn inject(&mut self, raw: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        let update = match raw {
            Value::Object(mut object) => {
                object.insert("update_id".to_owned(), json!(id));
                Value::Object(object)
            }
            other => json!({ "update_id": id, "raw": other }),
        };
        self.updates.push_back(update);
        id
    }

    fn allows(&self, kind: &str) -> bool {
        match self.allowed_updates.as_deref() {
            Some(allowed) if !allowed.is_empty() => allowed.iter().any(|name| name == kind),
            _ => !OPT_IN_UPDATES.contains(&kind),
        }
    }

    /// Takes the next injected fault for `method` (lower case), if any.
    pub fn next_fault(&mut self, method: &str) -> Option<Fault> {
        self.faults.get_mut(method)?.pop_front()
    }

    pub fn star_balance(&self) -> i64 {
        self.transactions.iter().map(|entry| if entry.incoming { entry.amount } else { -entry.amount }).sum()
    }
}

impl Chat {
    fn new(kind: ChatKind) -> Self {
        Self { kind, next_message_id: 1, messages: BTreeMap::new(), edits: 0 }
    }
}
