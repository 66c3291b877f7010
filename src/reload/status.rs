//! What the reloads of `game_data/` came to, for the designer at the sandbox page: the problems
//! of files that could not be loaded (the catalog in force is then the previous one), and the
//! warnings about the catalog in force — items removed while players still hold purchases of
//! them, who then see a raw id where its name was.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::{Catalog, ItemId};
use crate::game_data::ITEMS_FILE;

/// The state of the catalog in force and of the files on disk, as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReloadStatus {
    /// Bumped whenever anything below changes, so a watcher can tell a new outcome.
    pub generation: u64,
    /// The version of the catalog in force, and when it was applied (ms; at start for the first).
    pub version: String,
    pub applied_at_ms: i64,
    /// Every problem (`file:line: message`) of the files as they are now, when they could not
    /// be loaded: the catalog in force is then the previous one. Empty when they are valid.
    pub problems: Vec<String>,
    /// When the files were last found invalid (ms); None while they are valid.
    pub failed_at_ms: Option<i64>,
    /// What the designer should know about the catalog in force (not errors: it applied).
    pub warnings: Vec<String>,
}

impl ReloadStatus {
    pub fn started(catalog: &Catalog, now_ms: i64) -> Self {
        Self { version: catalog.version.clone(), applied_at_ms: now_ms, ..Self::default() }
    }
}

/// An item the catalog in force no longer has, and the item ids it was sold under: itself and
/// the bundles that granted it (whose per-player owned counts say who holds it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemovedItem {
    pub id: ItemId,
    pub name: String,
    pub sold_as: Vec<ItemId>,
}

/// Keeps `removed` (every item removed since start that is still missing) up to date after a
/// reload from `old` to `new`: adds what `new` lacks, forgets what `new` has again.
pub fn track_removed(removed: &mut BTreeMap<ItemId, RemovedItem>, old: &Catalog, new: &Catalog) {
    for item in old.items() {
        if new.get(&item.id).is_some() {
            continue;
        }
        let bundles = old.items().iter().filter(|bundle| bundle.id != item.id && grants(bundle, &item.id));
        let mut sold_as = vec![item.id.clone()];
        sold_as.extend(bundles.map(|bundle| bundle.id.clone()));
        let entry = removed.entry(item.id.clone()).or_insert_with(|| RemovedItem {
            id: item.id.clone(),
            name: item.name.clone(),
            sold_as: Vec::new(),
        });
        for id in sold_as {
            if !entry.sold_as.contains(&id) {
                entry.sold_as.push(id);
            }
        }
    }
    removed.retain(|id, _| new.get(id).is_none());
}

fn grants(bundle: &crate::domain::Item, part: &ItemId) -> bool {
    bundle.grants().iter().any(|(id, _)| id == part)
}

/// The warning for a removed item that `owners` players hold purchases of.
pub fn removed_warning(dir: &Path, item: &RemovedItem, owners: u64) -> String {
    let players = if owners == 1 { "1 player holds".to_owned() } else { format!("{owners} players hold") };
    format!(
        "{}: `{}` ({}) was removed, but {players} purchases of it: they now see `{}` instead of its name in \
         /inventory and the refund list. Put it back with `retired = true` to take it off sale and keep it named.",
        dir.join(ITEMS_FILE).display(),
        item.id,
        item.name,
        item.id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Effects, Item, ItemKind, LootTable, Settings, Stars};

    fn item(id: &str, kind: ItemKind) -> Item {
        Item {
            id: ItemId::parse(id).unwrap(),
            name: id.to_uppercase(),
            description: id.to_owned(),
            price: Stars::new(1).unwrap(),
            kind,
            stock: None,
            max_per_player: None,
            effects: Effects::default(),
            retired: false,
            translations: Default::default(),
        }
    }

    fn catalog(items: Vec<Item>) -> Catalog {
        Catalog::new(items, Settings::default(), LootTable::new(Vec::new()), "v".into())
    }

    fn bundle(id: &str, part: &str) -> Item {
        item(id, ItemKind::Bundle { contains: vec![(ItemId::parse(part).unwrap(), 2)] })
    }

    fn ids(removed: &BTreeMap<ItemId, RemovedItem>) -> Vec<(String, Vec<String>)> {
        let sold_as = |item: &RemovedItem| item.sold_as.iter().map(ToString::to_string).collect();
        removed.values().map(|item| (item.id.to_string(), sold_as(item))).collect()
    }

    #[test]
    fn removed_items_are_tracked_until_they_come_back() {
        let energy = || item("energy", ItemKind::Consumable);
        let tool = || item("tool", ItemKind::Permanent);
        let full = catalog(vec![energy(), tool(), bundle("pack", "energy")]);
        let mut removed = BTreeMap::new();
        track_removed(&mut removed, &full, &full);
        assert!(removed.is_empty(), "nothing removed");

        // energy and the pack that granted it go: energy was sold as itself and in the pack.
        let smaller = catalog(vec![tool()]);
        track_removed(&mut removed, &full, &smaller);
        let expected = [("energy", vec!["energy", "pack"]), ("pack", vec!["pack"])];
        let expected: Vec<(String, Vec<String>)> =
            expected.iter().map(|(id, sold)| (id.to_string(), sold.iter().map(|s| s.to_string()).collect())).collect();
        assert_eq!(ids(&removed), expected);
        assert_eq!(removed.values().next().unwrap().name, "ENERGY");

        // A later unrelated reload keeps them; putting energy back forgets it.
        track_removed(&mut removed, &smaller, &smaller);
        assert_eq!(removed.len(), 2);
        let back = catalog(vec![energy(), tool()]);
        track_removed(&mut removed, &smaller, &back);
        assert_eq!(ids(&removed), [("pack".to_owned(), vec!["pack".to_owned()])]);
    }

    #[test]
    fn the_warning_names_the_file_the_item_and_the_way_out() {
        let removed = RemovedItem { id: ItemId::parse("tool").unwrap(), name: "Tool".into(), sold_as: vec![] };
        let warning = removed_warning(Path::new("gd"), &removed, 3);
        assert_eq!(
            warning,
            "gd/items.toml: `tool` (Tool) was removed, but 3 players hold purchases of it: they now see `tool` \
             instead of its name in /inventory and the refund list. Put it back with `retired = true` to take it \
             off sale and keep it named."
        );
        assert!(removed_warning(Path::new("gd"), &removed, 1).contains("but 1 player holds purchases"));
    }
}
