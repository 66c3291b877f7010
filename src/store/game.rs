//! Player game state: the dig and use mutations, loading a player, the leaderboard, change
//! notifications (pub/sub) and cross-process notice claims.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use redis::AsyncCommands;

use super::keys::{PlayerKeys, LEADERBOARD, PLAYER_CHANGES, TIMERS_DUE};
use super::{Conn, Store, StoreError, StoreResult};
use crate::domain::economy::{GemPurchase, TrackEffect};
use crate::domain::outcome::{GemVerdict, Verdict};
use crate::domain::{Catalog, Energy, Upgrades, UserId};

/// A catalog's energy rules as the game scripts take them: the base cap and regeneration and
/// the tracks that raise them, so each script computes the player's own cap from the levels it
/// reads (see `energy_rules` in `game_lib.lua`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnergySpec {
    /// Shared: every dig of a tick carries the same one.
    spec: std::sync::Arc<str>,
    dig_cost: u32,
}

impl EnergySpec {
    /// Rules no upgrade changes (benchmarks).
    pub fn plain(rules: &crate::domain::EnergyRules) -> Self {
        Self { spec: format!("{}|{}||", rules.max, rules.regen.as_millis()).into(), dig_cost: rules.dig_cost }
    }

    pub fn of(catalog: &Catalog) -> Self {
        let base = &catalog.settings.energy;
        let tracks = |effect: TrackEffect, unit: u64| -> String {
            let tracks = catalog.economy.tracks.iter().filter(|track| track.effect == effect);
            let parts: Vec<String> = tracks
                .map(|track| format!("{}:{}:{}", track.id, u64::from(track.per_level) * unit, track.max_level()))
                .collect();
            parts.join(",")
        };
        let passes: Vec<String> = catalog
            .items()
            .iter()
            .filter_map(|item| Some((item, item.pass_perks()?)))
            .filter(|(_, perks)| perks.energy_cap > 0 || perks.regen > 0)
            .map(|(item, perks)| format!("{}:{}:{}", item.id, perks.energy_cap, u64::from(perks.regen) * 1000))
            .collect();
        let spec = format!(
            "{}|{}|{}|{}|{}",
            base.max,
            base.regen.as_millis(),
            tracks(TrackEffect::EnergyCap, 1),
            tracks(TrackEffect::Regen, 1000),
            passes.join(",")
        );
        Self { spec: spec.into(), dig_cost: base.dig_cost }
    }
}

/// The counters of a player as the store holds them after a change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// None for a player who never spent energy (full).
    pub energy: Option<Energy>,
    pub gems: u64,
    pub mined: u64,
    pub depth: u32,
    /// Bumped by every change; a copy with a lower version is stale.
    pub ver: u64,
}

/// Everything the game loop keeps of one player.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlayerState {
    pub stats: Stats,
    pub inventory: BTreeMap<String, u64>,
    /// Boost item id -> expiry (ms); may include expired ones.
    pub boosts: BTreeMap<String, i64>,
    /// Upgrade levels and cosmetics bought with gems.
    pub upgrades: Upgrades,
    /// Arcade gems awarded on `arcade_day` (a UTC day number; earlier days count as none).
    pub arcade_day: i64,
    pub arcade_gems: u64,
    /// The arcade skin the player chose (None: the automatic one).
    pub skin: Option<String>,
}

/// The write behind [`Store::schedule_timer`]: one ZADD LT for every timer noted meanwhile.
pub(super) fn write_timers(
    conn: Conn,
) -> impl Fn(Vec<(UserId, i64)>) -> BoxFuture<'static, StoreResult<()>> + Send + Sync {
    move |timers| {
        let mut conn = conn.clone();
        async move {
            let mut zadd = redis::cmd("ZADD");
            zadd.arg(TIMERS_DUE).arg("LT");
            for (user, at_ms) in timers {
                zadd.arg(at_ms).arg(user.0);
            }
            let _: () = zadd.query_async(&mut conn).await?;
            Ok(())
        }
        .boxed()
    }
}

/// A player from their state, inventory and boosts hashes (as `load_player` reads them and
/// `grant.lua` returns them after a grant).
pub(super) fn player_state(
    state: HashMap<String, String>,
    inventory: HashMap<String, i64>,
    boosts: HashMap<String, i64>,
) -> StoreResult<PlayerState> {
    let field = |name: &str| state.get(name).cloned().unwrap_or_default();
    let reply =
        ["ok", &field("energy"), &field("energy_at"), &field("gems"), &field("mined"), &field("depth"), &field("ver")]
            .map(str::to_owned);
    let stats = parse_reply(&reply)?.stats;
    Ok(PlayerState {
        stats,
        inventory: inventory.into_iter().filter(|(_, qty)| *qty > 0).map(|(k, v)| (k, v as u64)).collect(),
        boosts: boosts.into_iter().collect(),
        upgrades: upgrades_of(&state),
        arcade_day: field("arcade_day").parse().unwrap_or(-1),
        arcade_gems: field("arcade_gems").parse().unwrap_or(0),
        skin: state.get("skin").filter(|skin| !skin.is_empty()).cloned(),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GemResult {
    pub verdict: GemVerdict,
    pub stats: Stats,
    /// The level (1 for an owned cosmetic) after the script.
    pub level: u32,
}

/// The state-hash field a gem purchase writes.
fn gem_field(purchase: &GemPurchase) -> String {
    match purchase {
        GemPurchase::Level { track, .. } => format!("lvl:{track}"),
        GemPurchase::Cosmetic { id, .. } => format!("cos:{id}"),
    }
}

/// Upgrade levels (`lvl:<track>`), cosmetics (`cos:<id>`) and pass expiries (`pass:<id>`) from a
/// player's state hash.
fn upgrades_of(state: &HashMap<String, String>) -> Upgrades {
    let mut upgrades = Upgrades::default();
    for (field, value) in state {
        if let Some(track) = field.strip_prefix("lvl:") {
            upgrades.levels.insert(track.to_owned(), value.parse().unwrap_or(0));
        } else if let Some(pass) = field.strip_prefix("pass:") {
            upgrades.passes.insert(pass.to_owned(), value.parse().unwrap_or(0));
        } else if let Some(cosmetic) = field.strip_prefix("cos:") {
            if value != "0" {
                upgrades.cosmetics.insert(cosmetic.to_owned());
            }
        }
    }
    upgrades
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MutationResult {
    pub verdict: Verdict,
    pub stats: Stats,
    /// For `use`: the boost's expiry after it, when the item is a boost.
    pub boost_until: Option<i64>,
}

pub(super) fn parse_reply(reply: &[String]) -> StoreResult<MutationResult> {
    let [verdict, energy, energy_at, gems, mined, depth, ver, rest @ ..] = reply else {
        return Err(StoreError::Protocol(format!("game script: {reply:?}")));
    };
    let verdict = match verdict.as_str() {
        "ok" => Verdict::Applied,
        "repeat" => Verdict::Repeat,
        "no_energy" => Verdict::NoEnergy,
        "not_owned" => Verdict::NotOwned,
        "energy_full" => Verdict::EnergyFull,
        other => return Err(StoreError::Protocol(format!("game verdict `{other}`"))),
    };
    let energy = match (energy.parse(), energy_at.parse()) {
        (Ok(value), Ok(at_ms)) => Some(Energy { value, at_ms }),
        _ => None,
    };
    let stats = Stats {
        energy,
        gems: gems.parse().unwrap_or(0),
        mined: mined.parse().unwrap_or(0),
        depth: depth.parse().unwrap_or(0),
        ver: ver.parse().unwrap_or(0),
    };
    let boost_until = rest.first().and_then(|at| at.parse().ok());
    Ok(MutationResult { verdict, stats, boost_until })
}

impl Store {
    /// Applies one dig rolled by the game loop: spends energy, adds `gems`, one meter deeper.
    pub async fn dig(
        &self,
        user: UserId,
        action: &str,
        energy: &EnergySpec,
        gems: u64,
        name: &str,
        now_ms: i64,
    ) -> StoreResult<MutationResult> {
        let keys = PlayerKeys::new(user);
        let reply: Vec<String> = self
            .scripts
            .dig
            .key(keys.state())
            .key(keys.actions())
            .arg(now_ms)
            .arg(action)
            .arg(energy.dig_cost)
            .arg(&*energy.spec)
            .arg(gems)
            .arg(name)
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        let result = parse_reply(&reply)?;
        if result.verdict == Verdict::Applied {
            // Its own slot, so a separate command; GT keeps it monotonic whatever the order.
            let _: () = redis::cmd("ZADD")
                .arg(LEADERBOARD)
                .arg("GT")
                .arg(result.stats.mined)
                .arg(user.0)
                .query_async(&mut self.conn())
                .await?;
        }
        Ok(result)
    }

    /// Uses one unit of `item`, atomically with its effect: energy added up to the player's cap
    /// and/or a boost started.
    #[allow(clippy::too_many_arguments)]
    pub async fn use_item(
        &self,
        user: UserId,
        action: &str,
        item: &str,
        add_energy: Option<u32>,
        boost: Option<Duration>,
        energy: &EnergySpec,
        now_ms: i64,
    ) -> StoreResult<MutationResult> {
        let keys = PlayerKeys::new(user);
        let reply: Vec<String> = self
            .scripts
            .use_item
            .key(keys.inventory())
            .key(keys.state())
            .key(keys.boosts())
            .key(keys.actions())
            .key(keys.ledger())
            .arg(now_ms)
            .arg(action)
            .arg(item)
            .arg(add_energy.unwrap_or(0))
            .arg(&*energy.spec)
            .arg(boost.map_or(0, |d| d.as_millis() as i64))
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        parse_reply(&reply)
    }

    /// Reads everything the game keeps of a player.
    pub async fn load_player(&self, user: UserId) -> StoreResult<PlayerState> {
        let keys = PlayerKeys::new(user);
        let (state, inventory, boosts) = redis::pipe()
            .hgetall(keys.state())
            .hgetall(keys.inventory())
            .hgetall(keys.boosts())
            .query_async(&mut self.conn())
            .await?;
        player_state(state, inventory, boosts)
    }

    /// Buys the next level of a track or a cosmetic with gems, at most once per action id
    /// (`upgrade.lua`: the level before, enough gems, energy settled at the old cap first).
    pub async fn buy_with_gems(
        &self,
        user: UserId,
        action: &str,
        purchase: &GemPurchase,
        energy: &EnergySpec,
        now_ms: i64,
    ) -> StoreResult<GemResult> {
        let keys = PlayerKeys::new(user);
        let target = match purchase {
            GemPurchase::Level { level, .. } => *level,
            GemPurchase::Cosmetic { .. } => 1,
        };
        let reply: Vec<String> = self
            .scripts
            .upgrade
            .key(keys.state())
            .key(keys.actions())
            .key(keys.ledger())
            .arg(now_ms)
            .arg(action)
            .arg(gem_field(purchase))
            .arg(target)
            .arg(purchase.cost())
            .arg(&*energy.spec)
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        let verdict = match reply.first().map(String::as_str) {
            Some("ok") => GemVerdict::Bought,
            Some("repeat") => GemVerdict::Repeat,
            Some("already") => GemVerdict::Already,
            Some("not_next") => GemVerdict::NotNext,
            Some("no_gems") => GemVerdict::NotEnoughGems,
            other => return Err(StoreError::Protocol(format!("upgrade: {other:?}"))),
        };
        let [head @ .., level] = reply.as_slice() else {
            return Err(StoreError::Protocol(format!("upgrade: {reply:?}")));
        };
        let mut head = head.to_vec();
        head[0] = "ok".into();
        Ok(GemResult { verdict, stats: parse_reply(&head)?.stats, level: level.parse().unwrap_or(0) })
    }

    /// Notes that a timer (a boost end, energy full) of `user` may come due at `at_ms`; an
    /// earlier one already noted stays (ZADD LT). One command in its own slot, after the player's
    /// script, so a Redis Cluster works; group-committed with the timers noted at the same moment.
    pub async fn schedule_timer(&self, user: UserId, at_ms: i64) -> StoreResult<()> {
        self.groups.timers.submit((user, at_ms)).await
    }

    /// Claims up to `limit` players whose timer is due, each for `lease` (see `timers_claim.lua`):
    /// (user, claim) pairs to settle with [`Store::settle_timer`].
    pub async fn claim_due_timers(
        &self,
        now_ms: i64,
        lease: Duration,
        limit: usize,
    ) -> StoreResult<Vec<(UserId, i64)>> {
        let flat: Vec<String> = self
            .scripts
            .timers_claim
            .key(TIMERS_DUE)
            .arg(now_ms)
            .arg(lease.as_millis() as i64)
            .arg(limit)
            .invoke_async(&mut self.conn())
            .await?;
        Ok(flat
            .chunks(2)
            .filter_map(|pair| match pair {
                [user, claim] => Some((UserId(user.parse().ok()?), claim.parse().ok()?)),
                _ => None,
            })
            .collect())
    }

    /// Replaces a claim with the player's next due moment (None: nothing pending).
    pub async fn settle_timer(&self, user: UserId, claim: i64, next_ms: Option<i64>) -> StoreResult<()> {
        let _: i64 = self
            .scripts
            .timers_settle
            .key(TIMERS_DUE)
            .arg(user.0)
            .arg(claim)
            .arg(next_ms.map(|at| at.to_string()).unwrap_or_default())
            .invoke_async(&mut self.conn())
            .await?;
        Ok(())
    }

    /// The arcade skin the player chose, if any.
    pub async fn skin_choice(&self, user: UserId) -> StoreResult<Option<String>> {
        Ok(self.conn().hget(PlayerKeys::new(user).state(), "skin").await?)
    }

    /// Records the player's skin choice (None: back to the automatic one).
    pub async fn choose_skin(&self, user: UserId, skin: Option<&str>) -> StoreResult<()> {
        let _: i64 = self
            .scripts
            .choose_skin
            .key(PlayerKeys::new(user).state())
            .arg(skin.unwrap_or_default())
            .arg(user.0)
            .invoke_async(&mut self.conn())
            .await?;
        Ok(())
    }

    /// The top `n` of the leaderboard: (user, name, gems mined), best first.
    pub async fn leaderboard(&self, n: isize) -> StoreResult<Vec<(UserId, String, u64)>> {
        self.ranking(LEADERBOARD, n).await
    }

    /// The top `n` of a ranking sorted set with the players' names.
    pub(super) async fn ranking(&self, key: &str, n: isize) -> StoreResult<Vec<(UserId, String, u64)>> {
        let top: Vec<(u64, u64)> = self.conn().zrevrange_withscores(key, 0, n - 1).await?;
        if top.is_empty() {
            return Ok(Vec::new());
        }
        // One HGET per player, concurrently: each name lives in its player's slot, so a pipeline
        // would cross slots on a cluster. Both connections multiplex them in one round trip.
        let names: Vec<Option<String>> = futures::future::try_join_all(top.iter().map(|(user, _)| {
            let mut conn = self.conn();
            let key = PlayerKeys::new(UserId(*user)).state();
            async move { conn.hget(key, "name").await }
        }))
        .await?;
        Ok(top
            .into_iter()
            .zip(names)
            .map(|((user, score), name)| (UserId(user), name.unwrap_or_else(|| format!("Miner {user}")), score))
            .collect())
    }

    /// The player's 1-based leaderboard rank, if they have mined anything.
    pub async fn rank(&self, user: UserId) -> StoreResult<Option<u64>> {
        let rank: Option<u64> = self.conn().zrevrank(LEADERBOARD, user.0).await?;
        Ok(rank.map(|rank| rank + 1))
    }

    /// Claims the right to send one notice (`kind:key`) to a player for `period`: true for
    /// exactly one caller across processes.
    pub async fn claim_notice(&self, user: UserId, notice: &str, period: Duration) -> StoreResult<bool> {
        let claimed: Option<String> = redis::cmd("SET")
            .arg(PlayerKeys::new(user).notified(notice))
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(period.as_millis().max(1) as u64)
            .query_async(&mut self.conn())
            .await?;
        Ok(claimed.is_some())
    }
}

/// Streams (player, version) for every change by any process (every player-slot script
/// publishes). Publishes reach every node of a cluster, so one node's URL is enough.
pub async fn player_changes(url: &str) -> StoreResult<impl futures::Stream<Item = (UserId, u64)>> {
    let client = redis::Client::open(url)?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(PLAYER_CHANGES).await?;
    Ok(pubsub.into_on_message().filter_map(|message| async move {
        let payload: String = message.get_payload().ok()?;
        let (user, ver) = payload.split_once(':')?;
        Some((UserId(user.parse().ok()?), ver.parse().ok()?))
    }))
}
