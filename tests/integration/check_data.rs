//! `starmine check-data DIR` run as a real binary: one summary line for good data, and exactly
//! the expected `<dir>/<file>:<line>: <message>` lines (exit 1) for each kind of broken data.

use std::process::{Command, Output};

/// Runs `starmine check-data <dir>` from the crate root, so `dir` is given as written here.
fn check_data(dir: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_starmine"))
        .args(["check-data", dir])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .output()
        .expect("run starmine")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

#[test]
fn valid_data_prints_one_summary_line() {
    let cases = [
        // The shipped catalog changes with the game: only the shape of its line is fixed.
        ("game_data", "game_data: "),
        (
            "tests/fixtures/game_data",
            "game_data: 11 items (4 consumable, 4 permanent, 2 boost, 1 bundle), \
             1 loot zone, 3 upgrade tracks, 1 cosmetic, energy 10 (+1 per 1h), \
             arcade run 4s (max 60 pts/s, 50 gems a day), refund window 1h, \
             order ttl 10m, hold ttl 3s, version ",
        ),
    ];
    for (dir, start) in cases {
        let output = check_data(dir);
        let stdout = text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{dir}: stderr {}", text(&output.stderr));
        assert_eq!(stdout.lines().count(), 1, "{dir}: {stdout}");
        assert!(stdout.starts_with(start), "{dir}: {stdout}");
        // The shipped data has the economy lab's players; the fixture has none, and says nothing of them.
        assert_eq!(stdout.contains(" player profiles, version "), dir == "game_data", "{dir}: {stdout}");
        let (_, version) = stdout.trim_end().rsplit_once(", version ").expect("a version");
        assert!(version.len() == 16 && version.bytes().all(|b| b.is_ascii_hexdigit()), "{stdout}");
    }
}

/// The allowed keys of an `[[items]]` table, as an unknown key's message lists them.
macro_rules! item_keys {
    () => {
        "allowed keys: id, name, description, price_stars, kind, duration, contains, stock, \
         max_per_player, energy, gems, yield_multiplier, luck, run_seconds, score_multiplier, skin, retired, energy_cap, regen, daily_gems, refundable_use, ru, fa"
    };
}

/// Each broken fixture and exactly the problems it must report, in order.
const BROKEN: &[(&str, &[&str])] = &[
    (
        "syntax_error",
        &[
            "items.toml:6: syntax error: invalid basic string, expected `\"`",
            "items.toml:12: `price_stars` must be 1 to 10000, got 0",
            "settings.toml:3: `hold_ttl`: `5` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
        ],
    ),
    (
        "unknown_key",
        &[
            concat!("items.toml:5: unknown key `descripton` (did you mean `description`?); ", item_keys!()),
            concat!("items.toml:6: unknown key `colour`; ", item_keys!()),
        ],
    ),
    ("duplicate_id", &["items.toml:8: duplicate id `energy`; it is first defined on line 3"]),
    ("bundle_unknown_item", &["items.toml:12: `contains` names unknown item `gems`"]),
    (
        "bundle_permanent",
        &["items.toml:18: `pickaxe` is a permanent item; a bundle may hold only plain consumables"],
    ),
    (
        "name_too_long",
        &["items.toml:4: `name` is 33 characters long; the most is 32 (it is the invoice title)"],
    ),
    (
        "description_too_long",
        &["items.toml:5: `description` is 256 characters long; the most is 255 (it is the invoice description)"],
    ),
    (
        "price_out_of_range",
        &[
            "items.toml:5: `price_stars` must be 1 to 10000, got 0",
            "items.toml:10: `price_stars` must be 1 to 10000, got 10001",
        ],
    ),
    ("bad_id", &["items.toml:3: item id `Energy-Drink` contains `E`; use only a-z, 0-9 and _"]),
    (
        "translation_problems",
        &[
            "items.toml:9: `name` in `[items.ru]` is 33 characters long; the most is 32 (it is the invoice title)",
            "items.toml:10: `description` in `[items.ru]` has a placeholder or brace (`{`, `}`): item texts are shown exactly as written, so write the value itself",
            "items.toml:12: unknown language `de`: Starmine ships ru, fa besides English",
            "loot.toml:7: unknown language `de`: Starmine ships ru, fa besides English",
            "loot.toml:18: unknown key `description`; allowed keys: name",
            "upgrades.toml:12: `name` in `[tracks.ru]` is 38 characters long; the most is 32",
            "upgrades.toml:13: `description` in `[tracks.ru]` must not be empty",
            "upgrades.toml:22: unknown language `de`: Starmine ships ru, fa besides English",
        ],
    ),
    (
        "bad_duration",
        &[
            "settings.toml:2: `refund_window`: `2 days` is not a duration; write a whole number followed by d, h, m or s, e.g. \"48h\", \"30m\", \"90s\" or \"1h30m\"",
            "settings.toml:3: `order_ttl` must be a duration in quotes such as \"30m\", not an integer",
        ],
    ),
    ("boost_without_duration", &["items.toml:2: a boost needs `duration`, e.g. duration = \"1h\""]),
    ("unknown_file", &["shop.toml:1: unknown file, expected items.toml, settings.toml, loot.toml, upgrades.toml or players.toml"]),
    ("missing_items", &["items.toml:1: missing file: every game data directory needs items.toml"]),
    (
        "effect_wrong_kind",
        &[
            "items.toml:6: `luck` is only for boosts; this item is a consumable",
            "items.toml:12: `energy` is only for consumables; this item is a permanent",
        ],
    ),
    (
        "gems_with_energy",
        &["items.toml:7: an item cannot have both `gems` and `energy`: a gem pack adds its gems when bought, energy is added when the item is used; make them two items"],
    ),
    ("luck_out_of_range", &["items.toml:8: `luck` must be a number from 1 to 1000, got 0.5"]),
    (
        "dig_cost_above_max",
        &["settings.toml:3: `dig_cost` is 11, more than `energy_max` (10): a player could never dig"],
    ),
    ("loot_no_zones", &["loot.toml:2: no zones: add at least one `[[zones]]` table"]),
    (
        "loot_first_zone_not_at_zero",
        &["loot.toml:5: the shallowest zone must start at depth 0 (from_depth = 0); this one starts at 5, so digs above it would find nothing"],
    ),
    (
        "loot_duplicate_zone",
        &[
            "loot.toml:9: duplicate zone id `topsoil`; it is first defined on line 3",
            "loot.toml:17: two zones start at depth 0: the zone on line 5 already does; give each zone its own `from_depth`",
        ],
    ),
    (
        "loot_zone_without_drops",
        &["loot.toml:13: a zone needs at least one drop: add a `[[zones.drops]]` table"],
    ),
    ("loot_drop_weight_zero", &["loot.toml:11: `weight` must be 1 to 1000000, got 0"]),
    (
        "loot_unknown_key",
        &[
            "loot.toml:3: missing required key `from_depth`",
            "loot.toml:6: unknown key `from_dept` (did you mean `from_depth`?); allowed keys: id, name, from_depth, drops, ru, fa",
            "loot.toml:13: unknown key `chance`; allowed keys: id, name, gems, weight, rare, ru, fa",
        ],
    ),
    ("missing_loot", &["loot.toml:1: missing file: every game data directory needs loot.toml"]),
    (
        "skin_unknown",
        &["items.toml:7: unknown skin `silver`; expected classic, gold, crystal, dragon or aurora"],
    ),
    ("skin_on_boost", &["items.toml:8: `skin` is only for permanent items and subscriptions; this item is a boost"]),
    (
        "score_multiplier_out_of_range",
        &["items.toml:7: `score_multiplier` must be a number from 1 to 10, got 12"],
    ),
    (
        "run_seconds_on_consumable",
        &["items.toml:6: `run_seconds` is only for permanent items and boosts; this item is a consumable"],
    ),
    (
        "settings_run_seconds_out_of_range",
        &["settings.toml:3: `run_seconds` must be 1 to 600, got 601"],
    ),
    (
        "players_unknown_reference",
        &[
            "players.toml:9: `gem_order` names `shovel`, which is no track or cosmetic of upgrades.toml",
            "players.toml:12: `item` names unknown item `mega_pack`",
        ],
    ),
    (
        "players_bad_values",
        &[
            "players.toml:3: missing required key `digs_per_session`",
            "players.toml:8: unknown key `digs_per_sesion` (did you mean `digs_per_session`?); allowed keys: id, name, share, sessions_per_day, digs_per_session, runs_per_session, skill_mean, skill_spread, churn_per_day, weekly_budget, gem_order, buys",
            "players.toml:20: unknown `when` `sometimes`; one of: out_of_energy, daily, once",
            "players.toml:21: `chance` must be a chance from 0 to 1, got 1.5",
        ],
    ),
];

/// A missing translation is a warning on stderr, `file:line` first; the data still loads. The
/// shipped catalog is translated whole.
#[test]
fn missing_translations_are_warnings() {
    let shipped = check_data("game_data");
    assert_eq!(text(&shipped.stderr), "", "the shipped items are translated");
    let fixture = check_data("tests/fixtures/game_data");
    assert_eq!(fixture.status.code(), Some(0));
    let warnings = text(&fixture.stderr);
    let expected = [
        "warning: tests/fixtures/game_data/items.toml:18: item `pickaxe` has no `[items.ru]` translation; players see English",
        "warning: tests/fixtures/game_data/items.toml:26: item `lantern` has no `[items.fa]` translation; players see English",
        "warning: tests/fixtures/game_data/upgrades.toml:21: track `battery` has no `[tracks.ru]` translation; players see English",
        "warning: tests/fixtures/game_data/upgrades.toml:41: cosmetic `dragon_skin` has no `[cosmetics.fa]` translation; players see English",
    ];
    for line in expected {
        assert!(warnings.lines().any(|warning| warning == line), "{line} in:\n{warnings}");
    }
    assert!(!warnings.contains("`energy`"), "energy is translated into every language:\n{warnings}");
    assert!(!warnings.contains("`sharp`"), "the sharp track is translated into every language:\n{warnings}");
}

#[test]
fn broken_data_prints_every_problem_and_exits_1() {
    for (fixture, problems) in BROKEN {
        let dir = format!("tests/fixtures/broken/{fixture}");
        let output = check_data(&dir);
        let expected: Vec<String> = problems.iter().map(|problem| format!("{dir}/{problem}")).collect();
        assert_eq!(output.status.code(), Some(1), "{fixture}");
        assert_eq!(text(&output.stderr).lines().collect::<Vec<_>>(), expected, "{fixture}");
        assert_eq!(text(&output.stdout), "", "{fixture}");
    }
}

#[test]
fn every_broken_fixture_is_tested() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken");
    let mut on_disk: Vec<String> = std::fs::read_dir(root)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut tested: Vec<&str> = BROKEN.iter().map(|(fixture, _)| *fixture).collect();
    tested.sort();
    assert_eq!(on_disk, tested);
}

#[test]
fn a_directory_given_with_a_trailing_slash_or_absolutely_names_files_the_same_way() {
    let absolute = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken/bad_id");
    for dir in [format!("{absolute}/"), absolute.to_owned()] {
        let output = check_data(&dir);
        let expected =
            format!("{absolute}/items.toml:3: item id `Energy-Drink` contains `E`; use only a-z, 0-9 and _\n");
        assert_eq!((output.status.code(), text(&output.stderr)), (Some(1), expected), "{dir}");
    }
}

/// Problems stay one line each and point at the right line, whatever bytes designers write.
#[test]
fn control_characters_and_bad_bytes_are_reported_on_one_line_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    for file in ["settings.toml", "loot.toml"] {
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(
        dir.path().join("items.toml"),
        "[[items]]\nid = \"a\"\nname = \"A\"\nprice_stars = 1\nkind = \"\\r\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("extra.toml"), b"\n\xff").unwrap();
    let output =
        std::process::Command::new(env!("CARGO_BIN_EXE_starmine")).arg("check-data").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.iter().any(|l| l.ends_with("extra.toml:2: the file is not UTF-8 text; save it as UTF-8")),
        "{stderr}"
    );
    assert!(lines.iter().any(|l| l.contains("items.toml:5:") && l.contains("\\r")), "{stderr}");
    assert!(lines.iter().all(|l| l.contains(".toml:")), "every problem is one line: {stderr}");
}
