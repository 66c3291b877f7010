//! One lane per chat: a chat's sends leave one at a time, in the order they were made, except that
//! a reply to a player's own action goes before notices waiting for the same chat.
//!
//! One `std::sync::Mutex` over the map of busy chats: it is held only to look up and hand over
//! (never across an `.await`), and a chat's entry exists exactly while some send holds its lane,
//! so there is no per-chat lock to race with the map's clean-up.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

/// Which sends go first in a chat and for the overall budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    /// The answer to something the player just did.
    Reply,
    /// Something the bot has to say on its own (a boost ended, a refund settled, a report).
    Notice,
}

/// Sends waiting for a busy chat, by priority.
#[derive(Default)]
struct Waiting {
    replies: VecDeque<oneshot::Sender<()>>,
    notices: VecDeque<oneshot::Sender<()>>,
}

impl Waiting {
    fn is_empty(&self) -> bool {
        self.replies.is_empty() && self.notices.is_empty()
    }

    fn next(&mut self) -> Option<oneshot::Sender<()>> {
        self.replies.pop_front().or_else(|| self.notices.pop_front())
    }
}

/// The chats with a send in progress.
#[derive(Clone, Default)]
pub struct Lanes {
    busy: Arc<Mutex<HashMap<String, Waiting>>>,
}

impl Lanes {
    /// Waits until this send has `chat`'s lane; the lane is held until the guard drops.
    pub async fn enter(&self, chat: String, priority: Priority) -> LaneGuard {
        let turn = {
            let mut busy = self.lock();
            match busy.get_mut(&chat) {
                None => {
                    busy.insert(chat.clone(), Waiting::default());
                    None
                }
                Some(waiting) => {
                    let (tx, rx) = oneshot::channel();
                    match priority {
                        Priority::Reply => waiting.replies.push_back(tx),
                        Priority::Notice => waiting.notices.push_back(tx),
                    }
                    Some(rx)
                }
            }
        };
        let guard = LaneGuard { lanes: self.clone(), chat, held: true };
        if let Some(rx) = turn {
            // Until the lane is handed over, dropping this future must not lose a hand-over that
            // already happened: `Queued` passes it on.
            let mut queued = Queued { rx: Some(rx), guard: Some(guard) };
            let rx = queued.rx.as_mut().expect("set above");
            // The sender is only dropped by a hand-over that found us gone; the map keeps it
            // otherwise, so an error here cannot happen while we wait.
            let _ = rx.await;
            queued.rx = None;
            return queued.guard.take().expect("set above");
        }
        guard
    }

    /// How many chats have a send in progress.
    pub fn busy_chats(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Waiting>> {
        // A panic elsewhere cannot leave the map half-changed: every change is one call.
        self.busy.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hands `chat`'s lane to its next waiting send, or frees it.
    fn leave(&self, chat: &str) {
        let mut busy = self.lock();
        let Some(waiting) = busy.get_mut(chat) else { return };
        while let Some(next) = waiting.next() {
            if next.send(()).is_ok() {
                return;
            }
            // That send was dropped while waiting: try the one after it.
        }
        debug_assert!(waiting.is_empty());
        busy.remove(chat);
    }
}

/// A chat's lane, held: the next send for the chat waits until this drops.
pub struct LaneGuard {
    lanes: Lanes,
    chat: String,
    held: bool,
}

impl Drop for LaneGuard {
    fn drop(&mut self) {
        if self.held {
            self.lanes.leave(&self.chat);
        }
    }
}

/// A send waiting for its turn. Dropped before its turn came, it frees nothing (its sender in the
/// queue fails and is skipped); dropped just after the hand-over, it passes the lane on.
struct Queued {
    rx: Option<oneshot::Receiver<()>>,
    guard: Option<LaneGuard>,
}

impl Drop for Queued {
    fn drop(&mut self) {
        let Some(mut rx) = self.rx.take() else { return };
        rx.close();
        match rx.try_recv() {
            // Handed over already: the guard's drop passes the lane to the next send.
            Ok(()) => {}
            // Never handed over: the lane belongs to someone else; do not free it.
            Err(_) => {
                if let Some(guard) = self.guard.as_mut() {
                    guard.held = false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_chat_sends_one_at_a_time_in_order_and_replies_overtake_notices() {
        let lanes = Lanes::default();
        let first = lanes.enter("7".into(), Priority::Reply).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, priority) in [
            ("notice 1", Priority::Notice),
            ("reply 1", Priority::Reply),
            ("notice 2", Priority::Notice),
            ("reply 2", Priority::Reply),
        ] {
            let (lanes, order) = (lanes.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _lane = lanes.enter("7".into(), priority).await;
                order.lock().unwrap().push(name);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }));
            // Queue them in this order.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let other = tokio::time::timeout(Duration::from_secs(1), lanes.enter("8".into(), Priority::Notice)).await;
        assert!(other.is_ok(), "another chat does not wait");
        drop(other);
        assert!(order.lock().unwrap().is_empty(), "nothing runs while the lane is held");
        drop(first);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), ["reply 1", "reply 2", "notice 1", "notice 2"]);
        assert_eq!(lanes.busy_chats(), 0, "an idle chat leaves the map");
    }

    #[tokio::test]
    async fn a_send_dropped_while_waiting_neither_blocks_nor_frees_the_lane() {
        let lanes = Lanes::default();
        let held = lanes.enter("1".into(), Priority::Reply).await;
        let gave_up = tokio::time::timeout(Duration::from_millis(20), lanes.enter("1".into(), Priority::Reply)).await;
        assert!(gave_up.is_err(), "waits while the lane is held");
        let waiter = {
            let lanes = lanes.clone();
            tokio::spawn(async move {
                let _lane = lanes.enter("1".into(), Priority::Notice).await;
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!waiter.is_finished(), "the dropped waiter did not free the held lane");
        drop(held);
        tokio::time::timeout(Duration::from_secs(1), waiter).await.expect("the next one gets the lane").unwrap();
        assert_eq!(lanes.busy_chats(), 0);
    }

    #[tokio::test]
    async fn a_lane_handed_to_a_send_being_dropped_passes_on() {
        let lanes = Lanes::default();
        let held = lanes.enter("1".into(), Priority::Reply).await;
        let mut doomed = Box::pin(lanes.enter("1".into(), Priority::Reply));
        assert!(futures::poll!(doomed.as_mut()).is_pending());
        let next = {
            let lanes = lanes.clone();
            tokio::spawn(async move { drop(lanes.enter("1".into(), Priority::Reply).await) })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        // The hand-over reaches `doomed`, which is dropped before it runs again.
        drop(held);
        drop(doomed);
        tokio::time::timeout(Duration::from_secs(1), next).await.expect("the lane was passed on").unwrap();
        assert_eq!(lanes.busy_chats(), 0);
    }
}
