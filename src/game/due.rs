//! Timers that survive restarts: every process polls the durable due-time index
//! (`store::keys::TIMERS_DUE`), claims the players whose moment has come, reads them from Redis
//! (loaded in a World or not) and sends the notices they are owed — a boost that ran out, energy
//! full again — then notes their next moment. The loop's own timers tell loaded players at once;
//! each notice is claimed in Redis before it is sent (see `telegram::game::run_notifier`), so a
//! player hears it once whichever process gets there first.

use std::time::Duration;

use tokio::sync::mpsc;

use super::Notice;
use crate::clock::now_ms;
use crate::domain::{Catalog, UserId};
use crate::reload::SharedCatalog;
use crate::store::game::PlayerState;
use crate::store::Store;

/// How often each process looks at the index.
const POLL: Duration = Duration::from_secs(1);
/// How long a claimed player is left to the process that claimed it before another may.
const LEASE: Duration = Duration::from_secs(30);
/// Players handled per poll.
const BATCH: usize = 256;

/// Polls until aborted.
pub async fn run(store: Store, catalog: SharedCatalog, notices: mpsc::UnboundedSender<Notice>) {
    let mut every = tokio::time::interval(POLL);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = pass(&store, &catalog, &notices).await {
            tracing::warn!(%error, "timer pass failed; retrying");
        }
    }
}

async fn pass(
    store: &Store,
    catalog: &SharedCatalog,
    notices: &mpsc::UnboundedSender<Notice>,
) -> Result<(), crate::store::StoreError> {
    let now = now_ms();
    for (user, claim) in store.claim_due_timers(now, LEASE, BATCH).await? {
        let state = store.load_player(user).await?;
        let (due, next) = owed(user, &state, &catalog.current(), now);
        for notice in due {
            let _ = notices.send(notice);
        }
        store.settle_timer(user, claim, next).await?;
    }
    Ok(())
}

/// The notices a player is owed at `now` (events since `notify_period` ago; older ones are
/// stale news) and the moment of their next timer, if any.
pub fn owed(user: UserId, state: &PlayerState, catalog: &Catalog, now: i64) -> (Vec<Notice>, Option<i64>) {
    let recent = now - catalog.settings.notify_period.as_millis() as i64;
    let mut due = Vec::new();
    let mut next: Option<i64> = None;
    let mut later = |at: i64| next = Some(next.map_or(at, |next| next.min(at)));
    for (item, until) in &state.boosts {
        if *until > now {
            later(*until);
        } else if *until > recent {
            due.push(Notice::BoostExpired { user, item: item.clone() });
        }
    }
    for (pass, until) in &state.upgrades.passes {
        let notice_at = until.saturating_add(crate::domain::pass::END_NOTICE_GRACE_MS);
        if notice_at > now {
            later(notice_at);
        } else if notice_at > recent {
            due.push(Notice::PassEnded { user, pass: pass.clone() });
        }
    }
    let rules = catalog.energy_rules(&state.upgrades, now);
    if let Some(energy) = state.stats.energy {
        match energy.full_at(&rules, energy.at_ms) {
            Some(full_at) if full_at > now => later(full_at),
            Some(full_at) if full_at > recent => {
                due.push(Notice::EnergyFull { user, energy: energy.now(&rules, now) });
            }
            _ => {}
        }
    }
    (due, next)
}
