//! The game loop: one thread owns a bevy_ecs `World` and runs a fixed tick; everyone else talks
//! to it through a cloneable [`GameHandle`] that sends a closed [`Command`] with a oneshot reply.
//!
//! Player state lives in Redis; the World is a cache of the active players. Systems produce
//! typed mutations; each tick hands them to the I/O task ([`io`]) without waiting, and a later
//! tick applies the authoritative results. Changes made by other processes arrive through
//! Redis pub/sub as refresh commands.

// The loop's parts `crate::bench` drives directly (one tick with many players, the mutation
// batch to Redis): visible to the crate, used elsewhere only through `GameHandle`.
pub(crate) mod components;
mod counted;
mod due;
pub(crate) mod io;
pub(crate) mod runner;
pub(crate) mod systems;
#[cfg(test)]
mod tests;
pub(crate) mod wake;

use std::collections::BTreeMap;

use tokio::sync::{mpsc, oneshot};

pub use crate::domain::economy::{GemPurchase, GemRefusal};
pub use crate::domain::game::RunParams;
use crate::domain::{ItemId, Upgrades, UserId};
use crate::store::game::PlayerState;

pub use runner::{spawn, GameConfig, GameTask};

/// What the loop is asked to do.
#[derive(Debug)]
pub enum Command {
    Dig {
        user: UserId,
        name: String,
        reply: oneshot::Sender<Result<DigOutcome, GameError>>,
    },
    Use {
        user: UserId,
        item: ItemId,
        reply: oneshot::Sender<Result<UseOutcome, GameError>>,
    },
    View {
        user: UserId,
        reply: oneshot::Sender<Result<PlayerView, GameError>>,
    },
    /// Buys with gems: level `level` of track `id` (the button names its target level, so a
    /// double tap buys once; None = the next one), or cosmetic `id`.
    SpendGems {
        user: UserId,
        id: String,
        level: Option<u32>,
        /// The idempotency key (a callback query id, a request id).
        action: String,
        reply: oneshot::Sender<Result<GemOutcome, GameError>>,
    },
    StartRun {
        user: UserId,
        reply: oneshot::Sender<Result<StartOutcome, GameError>>,
    },
    /// The player chose this skin (already stored): the World's copy follows at once, so their
    /// next run uses it without reading Redis. Ignored for a player not loaded here.
    SkinChosen {
        user: UserId,
        skin: Option<String>,
    },
    FinishRun {
        user: UserId,
        run_id: String,
        score: i64,
        reply: oneshot::Sender<Result<RunFinish, GameError>>,
    },
    /// Another process (or a payment) changed this player to version `ver`: reload if active
    /// and older.
    Refresh {
        user: UserId,
        ver: u64,
    },
    /// This process just granted a payment: the player as the grant left them. The World takes
    /// it (loading the player with it when not loaded here), so a command sent on seeing the
    /// receipt finds the item without reading Redis.
    Granted {
        user: UserId,
        state: Box<PlayerState>,
    },
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum GameError {
    #[error("the game store is unavailable: {0}")]
    Unavailable(String),
    #[error("the game loop has stopped")]
    Stopped,
}

/// A player as the World sees them now (energy derived for this moment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerView {
    pub user: UserId,
    pub energy: u32,
    pub energy_max: u32,
    /// When the next energy point arrives, and when the bar is full (None when full).
    pub next_point_at: Option<i64>,
    pub full_at: Option<i64>,
    pub gems: u64,
    pub mined: u64,
    pub depth: u32,
    pub zone: String,
    pub inventory: BTreeMap<String, u64>,
    /// Active boosts: item id -> expiry (ms).
    pub boosts: BTreeMap<String, i64>,
    /// The yield and luck in force (percent): the best item's, times the upgrade levels.
    pub yield_percent: u32,
    pub luck_percent: u32,
    /// Time to regenerate one energy point, with the player's levels.
    pub regen_ms: i64,
    /// Upgrade levels and cosmetics bought with gems.
    pub upgrades: Upgrades,
    /// Arcade gems the player may still win today (UTC), and the daily allowance.
    pub arcade_gems_left: u64,
    pub arcade_gems_per_day: u64,
}

/// How a purchase with gems went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GemOutcome {
    Bought { purchase: GemPurchase, player: PlayerView },
    Refused { refusal: GemRefusal, player: PlayerView },
}

/// What one dig found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Find {
    /// The drop's id, for its name in the player's language (`Drop::name_in`).
    pub drop_id: String,
    pub drop_name: String,
    pub rare: bool,
    pub gems: u64,
    pub zone: String,
    pub depth: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DigOutcome {
    Found { find: Find, player: PlayerView },
    NoEnergy { player: PlayerView },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UseOutcome {
    Used {
        item: ItemId,
        boost_until: Option<i64>,
        player: PlayerView,
    },
    NotOwned,
    /// The item has no effect one can use (a tool works by being owned).
    NotUsable,
    EnergyFull {
        player: PlayerView,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStart {
    pub run_id: String,
    pub params: RunParams,
}

/// What asking to start a run came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartOutcome {
    Started(RunStart),
    /// Over the API's per-player limit: no run was started.
    SlowDown,
}

/// Why a run's score was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunRefusal {
    UnknownRun,
    AlreadyFinished,
    /// A newer run of the player's closed this one (one open run per player).
    Replaced,
    TooEarly,
    Expired,
    Impossible {
        max_score: u64,
    },
    /// Over the API's per-player limit: the run was not looked at.
    SlowDown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunFinish {
    Finished {
        score: u64,
        best: u64,
        new_best: bool,
        gems_awarded: u64,
        /// The reward was cut short by the daily allowance (points still count).
        capped: bool,
        /// The player's place in the arcade top now.
        rank: Option<u64>,
        player: Box<PlayerView>,
    },
    Refused(RunRefusal),
}

/// A notice the loop wants sent to a player (at most one of each kind per period).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    EnergyFull {
        user: UserId,
        energy: u32,
    },
    BoostExpired {
        user: UserId,
        item: String,
    },
    /// A Miner's Pass ran out and no renewal came (sent through the due-time index only).
    PassEnded {
        user: UserId,
        pass: String,
    },
}

/// The cloneable way in. Each call is one command with a oneshot reply, and wakes the loop so
/// it is handled at once (not at the next tick); the channel is unbounded because the loop
/// drains it on every run and commands are tiny.
#[derive(Clone)]
pub struct GameHandle {
    commands: mpsc::UnboundedSender<Command>,
    wake: wake::Wake,
}

impl GameHandle {
    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T, GameError>>) -> Command,
    ) -> Result<T, GameError> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(make(reply)).map_err(|_| GameError::Stopped)?;
        self.wake.notify();
        answer.await.map_err(|_| GameError::Stopped)?
    }

    pub async fn dig(&self, user: UserId, name: &str) -> Result<DigOutcome, GameError> {
        let name = name.to_owned();
        let result = self.ask(|reply| Command::Dig { user, name, reply }).await;
        counted::dig(&result);
        result
    }

    pub async fn use_item(&self, user: UserId, item: ItemId) -> Result<UseOutcome, GameError> {
        let result = self.ask(|reply| Command::Use { user, item, reply }).await;
        counted::item_use(&result);
        result
    }

    pub async fn start_run(&self, user: UserId) -> Result<StartOutcome, GameError> {
        let result = self.ask(|reply| Command::StartRun { user, reply }).await;
        counted::run_start(&result);
        result
    }

    pub async fn finish_run(&self, user: UserId, run_id: &str, score: i64) -> Result<RunFinish, GameError> {
        let run_id = run_id.to_owned();
        let result = self.ask(|reply| Command::FinishRun { user, run_id, score, reply }).await;
        counted::run_finish(&result);
        result
    }

    /// Buys level `level` (None: the next) of track `id`, or cosmetic `id`, with gems, once per
    /// `action`.
    pub async fn spend_gems(
        &self,
        user: UserId,
        id: &str,
        level: Option<u32>,
        action: &str,
    ) -> Result<GemOutcome, GameError> {
        let (id, action) = (id.to_owned(), action.to_owned());
        let result = self.ask(|reply| Command::SpendGems { user, id, level, action, reply }).await;
        counted::gem_purchase(&result);
        result
    }

    pub async fn view(&self, user: UserId) -> Result<PlayerView, GameError> {
        self.ask(|reply| Command::View { user, reply }).await
    }

    /// Tells the loop a player changed elsewhere (fire and forget; handled at the next run,
    /// without waking the loop: every change is announced, most of them our own).
    pub fn refresh(&self, user: UserId, ver: u64) {
        let _ = self.commands.send(Command::Refresh { user, ver });
    }

    /// Hands the loop the player as a payment this process just granted left them: any command
    /// queued after this one (such as a `/use` sent on seeing the receipt) sees the grant,
    /// without reading Redis or waiting for the change to come back by pub/sub.
    pub fn granted(&self, user: UserId, state: PlayerState) {
        let _ = self.commands.send(Command::Granted { user, state: Box::new(state) });
    }

    /// Tells the loop the player's stored skin choice (fire and forget: it is queued before any
    /// run the player starts after this returns, since commands are handled in order).
    pub fn skin_chosen(&self, user: UserId, skin: Option<String>) {
        let _ = self.commands.send(Command::SkinChosen { user, skin });
    }
}

impl GameHandle {
    /// A handle to no loop: every command answers [`GameError::Stopped`] (for one-shot CLI
    /// commands that share the bot's code but run no game).
    pub fn detached() -> Self {
        let (commands, _) = mpsc::unbounded_channel();
        Self { commands, wake: wake::Wake::default() }
    }
}
