//! A local Telegram Bot API: an in-process HTTP server speaking the Bot API wire format for the
//! methods Starmine uses, plus a handle through which tests play the users (send text, press
//! buttons, pay, dispute), inject faults and observe what the bot did.
//!
//! Submodules: `server` (HTTP, recording, faults, dispatch), `state` (what is remembered and the
//! lock), `updates`, `messages`, `payments`, `games` (the methods), `markup` and `text`
//! (Telegram's checks of keyboards and parse modes), `limits` (send limits), `model` (the public
//! values), `webhook` (delivery to a webhook), `wire` (parameters, errors, JSON shapes); the
//! test handle's methods are split into this file (lifecycle and fault knobs), `users`
//! (simulated users) and `observe` (observation); `probe` (send and pre-checkout timestamps)
//! and `burst` (many checkouts at once) serve the benchmarks. The sandbox keeps its Star ledger
//! (`ledger_file`) and its chat (`chat_file`) on disk; tests keep everything in memory.

mod burst;
mod chat_file;
mod games;
mod ledger_file;
mod limits;
mod markup;
mod messages;
mod model;
mod observe;
mod payments;
mod probe;
mod server;
mod state;
mod subscriptions;
mod text;
mod updates;
mod users;
mod webhook;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;

pub use burst::{BurstAnswer, BurstCheckout};
pub use model::{
    CallbackAnswer, EmulatorConfig, Fault, Invoice, PayOutcome, RecordedRequest, SentMessage, WebhookDelivery,
};
pub use probe::BotSend;
use state::Shared;
pub use subscriptions::{CanceledBy, Renewal, Subscription};

/// A cheap-to-clone handle on a running emulator. The server stops when the last handle made
/// by [`Emulator::start`] (or a clone of it) is dropped.
#[derive(Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    _server: Arc<ServerTask>,
}

/// Aborts the server's tasks (HTTP, webhook delivery) when the last handle goes.
struct ServerTask(Vec<tokio::task::JoinHandle<()>>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

impl Emulator {
    /// Binds 127.0.0.1 on a free port and serves the Bot API there on the current runtime.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let ledger = config.ledger_file.as_deref().map(ledger_file::LedgerFile::open).transpose()?;
        let chat = config.chat_file.as_deref().map(chat_file::load).transpose()?.flatten();
        let chat_path = config.chat_file.clone();
        let shared = Shared::new(config);
        if let Some((file, transactions)) = ledger {
            shared.change(|state| state.restore_ledger(file, transactions));
        }
        if let Some(snapshot) = chat {
            shared.change(|state| state.restore_chat(snapshot));
        }
        let app = server::router(shared.clone());
        // Without TCP_NODELAY an answer written in two parts (head, then body) waits for the
        // client's delayed ACK of the first: ~40 ms on Linux, which Telegram does not add.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "Bot API emulator: cannot set TCP_NODELAY");
            }
        });
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "Bot API emulator stopped");
            }
        });
        let delivery = tokio::spawn(webhook::run(shared.clone()));
        let mut tasks = vec![task, delivery];
        // Restored first: the writer's first snapshot is the chat as it was.
        tasks.extend(chat_path.map(|path| tokio::spawn(chat_file::keep(shared.clone(), path))));
        Ok(Self { shared, addr, _server: Arc::new(ServerTask(tasks)) })
    }

    /// Writes the chat to its file now, marked as a clean stop (the sandbox calls it as it
    /// stops); nothing without a chat file.
    pub fn save_chat(&self) -> std::io::Result<()> {
        match &self.shared.config.chat_file {
            Some(path) => chat_file::save(&self.shared, path, true),
            None => Ok(()),
        }
    }

    /// The Bot API routes (`/bot<token>/<method>`) on the same state, to mount elsewhere.
    pub fn router(&self) -> axum::Router {
        server::router(self.shared.clone())
    }

    /// The base URL for `TELOXIDE_API_URL`, e.g. `http://127.0.0.1:40123`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    /// The bot's user id (the number before ':' in the token).
    pub fn bot_id(&self) -> i64 {
        self.shared.lock().bot_user["id"].as_i64().unwrap_or_default()
    }

    /// While on, every enqueued update is followed by an identical copy under the next
    /// update_id: what the bot sees when Telegram redelivers after a lost offset. (Repeating the
    /// same update_id would only test teloxide's offset bookkeeping, not the bot's idempotency.)
    pub fn deliver_twice(&self, enabled: bool) {
        self.shared.change(|state| state.deliver_twice = enabled);
    }

    /// The next `times` updates of `kind` (e.g. "message") are lost: never delivered.
    pub fn lose_updates(&self, kind: &str, times: u32) {
        self.shared.change(|state| *state.lose.entry(kind.to_owned()).or_default() += times);
    }

    /// The next `times` calls of `method` get `fault`.
    pub fn fault(&self, method: &str, fault: Fault, times: u32) {
        self.shared.change(|state| {
            let queue = state.faults.entry(method.to_ascii_lowercase()).or_default();
            queue.extend(std::iter::repeat_n(fault, times as usize));
        });
    }

    /// Turns Telegram's send limits on or off (per chat ~1/s with a burst of 3, 20/min per
    /// group, 30/s overall); refused sends get 429 with retry_after.
    pub fn enforce_send_limits(&self, on: bool) {
        self.shared.change(|state| state.limits.enabled = on);
    }

    /// `user` blocks (or unblocks) the bot: sends to them get 403.
    pub fn set_blocked(&self, user: i64, blocked: bool) {
        self.shared.change(|state| match blocked {
            true => state.blocked.insert(user),
            false => state.blocked.remove(&user),
        });
    }
}
