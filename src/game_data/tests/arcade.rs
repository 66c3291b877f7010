//! The arcade run's keys: the item effects `run_seconds`, `score_multiplier` and `skin` (their
//! values, the kinds each is for, what they become) and the `run_*` settings. Inputs are written
//! from column 0 so that line numbers can be read off.

use super::{check, load, summary, ENERGY, LOOT};
use crate::domain::{ArcadeRules, Effects, Settings};

/// An item `a` of `kind` (line 1 is its header, line 5 its `kind`) with `effects` from line 6.
fn item(kind: &str, effects: &str) -> String {
    format!("[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nkind = \"{kind}\"\n{effects}\n")
}

/// A boost: its `duration` is on line 6, its effects from line 7.
fn boost(effects: &str) -> String {
    item("boost", &format!("duration = \"1h\"\n{effects}"))
}

/// A bundle of one `energy` (line 6), its effects from line 7, then the `energy` item.
fn bundle(effects: &str) -> String {
    let bundle = item("bundle", &format!("contains = {{ energy = 1 }}\n{effects}"));
    format!("{bundle}{ENERGY}")
}

/// The same text with the item id `a` renamed, to put a second item in one file.
fn renamed(text: String, id: &str) -> String {
    text.replace("\"a\"", &format!("\"{id}\""))
}

const SKIN_LIST: &str = "expected classic, gold, crystal, dragon or aurora";

#[test]
fn arcade_effect_values() {
    let cases: &[(&str, String, &[&str])] = &[
        (
            "every arcade effect on a permanent",
            item("permanent", "run_seconds = 600\nscore_multiplier = 10\nskin = \"dragon\""),
            &[],
        ),
        ("the least on a boost", boost("run_seconds = 1\nscore_multiplier = 1.0"), &[]),
        (
            "every skin",
            ["classic", "gold", "crystal", "dragon"]
                .iter()
                .map(|skin| renamed(item("permanent", &format!("skin = \"{skin}\"")), skin))
                .collect(),
            &[],
        ),
        (
            "run_seconds out of range",
            item("permanent", "run_seconds = 0")
                + &renamed(boost("run_seconds = 601"), "b")
                + &renamed(item("permanent", "run_seconds = -5"), "c"),
            &[
                "gd/items.toml:6: `run_seconds` must be 1 to 600, got 0",
                "gd/items.toml:13: `run_seconds` must be 1 to 600, got 601",
                "gd/items.toml:19: `run_seconds` must be 1 to 600, got -5",
            ],
        ),
        (
            "score_multiplier out of range",
            item("permanent", "score_multiplier = 0.5")
                + &renamed(boost("score_multiplier = 10.01"), "b")
                + &renamed(item("permanent", "score_multiplier = 11"), "c")
                + &renamed(item("permanent", "score_multiplier = nan"), "d"),
            &[
                "gd/items.toml:6: `score_multiplier` must be a number from 1 to 10, got 0.5",
                "gd/items.toml:13: `score_multiplier` must be a number from 1 to 10, got 10.01",
                "gd/items.toml:19: `score_multiplier` must be a number from 1 to 10, got 11",
                "gd/items.toml:25: `score_multiplier` must be a number from 1 to 10, got nan",
            ],
        ),
        (
            "unknown skins",
            item("permanent", "skin = \"silver\"")
                + &renamed(item("permanent", "skin = \"Gold\""), "b")
                + &renamed(item("permanent", "skin = \"\""), "c"),
            &[
                &format!("gd/items.toml:6: unknown skin `silver`; {SKIN_LIST}"),
                &format!("gd/items.toml:12: unknown skin `Gold`; {SKIN_LIST}"),
                &format!("gd/items.toml:18: unknown skin ``; {SKIN_LIST}"),
            ],
        ),
        (
            "wrong types",
            item("permanent", "run_seconds = 1.5\nscore_multiplier = \"2x\"\nskin = 1")
                + &renamed(boost("run_seconds = \"10s\"\nscore_multiplier = true"), "b"),
            &[
                "gd/items.toml:6: `run_seconds` must be an integer, not a float",
                "gd/items.toml:7: `score_multiplier` must be a number such as 1.5, not a string",
                "gd/items.toml:8: `skin` must be a string, not an integer",
                "gd/items.toml:15: `run_seconds` must be an integer, not a string",
                "gd/items.toml:16: `score_multiplier` must be a number such as 1.5, not a boolean",
            ],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn arcade_effects_are_for_some_kinds_only() {
    let cases: &[(&str, String, &[&str])] = &[
        (
            "on a consumable",
            item("consumable", "run_seconds = 5\nscore_multiplier = 2\nskin = \"gold\""),
            &[
                "gd/items.toml:6: `run_seconds` is only for permanent items and boosts; this item is a consumable",
                "gd/items.toml:7: `score_multiplier` is only for permanent items and boosts; this item is a consumable",
                "gd/items.toml:8: `skin` is only for permanent items and subscriptions; this item is a consumable",
            ],
        ),
        (
            "a consumable left without kind",
            format!("{ENERGY}[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nrun_seconds = 5\n"),
            &["gd/items.toml:10: `run_seconds` is only for permanent items and boosts; this item is a consumable"],
        ),
        (
            "on a bundle",
            bundle("run_seconds = 5\nscore_multiplier = 2\nskin = \"gold\""),
            &[
                "gd/items.toml:7: `run_seconds` is only for permanent items and boosts; this item is a bundle",
                "gd/items.toml:8: `score_multiplier` is only for permanent items and boosts; this item is a bundle",
                "gd/items.toml:9: `skin` is only for permanent items and subscriptions; this item is a bundle",
            ],
        ),
        (
            "a skin on a boost",
            boost("run_seconds = 5\nscore_multiplier = 2\nskin = \"gold\""),
            &["gd/items.toml:9: `skin` is only for permanent items and subscriptions; this item is a boost"],
        ),
        (
            "an unknown skin on a boost is reported once",
            boost("skin = \"silver\""),
            &[&format!("gd/items.toml:7: unknown skin `silver`; {SKIN_LIST}")],
        ),
        (
            "an unknown kind hides only the kind rules",
            item("tool", "skin = \"gold\"\nrun_seconds = 0"),
            &[
                "gd/items.toml:5: unknown kind `tool`; expected consumable, permanent, boost, bundle or subscription",
                "gd/items.toml:7: `run_seconds` must be 1 to 600, got 0",
            ],
        ),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn arcade_effects_become_values() {
    let items = [
        item("permanent", "run_seconds = 10\nscore_multiplier = 1.2\nskin = \"crystal\""),
        renamed(boost("score_multiplier = 2"), "b"),
        renamed(boost("run_seconds = 30\nscore_multiplier = 1.234"), "c"),
        renamed(item("permanent", "skin = \"gold\"\nyield_multiplier = 3"), "d"),
        renamed(item("permanent", "score_multiplier = 10.0"), "e"),
    ]
    .join("");
    let catalog = load(&[("items.toml", items.as_bytes()), ("loot.toml", LOOT.as_bytes())]).unwrap();
    let effects = |id: &str| catalog.find(id).unwrap().effects.clone();
    let none = Effects::default();
    let cases = [
        (
            "a",
            Effects { run_seconds: Some(10), score_percent: Some(120), skin: Some("crystal".into()), ..none.clone() },
        ),
        ("b", Effects { score_percent: Some(200), ..none.clone() }),
        ("c", Effects { run_seconds: Some(30), score_percent: Some(123), ..none.clone() }),
        ("d", Effects { yield_percent: Some(300), skin: Some("gold".into()), ..none.clone() }),
        ("e", Effects { score_percent: Some(1000), ..none }),
    ];
    for (id, expected) in cases {
        assert_eq!(effects(id), expected, "{id}");
    }
}

#[test]
fn arcade_settings() {
    let allowed = "allowed keys: refund_window, order_ttl, hold_ttl, energy_max, energy_regen, dig_cost, notify_period, run_seconds, run_points_per_second, run_gems_per_100_points, run_gems_per_day";
    let cases: &[(&str, &str, &[&str])] = &[
        ("the least", "run_seconds = 1\nrun_points_per_second = 1\nrun_gems_per_100_points = 0\n", &[]),
        ("the most", "run_seconds = 600\nrun_points_per_second = 10000\nrun_gems_per_100_points = 1000\n", &[]),
        (
            "too little",
            "run_seconds = 0\nrun_points_per_second = 0\nrun_gems_per_100_points = -1\n",
            &[
                "gd/settings.toml:1: `run_seconds` must be 1 to 600, got 0",
                "gd/settings.toml:2: `run_points_per_second` must be 1 to 10000, got 0",
                "gd/settings.toml:3: `run_gems_per_100_points` must be 0 to 1000, got -1",
            ],
        ),
        (
            "too much",
            "run_seconds = 601\nrun_points_per_second = 10001\nrun_gems_per_100_points = 1001\n",
            &[
                "gd/settings.toml:1: `run_seconds` must be 1 to 600, got 601",
                "gd/settings.toml:2: `run_points_per_second` must be 1 to 10000, got 10001",
                "gd/settings.toml:3: `run_gems_per_100_points` must be 0 to 1000, got 1001",
            ],
        ),
        (
            "wrong types and a typo",
            "run_seconds = \"30s\"\nrun_points_per_second = 60.0\nrun_gems_per_100_points = true\nrun_second = 30\n",
            &[
                "gd/settings.toml:1: `run_seconds` must be an integer, not a string",
                "gd/settings.toml:2: `run_points_per_second` must be an integer, not a float",
                "gd/settings.toml:3: `run_gems_per_100_points` must be an integer, not a boolean",
                &format!("gd/settings.toml:4: unknown key `run_second` (did you mean `run_seconds`?); {allowed}"),
            ],
        ),
    ];
    for (case, settings, expected) in cases {
        check(case, ENERGY, Some(settings), expected);
    }
}

#[test]
fn arcade_settings_values_and_summary() {
    let load_with = |text: &str| {
        let files: &[(&str, &[u8])] =
            &[("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("settings.toml", text.as_bytes())];
        load(files).unwrap()
    };
    let defaults = load_with("").settings;
    assert_eq!(defaults, Settings::default());
    let rules = |run_seconds, points_per_second, gems_per_100_points| ArcadeRules {
        run_seconds,
        points_per_second,
        gems_per_100_points,
        gems_per_day: 600,
    };
    assert_eq!(defaults.arcade, rules(30, 60, 10));
    let catalog = load_with("run_seconds = 90\nrun_points_per_second = 120\n");
    assert_eq!(catalog.settings.arcade, rules(90, 120, 10));
    assert!(
        summary(&catalog)
            .contains(", energy 20 (+1 per 3m), arcade run 1m30s (max 120 pts/s, 600 gems a day), refund window 48h, "),
        "{}",
        summary(&catalog)
    );
    let catalog = load_with("run_gems_per_100_points = 0\nrun_seconds = 4\n");
    assert_eq!(catalog.settings.arcade, rules(4, 60, 0));
    let catalog = load_with("run_gems_per_day = 250\n");
    assert_eq!(catalog.settings.arcade, ArcadeRules { gems_per_day: 250, ..rules(30, 60, 10) });
}
