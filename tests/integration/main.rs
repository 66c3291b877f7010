//! The integration test binary: one module per area, sharing the harness.

mod conformance;
mod emulator;
mod game;
mod harness;
mod play;
mod private_redis;
mod refunds;
mod resilience;
mod shop;
mod support;
