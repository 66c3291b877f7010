//! What this process last knew of each player, kept in memory so a handler need not ask Redis
//! again: the names it recorded ([`super::seen`]), and whatever else is cheap to keep and safe to
//! be a little late about. A memory holds at most a set number of players (then starts over:
//! each is read or written once more) and, when given one, forgets an entry after a while, so a
//! change made by another process is seen within that time.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::domain::UserId as PlayerId;

/// Players a memory holds before it starts over.
const CAPACITY: usize = 100_000;

/// One value per player. Lock choice: a std mutex held for a lookup or an insert, never across
/// an `.await`.
#[derive(Debug)]
pub struct PlayerMemo<V> {
    entries: Mutex<HashMap<PlayerId, (V, Instant)>>,
    max_age: Option<Duration>,
    capacity: usize,
}

impl<V> Default for PlayerMemo<V> {
    /// A memory that forgets nothing but for room.
    fn default() -> Self {
        Self { entries: Mutex::default(), max_age: None, capacity: CAPACITY }
    }
}

impl<V: Clone> PlayerMemo<V> {
    /// A memory whose entries count for `max_age` after they were put.
    pub fn for_at_most(max_age: Duration) -> Self {
        Self { max_age: Some(max_age), ..Self::default() }
    }

    #[cfg(test)]
    fn with_capacity(self, capacity: usize) -> Self {
        Self { capacity, ..self }
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<PlayerId, (V, Instant)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What is kept for `player`, unless it is older than the memory's age.
    pub fn get(&self, player: PlayerId) -> Option<V> {
        let entries = self.entries();
        let (value, at) = entries.get(&player)?;
        let fresh = self.max_age.is_none_or(|max_age| at.elapsed() < max_age);
        fresh.then(|| value.clone())
    }

    /// Keeps `value` for `player` from now.
    pub fn put(&self, player: PlayerId, value: V) {
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(&player) {
            entries.clear();
        }
        entries.insert(player, (value, Instant::now()));
    }

    /// Drops what is kept for `player`: the next `get` finds nothing.
    pub fn forget(&self, player: PlayerId) {
        self.entries().remove(&player);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_until_it_is_replaced() {
        let memo = PlayerMemo::default();
        assert_eq!(memo.get(PlayerId(1)), None);
        memo.put(PlayerId(1), "a");
        memo.put(PlayerId(2), "b");
        memo.put(PlayerId(1), "c");
        assert_eq!((memo.get(PlayerId(1)), memo.get(PlayerId(2))), (Some("c"), Some("b")));
        memo.forget(PlayerId(1));
        assert_eq!((memo.get(PlayerId(1)), memo.get(PlayerId(2))), (None, Some("b")));
    }

    #[test]
    fn an_entry_older_than_the_memorys_age_is_forgotten() {
        let memo = PlayerMemo::for_at_most(Duration::from_millis(30));
        memo.put(PlayerId(1), 7);
        assert_eq!(memo.get(PlayerId(1)), Some(7));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(memo.get(PlayerId(1)), None, "another process may have changed it since");
        memo.put(PlayerId(1), 8);
        assert_eq!(memo.get(PlayerId(1)), Some(8));
    }

    #[test]
    fn a_full_memory_starts_over_but_a_known_player_is_updated_in_place() {
        let memo = PlayerMemo::default().with_capacity(2);
        memo.put(PlayerId(1), 1);
        memo.put(PlayerId(2), 2);
        memo.put(PlayerId(2), 3);
        assert_eq!(memo.get(PlayerId(1)), Some(1), "an update makes no room");
        memo.put(PlayerId(3), 4);
        assert_eq!((memo.get(PlayerId(1)), memo.get(PlayerId(3))), (None, Some(4)));
    }
}
