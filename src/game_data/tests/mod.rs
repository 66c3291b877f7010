//! Unit tests of the game data rules, table-driven through one `check` helper: the files of a
//! directory, settings and the built catalog here; items, bundles and syntax errors in submodules.

mod bundles;
mod item_rules;
mod syntax;

use std::path::Path;

use super::*;
use crate::domain::{ItemId, ItemKind};

/// Checks `files`, named as in a directory `gd`, and returns the problems as printed.
fn load(files: &[(&str, &[u8])]) -> Result<Catalog, Vec<String>> {
    let files = files
        .iter()
        .map(|(name, bytes)| (name.to_string(), Ok(bytes.to_vec())))
        .collect();
    check_files(Path::new("gd"), files)
        .map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

/// Asserts that `items.toml` (and `settings.toml`, when given) give exactly `expected`.
fn check(case: &str, items: &str, settings: Option<&str>, expected: &[&str]) {
    let mut files: Vec<(&str, &[u8])> = vec![("items.toml", items.as_bytes())];
    files.extend(settings.map(|text| ("settings.toml", text.as_bytes())));
    let problems = load(&files).err().unwrap_or_default();
    assert_eq!(problems, expected, "case `{case}`");
}

/// A valid item, five lines long, to stand beside the item under test.
const ENERGY: &str = "[[items]]\nid = \"energy\"\nname = \"Energy\"\nprice_stars = 5\n\n";

#[test]
fn settings() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("empty", "", &[]),
        ("all", "refund_window = \"1h\"\norder_ttl = \"10m\"\nhold_ttl = \"3s\"\n", &[]),
        (
            "bad",
            "refund_window = 48\norder_ttl = \"\"\nhold_ttl = \"0s\"\nrefund_windows = \"1h\"\n[shop]\n",
            &[
                "gd/settings.toml:1: `refund_window` must be a duration in quotes such as \"30m\", not an integer",
                "gd/settings.toml:2: `order_ttl`: the duration is empty; write e.g. \"48h\", \"30m\" or \"90s\"",
                "gd/settings.toml:3: `hold_ttl`: `0s` is zero; a duration here must be longer than 0s",
                "gd/settings.toml:4: unknown key `refund_windows` (did you mean `refund_window`?); allowed keys: refund_window, order_ttl, hold_ttl",
                "gd/settings.toml:5: unknown key `shop`; allowed keys: refund_window, order_ttl, hold_ttl",
            ],
        ),
    ];
    for (case, settings, expected) in cases {
        check(case, ENERGY, Some(settings), expected);
    }
}

#[test]
fn files_of_the_directory() {
    let problems = load(&[
        ("shop.toml", b"x = 1"),
        ("settings.toml", b"hold_ttl = \"1x\""),
        ("notes.toml", b""),
    ]);
    assert_eq!(
        problems.unwrap_err(),
        [
            "gd/items.toml:1: missing file: every game data directory needs items.toml",
            "gd/notes.toml:1: unknown file, expected items.toml or settings.toml",
            "gd/settings.toml:1: `hold_ttl`: `1x` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
            "gd/shop.toml:1: unknown file, expected items.toml or settings.toml",
        ]
    );
    let latin1 = b"[[items]]\nid = \"a\"\nname = \"Caf\xe9\"\nprice_stars = 1\n";
    assert_eq!(
        load(&[("items.toml", latin1)]).unwrap_err(),
        ["gd/items.toml:3: the file is not UTF-8 text; save it as UTF-8"]
    );
}

#[test]
fn builds_the_catalog_with_defaults() {
    let items = "[[items]]\nid = \"pack\"\nname = \"Pack\"\nprice_stars = 9\nkind = \"bundle\"\nmax_per_player = 1\ncontains = { gem = 2, energy = 3 }\n\n\
                 [[items]]\nid = \"lamp\"\nname = \"Lamp\"\ndescription = \"Shines.\"\nprice_stars = 4\nkind = \"boost\"\nduration = \"1h30m\"\nstock = 7\n\n\
                 [[items]]\nid = \"gem\"\nname = \"Gem\"\nprice_stars = 2\n\n";
    let catalog = load(&[("items.toml", format!("{items}{ENERGY}").as_bytes())]).unwrap();
    let ids: Vec<&str> = catalog
        .items()
        .iter()
        .map(|item| item.id.as_str())
        .collect();
    assert_eq!(ids, ["pack", "lamp", "gem", "energy"]);
    let pack = catalog.find("pack").unwrap();
    let grants = [
        (ItemId::parse("gem").unwrap(), 2),
        (ItemId::parse("energy").unwrap(), 3),
    ];
    assert_eq!(
        pack.kind,
        ItemKind::Bundle {
            contains: grants.to_vec()
        }
    );
    assert_eq!(
        (pack.description.as_str(), pack.stock, pack.max_per_player),
        ("Pack", None, Some(1))
    );
    let lamp = catalog.find("lamp").unwrap();
    assert_eq!(
        lamp.kind,
        ItemKind::Boost {
            duration: std::time::Duration::from_secs(5400)
        }
    );
    assert_eq!(
        (lamp.description.as_str(), lamp.price.get(), lamp.stock),
        ("Shines.", 4, Some(7))
    );
    assert_eq!(catalog.find("gem").unwrap().kind, ItemKind::Consumable);
    assert_eq!(catalog.settings, Settings::default());
    assert_eq!(catalog.version.len(), 16);
    assert_eq!(
        summary(&catalog),
        format!("game_data: 4 items (2 consumable, 0 permanent, 1 boost, 1 bundle), refund window 48h, order ttl 30m, hold ttl 5m, version {}", catalog.version)
    );
}

#[test]
fn version_is_a_fingerprint_of_the_files() {
    let version = |files: &[(&str, &[u8])]| load(files).unwrap().version;
    let settings: &[u8] = b"hold_ttl = \"5m\"\n";
    let base = version(&[
        ("items.toml", ENERGY.as_bytes()),
        ("settings.toml", settings),
    ]);
    assert_eq!(
        base,
        version(&[
            ("settings.toml", settings),
            ("items.toml", ENERGY.as_bytes())
        ])
    );
    assert_ne!(base, version(&[("items.toml", ENERGY.as_bytes())]));
    assert_ne!(
        base,
        version(&[
            ("items.toml", ENERGY.replace('5', "6").as_bytes()),
            ("settings.toml", settings)
        ])
    );
}

#[test]
fn load_dir_reads_only_toml_files_and_names_them_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("items.toml"), ENERGY.replace("5", "0")).unwrap();
    std::fs::write(dir.path().join("README.md"), "not toml").unwrap();
    std::fs::write(dir.path().join("items.toml~"), "backup").unwrap();
    std::fs::create_dir(dir.path().join("old.toml")).unwrap();
    let problems = load_dir(dir.path()).unwrap_err();
    let expected = format!(
        "{}/items.toml:4: `price_stars` must be 1 to 10000, got 0",
        dir.path().display()
    );
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [expected]
    );

    let missing = dir.path().join("nowhere");
    let problems = load_dir(&missing).unwrap_err();
    assert_eq!(
        (problems.len(), problems[0].file.as_path(), problems[0].line),
        (1, missing.as_path(), 1)
    );
}

/// The shipped catalog must load without a single problem.
#[test]
fn real_game_data_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("game_data");
    let catalog = load_dir(&dir).unwrap_or_else(|problems| {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("game_data has problems:\n{}", problems.join("\n"))
    });
    assert!(catalog.items().len() >= 10);
    for kind in ["consumable", "permanent", "boost", "bundle"] {
        assert!(
            catalog.items().iter().any(|item| item.kind.name() == kind),
            "no {kind} item"
        );
    }
    let golden = catalog.find("founders_golden_pickaxe").unwrap();
    assert_eq!(
        (golden.stock, golden.max_per_player, golden.is_permanent()),
        (Some(500), Some(1), true)
    );
}

/// Integration tests rely on these exact items and short durations.
#[test]
fn test_fixture_catalog() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    let catalog = load_dir(&dir).unwrap();
    type Row<'a> = (&'a str, &'a str, u32, Option<u32>, Option<u32>);
    let rows: Vec<Row<'_>> = catalog
        .items()
        .iter()
        .map(|item| {
            (
                item.id.as_str(),
                item.kind.name(),
                item.price.get(),
                item.stock,
                item.max_per_player,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("energy", "consumable", 5, None, None),
            ("pickaxe", "permanent", 50, None, None),
            ("lantern", "boost", 20, None, None),
            ("golden", "permanent", 100, Some(2), None),
            ("crate", "consumable", 10, None, Some(2)),
            ("starter", "bundle", 25, None, None),
            ("gem_pack", "consumable", 15, None, None),
            ("rare", "consumable", 7, Some(3), None),
        ]
    );
    let grants: Vec<(String, u32)> = catalog
        .find("starter")
        .unwrap()
        .grants()
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect();
    assert_eq!(
        grants,
        [("energy".to_owned(), 3), ("gem_pack".to_owned(), 1)]
    );
    assert_eq!(
        catalog.find("lantern").unwrap().kind,
        ItemKind::Boost {
            duration: std::time::Duration::from_secs(3600)
        }
    );
    let secs = |d: std::time::Duration| d.as_secs();
    let settings = &catalog.settings;
    assert_eq!(
        (
            secs(settings.refund_window),
            secs(settings.order_ttl),
            secs(settings.hold_ttl)
        ),
        (3600, 600, 3)
    );
}
