//! The data the repository ships: the real `game_data/` loads without a problem and every item in
//! it does something in play; the integration tests' copy has exactly the items, effects, loot,
//! short durations and short arcade run they rely on.

use std::path::Path;
use std::time::Duration;

use crate::domain::economy::TrackEffect;
use crate::domain::{ArcadeRules, Catalog, Drop, Effects, EnergyRules, ItemKind, Lang, LootTable, Upgrades, Zone};
use crate::game_data::load_dir;

fn load_shipped(dir: &str) -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    load_dir(&dir).unwrap_or_else(|problems| {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        panic!("{} has problems:\n{}", dir.display(), problems.join("\n"))
    })
}

/// The shipped catalog must load without a single problem.
#[test]
fn real_game_data_is_valid() {
    let catalog = load_shipped("game_data");
    assert!(catalog.items().len() >= 10);
    for kind in ["consumable", "permanent", "boost", "bundle", "subscription"] {
        assert!(catalog.items().iter().any(|item| item.kind.name() == kind), "no {kind} item");
    }
    let golden = catalog.find("founders_golden_pickaxe").unwrap();
    assert_eq!((golden.stock, golden.max_per_player, golden.is_permanent()), (Some(500), Some(1), true));
    // An item that does nothing must not be sold: a bundle counts through what it grants.
    let does_something = |effects: &Effects| *effects != Effects::default();
    for item in catalog.items() {
        let grants = item.grants();
        let perks = item.pass_perks().is_some_and(|perks| !perks.is_empty());
        let useful = perks || grants.iter().all(|(id, _)| does_something(&catalog.get(id).unwrap().effects));
        assert!(useful, "`{}` does nothing in play", item.id);
    }
    let effects = |id: &str| catalog.find(id).unwrap().effects.clone();
    let energy_max = catalog.settings.energy.max;
    assert_eq!(effects("energy_refill").energy, Some(energy_max));
    assert_eq!(effects("gem_pack").gems, Some(1500), "a Gem Pack shortens a track by about five levels");
    assert_eq!(effects("iron_pickaxe").yield_percent, Some(150));
    assert_eq!(effects("diamond_drill").yield_percent, Some(250));
    assert_eq!(golden.effects.yield_percent, Some(300));
    assert_eq!(effects("lucky_lantern").luck_percent, Some(300));
    let boost = |id: &str| catalog.find(id).unwrap().kind.clone();
    let minutes = |m: u64| ItemKind::Boost { duration: Duration::from_secs(m * 60) };
    assert_eq!((boost("dynamite"), effects("dynamite").yield_percent), (minutes(10), Some(300)));
    assert_eq!((boost("treasure_map"), effects("treasure_map").luck_percent), (minutes(15), Some(500)));
    assert!(catalog.find("second_wind").is_none());
    // Starmine Rush: extra time, score multipliers and skins.
    assert_eq!(effects("stopwatch").run_seconds, Some(10));
    assert_eq!(effects("diamond_drill").run_seconds, Some(5));
    let lamp = effects("crystal_lamp");
    assert_eq!((lamp.skin.as_deref(), lamp.score_percent), (Some("crystal"), Some(120)));
    assert_eq!(golden.effects.skin.as_deref(), Some("gold"));
    assert_eq!((boost("rush_hour"), effects("rush_hour").score_percent), (minutes(30), Some(200)));
    // 90 points a second leaves the page's natural spawn rate room (its worst case is about
    // 82 points a second plus 160 per run), so boards are not thinned out.
    assert_eq!(catalog.settings.arcade, ArcadeRules { points_per_second: 90, ..ArcadeRules::default() });
    // The gem sinks: five tracks of eight levels at 300 × 1.6^(level − 1), the dragon skin.
    let economy = &catalog.economy;
    let effects_of: Vec<_> = economy.tracks.iter().map(|track| track.effect).collect();
    assert_eq!(effects_of, TrackEffect::ALL.to_vec(), "one track per effect");
    for track in &economy.tracks {
        assert_eq!(track.total_cost(track.max_level()), 20_975, "{}", track.id);
    }
    assert_eq!(economy.cosmetic("dragon_skin").map(|c| (c.skin.as_str(), c.price_gems)), Some(("dragon", 25_000)));
    assert_eq!(catalog.settings.arcade.gems_per_day, 600);

    let zones = catalog.loot.zones();
    assert_eq!(zones.len(), 4);
    assert_eq!(zones[0].from_depth, 0);
    for zone in zones {
        assert!((4..=6).contains(&zone.drops.len()), "zone `{}`", zone.id);
        let rare = zone.drops.iter().filter(|drop| drop.rare).count();
        assert!((2..zone.drops.len()).contains(&rare), "zone `{}` has {rare} rare drops", zone.id);
    }
}

/// Integration tests rely on these exact items, effects, loot, short durations and arcade rules.
#[test]
fn test_fixture_catalog() {
    let catalog = load_shipped("tests/fixtures/game_data");
    type Row<'a> = (&'a str, &'a str, u32, Option<u32>, Option<u32>);
    let rows: Vec<Row<'_>> = catalog
        .items()
        .iter()
        .map(|item| (item.id.as_str(), item.kind.name(), item.price.get(), item.stock, item.max_per_player))
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
            ("stopwatch", "permanent", 30, None, None),
            ("gold_skin", "permanent", 40, None, None),
            ("rush", "boost", 15, None, None),
        ]
    );
    let grants: Vec<(String, u32)> =
        catalog.find("starter").unwrap().grants().into_iter().map(|(id, n)| (id.to_string(), n)).collect();
    assert_eq!(grants, [("energy".to_owned(), 3), ("gem_pack".to_owned(), 1)]);
    assert_eq!(catalog.find("lantern").unwrap().kind, ItemKind::Boost { duration: Duration::from_secs(10) });
    assert_eq!(catalog.find("rush").unwrap().kind, ItemKind::Boost { duration: Duration::from_secs(60) });
    let effects: Vec<(&str, Effects)> = catalog
        .items()
        .iter()
        .filter(|item| item.effects != Effects::default())
        .map(|item| (item.id.as_str(), item.effects.clone()))
        .collect();
    let none = Effects::default();
    assert_eq!(
        effects,
        [
            ("energy", Effects { energy: Some(5), ..none.clone() }),
            ("pickaxe", Effects { yield_percent: Some(200), ..none.clone() }),
            ("lantern", Effects { luck_percent: Some(100_000), ..none.clone() }),
            ("gem_pack", Effects { gems: Some(50), ..none.clone() }),
            ("stopwatch", Effects { run_seconds: Some(3), ..none.clone() }),
            ("gold_skin", Effects { skin: Some("gold".into()), score_percent: Some(150), ..none.clone() }),
            ("rush", Effects { score_percent: Some(200), ..none }),
        ]
    );
    let secs = |d: Duration| d.as_secs();
    let settings = &catalog.settings;
    assert_eq!(
        (secs(settings.refund_window), secs(settings.order_ttl), secs(settings.hold_ttl), secs(settings.notify_period)),
        (3600, 600, 3, 3600)
    );
    let energy = EnergyRules { max: 10, regen: Duration::from_secs(3600), dig_cost: 1 };
    assert_eq!(settings.energy, energy);
    let arcade = ArcadeRules { run_seconds: 4, points_per_second: 60, gems_per_100_points: 10, gems_per_day: 50 };
    assert_eq!(settings.arcade, arcade);
    let names = |ru: &str, fa: &str| [(Lang::Ru, ru.to_owned()), (Lang::Fa, fa.to_owned())].into_iter().collect();
    let drop = |id: &str, name: &str, (ru, fa), gems, weight, rare| Drop {
        id: id.into(),
        name: name.into(),
        names: names(ru, fa),
        gems,
        weight,
        rare,
    };
    let mine = Zone {
        id: "mine".into(),
        name: "Mine".into(),
        names: names("Шахта", "معدن"),
        from_depth: 0,
        drops: vec![
            drop("pebble", "Pebble", ("Камешек", "سنگ\u{200c}ریزه"), 1, 100, false),
            drop("diamond", "Diamond", ("Алмаз", "الماس"), 100, 1, true),
        ],
    };
    assert_eq!(catalog.loot, LootTable::new(vec![mine]));
}

/// A player owning both shipped skin items chooses between them; a skin they do not own (or no
/// choice) falls back to the automatic one.
#[test]
fn owners_of_several_skins_choose_the_one_their_runs_use() {
    let catalog = load_shipped("game_data");
    let none: std::collections::BTreeMap<String, u64> = Default::default();
    let no_boosts: std::collections::BTreeMap<String, i64> = Default::default();
    assert_eq!(catalog.skins_available(&none, &Upgrades::default(), 0), vec!["classic"]);
    assert_eq!(
        catalog.run_params(&none, &no_boosts, &Upgrades::default(), Some("gold"), 0).skin,
        "classic",
        "not owned"
    );
    let owned: std::collections::BTreeMap<String, u64> =
        [("founders_golden_pickaxe".to_owned(), 1), ("crystal_lamp".to_owned(), 1)].into();
    assert_eq!(catalog.skins_available(&owned, &Upgrades::default(), 0), vec!["classic", "crystal", "gold"]);
    let skin = |chosen: Option<&str>| catalog.run_params(&owned, &no_boosts, &Upgrades::default(), chosen, 0).skin;
    assert_eq!(skin(None), "gold", "automatic: the last skin item by id");
    assert_eq!(skin(Some("crystal")), "crystal");
    assert_eq!(skin(Some("classic")), "classic");
    assert_eq!(skin(Some("dragon")), "gold", "a skin not owned is ignored");
    // The choice changes the look only: the same ceiling either way.
    assert_eq!(
        catalog.run_params(&owned, &no_boosts, &Upgrades::default(), Some("classic"), 0).max_score,
        catalog.run_params(&owned, &no_boosts, &Upgrades::default(), Some("gold"), 0).max_score
    );
}
