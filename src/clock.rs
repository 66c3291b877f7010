//! The one clock of the money path and the game: wall-clock milliseconds since the Unix epoch.
//! Read once at the edge (a handler, a tick, a script call) and passed in as `now`, so the
//! domain, the scripts and the tests work with time they are given.

/// Wall-clock milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
