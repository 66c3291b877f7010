//! The local stand-in for Telegram: a Bot API emulator (used by the integration tests and by the
//! sandbox mode), the sandbox page's control API and its event stream.

pub mod control;
pub mod emulator;
mod events;
