//! Telegram's send limits as token buckets (GCRA) shared by every process through Redis: about
//! one message a second per chat with a burst of three, 20 a minute per group, 30 a second for the
//! whole bot. Each rate is planned 5% under Telegram's figure, so network jitter between two
//! sends cannot make them arrive closer than Telegram allows; and the overall burst is planned at
//! 10 of Telegram's 30: sends reserved together may reach Telegram up to ~0.5 s apart (a busy
//! process, a new connection) and bunch up with later ones, which the spare 20 absorb (measured:
//! with a burst of 20, two debug-build processes under a 75-update burst still met 429s). A notice
//! may use only half of the overall burst, so replies to players always find room.

use std::time::Duration;

use super::lanes::Priority;
use crate::store::{SendBucket, SendScope, Store};
use crate::telegram::log_gate::LogGate;

/// Per chat: a send every 1.05 s, three at once.
const CHAT: (Duration, u32) = (Duration::from_millis(1050), 3);
/// Per group, on top of its chat bucket: 20 in 63 s.
const GROUP: (Duration, u32) = (Duration::from_millis(3150), 20);
/// The whole bot: one every 35 ms (28.6/s), 10 at once.
const OVERALL: (Duration, u32) = (Duration::from_millis(35), 10);

/// The buckets a send to `chat` (None: an inline message, which has no chat) draws on.
pub fn buckets(chat: Option<i64>, priority: Priority) -> Vec<SendBucket> {
    let bucket = |scope, (period, burst): (Duration, u32)| SendBucket { scope, period, burst };
    let overall_burst = match priority {
        Priority::Reply => OVERALL.1,
        Priority::Notice => OVERALL.1 / 2,
    };
    let mut buckets = vec![bucket(SendScope::Overall, (OVERALL.0, overall_burst))];
    if let Some(chat) = chat {
        buckets.push(bucket(SendScope::Chat(chat), CHAT));
        // Negative ids are groups, supergroups and channels.
        if chat < 0 {
            buckets.push(bucket(SendScope::Group(chat), GROUP));
        }
    }
    buckets
}

/// Reserves sends in the shared buckets.
pub struct Budget {
    store: Store,
    unreachable: LogGate,
}

impl Budget {
    pub fn new(store: Store) -> Self {
        Self { store, unreachable: LogGate::default() }
    }

    /// How long a send to `chat` must wait. With Redis unreachable the send goes at once (a
    /// message saying the service has trouble must still leave; a 429 is still honoured).
    pub async fn reserve(&self, chat: Option<i64>, priority: Priority) -> Duration {
        match self.store.reserve_send(&buckets(chat, priority)).await {
            Ok(wait) => wait,
            Err(error) => {
                if let Some(sends) = self.unreachable.note() {
                    tracing::warn!(%error, sends, "send budget unreachable in Redis: sending without pacing (429s are still honoured; at most one line a minute, `sends` since the last)");
                }
                Duration::ZERO
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_send_draws_on_its_chat_its_group_and_the_whole_bot() {
        let scopes = |chat, priority| buckets(chat, priority).iter().map(|b| (b.scope, b.burst)).collect::<Vec<_>>();
        assert_eq!(scopes(Some(42), Priority::Reply), [(SendScope::Overall, 10), (SendScope::Chat(42), 3)]);
        assert_eq!(
            scopes(Some(-100), Priority::Notice),
            [(SendScope::Overall, 5), (SendScope::Chat(-100), 3), (SendScope::Group(-100), 20)]
        );
        assert_eq!(scopes(None, Priority::Reply), [(SendScope::Overall, 10)]);
    }

    #[test]
    fn every_planned_rate_stays_under_telegrams() {
        let per_second = |(period, _): (Duration, u32)| 1.0 / period.as_secs_f64();
        assert!(per_second(CHAT) < 1.0);
        assert!(per_second(GROUP) * 60.0 < 20.0);
        assert!(per_second(OVERALL) < 30.0);
        assert!(OVERALL.1 < 30);
    }
}
