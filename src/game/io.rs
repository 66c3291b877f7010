//! The loop's only contact with Redis: a tokio task that runs each tick's batch of requests
//! concurrently over the shared multiplexed connection (so they are pipelined) and sends the
//! results back for a later tick to apply. The tick itself never waits on Redis.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::{mpsc, oneshot};

use super::{DigOutcome, Find, GameError, GemOutcome, RunFinish, RunStart, StartOutcome, UseOutcome};
use crate::clock::now_ms;
use crate::domain::economy::GemPurchase;
use crate::domain::game::{ArcadeRules, API_CALLS_PER_MINUTE};
use crate::domain::outcome::RunOpen;
use crate::domain::{EnergyRules, ItemId, UserId};
use crate::store::arcade::{RunRecord, RunResult};
use crate::store::game::{EnergySpec, GemResult, MutationResult, PlayerState};
use crate::store::{Store, StoreError};

pub type DigReply = oneshot::Sender<Result<DigOutcome, GameError>>;
pub type UseReply = oneshot::Sender<Result<UseOutcome, GameError>>;
pub type StartReply = oneshot::Sender<Result<StartOutcome, GameError>>;
pub type FinishReply = oneshot::Sender<Result<RunFinish, GameError>>;
pub type GemReply = oneshot::Sender<Result<GemOutcome, GameError>>;

/// Work for Redis, produced by the systems.
#[derive(Debug)]
pub enum IoRequest {
    Load {
        user: UserId,
    },
    Dig {
        user: UserId,
        action: String,
        /// The player's energy rules (to note when the bar is full again) and the script's spec.
        rules: EnergyRules,
        energy: EnergySpec,
        find: Find,
        name: String,
        reply: DigReply,
    },
    Use {
        user: UserId,
        action: String,
        item: ItemId,
        add_energy: Option<u32>,
        boost: Option<Duration>,
        rules: EnergyRules,
        energy: EnergySpec,
        reply: UseReply,
    },
    SpendGems {
        user: UserId,
        action: String,
        purchase: GemPurchase,
        /// The player's energy rules once the purchase applies (a battery level raises the cap).
        rules: EnergyRules,
        energy: EnergySpec,
        reply: GemReply,
    },
    StartRun {
        user: UserId,
        start: RunStart,
        reply: StartReply,
    },
    FinishRun {
        user: UserId,
        run_id: String,
        score: i64,
        rules: ArcadeRules,
        reply: FinishReply,
    },
}

/// What came back, with the reply channel travelling along.
#[derive(Debug)]
pub enum IoResult {
    Loaded { user: UserId, state: Result<PlayerState, String> },
    Dug { user: UserId, find: Find, result: Result<MutationResult, String>, reply: DigReply },
    Used { user: UserId, item: ItemId, result: Result<MutationResult, String>, reply: UseReply },
    RunStarted { start: RunStart, result: Result<RunOpen, String>, reply: StartReply },
    RunFinished { user: UserId, run_id: String, score: i64, result: Result<RunResult, String>, reply: FinishReply },
    GemsSpent { user: UserId, purchase: GemPurchase, result: Result<GemResult, String>, reply: GemReply },
}

/// Requests sent to the task and not yet answered (the loop drains to zero before stopping).
#[derive(Clone, Default)]
pub struct Pending(Arc<AtomicI64>);

impl Pending {
    pub fn count(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs until the request channel closes. Each batch's requests run concurrently; results go
/// back on `results` (a std channel: the loop thread drains it without blocking).
pub async fn run(
    store: Store,
    mut batches: mpsc::UnboundedReceiver<Vec<IoRequest>>,
    results: std::sync::mpsc::Sender<IoResult>,
    pending: Pending,
    wake: super::wake::Wake,
) {
    while let Some(batch) = batches.recv().await {
        pending.0.fetch_add(batch.len() as i64, Ordering::SeqCst);
        let store = store.clone();
        let results = results.clone();
        let pending = pending.clone();
        let wake = wake.clone();
        // A batch runs on its own task so a slow batch never delays the next tick's.
        tokio::spawn(async move {
            let mut done = futures::stream::iter(batch).map(|request| execute(&store, request)).buffer_unordered(1024);
            while let Some(result) = done.next().await {
                let _ = results.send(result);
                pending.0.fetch_sub(1, Ordering::SeqCst);
                wake.notify();
            }
        });
    }
}

fn text(error: StoreError) -> String {
    error.to_string()
}

async fn execute(store: &Store, request: IoRequest) -> IoResult {
    match request {
        IoRequest::Load { user } => IoResult::Loaded { user, state: store.load_player(user).await.map_err(text) },
        IoRequest::Dig { user, action, rules, energy, find, name, reply } => {
            let now = now_ms();
            let result = store.dig(user, &action, &energy, find.gems, &name, now).await.map_err(text);
            // A dig only moves "energy full" later, which the entry already noted handles when it
            // comes due (it is settled to the next moment then); only a dig that started the
            // regeneration clock (spent from a full bar: stored at `now`) needs an entry.
            if let Some(result) = result.as_ref().ok().filter(|r| r.stats.energy.is_some_and(|e| e.at_ms == now)) {
                note_timer(store, user, result, &rules, now).await;
            }
            IoResult::Dug { user, find, result, reply }
        }
        IoRequest::Use { user, action, item, add_energy, boost, rules, energy, reply } => {
            let now = now_ms();
            let result =
                store.use_item(user, &action, item.as_str(), add_energy, boost, &energy, now).await.map_err(text);
            if let Ok(result) = &result {
                note_timer(store, user, result, &rules, now).await;
            }
            IoResult::Used { user, item, result, reply }
        }
        IoRequest::SpendGems { user, action, purchase, rules, energy, reply } => {
            let now = now_ms();
            let result = store.buy_with_gems(user, &action, &purchase, &energy, now).await.map_err(text);
            if let Ok(result) = &result {
                let change = MutationResult {
                    verdict: crate::domain::outcome::Verdict::Applied,
                    stats: result.stats,
                    boost_until: None,
                };
                note_timer(store, user, &change, &rules, now).await;
            }
            IoResult::GemsSpent { user, purchase, result, reply }
        }
        IoRequest::StartRun { user, start, reply } => {
            let params = &start.params;
            let record = RunRecord {
                seconds: params.seconds,
                max_score: params.max_score,
                score_percent: params.score_percent,
                skin: params.skin.clone(),
                sources: params.sources.clone(),
            };
            let result =
                store.start_run(user, &start.run_id, &record, API_CALLS_PER_MINUTE, now_ms()).await.map_err(text);
            IoResult::RunStarted { start, result, reply }
        }
        IoRequest::FinishRun { user, run_id, score, rules, reply } => {
            let result =
                store.finish_run(user, &run_id, score, &rules, API_CALLS_PER_MINUTE, now_ms()).await.map_err(text);
            IoResult::RunFinished { user, run_id, score, result, reply }
        }
    }
}

/// Notes in the durable due-time index when this player's next timer (energy full again, the
/// boost just started running out) comes, so a notice goes out even if no process has them
/// loaded then ([`super::due`]). A failure only delays that notice until the player plays again.
async fn note_timer(store: &Store, user: UserId, result: &MutationResult, rules: &EnergyRules, now: i64) {
    let full_at = result.stats.energy.and_then(|energy| energy.full_at(rules, now));
    let Some(at) = full_at.into_iter().chain(result.boost_until).min() else {
        return;
    };
    if let Err(error) = store.schedule_timer(user, at).await {
        tracing::warn!(%user, %error, "cannot note a timer; its notice waits for the player's next move");
    }
}
