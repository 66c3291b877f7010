//! The shop's texts: the shelf pages, price buttons, what an item does in a few words, usage
//! lines with real items, "did you mean" and the toasts of stale or refused buttons.

use super::{multiplier, or_list, shorten};
use crate::domain::{Catalog, Item, ItemKind, Refusal, Shelf};
use crate::i18n::{duration, number, t, Lang};
use crate::store::Availability;

/// A shelf's name on its tab and its page.
pub fn shelf_name(lang: Lang, shelf: Shelf) -> String {
    format!("{} {}", shelf_emoji(shelf), shelf_label(lang, shelf))
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

fn shelf_label(lang: Lang, shelf: Shelf) -> String {
    match shelf {
        Shelf::Energy => t!(lang, "shelf-energy"),
        Shelf::Gems => t!(lang, "shelf-gems"),
        Shelf::Tools => t!(lang, "shelf-tools"),
        Shelf::Boosts => t!(lang, "shelf-boosts"),
        Shelf::Arcade => t!(lang, "shelf-arcade"),
        Shelf::Bundles => t!(lang, "shelf-bundles"),
        Shelf::Other => t!(lang, "shelf-other"),
    }
}

/// A shelf tab (a third of a row): the open shelf's is ticked instead of its emoji.
pub fn shelf_tab(lang: Lang, shelf: Shelf, open: bool) -> String {
    match open {
        true => format!("✓ {}", shelf_label(lang, shelf)),
        false => shelf_name(lang, shelf),
    }
}

pub fn previous_page(lang: Lang) -> String {
    t!(lang, "previous-page")
}

pub fn next_page(lang: Lang) -> String {
    t!(lang, "next-page")
}

/// The shop's first page: each shelf with how many items it holds and the cheapest price.
pub fn shop_home(lang: Lang, shelves: &[(Shelf, Vec<&Item>)]) -> String {
    let mut lines = vec![t!(lang, "shop-title"), String::new()];
    for (shelf, items) in shelves {
        let cheapest = items.iter().map(|item| item.price.get()).min().unwrap_or_default();
        lines.push(t!(lang, "shop-shelf", shelf = shelf_name(lang, *shelf), n = items.len(), price = cheapest));
    }
    lines.push(String::new());
    lines.push(t!(lang, "shop-pick"));
    lines.join("\n")
}

/// One shelf page: its title, then each item's name, price, stock, whether this player can buy
/// it (from [`crate::store::Store::availability`]) and what it does.
pub fn shelf_page(
    lang: Lang,
    shelf: Shelf,
    page: usize,
    pages: usize,
    items: &[(&Item, Availability)],
    catalog: &Catalog,
) -> String {
    let mut text = shelf_name(lang, shelf);
    if pages > 1 {
        text.push_str(&format!(" ({}/{})", number(lang, page as u64 + 1), number(lang, pages as u64)));
    }
    for (item, availability) in items {
        let stock = match availability.left {
            Some(0) => format!(" · {}", t!(lang, "shelf-sold-out")),
            Some(left) => format!(" · {}", t!(lang, "shelf-left", n = left)),
            None => String::new(),
        };
        let yours = match (availability.refusal, item.max_per_player) {
            (Some(Refusal::AlreadyOwned), _) => format!(" · {}", t!(lang, "shelf-owned")),
            (Some(Refusal::LimitReached), Some(max)) => format!(" · {}", t!(lang, "shelf-limit", max = max)),
            _ => String::new(),
        };
        let price = number(lang, u64::from(item.price.get()));
        let summary = item_summary(lang, item, catalog);
        text.push_str(&format!("\n\n{} — {price} ⭐{stock}{yours}\n{summary}", item.name_in(lang)));
    }
    text
}

/// What an item does, in a few words ("×1.5 gems per dig · yours to keep").
pub fn item_summary(lang: Lang, item: &Item, catalog: &Catalog) -> String {
    if let ItemKind::Bundle { contains } = &item.kind {
        let parts: Vec<String> = contains
            .iter()
            .map(|(id, qty)| format!("{} × {}", number(lang, u64::from(*qty)), catalog.name_in(lang, id.as_str())))
            .collect();
        return parts.join(", ");
    }
    let effects = &item.effects;
    let mut parts = Vec::new();
    if let Some(energy) = effects.energy {
        parts.push(t!(lang, "effect-energy", n = energy));
    }
    if let Some(gems) = effects.gems {
        parts.push(t!(lang, "effect-gems", n = gems));
    }
    if let Some(percent) = effects.yield_percent {
        parts.push(t!(lang, "effect-yield", mult = multiplier(lang, percent)));
    }
    if let Some(percent) = effects.luck_percent {
        parts.push(t!(lang, "effect-luck", mult = multiplier(lang, percent)));
    }
    if let Some(seconds) = effects.run_seconds {
        parts.push(t!(lang, "effect-run-seconds", n = seconds));
    }
    if let Some(percent) = effects.score_percent {
        parts.push(t!(lang, "effect-score", mult = multiplier(lang, percent)));
    }
    if let Some(skin) = &effects.skin {
        parts.push(t!(lang, "effect-skin", skin = super::skin_name(lang, skin)));
    }
    if parts.is_empty() {
        parts.push(t!(lang, "effect-collectible"));
    }
    let mut summary = parts.join(", ");
    match &item.kind {
        ItemKind::Permanent => summary.push_str(&format!(" · {}", t!(lang, "summary-keep"))),
        ItemKind::Boost { duration: lasts } => {
            summary.push_str(&format!(" · {}", t!(lang, "summary-boost", duration = duration(lang, *lasts))))
        }
        ItemKind::Consumable | ItemKind::Bundle { .. } | ItemKind::Subscription { .. } => {}
    }
    if let Some(max) = item.max_per_player {
        summary.push_str(&format!(" · {}", t!(lang, "summary-per-player", max = max)));
    }
    summary
}

/// A button that buys `item`: its name and price, short enough for a phone.
pub fn price_button(lang: Lang, item: &Item) -> String {
    format!("{} · {} ⭐", item.name_in(lang), number(lang, u64::from(item.price.get())))
}

/// A button that uses `item`.
pub fn use_button(lang: Lang, item: &Item) -> String {
    t!(lang, "use-button", item = item.name_in(lang))
}

/// `/buy` with no item: how, with a real item as the example.
pub fn buy_usage(lang: Lang, example: Option<&Item>) -> String {
    match example {
        Some(item) => t!(lang, "buy-usage", id = item.id.as_str()),
        None => super::shop_empty(lang),
    }
}

/// `/use` with no item: how, with an item the player could use as the example.
pub fn use_usage(lang: Lang, example: Option<&Item>) -> String {
    match example {
        Some(item) => t!(lang, "use-usage", id = item.id.as_str(), item = item.name_in(lang)),
        None => t!(lang, "use-usage-none"),
    }
}

/// An item id nobody sells, with the closest real ones as `/<command> <id>` (and as buttons).
pub fn unknown_item(lang: Lang, raw: &str, command: &str, suggestions: &[&Item]) -> String {
    let unknown = t!(lang, "unknown-item", raw = shorten(raw, 40));
    let ideas: Vec<String> = suggestions.iter().map(|item| format!("/{command} {}", item.id)).collect();
    match ideas.is_empty() {
        true => format!("{unknown} {}", t!(lang, "unknown-item-shop")),
        false => format!("{unknown} {}", t!(lang, "did-you-mean", ideas = or_list(lang, &ideas))),
    }
}

/// Toast: a "Dig again" on a message that is no longer the player's live dig.
pub fn stale_dig(lang: Lang) -> String {
    t!(lang, "stale-dig")
}

/// Toast: a shop page that no longer exists (the shop changed); the current one is shown.
pub fn stale_shelf(lang: Lang) -> String {
    t!(lang, "stale-shelf")
}

/// Toast: a Buy button for an item the shop no longer sells.
pub fn not_for_sale(lang: Lang, raw: &str) -> String {
    t!(lang, "not-for-sale", raw = shorten(raw, 40))
}
