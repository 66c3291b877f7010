//! Bundles: reading `contains = { item_id = quantity, ... }`, and the rules that a bundle holds
//! only plain consumables of the same catalog and that a bundle on sale sells none that is retired.

use std::collections::HashMap;

use toml::de::DeValue;

use super::{ItemRow, Kind};
use crate::domain::ItemId;
use crate::game_data::source::FileCheck;
use crate::game_data::table::{article, integer_value, Field, TableReader};

/// The most units of one item a bundle may grant.
const PART_MAX: i64 = 1_000;

/// One item a bundle grants, as written in its `contains`.
#[derive(Debug)]
pub(super) struct Part {
    pub id: ItemId,
    pub quantity: u32,
    /// Byte offset of the item id in `contains`.
    pub at: usize,
}

/// `contains = { item_id = quantity, ... }`, in file order. Wrong entries are reported and left
/// out, so that the rules between items still see the others.
pub(super) fn read_contains(reader: &TableReader<'_, '_>, check: &mut FileCheck) -> Field<Vec<Part>> {
    let (table, at) = match reader.table(check, "contains") {
        Field::Given { value, at } => (value, at),
        Field::Absent => return Field::Absent,
        Field::Invalid => return Field::Invalid,
    };
    if table.is_empty() {
        check.report(at, "`contains` is empty; list what the bundle grants, e.g. contains = { energy = 3 }");
        return Field::Invalid;
    }
    let mut parts = Vec::new();
    for (key, value) in table.iter() {
        if !check.trusted(key.span()) || !check.trusted(value.span()) {
            continue;
        }
        let name: &str = key.get_ref();
        let id =
            ItemId::parse(name).map_err(|message| check.report(key.span().start, format!("in `contains`: {message}")));
        let quantity = quantity(name, value.get_ref()).map_err(|message| check.report(value.span().start, message));
        if let (Ok(id), Ok(quantity)) = (id, quantity) {
            parts.push(Part { id, quantity, at: key.span().start });
        }
    }
    parts.sort_by_key(|part| part.at);
    Field::Given { value: parts, at }
}

/// How many units of `name` a bundle grants: 1 to [`PART_MAX`].
fn quantity(name: &str, value: &DeValue<'_>) -> Result<u32, String> {
    let Some(integer) = value.as_integer() else {
        let found = article(value.type_str());
        return Err(format!("the quantity of `{name}` in `contains` must be an integer, not {found}"));
    };
    integer_value(integer)
        .filter(|quantity| (1..=PART_MAX).contains(quantity))
        .and_then(|quantity| u32::try_from(quantity).ok())
        .ok_or_else(|| format!("the quantity of `{name}` in `contains` must be 1 to {PART_MAX}, got {integer}"))
}

/// Reports every part of a bundle that is unknown, not a plain consumable, or retired while the
/// bundle is on sale (it would still sell it). `first` maps each id to the row that defines it
/// first.
pub(super) fn check_bundles(rows: &[ItemRow], first: &HashMap<&ItemId, &ItemRow>, check: &mut FileCheck) {
    for row in rows.iter().filter(|row| row.kind() == Some(Kind::Bundle)) {
        for part in row.contains.value().into_iter().flatten() {
            let Some(inner) = first.get(&part.id) else {
                // After a syntax error the item may be in the part of the file that was lost.
                if !check.damaged() {
                    let message = format!("`contains` names unknown item `{}`", part.id);
                    check.report(part.at, message);
                }
                continue;
            };
            let why = match inner.kind() {
                Some(Kind::Permanent) => "is a permanent item",
                Some(Kind::Boost) => "is a boost",
                Some(Kind::Bundle) => "is a bundle",
                Some(Kind::Subscription) => "is a subscription",
                Some(Kind::Consumable) if inner.stock.is_given() => "has its own `stock`",
                Some(Kind::Consumable) if inner.max_per_player.is_given() => "has its own `max_per_player`",
                Some(Kind::Consumable) | None => {
                    if row.on_sale() && !inner.on_sale() {
                        let message = format!(
                            "`{}` is retired, so a bundle on sale may not grant it: take it out of `contains` \
                             or retire this bundle too (`retired = true`)",
                            part.id
                        );
                        check.report(part.at, message);
                    }
                    continue;
                }
            };
            let message = format!("`{}` {why}; a bundle may hold only plain consumables", part.id);
            check.report(part.at, message);
        }
    }
}
