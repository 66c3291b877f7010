//! `items.toml`: `[[items]]` tables read into rows, the rules for each item and between items,
//! and the validated [`Item`]s they become. Bundles and effects have their own modules.

use std::collections::HashMap;
use std::time::Duration;

use toml::de::{DeTable, DeValue};

mod bundles;
mod effects;
mod pass;

use super::source::FileCheck;
use super::table::{is_empty_list, tables_of, Field, TableReader};
use super::translations::{self, Texts, Translations};
use crate::domain::{Item, ItemId, ItemKind, Stars};
use bundles::Part;
use effects::EffectFields;

/// Every key an `[[items]]` table may have.
const ITEM_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "price_stars",
    "kind",
    "duration",
    "contains",
    "stock",
    "max_per_player",
    "energy",
    "gems",
    "yield_multiplier",
    "luck",
    "run_seconds",
    "score_multiplier",
    "skin",
    "retired",
    // A subscription's perks and refund rule (`pass.rs`).
    "energy_cap",
    "regen",
    "daily_gems",
    "refundable_use",
    // `[items.<lang>]`: the name and description in a shipped language (`../translations.rs`).
    "ru",
    "fa",
];

const NO_ITEMS: &str = "no items: add at least one `[[items]]` table";

/// How `[items.<lang>]` is checked: as the English name and description are.
const ITEM_TEXTS: Texts<'static> = Texts {
    table: "items",
    what: "item",
    keys: translations::TEXT_KEYS,
    name: &|key, raw| text(key, raw, NAME_MAX_CHARS, "title"),
    description: &|key, raw| text(key, raw, DESCRIPTION_MAX_CHARS, "description"),
};
/// The name is the invoice title, which Telegram limits to 32 characters.
const NAME_MAX_CHARS: usize = 32;
/// The description is the invoice description, which Telegram limits to 255 characters.
const DESCRIPTION_MAX_CHARS: usize = 255;
/// The most `stock` or `max_per_player` may be; more is surely a typo (leave the key out instead).
const COUNT_MAX: i64 = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Consumable,
    Permanent,
    Boost,
    Bundle,
    Subscription,
}

impl Kind {
    fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "consumable" => Ok(Self::Consumable),
            "permanent" => Ok(Self::Permanent),
            "boost" => Ok(Self::Boost),
            "bundle" => Ok(Self::Bundle),
            "subscription" => Ok(Self::Subscription),
            other => {
                Err(format!("unknown kind `{other}`; expected consumable, permanent, boost, bundle or subscription"))
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Consumable => "consumable",
            Self::Permanent => "permanent",
            Self::Boost => "boost",
            Self::Bundle => "bundle",
            Self::Subscription => "subscription",
        }
    }
}

/// One `[[items]]` table as written, each key read and checked on its own. A new optional key
/// is one more field here, one more name in [`ITEM_KEYS`], one more line in [`read_row`] and,
/// if it meets other keys, one more rule in [`check_row`]; a new effect goes in [`effects`].
#[derive(Debug)]
struct ItemRow {
    /// Byte offset of the table's header, where a missing key is reported.
    at: usize,
    complete: bool,
    id: Field<ItemId>,
    name: Field<String>,
    description: Field<String>,
    price: Field<Stars>,
    kind: Field<Kind>,
    duration: Field<Duration>,
    contains: Field<Vec<Part>>,
    stock: Field<u32>,
    max_per_player: Field<u32>,
    effects: EffectFields,
    pass: pass::PassFields,
    retired: Field<bool>,
    translations: Translations,
}

impl ItemRow {
    /// The kind, when it is known: written and valid, or surely left out (consumable).
    /// Whether the shop offers it: not retired (or not known to be).
    fn on_sale(&self) -> bool {
        !matches!(self.retired, Field::Given { value: true, .. })
    }

    fn kind(&self) -> Option<Kind> {
        match self.kind {
            Field::Given { value, .. } => Some(value),
            Field::Absent if self.complete => Some(Kind::Consumable),
            Field::Absent | Field::Invalid => None,
        }
    }
}

/// Checks `items.toml` and returns the items that passed. They are the catalog's items only
/// when no problem was reported in any file.
pub(super) fn check_items(root: &DeTable<'_>, check: &mut FileCheck) -> Vec<Item> {
    let top = TableReader::new(root, 0, !check.damaged(), &["items"]);
    top.report_unknown_keys(check);
    let tables = match top.raw(check, "items") {
        Field::Given { value, .. } => match item_tables(value, check) {
            Some(tables) => tables,
            None => return Vec::new(),
        },
        Field::Absent if top.complete => {
            check.report(0, NO_ITEMS);
            return Vec::new();
        }
        Field::Absent | Field::Invalid => return Vec::new(),
    };
    let rows: Vec<ItemRow> = tables
        .iter()
        .enumerate()
        .map(|(at, &(table, start))| {
            let end = tables.get(at + 1).map_or(check.len(), |&(_, next)| next);
            let reader = TableReader::new(table, start, check.trusted(start..end), ITEM_KEYS);
            read_row(&reader, check)
        })
        .collect();
    let items: Vec<Item> = rows.iter().filter_map(|row| check_row(row, check)).collect();
    check_between(&rows, check);
    items
}

/// The `[[items]]` tables with the byte offset of each header, in file order; `None` if
/// `items` is not a list of tables at all.
fn item_tables<'t, 'x>(
    value: &'t toml::Spanned<DeValue<'x>>,
    check: &mut FileCheck,
) -> Option<Vec<(&'t DeTable<'x>, usize)>> {
    let tables = tables_of(value, check, "items", "`items` must be `[[items]]` tables")?;
    if is_empty_list(value.get_ref()) {
        check.report(value.span().start, NO_ITEMS);
    }
    Some(tables)
}

fn read_row(reader: &TableReader<'_, '_>, check: &mut FileCheck) -> ItemRow {
    translations::report_unknown_keys(reader, check, "items");
    let id = reader.string(check, "id", ItemId::parse);
    let name = reader.string(check, "name", |raw| text("name", raw, NAME_MAX_CHARS, "title"));
    let description =
        reader.string(check, "description", |raw| text("description", raw, DESCRIPTION_MAX_CHARS, "description"));
    let price = reader.integer(check, "price_stars", |amount| {
        Stars::new(amount).map_err(|_| format!("`price_stars` must be 1 to {}, got {amount}", Stars::MAX))
    });
    ItemRow {
        at: reader.at,
        complete: reader.complete,
        id: reader.require(check, "id", id),
        name: reader.require(check, "name", name),
        description,
        price: reader.require(check, "price_stars", price),
        kind: reader.string(check, "kind", Kind::parse),
        duration: reader.duration(check, "duration"),
        contains: bundles::read_contains(reader, check),
        stock: reader.integer(check, "stock", |count| counted("stock", count, 0)),
        max_per_player: reader.integer(check, "max_per_player", |count| counted("max_per_player", count, 1)),
        effects: effects::read_effects(reader, check),
        pass: pass::read_pass(reader, check),
        retired: reader.boolean(check, "retired"),
        translations: translations::read(reader, check, &ITEM_TEXTS),
    }
}

/// A name or description: not blank, at most `max` characters (not bytes), no placeholder.
fn text(key: &str, raw: &str, max: usize, invoice_field: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err(format!("`{key}` must not be empty"));
    }
    if raw.contains(['{', '}']) {
        return Err(format!(
            "`{key}` has a placeholder or brace (`{{`, `}}`): item texts are shown exactly as written, so write the value itself"
        ));
    }
    let chars = raw.chars().count();
    if chars > max {
        return Err(format!(
            "`{key}` is {chars} characters long; the most is {max} (it is the invoice {invoice_field})"
        ));
    }
    if key.starts_with("name") && raw.chars().any(char::is_control) {
        return Err("`name` must be one line of text".into());
    }
    Ok(raw.to_owned())
}

/// A count from `min` (`stock = 0`: sold out) to [`COUNT_MAX`].
fn counted(key: &str, count: i64, min: i64) -> Result<u32, String> {
    if !(min..=COUNT_MAX).contains(&count) {
        let lowest = if min == 0 { "0 (sold out)".to_owned() } else { min.to_string() };
        return Err(format!("`{key}` must be {lowest} to {COUNT_MAX}, got {count} (leave it out for no limit)"));
    }
    u32::try_from(count).map_err(|_| format!("`{key}` is too large"))
}

/// The rules between the keys of one item. Returns the item built from the row when all its
/// keys could be read; it is used only if no problem was found anywhere.
fn check_row(row: &ItemRow, check: &mut FileCheck) -> Option<Item> {
    let kind = row.kind();
    let kind_name = kind.map_or("", Kind::name);
    if kind == Some(Kind::Boost) && matches!(row.duration, Field::Absent) && row.complete {
        check.report(row.at, "a boost needs `duration`, e.g. duration = \"1h\"");
    }
    if let (Some(kind), Some(at)) = (kind, row.duration.at()) {
        if kind != Kind::Boost {
            check.report(at, format!("`duration` is only for boosts; this item is a {kind_name}"));
        }
    }
    if kind == Some(Kind::Bundle) && matches!(row.contains, Field::Absent) && row.complete {
        check.report(row.at, "a bundle needs `contains`, e.g. contains = { energy = 3 }");
    }
    if let (Some(kind), Some(at)) = (kind, row.contains.at()) {
        if kind != Kind::Bundle {
            check.report(at, format!("`contains` is only for bundles; this item is a {kind_name}"));
        }
    }
    if let (Some(Kind::Permanent), Field::Given { value: max, at }) = (kind, &row.max_per_player) {
        if *max > 1 {
            let message = format!("a player owns a permanent item at most once: `max_per_player` must be 1, got {max}");
            check.report(*at, message);
        }
    }
    effects::check_effects(&row.effects, kind, check);
    pass::check_pass(row, kind, check);
    if row.complete {
        let id = row.id.value().map(ItemId::as_str);
        translations::warn_missing(&row.translations, &ITEM_TEXTS, (row.at, id, row.description.is_given()), check);
    }

    let name = row.name.value()?.clone();
    let description = row.description.optional()?.unwrap_or(&name).clone();
    let kind = match kind? {
        Kind::Consumable => ItemKind::Consumable,
        Kind::Permanent => ItemKind::Permanent,
        Kind::Boost => ItemKind::Boost { duration: *row.duration.value()? },
        Kind::Bundle => {
            let parts = row.contains.value()?.iter();
            ItemKind::Bundle { contains: parts.map(|part| (part.id.clone(), part.quantity)).collect() }
        }
        Kind::Subscription => {
            let (perks, refundable_use) = pass::perks(&row.pass)?;
            ItemKind::Subscription { perks, refundable_use }
        }
    };
    Some(Item {
        id: row.id.value()?.clone(),
        name,
        description,
        price: *row.price.value()?,
        kind,
        stock: row.stock.optional()?.copied(),
        max_per_player: row.max_per_player.optional()?.copied(),
        effects: effects::effects(&row.effects)?,
        retired: row.retired.optional()?.copied().unwrap_or(false),
        translations: row.translations.texts()?,
    })
}

/// The rules between items: unique ids, and bundles that grant only plain consumables, none
/// of them retired while the bundle is on sale.
fn check_between(rows: &[ItemRow], check: &mut FileCheck) {
    let mut first: HashMap<&ItemId, &ItemRow> = HashMap::new();
    for row in rows {
        let (Some(id), Some(at)) = (row.id.value(), row.id.at()) else {
            continue;
        };
        match first.get(id) {
            Some(earlier) => {
                let line = check.line(earlier.id.at().unwrap_or(earlier.at));
                check.report(at, format!("duplicate id `{id}`; it is first defined on line {line}"));
            }
            None => {
                first.insert(id, row);
            }
        }
    }
    bundles::check_bundles(rows, &first, check);
}
