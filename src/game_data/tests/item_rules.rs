//! The rules of `items.toml`: each key, bundles, the file's shape, and syntax errors.

use super::{check, ENERGY};

#[test]
fn each_item_key() {
    let long_name = format!(
        "[[items]]\nid = \"a\"\nname = \"{}\"\nprice_stars = 1\n",
        "n".repeat(33)
    );
    let wide_name = format!(
        "[[items]]\nid = \"a\"\nname = \"{}\"\nprice_stars = 1\n",
        "é".repeat(32)
    );
    let long_text = format!(
        "{ENERGY}[[items]]\nid = \"a\"\nname = \"A\"\ndescription = \"{}\"\nprice_stars = 1\n",
        "d".repeat(256)
    );
    let full_text = format!(
        "[[items]]\nid = \"a\"\nname = \"A\"\ndescription = \"{}\"\nprice_stars = 1\n",
        "d".repeat(255)
    );
    let cases: &[(&str, &str, &[&str])] = &[
        ("valid", ENERGY, &[]),
        ("32 characters of 2 bytes", &wide_name, &[]),
        ("255 characters", &full_text, &[]),
        (
            "missing keys",
            "[[items]]\nkind = \"permanent\"\n",
            &[
                "gd/items.toml:1: missing required key `id`",
                "gd/items.toml:1: missing required key `name`",
                "gd/items.toml:1: missing required key `price_stars`",
            ],
        ),
        (
            "unknown keys",
            "[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\ncolour = \"red\"\nprise_stars = 2\n",
            &[
                "gd/items.toml:5: unknown key `colour`; allowed keys: id, name, description, price_stars, kind, duration, contains, stock, max_per_player",
                "gd/items.toml:6: unknown key `prise_stars` (did you mean `price_stars`?); allowed keys: id, name, description, price_stars, kind, duration, contains, stock, max_per_player",
            ],
        ),
        (
            "wrong types",
            "[[items]]\nid = 5\nname = true\nprice_stars = \"5\"\nkind = 1\nstock = 1.5\ndescription = [\"x\"]\nmax_per_player = 1979-05-27\n",
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
        ("name too long", &long_name, &["gd/items.toml:3: `name` is 33 characters long; the most is 32 (it is the invoice title)"]),
        (
            "blank and multi-line texts",
            "[[items]]\nid = \"a\"\nname = \"  \"\ndescription = \"\"\nprice_stars = 1\n\n[[items]]\nid = \"b\"\nname = \"two\\nlines\"\ndescription = \"two\\nlines are fine\"\nprice_stars = 1\n",
            &[
                "gd/items.toml:3: `name` must not be empty",
                "gd/items.toml:4: `description` must not be empty",
                "gd/items.toml:9: `name` must be one line of text",
            ],
        ),
        ("description too long", &long_text, &["gd/items.toml:9: `description` is 256 characters long; the most is 255 (it is the invoice description)"]),
        (
            "prices",
            "[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 0\n\n[[items]]\nid = \"b\"\nname = \"B\"\nprice_stars = 10001\n\n[[items]]\nid = \"c\"\nname = \"C\"\nprice_stars = -3\n\n[[items]]\nid = \"d\"\nname = \"D\"\nprice_stars = 99999999999999999999\n\n[[items]]\nid = \"e\"\nname = \"E\"\nprice_stars = 10_000\n",
            &[
                "gd/items.toml:4: `price_stars` must be 1 to 10000, got 0",
                "gd/items.toml:9: `price_stars` must be 1 to 10000, got 10001",
                "gd/items.toml:14: `price_stars` must be 1 to 10000, got -3",
                "gd/items.toml:19: `price_stars` is too large",
            ],
        ),
        (
            "ids",
            "[[items]]\nid = \"Pickaxe\"\nname = \"A\"\nprice_stars = 1\n\n[[items]]\nid = \"\"\nname = \"B\"\nprice_stars = 1\n\n[[items]]\nid = \"abcdefghijklmnopqrstuvwxyz0123456\"\nname = \"C\"\nprice_stars = 1\n",
            &[
                "gd/items.toml:2: item id `Pickaxe` contains `P`; use only a-z, 0-9 and _",
                "gd/items.toml:7: item id must not be empty",
                "gd/items.toml:12: item id `abcdefghijklmnopqrstuvwxyz0123456` is longer than 32 bytes",
            ],
        ),
        (
            "duplicate ids point at the first",
            &format!("{ENERGY}{ENERGY}[[items]]\nname = \"X\"\nprice_stars = 1\nid = \"energy\"\n"),
            &[
                "gd/items.toml:7: duplicate id `energy`; it is first defined on line 2",
                "gd/items.toml:14: duplicate id `energy`; it is first defined on line 2",
            ],
        ),
        (
            "kinds and durations",
            "[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nkind = \"tool\"\n\n[[items]]\nid = \"b\"\nname = \"B\"\nprice_stars = 1\nkind = \"boost\"\n\n[[items]]\nid = \"c\"\nname = \"C\"\nprice_stars = 1\nduration = \"1h\"\n\n[[items]]\nid = \"d\"\nname = \"D\"\nprice_stars = 1\nkind = \"boost\"\nduration = \"soon\"\n\n[[items]]\nid = \"e\"\nname = \"E\"\nprice_stars = 1\nkind = \"boost\"\nduration = \"0m\"\n",
            &[
                "gd/items.toml:5: unknown kind `tool`; expected consumable, permanent, boost or bundle",
                "gd/items.toml:7: a boost needs `duration`, e.g. duration = \"1h\"",
                "gd/items.toml:17: `duration` is only for boosts; this item is a consumable",
                "gd/items.toml:24: `duration`: `soon` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
                "gd/items.toml:31: `duration`: `0m` is zero; a duration here must be longer than 0s",
            ],
        ),
        (
            "limits",
            "[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nstock = 0\nmax_per_player = -1\n\n[[items]]\nid = \"b\"\nname = \"B\"\nprice_stars = 1\nkind = \"permanent\"\nmax_per_player = 2\n\n[[items]]\nid = \"c\"\nname = \"C\"\nprice_stars = 1\nkind = \"permanent\"\nstock = 500\nmax_per_player = 1\n",
            &[
                "gd/items.toml:5: `stock` must be 1 to 1000000000, got 0 (leave it out for no limit)",
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
fn bundles_hold_only_plain_consumables() {
    let things = "[[items]]\nid = \"tool\"\nname = \"Tool\"\nprice_stars = 9\nkind = \"permanent\"\n\n\
                  [[items]]\nid = \"lamp\"\nname = \"Lamp\"\nprice_stars = 9\nkind = \"boost\"\nduration = \"1h\"\n\n\
                  [[items]]\nid = \"rare\"\nname = \"Rare\"\nprice_stars = 9\nstock = 3\n\n\
                  [[items]]\nid = \"crate\"\nname = \"Crate\"\nprice_stars = 9\nmax_per_player = 2\n\n";
    let bundle = |contains: &str| {
        format!("{ENERGY}{things}[[items]]\nid = \"pack\"\nname = \"Pack\"\nprice_stars = 9\nkind = \"bundle\"\n{contains}\n")
    };
    let cases: &[(&str, String, &[&str])] = &[
        ("valid, before its contents", format!("[[items]]\nid = \"pack\"\nname = \"Pack\"\nprice_stars = 9\nkind = \"bundle\"\ncontains = {{ energy = 3, gem = 1 }}\n\n{ENERGY}[[items]]\nid = \"gem\"\nname = \"Gem\"\nprice_stars = 2\n"), &[]),
        ("no contains", bundle(""), &["gd/items.toml:31: a bundle needs `contains`, e.g. contains = { energy = 3 }"]),
        ("empty", bundle("contains = {}"), &["gd/items.toml:36: `contains` is empty; list what the bundle grants, e.g. contains = { energy = 3 }"]),
        ("sub-table", bundle("[items.contains]\nenergy = 2\nnowhere = 1"), &["gd/items.toml:38: `contains` names unknown item `nowhere`"]),
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
        ("contains on a consumable", format!("{ENERGY}[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\ncontains = {{ energy = 1 }}\n"), &["gd/items.toml:10: `contains` is only for bundles; this item is a consumable"]),
        ("contains not a table", bundle("contains = [\"energy\"]"), &["gd/items.toml:36: `contains` must be a table such as { energy = 3 }, not an array"]),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn items_file_shape() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "empty file",
            "",
            &["gd/items.toml:1: no items: add at least one `[[items]]` table"],
        ),
        (
            "empty list",
            "items = []\n",
            &["gd/items.toml:1: no items: add at least one `[[items]]` table"],
        ),
        (
            "not a list",
            "# items\nitems = 5\n",
            &["gd/items.toml:2: `items` must be `[[items]]` tables, not an integer"],
        ),
        (
            "one table",
            "[items]\nid = \"a\"\n",
            &["gd/items.toml:1: `items` must be `[[items]]` tables, not a table"],
        ),
        (
            "not tables",
            "items = [1]\n",
            &["gd/items.toml:1: each entry of `items` must be a table"],
        ),
        (
            "inline tables",
            "items = [{ id = \"a\", name = \"A\", price_stars = 1 }]\n",
            &[],
        ),
        (
            "unknown top-level key",
            &format!("title = \"shop\"\n{ENERGY}[[item]]\nid = \"x\"\n"),
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

#[test]
fn syntax_errors_hide_only_their_own_table() {
    let cases: &[(&str, String, Option<&str>, &[&str])] = &[
        (
            "a broken line, a bad price after it, a bad setting",
            format!("[[items]]\nid = \"a\"\nname = = \"A\"\nprice_stars = 1\n\n{ENERGY}[[items]]\nid = \"b\"\nname = \"B\"\nprice_stars = 0\n"),
            Some("hold_ttl = \"never\"\n"),
            &[
                "gd/items.toml:3: syntax error: extra `=`, expected nothing",
                "gd/items.toml:14: `price_stars` must be 1 to 10000, got 0",
                "gd/settings.toml:1: `hold_ttl`: `never` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
            ],
        ),
        (
            "an unclosed string is reported where it opens",
            format!("{ENERGY}[[items]]\nid = \"a\"\ndescription = \"\"\"never closed\nprice_stars = 1\n\n[[items]]\nid = \"b\"\nprice_stars = 1\n"),
            None,
            &[
                "gd/items.toml:8: syntax error: invalid multi-line basic string, expected `\"`",
                "gd/items.toml:11: missing required key `name`",
            ],
        ),
        (
            "an unclosed inline table",
            format!("{ENERGY}[[items]]\nid = \"a\"\nkind = \"bundle\"\ncontains = {{ energy = 1\nname = \"A\"\nprice_stars = 1\n"),
            None,
            &["gd/items.toml:9: syntax error: missing comma between key-value pairs, expected `,`"],
        ),
        (
            "a broken header",
            format!("{ENERGY}[[items]\nid = \"a\"\n\n[[items]]\nid = \"b\"\nname = \"B\"\nprice_stars = 1\nstock = 0\n"),
            None,
            &[
                "gd/items.toml:6: syntax error: unclosed array table, expected `]`",
                "gd/items.toml:13: `stock` must be 1 to 1000000000, got 0 (leave it out for no limit)",
            ],
        ),
        (
            "a key written twice",
            format!("[[items]]\nid = \"a\"\nname = \"A\"\nname = \"B\"\nprice_stars = 1\n\n{ENERGY}"),
            None,
            &["gd/items.toml:4: duplicate key `name` in this table"],
        ),
        (
            "unknown references are not reported after a syntax error",
            format!("[[items]]\nid = \"pack\"\nname = \"Pack\"\nprice_stars = 1\nkind = \"bundle\"\ncontains = {{ energy = 1, gem = 1 }}\n\n{ENERGY}[[items]]\nid = \"gem\"\nname = \"Gem\" x\n"),
            None,
            &["gd/items.toml:15: syntax error: unexpected key or value, expected newline, `#`"],
        ),
    ];
    for (case, items, settings, expected) in cases {
        check(case, items, *settings, expected);
    }
}
