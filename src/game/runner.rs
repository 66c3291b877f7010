//! Starting and stopping the loop: the thread that owns the World and ticks, the Redis I/O
//! task, and the pub/sub listener that turns other processes' changes into refreshes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy_ecs::prelude::*;
use rand::SeedableRng;
use tokio::sync::mpsc;

use super::components::*;
use super::io::{self, IoRequest, IoResult, Pending};
use super::wake::{Wake, BUSY_RUN, MIN_GAP};
use super::{systems, Command, GameHandle, Notice};
use crate::clock::now_ms;
use crate::reload::SharedCatalog;
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct GameConfig {
    pub tick: Duration,
    /// Loot seed; None = from entropy. Logged either way so a run can be replayed.
    pub seed: Option<u64>,
    pub idle: Duration,
    pub idle_with_timers: Duration,
    /// A Redis URL to subscribe to player changes on (None: no cross-process refresh).
    pub changes_url: Option<String>,
}

impl Default for GameConfig {
    fn default() -> Self {
        Self {
            tick: Duration::from_millis(50),
            seed: None,
            idle: Duration::from_secs(15 * 60),
            idle_with_timers: Duration::from_secs(6 * 3600),
            changes_url: None,
        }
    }
}

/// The running loop: stop it with [`GameTask::stop`], which flushes in-flight mutations.
pub struct GameTask {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    listener: Option<tokio::task::JoinHandle<()>>,
    timers: tokio::task::JoinHandle<()>,
}

impl GameTask {
    /// Stops taking commands, waits for in-flight Redis work to be applied (at most 10 s),
    /// and joins the thread.
    pub async fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
        self.timers.abort();
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Starts the loop. Notices go out on `notices` for the bot to send.
pub fn spawn(
    store: Store,
    catalog: SharedCatalog,
    config: GameConfig,
    notices: mpsc::UnboundedSender<Notice>,
) -> (GameHandle, GameTask) {
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let (batch_tx, batch_rx) = mpsc::unbounded_channel();
    let (result_tx, result_rx) = std::sync::mpsc::channel();
    let pending = Pending::default();
    let timers = tokio::spawn(super::due::run(store.clone(), catalog.clone(), notices.clone()));
    let wake = Wake::default();
    tokio::spawn(io::run(store, batch_rx, result_tx, pending.clone(), wake.clone()));
    let handle = GameHandle { commands: command_tx, wake: wake.clone() };

    let listener = config.changes_url.clone().map(|url| tokio::spawn(listen_for_changes(url, handle.clone())));
    let seed = config.seed.unwrap_or_else(rand::random);
    tracing::info!(
        seed,
        tick_ms = config.tick.as_millis() as u64,
        "game loop starting (LOOT_SEED={seed} replays these rolls)"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let world = new_world(&catalog, &config, seed);
    let thread = {
        let stop = stop.clone();
        let loop_ = Loop {
            world,
            catalog,
            commands: command_rx,
            results: result_rx,
            batches: batch_tx,
            notices,
            pending,
            wake,
        };
        std::thread::Builder::new()
            .name("game-loop".into())
            .spawn(move || loop_.run(config.tick, &stop))
            .expect("the game loop thread starts")
    };
    (handle, GameTask { stop, thread: Some(thread), listener, timers })
}

pub fn new_world(catalog: &SharedCatalog, config: &GameConfig, seed: u64) -> World {
    let mut world = World::new();
    world.insert_resource(Now(now_ms()));
    world.insert_resource(CatalogRes(catalog.current()));
    world.insert_resource(Dice(rand::rngs::StdRng::seed_from_u64(seed)));
    world.insert_resource(Eviction {
        idle_ms: config.idle.as_millis() as i64,
        idle_with_timers_ms: config.idle_with_timers.as_millis() as i64,
    });
    world.init_resource::<Players>();
    world.init_resource::<Inbox>();
    world.init_resource::<DigQueue>();
    world.init_resource::<UseQueue>();
    world.init_resource::<RunQueue>();
    world.init_resource::<GemQueue>();
    world.init_resource::<Arrivals>();
    world.init_resource::<Outbox>();
    world.init_resource::<Notices>();
    world.init_resource::<Timers>();
    world
}

/// The loop thread's state: the World and the ends of its channels.
struct Loop {
    world: World,
    catalog: SharedCatalog,
    commands: mpsc::UnboundedReceiver<Command>,
    results: std::sync::mpsc::Receiver<IoResult>,
    batches: mpsc::UnboundedSender<Vec<IoRequest>>,
    notices: mpsc::UnboundedSender<Notice>,
    pending: Pending,
    wake: Wake,
}

impl Loop {
    /// Runs the systems whenever work arrives (at most once per [`MIN_GAP`]) and at least once
    /// per `tick`, for the timers.
    fn run(mut self, tick: Duration, stop: &AtomicBool) {
        let mut schedule = systems::schedule();
        let mut stopping_since: Option<Instant> = None;
        let mut next_tick = Instant::now();
        loop {
            let started = Instant::now();
            if started >= next_tick {
                next_tick = started + tick;
            }
            if stop.load(Ordering::SeqCst) && stopping_since.is_none() {
                stopping_since = Some(started);
                self.commands.close();
            }
            let taken = self.tick(&mut schedule);
            if let Some(since) = stopping_since {
                // Flush: every mutation sent has been answered and applied (or 10 s passed).
                if (self.pending.count() == 0 && self.batches_idle()) || since.elapsed() > Duration::from_secs(10) {
                    tracing::info!("game loop stopped");
                    return;
                }
            }
            // Under load, what arrives meanwhile waits to be handled together; a run with little
            // to do leaves the next one free to start at once (a command's Redis result, say).
            if taken >= BUSY_RUN {
                if let Some(rest) = MIN_GAP.checked_sub(started.elapsed()) {
                    std::thread::sleep(rest);
                }
            }
            self.wake.wait_until(next_tick);
        }
    }

    fn batches_idle(&self) -> bool {
        self.world.resource::<Outbox>().0.is_empty()
    }

    /// One run of the systems; returns how many commands and results it took in.
    fn tick(&mut self, schedule: &mut Schedule) -> usize {
        self.world.resource_mut::<Now>().0 = now_ms();
        self.world.resource_mut::<CatalogRes>().0 = self.catalog.current();
        let mut taken = 0;
        while let Ok(command) = self.commands.try_recv() {
            self.world.resource_mut::<Inbox>().0.push(command);
            taken += 1;
        }
        while let Ok(result) = self.results.try_recv() {
            self.world.resource_mut::<Arrivals>().0.push(result);
            taken += 1;
        }
        schedule.run(&mut self.world);
        if !self.world.resource::<Arrivals>().0.is_empty() {
            // A grant's state that loaded a player in this run (`route_commands`): applied at
            // once, with the commands that wait for it, not a tick later.
            schedule.run(&mut self.world);
        }
        let batch = std::mem::take(&mut self.world.resource_mut::<Outbox>().0);
        if !batch.is_empty() {
            let _ = self.batches.send(batch);
        }
        for notice in self.world.resource_mut::<Notices>().0.drain(..) {
            let _ = self.notices.send(notice);
        }
        taken
    }
}

/// Subscribes to player changes and turns each into a refresh; reconnects when dropped.
async fn listen_for_changes(url: String, handle: GameHandle) {
    use futures::StreamExt;
    loop {
        match crate::store::game::player_changes(&url).await {
            Ok(changes) => {
                tokio::pin!(changes);
                while let Some((user, ver)) = changes.next().await {
                    handle.refresh(user, ver);
                }
                tracing::warn!("player change subscription ended; resubscribing");
            }
            Err(error) => tracing::warn!(%error, "cannot subscribe to player changes; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
