//! `players.toml`: the behaviour profiles the economy lab simulates (`starmine simulate`), read
//! into a validated [`Population`]. The live game never reads them.

use toml::de::DeTable;

use super::source::FileCheck;
use super::table::{in_range, tables_of, Field, TableReader};
use crate::domain::economy::Economy;
use crate::domain::profile::{BuyRule, BuyWhen, Population, Profile, Skill};
use crate::domain::{Item, ItemId};

const PROFILE_KEYS: &[&str] = &[
    "id",
    "name",
    "share",
    "sessions_per_day",
    "digs_per_session",
    "runs_per_session",
    "skill_mean",
    "skill_spread",
    "churn_per_day",
    "weekly_budget",
    "gem_order",
    "buys",
];
const BUY_KEYS: &[&str] = &["item", "when", "chance", "from_day", "max_price"];

const NO_PROFILES: &str = "no profiles: add at least one `[[profiles]]` table";
const ID_MAX_BYTES: usize = 24;
const NAME_MAX_CHARS: usize = 32;

/// The profiles as read, with where their references to other files were written.
pub(super) struct Read {
    pub population: Population,
    /// (item id, byte offset of the `item` value) of every buying habit.
    pub items: Vec<(String, usize)>,
    /// (track or cosmetic id, byte offset of the `gem_order` value) of every gem_order entry.
    pub sinks: Vec<(String, usize)>,
}

/// Checks `players.toml`; `None` if anything in it could not be read.
pub(super) fn check_players(root: &DeTable<'_>, check: &mut FileCheck) -> Option<Read> {
    let top = TableReader::new(root, 0, !check.damaged(), &["profiles"]);
    top.report_unknown_keys(check);
    let value = match top.raw(check, "profiles") {
        Field::Given { value, .. } => value,
        Field::Absent => {
            if top.complete {
                check.report(0, NO_PROFILES);
            }
            return None;
        }
        Field::Invalid => return None,
    };
    let tables = tables_of(value, check, "profiles", "`profiles` must be `[[profiles]]` tables")?;
    let mut read = Read { population: Population::default(), items: Vec::new(), sinks: Vec::new() };
    let mut ids: Vec<(String, usize)> = Vec::new();
    let mut ok = true;
    let mut last_share = None;
    for (n, &(table, start)) in tables.iter().enumerate() {
        let end = tables.get(n + 1).map_or(check.len(), |&(_, next)| next);
        let reader = TableReader::new(table, start, check.trusted(start..end), PROFILE_KEYS);
        reader.report_unknown_keys(check);
        let id = reader.string(check, "id", profile_id);
        let id = reader.require(check, "id", id);
        if let Field::Given { value, at } = &id {
            match ids.iter().find(|(seen, _)| seen == value) {
                Some((_, first)) => {
                    let line = check.line(*first);
                    check.report(*at, format!("duplicate profile id `{value}`; it is first defined on line {line}"));
                    ok = false;
                }
                None => ids.push((value.clone(), *at)),
            }
        }
        let profile = read_profile(&reader, check, id, &mut read);
        last_share = reader.raw(check, "share").at().or(last_share);
        match profile {
            Some(profile) => read.population.profiles.push(profile),
            None => ok = false,
        }
    }
    if tables.is_empty() && top.complete {
        check.report(value.span().start, NO_PROFILES);
        return None;
    }
    let total: f64 = read.population.profiles.iter().map(|profile| profile.share).sum();
    if ok && (total - 100.0).abs() > 1e-6 {
        let at = last_share.unwrap_or(start_of(&tables));
        check.report(
            at,
            format!("the profiles' shares add up to {total}, not 100: each `share` is a percent of the players"),
        );
        ok = false;
    }
    ok.then_some(read)
}

fn start_of(tables: &[(&DeTable<'_>, usize)]) -> usize {
    tables.first().map_or(0, |&(_, at)| at)
}

/// Checks against the other files: every bought item is in items.toml and every `gem_order`
/// entry is a track or cosmetic of upgrades.toml. Each problem with its byte offset.
pub(super) fn check_against(read: &Read, items: &[Item], economy: &Economy) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (item, at) in &read.items {
        if !items.iter().any(|known| known.id.as_str() == item) {
            found.push((format!("`item` names unknown item `{item}`"), *at));
        }
    }
    for (sink, at) in &read.sinks {
        if economy.track(sink).is_none() && economy.cosmetic(sink).is_none() {
            let message = format!("`gem_order` names `{sink}`, which is no track or cosmetic of upgrades.toml");
            found.push((message, *at));
        }
    }
    found
}

fn read_profile(
    reader: &TableReader<'_, '_>,
    check: &mut FileCheck,
    id: Field<String>,
    read: &mut Read,
) -> Option<Profile> {
    let name = reader.string(check, "name", name);
    let name = reader.require(check, "name", name);
    let share = reader.number(check, "share", |n, text| fraction("share", n, text, (0.0, 100.0), "a percent"));
    let share = reader.require(check, "share", share);
    let sessions = reader.number(check, "sessions_per_day", |n, text| {
        fraction("sessions_per_day", n, text, (0.0, 48.0), "sessions a day")
    });
    let sessions = reader.require(check, "sessions_per_day", sessions);
    let digs = reader.integer(check, "digs_per_session", |n| in_range("digs_per_session", n, 0, 10_000));
    let digs = reader.require(check, "digs_per_session", digs);
    let runs = reader.number(check, "runs_per_session", |n, text| {
        fraction("runs_per_session", n, text, (0.0, 100.0), "runs a session")
    });
    let skill_mean = reader.number(check, "skill_mean", |n, text| {
        fraction("skill_mean", n, text, (0.0, 1.0), "a fraction of the run's ceiling")
    });
    let skill_spread =
        reader.number(check, "skill_spread", |n, text| fraction("skill_spread", n, text, (0.0, 1.0), "a fraction"));
    let churn = reader
        .number(check, "churn_per_day", |n, text| fraction("churn_per_day", n, text, (0.0, 1.0), "a chance a day"));
    let budget = reader.integer(check, "weekly_budget", |n| in_range("weekly_budget", n, 0, 1_000_000));
    let gem_order = read_gem_order(reader, check, read);
    let buys = read_buys(reader, check, read);
    Some(Profile {
        id: id.value()?.clone(),
        name: name.value()?.clone(),
        share: *share.value()?,
        sessions_per_day: *sessions.value()?,
        digs_per_session: *digs.value()?,
        runs_per_session: runs.optional()?.copied().unwrap_or(0.0),
        skill: Skill {
            mean: skill_mean.optional()?.copied().unwrap_or(0.5),
            spread: skill_spread.optional()?.copied().unwrap_or(0.1),
        },
        churn_per_day: churn.optional()?.copied().unwrap_or(0.0),
        weekly_budget: budget.optional()?.copied().unwrap_or(0),
        buys: buys?,
        gem_order: gem_order?,
    })
}

/// `gem_order = ["pickaxe", "dragon_skin"]`: a list of ids, checked against upgrades.toml later.
fn read_gem_order(reader: &TableReader<'_, '_>, check: &mut FileCheck, read: &mut Read) -> Option<Vec<String>> {
    let value = match reader.raw(check, "gem_order") {
        Field::Given { value, .. } => value,
        Field::Absent => return Some(Vec::new()),
        Field::Invalid => return None,
    };
    let wanted = "`gem_order` must be a list of track and cosmetic ids such as [\"pickaxe\", \"dragon_skin\"]";
    let Some(list) = value.get_ref().as_array() else {
        check.report(value.span().start, wanted);
        return None;
    };
    let mut order = Vec::new();
    for entry in list.iter() {
        let Some(id) = entry.get_ref().as_str() else {
            check.report(entry.span().start, wanted);
            return None;
        };
        read.sinks.push((id.to_owned(), entry.span().start));
        order.push(id.to_owned());
    }
    Some(order)
}

/// `[[profiles.buys]]` tables.
fn read_buys(reader: &TableReader<'_, '_>, check: &mut FileCheck, read: &mut Read) -> Option<Vec<BuyRule>> {
    let value = match reader.raw(check, "buys") {
        Field::Given { value, .. } => value,
        Field::Absent => return Some(Vec::new()),
        Field::Invalid => return None,
    };
    let tables = tables_of(value, check, "buys", "`buys` must be `[[profiles.buys]]` tables")?;
    let mut rules = Vec::new();
    let mut ok = true;
    for (n, &(table, start)) in tables.iter().enumerate() {
        let end = tables.get(n + 1).map_or(check.len(), |&(_, next)| next);
        let buy = TableReader::new(table, start, check.trusted(start..end), BUY_KEYS);
        buy.report_unknown_keys(check);
        let item = buy.string(check, "item", |raw| ItemId::parse(raw).map_err(|error| format!("`item`: {error}")));
        let item = buy.require(check, "item", item);
        if let Field::Given { value, at } = &item {
            read.items.push((value.to_string(), *at));
        }
        let when = buy.string(check, "when", |raw| {
            BuyWhen::from_key(raw).ok_or_else(|| {
                let known: Vec<&str> = BuyWhen::ALL.iter().map(|when| when.key()).collect();
                format!("unknown `when` `{raw}`; one of: {}", known.join(", "))
            })
        });
        let when = buy.require(check, "when", when);
        let chance = buy.number(check, "chance", |n, text| fraction("chance", n, text, (0.0, 1.0), "a chance"));
        let chance = buy.require(check, "chance", chance);
        let from_day = buy.integer(check, "from_day", |n| in_range("from_day", n, 0, 3_650));
        let max_price = buy.integer(check, "max_price", |n| in_range("max_price", n, 1, 10_000));
        let rule = (|| {
            Some(BuyRule {
                item: item.value()?.clone(),
                when: *when.value()?,
                chance: *chance.value()?,
                from_day: from_day.optional()?.copied().unwrap_or(0),
                max_price: max_price.optional()?.copied(),
            })
        })();
        match rule {
            Some(rule) => rules.push(rule),
            None => ok = false,
        }
    }
    ok.then_some(rules)
}

/// A number from `low` to `high` (both allowed), or the problem naming what it means.
fn fraction(key: &str, number: f64, text: &str, (low, high): (f64, f64), meaning: &str) -> Result<f64, String> {
    if (low..=high).contains(&number) {
        Ok(number)
    } else {
        Err(format!("`{key}` must be {meaning} from {low} to {high}, got {text}"))
    }
}

/// A profile id: 1–24 bytes of `a-z`, `0-9` and `_`.
fn profile_id(raw: &str) -> Result<String, String> {
    if raw.is_empty() || raw.len() > ID_MAX_BYTES {
        return Err(format!("`id` must be 1 to {ID_MAX_BYTES} bytes, got `{raw}`"));
    }
    if !raw.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_') {
        return Err(format!("id `{raw}` may only use a-z, 0-9 and _"));
    }
    Ok(raw.to_owned())
}

fn name(raw: &str) -> Result<String, String> {
    let chars = raw.chars().count();
    if raw.trim().is_empty() || chars > NAME_MAX_CHARS || raw.chars().any(char::is_control) {
        return Err(format!("`name` must be one line of 1 to {NAME_MAX_CHARS} characters"));
    }
    Ok(raw.to_owned())
}
