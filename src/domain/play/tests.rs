use std::time::Duration;

use rand::SeedableRng;

use super::*;
use crate::domain::game::{Drop, Effects, Zone};
use crate::domain::{ItemId, Settings, Stars};

const DAY: i64 = 86_400_000;
const NOW: i64 = 20_000 * DAY + 3_600_000;

fn rules() -> EnergyRules {
    EnergyRules { max: 5, regen: Duration::from_secs(60), dig_cost: 1 }
}

fn item(id: &str, kind: ItemKind, effects: Effects) -> Item {
    Item {
        id: ItemId::parse(id).unwrap(),
        name: id.into(),
        description: id.into(),
        price: Stars::new(5).unwrap(),
        kind,
        stock: None,
        max_per_player: None,
        effects,
        retired: false,
        translations: Default::default(),
    }
}

fn catalog() -> Catalog {
    let drop =
        Drop { id: "pebble".into(), name: "Pebble".into(), names: Default::default(), gems: 4, weight: 1, rare: false };
    let zone = Zone { id: "z".into(), name: "Z".into(), names: Default::default(), from_depth: 0, drops: vec![drop] };
    let settings = Settings { energy: rules(), ..Settings::default() };
    let refill = item("refill", ItemKind::Consumable, Effects { energy: Some(3), ..Effects::default() });
    let dynamite = item(
        "dynamite",
        ItemKind::Boost { duration: Duration::from_secs(600) },
        Effects { yield_percent: Some(300), ..Effects::default() },
    );
    let pick = item("pick", ItemKind::Permanent, Effects { yield_percent: Some(150), ..Effects::default() });
    Catalog::new(vec![refill, dynamite, pick], settings, LootTable::new(vec![zone]), "v".into())
}

fn player(energy: u32, at_ms: i64) -> Player {
    Player { energy: Energy { value: energy, at_ms }, ..Player::new(&catalog(), NOW) }
}

#[test]
fn a_dig_spends_energy_as_the_script_does() {
    // (energy, its moment, now) -> energy after the dig, or the settled energy of a refusal.
    let check = |value, at, now, expected: Result<Energy, Energy>| {
        assert_eq!(Energy { value, at_ms: at }.spend(&rules(), now), expected, "{value} at {at}, now {now}");
    };
    // From a full bar the clock starts at the dig.
    check(5, 0, 1_000, Ok(Energy { value: 4, at_ms: 1_000 }));
    // Regenerated to full: the same.
    check(1, 0, 10 * 60_000, Ok(Energy { value: 4, at_ms: 600_000 }));
    // Partly regenerated: the time towards the next point is kept.
    check(1, 0, 150_000, Ok(Energy { value: 2, at_ms: 120_000 }));
    check(0, 0, 59_999, Err(Energy { value: 0, at_ms: 0 }));
    check(0, 0, 60_000, Ok(Energy { value: 0, at_ms: 60_000 }));
}

#[test]
fn a_dig_finds_in_the_zone_with_the_multipliers_and_goes_deeper() {
    let catalog = catalog();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let mut player = player(1, NOW);
    player.inventory.insert("pick".into(), 1);
    let dug = player.dig(&catalog, &mut rng, NOW).expect("one point");
    assert_eq!((dug.gems, dug.depth, dug.drop.id.as_str()), (6, 1, "pebble"));
    assert_eq!((player.gems, player.depth, player.energy.value), (6, 1, 0));
    assert_eq!(player.dig(&catalog, &mut rng, NOW), Err(NoEnergy));
    assert_eq!((player.gems, player.depth), (6, 1), "a refused dig changes nothing");
}

#[test]
fn an_energy_item_fills_up_to_the_cap_and_is_refused_on_a_full_bar() {
    let catalog = catalog();
    let refill = catalog.find("refill").unwrap();
    let mut player = player(1, NOW - 30_000);
    assert_eq!(player.use_item(refill, &rules(), NOW), Err(Verdict::NotOwned));
    player.inventory.insert("refill".into(), 3);
    assert_eq!(player.use_item(refill, &rules(), NOW), Ok(None));
    assert_eq!(player.energy, Energy { value: 4, at_ms: NOW - 30_000 });
    assert_eq!(player.use_item(refill, &rules(), NOW), Ok(None));
    assert_eq!(player.energy, Energy { value: 5, at_ms: NOW }, "capped, stamped full");
    assert_eq!(player.use_item(refill, &rules(), NOW), Err(Verdict::EnergyFull));
    assert_eq!(player.held("refill"), 1, "a refused use keeps the unit");
}

#[test]
fn a_boost_starts_and_extends_and_expired_ones_are_dropped() {
    let catalog = catalog();
    let dynamite = catalog.find("dynamite").unwrap();
    let mut player = player(5, NOW);
    player.inventory.insert("dynamite".into(), 2);
    player.boosts.insert("old".into(), NOW - 1);
    assert_eq!(player.use_item(dynamite, &rules(), NOW), Ok(Some(NOW + 600_000)));
    assert_eq!(player.use_item(dynamite, &rules(), NOW + 1_000), Ok(Some(NOW + 1_200_000)));
    assert_eq!(player.boosts.keys().collect::<Vec<_>>(), ["dynamite"]);
    assert!(player.inventory.is_empty());
    assert_eq!(catalog.dig_multipliers(&player.inventory, &player.boosts, Default::default(), NOW), (300, 100));
}

fn run_params(seconds: u32, max_score: u64) -> RunParams {
    let points_per_second = (max_score / u64::from(seconds)) as u32;
    let sources = RunSources { base_seconds: seconds, points_per_second, ..RunSources::default() };
    RunParams { seconds, score_percent: 100, skin: "classic".into(), max_score, sources }
}

#[test]
fn one_open_run_and_the_finish_checks_its_time_and_ceiling() {
    let rules = ArcadeRules { run_seconds: 10, points_per_second: 10, gems_per_100_points: 10, gems_per_day: 50 };
    let mut player = player(5, NOW);
    assert_eq!(player.finish_run(10, &rules, NOW), Err(RunVerdict::UnknownRun));
    assert_eq!(player.start_run(run_params(10, 100), NOW), None);
    let replaced = player.start_run(run_params(10, 100), NOW + 1).expect("the first run");
    assert_eq!(replaced.closed, Some(RunVerdict::Replaced));
    assert_eq!(replaced.clone().finish(10, |_| true, NOW + 10_000), Err(RunVerdict::Replaced));
    assert_eq!(player.finish_run(10, &rules, NOW + 5_000), Err(RunVerdict::TooEarly));
    assert!(player.open_run.is_some(), "too early: still open");
    assert_eq!(player.finish_run(101, &rules, NOW + 10_001), Err(RunVerdict::Impossible));
    assert_eq!(player.open_run, None, "an impossible score closes the run");
    player.start_run(run_params(10, 100), NOW);
    assert_eq!(player.finish_run(10, &rules, NOW + 10_000 + LATE_GRACE_MS + 1), Err(RunVerdict::Expired));
}

#[test]
fn arcade_gems_stop_at_the_daily_allowance_until_the_next_utc_day() {
    let rules = ArcadeRules { run_seconds: 10, points_per_second: 100, gems_per_100_points: 10, gems_per_day: 150 };
    let mut player = player(5, NOW);
    let mut finish = |score: i64, at: i64| {
        player.start_run(run_params(10, 1_000), at);
        player.finish_run(score, &rules, at + 10_000).map(|award| (award.earned, award.awarded))
    };
    assert_eq!(finish(1_000, NOW), Ok((100, 100)));
    assert_eq!(finish(1_000, NOW + 60_000), Ok((100, 50)));
    assert_eq!(finish(1_000, NOW + 120_000), Ok((100, 0)));
    assert_eq!(finish(990, NOW + DAY), Ok((99, 99)), "a new UTC day");
    assert_eq!(player.gems, 249);
    assert_eq!(player.best_score, 1_000);
}

#[test]
fn a_grant_adds_units_and_gems_and_a_revocation_takes_back_what_is_left() {
    let mut player = player(5, NOW);
    let grant = Grant { units: vec![(ItemId::parse("refill").unwrap(), 5)], gems: 300 };
    player.grant(&grant);
    assert_eq!((player.held("refill"), player.gems), (5, 300));
    player.gems = 100;
    player.inventory.insert("refill".into(), 2);
    let units = [("refill".to_owned(), 5), (GEMS_UNIT.to_owned(), 300)];
    assert_eq!(player.revoke(&units), [("refill".to_owned(), 2), (GEMS_UNIT.to_owned(), 100)]);
    assert!(player.inventory.is_empty());
    assert_eq!(player.gems, 0);
}
