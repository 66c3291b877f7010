//! The send budget every process shares: one GCRA bucket for the whole bot, one per chat, one per
//! group, kept in Redis (`scripts/send_slot.lua`) so several `serve` processes together stay
//! within Telegram's limits. A reservation is one script call per send; the caller sleeps the
//! answer and then sends.

use std::time::Duration;

use super::keys::{send_chat, send_group, SEND_OVERALL};
use super::{Store, StoreResult};

/// One bucket a send draws on: a send every `period`, up to `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SendBucket {
    pub scope: SendScope,
    pub period: Duration,
    pub burst: u32,
}

/// Whose bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendScope {
    Overall,
    Chat(i64),
    Group(i64),
}

impl SendBucket {
    fn key(&self) -> String {
        match self.scope {
            SendScope::Overall => SEND_OVERALL.to_owned(),
            SendScope::Chat(chat) => send_chat(&chat.to_string()),
            SendScope::Group(chat) => send_group(&chat.to_string()),
        }
    }
}

impl Store {
    /// Reserves one send in each of `buckets`: how long to wait before it may leave.
    pub async fn reserve_send(&self, buckets: &[SendBucket]) -> StoreResult<Duration> {
        let mut invocation = self.scripts.send_slot.prepare_invoke();
        for bucket in buckets {
            let period_ms = bucket.period.as_secs_f64() * 1000.0;
            let tolerance_ms = period_ms * f64::from(bucket.burst.saturating_sub(1));
            invocation.key(bucket.key()).arg(format!("{period_ms:.3}")).arg(format!("{tolerance_ms:.3}"));
        }
        let wait_ms: i64 = invocation.invoke_async(&mut self.conn()).await?;
        Ok(Duration::from_millis(u64::try_from(wait_ms).unwrap_or(0)))
    }
}
