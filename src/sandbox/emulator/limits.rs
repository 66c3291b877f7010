//! Switchable send limits modelled on the Bots FAQ: about one message per second per chat with a
//! short burst, 20 messages per minute per group, 30 messages per second overall. Each limit is a
//! token bucket; a send that finds one empty is refused with 429 and `retry_after`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A token bucket: `capacity` tokens, refilled at `per_second`.
#[derive(Clone, Debug)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    per_second: f64,
    updated: Instant,
}

impl Bucket {
    fn full(capacity: f64, per_second: f64, now: Instant) -> Self {
        Self { tokens: capacity, capacity, per_second, updated: now }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.updated = now;
    }

    /// Time until one token is available (zero if one is).
    fn wait(&self) -> Duration {
        if self.tokens >= 1.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64((1.0 - self.tokens) / self.per_second)
    }
}

const CHAT_BURST: f64 = 3.0;
const CHAT_PER_SECOND: f64 = 1.0;
const GROUP_PER_MINUTE: f64 = 20.0;
const OVERALL_PER_SECOND: f64 = 30.0;

#[derive(Debug)]
pub(crate) struct SendLimits {
    pub enabled: bool,
    chats: HashMap<i64, Bucket>,
    groups: HashMap<i64, Bucket>,
    overall: Bucket,
}

impl SendLimits {
    pub fn new(enabled: bool) -> Self {
        let now = Instant::now();
        Self {
            enabled,
            chats: HashMap::new(),
            groups: HashMap::new(),
            overall: Bucket::full(OVERALL_PER_SECOND, OVERALL_PER_SECOND, now),
        }
    }

    /// Takes one send for `chat` (None: an inline message, counted only overall) at `now`, or
    /// answers the whole seconds to wait.
    pub fn take(&mut self, chat: Option<i64>, now: Instant) -> Result<(), u32> {
        if !self.enabled {
            return Ok(());
        }
        let mut buckets = Vec::with_capacity(3);
        if let Some(chat) = chat {
            buckets.push(self.chats.entry(chat).or_insert_with(|| Bucket::full(CHAT_BURST, CHAT_PER_SECOND, now)));
            if chat < 0 {
                let group = self
                    .groups
                    .entry(chat)
                    .or_insert_with(|| Bucket::full(GROUP_PER_MINUTE, GROUP_PER_MINUTE / 60.0, now));
                buckets.push(group);
            }
        }
        buckets.push(&mut self.overall);
        let mut wait = Duration::ZERO;
        for bucket in buckets.iter_mut() {
            bucket.refill(now);
            wait = wait.max(bucket.wait());
        }
        if !wait.is_zero() {
            return Err(wait.as_secs_f64().ceil().max(1.0) as u32);
        }
        for bucket in buckets {
            bucket.tokens -= 1.0;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_gets_a_short_burst_then_one_per_second() {
        let mut limits = SendLimits::new(true);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limits.take(Some(42), start), Ok(()));
        }
        assert_eq!(limits.take(Some(42), start), Err(1));
        assert_eq!(limits.take(Some(43), start), Ok(()), "other chats are not affected");
        assert_eq!(limits.take(Some(42), start + Duration::from_millis(1000)), Ok(()));
        assert_eq!(limits.take(Some(42), start + Duration::from_millis(1500)), Err(1));
    }

    #[test]
    fn steady_one_per_second_never_trips() {
        let mut limits = SendLimits::new(true);
        let start = Instant::now();
        for second in 0..100 {
            let jitter = if second % 2 == 0 { 0 } else { 30 };
            let now = start + Duration::from_millis(second * 1000 - jitter.min(second * 1000));
            assert_eq!(limits.take(Some(7), now), Ok(()), "second {second}");
        }
    }

    #[test]
    fn groups_get_twenty_per_minute_and_everyone_thirty_per_second() {
        let mut limits = SendLimits::new(true);
        let start = Instant::now();
        let mut sent = 0;
        for step in 0..60u64 {
            if limits.take(Some(-100), start + Duration::from_secs(step)).is_ok() {
                sent += 1;
            }
        }
        assert!((20..=40).contains(&sent), "{sent} group messages in a minute");
        let mut limits = SendLimits::new(true);
        let accepted = (0..40).filter(|chat| limits.take(Some(*chat), start).is_ok()).count();
        assert_eq!(accepted, 30);
        assert!(SendLimits::new(false).take(Some(1), start).is_ok());
    }
}
