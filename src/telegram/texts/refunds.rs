//! What players read about refunds: the list of their purchases, the confirmation, why one
//! can't be refunded, and how a refund went. Every text names exactly what is taken back.

use std::time::Duration;

use crate::domain::GEMS_UNIT;
use crate::domain::{Catalog, ItemKind, NotRefundable};
use crate::game_data::format_duration;

pub const NOTHING_TO_REFUND: &str =
    "You have no purchases you can refund right now (refunds are open for a limited time after buying).";

pub const REFUND_USAGE: &str = "Use /refund to list your refundable purchases, or /refund <charge id>.";

pub const REFUND_KEEP: &str = "👍 Kept — nothing was refunded.";

pub const NOT_ADMIN: &str = "Only admins can refund someone else's purchase.";

pub const ALREADY_REFUNDED: &str = "That purchase is already refunded.";
pub const UNKNOWN_CHARGE: &str = "I can't find a purchase of yours with that charge id. /refund lists them.";
pub const VOIDED_CHARGE: &str =
    "Telegram has no record of that payment, so it was cancelled and there is nothing to refund. /paysupport if you think this is wrong.";
pub const FOREIGN_CHARGE: &str = "That charge belongs to another player.";
pub const REFUND_BUSY: &str =
    "Your inventory kept changing while we checked that purchase — please try /refund again in a moment.";

/// `Energy Refills` for more than one; a name ending in s stays as it is.
pub fn plural(name: &str, qty: u64) -> String {
    if qty == 1 || name.ends_with('s') {
        return name.to_owned();
    }
    let consonant_y = name.strip_suffix('y').filter(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']));
    match consonant_y {
        Some(stem) => format!("{stem}ies"),
        None if name.ends_with("ch") || name.ends_with("sh") || name.ends_with('x') => format!("{name}es"),
        None => format!("{name}s"),
    }
}

/// Exactly what some units are: `5 Energy Refills and 200 gems`, `Stopwatch`, `100 gems`.
pub fn grant_phrase(catalog: &Catalog, units: &[(String, u32)]) -> String {
    let parts: Vec<String> = units
        .iter()
        .map(|(unit, qty)| match (unit.as_str(), u64::from(*qty)) {
            (GEMS_UNIT, qty) => format!("{qty} gems"),
            (item, 1) => catalog.name_of(item).to_owned(),
            (item, qty) => format!("{qty} {}", plural(catalog.name_of(item), qty)),
        })
        .collect();
    match parts.as_slice() {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why the player can't refund a purchase of `item` themselves, after its name:
/// `Dynamite — started, can't be refunded`, `Starter Bundle — 2 of 5 Energy Refills used`.
pub fn not_refundable(catalog: &Catalog, item: &str, reason: &NotRefundable, window: Duration) -> String {
    let why = match reason {
        NotRefundable::WindowClosed => format!("bought more than {} ago, can't be refunded", format_duration(window)),
        NotRefundable::NotHeld { unit, granted, held } if unit == GEMS_UNIT => {
            format!("{} of {granted} gems spent", granted - held)
        }
        NotRefundable::NotHeld { unit, granted: 1, .. } if unit == item => {
            match catalog.find(item).map(|item| &item.kind) {
                Some(ItemKind::Boost { .. }) => "started, can't be refunded".to_owned(),
                Some(ItemKind::Permanent) => "no longer held, can't be refunded".to_owned(),
                _ => "used, can't be refunded".to_owned(),
            }
        }
        NotRefundable::NotHeld { unit, granted, held } => {
            format!("{} of {granted} {} used", granted - held, plural(catalog.name_of(unit), *granted))
        }
    };
    format!("{} — {why}", catalog.name_of(item))
}

/// The answer to a refund the policy refuses; `line` is [`not_refundable`]'s.
pub fn refund_refused(line: &str) -> String {
    format!(
        "🚫 {line}.\nA purchase can be refunded within the refund window while you still hold everything it gave \
         you. /paysupport can help."
    )
}

/// One refundable purchase in the `/refund` list.
pub fn refund_line(item_name: &str, amount: u32, takes_back: &str, charge: &str) -> String {
    format!("• {item_name} — {amount} ⭐ · takes back {takes_back}\n   charge id: {charge}")
}

/// `/refund`: the purchases the policy would refund, then the recent ones it would not, each
/// with its reason (lines from [`refund_line`] and [`not_refundable`]).
pub fn refund_list(refundable: &[String], blocked: &[String]) -> String {
    let mut text = if refundable.is_empty() {
        NOTHING_TO_REFUND.to_owned()
    } else {
        format!("↩️ Purchases you can refund:\n\n{}", refundable.join("\n"))
    };
    if !blocked.is_empty() {
        let lines: Vec<String> = blocked.iter().map(|line| format!("• {line}")).collect();
        text.push_str(&format!("\n\nCan't be refunded:\n{}", lines.join("\n")));
    }
    text
}

pub fn refund_button(item_name: &str, amount: u32) -> String {
    format!("Refund {item_name} · {amount} ⭐")
}

pub fn refund_confirm(item_name: &str, amount: u32, takes_back: &str) -> String {
    format!("Refund {item_name} for {amount} ⭐?\nWe'll take back: {takes_back}.")
}

pub fn refunded(item_name: &str, amount: u32, taken: &str, charge: &str) -> String {
    format!("↩️ Refunded {amount} ⭐ for {item_name}.\nTaken back: {taken}\nCharge id: {charge}")
}

pub fn refund_pending(item_name: &str, amount: u32) -> String {
    format!("⏳ Your refund of {amount} ⭐ for {item_name} is being processed. We'll tell you when it's done.")
}

pub fn disputed(item_name: &str, amount: u32, taken: &str) -> String {
    format!("↩️ Telegram refunded {amount} ⭐ for {item_name}. Taken back: {taken}.")
}

pub fn refund_failed(reason: &str) -> String {
    format!("⚠️ The refund was declined ({reason}). Your purchase is unchanged. /paysupport can help.")
}

/// To admins: a payment the Star ledger never showed was voided.
pub fn payment_voided(user: impl std::fmt::Display, item_name: &str, amount: u32, charge: &str) -> String {
    format!(
        "🚨 Voided a payment Telegram never made: user {user}, {item_name}, {amount} ⭐ (charge id {charge}).\n\
         The Star ledger does not show it, so its grant was taken back and it does not count as revenue. \
         Someone may hold the webhook secret: rotate WEBHOOK_SECRET."
    )
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plurals_of_item_names() {
        for (name, qty, expected) in [
            ("Energy Refill", 5, "Energy Refills"),
            ("Energy Refill", 1, "Energy Refill"),
            ("Energy", 3, "Energies"),
            ("Dynamite", 2, "Dynamites"),
            ("Gem Pack", 2, "Gem Packs"),
            ("Lucky Lantern", 2, "Lucky Lanterns"),
            ("Treasure Map", 3, "Treasure Maps"),
            ("Stopwatch", 2, "Stopwatches"),
            ("Box", 2, "Boxes"),
            ("Key", 2, "Keys"),
            ("Gems", 2, "Gems"),
        ] {
            assert_eq!(plural(name, qty), expected);
        }
    }
}
