//! Item effects: `energy`, `gems`, `yield_multiplier` and `luck`, their ranges, the kinds each
//! is for, and the values they become. Inputs are written from column 0 so that line numbers can
//! be read off.

use super::{check, load, ENERGY, LOOT};
use crate::domain::Effects;

/// An item `a` of `kind` (line 1 is its header, line 5 its `kind`) with `effects` from line 6.
fn item(kind: &str, effects: &str) -> String {
    format!("[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nkind = \"{kind}\"\n{effects}\n")
}

/// A boost: its `duration` is on line 6, its effects from line 7.
fn boost(effects: &str) -> String {
    item("boost", &format!("duration = \"1h\"\n{effects}"))
}

#[test]
fn effect_values() {
    let cases: &[(&str, String, &[&str])] = &[
        ("none", item("consumable", ""), &[]),
        ("energy", item("consumable", "energy = 1"), &[]),
        ("most energy", item("consumable", "energy = 1000"), &[]),
        ("gems", item("consumable", "gems = 1_000_000"), &[]),
        ("integer yield", item("permanent", "yield_multiplier = 100"), &[]),
        ("boost", boost("yield_multiplier = 1.0\nluck = 1000.0"), &[]),
        ("least luck", boost("luck = 1"), &[]),
        (
            "too little and too much",
            item("consumable", "energy = 0\ngems = 1000001"),
            &[
                "gd/items.toml:6: `energy` must be 1 to 1000, got 0",
                "gd/items.toml:7: `gems` must be 1 to 1000000, got 1000001",
            ],
        ),
        (
            "more energy than allowed",
            item("consumable", "energy = 1001"),
            &["gd/items.toml:6: `energy` must be 1 to 1000, got 1001"],
        ),
        (
            "multipliers out of range",
            boost("yield_multiplier = 0.99\nluck = 1000.5"),
            &[
                "gd/items.toml:7: `yield_multiplier` must be a number from 1 to 100, got 0.99",
                "gd/items.toml:8: `luck` must be a number from 1 to 1000, got 1000.5",
            ],
        ),
        ("luck out of range", boost("luck = 0"), &["gd/items.toml:7: `luck` must be a number from 1 to 1000, got 0"]),
        (
            "not numbers at all",
            boost("yield_multiplier = nan\nluck = inf"),
            &[
                "gd/items.toml:7: `yield_multiplier` must be a number from 1 to 100, got nan",
                "gd/items.toml:8: `luck` must be a number from 1 to 1000, got inf",
            ],
        ),
        (
            "a permanent yield of 101 and -2",
            item("permanent", "yield_multiplier = 101")
                + &item("permanent", "yield_multiplier = -2").replace("\"a\"", "\"b\""),
            &[
                "gd/items.toml:6: `yield_multiplier` must be a number from 1 to 100, got 101",
                "gd/items.toml:12: `yield_multiplier` must be a number from 1 to 100, got -2",
            ],
        ),
        (
            "wrong types",
            item("consumable", "energy = 1.5\ngems = \"100\"")
                + &boost("yield_multiplier = \"2x\"\nluck = true").replace("\"a\"", "\"b\""),
            &[
                "gd/items.toml:6: `energy` must be an integer, not a float",
                "gd/items.toml:7: `gems` must be an integer, not a string",
                "gd/items.toml:14: `yield_multiplier` must be a number such as 1.5, not a string",
                "gd/items.toml:15: `luck` must be a number such as 1.5, not a boolean",
            ],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn each_effect_is_for_some_kinds_only() {
    let bundle = |effects: &str| {
        let bundle = item("bundle", &format!("contains = {{ energy = 1 }}\n{effects}"));
        format!("{bundle}{ENERGY}")
    };
    let cases: &[(&str, String, &[&str])] = &[
        (
            "energy and gems on a permanent",
            item("permanent", "energy = 5\ngems = 5"),
            &[
                "gd/items.toml:6: `energy` is only for consumables; this item is a permanent",
                "gd/items.toml:7: `gems` is only for consumables; this item is a permanent",
                "gd/items.toml:7: an item cannot have both `gems` and `energy`: a gem pack adds its gems when bought, energy is added when the item is used; make them two items",
            ],
        ),
        (
            "energy and gems on a boost",
            boost("energy = 5\ngems = 5"),
            &[
                "gd/items.toml:7: `energy` is only for consumables; this item is a boost",
                "gd/items.toml:8: `gems` is only for consumables; this item is a boost",
                "gd/items.toml:8: an item cannot have both `gems` and `energy`: a gem pack adds its gems when bought, energy is added when the item is used; make them two items",
            ],
        ),
        (
            "every effect on a bundle",
            bundle("energy = 5\nyield_multiplier = 2\nluck = 2"),
            &[
                "gd/items.toml:7: `energy` is only for consumables; this item is a bundle",
                "gd/items.toml:8: `yield_multiplier` is only for permanent items and boosts; this item is a bundle",
                "gd/items.toml:9: `luck` is only for boosts; this item is a bundle",
            ],
        ),
        (
            "yield and luck on a consumable",
            item("consumable", "yield_multiplier = 2\nluck = 2"),
            &[
                "gd/items.toml:6: `yield_multiplier` is only for permanent items and boosts; this item is a consumable",
                "gd/items.toml:7: `luck` is only for boosts; this item is a consumable",
            ],
        ),
        (
            "luck on a permanent",
            item("permanent", "yield_multiplier = 2\nluck = 2"),
            &["gd/items.toml:7: `luck` is only for boosts; this item is a permanent"],
        ),
        (
            "a consumable left without kind",
            format!("{ENERGY}[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nluck = 2\n"),
            &["gd/items.toml:10: `luck` is only for boosts; this item is a consumable"],
        ),
        (
            "gems together with energy",
            item("consumable", "gems = 5\nenergy = 5"),
            &["gd/items.toml:6: an item cannot have both `gems` and `energy`: a gem pack adds its gems when bought, energy is added when the item is used; make them two items"],
        ),
        (
            "an unknown kind hides only the kind rules",
            item("tool", "luck = 2\nenergy = 1\ngems = 1"),
            &[
                "gd/items.toml:5: unknown kind `tool`; expected consumable, permanent, boost, bundle or subscription",
                "gd/items.toml:8: an item cannot have both `gems` and `energy`: a gem pack adds its gems when bought, energy is added when the item is used; make them two items",
            ],
        ),
        (
            "a bundle may hold gem packs",
            format!("{}[[items]]\nid = \"gems\"\nname = \"Gems\"\nprice_stars = 1\ngems = 10\n", bundle("").replace("energy = 1", "energy = 1, gems = 2")),
            &[],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn effects_become_percentages() {
    let items = [
        item("consumable", "energy = 20"),
        item("consumable", "gems = 100").replace("\"a\"", "\"b\""),
        item("permanent", "yield_multiplier = 1.5").replace("\"a\"", "\"c\""),
        item("permanent", "yield_multiplier = 3").replace("\"a\"", "\"d\""),
        boost("yield_multiplier = 2.345\nluck = 1000").replace("\"a\"", "\"e\""),
        boost("luck = 1.006").replace("\"a\"", "\"f\""),
    ]
    .join("");
    let catalog =
        load(&[("items.toml", format!("{items}{ENERGY}").as_bytes()), ("loot.toml", LOOT.as_bytes())]).unwrap();
    let effects = |id: &str| catalog.find(id).unwrap().effects.clone();
    let none = Effects::default();
    let cases = [
        ("a", Effects { energy: Some(20), ..none.clone() }),
        ("b", Effects { gems: Some(100), ..none.clone() }),
        ("c", Effects { yield_percent: Some(150), ..none.clone() }),
        ("d", Effects { yield_percent: Some(300), ..none.clone() }),
        ("e", Effects { yield_percent: Some(235), luck_percent: Some(100_000), ..none.clone() }),
        ("f", Effects { luck_percent: Some(101), ..none.clone() }),
        ("energy", none),
    ];
    for (id, expected) in cases {
        assert_eq!(effects(id), expected, "{id}");
    }
}
