//! Bot API emulator.
