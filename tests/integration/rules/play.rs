//! `domain::play` against the scripts: each case is a player written to a real Redis and the
//! same player as a `domain::play::Player`; the script and the domain function then act on
//! them and must leave the same player behind (energy and its moment, gems, depth, inventory,
//! boosts) with the same verdict.

use std::collections::BTreeMap;

use rand::SeedableRng;
use starmine::domain::catalog::Grant;
use starmine::domain::game::RunParams;
use starmine::domain::order::{blocked, Taken};
use starmine::domain::outcome::{RunOpen, RunVerdict, Verdict};
use starmine::domain::play::Player;
use starmine::domain::refund::{player_refund, Purchase};
use starmine::domain::{grant_units, Catalog, ChargeId, Energy, Refusal, UserId};
use starmine::store::arcade::RunRecord;
use starmine::store::game::{EnergySpec, PlayerState};
use starmine::store::{OrderOffer, Recorded, RefundStart, Store};

use super::{catalog, levels, LIMIT, NOW};
use crate::harness::TestRedis;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

async fn connect(redis: &TestRedis) -> (Store, redis::aio::MultiplexedConnection) {
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.unwrap();
    let client = redis::Client::open(redis.url.as_str()).unwrap();
    (store, client.get_multiplexed_async_connection().await.unwrap())
}

/// Writes `player` (energy, gems, levels, inventory, boosts) as the player's slot holds it;
/// `energy: None` leaves the field out (a player who never spent energy).
async fn write(conn: &mut redis::aio::MultiplexedConnection, user: UserId, player: &Player, energy: Option<Energy>) {
    let tag = format!("{{p:{user}}}");
    let mut state = redis::cmd("HSET");
    state.arg(format!("{tag}:state")).arg("gems").arg(player.gems).arg("depth").arg(player.depth);
    if let Some(energy) = energy {
        state.arg("energy").arg(energy.value).arg("energy_at").arg(energy.at_ms);
    }
    for (track, level) in &player.upgrades.levels {
        state.arg(format!("lvl:{track}")).arg(level);
    }
    let _: () = state.query_async(conn).await.unwrap();
    for (key, pairs) in [
        ("inv", player.inventory.iter().map(|(id, qty)| (id.clone(), *qty as i64)).collect::<Vec<_>>()),
        ("boosts", player.boosts.iter().map(|(id, until)| (id.clone(), *until)).collect()),
    ] {
        if !pairs.is_empty() {
            let _: () = redis::cmd("HSET").arg(format!("{tag}:{key}")).arg(pairs).query_async(conn).await.unwrap();
        }
    }
}

/// What both sides must agree on after an action.
fn seen(
    energy: Option<Energy>,
    gems: u64,
    depth: u32,
    inventory: &BTreeMap<String, u64>,
    boosts: &BTreeMap<String, i64>,
) -> String {
    format!("energy {energy:?}, gems {gems}, depth {depth}, inventory {inventory:?}, boosts {boosts:?}")
}

fn seen_in_redis(state: &PlayerState) -> String {
    let stats = state.stats;
    seen(stats.energy, stats.gems, stats.depth, &state.inventory, &state.boosts)
}

fn seen_in_domain(player: &Player) -> String {
    seen(Some(player.energy), player.gems, player.depth, &player.inventory, &player.boosts)
}

fn player(catalog: &Catalog, energy: Energy, upgrades: &[(&str, u32)]) -> Player {
    Player { energy, upgrades: levels(upgrades), ..Player::new(catalog, NOW) }
}

/// Upgrade levels of a case: (track, level).
type Levels = &'static [(&'static str, u32)];

#[tokio::test]
async fn a_digs_energy_spend_agrees_with_regeneration_the_cap_and_no_energy() {
    let redis = TestRedis::start().await;
    let (store, mut conn) = connect(&redis).await;
    let catalog = catalog();
    let spec = EnergySpec::of(&catalog);
    let at = |value, ago| Some(Energy { value, at_ms: NOW - ago });
    // (stored energy: None = never spent, levels); the fixture's bar is 10, one point an hour.
    let cases: [(Option<Energy>, Levels); 9] = [
        (None, &[]),
        (at(10, 5 * HOUR), &[]),
        (at(0, 30 * MINUTE), &[]),
        (at(0, HOUR), &[]),
        (at(3, 2 * HOUR + 30 * MINUTE), &[]),
        (at(8, 5 * HOUR), &[]),
        (at(12, HOUR), &[]),
        (at(10, 90 * MINUTE), &[("battery", 2)]),
        (at(0, 70 * MINUTE), &[("generator", 3)]),
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for (n, (stored, upgrades)) in cases.into_iter().enumerate() {
        let user = UserId(10_000 + n as u64);
        let mut expected = player(&catalog, stored.unwrap_or(Energy::full(&catalog.settings.energy, NOW)), upgrades);
        write(&mut conn, user, &expected, stored).await;
        let rules = catalog.energy_rules(&expected.upgrades, NOW);
        let dug = expected.dig_with(&catalog.loot, &rules, (100, 100), &mut rng, NOW);
        let gems = dug.map_or(0, |dug| dug.gems);
        let result = store.dig(user, &format!("d{n}"), &spec, gems, "Rules", NOW).await.unwrap();
        let verdict = if dug.is_ok() { Verdict::Applied } else { Verdict::NoEnergy };
        assert_eq!(result.verdict, verdict, "case {n}");
        let state = store.load_player(user).await.unwrap();
        assert_eq!(seen_in_redis(&state), seen_in_domain(&expected), "case {n}: {stored:?} {upgrades:?}");
    }
}

#[tokio::test]
async fn using_an_item_agrees_on_the_cap_a_full_bar_and_boosts() {
    let redis = TestRedis::start().await;
    let (store, mut conn) = connect(&redis).await;
    let catalog = catalog();
    let spec = EnergySpec::of(&catalog);
    let at = |value, ago| Energy { value, at_ms: NOW - ago };
    // (energy, levels, inventory, boosts running, the item used); `energy` adds 5, `lantern`
    // is a 10 s boost.
    type Case<'a> = (Energy, &'a [(&'a str, u32)], &'a [(&'a str, u64)], &'a [(&'a str, i64)], &'a str);
    let cases: [Case; 8] = [
        (at(2, 10 * MINUTE), &[], &[], &[], "energy"),
        (at(2, 10 * MINUTE), &[], &[("energy", 2)], &[], "energy"),
        (at(8, 10 * MINUTE), &[], &[("energy", 1)], &[], "energy"),
        (at(10, HOUR), &[], &[("energy", 1)], &[], "energy"),
        (at(9, 2 * HOUR), &[], &[("energy", 1)], &[], "energy"),
        (at(10, HOUR), &[("battery", 1)], &[("energy", 3)], &[], "energy"),
        (at(10, HOUR), &[], &[("lantern", 2)], &[("rush", NOW - 1)], "lantern"),
        (at(10, HOUR), &[], &[("lantern", 1)], &[("lantern", NOW + 5_000)], "lantern"),
    ];
    for (n, (energy, upgrades, inventory, boosts, item)) in cases.into_iter().enumerate() {
        let user = UserId(11_000 + n as u64);
        let mut expected = player(&catalog, energy, upgrades);
        expected.inventory = inventory.iter().map(|(id, qty)| (id.to_string(), *qty)).collect();
        expected.boosts = boosts.iter().map(|(id, until)| (id.to_string(), *until)).collect();
        write(&mut conn, user, &expected, Some(energy)).await;
        let definition = catalog.find(item).unwrap();
        let rules = catalog.energy_rules(&expected.upgrades, NOW);
        let used = expected.use_item(definition, &rules, NOW);
        let boost = match definition.kind {
            starmine::domain::ItemKind::Boost { duration } => Some(duration),
            _ => None,
        };
        let result =
            store.use_item(user, &format!("u{n}"), item, definition.effects.energy, boost, &spec, NOW).await.unwrap();
        let verdict = used.map_or_else(|refusal| refusal, |_| Verdict::Applied);
        assert_eq!(result.verdict, verdict, "case {n}");
        if let Ok(until) = used {
            assert_eq!(result.boost_until, until, "case {n}");
        }
        let state = store.load_player(user).await.unwrap();
        assert_eq!(seen_in_redis(&state), seen_in_domain(&expected), "case {n}");
    }
}

fn record(params: &RunParams) -> RunRecord {
    RunRecord {
        seconds: params.seconds,
        max_score: params.max_score,
        score_percent: params.score_percent,
        skin: params.skin.clone(),
        sources: params.sources.clone(),
    }
}

#[tokio::test]
async fn runs_replace_each_other_and_the_daily_allowance_agree() {
    let redis = TestRedis::start().await;
    let (store, _) = connect(&redis).await;
    let catalog = catalog();
    let rules = catalog.settings.arcade.clone();
    let params = catalog.run_params(&BTreeMap::new(), &BTreeMap::new(), &Default::default(), None, NOW);
    let user = UserId(12_000);
    let mut expected = Player::new(&catalog, NOW);
    let length = i64::from(params.seconds) * 1000;
    // (start run at, finish run at with score): the fixture's run is 4 s, at most 240 points,
    // 10 gems per 100 points, 50 gems a day.
    type Step<'a> = (Option<(&'a str, i64)>, Option<(&'a str, i64, i64)>);
    let steps: [Step; 11] = [
        (Some(("r1", 0)), None),
        (Some(("r2", 100)), Some(("r1", length, 240))),
        (None, Some(("r2", 100 + length, 240))),
        (Some(("r3", MINUTE)), Some(("r3", MINUTE + length, 240))),
        (Some(("r4", 2 * MINUTE)), Some(("r4", 2 * MINUTE + length, 239))),
        (Some(("r5", 3 * MINUTE)), Some(("r5", 3 * MINUTE + length, 241))),
        (Some(("r6", 4 * MINUTE)), Some(("r6", 4 * MINUTE + length, 240))),
        (Some(("r7", DAY)), Some(("r7", DAY + 1_000, 240))),
        (None, Some(("r7", DAY + length, 230))),
        (Some(("r8", DAY + MINUTE)), Some(("r8", DAY + MINUTE + length + 60_001, 10))),
        (Some(("r9", DAY + 2 * MINUTE)), Some(("r9", DAY + 2 * MINUTE + length, 240))),
    ];
    // Runs closed by a newer start, by id: their finish is the closed run's.
    let mut replaced = BTreeMap::new();
    let mut open = String::new();
    for (n, (start, finish)) in steps.into_iter().enumerate() {
        if let Some((run, at)) = start {
            assert_eq!(store.start_run(user, run, &record(&params), LIMIT, NOW + at).await.unwrap(), RunOpen::Started);
            if let Some(closed) = expected.start_run(params.clone(), NOW + at) {
                replaced.insert(std::mem::take(&mut open), closed);
            }
            open = run.to_owned();
        }
        let Some((run, at, score)) = finish else { continue };
        let result = store.finish_run(user, run, score, &rules, LIMIT, NOW + at).await.unwrap();
        let domain = match replaced.get_mut(run) {
            Some(closed) => closed.finish(score, |_| true, NOW + at).map(|_| None),
            None => expected.finish_run(score, &rules, NOW + at).map(Some),
        };
        match domain {
            Ok(award) => {
                let award = award.expect("only the open run finishes");
                assert_eq!(result.verdict, RunVerdict::Finished, "step {n}");
                assert_eq!((result.awarded, result.new_best), (award.awarded, award.new_best), "step {n}");
            }
            Err(verdict) => assert_eq!(result.verdict, verdict, "step {n}"),
        }
        let left = expected.arcade.left(rules.gems_per_day, NOW + at);
        assert_eq!((result.left_today, result.player.stats.gems), (left, expected.gems), "step {n}");
    }
    assert!(replaced.contains_key("r1"), "a run was replaced");
    assert_eq!(expected.gems, 50 + 23 + 24, "two days' allowance, then a run the next day");
}

#[tokio::test]
async fn stock_and_per_player_limits_agree_with_holds_counted() {
    let redis = TestRedis::start().await;
    let (store, mut conn) = connect(&redis).await;
    let catalog = catalog();
    // (item, sold, holds overall as (qty, expires in ms), this player's owned, their holds);
    // `golden` is a permanent item with a stock of 2, `crate` one with at most 2 a player,
    // `rare` has a stock of 3.
    type Case<'a> = (&'a str, u64, &'a [(u64, i64)], u64, &'a [(u64, i64)]);
    let cases: [Case; 12] = [
        ("golden", 0, &[], 0, &[]),
        ("golden", 1, &[], 1, &[]),
        ("golden", 2, &[], 0, &[]),
        ("golden", 1, &[(1, MINUTE)], 0, &[]),
        ("golden", 1, &[(1, -1)], 0, &[]),
        ("golden", 0, &[(1, MINUTE)], 0, &[(1, MINUTE)]),
        ("crate", 50, &[], 1, &[]),
        ("crate", 50, &[(1, MINUTE)], 1, &[(1, MINUTE)]),
        ("crate", 50, &[], 2, &[]),
        ("crate", 50, &[(1, -5)], 1, &[(1, -5)]),
        ("rare", 2, &[(1, MINUTE)], 0, &[]),
        ("rare", 2, &[(1, -1), (2, -1)], 0, &[]),
    ];
    for (n, (item, sold, holds, owned, player_holds)) in cases.into_iter().enumerate() {
        let user = UserId(13_000 + n as u64);
        let definition = catalog.find(item).unwrap();
        // The item's slot as `store::keys` names it.
        let key = |name: &str| format!("{{i:{item}}}:{name}");
        let (sold_key, holds_key, owned_key, player_holds_key) =
            (key("sold"), key("holds"), key("owned"), key(&format!("uholds:{user}")));
        let _: () = redis::cmd("SET").arg(&sold_key).arg(sold).query_async(&mut conn).await.unwrap();
        let _: () = redis::cmd("DEL").arg(&holds_key).arg(&player_holds_key).query_async(&mut conn).await.unwrap();
        let _: () = redis::cmd("HSET").arg(&owned_key).arg(user.0).arg(owned).query_async(&mut conn).await.unwrap();
        for (key, list) in [(&holds_key, holds), (&player_holds_key, player_holds)] {
            for (at, (qty, expires_in)) in list.iter().enumerate() {
                let member = format!("t{n}x{at}|{qty}");
                let _: () =
                    redis::cmd("ZADD").arg(key).arg(NOW + expires_in).arg(member).query_async(&mut conn).await.unwrap();
            }
        }
        let live =
            |list: &[(u64, i64)]| list.iter().filter(|(_, expires_in)| *expires_in > 0).map(|(qty, _)| qty).sum();
        let taken = Taken { sold, held: live(holds), owned, player_held: live(player_holds) };
        let expected = blocked(definition, taken, 1);
        let offer = store.create_order(definition, user, &catalog.version, &catalog.settings, None, NOW).await.unwrap();
        let refusal = match offer {
            OrderOffer::Refused(refusal) => Some(refusal),
            OrderOffer::Payable { .. } => None,
            OrderOffer::SlowDown => panic!("case {n}: not metered"),
        };
        assert_eq!(refusal, expected, "case {n}: {item} {taken:?}");
    }
    // Every refusal was seen at least once.
    let refusals = [Refusal::SoldOut, Refusal::LimitReached, Refusal::AlreadyOwned];
    for refusal in refusals {
        let any = cases.iter().any(|(item, sold, holds, owned, player_holds)| {
            let live = |list: &[(u64, i64)]| list.iter().filter(|(_, e)| *e > 0).map(|(qty, _)| qty).sum();
            let taken = Taken { sold: *sold, held: live(holds), owned: *owned, player_held: live(player_holds) };
            blocked(catalog.find(item).unwrap(), taken, 1) == Some(refusal)
        });
        assert!(any, "{refusal:?} is among the cases");
    }
}

#[tokio::test]
async fn a_grant_the_refund_policy_and_the_revocation_agree() {
    let redis = TestRedis::start().await;
    let (store, mut conn) = connect(&redis).await;
    let catalog = catalog();
    let spec = EnergySpec::of(&catalog);
    let window = catalog.settings.refund_window;
    // (item bought, energy items used after, checked after ms): `starter` is 3 energy items
    // and a 50-gem pack, `pickaxe` a permanent tool.
    let cases: [(&str, u32, i64); 5] = [
        ("starter", 0, MINUTE),
        ("starter", 1, MINUTE),
        ("starter", 0, 2 * HOUR),
        ("pickaxe", 0, MINUTE),
        ("gem_pack", 0, 1),
    ];
    for (n, (item, uses, later)) in cases.into_iter().enumerate() {
        let user = UserId(14_000 + n as u64);
        let definition = catalog.find(item).unwrap();
        let grant: Grant = catalog.grants(definition);
        let charge = ChargeId::parse(&format!("charge-{n}")).unwrap();
        let amount = definition.price.get();
        let recorded = store.record_payment(user, &charge, item, 1, amount, &grant, None, NOW).await.unwrap();
        let Recorded::Granted(state) = recorded else { panic!("case {n}: {recorded:?}") };
        let mut expected = Player::new(&catalog, NOW);
        expected.grant(&grant);
        assert_eq!((&state.inventory, state.stats.gems), (&expected.inventory, expected.gems), "case {n}: granted");
        let energy = catalog.find("energy").unwrap();
        for u in 0..uses {
            // A bar below its cap, so the use is applied.
            expected.energy = Energy { value: 0, at_ms: NOW };
            let rules = catalog.energy_rules(&expected.upgrades, NOW);
            expected.use_item(energy, &rules, NOW).unwrap();
            let _: () = redis::cmd("HSET")
                .arg(format!("{{p:{user}}}:state"))
                .arg("energy")
                .arg(0)
                .arg("energy_at")
                .arg(NOW)
                .query_async(&mut conn)
                .await
                .unwrap();
            let used = store.use_item(user, &format!("u{n}-{u}"), "energy", Some(5), None, &spec, NOW).await.unwrap();
            assert_eq!(used.verdict, Verdict::Applied, "case {n}");
        }
        let units = grant_units(&grant);
        let purchase = Purchase { paid_at_ms: NOW, grants: &units };
        let held = store.holdings(user).await.unwrap();
        let policy = player_refund(&purchase, &held.held, window, NOW + later);
        assert_eq!(policy, player_refund(&purchase, &expected.holdings(), window, NOW + later), "case {n}: the policy");
        let started = store.begin_refund(user, &charge, starmine::domain::RefundBy::Admin, None, NOW + later).await;
        let RefundStart::Pending(pending) = started.unwrap() else { panic!("case {n}: not pending") };
        let taken: Vec<(String, u32)> =
            expected.revoke(&units).into_iter().map(|(unit, qty)| (unit, qty as u32)).collect();
        assert_eq!(pending.revoked, taken, "case {n}: revoked");
        let state = store.load_player(user).await.unwrap();
        assert_eq!((&state.inventory, state.stats.gems), (&expected.inventory, expected.gems), "case {n}: after");
    }
}
