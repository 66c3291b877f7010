//! The loop's only contact with Redis: a tokio task that runs each tick's batch of requests
//! concurrently over the shared multiplexed connection (so they are pipelined) and sends the
//! results back for a later tick to apply. The tick itself never waits on Redis.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::{mpsc, oneshot};

use super::{DigOutcome, Find, GameError, RunFinish, RunStart, UseOutcome};
use crate::app::now_ms;
use crate::domain::{EnergyRules, ItemId, UserId};
use crate::store::arcade::{RunRecord, RunResult};
use crate::store::game::{MutationResult, PlayerState};
use crate::store::{Store, StoreError};

pub type DigReply = oneshot::Sender<Result<DigOutcome, GameError>>;
pub type UseReply = oneshot::Sender<Result<UseOutcome, GameError>>;
pub type StartReply = oneshot::Sender<Result<RunStart, GameError>>;
pub type FinishReply = oneshot::Sender<Result<RunFinish, GameError>>;

/// Work for Redis, produced by the systems.
#[derive(Debug)]
pub enum IoRequest {
    Load {
        user: UserId,
    },
    Dig {
        user: UserId,
        action: String,
        rules: EnergyRules,
        find: Find,
        name: String,
        reply: DigReply,
    },
    Use {
        user: UserId,
        action: String,
        item: ItemId,
        add_energy: u32,
        boost: Option<Duration>,
        rules: EnergyRules,
        reply: UseReply,
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
        gems_per_100_points: u32,
        reply: FinishReply,
    },
}

/// What came back, with the reply channel travelling along.
#[derive(Debug)]
pub enum IoResult {
    Loaded { user: UserId, state: Result<PlayerState, String> },
    Dug { user: UserId, find: Find, result: Result<MutationResult, String>, reply: DigReply },
    Used { user: UserId, item: ItemId, result: Result<MutationResult, String>, reply: UseReply },
    RunStarted { start: RunStart, result: Result<bool, String>, reply: StartReply },
    RunFinished { user: UserId, run_id: String, score: i64, result: Result<RunResult, String>, reply: FinishReply },
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
) {
    while let Some(batch) = batches.recv().await {
        pending.0.fetch_add(batch.len() as i64, Ordering::SeqCst);
        let store = store.clone();
        let results = results.clone();
        let pending = pending.clone();
        // A batch runs on its own task so a slow batch never delays the next tick's.
        tokio::spawn(async move {
            let mut done = futures::stream::iter(batch).map(|request| execute(&store, request)).buffer_unordered(1024);
            while let Some(result) = done.next().await {
                let _ = results.send(result);
                pending.0.fetch_sub(1, Ordering::SeqCst);
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
        IoRequest::Dig { user, action, rules, find, name, reply } => {
            let result = store.dig(user, &action, &rules, find.gems, &name, now_ms()).await.map_err(text);
            IoResult::Dug { user, find, result, reply }
        }
        IoRequest::Use { user, action, item, add_energy, boost, rules, reply } => {
            let result =
                store.use_item(user, &action, item.as_str(), add_energy, boost, &rules, now_ms()).await.map_err(text);
            IoResult::Used { user, item, result, reply }
        }
        IoRequest::StartRun { user, start, reply } => {
            let params = &start.params;
            let record = RunRecord {
                seconds: params.seconds,
                max_score: params.max_score,
                score_percent: params.score_percent,
                skin: params.skin.clone(),
            };
            let result = store.start_run(user, &start.run_id, &record, now_ms()).await.map_err(text);
            IoResult::RunStarted { start, result, reply }
        }
        IoRequest::FinishRun { user, run_id, score, gems_per_100_points, reply } => {
            let result = store.finish_run(user, &run_id, score, gems_per_100_points, now_ms()).await.map_err(text);
            IoResult::RunFinished { user, run_id, score, result, reply }
        }
    }
}
