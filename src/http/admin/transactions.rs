//! The Transactions tab's API, served from the copy of the Star ledger that reconciliation keeps
//! in Redis (`store::ledger`; the Bot API has no filter, and is never paged per request):
//! `GET /admin/api/transactions?player=&item=&before=&limit=` (a page, newest first, each row
//! with its player's @username when known; `player` is a user id or an @username; with the
//! cursor of the next, the filter's total, the catalog's items for the filter, and when the copy
//! was last refreshed) and `GET /admin/api/transactions.csv?player=&item=` (every row of the
//! filter as a CSV attachment named after the day and the filter).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::players::unavailable;
use super::AdminState;
use crate::admin::PlayerQuery;
use crate::clock::now_ms;
use crate::domain::ledger::{LedgerFilter, LedgerRow, Partner};
use crate::domain::sales::Day;
use crate::domain::{Catalog, ItemId, UserId};
use crate::store::{Store, StoreError};

/// Rows a page shows unless asked otherwise, and at most.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 200;

/// The query both routes take (`before` and `limit` only matter to the page).
#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    player: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    before: String,
    #[serde(default)]
    limit: Option<usize>,
}

impl Params {
    /// The filter, or what is wrong with it (empty parts mean "any"); a player is a user id or
    /// an @username ([`PlayerQuery`]).
    async fn filter(&self, store: &Store) -> Result<LedgerFilter, Response> {
        let player = match self.player.trim() {
            "" => None,
            text => {
                let query = PlayerQuery::parse(text).map_err(|error| bad_filter(&error))?;
                match query.resolve(store).await {
                    Ok(Some(user)) => Some(user),
                    Ok(None) => {
                        return Err(bad_filter(&format!("nobody who wrote to the bot in private goes by {query}")))
                    }
                    Err(error) => return Err(unavailable(&error.to_string())),
                }
            }
        };
        let item = match self.item.trim() {
            "" => None,
            text => Some(ItemId::parse(text).map_err(|error| bad_filter(&error))?),
        };
        Ok(LedgerFilter { player, item })
    }
}

/// The @username of each player of `rows` (one read per player, all at once); a player who never
/// wrote to the bot in private has none.
async fn usernames(store: &Store, rows: &[LedgerRow]) -> Result<HashMap<UserId, String>, StoreError> {
    let players: HashSet<UserId> = rows.iter().filter_map(LedgerRow::player).collect();
    let reads =
        players.into_iter().map(|user| async move { Ok::<_, StoreError>((user, store.username_of(user).await?)) });
    let found = futures::future::try_join_all(reads).await?;
    Ok(found.into_iter().filter_map(|(user, name)| name.map(|name| (user, name))).collect())
}

fn bad_filter(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error, "code": "bad_filter" }))).into_response()
}

/// `GET /admin/api/transactions`: `{"rows", "next", "total", "items", "copy", "read_at"}`.
pub async fn page(State(state): State<AdminState>, Query(params): Query<Params>) -> Response {
    let filter = match params.filter(&state.store).await {
        Ok(filter) => filter,
        Err(refusal) => return refusal,
    };
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let before = Some(params.before.trim()).filter(|before| !before.is_empty());
    let read = tokio::try_join!(state.store.ledger_page(&filter, before, limit), state.store.ledger_copy_state());
    let (page, copy) = match read {
        Ok(read) => read,
        Err(error) => return unavailable(&error.to_string()),
    };
    let names = match usernames(&state.store, &page.rows).await {
        Ok(names) => names,
        Err(error) => return unavailable(&error.to_string()),
    };
    let catalog = state.catalog.current();
    let items: Vec<Value> =
        catalog.items().iter().map(|item| json!({ "id": item.id.to_string(), "name": item.name })).collect();
    Json(json!({
        "rows": page.rows.iter().map(|row| row_json(row, &catalog, &names)).collect::<Vec<_>>(),
        "next": page.next,
        "total": page.total,
        "items": items,
        "copy": {
            "refreshed_at": copy.refreshed_at_ms,
            "rows": copy.rows,
            "kept": crate::store::LEDGER_KEPT,
        },
        "read_at": now_ms(),
    }))
    .into_response()
}

/// `GET /admin/api/transactions.csv`: every row of the filter, newest first.
pub async fn csv(State(state): State<AdminState>, Query(params): Query<Params>) -> Response {
    let filter = match params.filter(&state.store).await {
        Ok(filter) => filter,
        Err(refusal) => return refusal,
    };
    let rows = match state.store.ledger_rows(&filter).await {
        Ok(rows) => rows,
        Err(error) => return unavailable(&error.to_string()),
    };
    let disposition = format!("attachment; filename=\"{}\"", file_name(&filter, Day::of(now_ms())));
    let headers =
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)];
    (headers, csv_text(&rows, &state.catalog.current())).into_response()
}

/// `starmine-transactions-2026-12-02[-player-1001][-item-energy].csv`.
fn file_name(filter: &LedgerFilter, today: Day) -> String {
    let mut name = format!("starmine-transactions-{today}");
    if let Some(player) = filter.player {
        let _ = write!(name, "-player-{player}");
    }
    if let Some(item) = &filter.item {
        let _ = write!(name, "-item-{item}");
    }
    name + ".csv"
}

fn row_json(row: &LedgerRow, catalog: &Catalog, names: &HashMap<UserId, String>) -> Value {
    let item = row.item();
    json!({
        "key": row.key(),
        "id": row.id,
        "date": row.date,
        "amount": row.amount,
        "signed_amount": row.signed_amount(),
        "nanostar": row.nanostar,
        "direction": row.direction.as_str(),
        "kind": row.kind(),
        "player": row.player().map(|player| player.0),
        "username": row.player().and_then(|player| names.get(&player)),
        "partner": partner_name(&row.partner),
        "payload": row.payload,
        "item": item.as_ref().map(ItemId::to_string),
        "item_name": item.as_ref().map(|item| catalog.name_of(item.as_str()).to_owned()),
        "qty": row.qty,
        "charge": row.charge().map(|charge| charge.as_str().to_owned()),
    })
}

fn partner_name(partner: &Partner) -> &str {
    match partner {
        Partner::User(_) => "user",
        Partner::Other(kind) => kind,
    }
}

/// The CSV's columns, in order.
const COLUMNS: [&str; 12] = [
    "date_utc",
    "transaction_id",
    "direction",
    "kind",
    "stars",
    "nanostars",
    "player",
    "partner",
    "item",
    "qty",
    "invoice_payload",
    "charge_id",
];

/// The rows as RFC 4180 CSV: a header line, CRLF line ends, fields quoted where needed.
fn csv_text(rows: &[LedgerRow], catalog: &Catalog) -> String {
    let mut text = COLUMNS.join(",") + "\r\n";
    for row in rows {
        let date = chrono::DateTime::from_timestamp(row.date, 0)
            .map(|date| date.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let item = row.item().map(|item| catalog.name_of(item.as_str()).to_owned()).unwrap_or_default();
        let fields = [
            date,
            row.id.clone(),
            row.direction.as_str().to_owned(),
            row.kind().to_owned(),
            row.signed_amount().to_string(),
            row.nanostar.map(|nano| nano.to_string()).unwrap_or_default(),
            row.player().map(|player| player.to_string()).unwrap_or_default(),
            partner_name(&row.partner).to_owned(),
            item,
            row.qty.map(|qty| qty.to_string()).unwrap_or_default(),
            row.payload.clone().unwrap_or_default(),
            row.charge().map(|charge| charge.as_str().to_owned()).unwrap_or_default(),
        ];
        let quoted: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        text.push_str(&quoted.join(","));
        text.push_str("\r\n");
    }
    text
}

/// A field as CSV writes it: quoted (its quotes doubled) when it holds a comma, a quote or a
/// line break, or starts with a character a spreadsheet would read as a formula.
fn csv_field(field: &str) -> String {
    let formula = field.starts_with(['=', '+', '@']) || (field.starts_with('-') && field.parse::<i64>().is_err());
    if formula {
        return format!("\"'{}\"", field.replace('"', "\"\""));
    }
    if field.contains([',', '"', '\n', '\r']) {
        return format!("\"{}\"", field.replace('"', "\"\""));
    }
    field.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_quoted_only_where_csv_needs_it_and_never_read_as_a_formula() {
        let check = |field: &str, written: &str| assert_eq!(csv_field(field), written, "{field}");
        check("energy", "energy");
        check("-25", "-25");
        check("", "");
        check("a,b", "\"a,b\"");
        check("say \"hi\"", "\"say \"\"hi\"\"\"");
        check("two\nlines", "\"two\nlines\"");
        check("=1+1", "\"'=1+1\"");
        check("-x", "\"'-x\"");
    }

    #[test]
    fn the_file_name_says_the_day_and_the_filter() {
        let check = |player: Option<u64>, item: Option<&str>, name: &str| {
            let filter =
                LedgerFilter { player: player.map(UserId), item: item.map(|item| ItemId::parse(item).unwrap()) };
            assert_eq!(file_name(&filter, Day(20_789)), name);
        };
        check(None, None, "starmine-transactions-2026-12-02.csv");
        check(Some(1001), None, "starmine-transactions-2026-12-02-player-1001.csv");
        check(Some(1001), Some("energy"), "starmine-transactions-2026-12-02-player-1001-item-energy.csv");
    }
}
