//! `loot.toml`: zones, their drops, and the rules between them. Inputs are written from column 0
//! so that line numbers can be read off.

use super::{load, ENERGY, LOOT};
use crate::domain::LootTable;

const ZONE_KEYS: &str = "allowed keys: id, name, from_depth, drops, ru, fa";
const DROP_KEYS: &str = "allowed keys: id, name, gems, weight, rare, ru, fa";
const NO_DROPS: &str = "a zone needs at least one drop: add a `[[zones.drops]]` table";

/// The loot table of `loot`, beside a valid `items.toml`, or its problems as printed.
fn load_loot(loot: &str) -> Result<LootTable, Vec<String>> {
    load(&[("items.toml", ENERGY.as_bytes()), ("loot.toml", loot.as_bytes())]).map(|catalog| catalog.loot)
}

/// A zone (header on line 1, `from_depth` on line 4) with one drop (header on line 6, `weight`
/// on line 10), and `more` after it from line 11.
fn zone(id: &str, depth: &str, more: &str) -> String {
    format!(
        "[[zones]]\nid = \"{id}\"\nname = \"Zone\"\nfrom_depth = {depth}\n\n\
         [[zones.drops]]\nid = \"rock\"\nname = \"Rock\"\ngems = 1\nweight = 1\n{more}"
    )
}

#[test]
fn loot_rules() {
    let cases: &[(&str, String, &[&str])] = &[
        ("valid", LOOT.to_owned(), &[]),
        (
            "inline drops, zones out of order",
            r#"[[zones]]
id = "deep"
name = "Deep"
from_depth = 10
drops = [
  { id = "gold", name = "Gold", gems = 5, weight = 1, rare = true },
  { id = "rock", name = "Rock", gems = 0, weight = 1_000_000 },
]

[[zones]]
id = "top"
name = "Top"
from_depth = 0
drops = [{ id = "rock", name = "Rock", gems = 1_000_000, weight = 3, rare = false }]
"#
            .into(),
            &[],
        ),
        ("empty file", String::new(), &["gd/loot.toml:1: no zones: add at least one `[[zones]]` table"]),
        ("empty list", "# none\nzones = []\n".into(), &["gd/loot.toml:2: no zones: add at least one `[[zones]]` table"]),
        ("not a list", "zones = 5\n".into(), &["gd/loot.toml:1: `zones` must be `[[zones]]` tables, not an integer"]),
        ("one table", "[zones]\nid = \"a\"\n".into(), &["gd/loot.toml:1: `zones` must be `[[zones]]` tables, not a table"]),
        ("not tables", "zones = [\"top\"]\n".into(), &["gd/loot.toml:1: each entry of `zones` must be a table"]),
        (
            "unknown keys",
            format!("depth = 1\n{}", zone("top", "0", "rare = false\ncolour = \"red\"\n\n[[zones]]\nid = \"x\"\nname = \"X\"\nfrom_dept = 5\ndrops = [{ id = \"y\", name = \"Y\", gems = 1, weight = 1 }]\n")),
            &[
                "gd/loot.toml:1: unknown key `depth`; allowed keys: zones",
                &format!("gd/loot.toml:13: unknown key `colour`; {DROP_KEYS}"),
                "gd/loot.toml:15: missing required key `from_depth`",
                &format!("gd/loot.toml:18: unknown key `from_dept` (did you mean `from_depth`?); {ZONE_KEYS}"),
            ],
        ),
        (
            "missing keys and no drops",
            "[[zones]]\nfrom_depth = 0\n\n[[zones]]\nid = \"b\"\nname = \"B\"\nfrom_depth = 1\ndrops = []\n\n[[zones]]\nid = \"c\"\nname = \"C\"\nfrom_depth = 2\n\n[[zones.drops]]\nrare = true\n".into(),
            &[
                &format!("gd/loot.toml:1: {NO_DROPS}"),
                "gd/loot.toml:1: missing required key `id`",
                "gd/loot.toml:1: missing required key `name`",
                &format!("gd/loot.toml:8: {NO_DROPS}"),
                "gd/loot.toml:15: missing required key `id`",
                "gd/loot.toml:15: missing required key `name`",
                "gd/loot.toml:15: missing required key `gems`",
                "gd/loot.toml:15: missing required key `weight`",
            ],
        ),
        (
            "drops not tables",
            "[[zones]]\nid = \"a\"\nname = \"A\"\nfrom_depth = 0\ndrops = 3\n\n[[zones]]\nid = \"b\"\nname = \"B\"\nfrom_depth = 1\ndrops = [1]\n".into(),
            &[
                "gd/loot.toml:5: `drops` must be `[[zones.drops]]` tables, not an integer",
                "gd/loot.toml:11: each entry of `drops` must be a table",
            ],
        ),
        (
            "ids and names",
            r#"[[zones]]
id = "Top"
name = ""
from_depth = 0

[[zones.drops]]
id = ""
name = "a name that is far too long, really"
gems = 1
weight = 1

[[zones.drops]]
id = "abcdefghijklmnopqrstuvwxyz0123456"
name = "two\nlines"
gems = 1
weight = 1

[[zones.drops]]
id = 7
name = "  "
gems = 1
weight = 1
"#
            .into(),
            &[
                "gd/loot.toml:2: zone id `Top` contains `T`; use only a-z, 0-9 and _",
                "gd/loot.toml:3: `name` must not be empty",
                "gd/loot.toml:7: drop id must not be empty",
                "gd/loot.toml:8: `name` is 35 characters long; the most is 32",
                "gd/loot.toml:13: drop id `abcdefghijklmnopqrstuvwxyz0123456` is longer than 32 bytes",
                "gd/loot.toml:14: `name` must be one line of text",
                "gd/loot.toml:19: `id` must be a string, not an integer",
                "gd/loot.toml:20: `name` must not be empty",
            ],
        ),
        (
            "numbers",
            zone("top", "-1", "\n[[zones.drops]]\nid = \"a\"\nname = \"A\"\ngems = -1\nweight = 0\n\n[[zones.drops]]\nid = \"b\"\nname = \"B\"\ngems = 1000001\nweight = 1000001\nrare = \"yes\"\n\n[[zones.drops]]\nid = \"c\"\nname = \"C\"\ngems = 1.5\nweight = \"1\"\n"),
            &[
                "gd/loot.toml:4: `from_depth` must be 0 to 1000000000, got -1",
                "gd/loot.toml:15: `gems` must be 0 to 1000000, got -1",
                "gd/loot.toml:16: `weight` must be 1 to 1000000, got 0",
                "gd/loot.toml:21: `gems` must be 0 to 1000000, got 1000001",
                "gd/loot.toml:22: `weight` must be 1 to 1000000, got 1000001",
                "gd/loot.toml:23: `rare` must be true or false, not a string",
                "gd/loot.toml:28: `gems` must be an integer, not a float",
                "gd/loot.toml:29: `weight` must be an integer, not a string",
            ],
        ),
        (
            "the shallowest zone must start at 0",
            format!("{}\n{}", zone("deep", "50", ""), zone("top", "1", "")),
            &["gd/loot.toml:15: the shallowest zone must start at depth 0 (from_depth = 0); this one starts at 1, so digs above it would find nothing"],
        ),
        (
            "no depth rule while a depth is unknown",
            format!("{}\n{}", zone("deep", "50", ""), zone("top", "\"0\"", "")),
            &["gd/loot.toml:15: `from_depth` must be an integer, not a string"],
        ),
        (
            "duplicate ids and depths",
            format!("{}\n{}\n{}", zone("top", "0", ""), zone("top", "5", ""), zone("deep", "5", "\n[[zones.drops]]\nid = \"rock\"\nname = \"Rock\"\ngems = 1\nweight = 1\n")),
            &[
                "gd/loot.toml:13: duplicate zone id `top`; it is first defined on line 2",
                "gd/loot.toml:26: two zones start at depth 5: the zone on line 15 already does; give each zone its own `from_depth`",
                "gd/loot.toml:35: duplicate drop id `rock`; it is first defined on line 29",
            ],
        ),
        (
            "a syntax error in a drop hides only the rest of that drop",
            zone("top", "0", "\n[[zones.drops]]\nid = \"gold\"\nname = \"Gold\nweight = 1\n\n[[zones.drops]]\nid = \"gem\"\nname = \"Gem\"\ngems = 1\nweight = 0\n"),
            &[
                "gd/loot.toml:14: syntax error: invalid basic string, expected `\"`",
                "gd/loot.toml:21: `weight` must be 1 to 1000000, got 0",
            ],
        ),
    ];
    for (case, loot, expected) in cases {
        let problems = load_loot(loot).err().unwrap_or_default();
        assert_eq!(problems, *expected, "case `{case}`");
    }
}

#[test]
fn builds_the_loot_table_sorted_by_depth() {
    let loot = format!(
        "{}\n{}",
        zone("deep", "50", "rare = true\n"),
        zone("top", "0", "\n[[zones.drops]]\nid = \"gold\"\nname = \"Gold\"\ngems = 0\nweight = 7\nrare = false\n")
    );
    let table = load_loot(&loot).unwrap();
    let zones: Vec<(&str, u32, usize)> =
        table.zones().iter().map(|zone| (zone.id.as_str(), zone.from_depth, zone.drops.len())).collect();
    assert_eq!(zones, [("top", 0, 2), ("deep", 50, 1)]);
    assert_eq!(table.zone_at(49).id, "top");
    assert_eq!(table.zone_at(50).id, "deep");
    let drops: Vec<(&str, &str, u32, u32, bool)> = table
        .zones()
        .iter()
        .flat_map(|zone| &zone.drops)
        .map(|drop| (drop.id.as_str(), drop.name.as_str(), drop.gems, drop.weight, drop.rare))
        .collect();
    assert_eq!(drops, [("rock", "Rock", 1, 1, false), ("gold", "Gold", 0, 7, false), ("rock", "Rock", 1, 1, true),]);
}
