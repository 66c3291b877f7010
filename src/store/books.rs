//! The audit's reads (see `domain::books`): every player and item the keyspace holds (SCAN on
//! every master), one consistent snapshot of a player's slot or an item's slot (read-only
//! scripts), and the opening of the books of a player from before them (`audit_open.lua`).
//! Ledger lines (the scripts' `log(...)` JSON) and charge records become domain types here.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::keys::{ItemKeys, PlayerKeys};
use super::{Store, StoreError, StoreResult};
use crate::domain::books::{
    ItemBooks, ItemCharge, ItemSide, LedgerEntry, PayStatus, Payment, PlayerBooks, Since, Units,
};
use crate::domain::GEMS_UNIT;
use crate::domain::{ItemId, UserId};

/// Who and what the keyspace holds records of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Population {
    /// Each player with any record, and the charges of the payment records found by key (the
    /// snapshot also reads those the player's payment index names).
    pub players: BTreeMap<UserId, BTreeSet<String>>,
    /// Each item with a sold count, owned counts or charge records.
    pub items: BTreeSet<String>,
}

impl Population {
    /// Sorts one key of the `{p:*}` and `{i:*}` families into the population.
    fn add_key(&mut self, key: &str) {
        if let Some(rest) = key.strip_prefix("{p:") {
            let Some((user, field)) = rest.split_once("}:") else { return };
            let Ok(user) = user.parse() else { return };
            let charge = field.strip_prefix("pay:");
            if charge.is_none() && !matches!(field, "state" | "inv" | "ledger" | "payments") {
                return;
            }
            let charges = self.players.entry(UserId(user)).or_default();
            charges.extend(charge.map(str::to_owned));
        } else if let Some(rest) = key.strip_prefix("{i:") {
            let Some((item, field)) = rest.split_once("}:") else { return };
            if matches!(field, "sold" | "owned" | "charges") {
                self.items.insert(item.to_owned());
            }
        }
    }
}

impl Store {
    /// Every player and item with records, by one SCAN over each master.
    pub async fn books_population(&self) -> StoreResult<Population> {
        let mut population = Population::default();
        for key in self.conn.scan_match("{[pi]:*").await? {
            population.add_key(&key);
        }
        Ok(population)
    }

    /// One player's inventory, state, ledger and payment records in one consistent read.
    /// `charges`: payment records found by key, read even if the payment index lacks them.
    pub async fn player_books(&self, user: UserId, charges: &BTreeSet<String>) -> StoreResult<PlayerBooks> {
        let keys = PlayerKeys::new(user);
        let payment_prefix = keys.payment_prefix();
        let mut invocation = self.scripts.audit_player.prepare_invoke();
        invocation.key(keys.inventory()).key(keys.state()).key(keys.ledger()).key(keys.payments());
        invocation.arg(&payment_prefix);
        for charge in charges {
            invocation.arg(charge);
        }
        type Reply = (Vec<String>, Vec<String>, Vec<String>, Vec<(String, Vec<String>)>);
        let (inventory, state, ledger, payments): Reply = invocation.invoke_async(&mut self.conn()).await?;
        let state = pairs(state);
        let number = |field: &str| state.get(field).and_then(|value| value.parse().ok()).unwrap_or(0);
        let since = match state.get("audit_since").map(|since| since.parse::<i64>()) {
            Some(Ok(0)) => Since::Start,
            Some(Ok(at)) => Since::Opening(at),
            Some(Err(_)) | None if state.contains_key("ver") => Since::Unopened,
            Some(Err(_)) | None => Since::Start,
        };
        let levels = state
            .iter()
            .filter(|(field, _)| field.starts_with("lvl:") || field.starts_with("cos:"))
            .map(|(field, value)| (field.clone(), value.parse().unwrap_or(0)))
            .collect();
        Ok(PlayerBooks {
            user,
            inventory: pairs(inventory).into_iter().map(|(item, qty)| (item, qty.parse().unwrap_or(0))).collect(),
            gems: number("gems"),
            mined: number("mined"),
            levels,
            since,
            ledger: ledger.iter().enumerate().map(|(index, line)| ledger_entry(index, line)).collect(),
            payments: payments
                .into_iter()
                .filter(|(_, fields)| !fields.is_empty())
                .map(|(charge, fields)| payment(charge, pairs(fields)))
                .collect(),
        })
    }

    /// One item's sold count, owned counts and charge records in one consistent read.
    pub async fn item_books(&self, item: &str) -> StoreResult<ItemBooks> {
        let Ok(id) = ItemId::parse(item) else {
            // Not an id we could have stored anything under.
            return Ok(ItemBooks { item: item.to_owned(), ..ItemBooks::default() });
        };
        let keys = ItemKeys::new(&id);
        let (sold, owned, charges): (String, Vec<String>, Vec<String>) = self
            .scripts
            .audit_item
            .key(keys.sold())
            .key(keys.owned())
            .key(keys.charges())
            .invoke_async(&mut self.conn())
            .await?;
        let owned = pairs(owned)
            .into_iter()
            .filter_map(|(user, units)| Some((UserId(user.parse().ok()?), units.parse().unwrap_or(0))))
            .collect();
        let charges = pairs(charges).into_iter().map(|(charge, record)| item_charge(charge, &record)).collect();
        Ok(ItemBooks { item: item.to_owned(), sold: sold.parse().unwrap_or(0), owned, charges })
    }

    /// Opens the books of a player from before them (an `opening` line with their balances
    /// now); nothing for one already marked. Returns whether it opened them now.
    pub async fn open_books(&self, user: UserId, now_ms: i64) -> StoreResult<bool> {
        let keys = PlayerKeys::new(user);
        let since: String = self
            .scripts
            .audit_open
            .key(keys.inventory())
            .key(keys.state())
            .key(keys.ledger())
            .arg(now_ms)
            .invoke_async(&mut self.conn())
            .await?;
        match since.parse::<i64>() {
            Ok(at) => Ok(at == now_ms),
            Err(_) if since.is_empty() => Ok(false),
            Err(_) => Err(StoreError::Protocol(format!("audit_open: `{since}`"))),
        }
    }
}

/// A flat `field, value, ...` reply as a map.
fn pairs(flat: Vec<String>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let mut flat = flat.into_iter();
    while let (Some(field), Some(value)) = (flat.next(), flat.next()) {
        map.insert(field, value);
    }
    map
}

fn payment(charge: String, mut fields: HashMap<String, String>) -> Payment {
    let mut take = |field: &str| fields.remove(field).unwrap_or_default();
    Payment {
        item: take("item"),
        qty: take("qty").parse().unwrap_or(0),
        amount: take("amount").parse().unwrap_or(0),
        status: PayStatus::parse(&take("status")),
        counted: take("counted") == "1",
        paid_at_ms: take("paid_at").parse().unwrap_or(0),
        payer: take("payer").parse().ok().map(UserId),
        charge,
    }
}

/// `granted||<qty>|<amount>|<payer>`, `released||...` or `refund|<reason>|...`, each with
/// `|<recipient>` after the payer for a gift.
fn item_charge(charge: String, record: &str) -> ItemCharge {
    let parts: Vec<&str> = record.split('|').collect();
    let unreadable = |charge: String| ItemCharge {
        charge,
        side: ItemSide::Unreadable(record.to_owned()),
        qty: 0,
        amount: 0,
        payer: None,
        holder: None,
    };
    let (verdict, qty, amount, payer, holder) = match parts.as_slice() {
        [verdict, _detail, qty, amount, payer] => (verdict, qty, amount, payer, None),
        [verdict, _detail, qty, amount, payer, holder] => {
            (verdict, qty, amount, payer, holder.parse().ok().map(UserId))
        }
        _ => return unreadable(charge),
    };
    let side = match *verdict {
        "granted" => ItemSide::Granted,
        "released" => ItemSide::Released,
        "refund" => ItemSide::Refund,
        _ => return unreadable(charge),
    };
    let (Ok(qty), Ok(amount)) = (qty.parse(), amount.parse()) else { return unreadable(charge) };
    ItemCharge { charge, side, qty, amount, payer: payer.parse().ok().map(UserId), holder }
}

/// `item=qty,@gems=n,...` (see `player_lib.lua`'s `units`) as items and gems; None when a part
/// is not a unit the audit knows.
fn units(text: &str) -> Option<Units> {
    let mut units = Units::default();
    for part in text.split(',').filter(|part| !part.is_empty()) {
        let (unit, qty) = part.split_once('=')?;
        let qty: i64 = qty.parse().ok()?;
        match unit {
            GEMS_UNIT => units.gems += qty,
            _ if unit.starts_with('@') => return None,
            _ => *units.items.entry(unit.to_owned()).or_default() += qty,
        }
    }
    Some(units)
}

/// `lvl:<track>=<level>,cos:<id>=1,...`.
fn levels(text: &str) -> Option<BTreeMap<String, u32>> {
    let parts = text.split(',').filter(|part| !part.is_empty());
    parts
        .map(|part| part.split_once('=').and_then(|(field, level)| Some((field.to_owned(), level.parse().ok()?))))
        .collect()
}

/// A JSON number or a string of digits (cjson writes large numbers as floats).
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| number.as_f64().map(|float| float as i64)),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

/// One ledger line by what it does; a line the audit cannot read is kept as such.
fn ledger_entry(index: usize, line: &str) -> LedgerEntry {
    let unreadable = || LedgerEntry::Unreadable { index, text: line.to_owned() };
    let Ok(Value::Object(entry)) = serde_json::from_str::<Value>(line) else { return unreadable() };
    let text = |field: &str| entry.get(field).and_then(Value::as_str).map(str::to_owned);
    let number = |field: &str| entry.get(field).and_then(integer);
    let charge = text("charge");
    let units_of = |field: &str| units(&text(field).unwrap_or_default());
    let read = match entry.get("event").and_then(Value::as_str).unwrap_or_default() {
        "grant" => charge.zip(units_of("units")).map(|(charge, units)| LedgerEntry::Grant { charge, units }),
        "unfulfillable" => charge.map(|charge| LedgerEntry::Unfulfillable { charge }),
        "revoke" => charge.zip(units_of("units")).map(|(charge, units)| LedgerEntry::Revoke { charge, units }),
        "restore" => charge.zip(units_of("units")).map(|(charge, units)| LedgerEntry::Restore { charge, units }),
        "refunded" => charge.map(|charge| LedgerEntry::Refunded { charge }),
        "voided" => charge.map(|charge| LedgerEntry::Voided { charge }),
        // Lines from before `use` named its units took one unit of `item`.
        "use" => match text("units") {
            Some(taken) => units(&taken),
            None => text("item").map(|item| Units { items: BTreeMap::from([(item, 1)]), gems: 0 }),
        }
        .map(|units| LedgerEntry::Use { units }),
        "gem_purchase" => match (text("field"), number("level"), number("gems")) {
            (Some(field), Some(level), Some(gems)) => {
                u32::try_from(level).ok().map(|level| LedgerEntry::GemPurchase { field, level, gems })
            }
            _ => None,
        },
        "run" => number("awarded").map(|awarded| LedgerEntry::Run { awarded }),
        "pass_gems" => number("gems").map(|gems| LedgerEntry::PassGems { gems }),
        "opening" => match (units_of("units"), number("mined"), levels(&text("levels").unwrap_or_default())) {
            (Some(units), Some(mined), Some(levels)) => Some(LedgerEntry::Opening { units, mined, levels }),
            _ => None,
        },
        "impossible_score" => Some(LedgerEntry::Note),
        _ => None,
    };
    read.unwrap_or_else(unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expected: LedgerEntry) {
        assert_eq!(ledger_entry(3, line), expected, "{line}");
    }

    #[test]
    fn ledger_lines_as_the_scripts_write_them() {
        let pickaxe = Units { items: BTreeMap::from([("pickaxe".into(), 1)]), gems: 0 };
        let starter = Units { items: BTreeMap::from([("energy".into(), 3)]), gems: 50 };
        check(
            r#"{"event":"grant","charge":"c1","item":"pickaxe","amount":50,"units":"pickaxe=1","at":1}"#,
            LedgerEntry::Grant { charge: "c1".into(), units: pickaxe.clone() },
        );
        check(
            r#"{"event":"revoke","charge":"c2","by":"player","units":"energy=3,@gems=50","shortfall":"","at":1}"#,
            LedgerEntry::Revoke { charge: "c2".into(), units: starter },
        );
        check(
            r#"{"event":"restore","charge":"c3","units":"","note":"x","at":1}"#,
            LedgerEntry::Restore { charge: "c3".into(), units: Units::default() },
        );
        check(r#"{"event":"use","item":"pickaxe","at":1}"#, LedgerEntry::Use { units: pickaxe.clone() });
        check(r#"{"event":"use","item":"pickaxe","units":"pickaxe=1","at":1}"#, LedgerEntry::Use { units: pickaxe });
        check(
            r#"{"event":"gem_purchase","field":"lvl:sharp","level":2,"gems":-100,"at":1}"#,
            LedgerEntry::GemPurchase { field: "lvl:sharp".into(), level: 2, gems: -100 },
        );
        check(r#"{"event":"run","score":300,"awarded":30,"earned":30,"at":1}"#, LedgerEntry::Run { awarded: 30 });
        check(r#"{"event":"pass_gems","pass":"miners_pass","gems":50,"at":1}"#, LedgerEntry::PassGems { gems: 50 });
        check(
            r#"{"event":"opening","units":"energy=2,@gems=7","mined":"12","levels":"cos:gold=1,lvl:sharp=3","at":1}"#,
            LedgerEntry::Opening {
                units: Units { items: BTreeMap::from([("energy".into(), 2)]), gems: 7 },
                mined: 12,
                levels: BTreeMap::from([("cos:gold".into(), 1), ("lvl:sharp".into(), 3)]),
            },
        );
        check(
            r#"{"event":"voided","charge":"c4","amount":5,"note":"x","at":1}"#,
            LedgerEntry::Voided { charge: "c4".into() },
        );
        check(r#"{"event":"impossible_score","score":9,"max":1,"at":1}"#, LedgerEntry::Note);
        for broken in [r#"{"event":"grant","units":"pickaxe=1"}"#, r#"{"event":"mint","gems":5}"#, "not json"] {
            check(broken, LedgerEntry::Unreadable { index: 3, text: broken.into() });
        }
    }

    #[test]
    fn charge_records_as_the_item_scripts_write_them() {
        let read = |record: &str| item_charge("c".into(), record);
        assert_eq!(read("granted||2|14|42").side, ItemSide::Granted);
        assert_eq!((read("granted||2|14|42").qty, read("granted||2|14|42").payer), (2, Some(UserId(42))));
        assert_eq!(read("released||1|7|42").side, ItemSide::Released);
        assert_eq!(read("refund|sold_out|1|7|42").side, ItemSide::Refund);
        assert_eq!(read("granted|1|7").side, ItemSide::Unreadable("granted|1|7".into()));
    }

    #[test]
    fn the_population_comes_from_record_keys() {
        let mut population = Population::default();
        for key in ["{p:7}:state", "{p:8}:pay:stx1", "{p:9}:actions", "{i:rare}:sold", "{i:crate}:o:tok", "{p:x}:inv"] {
            population.add_key(key);
        }
        let players: Vec<(u64, Vec<String>)> =
            population.players.iter().map(|(user, charges)| (user.0, charges.iter().cloned().collect())).collect();
        assert_eq!(players, [(7, vec![]), (8, vec!["stx1".to_owned()])]);
        assert_eq!(population.items.iter().collect::<Vec<_>>(), ["rare"]);
    }
}
