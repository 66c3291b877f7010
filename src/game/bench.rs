//! The game loop's benchmarks, next to the loop's internals they drive: one tick with many
//! loaded players ([`tick`]) and the batch of dig mutations the loop hands to Redis
//! ([`mutations`]). The `starmine bench` command and the shared machinery are in
//! [`crate::bench`]; method and figures in BENCHMARKS.md.

pub mod mutations;
pub mod tick;

use std::time::Duration;

/// The loop's default tick: the budget every figure is compared with.
pub const TICK: Duration = Duration::from_millis(50);
