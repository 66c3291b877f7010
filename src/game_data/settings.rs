//! `settings.toml`: shop-wide durations, each optional with a default.

use toml::de::DeTable;

use super::source::FileCheck;
use super::table::TableReader;
use crate::domain::Settings;

/// Every key `settings.toml` may have.
const SETTINGS_KEYS: &[&str] = &["refund_window", "order_ttl", "hold_ttl"];

/// Checks `settings.toml`; keys left out keep their defaults. `None` if a key was invalid.
pub(super) fn check_settings(root: &DeTable<'_>, check: &mut FileCheck) -> Option<Settings> {
    let reader = TableReader::new(root, 0, !check.damaged(), SETTINGS_KEYS);
    reader.report_unknown_keys(check);
    let defaults = Settings::default();
    let refund_window = reader.duration(check, "refund_window");
    let order_ttl = reader.duration(check, "order_ttl");
    let hold_ttl = reader.duration(check, "hold_ttl");
    Some(Settings {
        refund_window: refund_window
            .optional()?
            .copied()
            .unwrap_or(defaults.refund_window),
        order_ttl: order_ttl.optional()?.copied().unwrap_or(defaults.order_ttl),
        hold_ttl: hold_ttl.optional()?.copied().unwrap_or(defaults.hold_ttl),
    })
}
