//! The systems on hand-built Worlds: no Redis, no threads, time set by hand.

use std::path::Path;

use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;
use tokio::sync::oneshot;

use super::components::*;
use super::io::{IoRequest, IoResult};
use super::runner::{new_world, GameConfig};
use super::systems::*;
use super::{Command, DigOutcome, Find, Notice};
use crate::domain::outcome::Verdict;
use crate::domain::{Energy, UserId};
use crate::reload::SharedCatalog;
use crate::store::game::{MutationResult, Stats};

const NOW: i64 = 1_000_000_000;
const ALICE: UserId = UserId(1);

fn world() -> World {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    let catalog = crate::game_data::load_dir(&dir).expect("the test catalog loads");
    let mut world = new_world(&SharedCatalog::new(catalog), &GameConfig::default(), 7);
    world.resource_mut::<Now>().0 = NOW;
    world
}

/// A loaded player with `energy` (of 10) and the given inventory and boosts.
fn player(world: &mut World, energy: u32, inventory: &[(&str, u64)], boosts: &[(&str, i64)]) -> Entity {
    let progress = Progress {
        energy: Energy { value: energy, at_ms: NOW },
        gems: 0,
        mined: 0,
        depth: 0,
        ver: 1,
        pending_digs: 0,
        arcade_day: 0,
        arcade_gems: 0,
    };
    let entity = world
        .spawn((
            Player { user: ALICE },
            progress,
            Inventory(inventory.iter().map(|(k, v)| (k.to_string(), *v)).collect()),
            Boosts(boosts.iter().map(|(k, v)| (k.to_string(), *v)).collect()),
            Levels::default(),
            InFlight(0),
            LastActive(NOW),
        ))
        .id();
    world.resource_mut::<Players>().0.insert(ALICE, entity);
    entity
}

fn dig_command(world: &mut World) -> oneshot::Receiver<Result<DigOutcome, super::GameError>> {
    let (reply, answer) = oneshot::channel();
    world.resource_mut::<DigQueue>().0.push(Command::Dig { user: ALICE, name: "Alice".into(), reply });
    answer
}

#[test]
fn digging_spends_energy_rolls_a_find_and_sends_one_mutation() {
    let mut world = world();
    let entity = player(&mut world, 10, &[("pickaxe", 1)], &[]);
    let _answer = dig_command(&mut world);
    world.run_system_once(digging).unwrap();
    let outbox = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    let [IoRequest::Dig { find, .. }] = outbox.as_slice() else { panic!("one dig mutation: {outbox:?}") };
    assert!([2, 200].contains(&find.gems), "the pickaxe doubles: {find:?}");
    assert_eq!(find.depth, 1);
    let progress = world.get::<Progress>(entity).unwrap();
    assert_eq!(progress.energy, Energy { value: 9, at_ms: NOW }, "spent from full: the clock starts now");
    assert_eq!(world.get::<InFlight>(entity).unwrap().0, 1);
}

#[test]
fn digging_without_energy_answers_at_once_and_sends_nothing() {
    let mut world = world();
    player(&mut world, 0, &[], &[]);
    let mut answer = dig_command(&mut world);
    world.run_system_once(digging).unwrap();
    assert!(world.resource::<Outbox>().0.is_empty());
    let outcome = answer.try_recv().unwrap().unwrap();
    let DigOutcome::NoEnergy { player } = outcome else { panic!("{outcome:?}") };
    assert_eq!(player.energy, 0);
    assert_eq!(player.next_point_at, Some(NOW + 3_600_000));
}

#[test]
fn a_dig_result_overwrites_the_counters_and_answers() {
    let mut world = world();
    let entity = player(&mut world, 9, &[], &[]);
    world.get_mut::<InFlight>(entity).unwrap().0 = 1;
    let (reply, mut answer) = oneshot::channel();
    let stats = Stats { energy: Some(Energy { value: 8, at_ms: NOW - 5 }), gems: 41, mined: 41, depth: 7, ver: 9 };
    let find = Find {
        drop_id: "pebble".into(),
        drop_name: "Pebble".into(),
        rare: false,
        gems: 1,
        zone: "Mine".into(),
        depth: 7,
    };
    let result = MutationResult { verdict: Verdict::Applied, stats, boost_until: None };
    world.resource_mut::<Arrivals>().0.push(IoResult::Dug { user: ALICE, find, result: Ok(result), reply });
    world.run_system_once(apply_arrivals).unwrap();
    let progress = *world.get::<Progress>(entity).unwrap();
    assert_eq!((progress.gems, progress.depth, progress.ver, progress.energy.value), (41, 7, 9, 8));
    assert_eq!(world.get::<InFlight>(entity).unwrap().0, 0);
    let DigOutcome::Found { player, .. } = answer.try_recv().unwrap().unwrap() else { panic!() };
    assert_eq!(player.gems, 41);
}

#[test]
fn expired_boosts_are_dropped_with_one_notice() {
    let mut world = world();
    let entity = player(&mut world, 10, &[], &[("lantern", NOW - 1), ("other", NOW + 60_000)]);
    world.run_system_once(expire_boosts).unwrap();
    assert_eq!(world.resource::<Notices>().0, vec![Notice::BoostExpired { user: ALICE, item: "lantern".into() }]);
    assert_eq!(world.get::<Boosts>(entity).unwrap().0.keys().collect::<Vec<_>>(), vec!["other"]);
    world.resource_mut::<Notices>().0.clear();
    world.run_system_once(expire_boosts).unwrap();
    assert!(world.resource::<Notices>().0.is_empty(), "told once");
}

#[test]
fn energy_below_the_cap_is_watched_and_full_energy_is_told_once() {
    let mut world = world();
    let entity = player(&mut world, 8, &[], &[]);
    world.run_system_once(watch_energy).unwrap();
    let watch = *world.get::<WatchEnergyFull>(entity).expect("watched");
    assert_eq!(watch.at, NOW + 2 * 3_600_000);
    world.resource_mut::<Now>().0 = watch.at;
    world.run_system_once(watch_energy).unwrap();
    assert_eq!(world.resource::<Notices>().0, vec![Notice::EnergyFull { user: ALICE, energy: 10 }]);
    assert!(world.get::<WatchEnergyFull>(entity).is_none());
    world.run_system_once(watch_energy).unwrap();
    assert_eq!(world.resource::<Notices>().0.len(), 1, "told once");
}

#[test]
fn idle_players_are_evicted_unless_work_is_in_flight() {
    let mut world = world();
    let entity = player(&mut world, 10, &[], &[]);
    world.resource_mut::<Now>().0 = NOW + 16 * 60_000;
    world.get_mut::<InFlight>(entity).unwrap().0 = 1;
    world.run_system_once(evict_idle).unwrap();
    assert!(world.get_entity(entity).is_ok(), "in flight: kept");
    world.get_mut::<InFlight>(entity).unwrap().0 = 0;
    world.run_system_once(evict_idle).unwrap();
    assert!(world.get_entity(entity).is_err());
    assert!(world.resource::<Players>().0.is_empty());
}

/// One system kept across ticks (as the loop runs it), so change detection and the timer
/// queues behave as in production rather than afresh per call.
fn ticker<M>(system: impl IntoScheduleConfigs<bevy_ecs::system::ScheduleSystem, M>) -> Schedule {
    let mut schedule = Schedule::default();
    schedule.add_systems(system);
    schedule
}

#[test]
fn boosts_expire_at_their_moment_also_when_added_later() {
    let mut world = world();
    let mut tick = ticker(expire_boosts);
    let entity = player(&mut world, 10, &[], &[("lantern", NOW + 1_000)]);
    tick.run(&mut world);
    assert!(world.resource::<Notices>().0.is_empty());
    world.resource_mut::<Now>().0 = NOW + 1_000;
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0, vec![Notice::BoostExpired { user: ALICE, item: "lantern".into() }]);
    // A boost used later is queued by the change itself.
    world.get_mut::<Boosts>(entity).unwrap().0.insert("other".into(), NOW + 5_000);
    tick.run(&mut world);
    world.resource_mut::<Now>().0 = NOW + 4_999;
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0.len(), 1, "not yet");
    world.resource_mut::<Now>().0 = NOW + 5_000;
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0.len(), 2);
    assert!(world.get::<Boosts>(entity).unwrap().0.is_empty());
}

#[test]
fn a_watch_that_moves_earlier_or_later_fires_at_its_new_moment_once() {
    let mut world = world();
    let mut tick = ticker(watch_energy);
    let entity = player(&mut world, 8, &[], &[]);
    tick.run(&mut world);
    assert_eq!(world.get::<WatchEnergyFull>(entity).unwrap().at, NOW + 2 * 3_600_000);
    // An energy gain: full an hour sooner.
    world.get_mut::<Progress>(entity).unwrap().energy = Energy { value: 9, at_ms: NOW };
    tick.run(&mut world);
    world.resource_mut::<Now>().0 = NOW + 3_600_000;
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0, vec![Notice::EnergyFull { user: ALICE, energy: 10 }]);
    // Spent again: full later than the first entry still queued; told once more, at the new moment.
    world.get_mut::<Progress>(entity).unwrap().energy = Energy { value: 8, at_ms: NOW + 3_600_000 };
    tick.run(&mut world);
    world.resource_mut::<Now>().0 = NOW + 2 * 3_600_000;
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0.len(), 1, "the stale entry tells nobody");
    world.resource_mut::<Now>().0 = NOW + 3 * 3_600_000;
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0.len(), 2);
    tick.run(&mut world);
    assert_eq!(world.resource::<Notices>().0.len(), 2, "told once");
}

#[test]
fn an_active_player_is_evicted_only_after_being_idle_since_the_last_activity() {
    let mut world = world();
    let mut tick = ticker(evict_idle);
    let entity = player(&mut world, 10, &[], &[]);
    tick.run(&mut world);
    world.get_mut::<LastActive>(entity).unwrap().0 = NOW + 10 * 60_000;
    world.resource_mut::<Now>().0 = NOW + 16 * 60_000;
    tick.run(&mut world);
    assert!(world.get_entity(entity).is_ok(), "active 6 minutes ago");
    world.resource_mut::<Now>().0 = NOW + 25 * 60_000 + 1;
    tick.run(&mut world);
    assert!(world.get_entity(entity).is_err(), "idle for 15 minutes since");
}

#[test]
fn commands_for_an_unknown_player_wait_for_the_load() {
    let mut world = world();
    let (reply, _answer) = oneshot::channel();
    world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
    world.run_system_once(route_commands).unwrap();
    let outbox = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    assert!(matches!(outbox.as_slice(), [IoRequest::Load { user: ALICE }]), "{outbox:?}");
    let entity = world.resource::<Players>().0[&ALICE];
    assert_eq!(world.get::<Loading>(entity).unwrap().0.len(), 1);
}

/// A `/api/me` burst: ten commands of a player the loop has not loaded, all in one tick.
#[test]
fn every_command_of_a_player_first_seen_in_this_tick_waits_for_the_one_load() {
    let mut world = world();
    let mut answers = Vec::new();
    for _ in 0..10 {
        let (reply, answer) = oneshot::channel();
        world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
        answers.push(answer);
    }
    world.run_system_once(route_commands).unwrap();
    let outbox = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    assert!(matches!(outbox.as_slice(), [IoRequest::Load { user: ALICE }]), "one load: {outbox:?}");
    let entity = world.resource::<Players>().0[&ALICE];
    assert_eq!(world.get::<Loading>(entity).unwrap().0.len(), 10, "none dropped");
    // The load arrives: all ten are answered.
    world.resource_mut::<Arrivals>().0.push(IoResult::Loaded { user: ALICE, state: Ok(Default::default()) });
    world.run_system_once(apply_arrivals).unwrap();
    world.run_system_once(route_commands).unwrap();
    for mut answer in answers {
        assert!(answer.try_recv().expect("answered").is_ok());
    }
}

#[test]
fn a_first_load_that_fails_forgets_the_player_so_the_next_command_loads_again() {
    let mut world = world();
    let (reply, mut first) = oneshot::channel();
    world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
    world.run_system_once(route_commands).unwrap();
    world.resource_mut::<Outbox>().0.clear();
    world.resource_mut::<Arrivals>().0.push(IoResult::Loaded { user: ALICE, state: Err("redis down".into()) });
    world.run_system_once(apply_arrivals).unwrap();
    assert!(first.try_recv().unwrap().is_err(), "the waiting command is told");
    assert!(!world.resource::<Players>().0.contains_key(&ALICE), "forgotten");
    let (reply, _second) = oneshot::channel();
    world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
    world.run_system_once(route_commands).unwrap();
    let outbox = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    assert!(matches!(outbox.as_slice(), [IoRequest::Load { user: ALICE }]), "loaded again: {outbox:?}");
}

/// Another process changed the player (pub/sub): the loop reads them again, and a view asked
/// for after that is answered from the new copy, not the old one.
#[test]
fn a_command_after_a_refresh_waits_for_the_copy_read_again() {
    let mut world = world();
    let entity = player(&mut world, 10, &[], &[]);
    world.resource_mut::<Inbox>().0.push(Command::Refresh { user: ALICE, ver: u64::MAX });
    let (reply, mut view) = oneshot::channel();
    world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
    world.run_system_once(route_commands).unwrap();
    let outbox = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    assert!(matches!(outbox.as_slice(), [IoRequest::Load { user: ALICE }]), "{outbox:?}");
    assert!(view.try_recv().is_err(), "not answered from the old copy");
    assert_eq!(world.get::<Loading>(entity).unwrap().0.len(), 1, "waits for the reload");

    let mut state = crate::store::game::PlayerState::default();
    state.inventory.insert("pickaxe".into(), 1);
    state.stats.ver = 2;
    world.resource_mut::<Arrivals>().0.push(IoResult::Loaded { user: ALICE, state: Ok(state) });
    world.run_system_once(apply_arrivals).unwrap();
    world.run_system_once(route_commands).unwrap();
    let view = view.try_recv().expect("answered once read again").unwrap();
    assert_eq!(view.inventory.get("pickaxe"), Some(&1), "from the new copy");
    assert!(world.get::<Loading>(entity).is_none());
}

fn granted(ver: u64, inventory: &[(&str, u64)]) -> Command {
    let mut state = crate::store::game::PlayerState::default();
    state.stats.ver = ver;
    state.inventory = inventory.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    Command::Granted { user: ALICE, state: Box::new(state) }
}

fn view_command(world: &mut World) -> oneshot::Receiver<Result<super::PlayerView, super::GameError>> {
    let (reply, answer) = oneshot::channel();
    world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
    answer
}

/// A payment granted here to a player the loop has not loaded: the grant's state loads them
/// (no read of Redis), and a command in the same batch is served from it.
#[test]
fn a_grant_loads_a_player_from_its_state_without_reading_redis() {
    let mut world = world();
    world.resource_mut::<Inbox>().0.push(granted(3, &[("pickaxe", 1)]));
    let mut view = view_command(&mut world);
    world.run_system_once(route_commands).unwrap();
    assert!(world.resource::<Outbox>().0.is_empty(), "no load: {:?}", world.resource::<Outbox>().0);
    assert!(view.try_recv().is_err(), "waits for the state to be applied");
    world.run_system_once(apply_arrivals).unwrap();
    world.run_system_once(route_commands).unwrap();
    let view = view.try_recv().expect("answered").unwrap();
    assert_eq!(view.inventory.get("pickaxe"), Some(&1));
    let entity = world.resource::<Players>().0[&ALICE];
    assert_eq!(world.get::<Progress>(entity).unwrap().ver, 3);
}

/// A loaded copy takes a grant's state at once, but never goes back to an older one.
#[test]
fn a_grant_replaces_a_loaded_copy_unless_the_copy_is_newer() {
    let mut world = world();
    let entity = player(&mut world, 10, &[], &[]);
    world.get_mut::<Progress>(entity).unwrap().pending_digs = 1;
    world.resource_mut::<Inbox>().0.push(granted(2, &[("pickaxe", 1)]));
    let mut view = view_command(&mut world);
    world.run_system_once(route_commands).unwrap();
    assert!(world.resource::<Outbox>().0.is_empty(), "no load");
    assert_eq!(view.try_recv().expect("answered in the same run").unwrap().inventory.get("pickaxe"), Some(&1));
    let progress = world.get::<Progress>(entity).unwrap();
    assert_eq!((progress.ver, progress.pending_digs, progress.depth), (2, 1, 1), "a dig in flight still counts");

    world.resource_mut::<Inbox>().0.push(granted(1, &[]));
    let mut view = view_command(&mut world);
    world.run_system_once(route_commands).unwrap();
    assert_eq!(view.try_recv().unwrap().unwrap().inventory.get("pickaxe"), Some(&1), "the older state is ignored");
    assert_eq!(world.get::<Progress>(entity).unwrap().ver, 2);
}

/// A grant that comes while the player's first load is under way waits for it, and is taken
/// over what the load read when newer (the load may have read Redis before the grant).
#[test]
fn a_grant_during_a_load_is_taken_after_it_when_newer() {
    let mut world = world();
    let mut first = view_command(&mut world);
    world.run_system_once(route_commands).unwrap();
    world.resource_mut::<Outbox>().0.clear();
    world.resource_mut::<Inbox>().0.push(granted(2, &[("pickaxe", 1)]));
    let mut second = view_command(&mut world);
    world.run_system_once(route_commands).unwrap();
    let mut before_grant = crate::store::game::PlayerState::default();
    before_grant.stats.ver = 1;
    world.resource_mut::<Arrivals>().0.push(IoResult::Loaded { user: ALICE, state: Ok(before_grant) });
    world.run_system_once(apply_arrivals).unwrap();
    world.run_system_once(route_commands).unwrap();
    assert_eq!(first.try_recv().unwrap().unwrap().inventory.get("pickaxe"), None, "asked before the grant");
    assert_eq!(second.try_recv().unwrap().unwrap().inventory.get("pickaxe"), Some(&1), "asked after it");
}

/// A change announced while the player's own mutation is in flight is most likely that
/// mutation: the refresh waits for its result, which brings the version, and reads nothing.
#[test]
fn a_refresh_during_an_own_mutation_waits_for_its_result_and_reads_nothing_when_it_was_ours() {
    let mut world = world();
    let entity = player(&mut world, 10, &[], &[]);
    world.get_mut::<InFlight>(entity).unwrap().0 = 1;
    world.resource_mut::<Inbox>().0.push(Command::Refresh { user: ALICE, ver: 2 });
    world.run_system_once(route_commands).unwrap();
    assert!(world.resource::<Outbox>().0.is_empty(), "no load while the mutation is in flight");
    assert_eq!(world.resource::<Inbox>().0.len(), 1, "the refresh is kept for the next run");
    // The mutation's result brings version 2: the kept refresh then reads nothing.
    world.get_mut::<InFlight>(entity).unwrap().0 = 0;
    world.get_mut::<Progress>(entity).unwrap().ver = 2;
    world.run_system_once(route_commands).unwrap();
    assert!(world.resource::<Outbox>().0.is_empty() && world.resource::<Inbox>().0.is_empty());
    // A change by someone else (a newer version than ours) is read once nothing is in flight.
    world.resource_mut::<Inbox>().0.push(Command::Refresh { user: ALICE, ver: 3 });
    world.run_system_once(route_commands).unwrap();
    assert!(matches!(world.resource::<Outbox>().0.as_slice(), [IoRequest::Load { user: ALICE }]));
}

#[test]
fn a_failed_refresh_serves_the_waiting_commands_from_the_old_copy() {
    let mut world = world();
    let entity = player(&mut world, 10, &[("pickaxe", 1)], &[]);
    world.resource_mut::<Inbox>().0.push(Command::Refresh { user: ALICE, ver: u64::MAX });
    let (reply, mut view) = oneshot::channel();
    world.resource_mut::<Inbox>().0.push(Command::View { user: ALICE, reply });
    world.run_system_once(route_commands).unwrap();
    world.resource_mut::<Outbox>().0.clear();
    world.resource_mut::<Arrivals>().0.push(IoResult::Loaded { user: ALICE, state: Err("redis down".into()) });
    world.run_system_once(apply_arrivals).unwrap();
    world.run_system_once(route_commands).unwrap();
    let view = view.try_recv().expect("answered").unwrap();
    assert_eq!(view.inventory.get("pickaxe"), Some(&1));
    assert!(world.resource::<Players>().0.contains_key(&ALICE), "still loaded");
    assert!(world.get::<Loading>(entity).is_none());
}

#[test]
fn several_digs_in_one_tick_each_go_one_meter_deeper() {
    let mut world = world();
    // A second zone from 25 m: digs from 23, 24 and 25 m roll in Mine, Mine and Deep.
    let mut catalog = (*world.resource::<CatalogRes>().0).clone();
    let mut deep = catalog.loot.zones()[0].clone();
    (deep.id, deep.name, deep.from_depth) = ("deep".into(), "Deep".into(), 25);
    catalog.loot = crate::domain::LootTable::new(vec![catalog.loot.zones()[0].clone(), deep]);
    world.resource_mut::<CatalogRes>().0 = std::sync::Arc::new(catalog);
    let entity = player(&mut world, 10, &[], &[]);
    world.get_mut::<Progress>(entity).unwrap().depth = 23;
    let _answers: Vec<_> = (0..3).map(|_| dig_command(&mut world)).collect();
    world.run_system_once(digging).unwrap();
    let outbox = std::mem::take(&mut world.resource_mut::<Outbox>().0);
    let depths: Vec<u32> = outbox
        .iter()
        .map(|request| match request {
            IoRequest::Dig { find, .. } => find.depth,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(depths, vec![24, 25, 26]);
    let zones: Vec<&str> = outbox
        .iter()
        .map(|request| match request {
            IoRequest::Dig { find, .. } => find.zone.as_str(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(zones, vec!["Mine", "Mine", "Deep"], "each dig rolls in the zone of its own depth");
    // The first answer arrives: the two still in flight stay counted.
    let (reply, _answer) = oneshot::channel();
    let stats = Stats { energy: Some(Energy { value: 9, at_ms: NOW }), gems: 1, mined: 1, depth: 24, ver: 2 };
    let find = Find {
        drop_id: "pebble".into(),
        drop_name: "Pebble".into(),
        rare: false,
        gems: 1,
        zone: "Mine".into(),
        depth: 24,
    };
    let result = MutationResult { verdict: Verdict::Applied, stats, boost_until: None };
    world.resource_mut::<Arrivals>().0.push(IoResult::Dug { user: ALICE, find, result: Ok(result), reply });
    world.run_system_once(apply_arrivals).unwrap();
    assert_eq!(world.get::<Progress>(entity).unwrap().depth, 26);
    // One is refused for lack of energy: its meter goes back.
    let (reply, _answer) = oneshot::channel();
    let stats = Stats { ver: 3, ..stats };
    let find = Find {
        drop_id: "pebble".into(),
        drop_name: "Pebble".into(),
        rare: false,
        gems: 1,
        zone: "Mine".into(),
        depth: 25,
    };
    let result = MutationResult { verdict: Verdict::NoEnergy, stats, boost_until: None };
    world.resource_mut::<Arrivals>().0.push(IoResult::Dug { user: ALICE, find, result: Ok(result), reply });
    world.run_system_once(apply_arrivals).unwrap();
    assert_eq!(world.get::<Progress>(entity).unwrap().depth, 25);
}
