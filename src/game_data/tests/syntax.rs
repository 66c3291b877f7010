//! Syntax errors: each is reported, and hides only the rest of its own table. Inputs are
//! written from column 0 so that line numbers can be read off.

use super::check;

#[test]
fn syntax_errors_hide_only_their_own_table() {
    let cases: &[(&str, &str, Option<&str>, &[&str])] = &[
        (
            "a broken line, a bad price after it, a bad setting",
            r#"[[items]]
id = "a"
name = = "A"
price_stars = 1

[[items]]
id = "b"
name = "B"
price_stars = 0
"#,
            Some("hold_ttl = \"never\"\n"),
            &[
                "gd/items.toml:3: syntax error: extra `=`, expected nothing",
                "gd/items.toml:9: `price_stars` must be 1 to 10000, got 0",
                "gd/settings.toml:1: `hold_ttl`: `never` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
            ],
        ),
        (
            "an unclosed string is reported where it opens",
            r#"[[items]]
id = "a"
description = """never closed
price_stars = 1

[[items]]
id = "b"
price_stars = 1
"#,
            None,
            &[
                "gd/items.toml:3: syntax error: invalid multi-line basic string, expected `\"`",
                "gd/items.toml:6: missing required key `name`",
            ],
        ),
        (
            "an unclosed inline table",
            r#"[[items]]
id = "a"
kind = "bundle"
contains = { energy = 1
name = "A"
price_stars = 1
"#,
            None,
            &["gd/items.toml:4: syntax error: missing comma between key-value pairs, expected `,`"],
        ),
        (
            "a broken header",
            r#"[[items]
id = "a"

[[items]]
id = "b"
name = "B"
price_stars = 1
stock = -1
"#,
            None,
            &[
                "gd/items.toml:1: syntax error: unclosed array table, expected `]`",
                "gd/items.toml:8: `stock` must be 0 (sold out) to 1000000000, got -1 (leave it out for no limit)",
            ],
        ),
        (
            "a key written twice",
            r#"[[items]]
id = "a"
name = "A"
name = "B"
price_stars = 1
"#,
            None,
            &["gd/items.toml:4: duplicate key `name` in this table"],
        ),
        (
            "unknown references are not reported after a syntax error",
            r#"[[items]]
id = "pack"
name = "Pack"
price_stars = 1
kind = "bundle"
contains = { energy = 1, gem = 1 }

[[items]]
id = "gem"
name = "Gem" x
"#,
            None,
            &["gd/items.toml:10: syntax error: unexpected key or value, expected newline, `#`"],
        ),
        (
            "a sub-table after a syntax error still belongs to its item",
            r#"[[items]]
id = "a"
name = = "A"
price_stars = 1

[[items]]
id = "pack"
name = "Pack"
price_stars = 1
kind = "bundle"

[items.contains]
energy = 0
"#,
            None,
            &[
                "gd/items.toml:3: syntax error: extra `=`, expected nothing",
                "gd/items.toml:13: the quantity of `energy` in `contains` must be 1 to 1000, got 0",
            ],
        ),
    ];
    for (case, items, settings, expected) in cases {
        check(case, items, *settings, expected);
    }
}
