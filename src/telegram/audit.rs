//! `starmine audit`: the books re-derived from the records (the rules are `domain::books`) on a
//! live system, without stopping it. Each player's slot and each item's slot is read in one
//! read-only script, so what one slot says is consistent (the books of a player from before
//! them are opened first); then the Star ledger is paged from its start. Reads of different slots
//! are not one atomic read: a purchase or refund in flight between two of them looks like a
//! discrepancy for a moment. So whatever differs is read again after a pause — the players,
//! items and Star ledger entries it is about — up to [`REREADS`] times, and only what every
//! read found is reported (a slow payment in flight clears on a later read).

use std::collections::BTreeSet;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use teloxide::prelude::*;

use super::reconcile::{classify, Entry, PAGE};
use super::Shop;
use crate::clock::now_ms;
use crate::domain::books::{self, Discrepancy, ItemBooks, PlayerBooks, Since, Snapshot, StarEntry, Totals};
use crate::domain::{OrderId, PassPayload, UserId as PlayerId};
use crate::store::{Population, Store, StoreResult};

/// How often what differs is read again (each after the pause) before it is reported.
const REREADS: usize = 3;

/// Reads in flight at once (each is one script; a cluster spreads them over its masters).
const READS_IN_FLIGHT: usize = 32;

/// What one audit found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    /// The discrepancies that persisted when read again (none: the books balance).
    pub discrepancies: Vec<Discrepancy>,
    pub totals: Totals,
    pub players: usize,
    pub items: usize,
    pub star_transactions: usize,
    /// Players from before the books whose books this run opened.
    pub opened: Vec<PlayerId>,
    /// Discrepancies of the first read that were gone when read again (in flight then).
    pub transient: usize,
}

/// Audits everything once; `pause` is how long to wait before reading a discrepancy again.
pub async fn audit(shop: &Shop, pause: Duration) -> anyhow::Result<Audit> {
    let store = &shop.store;
    let population = store.books_population().await?;
    let mut snapshot = Snapshot::default();
    let mut opened = Vec::new();
    read_players(store, &population, population.players.keys().copied(), &mut snapshot, &mut opened).await?;
    let mut items = population.items.clone();
    items.extend(shop.catalog.current().items().iter().map(|item| item.id.to_string()));
    items.extend(snapshot.players.values().flat_map(|player| player.payments.iter().map(|p| p.item.clone())));
    read_items(store, items, &mut snapshot).await?;
    snapshot.stars = read_stars(&shop.raw_bot).await?;
    let first = books::check(&snapshot);
    if first.is_empty() {
        return Ok(report(&snapshot, Vec::new(), opened, 0));
    }

    let mut persisted = first;
    let found_first = persisted.len();
    for _ in 0..REREADS {
        if persisted.is_empty() {
            break;
        }
        tracing::info!(found = persisted.len(), ?pause, "audit: reading what differs again");
        tokio::time::sleep(pause).await;
        let (users, items) = subjects(&snapshot, &persisted);
        read_players(store, &population, users.into_iter(), &mut snapshot, &mut opened).await?;
        read_items(store, items, &mut snapshot).await?;
        snapshot.stars = read_stars(&shop.raw_bot).await?;
        let before: BTreeSet<_> = persisted.iter().map(Discrepancy::key).collect();
        persisted = books::check(&snapshot).into_iter().filter(|found| before.contains(&found.key())).collect();
    }
    let transient = found_first - persisted.len();
    Ok(report(&snapshot, persisted, opened, transient))
}

fn report(snapshot: &Snapshot, discrepancies: Vec<Discrepancy>, opened: Vec<PlayerId>, transient: usize) -> Audit {
    Audit {
        discrepancies,
        totals: books::totals(snapshot),
        players: snapshot.players.len(),
        items: snapshot.items.len(),
        star_transactions: snapshot.stars.len(),
        opened,
        transient,
    }
}

/// The players and items a discrepancy is about: those it names, and every player and item
/// holding a record of the charge it names.
fn subjects(snapshot: &Snapshot, found: &[Discrepancy]) -> (BTreeSet<PlayerId>, BTreeSet<String>) {
    let mut users: BTreeSet<PlayerId> = found.iter().filter_map(|discrepancy| discrepancy.player).collect();
    let mut items: BTreeSet<String> = found.iter().filter_map(|discrepancy| discrepancy.item.clone()).collect();
    let charges: BTreeSet<&str> = found.iter().filter_map(|discrepancy| discrepancy.charge.as_deref()).collect();
    for player in snapshot.players.values() {
        for payment in player.payments.iter().filter(|payment| charges.contains(payment.charge.as_str())) {
            users.insert(player.user);
            items.insert(payment.item.clone());
        }
    }
    for item in snapshot.items.values() {
        for charge in item.charges.iter().filter(|charge| charges.contains(charge.charge.as_str())) {
            items.insert(item.item.clone());
            users.extend(charge.payer);
            users.extend(charge.holder);
        }
    }
    for entry in &snapshot.stars {
        let (StarEntry::Payment { charge, user, .. } | StarEntry::Refund { charge, user, .. }) = entry;
        if charges.contains(charge.as_str()) {
            users.insert(*user);
        }
    }
    (users, items)
}

/// Reads these players into the snapshot, opening the books of those from before them.
async fn read_players(
    store: &Store,
    population: &Population,
    users: impl Iterator<Item = PlayerId>,
    snapshot: &mut Snapshot,
    opened: &mut Vec<PlayerId>,
) -> StoreResult<()> {
    let none = BTreeSet::new();
    let reads = users.map(|user| read_player(store, user, population.players.get(&user).unwrap_or(&none)));
    let read: Vec<(PlayerBooks, bool)> =
        futures::stream::iter(reads).buffer_unordered(READS_IN_FLIGHT).try_collect().await?;
    for (books, opened_now) in read {
        if opened_now {
            tracing::info!(user = %books.user, "audit: opened the books of a player from before them");
            opened.push(books.user);
        }
        snapshot.players.insert(books.user, books);
    }
    opened.sort_unstable();
    Ok(())
}

async fn read_player(store: &Store, user: PlayerId, charges: &BTreeSet<String>) -> StoreResult<(PlayerBooks, bool)> {
    let books = store.player_books(user, charges).await?;
    if books.since != Since::Unopened {
        return Ok((books, false));
    }
    let opened = store.open_books(user, now_ms()).await?;
    Ok((store.player_books(user, charges).await?, opened))
}

async fn read_items(store: &Store, items: BTreeSet<String>, snapshot: &mut Snapshot) -> StoreResult<()> {
    let reads = items.into_iter().map(|item| async move { store.item_books(&item).await });
    let read: Vec<ItemBooks> = futures::stream::iter(reads).buffer_unordered(READS_IN_FLIGHT).try_collect().await?;
    snapshot.items.extend(read.into_iter().map(|books| (books.item.clone(), books)));
    Ok(())
}

/// The whole Star ledger, paged from its start (payments and refunds of invoices).
async fn read_stars(bot: &Bot) -> anyhow::Result<Vec<StarEntry>> {
    let mut entries = Vec::new();
    let mut offset = 0;
    loop {
        let page = bot.get_star_transactions().offset(offset).limit(PAGE).await?;
        let count = page.transactions.len();
        entries.extend(page.transactions.iter().filter_map(|transaction| match classify(transaction) {
            Entry::Payment { user, charge, amount, payload, .. } => {
                let item = OrderId::parse(&payload)
                    .map(|order| order.item().to_string())
                    .or_else(|| PassPayload::parse(&payload).map(|pass| pass.pass().to_string()));
                Some(StarEntry::Payment { charge: charge.to_string(), user, amount, item })
            }
            Entry::Refund { user, charge, amount } => {
                Some(StarEntry::Refund { charge: charge.to_string(), user, amount })
            }
            Entry::Other => None,
        }));
        offset += count as u32;
        if count < usize::from(PAGE) {
            return Ok(entries);
        }
    }
}
