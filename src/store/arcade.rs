//! Arcade runs: the run record any process can finish, the arcade leaderboard.

use redis::AsyncCommands;

use super::game::{parse_reply, MutationResult};
use super::keys::{PlayerKeys, ARCADE_TOP};
use super::{Store, StoreError, StoreResult};
use crate::domain::game::{utc_day, ArcadeRules, RunSources, EARLY_SLACK_MS, LATE_GRACE_MS};
use crate::domain::outcome::{RunOpen, RunVerdict};
use crate::domain::UserId;

/// How long a run record is kept.
const KEEP_RUN_MS: i64 = 24 * 3600 * 1000;

/// The parameters a run was started with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRecord {
    pub seconds: u32,
    pub max_score: u64,
    pub score_percent: u32,
    pub skin: String,
    pub sources: RunSources,
}

/// `<base s>|<points/s>|<level s>|<boost s>|<boost %>|<tool>:<s>:<%>,...`, as `run_ceiling` in
/// `game_lib.lua` reads it.
fn sources_text(sources: &RunSources) -> String {
    let tools: Vec<String> =
        sources.tools.iter().map(|(id, seconds, percent)| format!("{id}:{seconds}:{percent}")).collect();
    format!(
        "{}|{}|{}|{}|{}|{}",
        sources.base_seconds,
        sources.points_per_second,
        sources.level_seconds,
        sources.boost_seconds,
        sources.boost_percent,
        tools.join(",")
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunResult {
    pub verdict: RunVerdict,
    pub player: MutationResult,
    pub best: u64,
    pub awarded: u64,
    pub max_score: u64,
    /// The run raised the player's best (a tie does not).
    pub new_best: bool,
    /// Arcade gems the player may still win today, after this run.
    pub left_today: u64,
    /// The player's 1-based place in the arcade top after a finished run.
    pub rank: Option<u64>,
}

impl Store {
    /// Records a run's start; the player's previous open run, if any, is closed without reward.
    pub async fn start_run(
        &self,
        user: UserId,
        run_id: &str,
        run: &RunRecord,
        calls_per_minute: u32,
        now_ms: i64,
    ) -> StoreResult<RunOpen> {
        let keys = PlayerKeys::new(user);
        let started: i64 = self
            .scripts
            .start_run
            .key(keys.run(run_id))
            .key(keys.state())
            .key(keys.api_rate())
            .arg(now_ms)
            .arg(run.seconds)
            .arg(run.max_score)
            .arg(run.score_percent)
            .arg(&run.skin)
            .arg(KEEP_RUN_MS)
            .arg(sources_text(&run.sources))
            .arg(run_id)
            .arg(keys.run_prefix())
            .arg(calls_per_minute)
            .arg(super::shop::new_token())
            .invoke_async(&mut self.conn())
            .await?;
        Ok(match started {
            1 => RunOpen::Started,
            -1 => RunOpen::SlowDown,
            _ => RunOpen::Taken,
        })
    }

    /// Finishes a run at most once; on success awards gems within the daily allowance and
    /// raises the player's arcade best.
    pub async fn finish_run(
        &self,
        user: UserId,
        run_id: &str,
        score: i64,
        rules: &ArcadeRules,
        calls_per_minute: u32,
        now_ms: i64,
    ) -> StoreResult<RunResult> {
        let keys = PlayerKeys::new(user);
        let reply: Vec<String> = self
            .scripts
            .finish_run
            .key(keys.run(run_id))
            .key(keys.state())
            .key(keys.ledger())
            .key(keys.inventory())
            .key(keys.api_rate())
            .arg(now_ms)
            .arg(score)
            .arg(EARLY_SLACK_MS)
            .arg(LATE_GRACE_MS)
            .arg(rules.gems_per_100_points)
            .arg(user.0)
            .arg(rules.gems_per_day)
            .arg(utc_day(now_ms))
            .arg(calls_per_minute)
            .arg(super::shop::new_token())
            .invoke_async(&mut self.conn())
            .await?;
        let verdict = match reply.first().map(String::as_str) {
            Some("ok") => RunVerdict::Finished,
            Some("unknown_run") => RunVerdict::UnknownRun,
            Some("already_finished") => RunVerdict::AlreadyFinished,
            Some("replaced") => RunVerdict::Replaced,
            Some("too_early") => RunVerdict::TooEarly,
            Some("expired") => RunVerdict::Expired,
            Some("impossible") => RunVerdict::Impossible,
            Some("slow_down") => RunVerdict::SlowDown,
            other => return Err(StoreError::Protocol(format!("finish_run: {other:?}"))),
        };
        let [head @ .., best, awarded, max_score, new_best, left_today] = reply.as_slice() else {
            return Err(StoreError::Protocol(format!("finish_run: {reply:?}")));
        };
        let mut head = head.to_vec();
        head[0] = "ok".into();
        let player = parse_reply(&head)?;
        let number = |text: &str| text.parse::<u64>().unwrap_or(0);
        let best = number(best);
        // The best into the arcade top and the rank it earns there, in one round trip.
        let mut rank = None;
        if verdict == RunVerdict::Finished {
            let (_, place): ((), Option<u64>) = redis::pipe()
                .cmd("ZADD")
                .arg(ARCADE_TOP)
                .arg("GT")
                .arg(best)
                .arg(user.0)
                .zrevrank(ARCADE_TOP, user.0)
                .query_async(&mut self.conn())
                .await?;
            rank = place.map(|place| place + 1);
        }
        Ok(RunResult {
            verdict,
            player,
            best,
            awarded: number(awarded),
            max_score: number(max_score),
            new_best: new_best == "1",
            left_today: number(left_today),
            rank,
        })
    }

    /// The arcade top `n`: (user, name, best score), best first.
    pub async fn arcade_top(&self, n: isize) -> StoreResult<Vec<(UserId, String, u64)>> {
        self.ranking(ARCADE_TOP, n).await
    }

    /// The player's 1-based arcade rank and best score, if they have one.
    pub async fn arcade_rank(&self, user: UserId) -> StoreResult<Option<(u64, u64)>> {
        let (rank, score): (Option<u64>, Option<u64>) =
            redis::pipe().zrevrank(ARCADE_TOP, user.0).zscore(ARCADE_TOP, user.0).query_async(&mut self.conn()).await?;
        Ok(rank.zip(score).map(|(rank, score)| (rank + 1, score)))
    }

    /// The player's arcade best.
    pub async fn best_score(&self, user: UserId) -> StoreResult<u64> {
        let best: Option<u64> = self.conn().hget(PlayerKeys::new(user).state(), "best_score").await?;
        Ok(best.unwrap_or(0))
    }
}
