//! Pause points for crash tests. In debug builds, `STARMINE_FAILPOINTS=<name>,<name>` makes
//! [`stall`] at each named point log a line and wait forever, so a test can `kill -9` the
//! process exactly there (e.g. after an update was confirmed to Telegram but before its
//! handler wrote anything). Release builds compile the check away and ignore the variable.
//!
//! Points: `payment_handler` (a `successful_payment` update, before anything is recorded).

use std::sync::OnceLock;

/// Waits forever when the point `name` is switched on (debug builds only).
pub async fn stall(name: &str) {
    if cfg!(debug_assertions) && enabled(name) {
        tracing::warn!(point = name, "failpoint: stalled here on purpose (STARMINE_FAILPOINTS)");
        std::future::pending::<()>().await;
    }
}

fn enabled(name: &str) -> bool {
    static POINTS: OnceLock<Vec<String>> = OnceLock::new();
    let points = POINTS.get_or_init(|| {
        std::env::var("STARMINE_FAILPOINTS")
            .map(|list| list.split(',').map(|point| point.trim().to_owned()).filter(|p| !p.is_empty()).collect())
            .unwrap_or_default()
    });
    points.iter().any(|point| point == name)
}
