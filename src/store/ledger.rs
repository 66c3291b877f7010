//! The console's copy of the Star ledger: reconciliation writes each page of
//! `getStarTransactions` it reads (`ledger_copy.lua`: once per row key, indexed by date, player,
//! item and both), the Transactions tab pages it (`ledger_page.lua`) and exports it. Every key is
//! in the `{ledger}` slot (`keys::LEDGER_*`).
//!
//! Bounded: the copy keeps the newest [`KEPT`] rows (about 400 bytes each with their indexes,
//! so some 80 MB at the bound); older ones leave every index as new ones come. The Star ledger
//! itself stays at Telegram, which `starmine audit` and `starmine reconcile` read from its start.

use std::collections::HashMap;

use redis::AsyncCommands;
use serde::{Deserialize, Serialize};

use super::{keys, Store, StoreError, StoreResult};
use crate::domain::ledger::{Direction, LedgerFilter, LedgerPage, LedgerRow, Partner};
use crate::domain::UserId;

/// How many rows the copy keeps, newest first.
pub const KEPT: usize = 200_000;
/// Rows read at a time when the whole of a filter is read (the CSV export).
const CHUNK: usize = 1_000;

/// The copy's freshness: when the last reconciliation pass read the ledger to its end, and how
/// many rows the copy holds now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LedgerCopyState {
    pub refreshed_at_ms: Option<i64>,
    /// The copy holds every transaction before this `getStarTransactions` offset.
    pub offset: u32,
    pub rows: u64,
}

impl Store {
    /// Adds the rows the copy does not hold yet (by [`LedgerRow::key`]); returns how many.
    pub async fn copy_ledger(&self, rows: &[LedgerRow]) -> StoreResult<u64> {
        self.copy_ledger_keeping(rows, KEPT).await
    }

    /// [`Store::copy_ledger`], keeping the newest `kept` rows (tests try the bound with a few).
    pub async fn copy_ledger_keeping(&self, rows: &[LedgerRow], kept: usize) -> StoreResult<u64> {
        if rows.is_empty() {
            return Ok(0);
        }
        let mut invocation = self.scripts.ledger_copy.key(keys::LEDGER_ROWS);
        invocation
            .key(keys::LEDGER_BY_DATE)
            .arg(kept)
            .arg(keys::LEDGER_BY_PLAYER)
            .arg(keys::LEDGER_BY_ITEM)
            .arg(keys::LEDGER_BY_PLAYER_ITEM);
        for row in rows {
            let stored = StoredRow::from(row);
            let encoded = serde_json::to_string(&stored).map_err(|error| StoreError::Protocol(error.to_string()))?;
            invocation
                .arg(row.key())
                .arg(row.date)
                .arg(encoded)
                .arg(stored.player.unwrap_or_default())
                .arg(stored.item.unwrap_or_default());
        }
        Ok(invocation.invoke_async(&mut self.conn()).await?)
    }

    /// Up to `limit` rows of `filter` older than the row `before` (from the newest without
    /// one), newest first, with the filter's total.
    pub async fn ledger_page(
        &self,
        filter: &LedgerFilter,
        before: Option<&str>,
        limit: usize,
    ) -> StoreResult<LedgerPage> {
        let (total, keys, rows, more): (u64, Vec<String>, Vec<Option<String>>, bool) = self
            .scripts
            .ledger_page
            .key(keys::ledger_index(filter))
            .key(keys::LEDGER_ROWS)
            .arg(before.unwrap_or_default())
            .arg(limit.max(1))
            .invoke_async(&mut self.conn())
            .await?;
        let rows: Vec<LedgerRow> = rows.iter().flatten().filter_map(|encoded| decode(encoded)).collect();
        let next = if more { keys.last().cloned() } else { None };
        Ok(LedgerPage { rows, next, total })
    }

    /// Every row of `filter`, newest first (the export).
    pub async fn ledger_rows(&self, filter: &LedgerFilter) -> StoreResult<Vec<LedgerRow>> {
        let mut rows = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let page = self.ledger_page(filter, before.as_deref(), CHUNK).await?;
            rows.extend(page.rows);
            match page.next {
                Some(next) => before = Some(next),
                None => return Ok(rows),
            }
        }
    }

    /// Notes that the copy holds every transaction before `offset`.
    pub async fn set_ledger_copy_offset(&self, offset: u32) -> StoreResult<()> {
        let _: () = self.conn().hset(keys::LEDGER_META, "offset", offset).await?;
        Ok(())
    }

    /// Notes that a reconciliation pass read the ledger to its end at `at_ms`.
    pub async fn set_ledger_copy_refreshed(&self, at_ms: i64) -> StoreResult<()> {
        let _: () = self.conn().hset(keys::LEDGER_META, "refreshed_at", at_ms).await?;
        Ok(())
    }

    pub async fn ledger_copy_state(&self) -> StoreResult<LedgerCopyState> {
        let meta: HashMap<String, i64> = self.conn().hgetall(keys::LEDGER_META).await?;
        let rows: u64 = self.conn().zcard(keys::LEDGER_BY_DATE).await?;
        Ok(LedgerCopyState {
            refreshed_at_ms: meta.get("refreshed_at").copied(),
            offset: meta.get("offset").map_or(0, |offset| (*offset).max(0) as u32),
            rows,
        })
    }
}

/// A row as the copy stores it: JSON, with `player` and `item` as strings (what
/// `ledger_copy.lua` reads to drop a row from its indexes; Lua numbers would round a user id).
#[derive(Serialize, Deserialize)]
struct StoredRow {
    id: String,
    date: i64,
    amount: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nanostar: Option<u32>,
    direction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    player: Option<String>,
    /// The partner's type when it is not a user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    partner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    qty: Option<u32>,
}

impl From<&LedgerRow> for StoredRow {
    fn from(row: &LedgerRow) -> Self {
        let (player, partner) = match &row.partner {
            Partner::User(user) => (Some(user.to_string()), None),
            Partner::Other(kind) => (None, Some(kind.clone())),
        };
        Self {
            id: row.id.clone(),
            date: row.date,
            amount: row.amount,
            nanostar: row.nanostar,
            direction: row.direction.as_str().to_owned(),
            player,
            partner,
            payload: row.payload.clone(),
            item: row.item().map(|item| item.to_string()),
            qty: row.qty,
        }
    }
}

fn decode(encoded: &str) -> Option<LedgerRow> {
    let stored: StoredRow = serde_json::from_str(encoded).ok()?;
    let partner = match (stored.player, stored.partner) {
        (Some(player), _) => Partner::User(UserId(player.parse().ok()?)),
        (None, kind) => Partner::Other(kind.unwrap_or_else(|| "other".to_owned())),
    };
    Some(LedgerRow {
        id: stored.id,
        date: stored.date,
        amount: stored.amount,
        nanostar: stored.nanostar,
        direction: Direction::parse(&stored.direction)?,
        partner,
        payload: stored.payload,
        qty: stored.qty,
    })
}
