//! What players read about refunds: the list of their purchases, the confirmation, why one
//! can't be refunded, and how a refund went. Every text names exactly what is taken back.

use std::time::Duration;

use super::and_list;
use crate::domain::GEMS_UNIT;
use crate::domain::{Catalog, ItemKind, NotRefundable};
use crate::i18n::{duration, t, Lang};

pub fn nothing_to_refund(lang: Lang) -> String {
    t!(lang, "nothing-to-refund")
}

pub fn refund_usage(lang: Lang) -> String {
    t!(lang, "refund-usage")
}

/// The confirmation's buttons.
pub fn refund_yes(lang: Lang) -> String {
    t!(lang, "refund-yes")
}

pub fn refund_no(lang: Lang) -> String {
    t!(lang, "refund-no")
}

pub fn refund_keep(lang: Lang) -> String {
    t!(lang, "refund-keep")
}

pub fn not_admin(lang: Lang) -> String {
    t!(lang, "not-admin")
}

pub fn already_refunded(lang: Lang) -> String {
    t!(lang, "already-refunded")
}

pub fn unknown_charge(lang: Lang) -> String {
    t!(lang, "unknown-charge")
}

pub fn voided_charge(lang: Lang) -> String {
    t!(lang, "voided-charge")
}

pub fn foreign_charge(lang: Lang) -> String {
    t!(lang, "foreign-charge")
}

pub fn refund_busy(lang: Lang) -> String {
    t!(lang, "refund-busy")
}

/// `Energy Refills` for more than one; a name ending in s stays as it is. English only: other
/// languages write a count beside the name (`Заряд энергии × 5`).
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

/// `qty` units of the item called `name`: `5 Energy Refills`, `Заряд энергии × 5`.
fn count_items(lang: Lang, name: &str, qty: u64) -> String {
    let name = match lang {
        Lang::En => plural(name, qty),
        Lang::Ru | Lang::Fa => name.to_owned(),
    };
    t!(lang, "count-items", n = qty, item = name)
}

/// Exactly what some units are: `5 Energy Refills and 200 gems`, `Stopwatch`, `100 gems`.
pub fn grant_phrase(lang: Lang, catalog: &Catalog, units: &[(String, u32)]) -> String {
    let parts: Vec<String> = units
        .iter()
        .map(|(unit, qty)| match (unit.as_str(), u64::from(*qty)) {
            (GEMS_UNIT, qty) => t!(lang, "count-gems", n = qty),
            (item, 1) => catalog.name_in(lang, item).to_owned(),
            (item, qty) => count_items(lang, catalog.name_in(lang, item), qty),
        })
        .collect();
    and_list(lang, &parts)
}

/// Why the player can't refund a purchase of `item` themselves, after its name:
/// `Dynamite — started, can't be refunded`, `Starter Bundle — 2 of 5 Energy Refills used`.
pub fn not_refundable(lang: Lang, catalog: &Catalog, item: &str, reason: &NotRefundable, window: Duration) -> String {
    let why = match reason {
        NotRefundable::WindowClosed => t!(lang, "not-refundable-window", window = duration(lang, window)),
        NotRefundable::NotHeld { unit, granted, held } if unit == GEMS_UNIT => {
            t!(lang, "not-refundable-gems", spent = granted - held, granted = *granted)
        }
        NotRefundable::NotHeld { unit, granted: 1, .. } if unit == item => {
            match catalog.find(item).map(|item| &item.kind) {
                Some(ItemKind::Boost { .. }) => t!(lang, "not-refundable-started"),
                Some(ItemKind::Permanent) => t!(lang, "not-refundable-gone"),
                _ => t!(lang, "not-refundable-used"),
            }
        }
        NotRefundable::PassPeriodNotLatest => t!(lang, "not-refundable-pass-older"),
        NotRefundable::PassUsed { allowed } => t!(lang, "not-refundable-pass-used", allowed = duration(lang, *allowed)),
        NotRefundable::NotHeld { unit, granted, held } => {
            let name = match lang {
                Lang::En => plural(catalog.name_of(unit), *granted),
                Lang::Ru | Lang::Fa => catalog.name_in(lang, unit).to_owned(),
            };
            t!(lang, "not-refundable-units", used = granted - held, granted = *granted, item = name)
        }
    };
    t!(lang, "not-refundable", item = catalog.name_in(lang, item), why = why)
}

/// The answer to a refund the policy refuses; `line` is [`not_refundable`]'s.
pub fn refund_refused(lang: Lang, line: &str) -> String {
    t!(lang, "refund-refused", line = line)
}

/// One refundable purchase in the `/refund` list.
pub fn refund_line(lang: Lang, item_name: &str, amount: u32, takes_back: &str, charge: &str) -> String {
    t!(lang, "refund-line", item = item_name, amount = amount, takes = takes_back, charge = charge)
}

/// `/refund`: the purchases the policy would refund, then the recent ones it would not, each
/// with its reason (lines from [`refund_line`] and [`not_refundable`]).
pub fn refund_list(lang: Lang, refundable: &[String], blocked: &[String]) -> String {
    let mut text = if refundable.is_empty() {
        nothing_to_refund(lang)
    } else {
        t!(lang, "refund-list", lines = refundable.join("\n"))
    };
    if !blocked.is_empty() {
        let lines: Vec<String> = blocked.iter().map(|line| format!("• {line}")).collect();
        text.push_str(&format!("\n\n{}", t!(lang, "refund-list-blocked", lines = lines.join("\n"))));
    }
    text
}

pub fn refund_button(lang: Lang, item_name: &str, amount: u32) -> String {
    t!(lang, "refund-button", item = item_name, amount = amount)
}

pub fn refund_confirm(lang: Lang, item_name: &str, amount: u32, takes_back: &str) -> String {
    t!(lang, "refund-confirm", item = item_name, amount = amount, takes = takes_back)
}

pub fn refunded(lang: Lang, item_name: &str, amount: u32, taken: &str, charge: &str) -> String {
    t!(lang, "refunded", amount = amount, item = item_name, taken = taken, charge = charge)
}

pub fn refund_pending(lang: Lang, item_name: &str, amount: u32) -> String {
    t!(lang, "refund-pending", amount = amount, item = item_name)
}

pub fn disputed(lang: Lang, item_name: &str, amount: u32, taken: &str) -> String {
    t!(lang, "disputed", amount = amount, item = item_name, taken = taken)
}

pub fn refund_failed(lang: Lang, reason: &str) -> String {
    t!(lang, "refund-failed", reason = reason)
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
