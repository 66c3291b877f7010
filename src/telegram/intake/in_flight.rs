//! The bound on work in flight: an update takes a slot when intake hands it to the dispatcher
//! and gives it back when its handler finishes — returns, fails, panics or is dropped. While no
//! slot is free, intake does not fetch (or accept) more, so a burst waits at Telegram.
//!
//! Two pools: every update takes a slot of `updates`, and a pre-checkout or inline query also one
//! of `queries`. Queries are pure work (a Redis call and an answer), each in a lane of its own,
//! so few in flight answer them fastest; chat updates may wait inside their handler for a send
//! budget, so many of them must fit, or a send-bound bot would keep every later query (with its
//! 10 s deadline) waiting at Telegram behind them.
//!
//! Concurrency: each pool is a tokio [`Semaphore`] (fair, so a waiting batch is not overtaken by
//! single updates), plus a count of the slots handed over, so a give-back never adds a slot the
//! limit does not have.

use std::future::Future;
use std::ops::ControlFlow;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use metrics::{Counter, Gauge};
use teloxide::dispatching::{DpHandlerDescription, UpdateHandler};
use teloxide::dptree::di::DependencyMap;
use teloxide::dptree::{self, from_fn_with_description, HandlerDescription, HandlerSignature};
use teloxide::types::Update;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::IntakeLimits;
use crate::telegram::log_gate::LogGate;
use crate::telegram::{is_query, HandlerError};

/// The slots of both pools. Cheap to clone.
#[derive(Clone)]
pub struct InFlight {
    inner: Arc<Inner>,
}

struct Inner {
    updates: Pool,
    queries: Pool,
    /// Intake callers (the poller, webhook requests, replay) waiting for a slot now.
    waiting: Gauge,
    waits: Counter,
    log: LogGate,
}

struct Pool {
    slots: Arc<Semaphore>,
    limit: usize,
    /// Slots handed over with an update and not yet given back.
    handed: AtomicUsize,
    gauge: Gauge,
}

impl Pool {
    fn new(limit: usize, gauge: Gauge) -> Self {
        gauge.set(0.0);
        Self { slots: Arc::new(Semaphore::new(limit)), limit, handed: AtomicUsize::new(0), gauge }
    }

    fn free(&self) -> usize {
        self.slots.available_permits()
    }

    /// The permit now belongs to an update in flight; [`Pool::give_back`] returns it.
    fn hand_over(&self, permit: OwnedSemaphorePermit) {
        self.handed.fetch_add(1, Ordering::AcqRel);
        permit.forget();
        self.gauge.increment(1.0);
    }

    fn give_back(&self) {
        // Never below zero: a handler run without a hand-over (none in `serve`) gives nothing back.
        if self.handed.fetch_update(Ordering::AcqRel, Ordering::Acquire, |handed| handed.checked_sub(1)).is_ok() {
            self.slots.add_permits(1);
            self.gauge.decrement(1.0);
        }
    }
}

/// Slots taken for a batch before it is journaled and handed over, so nothing is journaled or
/// confirmed while there is no room for it. Slots not handed over go back when this is dropped.
pub struct Room {
    in_flight: InFlight,
    updates: Option<OwnedSemaphorePermit>,
    queries: Option<OwnedSemaphorePermit>,
}

impl InFlight {
    pub fn new(limits: IntakeLimits) -> Self {
        metrics::gauge!("starmine_intake_max_in_flight").set(limits.max_in_flight as f64);
        metrics::gauge!("starmine_intake_max_queries_in_flight").set(limits.max_queries_in_flight as f64);
        let waiting = metrics::gauge!("starmine_intake_waiting");
        waiting.set(0.0);
        let inner = Inner {
            updates: Pool::new(limits.max_in_flight, metrics::gauge!("starmine_intake_in_flight")),
            queries: Pool::new(limits.max_queries_in_flight, metrics::gauge!("starmine_intake_queries_in_flight")),
            waiting,
            waits: metrics::counter!("starmine_intake_waits_total"),
            log: LogGate::default(),
        };
        Self { inner: Arc::new(inner) }
    }

    /// The limits: (all updates, queries).
    pub fn limits(&self) -> (usize, usize) {
        (self.inner.updates.limit, self.inner.queries.limit)
    }

    /// Updates in flight: (all, queries).
    pub fn in_flight(&self) -> (usize, usize) {
        let handed = |pool: &Pool| pool.handed.load(Ordering::Acquire);
        (handed(&self.inner.updates), handed(&self.inner.queries))
    }

    /// How many updates of any kind a batch fetched now could hold.
    pub fn free(&self) -> usize {
        self.inner.updates.free().min(self.inner.queries.free())
    }

    /// Waits until a batch of at least one update fits, then (for at most `settle`) until `want`
    /// fit, so that at the limit every handler that finishes does not cost a fetch of its own.
    /// Returns how many fit now (at least 1: a caller that lost a slot meanwhile waits in
    /// [`InFlight::take`]).
    pub async fn room_to_fetch(&self, want: usize, settle: Duration) -> usize {
        let (updates, queries) = (&self.inner.updates, &self.inner.queries);
        if self.free() == 0 {
            let _waiting = self.hold();
            // Dropped at once: this only waits for room, the batch takes it in `take`.
            let _ = updates.slots.acquire().await;
            let _ = queries.slots.acquire().await;
        }
        let want = want.clamp(1, updates.limit.min(queries.limit)) as u32;
        if self.free() < want as usize {
            let more = async {
                let _ = updates.slots.acquire_many(want).await;
                let _ = queries.slots.acquire_many(want).await;
            };
            let _ = tokio::time::timeout(settle, more).await;
        }
        self.free().max(1)
    }

    /// Takes slots for `updates` updates, `queries` of which are queries, waiting while they do
    /// not fit. Each count must be at most its pool's limit (a batch larger than that takes the
    /// rest one by one as it is handed over, see [`Room::hand_over`]).
    pub async fn take(&self, updates: usize, queries: usize) -> Room {
        let (all, query) = (&self.inner.updates, &self.inner.queries);
        let (updates, queries) = (updates.min(all.limit) as u32, queries.min(query.limit) as u32);
        let at_once = (all.slots.clone().try_acquire_many_owned(updates).ok())
            .zip(query.slots.clone().try_acquire_many_owned(queries).ok());
        let (updates, queries) = match at_once {
            Some(permits) => permits,
            None => {
                let _waiting = self.hold();
                let updates = all.slots.clone().acquire_many_owned(updates).await;
                let queries = query.slots.clone().acquire_many_owned(queries).await;
                (updates.expect("never closed"), queries.expect("never closed"))
            }
        };
        Room { in_flight: self.clone(), updates: Some(updates), queries: Some(queries) }
    }

    /// Wraps the handler tree: every update that reaches it gives its slots back when the
    /// handler is done, whether it returned, failed, panicked (the panic becomes an error for
    /// the dispatcher's error handler, and the chat's worker lives on) or was dropped.
    pub fn track(&self, handler: UpdateHandler<HandlerError>) -> UpdateHandler<HandlerError> {
        let in_flight = self.clone();
        let wrapper = from_fn_with_description(
            DpHandlerDescription::entry(),
            move |deps: DependencyMap, cont: dptree::Cont<'static, Result<(), HandlerError>>| {
                let query = deps.try_get::<Update>().is_some_and(|update| is_query(&update));
                let done = Done { in_flight: in_flight.clone(), query };
                finish(done, cont(deps))
            },
            HandlerSignature::Entry,
        );
        wrapper.chain(handler)
    }

    /// One caller starts waiting at the limit: counted, shown in the gauge while it waits, and
    /// told in the log at most once a minute.
    fn hold(&self) -> Holding<'_> {
        let inner = &self.inner;
        inner.waits.increment(1);
        inner.waiting.increment(1.0);
        if let Some(waits) = inner.log.note() {
            let (updates, queries) = self.in_flight();
            tracing::warn!(
                updates_in_flight = updates,
                queries_in_flight = queries,
                max_in_flight = inner.updates.limit,
                max_queries_in_flight = inner.queries.limit,
                waits,
                "intake is at its in-flight limit: new updates wait at Telegram until handlers finish \
                 (this line comes at most once a minute; `waits` counts since the last one)"
            );
        }
        Holding(&inner.waiting)
    }
}

impl Room {
    /// Hands one update's slots over (it is in flight until its handler finishes): one taken
    /// before, or, past the batch's count, one waited for now.
    pub async fn hand_over(&mut self, query: bool) {
        let inner = &self.in_flight.inner;
        let update = match split_one(&mut self.updates) {
            Some(permit) => permit,
            None => inner.updates.slots.clone().acquire_owned().await.expect("never closed"),
        };
        let query_permit = match query {
            false => None,
            true => Some(match split_one(&mut self.queries) {
                Some(permit) => permit,
                None => inner.queries.slots.clone().acquire_owned().await.expect("never closed"),
            }),
        };
        inner.updates.hand_over(update);
        if let Some(permit) = query_permit {
            inner.queries.hand_over(permit);
        }
    }

    /// The update handed over last did not reach the dispatcher (it is stopping): its slots
    /// come back.
    pub fn take_back(&self, query: bool) {
        drop(Done { in_flight: self.in_flight.clone(), query });
    }
}

fn split_one(permit: &mut Option<OwnedSemaphorePermit>) -> Option<OwnedSemaphorePermit> {
    let held = permit.as_mut()?;
    match held.num_permits() {
        0 => None,
        1 => permit.take(),
        _ => held.split(1),
    }
}

/// Runs the rest of the handler tree and gives the update's slots back, also on a panic.
async fn finish(
    done: Done,
    rest: impl Future<Output = ControlFlow<Result<(), HandlerError>, DependencyMap>> + Send,
) -> ControlFlow<Result<(), HandlerError>, DependencyMap> {
    let flow = AssertUnwindSafe(rest).catch_unwind().await;
    drop(done);
    flow.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        ControlFlow::Break(Err(anyhow::anyhow!("the handler panicked: {message}")))
    })
}

/// An update being handled: its slots go back when this is dropped.
struct Done {
    in_flight: InFlight,
    query: bool,
}

impl Drop for Done {
    fn drop(&mut self) {
        let inner = &self.in_flight.inner;
        inner.updates.give_back();
        if self.query {
            inner.queries.give_back();
        }
    }
}

/// A caller waiting at the limit; leaves the gauge when dropped.
struct Holding<'a>(&'a Gauge);

impl Drop for Holding<'_> {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

#[cfg(test)]
mod tests;
