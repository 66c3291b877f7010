//! The atomic scripts and the pure rules they mirror agree: the same cases go through a Lua
//! script on a real Redis and through `domain`, and must give the same results — gem purchases
//! (`upgrade.lua` vs `GemPurchase::apply`), the per-player energy cap and regeneration
//! (`energy_rules` in the dig script vs `Economy::energy_rules`), a run's ceiling at its
//! finish (`run_ceiling` vs `RunSources::ceiling_at_finish`), and one player's play as
//! `domain::play` decides it (`rules/play.rs`): a dig's energy spend, using items, runs replacing
//! each other and the daily arcade allowance, stock and per-player limits, grants and refunds.

use std::path::Path;
use std::time::Duration;

use starmine::domain::economy::{Economy, GemPurchase, GemRefusal, Track, TrackEffect, Upgrades};
use starmine::domain::game::RunSources;
use starmine::domain::outcome::{GemVerdict, RunOpen, RunVerdict};
use starmine::domain::{Catalog, Energy, UserId};
use starmine::store::arcade::RunRecord;
use starmine::store::game::EnergySpec;
use starmine::store::Store;

use crate::harness::TestRedis;

mod play;

const NOW: i64 = 1_800_000_000_000;

fn track(id: &str, effect: TrackEffect, per_level: u32) -> Track {
    Track {
        id: id.into(),
        name: id.into(),
        description: String::new(),
        effect,
        per_level,
        costs: Track::curve(100, 2.0, 4),
        translations: Default::default(),
    }
}

fn catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    let catalog = starmine::game_data::load_dir(&dir).expect("the fixture loads");
    let economy = Economy {
        tracks: vec![
            track("pick", TrackEffect::Yield, 10),
            track("battery", TrackEffect::EnergyCap, 3),
            track("cells", TrackEffect::EnergyCap, 1),
            track("generator", TrackEffect::Regen, 600),
        ],
        cosmetics: Vec::new(),
    };
    catalog.with_economy(economy)
}

async fn hset(redis: &TestRedis, key: &str, pairs: &[(&str, String)]) {
    let client = redis::Client::open(redis.url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    for (field, value) in pairs {
        let _: () = redis::cmd("HSET").arg(key).arg(field).arg(value).query_async(&mut conn).await.unwrap();
    }
}

fn levels(pairs: &[(&str, u32)]) -> Upgrades {
    Upgrades { levels: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(), ..Upgrades::default() }
}

#[tokio::test]
async fn gem_purchases_in_lua_and_in_domain_agree() {
    let redis = TestRedis::start().await;
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.unwrap();
    let catalog = catalog();
    let spec = EnergySpec::of(&catalog);
    let level = |level, cost| GemPurchase::Level { track: "pick".into(), level, cost };
    // (levels before, gems before, the purchase)
    let cases = [
        (0, 100, level(1, 100)),
        (0, 99, level(1, 100)),
        (1, 1_000, level(1, 100)),
        (1, 1_000, level(3, 400)),
        (2, 400, level(3, 400)),
        (3, 10_000, level(2, 200)),
        (0, 0, level(1, 100)),
    ];
    for (n, (before, gems, purchase)) in cases.into_iter().enumerate() {
        let user = UserId(7_000 + n as u64);
        let key = format!("{{p:{user}}}:state");
        hset(&redis, &key, &[("gems", gems.to_string()), ("lvl:pick", before.to_string())]).await;
        let (mut upgrades, mut left) = (levels(&[("pick", before)]), gems);
        let expected = purchase.apply(&mut upgrades, &mut left);
        let result = store.buy_with_gems(user, &format!("a{n}"), &purchase, &spec, NOW).await.unwrap();
        let verdict = match expected {
            Ok(()) => GemVerdict::Bought,
            Err(GemRefusal::AlreadyHave) => GemVerdict::Already,
            Err(GemRefusal::NotNext) => GemVerdict::NotNext,
            Err(GemRefusal::NotEnoughGems) => GemVerdict::NotEnoughGems,
            Err(other) => panic!("case {n}: the domain refused with {other:?}"),
        };
        assert_eq!(result.verdict, verdict, "case {n}");
        assert_eq!((result.stats.gems, result.level), (left, upgrades.level("pick")), "case {n}");
        // The same action again changes nothing: a repeat of a purchase, the same refusal.
        let again = store.buy_with_gems(user, &format!("a{n}"), &purchase, &spec, NOW).await.unwrap();
        let repeated = if verdict == GemVerdict::Bought { GemVerdict::Repeat } else { verdict };
        assert_eq!((again.verdict, again.stats.gems), (repeated, left), "case {n}");
    }
}

#[tokio::test]
async fn the_player_energy_cap_and_regeneration_agree() {
    let redis = TestRedis::start().await;
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.unwrap();
    let catalog = catalog();
    let spec = EnergySpec::of(&catalog);
    let cases: [&[(&str, u32)]; 5] = [
        &[],
        &[("battery", 2)],
        &[("battery", 4), ("cells", 3)],
        &[("generator", 3)],
        &[("battery", 1), ("generator", 4), ("cells", 9)],
    ];
    for (n, pairs) in cases.into_iter().enumerate() {
        let upgrades = levels(pairs);
        let rules = catalog.energy_rules(&upgrades, NOW);
        let user = UserId(8_000 + n as u64);
        let stored = Energy { value: 2, at_ms: NOW };
        let mut state = vec![("energy".to_owned(), "2".to_owned()), ("energy_at".to_owned(), NOW.to_string())];
        state.extend(pairs.iter().map(|(track, level)| (format!("lvl:{track}"), level.to_string())));
        let key = format!("{{p:{user}}}:state");
        let fields: Vec<(&str, String)> = state.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        hset(&redis, &key, &fields).await;
        // Far enough on to fill any cap: the script regenerates to the player's own cap.
        for later in [Duration::from_secs(600), Duration::from_secs(3 * 3600), Duration::from_secs(40 * 3600)] {
            let at = NOW + later.as_millis() as i64;
            let expected = stored.now(&rules, at);
            let result = store.dig(user, &format!("d{n}-{}", later.as_secs()), &spec, 1, "Rules", at).await.unwrap();
            let energy = result.stats.energy.expect("energy stored");
            assert_eq!(energy.value, expected - rules.dig_cost, "case {n} after {later:?} ({rules:?})");
            // Reset for the next moment.
            hset(&redis, &key, &[("energy", "2".into()), ("energy_at", NOW.to_string())]).await;
        }
    }
}

#[tokio::test]
async fn a_runs_ceiling_at_its_finish_agrees() {
    let redis = TestRedis::start().await;
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.unwrap();
    let rules = catalog().settings.arcade.clone();
    let sources = RunSources {
        base_seconds: 4,
        points_per_second: 60,
        level_seconds: 2,
        boost_seconds: 3,
        boost_percent: 150,
        tools: vec![("stopwatch".into(), 10, 100), ("gold_skin".into(), 0, 200)],
    };
    let (seconds, percent, max_score) = sources.allowance(|_| true);
    // Which tools are still owned at the finish.
    let cases: [&[&str]; 4] = [&["stopwatch", "gold_skin"], &["stopwatch"], &["gold_skin"], &[]];
    for (n, owned) in cases.into_iter().enumerate() {
        let ceiling = sources.ceiling_at_finish(max_score, |id| owned.contains(&id));
        for (score, verdict) in [(ceiling + 1, RunVerdict::Impossible), (ceiling, RunVerdict::Finished)] {
            let user = UserId(9_000 + n as u64 * 2 + u64::from(verdict == RunVerdict::Finished));
            let inventory = format!("{{p:{user}}}:inv");
            let pairs: Vec<(&str, String)> = owned.iter().map(|id| (*id, "1".to_owned())).collect();
            if !pairs.is_empty() {
                hset(&redis, &inventory, &pairs).await;
            }
            let record = RunRecord {
                seconds,
                max_score,
                score_percent: percent,
                skin: "classic".into(),
                sources: sources.clone(),
            };
            assert_eq!(store.start_run(user, "r1", &record, LIMIT, NOW).await.unwrap(), RunOpen::Started);
            let at = NOW + i64::from(seconds) * 1000;
            let result = store.finish_run(user, "r1", score as i64, &rules, LIMIT, at).await.unwrap();
            assert_eq!(result.verdict, verdict, "case {n}: owned {owned:?}, score {score}, ceiling {ceiling}");
        }
    }
}

/// The game API's per-player limit as the run scripts count it (one round trip per call).
const LIMIT: u32 = 240;

#[tokio::test]
async fn the_run_scripts_count_calls_against_the_api_limit_and_change_nothing_over_it() {
    let redis = TestRedis::start().await;
    let store = Store::connect(std::slice::from_ref(&redis.url)).await.unwrap();
    let rules = catalog().settings.arcade.clone();
    let user = UserId(9_900);
    let sources = RunSources {
        base_seconds: 1,
        points_per_second: 10,
        level_seconds: 0,
        boost_seconds: 0,
        boost_percent: 100,
        tools: Vec::new(),
    };
    let record = RunRecord { seconds: 1, max_score: 10, score_percent: 100, skin: "classic".into(), sources };
    // Three calls a minute: a start and a finish are served, the next start is not.
    assert_eq!(store.start_run(user, "r1", &record, 3, NOW).await.unwrap(), RunOpen::Started);
    let finished = store.finish_run(user, "r1", 10, &rules, 3, NOW + 1_000).await.unwrap();
    assert_eq!(finished.verdict, RunVerdict::Finished);
    assert_eq!(finished.rank, Some(1), "the finish answers the rank it earned");
    assert_eq!(store.start_run(user, "r2", &record, 3, NOW + 1_100).await.unwrap(), RunOpen::Started);
    assert_eq!(store.start_run(user, "r3", &record, 3, NOW + 1_200).await.unwrap(), RunOpen::SlowDown);
    let refused = store.finish_run(user, "r2", 10, &rules, 3, NOW + 2_100).await.unwrap();
    assert_eq!(refused.verdict, RunVerdict::SlowDown);
    let client = redis::Client::open(redis.url.as_str()).unwrap();
    let mut redis_conn = client.get_multiplexed_async_connection().await.unwrap();
    let r3: bool = redis::cmd("EXISTS").arg(format!("{{p:{user}}}:run:r3")).query_async(&mut redis_conn).await.unwrap();
    assert!(!r3, "a start over the limit records no run");
    let r2: String = redis::cmd("HGET")
        .arg(format!("{{p:{user}}}:run:r2"))
        .arg("finished")
        .query_async(&mut redis_conn)
        .await
        .unwrap();
    assert_eq!(r2, "0", "a finish over the limit leaves the run open");
    // A minute after those calls the window has room again (and the run is still in its grace).
    let later = store.finish_run(user, "r2", 10, &rules, 3, NOW + 61_200).await.unwrap();
    assert_eq!(later.verdict, RunVerdict::Finished, "served again");
}
