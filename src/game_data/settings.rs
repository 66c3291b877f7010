//! `settings.toml`: shop-wide durations, the energy rules and the arcade run's rules, each
//! optional with a default.

use toml::de::DeTable;

use super::source::FileCheck;
use super::table::{in_range, Field, TableReader};
use crate::domain::{ArcadeRules, EnergyRules, Settings};

/// Every key `settings.toml` may have.
const SETTINGS_KEYS: &[&str] = &[
    "refund_window",
    "order_ttl",
    "hold_ttl",
    "energy_max",
    "energy_regen",
    "dig_cost",
    "notify_period",
    "run_seconds",
    "run_points_per_second",
    "run_gems_per_100_points",
    "run_gems_per_day",
];

/// The largest energy cap; more is surely a typo.
const ENERGY_MAX: u32 = 10_000;
/// The shortest and longest base arcade run, in seconds (tests play runs of a few seconds).
const RUN_SECONDS: (u32, u32) = (1, 600);
/// The largest score rate legit play may reach, in points per second.
const POINTS_PER_SECOND_MAX: u32 = 10_000;
/// The most gems 100 points may be worth.
const GEMS_PER_100_POINTS_MAX: u32 = 1_000;
/// The largest daily arcade allowance; more is surely a typo.
const GEMS_PER_DAY_MAX: u32 = 100_000_000;

/// Checks `settings.toml`; keys left out keep their defaults. `None` if a key was invalid.
pub(super) fn check_settings(root: &DeTable<'_>, check: &mut FileCheck) -> Option<Settings> {
    let reader = TableReader::new(root, 0, !check.damaged(), SETTINGS_KEYS);
    reader.report_unknown_keys(check);
    let defaults = Settings::default();
    let refund_window = reader.duration(check, "refund_window");
    let order_ttl = reader.duration(check, "order_ttl");
    let hold_ttl = reader.duration(check, "hold_ttl");
    let energy = check_energy(&reader, check, &defaults.energy);
    let notify_period = reader.duration(check, "notify_period");
    let arcade = check_arcade(&reader, check, &defaults.arcade);
    Some(Settings {
        refund_window: refund_window.optional()?.copied().unwrap_or(defaults.refund_window),
        order_ttl: order_ttl.optional()?.copied().unwrap_or(defaults.order_ttl),
        hold_ttl: hold_ttl.optional()?.copied().unwrap_or(defaults.hold_ttl),
        energy: energy?,
        notify_period: notify_period.optional()?.copied().unwrap_or(defaults.notify_period),
        arcade: arcade?,
    })
}

/// `run_seconds`, `run_points_per_second`, `run_gems_per_100_points` and `run_gems_per_day`.
/// `None` if a key was invalid.
fn check_arcade(reader: &TableReader<'_, '_>, check: &mut FileCheck, defaults: &ArcadeRules) -> Option<ArcadeRules> {
    let (shortest, longest) = RUN_SECONDS;
    let run_seconds =
        reader.integer(check, "run_seconds", |seconds| in_range("run_seconds", seconds, shortest, longest));
    let points_per_second = reader.integer(check, "run_points_per_second", |points| {
        in_range("run_points_per_second", points, 1, POINTS_PER_SECOND_MAX)
    });
    let gems_per_100_points = reader.integer(check, "run_gems_per_100_points", |gems| {
        in_range("run_gems_per_100_points", gems, 0, GEMS_PER_100_POINTS_MAX)
    });
    let gems_per_day =
        reader.integer(check, "run_gems_per_day", |gems| in_range("run_gems_per_day", gems, 0, GEMS_PER_DAY_MAX));
    Some(ArcadeRules {
        gems_per_day: gems_per_day.optional()?.copied().unwrap_or(defaults.gems_per_day),
        run_seconds: run_seconds.optional()?.copied().unwrap_or(defaults.run_seconds),
        points_per_second: points_per_second.optional()?.copied().unwrap_or(defaults.points_per_second),
        gems_per_100_points: gems_per_100_points.optional()?.copied().unwrap_or(defaults.gems_per_100_points),
    })
}

/// `energy_max`, `energy_regen` and `dig_cost`: a dig never costs more than the cap, or a player
/// could never dig. `None` if a key was invalid.
fn check_energy(reader: &TableReader<'_, '_>, check: &mut FileCheck, defaults: &EnergyRules) -> Option<EnergyRules> {
    let max = reader.integer(check, "energy_max", |amount| in_range("energy_max", amount, 1, ENERGY_MAX));
    let regen = reader.duration(check, "energy_regen");
    let cap = match &max {
        Field::Given { value, .. } => Some((*value, "")),
        Field::Absent => Some((defaults.max, ", the default")),
        Field::Invalid => None,
    };
    let dig_cost = reader.integer(check, "dig_cost", |amount| match cap {
        _ if amount < 1 => Err(format!("`dig_cost` must be at least 1, got {amount}")),
        Some((max, default)) if amount > i64::from(max) => {
            Err(format!("`dig_cost` is {amount}, more than `energy_max` ({max}{default}): a player could never dig"))
        }
        _ => in_range("dig_cost", amount, 1, ENERGY_MAX),
    });
    Some(EnergyRules {
        max: max.optional()?.copied().unwrap_or(defaults.max),
        regen: regen.optional()?.copied().unwrap_or(defaults.regen),
        dig_cost: dig_cost.optional()?.copied().unwrap_or(defaults.dig_cost),
    })
}
