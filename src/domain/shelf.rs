//! Shop shelves: the category an item is listed under, derived from its kind and what it does,
//! so designers never have to file items by hand.

use super::catalog::{Catalog, Item, ItemKind};
use super::game::Effects;

/// A shelf of the shop, in the order the shop shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shelf {
    /// Energy refills, and packs of them.
    Energy,
    /// Gem packs, and packs of them.
    Gems,
    /// Permanent tools that change digging (whatever they also do in the arcade).
    Tools,
    /// Timed boosts that change digging.
    Boosts,
    /// Tools and boosts that only change Starmine Rush runs (time, score, skin).
    Arcade,
    /// Packs of items from different shelves.
    Bundles,
    /// Items that do nothing in play (collectibles).
    Other,
}

impl Shelf {
    pub const ALL: [Self; 7] =
        [Self::Energy, Self::Gems, Self::Tools, Self::Boosts, Self::Arcade, Self::Bundles, Self::Other];

    /// A short stable name (used in button data).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Energy => "energy",
            Self::Gems => "gems",
            Self::Tools => "tools",
            Self::Boosts => "boosts",
            Self::Arcade => "arcade",
            Self::Bundles => "bundles",
            Self::Other => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|shelf| shelf.slug() == slug)
    }

    /// The shelf `item` is listed under. A bundle goes with its contents when they all share one
    /// shelf (a pack of refills is energy), else under bundles.
    pub fn of(item: &Item, catalog: &Catalog) -> Self {
        if let ItemKind::Bundle { contains } = &item.kind {
            let mut shelves = contains.iter().filter_map(|(id, _)| catalog.get(id)).map(Self::of_single);
            let first = shelves.next();
            return match first {
                Some(shelf) if shelves.all(|other| other == shelf) => shelf,
                _ => Self::Bundles,
            };
        }
        Self::of_single(item)
    }

    fn of_single(item: &Item) -> Self {
        let effects = &item.effects;
        if *effects == Effects::default() {
            return Self::Other;
        }
        let digs = effects.yield_percent.is_some() || effects.luck_percent.is_some();
        let arcade = effects.run_seconds.is_some() || effects.score_percent.is_some() || effects.skin.is_some();
        match &item.kind {
            _ if arcade && !digs && effects.energy.is_none() && effects.gems.is_none() => Self::Arcade,
            ItemKind::Permanent => Self::Tools,
            ItemKind::Boost { .. } => Self::Boosts,
            _ if effects.energy.is_some() => Self::Energy,
            _ if effects.gems.is_some() => Self::Gems,
            _ => Self::Other,
        }
    }
}

/// The items on sale shelf by shelf: every shelf that has items, in [`Shelf::ALL`] order,
/// each with its items in the designers' file order (retired items are on no shelf).
pub fn shelves(catalog: &Catalog) -> Vec<(Shelf, Vec<&Item>)> {
    Shelf::ALL
        .into_iter()
        .map(|shelf| (shelf, catalog.on_sale().filter(|item| Shelf::of(item, catalog) == shelf).collect()))
        .filter(|(_, items): &(Shelf, Vec<&Item>)| !items.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for shelf in Shelf::ALL {
            assert_eq!(Shelf::from_slug(shelf.slug()), Some(shelf));
        }
        assert_eq!(Shelf::from_slug("nope"), None);
    }
}
