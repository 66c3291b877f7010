//! The rules for each key of an `[[items]]` table, and the shape of `items.toml`. Inputs are
//! written from column 0 so that line numbers can be read off.

use super::{check, ENERGY};

/// The message for an unknown key in an `[[items]]` table, after its name (and hint).
const ALLOWED: &str =
    "allowed keys: id, name, description, price_stars, kind, duration, contains, stock, max_per_player, energy, gems, yield_multiplier, luck, run_seconds, score_multiplier, skin, retired, energy_cap, regen, daily_gems, refundable_use, ru, fa";

#[test]
fn each_item_key() {
    let texts = |name: String, description: String| {
        format!("[[items]]\nid = \"a\"\nname = \"{name}\"\ndescription = \"{description}\"\nprice_stars = 1\n")
    };
    let cases: &[(&str, String, &[&str])] = &[
        ("valid", ENERGY.to_owned(), &[]),
        ("32 two-byte and 255 characters", texts("é".repeat(32), "d".repeat(255)), &[]),
        (
            "33 characters",
            texts("n".repeat(33), "d".into()),
            &["gd/items.toml:3: `name` is 33 characters long; the most is 32 (it is the invoice title)"],
        ),
        (
            "256 characters",
            texts("n".into(), "d".repeat(256)),
            &["gd/items.toml:4: `description` is 256 characters long; the most is 255 (it is the invoice description)"],
        ),
        (
            "missing keys",
            r#"[[items]]
kind = "permanent"
"#
            .into(),
            &[
                "gd/items.toml:1: missing required key `id`",
                "gd/items.toml:1: missing required key `name`",
                "gd/items.toml:1: missing required key `price_stars`",
            ],
        ),
        (
            "unknown keys",
            r#"[[items]]
id = "a"
name = "A"
price_stars = 1
colour = "red"
prise_stars = 2
ip = 1
"#
            .into(),
            &[
                &format!("gd/items.toml:5: unknown key `colour`; {ALLOWED}"),
                &format!("gd/items.toml:6: unknown key `prise_stars` (did you mean `price_stars`?); {ALLOWED}"),
                &format!("gd/items.toml:7: unknown key `ip`; {ALLOWED}"),
            ],
        ),
        (
            "wrong types",
            r#"[[items]]
id = 5
name = true
price_stars = "5"
kind = 1
stock = 1.5
description = ["x"]
max_per_player = 1979-05-27
"#
            .into(),
            &[
                "gd/items.toml:2: `id` must be a string, not an integer",
                "gd/items.toml:3: `name` must be a string, not a boolean",
                "gd/items.toml:4: `price_stars` must be an integer, not a string",
                "gd/items.toml:5: `kind` must be a string, not an integer",
                "gd/items.toml:6: `stock` must be an integer, not a float",
                "gd/items.toml:7: `description` must be a string, not an array",
                "gd/items.toml:8: `max_per_player` must be an integer, not a datetime",
            ],
        ),
        (
            "blank and multi-line texts",
            r#"[[items]]
id = "a"
name = "  "
description = ""
price_stars = 1

[[items]]
id = "b"
name = "two\nlines"
description = "two\nlines are fine"
price_stars = 1
"#
            .into(),
            &[
                "gd/items.toml:3: `name` must not be empty",
                "gd/items.toml:4: `description` must not be empty",
                "gd/items.toml:9: `name` must be one line of text",
            ],
        ),
        (
            "prices",
            r#"[[items]]
id = "a"
name = "A"
price_stars = 0

[[items]]
id = "b"
name = "B"
price_stars = 10001

[[items]]
id = "c"
name = "C"
price_stars = -3

[[items]]
id = "d"
name = "D"
price_stars = 99999999999999999999

[[items]]
id = "e"
name = "E"
price_stars = 10_000
"#
            .into(),
            &[
                "gd/items.toml:4: `price_stars` must be 1 to 10000, got 0",
                "gd/items.toml:9: `price_stars` must be 1 to 10000, got 10001",
                "gd/items.toml:14: `price_stars` must be 1 to 10000, got -3",
                "gd/items.toml:19: `price_stars` is too large",
            ],
        ),
        (
            "ids",
            r#"[[items]]
id = "Pickaxe"
name = "A"
price_stars = 1

[[items]]
id = ""
name = "B"
price_stars = 1

[[items]]
id = "abcdefghijklmnopqrstuvwxyz0123456"
name = "C"
price_stars = 1
"#
            .into(),
            &[
                "gd/items.toml:2: item id `Pickaxe` contains `P`; use only a-z, 0-9 and _",
                "gd/items.toml:7: item id must not be empty",
                "gd/items.toml:12: item id `abcdefghijklmnopqrstuvwxyz0123456` is longer than 32 bytes",
            ],
        ),
        (
            "duplicate ids point at the first",
            r#"[[items]]
id = "energy"
name = "Energy"
price_stars = 5

[[items]]
id = "energy"
name = "More Energy"
price_stars = 5

[[items]]
name = "X"
price_stars = 1
id = "energy"
"#
            .into(),
            &[
                "gd/items.toml:7: duplicate id `energy`; it is first defined on line 2",
                "gd/items.toml:14: duplicate id `energy`; it is first defined on line 2",
            ],
        ),
        (
            "kinds and durations",
            r#"[[items]]
id = "a"
name = "A"
price_stars = 1
kind = "tool"

[[items]]
id = "b"
name = "B"
price_stars = 1
kind = "boost"

[[items]]
id = "c"
name = "C"
price_stars = 1
duration = "1h"

[[items]]
id = "d"
name = "D"
price_stars = 1
kind = "boost"
duration = "soon"

[[items]]
id = "e"
name = "E"
price_stars = 1
kind = "boost"
duration = "0m"
"#
            .into(),
            &[
                "gd/items.toml:5: unknown kind `tool`; expected consumable, permanent, boost, bundle or subscription",
                "gd/items.toml:7: a boost needs `duration`, e.g. duration = \"1h\"",
                "gd/items.toml:17: `duration` is only for boosts; this item is a consumable",
                "gd/items.toml:24: `duration`: `soon` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
                "gd/items.toml:31: `duration`: `0m` is zero; a duration here must be longer than 0s",
            ],
        ),
        (
            "limits",
            r#"[[items]]
id = "a"
name = "A"
price_stars = 1
stock = -1
max_per_player = -1

[[items]]
id = "b"
name = "B"
price_stars = 1
kind = "permanent"
max_per_player = 2

[[items]]
id = "c"
name = "C"
price_stars = 1
kind = "permanent"
stock = 500
max_per_player = 1
"#
            .into(),
            &[
                "gd/items.toml:5: `stock` must be 0 (sold out) to 1000000000, got -1 (leave it out for no limit)",
                "gd/items.toml:6: `max_per_player` must be 1 to 1000000000, got -1 (leave it out for no limit)",
                "gd/items.toml:13: a player owns a permanent item at most once: `max_per_player` must be 1, got 2",
            ],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn items_file_shape() {
    let no_items = "no items: add at least one `[[items]]` table";
    let cases: &[(&str, &str, &[&str])] = &[
        ("empty file", "", &[&format!("gd/items.toml:1: {no_items}")]),
        ("empty list", "items = []\n", &[&format!("gd/items.toml:1: {no_items}")]),
        (
            "not a list",
            "# items\nitems = 5\n",
            &["gd/items.toml:2: `items` must be `[[items]]` tables, not an integer"],
        ),
        ("one table", "[items]\nid = \"a\"\n", &["gd/items.toml:1: `items` must be `[[items]]` tables, not a table"]),
        ("not tables", "items = [1]\n", &["gd/items.toml:1: each entry of `items` must be a table"]),
        ("inline tables", "items = [{ id = \"a\", name = \"A\", price_stars = 1 }]\n", &[]),
        (
            "unknown top-level keys",
            r#"title = "shop"
[[items]]
id = "energy"
name = "Energy"
price_stars = 5

[[item]]
id = "x"
"#,
            &[
                "gd/items.toml:1: unknown key `title`; allowed keys: items",
                "gd/items.toml:7: unknown key `item` (did you mean `items`?); allowed keys: items",
            ],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}
