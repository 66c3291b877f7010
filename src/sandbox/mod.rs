//! The local stand-in for Telegram: a Bot API emulator (used by the integration tests and by the
//! sandbox mode), the sandbox page's control API, its event stream and its economy panel.

pub mod control;
mod economy;
pub mod emulator;
mod events;
mod pass;
