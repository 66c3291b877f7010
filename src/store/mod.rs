//! Redis: the only module that knows keys and scripts. Every change to persistent state is one
//! atomic Lua script in one Cluster slot, or one single-key command; reads are plain commands, or
//! read-only scripts where several keys of a slot are read as one snapshot (the audit's).

mod admin;
pub mod arcade;
mod books;
mod chat;
mod conn;
pub mod game;
mod gifts;
mod group;
mod journal;
mod keys;
mod language;
mod ledger;
mod money;
mod names;
mod pass;
mod player;
pub mod private_server;
mod refunds;
mod scripts;
mod sends;
mod shop;
mod support;
mod verify;

use std::sync::Arc;

use self::scripts::Scripts;

pub use books::Population;
pub use conn::Conn;
pub use journal::Journaled;
pub use ledger::{LedgerCopyState, KEPT as LEDGER_KEPT};
pub use names::{IndexMove, Names};
pub use pass::{pass_token, DailyGems, PassPeriod};
pub use player::{Holdings, PaymentRecord, PaymentStatus, PlayerView};
pub use private_server::PrivateRedis;
pub use refunds::{PendingRefund, RefundStart, Settlement};
pub use sends::{SendBucket, SendScope};
pub use shop::{Availability, ChargeClaim, Claim, Confirmation, OrderOffer, Recorded};
pub use support::SupportMessage;
pub use verify::Unverified;

use crate::domain::grant_units;

/// Anything that went wrong talking to Redis. Expected outcomes (a refused purchase) are values
/// in `Ok`, never this.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("unexpected reply from a store script: {0}")]
    Protocol(String),
    /// A group-committed write (see `group`) failed for every caller in its batch.
    #[error("redis (a batched write): {0}")]
    Batch(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The store handle: cheap to clone, shared by every task.
#[derive(Clone)]
pub struct Store {
    conn: Conn,
    scripts: Arc<Scripts>,
    groups: Arc<Groups>,
}

/// The group-committed writes (see `group`).
struct Groups {
    /// Update ids whose handler finished (`journal::Store::journal_done`).
    journal_done: group::Group<i64>,
    /// (user, due moment) of timers noted (`game::Store::schedule_timer`).
    timers: group::Group<(crate::domain::UserId, i64)>,
    /// (day, player) of the players who paid (`money::Store::count_payer`).
    payers: group::Group<(crate::domain::sales::Day, crate::domain::UserId)>,
    /// (lowercase @username, user id) of new entries in the username index (`names`).
    usernames: group::Group<(String, u64)>,
}

impl Store {
    /// Connects to one server or to a cluster (several URLs) and checks that it answers.
    pub async fn connect(urls: &[String]) -> StoreResult<Self> {
        let conn = Conn::connect(urls).await?;
        let groups = Groups {
            journal_done: group::Group::new(journal::write_done(conn.clone())),
            timers: group::Group::new(game::write_timers(conn.clone())),
            payers: group::Group::new(money::write_payers(conn.clone())),
            usernames: group::Group::new(names::write_index(conn.clone())),
        };
        let store = Self { conn, scripts: Arc::new(Scripts::load()), groups: Arc::new(groups) };
        store.ping().await?;
        Ok(store)
    }

    pub async fn ping(&self) -> StoreResult<()> {
        let _: String = redis::cmd("PING").query_async(&mut self.conn()).await?;
        Ok(())
    }

    fn conn(&self) -> Conn {
        self.conn.clone()
    }

    /// Each script's name and SHA1 (what EVALSHA names it by), so a benchmark can tell the
    /// store's scripts apart in what Redis executed.
    pub fn script_shas(&self) -> Vec<(&'static str, String)> {
        self.scripts.shas()
    }
}

/// `item=qty,item=qty,@gems=n`: how grants travel to and from the player scripts.
fn encode_grant(grant: &crate::domain::Grant) -> String {
    grant_units(grant).iter().map(|(unit, qty)| format!("{unit}={qty}")).collect::<Vec<_>>().join(",")
}

fn decode_units(text: &str) -> Vec<(String, u32)> {
    text.split(',')
        .filter_map(|unit| {
            let (item, qty) = unit.split_once('=')?;
            Some((item.to_owned(), qty.parse().ok()?))
        })
        .collect()
}
