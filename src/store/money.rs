//! The money counters' reads: each item's figures per UTC day (`ItemKeys::money`, counted by
//! `confirm_payment.lua` and `release.lua`; see `domain::sales` for what counts where). One
//! `HMGET` of one key per item, every item's sent at once over the multiplexed connection, so a
//! Redis Cluster answers each from the item's own slot; nothing is scanned.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::keys::ItemKeys;
use super::{Store, StoreResult};
use crate::domain::sales::{days, Day, DaySales};
use crate::domain::ItemId;

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
                let mut figures = [0; 6];
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
}
