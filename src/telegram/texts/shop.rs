//! The shop's texts: the shelf pages, price buttons, what an item does in a few words, usage
//! lines with real items, "did you mean" and the toasts of stale or refused buttons.

use super::{multiplier, shorten};
use crate::domain::{Catalog, Item, ItemKind, Refusal, Shelf};
use crate::game_data::format_duration;
use crate::store::Availability;

/// A shelf's name on its tab and its page.
pub fn shelf_name(shelf: Shelf) -> String {
    format!("{} {}", shelf_emoji(shelf), shelf_label(shelf))
}

fn shelf_emoji(shelf: Shelf) -> &'static str {
    match shelf {
        Shelf::Energy => "⚡",
        Shelf::Gems => "💎",
        Shelf::Tools => "⛏",
        Shelf::Boosts => "🔮",
        Shelf::Arcade => "🕹",
        Shelf::Bundles => "🎁",
        Shelf::Other => "📦",
    }
}

fn shelf_label(shelf: Shelf) -> &'static str {
    match shelf {
        Shelf::Energy => "Energy",
        Shelf::Gems => "Gems",
        Shelf::Tools => "Tools",
        Shelf::Boosts => "Boosts",
        Shelf::Arcade => "Arcade",
        Shelf::Bundles => "Bundles",
        Shelf::Other => "Other",
    }
}

/// A shelf tab (a third of a row): the open shelf's is ticked instead of its emoji.
pub fn shelf_tab(shelf: Shelf, open: bool) -> String {
    match open {
        true => format!("✓ {}", shelf_label(shelf)),
        false => shelf_name(shelf),
    }
}

pub const PREVIOUS_PAGE: &str = "‹ Previous";
pub const NEXT_PAGE: &str = "Next ›";

/// The shop's first page: each shelf with how many items it holds and the cheapest price.
pub fn shop_home(shelves: &[(Shelf, Vec<&Item>)]) -> String {
    let mut lines = vec!["🛒 Starmine shop — prices in Telegram Stars (⭐)".to_owned(), String::new()];
    for (shelf, items) in shelves {
        let cheapest = items.iter().map(|item| item.price.get()).min().unwrap_or_default();
        let count = match items.len() {
            1 => format!("1 item, {cheapest} ⭐"),
            n => format!("{n} items from {cheapest} ⭐"),
        };
        lines.push(format!("{} — {count}", shelf_name(*shelf)));
    }
    lines.push(String::new());
    lines.push("Pick a shelf below.".to_owned());
    lines.join("\n")
}

/// One shelf page: its title, then each item's name, price, stock, whether this player can buy
/// it (from [`crate::store::Store::availability`]) and what it does.
pub fn shelf_page(
    shelf: Shelf,
    page: usize,
    pages: usize,
    items: &[(&Item, Availability)],
    catalog: &Catalog,
) -> String {
    let mut text = shelf_name(shelf);
    if pages > 1 {
        text.push_str(&format!(" ({}/{pages})", page + 1));
    }
    for (item, availability) in items {
        let stock = match availability.left {
            Some(0) => " · SOLD OUT".to_owned(),
            Some(left) => format!(" · {left} left"),
            None => String::new(),
        };
        let yours = match (availability.refusal, item.max_per_player) {
            (Some(Refusal::AlreadyOwned), _) => " · you own it".to_owned(),
            (Some(Refusal::LimitReached), Some(max)) => format!(" · limit reached ({max} per player)"),
            _ => String::new(),
        };
        let price = item.price.get();
        text.push_str(&format!("\n\n{} — {price} ⭐{stock}{yours}\n{}", item.name, item_summary(item, catalog)));
    }
    text
}

/// What an item does, in a few words ("×1.5 gems per dig · yours to keep").
pub fn item_summary(item: &Item, catalog: &Catalog) -> String {
    if let ItemKind::Bundle { contains } = &item.kind {
        let parts: Vec<String> =
            contains.iter().map(|(id, qty)| format!("{qty} × {}", catalog.name_of(id.as_str()))).collect();
        return parts.join(", ");
    }
    let effects = &item.effects;
    let mut parts = Vec::new();
    if let Some(energy) = effects.energy {
        parts.push(format!("+{energy} energy when used"));
    }
    if let Some(gems) = effects.gems {
        parts.push(format!("+{gems} gems at once"));
    }
    if let Some(percent) = effects.yield_percent {
        parts.push(format!("{} gems per dig", multiplier(percent)));
    }
    if let Some(percent) = effects.luck_percent {
        parts.push(format!("rare finds {}", multiplier(percent)));
    }
    if let Some(seconds) = effects.run_seconds {
        parts.push(format!("+{seconds}s per Rush run"));
    }
    if let Some(percent) = effects.score_percent {
        parts.push(format!("{} Rush points", multiplier(percent)));
    }
    if let Some(skin) = &effects.skin {
        parts.push(format!("{skin} skin"));
    }
    if parts.is_empty() {
        parts.push("a collectible".to_owned());
    }
    let mut summary = parts.join(", ");
    match &item.kind {
        ItemKind::Permanent => summary.push_str(" · yours to keep"),
        ItemKind::Boost { duration } => summary.push_str(&format!(" · {} once started", format_duration(*duration))),
        ItemKind::Consumable | ItemKind::Bundle { .. } => {}
    }
    if let Some(max) = item.max_per_player {
        summary.push_str(&format!(" · {max} per player"));
    }
    summary
}

/// A button that buys `item`: its name and price, short enough for a phone.
pub fn price_button(item: &Item) -> String {
    format!("{} · {} ⭐", item.name, item.price.get())
}

/// A button that uses `item`.
pub fn use_button(item: &Item) -> String {
    format!("Use {}", item.name)
}

/// `/buy` with no item: how, with a real item as the example.
pub fn buy_usage(example: Option<&Item>) -> String {
    match example {
        Some(item) => {
            format!("Which item? Send /buy <item>, for example /buy {}. /shop lists everything for sale.", item.id)
        }
        None => super::SHOP_EMPTY.to_owned(),
    }
}

/// `/use` with no item: how, with an item the player could use as the example.
pub fn use_usage(example: Option<&Item>) -> String {
    match example {
        Some(item) => format!("Which item? Send /use <item>, for example /use {} ({}).", item.id, item.name),
        None => "Nothing in the shop can be used right now — tools and packs work on their own.".to_owned(),
    }
}

/// An item id nobody sells, with the closest real ones as `/<command> <id>` (and as buttons).
pub fn unknown_item(raw: &str, command: &str, suggestions: &[&Item]) -> String {
    let unknown = format!("There is no item called “{}”.", shorten(raw, 40));
    let ideas: Vec<String> = suggestions.iter().map(|item| format!("/{command} {}", item.id)).collect();
    match ideas.as_slice() {
        [] => format!("{unknown} /shop lists everything for sale."),
        [one] => format!("{unknown} Did you mean {one}?"),
        [init @ .., last] => format!("{unknown} Did you mean {} or {last}?", init.join(", ")),
    }
}

/// Toast: a "Dig again" on a message that is no longer the player's live dig.
pub const STALE_DIG: &str = "This dig is over — use your latest one, or send /dig.";

/// Toast: a shop page that no longer exists (the shop changed); the current one is shown.
pub const STALE_SHELF: &str = "The shop has changed — here it is now.";

/// Toast: a Buy button for an item the shop no longer sells.
pub fn not_for_sale(raw: &str) -> String {
    format!("“{}” is no longer for sale. /shop has what is.", shorten(raw, 40))
}
