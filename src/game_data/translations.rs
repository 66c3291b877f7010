//! `[<table>.<lang>]`: the name and description of an item, upgrade track or cosmetic in a
//! shipped language other than English, beside it (`game_data/README.md`): `[items.ru]` after an
//! `[[items]]` table, `[tracks.ru]`, `[cosmetics.ru]`. The same checks as the English texts
//! apply (an item's name is the invoice title, at most 32 characters; its description the
//! invoice description, at most 255), a language Starmine does not ship is an error, and a
//! missing translation a warning (English is shown instead).

use std::collections::BTreeMap;

use toml::de::DeValue;

use super::source::FileCheck;
use super::table::{Field, TableReader};
use crate::domain::{ItemText, Lang};

/// What an item, track or cosmetic translation holds.
pub(super) const TEXT_KEYS: &[&str] = &["name", "description"];
/// What a zone or drop translation holds.
pub(super) const NAME_KEYS: &[&str] = &["name"];

/// What a translation is checked against: the table kind it sits in, and the English texts' own
/// checks (`key` names the field for the message).
pub(super) struct Texts<'a> {
    /// `items`, `tracks`, `cosmetics`: the `[[table]]` the translations sit in.
    pub table: &'static str,
    /// `item`, `track`, `cosmetic`, `zone`, `drop`: what a warning calls one.
    pub what: &'static str,
    /// The keys a translation may have: `name` and `description`, or only `name` (loot).
    pub keys: &'static [&'static str],
    pub name: &'a dyn Fn(&str, &str) -> Result<String, String>,
    pub description: &'a dyn Fn(&str, &str) -> Result<String, String>,
}

/// The translations of one row as written, by language.
#[derive(Debug, Default)]
pub(super) struct Translations {
    /// Absent languages are left out.
    given: BTreeMap<Lang, (Field<String>, Field<String>)>,
    /// False when one could not be read (a problem was reported).
    valid: bool,
}

impl Translations {
    /// The texts for the catalog; None when one was invalid.
    pub fn texts(&self) -> Option<BTreeMap<Lang, ItemText>> {
        if !self.valid {
            return None;
        }
        let texts = self.given.iter().map(|(lang, (name, description))| {
            let text = ItemText { name: name.value().cloned(), description: description.value().cloned() };
            (*lang, text)
        });
        Some(texts.collect())
    }

    /// The names alone (zones and drops have no description); None when one was invalid.
    pub fn names(&self) -> Option<BTreeMap<Lang, String>> {
        let texts = self.texts()?;
        Some(texts.into_iter().filter_map(|(lang, text)| Some((lang, text.name?))).collect())
    }
}

/// The languages a row may be translated into: every shipped one but English.
pub(super) fn translated() -> impl Iterator<Item = Lang> {
    Lang::ALL.into_iter().filter(|lang| *lang != Lang::En)
}

/// Whether `key` is a table named like a language tag (`de`, `pt-BR`) that is not shipped:
/// reported by [`report_unknown_languages`] instead of as an unknown key.
pub(super) fn is_unknown_language(key: &str, value: &DeValue<'_>) -> bool {
    let (primary, region) = key.split_once('-').unwrap_or((key, ""));
    let looks_like_language = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && region.chars().all(|c| c.is_ascii_alphanumeric());
    looks_like_language && value.as_table().is_some() && Lang::from_code(key).is_none_or(|lang| lang == Lang::En)
}

/// Reports every key of `reader` that is neither allowed nor a translation, and every
/// translation into a language Starmine does not ship.
pub(super) fn report_unknown_keys(reader: &TableReader<'_, '_>, check: &mut FileCheck, table: &str) {
    reader.report_unknown_keys_but(check, is_unknown_language);
    let shipped: Vec<&str> = translated().map(Lang::code).collect();
    for (key, value) in reader.entries() {
        let name: &str = key.get_ref();
        if !check.trusted(key.span()) || !is_unknown_language(name, value.get_ref()) {
            continue;
        }
        let message = if Lang::from_code(name) == Some(Lang::En) {
            format!("`[{table}.{name}]`: English is the row's own `name` and `description`")
        } else {
            format!("unknown language `{name}`: Starmine ships {} besides English", shipped.join(", "))
        };
        check.report(key.span().start, message);
    }
}

/// Reads `[<table>.<lang>]` for every translated language.
pub(super) fn read(reader: &TableReader<'_, '_>, check: &mut FileCheck, texts: &Texts<'_>) -> Translations {
    let mut translations = Translations { given: BTreeMap::new(), valid: true };
    for lang in translated() {
        let code = lang.code();
        let (table, at) = match reader.table(check, code) {
            Field::Given { value, at } => (value, at),
            Field::Absent => continue,
            Field::Invalid => {
                translations.valid = false;
                continue;
            }
        };
        let inner = TableReader::new(table, at, reader.complete, texts.keys);
        inner.report_unknown_keys(check);
        let key = |field: &str| format!("{field}` in `[{}.{code}]", texts.table);
        let name = inner.string(check, "name", |raw| (texts.name)(&key("name"), raw));
        let description = inner.string(check, "description", |raw| (texts.description)(&key("description"), raw));
        if matches!(name, Field::Invalid) || matches!(description, Field::Invalid) {
            translations.valid = false;
        }
        translations.given.insert(lang, (name, description));
    }
    translations
}

/// Warns of every language a row (at `at`, with `id` when it has one) lacks, or lacks its name
/// or description in (the description only when the English one is given).
pub(super) fn warn_missing(
    translations: &Translations,
    texts: &Texts<'_>,
    (at, id, has_description): (usize, Option<&str>, bool),
    check: &mut FileCheck,
) {
    let (table, what) = (texts.table, texts.what);
    let id = id.map_or_else(String::new, |id| format!(" `{id}`"));
    for lang in translated() {
        let code = lang.code();
        match translations.given.get(&lang) {
            None => check.warn(at, format!("{what}{id} has no `[{table}.{code}]` translation; players see English")),
            Some((name, description)) => {
                if matches!(name, Field::Absent) {
                    check
                        .warn(at, format!("{what}{id}: `[{table}.{code}]` has no `name`; players see the English one"));
                }
                if matches!(description, Field::Absent) && has_description {
                    let message =
                        format!("{what}{id}: `[{table}.{code}]` has no `description`; players see the English one");
                    check.warn(at, message);
                }
            }
        }
    }
}
