//! Unit tests of the game data rules, table-driven through one `check` helper: the files of a
//! directory, settings and the built catalog here; items, effects, the arcade's keys, bundles,
//! loot and syntax errors in submodules.

mod arcade;
mod bundles;
mod effects;
mod item_rules;
mod loot;
mod passes;
mod players;
mod shelves;
mod shipped;
mod syntax;
mod upgrades;

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::domain::{Drop, Effects, ItemId, ItemKind, LootTable, Zone};

/// Checks `files`, named as in a directory `gd`, and returns the problems as printed.
fn load(files: &[(&str, &[u8])]) -> Result<Catalog, Vec<String>> {
    let files = files.iter().map(|(name, bytes)| (name.to_string(), Ok(bytes.to_vec()))).collect();
    check_files(Path::new("gd"), files).catalog.map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

/// Asserts that `items.toml` (and `settings.toml`, when given) beside a valid `loot.toml` give
/// exactly `expected`.
fn check(case: &str, items: &str, settings: Option<&str>, expected: &[&str]) {
    let mut files: Vec<(&str, &[u8])> = vec![("items.toml", items.as_bytes()), ("loot.toml", LOOT.as_bytes())];
    files.extend(settings.map(|text| ("settings.toml", text.as_bytes())));
    let problems = load(&files).err().unwrap_or_default();
    assert_eq!(problems, expected, "case `{case}`");
}

/// A valid item, five lines long, to stand beside the item under test.
const ENERGY: &str = "[[items]]\nid = \"energy\"\nname = \"Energy\"\nprice_stars = 5\n\n";

/// A valid loot table: one zone with one drop.
const LOOT: &str = "[[zones]]\nid = \"mine\"\nname = \"Mine\"\nfrom_depth = 0\n\n\
                    [[zones.drops]]\nid = \"pebble\"\nname = \"Pebble\"\ngems = 1\nweight = 1\n";

/// The message for an unknown key in `settings.toml`, after its name (and hint).
const SETTINGS_ALLOWED: &str = "allowed keys: refund_window, order_ttl, hold_ttl, energy_max, energy_regen, dig_cost, notify_period, run_seconds, run_points_per_second, run_gems_per_100_points, run_gems_per_day";

#[test]
fn settings() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("empty", "", &[]),
        ("all", "refund_window = \"1h\"\norder_ttl = \"10m\"\nhold_ttl = \"3s\"\n", &[]),
        (
            "all energy keys",
            "energy_max = 10000\nenergy_regen = \"1h\"\ndig_cost = 10000\nnotify_period = \"1d\"\n",
            &[],
        ),
        ("a dig may cost the whole default bar", "dig_cost = 20\n", &[]),
        (
            "bad",
            "refund_window = 48\norder_ttl = \"\"\nhold_ttl = \"0s\"\nrefund_windows = \"1h\"\n[shop]\n",
            &[
                "gd/settings.toml:1: `refund_window` must be a duration in quotes such as \"30m\", not an integer",
                "gd/settings.toml:2: `order_ttl`: the duration is empty; write e.g. \"48h\", \"30m\" or \"90s\"",
                "gd/settings.toml:3: `hold_ttl`: `0s` is zero; a duration here must be longer than 0s",
                &format!("gd/settings.toml:4: unknown key `refund_windows` (did you mean `refund_window`?); {SETTINGS_ALLOWED}"),
                &format!("gd/settings.toml:5: unknown key `shop`; {SETTINGS_ALLOWED}"),
            ],
        ),
        (
            "bad energy keys",
            "energy_max = 0\nenergy_regen = 180\ndig_cost = 0\nnotify_period = \"1 hour\"\nenergy_cap = 5\n",
            &[
                "gd/settings.toml:1: `energy_max` must be 1 to 10000, got 0",
                "gd/settings.toml:2: `energy_regen` must be a duration in quotes such as \"30m\", not an integer",
                "gd/settings.toml:3: `dig_cost` must be at least 1, got 0",
                "gd/settings.toml:4: `notify_period`: `1 hour` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
                &format!("gd/settings.toml:5: unknown key `energy_cap` (did you mean `energy_max`?); {SETTINGS_ALLOWED}"),
            ],
        ),
        (
            "energy_max too large, dig_cost a float",
            "energy_max = 10001\ndig_cost = 1.5\n",
            &[
                "gd/settings.toml:1: `energy_max` must be 1 to 10000, got 10001",
                "gd/settings.toml:2: `dig_cost` must be an integer, not a float",
            ],
        ),
        (
            "dig_cost above energy_max",
            "energy_max = 10\ndig_cost = 11\n",
            &["gd/settings.toml:2: `dig_cost` is 11, more than `energy_max` (10): a player could never dig"],
        ),
        (
            "dig_cost above the default energy_max",
            "dig_cost = 21\n",
            &["gd/settings.toml:1: `dig_cost` is 21, more than `energy_max` (20, the default): a player could never dig"],
        ),
        (
            "dig_cost against the largest energy_max when it is invalid",
            "energy_max = \"many\"\ndig_cost = 99999999999\n",
            &[
                "gd/settings.toml:1: `energy_max` must be an integer, not a string",
                "gd/settings.toml:2: `dig_cost` must be 1 to 10000, got 99999999999",
            ],
        ),
    ];
    for (case, settings, expected) in cases {
        check(case, ENERGY, Some(settings), expected);
    }
}

#[test]
fn settings_values() {
    let settings = |text: &str| {
        let files: &[(&str, &[u8])] =
            &[("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("settings.toml", text.as_bytes())];
        load(files).unwrap().settings
    };
    let given = settings("energy_max = 10\nenergy_regen = \"1h\"\ndig_cost = 2\nnotify_period = \"90s\"\n");
    let expected = crate::domain::EnergyRules { max: 10, regen: Duration::from_secs(3600), dig_cost: 2 };
    assert_eq!((given.energy, given.notify_period), (expected, Duration::from_secs(90)));
    let defaults = settings("");
    assert_eq!(defaults, Settings::default());
    assert_eq!(
        (defaults.energy.max, defaults.energy.regen, defaults.energy.dig_cost, defaults.notify_period),
        (20, Duration::from_secs(180), 1, Duration::from_secs(3600))
    );
}

#[test]
fn files_of_the_directory() {
    let unknown = "unknown file, expected items.toml, settings.toml, loot.toml, upgrades.toml or players.toml";
    let problems = load(&[("shop.toml", b"x = 1"), ("settings.toml", b"hold_ttl = \"1x\""), ("notes.toml", b"")]);
    assert_eq!(
        problems.unwrap_err(),
        [
            "gd/items.toml:1: missing file: every game data directory needs items.toml",
            "gd/loot.toml:1: missing file: every game data directory needs loot.toml",
            &format!("gd/notes.toml:1: {unknown}"),
            "gd/settings.toml:1: `hold_ttl`: `1x` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
            &format!("gd/shop.toml:1: {unknown}"),
        ]
    );
    assert_eq!(
        load(&[("items.toml", ENERGY.as_bytes())]).unwrap_err(),
        ["gd/loot.toml:1: missing file: every game data directory needs loot.toml"]
    );
    let latin1 = b"[[items]]\nid = \"a\"\nname = \"Caf\xe9\"\nprice_stars = 1\n";
    assert_eq!(
        load(&[("items.toml", latin1), ("loot.toml", LOOT.as_bytes())]).unwrap_err(),
        ["gd/items.toml:3: the file is not UTF-8 text; save it as UTF-8"]
    );
}

/// `retired = true` keeps the item in the catalog (named, owned, usable) but off sale;
/// `stock = 0` is an item on sale that is sold out.
#[test]
fn retired_and_sold_out_items_stay_in_the_catalog() {
    let items = format!(
        "{ENERGY}[[items]]\nid = \"old\"\nname = \"Old Lamp\"\nprice_stars = 4\nretired = true\n\n\
         [[items]]\nid = \"rare\"\nname = \"Rare\"\nprice_stars = 4\nstock = 0\n"
    );
    let catalog = load(&[("items.toml", items.as_bytes()), ("loot.toml", LOOT.as_bytes())]).unwrap();
    let old = catalog.find("old").expect("a retired item is still in the catalog");
    assert!(old.retired && !old.on_sale());
    assert_eq!(catalog.name_of("old"), "Old Lamp");
    let on_sale: Vec<&str> = catalog.on_sale().map(|item| item.id.as_str()).collect();
    assert_eq!(on_sale, ["energy", "rare"]);
    assert_eq!(catalog.find("rare").unwrap().stock, Some(0));
}

#[test]
fn builds_the_catalog_with_defaults() {
    let items = "[[items]]\nid = \"pack\"\nname = \"Pack\"\nprice_stars = 9\nkind = \"bundle\"\nmax_per_player = 1\ncontains = { gem = 2, energy = 3 }\n\n\
                 [[items]]\nid = \"lamp\"\nname = \"Lamp\"\ndescription = \"Shines.\"\nprice_stars = 4\nkind = \"boost\"\nduration = \"1h30m\"\nstock = 7\n\n\
                 [[items]]\nid = \"gem\"\nname = \"Gem\"\nprice_stars = 2\n\n";
    let items = format!("{items}{ENERGY}");
    let catalog = load(&[("items.toml", items.as_bytes()), ("loot.toml", LOOT.as_bytes())]).unwrap();
    let ids: Vec<&str> = catalog.items().iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["pack", "lamp", "gem", "energy"]);
    let pack = catalog.find("pack").unwrap();
    let grants = [(ItemId::parse("gem").unwrap(), 2), (ItemId::parse("energy").unwrap(), 3)];
    assert_eq!(pack.kind, ItemKind::Bundle { contains: grants.to_vec() });
    assert_eq!((pack.description.as_str(), pack.stock, pack.max_per_player), ("Pack", None, Some(1)));
    let lamp = catalog.find("lamp").unwrap();
    assert_eq!(lamp.kind, ItemKind::Boost { duration: Duration::from_secs(5400) });
    assert_eq!((lamp.description.as_str(), lamp.price.get(), lamp.stock), ("Shines.", 4, Some(7)));
    assert_eq!(catalog.find("gem").unwrap().kind, ItemKind::Consumable);
    assert!(catalog.items().iter().all(|item| item.effects == Effects::default() && !item.retired));
    assert_eq!(catalog.settings, Settings::default());
    let pebble =
        Drop { id: "pebble".into(), name: "Pebble".into(), names: Default::default(), gems: 1, weight: 1, rare: false };
    let mine =
        Zone { id: "mine".into(), name: "Mine".into(), names: Default::default(), from_depth: 0, drops: vec![pebble] };
    assert_eq!(catalog.loot, LootTable::new(vec![mine]));
    assert_eq!(catalog.version.len(), 16);
    assert_eq!(
        summary(&catalog),
        format!("game_data: 4 items (2 consumable, 0 permanent, 1 boost, 1 bundle), 1 loot zone, 0 upgrade tracks, 0 cosmetics, energy 20 (+1 per 3m), arcade run 30s (max 60 pts/s, 600 gems a day), refund window 48h, order ttl 30m, hold ttl 5m, version {}", catalog.version)
    );
}

#[test]
fn version_is_a_fingerprint_of_the_files() {
    let version = |files: &[(&str, &[u8])]| load(files).unwrap().version;
    let items = ("items.toml", ENERGY.as_bytes());
    let loot = ("loot.toml", LOOT.as_bytes());
    let settings: (&str, &[u8]) = ("settings.toml", b"hold_ttl = \"5m\"\n");
    let base = version(&[items, loot, settings]);
    assert_eq!(base, version(&[settings, loot, items]));
    assert_ne!(base, version(&[items, loot]));
    let cheaper = ENERGY.replace('5', "6");
    assert_ne!(base, version(&[("items.toml", cheaper.as_bytes()), loot, settings]));
    let heavier = LOOT.replace("weight = 1", "weight = 2");
    assert_ne!(base, version(&[items, ("loot.toml", heavier.as_bytes()), settings]));
}

#[test]
fn load_dir_reads_only_toml_files_and_names_them_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("items.toml"), ENERGY.replace("5", "0")).unwrap();
    std::fs::write(dir.path().join("loot.toml"), LOOT).unwrap();
    std::fs::write(dir.path().join("README.md"), "not toml").unwrap();
    std::fs::write(dir.path().join("items.toml~"), "backup").unwrap();
    std::fs::create_dir(dir.path().join("old.toml")).unwrap();
    let problems = load_dir(dir.path()).unwrap_err();
    let expected = format!("{}/items.toml:4: `price_stars` must be 1 to 10000, got 0", dir.path().display());
    assert_eq!(problems.iter().map(ToString::to_string).collect::<Vec<_>>(), [expected]);

    let missing = dir.path().join("nowhere");
    let problems = load_dir(&missing).unwrap_err();
    assert_eq!((problems.len(), problems[0].file.as_path(), problems[0].line), (1, missing.as_path(), 1));
}
