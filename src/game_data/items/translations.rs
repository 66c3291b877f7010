//! `[items.<lang>]`: an item's name and description in a shipped language other than English,
//! beside the item (`game_data/README.md`). The same limits as the English ones apply (the
//! name is the invoice title, at most 32 characters; the description the invoice description,
//! at most 255), a language Starmine does not ship is an error, and a missing translation a
//! warning (English is shown instead).

use std::collections::BTreeMap;

use toml::de::DeValue;

use super::super::source::FileCheck;
use super::super::table::{Field, TableReader};
use super::{text, ItemRow, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS};
use crate::domain::{ItemText, Lang};

const TEXT_KEYS: &[&str] = &["name", "description"];

/// The translations of one item as written, by language.
#[derive(Debug, Default)]
pub(super) struct Translations {
    /// Absent languages are left out; each with the offset of its table.
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
}

/// The languages an item may be translated into: every shipped one but English.
fn translated() -> impl Iterator<Item = Lang> {
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

pub(super) fn report_unknown_languages(reader: &TableReader<'_, '_>, check: &mut FileCheck) {
    let shipped: Vec<&str> = translated().map(Lang::code).collect();
    for (key, value) in reader.entries() {
        let name: &str = key.get_ref();
        if !check.trusted(key.span()) || !is_unknown_language(name, value.get_ref()) {
            continue;
        }
        let message = if Lang::from_code(name) == Some(Lang::En) {
            format!("`[items.{name}]`: English is the item's own `name` and `description`")
        } else {
            format!("unknown language `{name}`: Starmine ships {} besides English", shipped.join(", "))
        };
        check.report(key.span().start, message);
    }
}

/// Reads `[items.<lang>]` for every translated language.
pub(super) fn read(reader: &TableReader<'_, '_>, check: &mut FileCheck) -> Translations {
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
        let inner = TableReader::new(table, at, reader.complete, TEXT_KEYS);
        inner.report_unknown_keys(check);
        let key = |field: &str| format!("{field}` in `[items.{code}]");
        let name = inner.string(check, "name", |raw| text(&key("name"), raw, NAME_MAX_CHARS, "title"));
        let description = inner
            .string(check, "description", |raw| text(&key("description"), raw, DESCRIPTION_MAX_CHARS, "description"));
        if matches!(name, Field::Invalid) || matches!(description, Field::Invalid) {
            translations.valid = false;
        }
        translations.given.insert(lang, (name, description));
    }
    translations
}

/// Warns of every language an item lacks, or lacks its name or description in.
pub(super) fn warn_missing(row: &ItemRow, check: &mut FileCheck) {
    if !row.complete {
        return;
    }
    let id = row.id.value().map_or_else(String::new, |id| format!(" `{id}`"));
    for lang in translated() {
        let code = lang.code();
        match row.translations.given.get(&lang) {
            None => check.warn(row.at, format!("item{id} has no `[items.{code}]` translation; players see English")),
            Some((name, description)) => {
                if matches!(name, Field::Absent) {
                    check
                        .warn(row.at, format!("item{id}: `[items.{code}]` has no `name`; players see the English one"));
                }
                if matches!(description, Field::Absent) && row.description.is_given() {
                    let message =
                        format!("item{id}: `[items.{code}]` has no `description`; players see the English one");
                    check.warn(row.at, message);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ITEM_KEYS;
    use super::translated;

    #[test]
    fn every_translated_language_is_an_item_key() {
        for lang in translated() {
            assert!(ITEM_KEYS.contains(&lang.code()), "{}", lang.code());
        }
    }
}
