//! A subscription's perks (`kind = "subscription"`, the Miner's Pass): `energy_cap`, `regen`,
//! `daily_gems`, read from an `[[items]]` table and checked against the item's kind; its
//! pass-only skin is the ordinary `skin` key. `refundable_use` is how long a period may have run
//! and still be refunded at the player's request.

use std::time::Duration;

use super::{ItemRow, Kind};
use crate::domain::PassPerks;
use crate::game_data::source::FileCheck;
use crate::game_data::table::{in_range, Field, TableReader};

/// The most energy cap a pass may add.
const ENERGY_CAP_MAX: u32 = 1_000;
/// The most seconds less per energy point a pass may give.
const REGEN_MAX: u32 = 3_600;
/// The most gems a pass may give a day.
const DAILY_GEMS_MAX: u32 = 100_000;
/// How long a period may have run and still be refunded when `refundable_use` is left out.
pub(super) const DEFAULT_REFUNDABLE_USE: Duration = Duration::from_secs(48 * 3600);
/// A period is 30 days: a refundable use at least that long would refund whole months.
const REFUNDABLE_USE_MAX: Duration = Duration::from_secs(crate::domain::pass::PERIOD_SECONDS as u64);

#[derive(Debug)]
pub(super) struct PassFields {
    energy_cap: Field<u32>,
    regen: Field<u32>,
    daily_gems: Field<u32>,
    refundable_use: Field<Duration>,
}

pub(super) fn read_pass(reader: &TableReader<'_, '_>, check: &mut FileCheck) -> PassFields {
    PassFields {
        energy_cap: reader.integer(check, "energy_cap", |n| in_range("energy_cap", n, 1, ENERGY_CAP_MAX)),
        regen: reader.integer(check, "regen", |n| in_range("regen", n, 1, REGEN_MAX)),
        daily_gems: reader.integer(check, "daily_gems", |n| in_range("daily_gems", n, 1, DAILY_GEMS_MAX)),
        refundable_use: reader.duration(check, "refundable_use"),
    }
}

impl PassFields {
    fn given(&self) -> [(&'static str, Option<usize>); 4] {
        [
            ("energy_cap", self.energy_cap.at()),
            ("regen", self.regen.at()),
            ("daily_gems", self.daily_gems.at()),
            ("refundable_use", self.refundable_use.at()),
        ]
    }
}

/// The rules of a subscription row: its keys only on a subscription; a subscription has a perk,
/// no stock or per-player limit (a player holds one pass at a time), no item effect but `skin`,
/// and a `refundable_use` shorter than a period.
pub(super) fn check_pass(row: &ItemRow, kind: Option<Kind>, check: &mut FileCheck) {
    let Some(kind) = kind else { return };
    if kind != Kind::Subscription {
        for (key, at) in row.pass.given() {
            if let Some(at) = at {
                check.report(at, format!("`{key}` is only for subscriptions; this item is a {}", kind.name()));
            }
        }
        return;
    }
    let absent = [
        matches!(row.pass.energy_cap, Field::Absent),
        matches!(row.pass.regen, Field::Absent),
        matches!(row.pass.daily_gems, Field::Absent),
        matches!(row.effects.skin, Field::Absent),
    ];
    if row.complete && absent.iter().all(|absent| *absent) {
        check.report(row.at, "a subscription needs at least one perk: energy_cap, regen, daily_gems or skin");
    }
    for (key, at) in [("stock", row.stock.at()), ("max_per_player", row.max_per_player.at())] {
        if let Some(at) = at {
            let message = format!(
                "`{key}` is not for subscriptions: a player holds one pass at a time, and passes never run out"
            );
            check.report(at, message);
        }
    }
    if let Field::Given { value, at } = &row.pass.refundable_use {
        if *value >= REFUNDABLE_USE_MAX {
            check.report(*at, "`refundable_use` must be shorter than the 30-day period");
        }
    }
}

/// The perks and refundable use, when every pass key could be read.
pub(super) fn perks(fields: &PassFields) -> Option<(PassPerks, Duration)> {
    let perks = PassPerks {
        energy_cap: fields.energy_cap.optional()?.copied().unwrap_or(0),
        regen: fields.regen.optional()?.copied().unwrap_or(0),
        daily_gems: fields.daily_gems.optional()?.copied().unwrap_or(0),
    };
    Some((perks, fields.refundable_use.optional()?.copied().unwrap_or(DEFAULT_REFUNDABLE_USE)))
}
