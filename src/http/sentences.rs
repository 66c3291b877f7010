//! The game page's sentences that carry a player's names and numbers, formatted by the server in
//! the player's language (`assets/i18n/<lang>/game.ftl`) where the API answers: what a bought
//! item does next and its gear notes (`GET /api/shop`), the Pay link (`POST /api/buy`), what a
//! used item did (`POST /api/use`) and what an upgrade level gives. The page shows them as they
//! are: it holds no sentence of its own but the fallbacks for a failed call.

use std::time::Duration;

use crate::domain::economy::{Track, TrackEffect};
use crate::domain::{grant_units, Catalog, Item, ItemKind};
use crate::i18n::{t, Lang};
use crate::telegram::texts::grant_phrase;

/// A duration in its largest whole unit, the long way: "10 minutes", "1 hour", "1 min 30 s".
pub fn duration(lang: Lang, lasts: Duration) -> String {
    let seconds = lasts.as_secs();
    if seconds >= 3600 && seconds % 3600 == 0 {
        t!(lang, "page-duration-hours", n = seconds / 3600)
    } else if seconds >= 60 && seconds % 60 == 0 {
        t!(lang, "page-duration-minutes", n = seconds / 60)
    } else if seconds < 60 {
        t!(lang, "page-duration-seconds", n = seconds)
    } else {
        t!(lang, "page-duration-minutes-seconds", m = seconds / 60, s = seconds % 60)
    }
}

/// What happens next with a bought `item`, one sentence for the page's order box.
pub fn receipt(lang: Lang, item: &Item, catalog: &Catalog) -> String {
    let name = item.name_in(lang);
    let delivers = || grant_phrase(lang, catalog, &grant_units(&catalog.grants(item)));
    match &item.kind {
        ItemKind::Boost { duration: lasts } => {
            t!(lang, "page-receipt-boost", item = name, duration = duration(lang, *lasts))
        }
        ItemKind::Permanent => t!(lang, "page-receipt-permanent", item = name),
        ItemKind::Bundle { .. } => t!(lang, "page-receipt-bundle", item = name, delivers = delivers()),
        _ if item.effects.gems.is_some() => t!(lang, "page-receipt-gems", delivers = delivers()),
        _ if item.effects.energy.is_some() => t!(lang, "page-receipt-energy", item = name),
        _ => t!(lang, "page-receipt-item", item = name),
    }
}

/// A held boost's gear note: how long it runs once started, and what Start adds while it runs.
pub fn boost_notes(lang: Lang, lasts: Duration) -> (String, String) {
    let lasts = duration(lang, lasts);
    (t!(lang, "page-boost-runs-for", duration = lasts.as_str()), t!(lang, "page-boost-adds", duration = lasts))
}

/// The label of the page's Pay link ("Pay 25"; the page adds the star).
pub fn pay(lang: Lang, amount: u32) -> String {
    t!(lang, "page-pay", n = amount)
}

/// What using `name` did: a boost now running for `seconds_left` (and the score multiplier runs
/// started now get, when above 1), or the energy it gave.
pub fn used(
    lang: Lang,
    name: &str,
    boost_seconds_left: Option<u64>,
    score_multiplier: f64,
    energy: (u32, u32),
) -> String {
    let Some(seconds) = boost_seconds_left else {
        return t!(lang, "page-used-energy", item = name, energy = energy.0, max = energy.1);
    };
    let left = duration(lang, Duration::from_secs(seconds));
    if score_multiplier > 1.0 {
        t!(lang, "page-used-boost-score", item = name, duration = left, x = score_multiplier)
    } else {
        t!(lang, "page-used-boost", item = name, duration = left)
    }
}

/// What `level` levels of `track` give, in a few words for the upgrades card.
pub fn track_effect(lang: Lang, track: &Track, level: u32) -> String {
    let amount = level * track.per_level;
    match track.effect {
        TrackEffect::Yield => t!(lang, "page-effect-yield", amount = amount),
        TrackEffect::Luck => t!(lang, "page-effect-luck", amount = amount),
        TrackEffect::EnergyCap => t!(lang, "page-effect-energy-cap", amount = amount),
        TrackEffect::Regen => t!(lang, "page-effect-regen", amount = amount),
        TrackEffect::RunSeconds => t!(lang, "page-effect-run-seconds", amount = amount),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::game_data::load_dir;

    fn shipped() -> Catalog {
        load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("game_data")).expect("valid data")
    }

    #[test]
    fn a_receipt_says_what_happens_next_with_each_kind_of_item() {
        let catalog = shipped();
        let receipt = |lang, id: &str| receipt(lang, catalog.find(id).unwrap(), &catalog);
        assert_eq!(
            receipt(Lang::En, "dynamite"),
            "Dynamite is in your inventory — press Start to run it for 10 minutes."
        );
        assert_eq!(receipt(Lang::En, "iron_pickaxe"), "Iron Pickaxe is yours for good — it's already working.");
        assert!(
            receipt(Lang::En, "starter_bundle").starts_with("Starter Bundle delivered: "),
            "{}",
            receipt(Lang::En, "starter_bundle")
        );
        assert!(
            receipt(Lang::En, "gem_pack").ends_with(" gems added to your stash."),
            "{}",
            receipt(Lang::En, "gem_pack")
        );
        assert_eq!(
            receipt(Lang::En, "energy_refill"),
            "Energy Refill is in your inventory — press Use when you need energy."
        );
        assert_eq!(
            receipt(Lang::Ru, "dynamite"),
            "«Динамит» у вас в запасах — нажмите «Старт»; время действия — 10 минут."
        );
        assert!(receipt(Lang::Fa, "dynamite").contains("۱۰"), "Persian digits: {}", receipt(Lang::Fa, "dynamite"));
    }

    #[test]
    fn a_duration_is_said_in_its_largest_whole_unit() {
        let said = |lang, seconds: &[u64]| -> Vec<String> {
            seconds.iter().map(|s| duration(lang, Duration::from_secs(*s))).collect()
        };
        assert_eq!(
            said(Lang::En, &[1, 10, 60, 90, 1800, 3600, 7200, 5400]),
            ["1 second", "10 seconds", "1 minute", "1 min 30 s", "30 minutes", "1 hour", "2 hours", "90 minutes"]
        );
        assert_eq!(said(Lang::Ru, &[60, 120, 300, 3600]), ["1 минута", "2 минуты", "5 минут", "1 час"]);
    }

    #[test]
    fn using_an_item_says_what_it_started_or_refilled() {
        assert_eq!(
            used(Lang::En, "Rush Hour", Some(60), 2.0, (0, 0)),
            "Rush Hour is running — 1 minute left. Runs you start now score ×2."
        );
        assert_eq!(used(Lang::En, "Lantern", Some(1800), 1.0, (0, 0)), "Lantern is running — 30 minutes left.");
        assert_eq!(used(Lang::En, "Energy", None, 1.0, (10, 10)), "Energy used — energy 10/10.");
        assert_eq!(
            used(Lang::Ru, "Энергия", None, 1.0, (1500, 2000)),
            "Использовано: «Энергия» — энергия 1\u{a0}500/2\u{a0}000."
        );
        assert_eq!(
            boost_notes(Lang::En, Duration::from_secs(600)),
            ("runs 10 minutes once started".into(), "Start adds 10 minutes more".into())
        );
        assert_eq!(pay(Lang::Ru, 1500), "Оплатить 1\u{a0}500");
    }

    #[test]
    fn an_upgrade_level_says_what_it_gives_in_the_players_language() {
        let catalog = shipped();
        let pickaxe = catalog.economy.track("pickaxe").unwrap();
        assert_eq!(track_effect(Lang::En, pickaxe, 2), "+20% gems per find");
        assert_eq!(track_effect(Lang::Ru, pickaxe, 2), "+20% самоцветов за находку");
        let persian = track_effect(Lang::Fa, pickaxe, 2).replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(persian, "+۲۰٪ جواهر در هر یافته");
    }
}
