//! `loot.toml`: the zones of the mine by depth and what a dig in each can find, read into a
//! validated [`LootTable`].

use std::collections::HashMap;

use toml::de::DeTable;

use super::source::FileCheck;
use super::table::{in_range, is_empty_list, tables_of, Field, TableReader};
use super::translations::{self, Texts, Translations};
use crate::domain::{Drop, LootTable, Zone};

/// `ru`, `fa`: `[zones.<lang>]` and `[zones.drops.<lang>]`, the name in a shipped language
/// (`translations.rs`).
const ZONE_KEYS: &[&str] = &["id", "name", "from_depth", "drops", "ru", "fa"];
const DROP_KEYS: &[&str] = &["id", "name", "gems", "weight", "rare", "ru", "fa"];

/// How `[zones.<lang>]` is checked: a name, as the English one is.
const ZONE_TEXTS: Texts<'static> = Texts {
    table: "zones",
    what: "zone",
    keys: translations::NAME_KEYS,
    name: &translated_name,
    description: &translated_name,
};
/// How `[zones.drops.<lang>]` is checked.
const DROP_TEXTS: Texts<'static> = Texts { table: "zones.drops", what: "drop", ..ZONE_TEXTS };

const NO_ZONES: &str = "no zones: add at least one `[[zones]]` table";
const NO_DROPS: &str = "a zone needs at least one drop: add a `[[zones.drops]]` table";
/// Zone and drop names are shown in chat after each dig: one short line.
const NAME_MAX_CHARS: usize = 32;
const ID_MAX_BYTES: usize = 32;
/// The deepest a zone may start; more is surely a typo.
const DEPTH_MAX: u32 = 1_000_000_000;
const GEMS_MAX: u32 = 1_000_000;
const WEIGHT_MAX: u32 = 1_000_000;

/// One `[[zones]]` table as written.
struct ZoneRow {
    id: Field<String>,
    name: Field<String>,
    from_depth: Field<u32>,
    /// `Given` with the drops that could be read, in file order.
    drops: Field<Vec<DropRow>>,
    names: Translations,
}

/// One `[[zones.drops]]` table (or inline table in `drops`) as written.
struct DropRow {
    id: Field<String>,
    name: Field<String>,
    gems: Field<u32>,
    weight: Field<u32>,
    rare: Field<bool>,
    names: Translations,
}

/// Checks `loot.toml` and returns the loot table, if every zone and drop in it could be read.
/// It is the catalog's only when no problem was reported in any file.
pub(super) fn check_loot(root: &DeTable<'_>, check: &mut FileCheck) -> Option<LootTable> {
    let top = TableReader::new(root, 0, !check.damaged(), &["zones"]);
    top.report_unknown_keys(check);
    let tables = match top.raw(check, "zones") {
        Field::Given { value, .. } => {
            let tables = tables_of(value, check, "zones", "`zones` must be `[[zones]]` tables")?;
            if is_empty_list(value.get_ref()) {
                check.report(value.span().start, NO_ZONES);
            }
            tables
        }
        Field::Absent if top.complete => {
            check.report(0, NO_ZONES);
            return None;
        }
        Field::Absent | Field::Invalid => return None,
    };
    let rows: Vec<ZoneRow> = tables
        .iter()
        .enumerate()
        .map(|(at, &(table, start))| {
            let end = tables.get(at + 1).map_or(check.len(), |&(_, next)| next);
            let reader = TableReader::new(table, start, check.trusted(start..end), ZONE_KEYS);
            read_zone(&reader, end, check)
        })
        .collect();
    check_between_zones(&rows, check);
    let zones: Option<Vec<Zone>> = rows.iter().map(build_zone).collect();
    zones.filter(|zones| !zones.is_empty()).map(LootTable::new)
}

/// Reads one zone whose text ends at byte `end`, and its drops.
fn read_zone(reader: &TableReader<'_, '_>, end: usize, check: &mut FileCheck) -> ZoneRow {
    translations::report_unknown_keys(reader, check, "zones");
    let id = reader.string(check, "id", |raw| loot_id("zone", raw));
    let names = read_names(reader, &id, &ZONE_TEXTS, check);
    let name = reader.string(check, "name", name);
    let from_depth = reader.integer(check, "from_depth", |depth| in_range("from_depth", depth, 0, DEPTH_MAX));
    let drops = read_drops(reader, end, check);
    ZoneRow {
        id: reader.require(check, "id", id),
        name: reader.require(check, "name", name),
        from_depth: reader.require(check, "from_depth", from_depth),
        drops,
        names,
    }
}

/// A zone's `drops`, at least one: `[[zones.drops]]` tables or an inline list of tables.
fn read_drops(reader: &TableReader<'_, '_>, end: usize, check: &mut FileCheck) -> Field<Vec<DropRow>> {
    let (value, at) = match reader.raw(check, "drops") {
        Field::Given { value, at } => (value, at),
        Field::Absent if reader.complete => {
            check.report(reader.at, NO_DROPS);
            return Field::Invalid;
        }
        Field::Absent => return Field::Absent,
        Field::Invalid => return Field::Invalid,
    };
    let not_a_list = "`drops` must be `[[zones.drops]]` tables";
    let Some(tables) = tables_of(value, check, "drops", not_a_list) else {
        return Field::Invalid;
    };
    if is_empty_list(value.get_ref()) {
        check.report(at, NO_DROPS);
    }
    let mut drops = Vec::new();
    for (n, &(table, start)) in tables.iter().enumerate() {
        let end = tables.get(n + 1).map_or(end, |&(_, next)| next);
        let reader = TableReader::new(table, start, check.trusted(start..end), DROP_KEYS);
        drops.push(read_drop(&reader, check));
    }
    Field::Given { value: drops, at }
}

fn read_drop(reader: &TableReader<'_, '_>, check: &mut FileCheck) -> DropRow {
    translations::report_unknown_keys(reader, check, "zones.drops");
    let id = reader.string(check, "id", |raw| loot_id("drop", raw));
    let names = read_names(reader, &id, &DROP_TEXTS, check);
    let name = reader.string(check, "name", name);
    let gems = reader.integer(check, "gems", |gems| in_range("gems", gems, 0, GEMS_MAX));
    let weight = reader.integer(check, "weight", |weight| in_range("weight", weight, 1, WEIGHT_MAX));
    DropRow {
        id: reader.require(check, "id", id),
        name: reader.require(check, "name", name),
        gems: reader.require(check, "gems", gems),
        weight: reader.require(check, "weight", weight),
        rare: reader.boolean(check, "rare"),
        names,
    }
}

/// A zone's or drop's names in the shipped languages, warning of each one missing.
fn read_names(
    reader: &TableReader<'_, '_>,
    id: &Field<String>,
    texts: &Texts<'_>,
    check: &mut FileCheck,
) -> Translations {
    let names = translations::read(reader, check, texts);
    if reader.complete {
        translations::warn_missing(&names, texts, (reader.at, id.value().map(String::as_str), false), check);
    }
    names
}

/// A zone or drop id: 1–32 bytes of `a-z`, `0-9` and `_`.
fn loot_id(what: &str, raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err(format!("{what} id must not be empty"));
    }
    if raw.len() > ID_MAX_BYTES {
        return Err(format!("{what} id `{raw}` is longer than {ID_MAX_BYTES} bytes"));
    }
    if let Some(bad) = raw.chars().find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '_')) {
        return Err(format!("{what} id `{raw}` contains `{bad}`; use only a-z, 0-9 and _"));
    }
    Ok(raw.to_owned())
}

/// A translated zone or drop name (`key` names where it is written), checked as [`name`].
fn translated_name(key: &str, raw: &str) -> Result<String, String> {
    name(raw).map_err(|problem| problem.replacen("`name`", &format!("`{key}`"), 1))
}

/// A zone or drop name: one line, not blank, at most [`NAME_MAX_CHARS`] characters.
fn name(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err("`name` must not be empty".into());
    }
    let chars = raw.chars().count();
    if chars > NAME_MAX_CHARS {
        return Err(format!("`name` is {chars} characters long; the most is {NAME_MAX_CHARS}"));
    }
    if raw.chars().any(char::is_control) {
        return Err("`name` must be one line of text".into());
    }
    Ok(raw.to_owned())
}

/// The rules between zones: unique ids and depths, the shallowest at depth 0, and unique drop
/// ids within each zone.
fn check_between_zones(rows: &[ZoneRow], check: &mut FileCheck) {
    unique(rows.iter().map(|row| &row.id), "zone id", check);
    let mut first_at: HashMap<u32, usize> = HashMap::new();
    for row in rows {
        let (Some(&depth), Some(at)) = (row.from_depth.value(), row.from_depth.at()) else {
            continue;
        };
        match first_at.get(&depth) {
            Some(&earlier) => {
                let line = check.line(earlier);
                let message = format!(
                    "two zones start at depth {depth}: the zone on line {line} already does; \
                     give each zone its own `from_depth`"
                );
                check.report(at, message);
            }
            None => {
                first_at.insert(depth, at);
            }
        }
    }
    // Only when every depth is known: a missing or broken one might be the 0.
    let all_known = rows.iter().all(|row| row.from_depth.is_given());
    if all_known && !check.damaged() {
        let shallowest = rows.iter().min_by_key(|row| row.from_depth.value());
        if let Some(row) = shallowest {
            if let (Some(&depth), Some(at)) = (row.from_depth.value(), row.from_depth.at()) {
                if depth > 0 {
                    let message = format!(
                        "the shallowest zone must start at depth 0 (from_depth = 0); \
                         this one starts at {depth}, so digs above it would find nothing"
                    );
                    check.report(at, message);
                }
            }
        }
    }
    for row in rows {
        if let Some(drops) = row.drops.value() {
            unique(drops.iter().map(|drop| &drop.id), "drop id", check);
        }
    }
}

/// Reports every id already used earlier in `ids`, pointing at the first.
fn unique<'a>(ids: impl Iterator<Item = &'a Field<String>>, what: &str, check: &mut FileCheck) {
    let mut first_at: HashMap<&str, usize> = HashMap::new();
    for field in ids {
        let (Some(id), Some(at)) = (field.value(), field.at()) else {
            continue;
        };
        match first_at.get(id.as_str()) {
            Some(&earlier) => {
                let line = check.line(earlier);
                let message = format!("duplicate {what} `{id}`; it is first defined on line {line}");
                check.report(at, message);
            }
            None => {
                first_at.insert(id, at);
            }
        }
    }
}

/// The zone built from a row, when it and all its drops could be read.
fn build_zone(row: &ZoneRow) -> Option<Zone> {
    let drops: Vec<Drop> = row.drops.value()?.iter().map(build_drop).collect::<Option<_>>()?;
    if drops.is_empty() {
        return None;
    }
    Some(Zone {
        id: row.id.value()?.clone(),
        name: row.name.value()?.clone(),
        names: row.names.names()?,
        from_depth: *row.from_depth.value()?,
        drops,
    })
}

fn build_drop(row: &DropRow) -> Option<Drop> {
    Some(Drop {
        id: row.id.value()?.clone(),
        name: row.name.value()?.clone(),
        names: row.names.names()?,
        gems: *row.gems.value()?,
        weight: *row.weight.value()?,
        rare: row.rare.optional()?.copied().unwrap_or(false),
    })
}
