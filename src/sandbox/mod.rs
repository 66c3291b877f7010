//! The local stand-in for Telegram: a Bot API emulator (used by the integration tests, and later
//! by the sandbox mode).

pub mod control;
pub mod emulator;
