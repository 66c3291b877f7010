//! `upgrades.toml`: the gem sinks — upgrade tracks with rising costs and gem-priced cosmetics —
//! read into a validated [`Economy`].

use std::collections::HashMap;

use toml::de::DeTable;

use super::source::FileCheck;
use super::table::{in_range, tables_of, Field, TableReader};
use super::translations::{self, Texts};
use crate::domain::economy::{Cosmetic, Economy, Track, TrackEffect};
use crate::domain::game::SKINS;
use crate::domain::{Item, Settings};

/// Every key of a `[[tracks]]` table; `ru`, `fa`: `[tracks.<lang>]` (`translations.rs`).
const TRACK_KEYS: &[&str] =
    &["id", "name", "description", "effect", "per_level", "levels", "first_cost", "cost_growth", "ru", "fa"];
/// Every key of a `[[cosmetics]]` table; `ru`, `fa`: `[cosmetics.<lang>]`.
const COSMETIC_KEYS: &[&str] = &["id", "name", "description", "skin", "price_gems", "ru", "fa"];

/// Names are button labels: one short line.
const NAME_MAX_CHARS: usize = 32;
const DESCRIPTION_MAX_CHARS: usize = 255;
/// Ids travel in callback data (`up:<id>:<level>`), so they stay short.
const ID_MAX_BYTES: usize = 24;
const LEVELS_MAX: u32 = 100;
const PER_LEVEL_MAX: u32 = 1_000;
const GEMS_MAX: u32 = 1_000_000_000;
const GROWTH: (f64, f64) = (1.0, 10.0);

/// How `[tracks.<lang>]` and `[cosmetics.<lang>]` are checked: as the English texts are.
const SINK_TEXTS: Texts<'static> = Texts {
    table: "tracks",
    what: "track",
    keys: translations::TEXT_KEYS,
    name: &|key, raw| text(key, raw, NAME_MAX_CHARS),
    description: &|key, raw| text(key, raw, DESCRIPTION_MAX_CHARS),
};

/// A track or cosmetic as read, with where it was written (for cross-file checks).
#[derive(Default)]
pub(super) struct Read {
    pub economy: Economy,
    /// id -> byte offset of its `id` value.
    pub at: HashMap<String, usize>,
}

/// Checks `upgrades.toml`; `None` if anything in it could not be read.
pub(super) fn check_upgrades(root: &DeTable<'_>, check: &mut FileCheck) -> Option<Read> {
    let top = TableReader::new(root, 0, !check.damaged(), &["tracks", "cosmetics"]);
    top.report_unknown_keys(check);
    let mut ok = true;
    let mut read = Read { economy: Economy::default(), at: HashMap::new() };
    for (key, wanted) in [
        ("tracks", "`tracks` must be `[[tracks]]` tables"),
        ("cosmetics", "`cosmetics` must be `[[cosmetics]]` tables"),
    ] {
        let value = match top.raw(check, key) {
            Field::Given { value, .. } => value,
            Field::Absent => continue,
            Field::Invalid => {
                ok = false;
                continue;
            }
        };
        let Some(tables) = tables_of(value, check, key, wanted) else {
            ok = false;
            continue;
        };
        for (n, &(table, start)) in tables.iter().enumerate() {
            let end = tables.get(n + 1).map_or(check.len(), |&(_, next)| next);
            let allowed = if key == "tracks" { TRACK_KEYS } else { COSMETIC_KEYS };
            let reader = TableReader::new(table, start, check.trusted(start..end), allowed);
            translations::report_unknown_keys(&reader, check, key);
            let id = reader.string(check, "id", sink_id);
            let id = reader.require(check, "id", id);
            if let Field::Given { value, at } = &id {
                if read.at.insert(value.clone(), *at).is_some() {
                    check.report(*at, format!("duplicate id `{value}`: every track and cosmetic needs its own id"));
                    ok = false;
                }
            }
            let name = reader.string(check, "name", |raw| text("name", raw, NAME_MAX_CHARS));
            let name = reader.require(check, "name", name);
            let description =
                reader.string(check, "description", |raw| text("description", raw, DESCRIPTION_MAX_CHARS));
            let description = reader.require(check, "description", description);
            let texts = Texts { table: key, what: if key == "tracks" { "track" } else { "cosmetic" }, ..SINK_TEXTS };
            let translated = translations::read(&reader, check, &texts);
            if reader.complete {
                translations::warn_missing(&translated, &texts, (start, id.value().map(String::as_str), true), check);
            }
            let translated = translated.texts();
            let built = if key == "tracks" {
                read_track(&reader, check, id, name, description)
                    .zip(translated)
                    .map(|(track, translations)| read.economy.tracks.push(Track { translations, ..track }))
            } else {
                read_cosmetic(&reader, check, id, name, description)
                    .zip(translated)
                    .map(|(cosmetic, translations)| read.economy.cosmetics.push(Cosmetic { translations, ..cosmetic }))
            };
            ok &= built.is_some();
        }
    }
    ok.then_some(read)
}

/// Checks against the other files, each problem with the byte offset of the id it is about: an
/// id may not also be an item's (buttons and the game API name both by id), and the `regen`
/// tracks may not take the regeneration time to zero.
pub(super) fn check_against(read: &Read, items: &[Item], settings: &Settings) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (id, at) in &read.at {
        if items.iter().any(|item| item.id.as_str() == id) {
            found.push((format!("id `{id}` is also an item in items.toml: give the upgrade its own id"), *at));
        }
    }
    let regen = settings.energy.regen.as_secs();
    let faster: u64 = read
        .economy
        .tracks
        .iter()
        .filter(|track| track.effect == TrackEffect::Regen)
        .map(|track| u64::from(track.per_level) * u64::from(track.max_level()))
        .sum();
    if faster >= regen {
        let first = read.economy.tracks.iter().find(|track| track.effect == TrackEffect::Regen);
        if let Some(at) = first.and_then(|track| read.at.get(&track.id)) {
            let message = format!(
                "the `regen` tracks take up to {faster}s off `energy_regen` ({regen}s in settings.toml) at their last \
                 levels: keep the total below it (regeneration stops at 1s a point)"
            );
            found.push((message, *at));
        }
    }
    found.sort_by_key(|(_, at)| *at);
    found
}

fn read_track(
    reader: &TableReader<'_, '_>,
    check: &mut FileCheck,
    id: Field<String>,
    name: Field<String>,
    description: Field<String>,
) -> Option<Track> {
    let effect = reader.string(check, "effect", |raw| {
        TrackEffect::from_key(raw).ok_or_else(|| {
            let known: Vec<&str> = TrackEffect::ALL.iter().map(|effect| effect.key()).collect();
            format!("unknown effect `{raw}`; one of: {}", known.join(", "))
        })
    });
    let effect = reader.require(check, "effect", effect);
    let per_level = reader.integer(check, "per_level", |n| in_range("per_level", n, 1, PER_LEVEL_MAX));
    let per_level = reader.require(check, "per_level", per_level);
    let levels = reader.integer(check, "levels", |n| in_range("levels", n, 1, LEVELS_MAX));
    let levels = reader.require(check, "levels", levels);
    let first_cost = reader.integer(check, "first_cost", |n| in_range("first_cost", n, 1, GEMS_MAX));
    let first_cost = reader.require(check, "first_cost", first_cost);
    let growth = reader.number(check, "cost_growth", |growth, text| {
        let (low, high) = GROWTH;
        if (low..=high).contains(&growth) {
            Ok(growth)
        } else {
            Err(format!("`cost_growth` must be from {low} to {high} (each level costs this many times the one before), got {text}"))
        }
    });
    let growth = reader.require(check, "cost_growth", growth);
    let costs = Track::curve(u64::from(*first_cost.value()?), *growth.value()?, *levels.value()?);
    if let Some(last) = costs.last().filter(|last| **last > u64::from(GEMS_MAX)) {
        check.report(
            growth.at()?,
            format!("the last level would cost {last} gems, more than {GEMS_MAX}: lower `cost_growth` or `levels`"),
        );
        return None;
    }
    Some(Track {
        id: id.value()?.clone(),
        name: name.value()?.clone(),
        description: description.value()?.clone(),
        effect: *effect.value()?,
        per_level: *per_level.value()?,
        costs,
        translations: Default::default(),
    })
}

fn read_cosmetic(
    reader: &TableReader<'_, '_>,
    check: &mut FileCheck,
    id: Field<String>,
    name: Field<String>,
    description: Field<String>,
) -> Option<Cosmetic> {
    let skin = reader.string(check, "skin", |raw| {
        if SKINS.contains(&raw) {
            Ok(raw.to_owned())
        } else {
            Err(format!("unknown skin `{raw}`; the game draws: {}", SKINS.join(", ")))
        }
    });
    let skin = reader.require(check, "skin", skin);
    let price = reader.integer(check, "price_gems", |n| in_range("price_gems", n, 1, GEMS_MAX));
    let price = reader.require(check, "price_gems", price);
    Some(Cosmetic {
        id: id.value()?.clone(),
        name: name.value()?.clone(),
        description: description.value()?.clone(),
        skin: skin.value()?.clone(),
        price_gems: u64::from(*price.value()?),
        translations: Default::default(),
    })
}

/// A track or cosmetic id: 1–24 bytes of `a-z`, `0-9` and `_`.
fn sink_id(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("`id` must not be empty".into());
    }
    if raw.len() > ID_MAX_BYTES {
        return Err(format!("id `{raw}` is longer than {ID_MAX_BYTES} bytes"));
    }
    if !raw.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_') {
        return Err(format!("id `{raw}` may only use a-z, 0-9 and _"));
    }
    Ok(raw.to_owned())
}

fn text(key: &str, raw: &str, max: usize) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err(format!("`{key}` must not be empty"));
    }
    let chars = raw.chars().count();
    if chars > max {
        return Err(format!("`{key}` is {chars} characters long; the most is {max}"));
    }
    if raw.chars().any(char::is_control) {
        return Err(format!("`{key}` must be one line of text"));
    }
    Ok(raw.to_owned())
}
