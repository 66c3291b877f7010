//! What only admins read: the console's sign-in link, support replies from chat, voided
//! payments. Operators work in English, so these stay plain English strings, not Fluent
//! messages.

use std::time::Duration;

use crate::game_data::format_duration;

/// To an admin who pressed "Reply" on support message `#id`.
pub fn support_reply_prompt(id: u64) -> String {
    format!("✍️ Send your answer to #{id} as your next message; it goes to the player as is.")
}

/// To an admin, how their answer from chat ended (`crate::admin::ReplyReport`).
pub fn support_reply_result(result: &str, message: &str) -> String {
    format!("{} {result}: {message}", if result == "sent" { "✅" } else { "⚠️" })
}

/// An admin's one-time sign-in link to the operator console.
pub fn admin_link(link: &str, valid_for: Duration) -> String {
    format!(
        "🔐 Your sign-in link to the Starmine console (works once, for {}):\n\n{link}\n\n\
Open it in your browser. Do not forward it: whoever opens it first is signed in as you.",
        format_duration(valid_for)
    )
}

pub const ADMIN_CONSOLE_OFF: &str =
    "The operator console is off on this server: set ADMIN_SESSION_SECRET (32+ characters) and restart.";

/// To admins: a payment the Star ledger never showed was voided.
pub fn payment_voided(user: impl std::fmt::Display, item_name: &str, amount: u32, charge: &str) -> String {
    format!(
        "🚨 Voided a payment Telegram never made: user {user}, {item_name}, {amount} ⭐ (charge id {charge}).\n\
         The Star ledger does not show it, so its grant was taken back and it does not count as revenue. \
         Someone may hold the webhook secret: rotate WEBHOOK_SECRET."
    )
}
