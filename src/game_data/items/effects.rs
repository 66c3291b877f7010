//! Item effects: `energy`, `gems`, `yield_multiplier` and `luck` for digging, `run_seconds`,
//! `score_multiplier` and `skin` for the arcade run, each optional, read from an `[[items]]`
//! table and checked against the item's kind.

use super::Kind;
use crate::domain::game::SKINS;
use crate::domain::Effects;
use crate::game_data::source::FileCheck;
use crate::game_data::table::{in_range, Field, TableReader};

/// The most energy one item may add.
const ENERGY_MAX: u32 = 1_000;
/// The most gems one gem pack may add.
const GEMS_MAX: u32 = 1_000_000;
/// The largest yield multiplier (100 = a hundred times the gems).
const YIELD_MAX: f64 = 100.0;
/// The largest luck multiplier on the weight of rare drops.
const LUCK_MAX: f64 = 1_000.0;
/// The most extra seconds one item may add to an arcade run.
const RUN_SECONDS_MAX: u32 = 600;
/// The largest arcade score multiplier.
const SCORE_MAX: f64 = 10.0;

/// The effect keys of one `[[items]]` table, each read and checked on its own.
#[derive(Debug)]
pub(super) struct EffectFields {
    pub energy: Field<u32>,
    pub gems: Field<u32>,
    /// `yield_multiplier` in percent.
    pub yield_percent: Field<u32>,
    /// `luck` in percent.
    pub luck_percent: Field<u32>,
    /// Extra seconds per arcade run.
    pub run_seconds: Field<u32>,
    /// `score_multiplier` in percent.
    pub score_percent: Field<u32>,
    /// One of [`SKINS`].
    pub skin: Field<String>,
}

pub(super) fn read_effects(reader: &TableReader<'_, '_>, check: &mut FileCheck) -> EffectFields {
    EffectFields {
        energy: reader.integer(check, "energy", |amount| in_range("energy", amount, 1, ENERGY_MAX)),
        gems: reader.integer(check, "gems", |amount| in_range("gems", amount, 1, GEMS_MAX)),
        yield_percent: reader
            .number(check, "yield_multiplier", |value, text| percent("yield_multiplier", value, text, YIELD_MAX)),
        luck_percent: reader.number(check, "luck", |value, text| percent("luck", value, text, LUCK_MAX)),
        run_seconds: reader
            .integer(check, "run_seconds", |seconds| in_range("run_seconds", seconds, 1, RUN_SECONDS_MAX)),
        score_percent: reader
            .number(check, "score_multiplier", |value, text| percent("score_multiplier", value, text, SCORE_MAX)),
        skin: reader.string(check, "skin", skin),
    }
}

/// A multiplier, 1 to `max`, as a whole percentage (1.5 -> 150).
fn percent(key: &str, value: f64, text: &str, max: f64) -> Result<u32, String> {
    if !(1.0..=max).contains(&value) {
        return Err(format!("`{key}` must be a number from 1 to {max}, got {text}"));
    }
    Ok((value * 100.0).round() as u32)
}

/// A skin the arcade page knows, or the problem naming them all.
fn skin(raw: &str) -> Result<String, String> {
    if SKINS.contains(&raw) {
        return Ok(raw.to_owned());
    }
    let (last, others) = SKINS.split_last().unwrap_or((&"", &[]));
    let expected = match others {
        [] => (*last).to_owned(),
        _ => format!("{} or {last}", others.join(", ")),
    };
    Err(format!("unknown skin `{raw}`; expected {expected}"))
}

/// The kinds an effect is for, and how a problem names them.
type ForKinds = (&'static [Kind], &'static str);

/// Reports each effect written on a kind it does nothing for, and a gem pack that also adds
/// energy. `kind` is `None` when it could not be read: only the kind-free rule is checked.
pub(super) fn check_effects(fields: &EffectFields, kind: Option<Kind>, check: &mut FileCheck) {
    if let Some(kind) = kind {
        let tools_and_boosts: ForKinds = (&[Kind::Permanent, Kind::Boost], "permanent items and boosts");
        let rules: [(&str, Option<usize>, ForKinds); 7] = [
            ("energy", fields.energy.at(), (&[Kind::Consumable], "consumables")),
            ("gems", fields.gems.at(), (&[Kind::Consumable], "consumables")),
            ("yield_multiplier", fields.yield_percent.at(), tools_and_boosts),
            ("luck", fields.luck_percent.at(), (&[Kind::Boost], "boosts")),
            ("run_seconds", fields.run_seconds.at(), tools_and_boosts),
            ("score_multiplier", fields.score_percent.at(), tools_and_boosts),
            ("skin", fields.skin.at(), (&[Kind::Permanent, Kind::Subscription], "permanent items and subscriptions")),
        ];
        for (key, at, (kinds, named)) in rules {
            if let Some(at) = at {
                if !kinds.contains(&kind) {
                    let message = format!("`{key}` is only for {named}; this item is a {}", kind.name());
                    check.report(at, message);
                }
            }
        }
    }
    if let (Some(_), Some(at)) = (fields.energy.at(), fields.gems.at()) {
        check.report(
            at,
            "an item cannot have both `gems` and `energy`: a gem pack adds its gems when bought, \
             energy is added when the item is used; make them two items",
        );
    }
}

/// The effects, when every effect key could be read.
pub(super) fn effects(fields: &EffectFields) -> Option<Effects> {
    Some(Effects {
        energy: fields.energy.optional()?.copied(),
        gems: fields.gems.optional()?.copied(),
        yield_percent: fields.yield_percent.optional()?.copied(),
        luck_percent: fields.luck_percent.optional()?.copied(),
        run_seconds: fields.run_seconds.optional()?.copied(),
        score_percent: fields.score_percent.optional()?.copied(),
        skin: fields.skin.optional()?.cloned(),
    })
}
