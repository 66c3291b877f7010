//! Redis: the only module that knows keys and scripts. Every change to persistent state is one
//! atomic Lua script in one Cluster slot, or one single-key command; reads are plain commands, or
//! read-only scripts where several keys of a slot are read as one snapshot (the audit's).

pub mod arcade;
mod books;
mod chat;
mod conn;
pub mod game;
mod group;
mod journal;
mod keys;
mod player;
pub mod private_server;
mod refunds;
mod sends;
mod shop;
mod verify;

use std::sync::Arc;

use redis::Script;

pub use books::Population;
pub use conn::Conn;
pub use journal::Journaled;
pub use player::{Holdings, PaymentRecord, PaymentStatus, PlayerView};
pub use private_server::PrivateRedis;
pub use refunds::{PendingRefund, RefundStart, Settlement};
pub use sends::{SendBucket, SendScope};
pub use shop::{Availability, ChargeClaim, Claim, Confirmation, OrderOffer, Recorded};
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
}

struct Scripts {
    create_order: Script,
    availability: Script,
    precheckout: Script,
    confirm_payment: Script,
    claim_charge: Script,
    forget_charge: Script,
    mark_verified: Script,
    release: Script,
    grant: Script,
    begin_refund: Script,
    finish_refund: Script,
    rate_limit: Script,
    dig: Script,
    use_item: Script,
    start_run: Script,
    finish_run: Script,
    journal_claim: Script,
    choose_skin: Script,
    upgrade: Script,
    timers_claim: Script,
    timers_settle: Script,
    audit_player: Script,
    audit_item: Script,
    audit_open: Script,
    send_slot: Script,
}

impl Scripts {
    fn load() -> Self {
        let item = |body: &str| {
            let libs = concat!(include_str!("scripts/meter.lua"), "\n", include_str!("scripts/lib.lua"));
            Script::new(&format!("{libs}\n{body}"))
        };
        let player = |body: &str| {
            let libs = concat!(include_str!("scripts/meter.lua"), "\n", include_str!("scripts/player_lib.lua"));
            Script::new(&format!("{libs}\n{body}"))
        };
        let game = |body: &str| {
            let libs = concat!(
                include_str!("scripts/meter.lua"),
                "\n",
                include_str!("scripts/player_lib.lua"),
                "\n",
                include_str!("scripts/game_lib.lua")
            );
            Script::new(&format!("{libs}\n{body}"))
        };
        Self {
            create_order: item(include_str!("scripts/create_order.lua")),
            availability: item(include_str!("scripts/availability.lua")),
            precheckout: item(include_str!("scripts/precheckout.lua")),
            confirm_payment: item(include_str!("scripts/confirm_payment.lua")),
            claim_charge: Script::new(include_str!("scripts/claim_charge.lua")),
            forget_charge: Script::new(include_str!("scripts/forget_charge.lua")),
            mark_verified: Script::new(include_str!("scripts/mark_verified.lua")),
            release: item(include_str!("scripts/release.lua")),
            grant: player(include_str!("scripts/grant.lua")),
            begin_refund: player(include_str!("scripts/begin_refund.lua")),
            finish_refund: player(include_str!("scripts/finish_refund.lua")),
            rate_limit: Script::new(&format!(
                "{}\n{}",
                include_str!("scripts/meter.lua"),
                include_str!("scripts/rate_limit.lua")
            )),
            dig: game(include_str!("scripts/dig.lua")),
            use_item: game(include_str!("scripts/use_item.lua")),
            start_run: player(include_str!("scripts/start_run.lua")),
            finish_run: game(include_str!("scripts/finish_run.lua")),
            journal_claim: Script::new(include_str!("scripts/journal_claim.lua")),
            choose_skin: player(include_str!("scripts/choose_skin.lua")),
            upgrade: game(include_str!("scripts/upgrade.lua")),
            timers_claim: Script::new(include_str!("scripts/timers_claim.lua")),
            timers_settle: Script::new(include_str!("scripts/timers_settle.lua")),
            // Read-only (`#!lua flags=no-writes` must be the first line: no library before it).
            audit_player: Script::new(include_str!("scripts/audit_player.lua")),
            audit_item: Script::new(include_str!("scripts/audit_item.lua")),
            audit_open: player(include_str!("scripts/audit_open.lua")),
            send_slot: Script::new(include_str!("scripts/send_slot.lua")),
        }
    }
}

impl Store {
    /// Connects to one server or to a cluster (several URLs) and checks that it answers.
    pub async fn connect(urls: &[String]) -> StoreResult<Self> {
        let conn = Conn::connect(urls).await?;
        let groups = Groups {
            journal_done: group::Group::new(journal::write_done(conn.clone())),
            timers: group::Group::new(game::write_timers(conn.clone())),
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
        let scripts = &self.scripts;
        [
            ("create_order", &scripts.create_order),
            ("availability", &scripts.availability),
            ("precheckout", &scripts.precheckout),
            ("confirm_payment", &scripts.confirm_payment),
            ("claim_charge", &scripts.claim_charge),
            ("forget_charge", &scripts.forget_charge),
            ("mark_verified", &scripts.mark_verified),
            ("release", &scripts.release),
            ("grant", &scripts.grant),
            ("begin_refund", &scripts.begin_refund),
            ("finish_refund", &scripts.finish_refund),
            ("rate_limit", &scripts.rate_limit),
            ("dig", &scripts.dig),
            ("use_item", &scripts.use_item),
            ("start_run", &scripts.start_run),
            ("finish_run", &scripts.finish_run),
            ("journal_claim", &scripts.journal_claim),
            ("choose_skin", &scripts.choose_skin),
            ("upgrade", &scripts.upgrade),
            ("timers_claim", &scripts.timers_claim),
            ("timers_settle", &scripts.timers_settle),
            ("audit_player", &scripts.audit_player),
            ("audit_item", &scripts.audit_item),
            ("audit_open", &scripts.audit_open),
        ]
        .into_iter()
        .map(|(name, script)| (name, script.get_hash().to_owned()))
        .collect()
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
