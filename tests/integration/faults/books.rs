//! The fault test's books check: every invariant of the money path, read from Redis, the
//! emulator's Star ledger, `starmine player` and `starmine audit`. Every Redis read goes
//! through [`read`]: retried while a restarted Redis loads, then the test fails, so a failed
//! read never passes as an empty answer.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use serde_json::Value;
use starmine::domain::Catalog;
use starmine::sandbox::emulator::Emulator;

use super::PLAYERS;
use crate::harness::TestApp;
use crate::support::player;

/// Tries of one Redis read before the test fails, the pause doubling from 100 ms (~3 s in all).
const READ_ATTEMPTS: u32 = 5;

/// One Redis read for a check: retried a few times (a restarted Redis may still be loading its
/// AOF), then the test fails.
async fn read<T: redis::FromRedisValue>(redis: &mut MultiplexedConnection, command: &redis::Cmd) -> T {
    let mut pause = Duration::from_millis(100);
    let mut last_error = None;
    for _ in 0..READ_ATTEMPTS {
        match command.query_async(redis).await {
            Ok(value) => return value,
            Err(error) => last_error = Some(error),
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
    let command = String::from_utf8_lossy(&command.get_packed_command()).replace("\r\n", " ");
    panic!("the books check could not read Redis ({command}) in {READ_ATTEMPTS} tries: {last_error:?}");
}

/// A payment in the emulator's Star ledger.
#[derive(Clone, Debug)]
pub(super) struct Charge {
    pub user: i64,
    pub charge: String,
    pub payload: String,
    pub amount: i64,
    pub refunded: bool,
}

/// Every incoming payment in the Star ledger, oldest first.
pub(super) fn charges(emulator: &Emulator) -> Vec<Charge> {
    emulator
        .transactions()
        .iter()
        .filter_map(|transaction| {
            let source = transaction.get("source")?;
            let charge = transaction["id"].as_str()?.to_owned();
            Some(Charge {
                user: source["user"]["id"].as_i64()?,
                payload: source["invoice_payload"].as_str().unwrap_or_default().to_owned(),
                amount: transaction["amount"].as_i64()?,
                refunded: emulator.is_refunded(&charge),
                charge,
            })
        })
        .collect()
}

/// One payment hash in Redis (`{p:<user>}:pay:<charge>`).
pub(super) struct Record {
    pub user: i64,
    pub charge: String,
    pub fields: HashMap<String, String>,
}

pub(super) async fn records(app: &TestApp) -> Vec<Record> {
    let mut redis = app.redis().await;
    let keys: Vec<String> = read(&mut redis, redis::cmd("KEYS").arg("{p:*}:pay:*")).await;
    let mut found = Vec::new();
    for key in keys {
        let Some((tag, charge)) = key.split_once(":pay:") else { continue };
        let Ok(user) = tag.trim_start_matches("{p:").trim_end_matches('}').parse() else { continue };
        let fields: HashMap<String, String> = read(&mut redis, redis::cmd("HGETALL").arg(&key)).await;
        found.push(Record { user, charge: charge.to_owned(), fields });
    }
    found
}

fn test_catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/game_data");
    starmine::game_data::load_dir(&dir).unwrap_or_else(|_| panic!("the test catalog loads"))
}

/// `item=qty,...` sorted, for comparing grants and revocations.
fn normalized(units: &str) -> Vec<String> {
    let mut units: Vec<String> = units.split(',').filter(|unit| !unit.is_empty()).map(str::to_owned).collect();
    units.sort();
    units
}

/// Every invariant of DESIGN.md's money path, checked against the emulator's Star ledger;
/// returns the violations.
pub(super) async fn check_books(app: &TestApp) -> Vec<String> {
    let catalog = test_catalog();
    let mut problems = Vec::new();
    let ledger = charges(&app.emulator);
    let all_records = records(app).await;
    let mut redis = app.redis().await;

    // The Star balance is what was paid and not refunded.
    let kept: i64 = ledger.iter().filter(|charge| !charge.refunded).map(|charge| charge.amount).sum();
    let balance = app.emulator.star_balance();
    if balance != kept {
        problems.push(format!("emulator star_balance {balance} != paid-and-not-refunded {kept}"));
    }

    // Every charge is recorded exactly once, under its payer; no record without a charge.
    let mut owners: HashMap<&str, Vec<i64>> = HashMap::new();
    for record in &all_records {
        owners.entry(record.charge.as_str()).or_default().push(record.user);
    }
    for charge in &ledger {
        let holders = owners.get(charge.charge.as_str()).cloned().unwrap_or_default();
        if holders != [charge.user] {
            problems.push(format!("charge {} of {} is recorded under {holders:?}", charge.charge, charge.user));
        }
    }
    // A record without a charge in the ledger is a made-up charge id: voided, its grant taken back.
    for record in &all_records {
        if ledger.iter().any(|charge| charge.charge == record.charge) {
            continue;
        }
        let field = |name: &str| record.fields.get(name).map(String::as_str).unwrap_or_default();
        let taken_back = field("counted") != "1"
            || (normalized(field("revoked")) == normalized(field("grants")) && field("shortfall").is_empty());
        if field("status") != "voided" || !taken_back {
            problems.push(format!(
                "record {} of {} has no charge in the Star ledger and was not voided: {:?}",
                record.charge, record.user, record.fields
            ));
        }
    }

    // Per player, through `starmine player`: status, amounts, inventory and gems.
    let mut paid_units: BTreeMap<(String, i64), u64> = BTreeMap::new();
    let mut kept_in_records = 0;
    let mut users: Vec<i64> = PLAYERS.to_vec();
    users.extend(ledger.iter().map(|charge| charge.user));
    users.sort_unstable();
    users.dedup();
    for user in users {
        let view = player(app, user).await;
        let payments = view["payments"].as_array().cloned().unwrap_or_default();
        let mut expected_inventory: BTreeMap<String, u64> = BTreeMap::new();
        let mut expected_gems = 0;
        for charge in ledger.iter().filter(|charge| charge.user == user) {
            let listed: Vec<&Value> =
                payments.iter().filter(|payment| payment["telegram_payment_charge_id"] == charge.charge).collect();
            let [payment] = listed.as_slice() else {
                problems.push(format!("charge {} is listed {} times for {user}", charge.charge, listed.len()));
                continue;
            };
            let status = payment["status"].as_str().unwrap_or_default();
            let expected = if charge.refunded { "refunded" } else { "paid" };
            if status != expected {
                let record = all_records.iter().find(|record| record.charge == charge.charge);
                problems.push(format!(
                    "charge {} of {user}: `{status}` in our records, `{expected}` in the Star ledger; record {:?}",
                    charge.charge,
                    record.map(|record| &record.fields)
                ));
            }
            if payment["amount"].as_i64() != Some(charge.amount) {
                problems.push(format!("charge {}: amount {} != {}", charge.charge, payment["amount"], charge.amount));
            }
            if status != "paid" {
                continue;
            }
            kept_in_records += charge.amount;
            let item_id = payment["item_id"].as_str().unwrap_or_default();
            let qty = payment["quantity"].as_u64().unwrap_or(1);
            *paid_units.entry((item_id.to_owned(), user)).or_default() += qty;
            let Some(item) = catalog.find(item_id) else {
                problems.push(format!("charge {} was granted `{item_id}`, not in the catalog", charge.charge));
                continue;
            };
            let grant = catalog.grants(item);
            for (unit, count) in &grant.units {
                *expected_inventory.entry(unit.to_string()).or_default() += u64::from(*count) * qty;
            }
            expected_gems += grant.gems * qty;
        }
        let inventory: BTreeMap<String, u64> = serde_json::from_value(view["inventory"].clone()).unwrap_or_default();
        if inventory != expected_inventory {
            problems.push(format!(
                "{user} holds {inventory:?}, paid-and-not-refunded purchases grant {expected_inventory:?}"
            ));
        }
        if view["gems"].as_u64() != Some(expected_gems) {
            problems.push(format!("{user} has {} gems, purchases grant {expected_gems}", view["gems"]));
        }
        problems.extend(check_player_ledger(&mut redis, user, &all_records).await);
    }
    if kept_in_records != balance {
        problems.push(format!("paid records total {kept_in_records} stars, the bot's Star balance is {balance}"));
    }

    // Per item: sold and owned counts are exactly the paid units; stock and limits hold; the
    // item side of each charge agrees with the player side (sold, released, or never counted).
    for item in catalog.items() {
        let id = item.id.to_string();
        let sides: HashMap<String, String> =
            read(&mut redis, redis::cmd("HGETALL").arg(format!("{{i:{id}}}:charges"))).await;
        for record in all_records.iter().filter(|record| record.fields.get("item") == Some(&id)) {
            let field = |name: &str| record.fields.get(name).map(String::as_str).unwrap_or_default();
            let side = sides.get(&record.charge).map(String::as_str).unwrap_or("absent");
            let verdict = side.split('|').next().unwrap_or_default();
            let expected = match (field("status"), field("counted")) {
                ("paid", _) => "granted",
                (_, "1") => "released",
                _ => "refund",
            };
            if verdict != expected {
                problems.push(format!(
                    "{} of {} ({} {}, counted {}): item side `{side}`, expected `{expected}`",
                    record.charge,
                    record.user,
                    field("status"),
                    id,
                    field("counted")
                ));
            }
        }
        let sold: Option<i64> = read(&mut redis, redis::cmd("GET").arg(format!("{{i:{id}}}:sold"))).await;
        let sold = sold.unwrap_or(0);
        let expected: u64 = paid_units.iter().filter(|((unit, _), _)| *unit == id).map(|(_, qty)| qty).sum();
        if sold != expected as i64 {
            problems.push(format!("{id}: sold {sold}, paid-and-not-refunded units {expected}"));
        }
        problems.extend(check_money(&mut redis, &id, sold, &ledger).await);
        if let Some(stock) = item.stock {
            if sold > i64::from(stock) {
                problems.push(format!("{id}: sold {sold} > stock {stock}"));
            }
        }
        let owned: HashMap<String, i64> =
            read(&mut redis, redis::cmd("HGETALL").arg(format!("{{i:{id}}}:owned"))).await;
        for user in PLAYERS {
            let have = owned.get(&user.to_string()).copied().unwrap_or(0);
            let paid = paid_units.get(&(id.clone(), user)).copied().unwrap_or(0) as i64;
            if have != paid {
                problems.push(format!("{id}: owned[{user}] = {have}, paid-and-not-refunded {paid}"));
            }
            let limit = if item.is_permanent() { Some(1) } else { item.max_per_player.map(i64::from) };
            if limit.is_some_and(|limit| have > limit) {
                problems.push(format!("{id}: {user} owns {have}, over the limit {limit:?}"));
            }
        }
    }
    problems.extend(check_no_negatives(&mut redis).await);
    problems.extend(audit_problems(app).await);
    problems
}

/// `starmine audit`: the books re-derived from the ledgers, the items' charge records and the
/// Star ledger; every discrepancy it reports is a problem.
async fn audit_problems(app: &TestApp) -> Vec<String> {
    let (code, report) = crate::audit::audit_with(app, &[]).await;
    let found = report["discrepancies"].as_array().cloned().unwrap_or_default();
    let mut problems: Vec<String> =
        found.iter().map(|found| format!("audit: {}", found["message"].as_str().unwrap_or_default())).collect();
    if code != 0 || report["balanced"] != true {
        problems.push(format!("starmine audit exited {code}: {report}"));
    }
    problems
}

/// The player's append-only ledger: one grant per charge, one revocation net of restores per
/// refund, and a refund revokes exactly what the purchase granted.
async fn check_player_ledger(redis: &mut MultiplexedConnection, user: i64, records: &[Record]) -> Vec<String> {
    let mut problems = Vec::new();
    let entries: Vec<String> =
        read(redis, redis::cmd("LRANGE").arg(format!("{{p:{user}}}:ledger")).arg(0).arg(-1)).await;
    let mut events: HashMap<(String, String), i64> = HashMap::new();
    for entry in &entries {
        let entry: Value =
            serde_json::from_str(entry).unwrap_or_else(|_| panic!("{user}'s ledger entry is JSON: {entry}"));
        let charge = entry["charge"].as_str().unwrap_or_default().to_owned();
        let event = entry["event"].as_str().unwrap_or_default().to_owned();
        *events.entry((charge, event)).or_default() += 1;
    }
    let count = |charge: &str, event: &str| events.get(&(charge.to_owned(), event.to_owned())).copied().unwrap_or(0);
    for record in records.iter().filter(|record| record.user == user) {
        let charge = record.charge.as_str();
        let field = |name: &str| record.fields.get(name).map(String::as_str).unwrap_or_default();
        let (grants, unfulfillable) = (count(charge, "grant"), count(charge, "unfulfillable"));
        if grants + unfulfillable != 1 {
            problems.push(format!("{charge}: {grants} grant and {unfulfillable} unfulfillable entries, expected one"));
        }
        let revokes = count(charge, "revoke") - count(charge, "restore");
        let refunded = field("status") == "refunded";
        let voided = field("status") == "voided";
        let expected_revokes = i64::from((refunded || voided) && field("counted") == "1");
        if revokes != expected_revokes {
            problems.push(format!(
                "{charge} ({}): net revocations {revokes}, expected {expected_revokes}",
                field("status")
            ));
        }
        if count(charge, "refunded") != i64::from(refunded) {
            problems.push(format!(
                "{charge}: {} refunded entries, status `{}`",
                count(charge, "refunded"),
                field("status")
            ));
        }
        if count(charge, "voided") != i64::from(voided) {
            problems.push(format!(
                "{charge}: {} voided entries, status `{}`",
                count(charge, "voided"),
                field("status")
            ));
        }
        let revoked_all = normalized(field("revoked")) == normalized(field("grants")) && field("shortfall").is_empty();
        if refunded && field("counted") == "1" && !revoked_all {
            problems.push(format!(
                "{charge}: granted `{}`, revoked `{}` (shortfall `{}`)",
                field("grants"),
                field("revoked"),
                field("shortfall")
            ));
        }
    }
    problems
}

/// The item's money counters, summed over every day, against the Star ledger's payments and
/// refunds of the item its payloads name, and its sold count.
async fn check_money(redis: &mut MultiplexedConnection, id: &str, sold: i64, ledger: &[Charge]) -> Vec<String> {
    let fields: HashMap<String, i64> = read(redis, redis::cmd("HGETALL").arg(format!("{{i:{id}}}:money"))).await;
    let mut figures: HashMap<&str, i64> = HashMap::new();
    for (field, count) in &fields {
        let figure = field.split_once(':').map_or(field.as_str(), |(_, figure)| figure);
        *figures.entry(figure).or_default() += count;
    }
    let figure = |name: &str| figures.get(name).copied().unwrap_or(0);
    let of_item: Vec<&Charge> = ledger.iter().filter(|charge| charge.payload.split('.').next() == Some(id)).collect();
    let paid: i64 = of_item.iter().map(|charge| charge.amount).sum();
    let refunded: i64 = of_item.iter().filter(|charge| charge.refunded).map(|charge| charge.amount).sum();
    let counted = (figure("stars") - figure("voided_stars"), figure("refunded_stars"));
    let units = figure("sold") - figure("refunded") - figure("voided");
    let mut problems = Vec::new();
    if counted != (paid, refunded) {
        problems.push(format!(
            "{id}: the money counters say {counted:?} stars received and refunded, the Star ledger ({paid}, {refunded}): {fields:?}"
        ));
    }
    if units != sold {
        problems.push(format!("{id}: the money counters say {units} units sold and kept, the sold count {sold}"));
    }
    problems
}

/// No count anywhere in Redis below zero: inventories, gems and energy, owned and sold counts.
async fn check_no_negatives(redis: &mut MultiplexedConnection) -> Vec<String> {
    let mut problems = Vec::new();
    let keys: Vec<String> = read(redis, redis::cmd("KEYS").arg("*")).await;
    for key in keys {
        if key.ends_with(":sold") {
            let sold: Option<i64> = read(redis, redis::cmd("GET").arg(&key)).await;
            let sold = sold.unwrap_or(0);
            if sold < 0 {
                problems.push(format!("{key} = {sold}"));
            }
        } else if key.ends_with(":inv") || key.ends_with(":owned") || key.ends_with(":state") {
            let fields: HashMap<String, String> = read(redis, redis::cmd("HGETALL").arg(&key)).await;
            for (field, value) in fields {
                if value.parse::<f64>().is_ok_and(|number| number < 0.0) {
                    problems.push(format!("{key} {field} = {value}"));
                }
            }
        }
    }
    problems
}
