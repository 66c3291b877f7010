//! The money counters: each item's figures per UTC day and its purchases per UTC hour
//! (`ItemKeys::money`, counted by `confirm_payment.lua` and `release.lua`; see `domain::sales`
//! for what counts where), and the players who paid each day (`keys::payers`). Reads are one
//! `HMGET` of one key per item, every item's sent at once over the multiplexed connection, so a
//! Redis Cluster answers each from the item's own slot, and one `SCARD` per day; nothing is
//! scanned.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use futures::future::BoxFuture;
use futures::FutureExt;
use redis::AsyncCommands;

use super::keys::{self, ItemKeys, PAYERS_KEPT_DAYS};
use super::{Conn, Store, StoreResult};
use crate::domain::sales::{days, hours, Day, DaySales, Hour, PURCHASES};
use crate::domain::ItemId;
use crate::domain::UserId;

/// The write behind [`Store::count_payer`]: per day, one `SADD` of every payer queued and the
/// set's time to live, in one round trip (a day is one key, so one slot).
pub(super) fn write_payers(
    conn: Conn,
) -> impl Fn(Vec<(Day, UserId)>) -> BoxFuture<'static, StoreResult<()>> + Send + Sync {
    move |payers| {
        let conn = conn.clone();
        async move {
            let mut by_day: BTreeMap<Day, Vec<u64>> = BTreeMap::new();
            for (day, payer) in payers {
                by_day.entry(day).or_default().push(payer.0);
            }
            let writes = by_day.into_iter().map(|(day, payers)| {
                let mut conn = conn.clone();
                let key = keys::payers(&day.to_string());
                async move {
                    let _: () = redis::pipe()
                        .sadd(&key, payers)
                        .ignore()
                        .expire(&key, (PAYERS_KEPT_DAYS * 86_400) as i64)
                        .ignore()
                        .query_async(&mut conn)
                        .await?;
                    Ok::<_, super::StoreError>(())
                }
            });
            futures::future::try_join_all(writes).await?;
            Ok(())
        }
        .boxed()
    }
}

impl Store {
    /// One item's figures for each day of `range` (a day without sales is all zeros), in order.
    pub async fn sales_by_day(&self, item: &ItemId, range: RangeInclusive<Day>) -> StoreResult<Vec<DaySales>> {
        let dates: Vec<Day> = days(&range).collect();
        if dates.is_empty() {
            return Ok(Vec::new());
        }
        let fields: Vec<String> =
            dates.iter().flat_map(|day| DaySales::FIELDS.iter().map(move |figure| format!("{day}:{figure}"))).collect();
        let counts: Vec<Option<u64>> =
            redis::cmd("HMGET").arg(ItemKeys::new(item).money()).arg(&fields).query_async(&mut self.conn()).await?;
        Ok(dates
            .into_iter()
            .zip(counts.chunks(DaySales::FIELDS.len()))
            .map(|(day, counts)| {
                let mut figures = [0; DaySales::FIELDS.len()];
                for (figure, count) in figures.iter_mut().zip(counts) {
                    *figure = count.unwrap_or(0);
                }
                DaySales::from_counts(day, figures)
            })
            .collect())
    }

    /// [`Store::sales_by_day`] for each of `items` (the catalog's, say), read concurrently.
    pub async fn money_by_day(
        &self,
        items: &[ItemId],
        range: RangeInclusive<Day>,
    ) -> StoreResult<BTreeMap<ItemId, Vec<DaySales>>> {
        let reads = items.iter().map(|item| {
            let range = range.clone();
            async move { Ok::<_, super::StoreError>((item.clone(), self.sales_by_day(item, range).await?)) }
        });
        Ok(futures::future::try_join_all(reads).await?.into_iter().collect())
    }

    /// Purchases of all `items` in each hour of `range`, in order (their counters read at once).
    pub async fn purchases_by_hour(&self, items: &[ItemId], range: RangeInclusive<Hour>) -> StoreResult<Vec<u64>> {
        let fields: Vec<String> = hours(&range).map(|hour| format!("{hour}:{PURCHASES}")).collect();
        if fields.is_empty() {
            return Ok(Vec::new());
        }
        let reads = items.iter().map(|item| {
            let fields = &fields;
            async move {
                let counts: Vec<Option<u64>> = redis::cmd("HMGET")
                    .arg(ItemKeys::new(item).money())
                    .arg(fields)
                    .query_async(&mut self.conn())
                    .await?;
                Ok::<_, super::StoreError>(counts)
            }
        });
        let mut sums = vec![0; fields.len()];
        for counts in futures::future::try_join_all(reads).await? {
            for (sum, count) in sums.iter_mut().zip(counts) {
                *sum += count.unwrap_or(0);
            }
        }
        Ok(sums)
    }

    /// Counts `payer` among the players who paid on `day` (once, however often they pay).
    /// Group-committed with the other payments finishing at the same moment (one `SADD` of them
    /// all); returns once it is written.
    pub async fn count_payer(&self, day: Day, payer: UserId) -> StoreResult<()> {
        self.groups.payers.submit((day, payer)).await
    }

    /// How many players paid on each day of `range`, in order (0 for a day past keeping).
    pub async fn payers_by_day(&self, range: RangeInclusive<Day>) -> StoreResult<Vec<u64>> {
        let reads = days(&range).map(|day| async move {
            let mut conn = self.conn();
            let count: u64 = conn.scard(keys::payers(&day.to_string())).await?;
            Ok::<_, super::StoreError>(count)
        });
        futures::future::try_join_all(reads).await
    }
}
