//! The sandbox's chat on disk, beside its Redis and its Star ledger (`ledger_file`): the users,
//! every chat with its messages (keyboards, invoices, games, edits), the next message and update
//! ids, invoice links and game scores — so a restarted sandbox shows the same chat.
//!
//! One JSON snapshot, written whole to a temporary file and renamed over the old one (a reader
//! never sees half a file), at most every [`DEBOUNCE`] while the chat changes and once more when
//! the sandbox stops ([`save`] with `clean`). Money comes first: the ledger is appended the
//! moment a transaction happens, so after a `kill -9` the ledger always agrees with Redis (what
//! the bot's records are checked against) while the chat may lack its last [`DEBOUNCE`] (a
//! receipt the page then misses; the payment still shows in the ledger and the player's panel).
//! A snapshot not written at a clean stop moves the message and update ids on by a gap at load,
//! so an id the bot remembers from the lost moments (the live dig message, a journaled update)
//! never names a new message or update.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::Invoice;
use super::state::{Chat, Shared, State, StoredMessage};
use super::wire::{ChatKind, UserInfo};

/// How long a change waits before it is written, so a burst of messages is one write.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(200);
/// How far ids move on after an unclean stop: more than the messages and updates of
/// [`DEBOUNCE`] in one chat.
const MESSAGE_ID_GAP: i64 = 100;
const UPDATE_ID_GAP: i64 = 1000;

/// What the file holds (its own shapes: the emulator's types stay free of serde).
#[derive(Serialize, Deserialize)]
pub(crate) struct Snapshot {
    /// Written at a clean stop (nothing after it was lost).
    clean: bool,
    next_update_id: i64,
    users: Vec<UserRecord>,
    chats: Vec<ChatRecord>,
    invoice_links: HashMap<String, InvoiceRecord>,
    scores: HashMap<String, BTreeMap<i64, i64>>,
}

#[derive(Serialize, Deserialize)]
struct UserRecord {
    id: i64,
    first_name: String,
    username: Option<String>,
    /// Absent in chats saved before languages: English.
    #[serde(default = "english")]
    language_code: String,
}

fn english() -> String {
    "en".to_owned()
}

#[derive(Serialize, Deserialize)]
struct ChatRecord {
    id: i64,
    /// None for a private chat, else the group's title.
    group_title: Option<String>,
    next_message_id: i64,
    messages: Vec<MessageRecord>,
}

#[derive(Serialize, Deserialize)]
struct MessageRecord {
    json: Value,
    from_bot: bool,
    invoice: Option<InvoiceRecord>,
    game_short_name: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct InvoiceRecord {
    title: String,
    description: String,
    payload: String,
    currency: String,
    amount: i64,
    subscription_period: Option<i64>,
}

impl From<&Invoice> for InvoiceRecord {
    fn from(invoice: &Invoice) -> Self {
        Self {
            title: invoice.title.clone(),
            description: invoice.description.clone(),
            payload: invoice.payload.clone(),
            currency: invoice.currency.clone(),
            amount: invoice.amount,
            subscription_period: invoice.subscription_period,
        }
    }
}

impl From<InvoiceRecord> for Invoice {
    fn from(record: InvoiceRecord) -> Self {
        Self {
            title: record.title,
            description: record.description,
            payload: record.payload,
            currency: record.currency,
            amount: record.amount,
            subscription_period: record.subscription_period,
        }
    }
}

impl Snapshot {
    fn of(state: &State, clean: bool) -> Self {
        let users = state.users.values().map(|user| UserRecord {
            id: user.id,
            first_name: user.first_name.clone(),
            username: user.username.clone(),
            language_code: user.language_code.clone(),
        });
        let chats = state.chats.iter().map(|(id, chat)| ChatRecord {
            id: *id,
            group_title: match &chat.kind {
                ChatKind::Private => None,
                ChatKind::Group { title } => Some(title.clone()),
            },
            next_message_id: chat.next_message_id,
            messages: chat.messages.values().map(MessageRecord::of).collect(),
        });
        Self {
            clean,
            next_update_id: state.next_update_id,
            users: users.collect(),
            chats: chats.collect(),
            invoice_links: state.invoice_links.iter().map(|(slug, invoice)| (slug.clone(), invoice.into())).collect(),
            scores: state.scores.clone(),
        }
    }
}

impl MessageRecord {
    fn of(stored: &StoredMessage) -> Self {
        Self {
            json: stored.json.clone(),
            from_bot: stored.from_bot,
            invoice: stored.invoice.as_ref().map(Into::into),
            game_short_name: stored.game_short_name.clone(),
        }
    }
}

impl State {
    /// Takes over the chat a snapshot kept (see the module's note on ids after an unclean stop).
    pub(crate) fn restore_chat(&mut self, snapshot: Snapshot) {
        let (message_gap, update_gap) = if snapshot.clean { (0, 0) } else { (MESSAGE_ID_GAP, UPDATE_ID_GAP) };
        self.next_update_id = self.next_update_id.max(snapshot.next_update_id + update_gap);
        for user in snapshot.users {
            let (first_name, username, language_code) = (user.first_name, user.username, user.language_code);
            let info = UserInfo { id: user.id, first_name, username, language_code };
            self.users.insert(user.id, info);
        }
        for record in snapshot.chats {
            let kind = record.group_title.map_or(ChatKind::Private, |title| ChatKind::Group { title });
            let messages = record.messages.into_iter().map(|message| {
                let stored = StoredMessage {
                    json: message.json,
                    from_bot: message.from_bot,
                    invoice: message.invoice.map(Into::into),
                    game_short_name: message.game_short_name,
                };
                (stored.json["message_id"].as_i64().unwrap_or_default(), stored)
            });
            let chat = Chat {
                kind,
                next_message_id: record.next_message_id + message_gap,
                messages: messages.collect(),
                edits: 0,
            };
            self.chats.insert(record.id, chat);
        }
        self.invoice_links.extend(snapshot.invoice_links.into_iter().map(|(slug, invoice)| (slug, invoice.into())));
        self.scores.extend(snapshot.scores);
    }
}

/// The snapshot in `path`, if there is one.
pub(crate) fn load(path: &Path) -> std::io::Result<Option<Snapshot>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|error| {
        let message = format!("{}: {error} (move it away to start the chat afresh)", path.display());
        std::io::Error::new(std::io::ErrorKind::InvalidData, message)
    })
}

/// Writes the chat as it is now: to `<path>.tmp`, flushed to disk, then renamed over `path`.
pub(crate) fn save(shared: &Shared, path: &Path, clean: bool) -> std::io::Result<()> {
    // Serialized under the lock (a consistent picture), written after it is released.
    let bytes = serde_json::to_vec(&Snapshot::of(&shared.lock(), clean))?;
    let temporary = temporary_path(path);
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes the chat after every change, at most every [`DEBOUNCE`], until aborted.
pub(crate) async fn keep(shared: Arc<Shared>, path: PathBuf) {
    loop {
        // Taken before the snapshot, so a change made while it is written is not missed.
        let changed = shared.changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        let writing = {
            let (shared, path) = (shared.clone(), path.clone());
            tokio::task::spawn_blocking(move || save(&shared, &path, false))
        };
        match writing.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, path = %path.display(), "could not save the sandbox's chat"),
            Err(error) => tracing::error!(%error, "the sandbox's chat writer failed"),
        }
        changed.await;
        tokio::time::sleep(DEBOUNCE).await;
    }
}
