//! A WARN that a busy path would repeat for every request (intake at its limit, a full outbox,
//! the send budget out of reach), said at most once a minute with how often it happened since.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often a gated line may be logged.
const EVERY: Duration = Duration::from_secs(60);

/// When the line was last logged, and how many times it happened since.
#[derive(Debug, Default)]
pub struct LogGate {
    last: Mutex<Option<Instant>>,
    since: AtomicU64,
}

impl LogGate {
    /// Counts one occurrence; Some(occurrences since the last line) when a line is due. A std
    /// mutex: taken only on the path being logged, never across an `.await`.
    pub fn note(&self) -> Option<u64> {
        let times = self.since.fetch_add(1, Ordering::Relaxed) + 1;
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < EVERY) {
            return None;
        }
        *last = Some(now);
        self.since.store(0, Ordering::Relaxed);
        Some(times)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_occurrence_is_logged_then_the_rest_are_counted() {
        let gate = LogGate::default();
        assert_eq!(gate.note(), Some(1));
        assert_eq!(gate.note(), None);
        assert_eq!(gate.note(), None);
        *gate.last.lock().unwrap() = Some(Instant::now() - EVERY);
        assert_eq!(gate.note(), Some(3), "the two held back and this one");
    }
}
