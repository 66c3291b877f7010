//! `upgrades.toml`: tracks and cosmetics, their keys, and the checks against the other files.

use super::{load, ENERGY, LOOT};
use crate::domain::economy::TrackEffect;
use crate::domain::Lang;

/// Asserts that `upgrades.toml` beside valid items and loot gives exactly `expected`.
fn check(case: &str, upgrades: &str, expected: &[&str]) {
    let files: Vec<(&str, &[u8])> =
        vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("upgrades.toml", upgrades.as_bytes())];
    let problems = load(&files).err().unwrap_or_default();
    assert_eq!(problems, expected, "case `{case}`");
}

const TRACK: &str = "[[tracks]]\nid = \"pick\"\nname = \"Pick\"\ndescription = \"Sharper.\"\neffect = \"yield\"\n\
                     per_level = 10\nlevels = 3\nfirst_cost = 100\ncost_growth = 1.5\n";

#[test]
fn a_valid_file_builds_tracks_with_rising_costs_and_cosmetics() {
    let text = format!(
        "{TRACK}\n[[cosmetics]]\nid = \"dragon_skin\"\nname = \"Dragon\"\ndescription = \"Looks.\"\nskin = \"dragon\"\n\
         price_gems = 2500\n"
    );
    let files: Vec<(&str, &[u8])> =
        vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("upgrades.toml", text.as_bytes())];
    let catalog = load(&files).unwrap();
    let track = &catalog.economy.tracks[0];
    assert_eq!((track.id.as_str(), track.effect, track.per_level), ("pick", TrackEffect::Yield, 10));
    assert_eq!(track.costs, vec![100, 150, 225]);
    assert_eq!(catalog.economy.cosmetics[0].price_gems, 2500);
    assert_eq!((track.name_in(Lang::Ru), track.description_in(Lang::Fa)), ("Pick", "Sharper."), "English stands in");
    // Without the file: no sinks, still valid.
    let plain: Vec<(&str, &[u8])> = vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes())];
    assert!(load(&plain).unwrap().economy.tracks.is_empty());
}

#[test]
fn every_bad_key_is_reported_with_its_line() {
    check(
        "missing keys",
        "[[tracks]]\nid = \"pick\"\n",
        &[
            "gd/upgrades.toml:1: missing required key `name`",
            "gd/upgrades.toml:1: missing required key `description`",
            "gd/upgrades.toml:1: missing required key `effect`",
            "gd/upgrades.toml:1: missing required key `per_level`",
            "gd/upgrades.toml:1: missing required key `levels`",
            "gd/upgrades.toml:1: missing required key `first_cost`",
            "gd/upgrades.toml:1: missing required key `cost_growth`",
        ],
    );
    let bad = TRACK
        .replace("\"yield\"", "\"speed\"")
        .replace("levels = 3", "levels = 0")
        .replace("cost_growth = 1.5", "cost_growth = 0.5");
    check("bad values", &bad, &[
        "gd/upgrades.toml:5: unknown effect `speed`; one of: yield, luck, energy_cap, regen, run_seconds",
        "gd/upgrades.toml:7: `levels` must be 1 to 100, got 0",
        "gd/upgrades.toml:9: `cost_growth` must be from 1 to 10 (each level costs this many times the one before), got 0.5",
    ]);
    check("too dear", &TRACK.replace("levels = 3", "levels = 12").replace("1.5", "10"), &[
        "gd/upgrades.toml:9: the last level would cost 10000000000000 gems, more than 1000000000: lower `cost_growth` or `levels`",
    ]);
    check("duplicate and unknown key", &format!("{TRACK}\n{}", TRACK.replace("per_level", "per_levle")), &[
        "gd/upgrades.toml:11: missing required key `per_level`",
        "gd/upgrades.toml:12: duplicate id `pick`: every track and cosmetic needs its own id",
        "gd/upgrades.toml:16: unknown key `per_levle` (did you mean `per_level`?); allowed keys: id, name, description, effect, per_level, levels, first_cost, cost_growth, ru, fa",
    ]);
    check(
        "cosmetic skin",
        "[[cosmetics]]\nid = \"c\"\nname = \"C\"\ndescription = \"D\"\nskin = \"neon\"\nprice_gems = 0\n",
        &[
            "gd/upgrades.toml:5: unknown skin `neon`; the game draws: classic, gold, crystal, dragon, aurora",
            "gd/upgrades.toml:6: `price_gems` must be 1 to 1000000000, got 0",
        ],
    );
}

#[test]
fn ids_of_items_and_a_regeneration_of_zero_are_refused() {
    check(
        "item id",
        &TRACK.replace("\"pick\"", "\"energy\""),
        &["gd/upgrades.toml:2: id `energy` is also an item in items.toml: give the upgrade its own id"],
    );
    let regen = TRACK.replace("\"yield\"", "\"regen\"").replace("per_level = 10", "per_level = 60");
    check("regen to zero", &regen, &[
        "gd/upgrades.toml:2: the `regen` tracks take up to 180s off `energy_regen` (180s in settings.toml) at their last levels: keep the total below it (regeneration stops at 1s a point)",
    ]);
}

#[test]
fn tracks_and_cosmetics_are_read_in_every_shipped_language() {
    let text = format!(
        "{TRACK}\n[tracks.ru]\nname = \"Кирка\"\ndescription = \"Острее.\"\n\n[[cosmetics]]\nid = \"dragon_skin\"\n\
         name = \"Dragon\"\ndescription = \"Looks.\"\nskin = \"dragon\"\nprice_gems = 2500\n\n[cosmetics.fa]\nname = \"اژدها\"\n"
    );
    let files: Vec<(&str, &[u8])> =
        vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("upgrades.toml", text.as_bytes())];
    let catalog = load(&files).unwrap();
    let (track, cosmetic) = (&catalog.economy.tracks[0], &catalog.economy.cosmetics[0]);
    assert_eq!((track.name_in(Lang::Ru), track.description_in(Lang::Ru)), ("Кирка", "Острее."));
    assert_eq!((track.name_in(Lang::Fa), track.name_in(Lang::En)), ("Pick", "Pick"));
    assert_eq!((cosmetic.name_in(Lang::Fa), cosmetic.description_in(Lang::Fa)), ("اژدها", "Looks."));
}
