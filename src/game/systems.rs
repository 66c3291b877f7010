//! The systems, one small function each, run in this order every tick: apply arrived results,
//! route commands, dig, use, spend gems, arcade runs, expire runs and boosts, watch energy, evict
//! idle players.

// Systems declare the data they touch as parameters, so long parameter lists and query types
// are the point, not a smell.
#![allow(clippy::too_many_arguments, clippy::type_complexity)]

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use super::components::*;
use super::io::{IoRequest, IoResult};
use super::{
    Command, DigOutcome, Find, GameError, GemOutcome, Notice, RunFinish, RunRefusal, RunStart, StartOutcome, UseOutcome,
};
use crate::domain::economy::{Economy, GemPurchase, GemRefusal};
use crate::domain::game::{utc_day, LATE_GRACE_MS};
use crate::domain::outcome::{GemVerdict, RunOpen, RunVerdict, Verdict};
use crate::domain::play;
use crate::domain::{ItemKind, UserId};
use crate::store::arcade::RunResult;
use crate::store::game::{EnergySpec, MutationResult, PlayerState, Stats};

/// The schedule of one tick.
pub fn schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.add_systems(
        (
            apply_arrivals,
            route_commands,
            digging,
            using,
            spending_gems,
            arcade,
            expire_runs,
            expire_boosts,
            watch_energy,
            evict_idle,
        )
            .chain(),
    );
    schedule
}

fn action_id() -> String {
    use rand::distr::{Alphanumeric, SampleString};
    Alphanumeric.sample_string(&mut rand::rng(), 16)
}

/// Applies Redis results: loaded players get their components (queued commands go back to the
/// inbox), mutation results overwrite the counters and answer the requester.
pub fn apply_arrivals(
    mut commands: Commands,
    mut arrivals: ResMut<Arrivals>,
    mut inbox: ResMut<Inbox>,
    mut players: ResMut<Players>,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    mut query: Query<(&Player, &mut Progress, &mut Inventory, &mut Boosts, &mut Levels, &mut InFlight)>,
    mut loading: Query<&mut Loading>,
    runs: Query<(Entity, &Run)>,
    mut outbox: ResMut<Outbox>,
) {
    for arrival in arrivals.0.drain(..) {
        match arrival {
            IoResult::Loaded { user, state } => {
                let Some(&entity) = players.0.get(&user) else {
                    continue;
                };
                let queued =
                    loading.get_mut(entity).map(|mut waiting| std::mem::take(&mut waiting.0)).unwrap_or_default();
                match state {
                    Ok(state) => {
                        let mut entity_commands = commands.entity(entity);
                        entity_commands.remove::<Loading>();
                        match query.get_mut(entity) {
                            // A refresh: taken unless our copy is already newer.
                            Ok((_, mut progress, mut inventory, mut boosts, mut levels, _)) => {
                                let copy = (&mut *progress, &mut *inventory, &mut *boosts, &mut *levels);
                                if let Some(look) = take_newer(state, copy, &catalog.0, now.0) {
                                    entity_commands.insert(look);
                                }
                            }
                            Err(_) => {
                                let progress = Progress::from_state(&state, &catalog.0, now.0);
                                entity_commands.insert((
                                    progress,
                                    Inventory(state.inventory),
                                    Boosts(state.boosts),
                                    Levels(state.upgrades),
                                    Look(state.skin),
                                    InFlight(0),
                                ));
                            }
                        }
                        inbox.0.extend(queued);
                    }
                    Err(error) => {
                        // A first load that failed: forget the player entirely, so their next
                        // command loads them again (a refresh that failed keeps the old copy).
                        if query.get(entity).is_err() {
                            commands.entity(entity).despawn();
                            players.0.remove(&user);
                            for command in queued {
                                fail(command, GameError::Unavailable(error.clone()));
                            }
                        } else {
                            // The old copy serves the commands that waited for the refresh.
                            commands.entity(entity).remove::<Loading>();
                            inbox.0.extend(queued);
                        }
                    }
                }
            }
            IoResult::Dug { user, find, result, reply } => {
                let Some(state) = players.0.get(&user).and_then(|e| query.get_mut(*e).ok()) else {
                    continue;
                };
                let (player, mut progress, inventory, boosts, levels, mut in_flight) = state;
                in_flight.0 = in_flight.0.saturating_sub(1);
                progress.pending_digs = progress.pending_digs.saturating_sub(1);
                if !matches!(result, Ok(MutationResult { verdict: Verdict::Applied | Verdict::Repeat, .. })) {
                    // Not dug after all: the optimistic meter goes back.
                    progress.depth = progress.depth.saturating_sub(1);
                }
                let outcome = result.map_err(GameError::Unavailable).map(|result| {
                    settle(&mut progress, &result.stats);
                    let view = view(player.user, &progress, &inventory, &boosts, &levels, &catalog.0, now.0);
                    match result.verdict {
                        Verdict::NoEnergy => DigOutcome::NoEnergy { player: view },
                        _ => DigOutcome::Found { find, player: view },
                    }
                });
                let _ = reply.send(outcome);
            }
            IoResult::RunStarted { start, result, reply } => {
                let outcome = match result {
                    Ok(RunOpen::Started) => Ok(StartOutcome::Started(start)),
                    Ok(RunOpen::SlowDown) => Ok(StartOutcome::SlowDown),
                    Ok(RunOpen::Taken) => Err(GameError::Unavailable("run id already taken".into())),
                    Err(error) => Err(GameError::Unavailable(error)),
                };
                let _ = reply.send(outcome);
            }
            IoResult::RunFinished { user, run_id, score, result, reply } => {
                if let Some((entity, _)) = runs.iter().find(|(_, run)| run.user == user && run.run_id == run_id) {
                    commands.entity(entity).despawn();
                }
                let state = players.0.get(&user).and_then(|e| query.get_mut(*e).ok());
                let outcome = result.map_err(GameError::Unavailable).and_then(|result| {
                    let Some((player, mut progress, inventory, boosts, levels, _)) = state else {
                        return Err(GameError::Unavailable("player not loaded".into()));
                    };
                    settle(&mut progress, &result.player.stats);
                    if result.verdict == RunVerdict::Finished {
                        let per_day = u64::from(catalog.0.settings.arcade.gems_per_day);
                        progress.arcade_day = utc_day(now.0);
                        progress.arcade_gems = per_day.saturating_sub(result.left_today);
                    }
                    let view = view(player.user, &progress, &inventory, &boosts, &levels, &catalog.0, now.0);
                    let earned = catalog.0.settings.arcade.earned(score.max(0) as u64);
                    Ok(finished(result, score, earned, view))
                });
                let _ = reply.send(outcome);
            }
            IoResult::Used { user, item, result, reply } => {
                let Some(state) = players.0.get(&user).and_then(|e| query.get_mut(*e).ok()) else {
                    continue;
                };
                let (player, mut progress, mut inventory, mut boosts, levels, mut in_flight) = state;
                in_flight.0 = in_flight.0.saturating_sub(1);
                let outcome = result.map_err(GameError::Unavailable).map(|result| {
                    settle(&mut progress, &result.stats);
                    if matches!(result.verdict, Verdict::Applied) {
                        if !inventory.0.contains_key(item.as_str()) {
                            // Our copy had missed a grant (see `using`): read the player again.
                            outbox.0.push(IoRequest::Load { user });
                        }
                        take_one(&mut inventory, item.as_str());
                        if let Some(until) = result.boost_until {
                            boosts.0.insert(item.to_string(), until);
                        }
                    }
                    let view = view(player.user, &progress, &inventory, &boosts, &levels, &catalog.0, now.0);
                    match result.verdict {
                        Verdict::NotOwned => UseOutcome::NotOwned,
                        Verdict::EnergyFull => UseOutcome::EnergyFull { player: view },
                        _ => UseOutcome::Used { item, boost_until: result.boost_until, player: view },
                    }
                });
                let _ = reply.send(outcome);
            }
            IoResult::GemsSpent { user, purchase, result, reply } => {
                let Some(state) = players.0.get(&user).and_then(|e| query.get_mut(*e).ok()) else {
                    continue;
                };
                let (player, mut progress, inventory, boosts, mut levels, mut in_flight) = state;
                in_flight.0 = in_flight.0.saturating_sub(1);
                let outcome = result.map_err(GameError::Unavailable).map(|result| {
                    settle(&mut progress, &result.stats);
                    let refusal = match result.verdict {
                        GemVerdict::Bought | GemVerdict::Repeat => None,
                        GemVerdict::Already => Some(GemRefusal::AlreadyHave),
                        GemVerdict::NotNext => Some(GemRefusal::NotNext),
                        GemVerdict::NotEnoughGems => Some(GemRefusal::NotEnoughGems),
                    };
                    // Redis's level is the authority (also for a repeat or a refusal).
                    match &purchase {
                        GemPurchase::Level { track, .. } => {
                            levels.0.levels.insert(track.clone(), result.level);
                        }
                        GemPurchase::Cosmetic { id, .. } if result.level > 0 => {
                            levels.0.cosmetics.insert(id.clone());
                        }
                        GemPurchase::Cosmetic { .. } => {}
                    }
                    let player = view(player.user, &progress, &inventory, &boosts, &levels, &catalog.0, now.0);
                    match refusal {
                        None => GemOutcome::Bought { purchase, player },
                        Some(refusal) => GemOutcome::Refused { refusal, player },
                    }
                });
                let _ = reply.send(outcome);
            }
        }
    }
}

fn finished(result: RunResult, score: i64, earned: u64, player: super::PlayerView) -> RunFinish {
    let refusal = match result.verdict {
        RunVerdict::Finished => {
            let score = score.max(0) as u64;
            return RunFinish::Finished {
                score,
                best: result.best,
                new_best: result.new_best,
                gems_awarded: result.awarded,
                capped: result.awarded < earned,
                rank: result.rank,
                player: Box::new(player),
            };
        }
        RunVerdict::UnknownRun => RunRefusal::UnknownRun,
        RunVerdict::AlreadyFinished => RunRefusal::AlreadyFinished,
        RunVerdict::Replaced => RunRefusal::Replaced,
        RunVerdict::TooEarly => RunRefusal::TooEarly,
        RunVerdict::Expired => RunRefusal::Expired,
        RunVerdict::Impossible => RunRefusal::Impossible { max_score: result.max_score },
        RunVerdict::SlowDown => RunRefusal::SlowDown,
    };
    RunFinish::Refused(refusal)
}

fn take_one(inventory: &mut Inventory, item: &str) {
    if let Some(qty) = inventory.0.get_mut(item) {
        *qty = qty.saturating_sub(1);
        if *qty == 0 {
            inventory.0.remove(item);
        }
    }
}

/// Overwrites the counters with Redis's answer (the authority).
fn settle(progress: &mut Progress, stats: &Stats) {
    if stats.ver < progress.ver {
        return;
    }
    if let Some(energy) = stats.energy {
        progress.energy = energy;
    }
    progress.gems = stats.gems;
    progress.mined = stats.mined;
    progress.depth = stats.depth + progress.pending_digs;
    progress.ver = stats.ver;
}

/// Overwrites a player's copy with `state` read from Redis, keeping the digs still in flight,
/// unless the copy is already newer. Returns the look to set when it took the state.
fn take_newer(
    state: PlayerState,
    (progress, inventory, boosts, levels): (&mut Progress, &mut Inventory, &mut Boosts, &mut Levels),
    catalog: &crate::domain::Catalog,
    now_ms: i64,
) -> Option<Look> {
    let fresh = Progress::from_state(&state, catalog, now_ms);
    if progress.ver > fresh.ver {
        return None;
    }
    let pending_digs = progress.pending_digs;
    *progress = Progress { depth: fresh.depth + pending_digs, pending_digs, ..fresh };
    inventory.0 = state.inventory;
    boosts.0 = state.boosts;
    levels.0 = state.upgrades;
    Some(Look(state.skin))
}

fn fail(command: Command, error: GameError) {
    match command {
        Command::Dig { reply, .. } => drop(reply.send(Err(error))),
        Command::Use { reply, .. } => drop(reply.send(Err(error))),
        Command::View { reply, .. } => drop(reply.send(Err(error))),
        Command::SpendGems { reply, .. } => drop(reply.send(Err(error))),
        Command::StartRun { reply, .. } => drop(reply.send(Err(error))),
        Command::FinishRun { reply, .. } => drop(reply.send(Err(error))),
        Command::Refresh { .. } | Command::SkinChosen { .. } | Command::Granted { .. } => {}
    }
}

fn user_of(command: &Command) -> crate::domain::UserId {
    match command {
        Command::Dig { user, .. }
        | Command::Use { user, .. }
        | Command::View { user, .. }
        | Command::SpendGems { user, .. }
        | Command::StartRun { user, .. }
        | Command::FinishRun { user, .. }
        | Command::Refresh { user, .. }
        | Command::SkinChosen { user, .. }
        | Command::Granted { user, .. } => *user,
    }
}

/// Loads unknown players (their commands wait), answers views, and queues digs and uses.
pub fn route_commands(
    mut commands: Commands,
    mut inbox: ResMut<Inbox>,
    mut players: ResMut<Players>,
    mut digs: ResMut<DigQueue>,
    mut uses: ResMut<UseQueue>,
    mut runs: ResMut<RunQueue>,
    mut gems: ResMut<GemQueue>,
    mut outbox: ResMut<Outbox>,
    mut arrivals: ResMut<Arrivals>,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    mut loading: Query<&mut Loading>,
    mut active: Query<(&mut Progress, &mut Inventory, &mut Boosts, &mut Levels, &mut LastActive, &InFlight)>,
) {
    // Players first seen this tick: their entity is spawned after the loop, so every command
    // of theirs in this tick waits with the first (a spawned entity's components exist only
    // once this system's commands apply). A grant's state, when one came, replaces the load.
    let mut arriving: HashMap<UserId, (Vec<Command>, Option<Box<PlayerState>>)> = HashMap::new();
    // Players whose copy is being read again this tick (a refresh): their later commands wait
    // for it, as a first load's do, so a command sent after a change never sees the old copy.
    let mut reloading: HashMap<Entity, Vec<Command>> = HashMap::new();
    // Refreshes of players whose own mutations are still in flight: the change announced may
    // be one of theirs, whose result brings the new version anyway; looked at again next run.
    let mut deferred = Vec::new();
    for command in std::mem::take(&mut inbox.0) {
        let user = user_of(&command);
        // Refreshes and skin choices are about a copy: they never load a player.
        let refresh = matches!(command, Command::Refresh { .. } | Command::SkinChosen { .. });
        if let Some((waiting, known)) = arriving.get_mut(&user) {
            match command {
                Command::Granted { state, .. } => *known = Some(state),
                _ if refresh => {}
                command => waiting.push(command),
            }
            continue;
        }
        let Some(&entity) = players.0.get(&user) else {
            match command {
                Command::Granted { state, .. } => drop(arriving.insert(user, (Vec::new(), Some(state)))),
                _ if refresh => {}
                command => drop(arriving.insert(user, (vec![command], None))),
            }
            continue;
        };
        if let Ok(mut waiting) = loading.get_mut(entity) {
            // A load under way reads the stored skin choice itself; a grant waits for it and
            // is then taken if newer.
            if !refresh {
                waiting.0.push(command);
            }
            continue;
        }
        if let Some(waiting) = reloading.get_mut(&entity) {
            if !refresh {
                waiting.push(command);
            }
            continue;
        }
        let Ok((mut progress, mut inventory, mut boosts, mut levels, mut last, in_flight)) = active.get_mut(entity)
        else {
            continue;
        };
        match command {
            Command::Refresh { ver, .. } if ver > progress.ver && in_flight.0 > 0 => deferred.push(command),
            Command::Refresh { user, ver } => {
                if ver > progress.ver {
                    outbox.0.push(IoRequest::Load { user });
                    reloading.insert(entity, Vec::new());
                }
            }
            Command::Granted { state, .. } => {
                let copy = (&mut *progress, &mut *inventory, &mut *boosts, &mut *levels);
                if let Some(look) = take_newer(*state, copy, &catalog.0, now.0) {
                    commands.entity(entity).insert(look);
                }
            }
            Command::SkinChosen { skin, .. } => {
                commands.entity(entity).insert(Look(skin));
            }
            Command::View { reply, .. } => {
                last.0 = now.0;
                let _ = reply.send(Ok(view(user, &progress, &inventory, &boosts, &levels, &catalog.0, now.0)));
            }
            spend @ Command::SpendGems { .. } => {
                last.0 = now.0;
                gems.0.push(spend);
            }
            dig @ Command::Dig { .. } => {
                last.0 = now.0;
                digs.0.push(dig);
            }
            used @ Command::Use { .. } => {
                last.0 = now.0;
                uses.0.push(used);
            }
            run @ (Command::StartRun { .. } | Command::FinishRun { .. }) => {
                last.0 = now.0;
                runs.0.push(run);
            }
        }
    }
    inbox.0.extend(deferred);
    for (entity, waiting) in reloading {
        commands.entity(entity).insert(Loading(waiting));
    }
    for (user, (waiting, known)) in arriving {
        let entity = commands.spawn((Player { user }, Loading(waiting), LastActive(now.0))).id();
        players.0.insert(user, entity);
        match known {
            // Applied by the next run's `apply_arrivals`, as a load would be.
            Some(state) => arrivals.0.push(IoResult::Loaded { user, state: Ok(*state) }),
            None => outbox.0.push(IoRequest::Load { user }),
        }
    }
}

/// Digging: checks energy, rolls the find in the player's zone with their luck and yield,
/// spends optimistically and sends the mutation.
pub fn digging(
    mut queue: ResMut<DigQueue>,
    mut outbox: ResMut<Outbox>,
    mut dice: ResMut<Dice>,
    players: Res<Players>,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    mut query: Query<(&mut Progress, &Inventory, &Boosts, &Levels, &mut InFlight)>,
) {
    if queue.0.is_empty() {
        return;
    }
    let catalog = &catalog.0;
    let spec = EnergySpec::of(catalog);
    for command in queue.0.drain(..) {
        let Command::Dig { user, name, reply } = command else {
            continue;
        };
        let Some(Ok((mut progress, inventory, boosts, levels, mut in_flight))) =
            players.0.get(&user).map(|e| query.get_mut(*e))
        else {
            let _ = reply.send(Err(GameError::Unavailable("player not loaded".into())));
            continue;
        };
        let bonuses = catalog.bonuses_at(&levels.0, now.0);
        let rules = Economy::energy_rules_with(&catalog.settings.energy, bonuses);
        // Optimistic, by dig.lua's rule: a second dig in this tick sees the spent energy; Redis
        // has the last word.
        let Ok(spent) = progress.energy.spend(&rules, now.0) else {
            let view = view(user, &progress, inventory, boosts, levels, catalog, now.0);
            let _ = reply.send(Ok(DigOutcome::NoEnergy { player: view }));
            continue;
        };
        let multipliers = multipliers(catalog, inventory, boosts, bonuses, now.0);
        let dug = play::find(&catalog.loot, progress.depth, multipliers, &mut dice.0);
        let find = Find {
            drop_id: dug.drop.id.clone(),
            drop_name: dug.drop.name.clone(),
            rare: dug.drop.rare,
            gems: dug.gems,
            zone: dug.zone.name.clone(),
            depth: dug.depth,
        };
        progress.energy = spent;
        progress.depth += 1;
        progress.pending_digs += 1;
        in_flight.0 += 1;
        let energy = spec.clone();
        outbox.0.push(IoRequest::Dig { user, action: action_id(), rules, energy, find, name, reply });
    }
}

/// Using an item: consumables with an energy effect and boosts; tools work by being owned.
pub fn using(
    mut queue: ResMut<UseQueue>,
    mut outbox: ResMut<Outbox>,
    players: Res<Players>,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    mut query: Query<(&Levels, &mut InFlight)>,
) {
    let catalog = &catalog.0;
    for command in queue.0.drain(..) {
        let Command::Use { user, item, reply } = command else {
            continue;
        };
        let Some(Ok((levels, mut in_flight))) = players.0.get(&user).map(|e| query.get_mut(*e)) else {
            let _ = reply.send(Err(GameError::Unavailable("player not loaded".into())));
            continue;
        };
        // Whether the player holds it is Redis's to say (`use_item.lua`), not our copy's: a
        // payment granted a moment ago reaches this World through pub/sub, maybe only after
        // the player's `/use`.
        let Some(definition) = catalog.get(&item) else {
            let _ = reply.send(Ok(UseOutcome::NotUsable));
            continue;
        };
        if !definition.is_usable() {
            let _ = reply.send(Ok(UseOutcome::NotUsable));
            continue;
        }
        let boost = match definition.kind {
            ItemKind::Boost { duration } => Some(duration),
            _ => None,
        };
        let add_energy = definition.effects.energy;
        in_flight.0 += 1;
        let rules = catalog.energy_rules(&levels.0, now.0);
        let energy = EnergySpec::of(catalog);
        outbox.0.push(IoRequest::Use { user, action: action_id(), item, add_energy, boost, rules, energy, reply });
    }
}

/// Spending gems: the purchase the command names (its target level, so a double tap buys once)
/// is checked against the loaded copy and sent to Redis, which checks it again atomically.
pub fn spending_gems(
    mut queue: ResMut<GemQueue>,
    mut outbox: ResMut<Outbox>,
    players: Res<Players>,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    mut query: Query<(&Progress, &Inventory, &Boosts, &Levels, &mut InFlight)>,
) {
    let catalog = &catalog.0;
    for command in queue.0.drain(..) {
        let Command::SpendGems { user, id, level, action, reply } = command else {
            continue;
        };
        let Some(Ok((progress, inventory, boosts, levels, mut in_flight))) =
            players.0.get(&user).map(|e| query.get_mut(*e))
        else {
            let _ = reply.send(Err(GameError::Unavailable("player not loaded".into())));
            continue;
        };
        let refuse = |refusal| {
            let player = view(user, progress, inventory, boosts, levels, catalog, now.0);
            Ok(GemOutcome::Refused { refusal, player })
        };
        let purchase = match (catalog.economy.track(&id), level) {
            (Some(track), Some(level)) => match track.cost_of(level) {
                Some(cost) => GemPurchase::Level { track: id.clone(), level, cost },
                None => {
                    let _ = reply.send(refuse(GemRefusal::NoSuchLevel));
                    continue;
                }
            },
            _ => match catalog.economy.next_purchase(&id, &levels.0, u64::MAX) {
                Ok(purchase) => purchase,
                Err(refusal) => {
                    let _ = reply.send(refuse(refusal));
                    continue;
                }
            },
        };
        // The same rule the script applies, on a copy: refuse at once what Redis would refuse.
        let (mut upgrades, mut gems) = (levels.0.clone(), progress.gems);
        if let Err(refusal) = purchase.apply(&mut upgrades, &mut gems) {
            let _ = reply.send(refuse(refusal));
            continue;
        }
        in_flight.0 += 1;
        let (rules, energy) = (catalog.energy_rules(&upgrades, now.0), EnergySpec::of(catalog));
        outbox.0.push(IoRequest::SpendGems { user, action, purchase, rules, energy, reply });
    }
}

/// Arcade runs: a start spawns a run entity with what the player's items allow and records it
/// in Redis; a finish goes to Redis, which checks it whichever process started the run.
pub fn arcade(
    mut commands: Commands,
    mut queue: ResMut<RunQueue>,
    mut outbox: ResMut<Outbox>,
    players: Res<Players>,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    query: Query<(&Inventory, &Boosts, &Levels, Option<&Look>)>,
) {
    for command in queue.0.drain(..) {
        match command {
            Command::StartRun { user, reply } => {
                let Some(Ok((inventory, boosts, levels, look))) = players.0.get(&user).map(|e| query.get(*e)) else {
                    let _ = reply.send(Err(GameError::Unavailable("player not loaded".into())));
                    continue;
                };
                let skin = look.and_then(|look| look.0.as_deref());
                let params = catalog.0.run_params(&inventory.0, &boosts.0, &levels.0, skin, now.0);
                let run_id = format!("r{}", &action_id()[..12]);
                let ends_at_ms = now.0 + i64::from(params.seconds) * 1000;
                commands.spawn(Run { user, run_id: run_id.clone(), ends_at_ms });
                outbox.0.push(IoRequest::StartRun { user, start: RunStart { run_id, params }, reply });
            }
            Command::FinishRun { user, run_id, score, reply } => {
                let rules = catalog.0.settings.arcade.clone();
                outbox.0.push(IoRequest::FinishRun { user, run_id, score, rules, reply });
            }
            _ => {}
        }
    }
}

/// Runs nobody finished are dropped once they can no longer be finished.
pub fn expire_runs(mut commands: Commands, now: Res<Now>, query: Query<(Entity, &Run)>) {
    for (entity, run) in &query {
        if run.ends_at_ms + LATE_GRACE_MS < now.0 {
            commands.entity(entity).despawn();
        }
    }
}

/// Boosts that ran out: drop them and tell the player. Only players whose earliest boost end
/// has come are looked at ([`Timers`]); a changed set of boosts queues its new earliest end.
pub fn expire_boosts(
    now: Res<Now>,
    mut timers: ResMut<Timers>,
    mut notices: ResMut<Notices>,
    mut boosts: ParamSet<(Query<(Entity, &Boosts), Changed<Boosts>>, Query<(&Player, &mut Boosts)>)>,
) {
    let changed: Vec<(i64, Entity)> = boosts
        .p0()
        .iter()
        .filter_map(|(entity, boosts)| boosts.0.values().min().map(|first| (*first, entity)))
        .collect();
    timers.boosts.extend(changed);
    let mut query = boosts.p1();
    for (_, entity) in timers.boosts.pop_due(now.0) {
        let Ok((player, mut boosts)) = query.get_mut(entity) else { continue };
        if !boosts.0.values().any(|until| *until <= now.0) {
            continue;
        }
        let expired: Vec<String> =
            boosts.0.iter().filter(|(_, until)| **until <= now.0).map(|(id, _)| id.clone()).collect();
        for item in expired {
            boosts.0.remove(&item);
            notices.0.push(Notice::BoostExpired { user: player.user, item });
        }
    }
}

/// Energy below the cap is watched; when it is full again, the player is told once. A watch
/// is queued in [`Timers`] when it starts or moves earlier; one that moved later is queued again
/// when its old moment comes.
pub fn watch_energy(
    mut commands: Commands,
    now: Res<Now>,
    catalog: Res<CatalogRes>,
    mut timers: ResMut<Timers>,
    mut notices: ResMut<Notices>,
    query: Query<(Entity, &Progress, &Levels, Option<&WatchEnergyFull>), Or<(Changed<Progress>, Changed<Levels>)>>,
    watched: Query<(&Player, &Progress, &Levels, &WatchEnergyFull)>,
) {
    // Due ones first: a watch inserted below exists only once this system's commands apply.
    for (_, entity) in timers.energy.pop_due(now.0) {
        let Ok((player, progress, levels, watch)) = watched.get(entity) else { continue };
        let rules = &catalog.0.energy_rules(&levels.0, now.0);
        if watch.at > now.0 {
            timers.energy.push(watch.at, entity);
            continue;
        }
        commands.entity(entity).remove::<WatchEnergyFull>();
        let energy = progress.energy.now(rules, now.0);
        if energy >= rules.max {
            notices.0.push(Notice::EnergyFull { user: player.user, energy });
        }
    }
    for (entity, progress, levels, watch) in &query {
        let rules = &catalog.0.energy_rules(&levels.0, now.0);
        if let Some(at) = progress.energy.full_at(rules, now.0) {
            if watch.is_none_or(|w| w.at != at) {
                commands.entity(entity).insert(WatchEnergyFull { at });
            }
            if watch.is_none_or(|w| at < w.at) {
                timers.energy.push(at, entity);
            }
        }
    }
}

/// Players idle for long are dropped from the World (Redis keeps everything); those with a
/// pending timer (energy refilling, a boost running) stay longer so their notice goes out.
/// Each loaded player has one entry in [`Timers`]; when it comes due and the player was active
/// since (or must stay), it is queued again for its next possible moment.
pub fn evict_idle(
    mut commands: Commands,
    now: Res<Now>,
    eviction: Res<Eviction>,
    mut timers: ResMut<Timers>,
    mut players: ResMut<Players>,
    loaded: Query<(Entity, &LastActive), Added<LastActive>>,
    query: Query<(&Player, &LastActive, &InFlight, &Boosts, Option<&WatchEnergyFull>)>,
) {
    let arrived: Vec<(i64, Entity)> =
        loaded.iter().map(|(entity, last)| (last.0.saturating_add(eviction.idle_ms), entity)).collect();
    timers.idle.extend(arrived);
    for (_, entity) in timers.idle.pop_due(now.0) {
        // Not a loaded player (yet): it is queued again when its LastActive arrives.
        let Ok((player, last, in_flight, boosts, watch)) = query.get(entity) else {
            if commands.get_entity(entity).is_ok() {
                timers.idle.push(now.0 + eviction.idle_ms, entity);
            }
            continue;
        };
        let timers_running = watch.is_some() || !boosts.0.is_empty();
        let limit = if timers_running { eviction.idle_with_timers_ms } else { eviction.idle_ms };
        if now.0 - last.0 <= limit {
            timers.idle.push(last.0.saturating_add(limit).max(now.0 + 1), entity);
        } else if in_flight.0 > 0 {
            timers.idle.push(now.0 + 1_000, entity);
        } else {
            commands.entity(entity).despawn();
            players.0.remove(&player.user);
        }
    }
}
