//! Bundles: `contains`, and the rule that a bundle holds only plain consumables. Inputs are
//! written from column 0 so that line numbers can be read off.

use super::{check, ENERGY};

/// Lines 1-30 of the bundle cases: one item of each sort a bundle may not hold, then the
/// bundle `pack` from line 31, whose `contains` goes on line 36.
const NEIGHBOURS: &str = r#"[[items]]
id = "energy"
name = "Energy"
price_stars = 5

[[items]]
id = "tool"
name = "Tool"
price_stars = 9
kind = "permanent"

[[items]]
id = "lamp"
name = "Lamp"
price_stars = 9
kind = "boost"
duration = "1h"

[[items]]
id = "rare"
name = "Rare"
price_stars = 9
stock = 3

[[items]]
id = "crate"
name = "Crate"
price_stars = 9
max_per_player = 2

[[items]]
id = "pack"
name = "Pack"
price_stars = 9
kind = "bundle"
"#;

#[test]
fn bundles_hold_only_plain_consumables() {
    let bundle = |contains: &str| format!("{NEIGHBOURS}{contains}\n");
    let cases: &[(&str, String, &[&str])] = &[
        (
            "valid, before its contents",
            r#"[[items]]
id = "pack"
name = "Pack"
price_stars = 9
kind = "bundle"
contains = { energy = 3, gem = 1 }

[[items]]
id = "energy"
name = "Energy"
price_stars = 5

[[items]]
id = "gem"
name = "Gem"
price_stars = 2
"#
            .into(),
            &[],
        ),
        ("no contains", bundle(""), &["gd/items.toml:31: a bundle needs `contains`, e.g. contains = { energy = 3 }"]),
        (
            "empty",
            bundle("contains = {}"),
            &["gd/items.toml:36: `contains` is empty; list what the bundle grants, e.g. contains = { energy = 3 }"],
        ),
        (
            "a sub-table",
            bundle("[items.contains]\nenergy = 2\nnowhere = 1"),
            &["gd/items.toml:38: `contains` names unknown item `nowhere`"],
        ),
        (
            "not a table",
            bundle("contains = [\"energy\"]"),
            &["gd/items.toml:36: `contains` must be a table such as { energy = 3 }, not an array"],
        ),
        (
            "bad entries",
            bundle("contains = { energy = 0, Gem = 1, tool = \"1\", pack = 1001 }"),
            &[
                "gd/items.toml:36: the quantity of `energy` in `contains` must be 1 to 1000, got 0",
                "gd/items.toml:36: in `contains`: item id `Gem` contains `G`; use only a-z, 0-9 and _",
                "gd/items.toml:36: the quantity of `tool` in `contains` must be an integer, not a string",
                "gd/items.toml:36: the quantity of `pack` in `contains` must be 1 to 1000, got 1001",
            ],
        ),
        (
            "unknown and not plain",
            bundle("contains = { energy = 1, ghost = 1, tool = 1, lamp = 1, rare = 1, crate = 1, pack = 1 }"),
            &[
                "gd/items.toml:36: `contains` names unknown item `ghost`",
                "gd/items.toml:36: `tool` is a permanent item; a bundle may hold only plain consumables",
                "gd/items.toml:36: `lamp` is a boost; a bundle may hold only plain consumables",
                "gd/items.toml:36: `rare` has its own `stock`; a bundle may hold only plain consumables",
                "gd/items.toml:36: `crate` has its own `max_per_player`; a bundle may hold only plain consumables",
                "gd/items.toml:36: `pack` is a bundle; a bundle may hold only plain consumables",
            ],
        ),
        (
            "contains on a consumable",
            format!("{ENERGY}[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\ncontains = {{ energy = 1 }}\n"),
            &["gd/items.toml:10: `contains` is only for bundles; this item is a consumable"],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

/// `retired = true` takes an item off sale: a bundle on sale may not grant a retired item (it
/// would still sell it), a retired bundle may; `retired` is true or false.
#[test]
fn retired_items_stay_out_of_bundles_on_sale() {
    let items = |energy: &str, pack: &str| {
        format!(
            "[[items]]\nid = \"energy\"\nname = \"Energy\"\nprice_stars = 5\n{energy}\n\
             [[items]]\nid = \"pack\"\nname = \"Pack\"\nprice_stars = 9\nkind = \"bundle\"\ncontains = {{ energy = 3 }}\n{pack}\n"
        )
    };
    let cases: &[(&str, String, &[&str])] = &[
        ("both on sale", items("", ""), &[]),
        ("both retired", items("retired = true", "retired = true"), &[]),
        ("the bundle retired", items("", "retired = true"), &[]),
        ("explicitly on sale", items("retired = false", "retired = false"), &[]),
        (
            "a retired part of a bundle on sale",
            items("retired = true", ""),
            &["gd/items.toml:11: `energy` is retired, so a bundle on sale may not grant it: take it out of `contains` or retire this bundle too (`retired = true`)"],
        ),
        ("not a boolean", items("retired = \"yes\"", ""), &["gd/items.toml:5: `retired` must be true or false, not a string"]),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}
