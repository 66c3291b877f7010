//! Runs every update's handler in its lane ([`super::lane`]): a chat's updates one after another
//! in the order they came, every query (and anything without a chat) at once in a task of its
//! own. How many run at once is intake's bound (`intake::InFlight`).
//!
//! Ours, not teloxide's `Dispatcher`: whenever that one has more workers than it ever had busy at
//! once, it removes the idle ones and waits for each to end; a worker that has just taken an
//! update but not yet marked itself busy counts as idle, so the dispatcher waits for that whole
//! handler — and no lane gets an update meanwhile. With a reply waiting seconds for its chat's
//! send budget, every pre-checkout then waited as long (seen in `bench purchase-flow`'s limited
//! phase: 14 of 300 checkouts unanswered within Telegram's 10 s). Here a chat's worker leaves
//! under the same lock that hands out updates, and only with an empty queue: nothing waits for a
//! worker, and no update reaches one that is gone.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures::{Stream, StreamExt};
use teloxide::dispatching::UpdateHandler;
use teloxide::dptree::di::DependencyMap;
use teloxide::types::{ChatId, Update, UpdateKind};
use tokio::sync::mpsc;

use super::{lane, HandlerError};

/// What every worker shares. Lock choice: a std mutex around the chat map, held for a lookup,
/// an insert or a removal, never across an `.await`.
struct Shared {
    chats: Mutex<HashMap<ChatId, mpsc::UnboundedSender<Update>>>,
    handler: UpdateHandler<HandlerError>,
    deps: DependencyMap,
}

impl Shared {
    fn chats(&self) -> MutexGuard<'_, HashMap<ChatId, mpsc::UnboundedSender<Update>>> {
        self.chats.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Hands every update of `updates` to its lane until the stream ends, then waits until every
/// handler has finished. `deps` are what handlers take besides the update.
pub async fn run(updates: impl Stream<Item = Update>, handler: UpdateHandler<HandlerError>, deps: DependencyMap) {
    // Every worker holds a clone of `alive`: once the last is dropped, all have finished.
    let (alive, mut finished) = mpsc::channel::<()>(1);
    let shared = Arc::new(Shared { chats: Mutex::default(), handler, deps });
    let mut updates = std::pin::pin!(updates);
    while let Some(update) = updates.next().await {
        match lane(&update) {
            Some(chat) => to_chat(&shared, chat, update, &alive),
            None => {
                let (shared, alive) = (shared.clone(), alive.clone());
                tokio::spawn(async move {
                    handle(&shared, update).await;
                    drop(alive);
                });
            }
        }
    }
    drop(alive);
    let _ = finished.recv().await;
}

/// Queues `update` for its chat's worker, starting one when the chat has none.
fn to_chat(shared: &Arc<Shared>, chat: ChatId, update: Update, alive: &mpsc::Sender<()>) {
    let mut chats = shared.chats();
    // A worker in the map has not left (it leaves under this lock), so its queue is open.
    let update = match chats.get(&chat) {
        Some(queue) => match queue.send(update) {
            Ok(()) => return,
            Err(mpsc::error::SendError(update)) => update,
        },
        None => update,
    };
    let (queue, updates) = mpsc::unbounded_channel();
    let _ = queue.send(update);
    chats.insert(chat, queue);
    drop(chats);
    tokio::spawn(chat_worker(shared.clone(), chat, updates, alive.clone()));
}

/// Handles a chat's updates in order; leaves once its queue is empty.
async fn chat_worker(
    shared: Arc<Shared>,
    chat: ChatId,
    mut updates: mpsc::UnboundedReceiver<Update>,
    _alive: mpsc::Sender<()>,
) {
    loop {
        let update = match updates.try_recv() {
            Ok(update) => update,
            Err(_) => {
                let mut chats = shared.chats();
                // Checked again under the lock that senders hold: nothing can come in between.
                match updates.try_recv() {
                    Ok(update) => update,
                    Err(_) => {
                        chats.remove(&chat);
                        return;
                    }
                }
            }
        };
        handle(&shared, update).await;
    }
}

async fn handle(shared: &Shared, update: Update) {
    let id = update.id.0;
    let sent_at = sent_at(&update);
    let mut deps = shared.deps.clone();
    deps.insert(update);
    match shared.handler.dispatch(deps).await {
        ControlFlow::Break(Ok(())) => {}
        ControlFlow::Break(Err(error)) => tracing::error!(update_id = id, "an update handler failed: {error:?}"),
        ControlFlow::Continue(_) => tracing::debug!(update_id = id, "update with nothing to do"),
    }
    if let Some(sent_at) = sent_at {
        let lag = (chrono::Utc::now() - sent_at).to_std().unwrap_or_default();
        metrics::histogram!("starmine_update_lag_seconds").record(lag.as_secs_f64());
    }
}

/// When Telegram says the update's message was sent (only messages carry a date: a button press
/// or a query does not).
fn sent_at(update: &Update) -> Option<chrono::DateTime<chrono::Utc>> {
    match &update.kind {
        UpdateKind::Message(message) => Some(message.date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use serde_json::json;
    use teloxide::dptree;
    use teloxide::types::UpdateKind;

    use super::*;

    fn text(id: u64, chat: i64, text: &str) -> Update {
        let raw = json!({ "update_id": id, "message": {
            "message_id": id, "date": 1_700_000_000,
            "chat": { "id": chat, "type": "private", "first_name": "A" },
            "from": { "id": chat, "is_bot": false, "first_name": "A" },
            "text": text,
        }});
        serde_json::from_str(&raw.to_string()).expect("a message")
    }

    fn query(id: u64) -> Update {
        let raw = json!({ "update_id": id, "pre_checkout_query": {
            "id": format!("q{id}"), "from": { "id": 7, "is_bot": false, "first_name": "A" },
            "currency": "XTR", "total_amount": 5, "invoice_payload": "crate.abc",
        }});
        serde_json::from_str(&raw.to_string()).expect("a pre-checkout query")
    }

    /// The ids of the updates the handler below finished, in the order it finished them.
    type Seen = Arc<Mutex<Vec<u64>>>;

    /// Records every update it finishes; "/slow" takes 300 ms.
    fn recording(seen: Seen) -> UpdateHandler<HandlerError> {
        dptree::entry().endpoint(move |update: Update| {
            let seen = seen.clone();
            async move {
                let slow = matches!(&update.kind, UpdateKind::Message(message) if message.text() == Some("/slow"));
                if slow {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                seen.lock().unwrap().push(update.id.0.into());
                Ok(())
            }
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_chat_keeps_its_order_and_nothing_waits_behind_a_slow_handler_of_another_chat() {
        let seen: Seen = Arc::default();
        let updates =
            vec![text(1, 10, "/slow"), text(2, 10, "/after"), text(3, 20, "/quick"), query(4), text(5, 20, "/quick")];
        let started = std::time::Instant::now();
        let (tx, rx) = mpsc::unbounded_channel();
        for update in updates {
            tx.send(update).unwrap();
        }
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|u| (u, rx)) });
        let watcher = {
            let seen = seen.clone();
            tokio::spawn(async move {
                // Well before the slow handler ends, the other chat and the query are done.
                tokio::time::sleep(Duration::from_millis(150)).await;
                seen.lock().unwrap().clone()
            })
        };
        drop(tx);
        run(stream, recording(seen.clone()), DependencyMap::new()).await;
        let early = watcher.await.unwrap();
        let mut quick = early.clone();
        quick.sort_unstable();
        assert_eq!(quick, [3, 4, 5], "nothing waited behind chat 10's slow handler: {early:?}");
        let all = seen.lock().unwrap().clone();
        let chat_10: Vec<u64> = all.iter().copied().filter(|id| *id <= 2).collect();
        assert_eq!(chat_10, [1, 2], "a chat's updates in the order they came");
        assert_eq!(all.len(), 5, "run returns once every handler has finished");
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    /// Chats whose workers come and go many times: every update handled exactly once, in order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn workers_that_leave_and_come_back_lose_nothing() {
        let count = Arc::new(AtomicUsize::new(0));
        let order: Arc<Mutex<HashMap<i64, Vec<u64>>>> = Arc::default();
        let handler: UpdateHandler<HandlerError> = {
            let (count, order) = (count.clone(), order.clone());
            dptree::entry().endpoint(move |update: Update| {
                let (count, order) = (count.clone(), order.clone());
                async move {
                    tokio::task::yield_now().await;
                    let chat = update.chat().map(|chat| chat.id.0).unwrap_or_default();
                    order.lock().unwrap().entry(chat).or_default().push(update.id.0.into());
                    count.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                }
            })
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|u| (u, rx)) });
        let feeder = tokio::spawn(async move {
            for id in 0..2_000_u64 {
                tx.send(text(id, (id % 7) as i64 + 1, "/x")).unwrap();
                if id % 50 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        });
        run(stream, handler, DependencyMap::new()).await;
        feeder.await.unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2_000);
        for (chat, ids) in order.lock().unwrap().iter() {
            assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "chat {chat} out of order");
        }
    }
}
