//! Subscriptions (`kind = "subscription"`): their perks, the keys only they have, and the keys
//! they may not have. Inputs are written from column 0 so that line numbers can be read off.

use std::time::Duration;

use super::{check, load, LOOT};
use crate::domain::{ItemKind, PassPerks};

/// A pass `p` (line 1 its header, line 5 its `kind`) with `keys` from line 6.
fn pass(keys: &str) -> String {
    format!("[[items]]\nid = \"p\"\nname = \"P\"\nprice_stars = 10000\nkind = \"subscription\"\n{keys}\n")
}

#[test]
fn subscription_rules() {
    let cases: &[(&str, String, &[&str])] = &[
        ("every perk", pass("energy_cap = 25\nregen = 30\ndaily_gems = 50\nskin = \"crystal\"\nrefundable_use = \"2d\""), &[]),
        ("a skin alone", pass("skin = \"dragon\""), &[]),
        ("no perk", pass(""), &["gd/items.toml:1: a subscription needs at least one perk: energy_cap, regen, daily_gems or skin"]),
        (
            "out of range",
            pass("energy_cap = 0\nregen = 3601\ndaily_gems = 100001"),
            &[
                "gd/items.toml:6: `energy_cap` must be 1 to 1000, got 0",
                "gd/items.toml:7: `regen` must be 1 to 3600, got 3601",
                "gd/items.toml:8: `daily_gems` must be 1 to 100000, got 100001",
            ],
        ),
        (
            "stock and limit",
            pass("daily_gems = 5\nstock = 10\nmax_per_player = 1"),
            &[
                "gd/items.toml:7: `stock` is not for subscriptions: a player holds one pass at a time, and passes never run out",
                "gd/items.toml:8: `max_per_player` is not for subscriptions: a player holds one pass at a time, and passes never run out",
            ],
        ),
        (
            "a whole period refundable",
            pass("daily_gems = 5\nrefundable_use = \"30d\""),
            &["gd/items.toml:7: `refundable_use` must be shorter than the 30-day period"],
        ),
        (
            "an item effect",
            pass("daily_gems = 5\nyield_multiplier = 2"),
            &["gd/items.toml:7: `yield_multiplier` is only for permanent items and boosts; this item is a subscription"],
        ),
        (
            "perks on another kind",
            "[[items]]\nid = \"t\"\nname = \"T\"\nprice_stars = 1\nkind = \"permanent\"\nenergy_cap = 5\nrefundable_use = \"1d\"\n".into(),
            &[
                "gd/items.toml:6: `energy_cap` is only for subscriptions; this item is a permanent",
                "gd/items.toml:7: `refundable_use` is only for subscriptions; this item is a permanent",
            ],
        ),
        ("over the Stars limit", pass("daily_gems = 5").replace("10000", "10001"), &["gd/items.toml:4: `price_stars` must be 1 to 10000, got 10001"]),
    ];
    for (case, items, expected) in cases {
        check(case, items, None, expected);
    }
}

#[test]
fn a_pass_becomes_a_subscription_off_the_shop_shelves() {
    let items = pass("energy_cap = 25\nregen = 30\ndaily_gems = 50\nskin = \"crystal\"");
    let catalog = load(&[("items.toml", items.as_bytes()), ("loot.toml", LOOT.as_bytes())]).unwrap();
    let item = catalog.find("p").unwrap();
    let perks = PassPerks { energy_cap: 25, regen: 30, daily_gems: 50 };
    assert_eq!(item.kind, ItemKind::Subscription { perks, refundable_use: Duration::from_secs(48 * 3600) });
    assert_eq!(item.effects.skin.as_deref(), Some("crystal"));
    assert_eq!(catalog.on_sale().count(), 0, "the shop never lists a pass");
    assert_eq!(catalog.passes().map(|item| item.id.as_str()).collect::<Vec<_>>(), ["p"]);
}

#[test]
fn a_pass_only_skin_and_the_perks_count_while_the_pass_runs() {
    use crate::domain::Upgrades;
    let items = pass("energy_cap = 25\nregen = 30\nskin = \"crystal\"");
    let catalog = load(&[("items.toml", items.as_bytes()), ("loot.toml", LOOT.as_bytes())]).unwrap();
    let none = Default::default();
    let running = Upgrades { passes: [("p".to_owned(), 1_000)].into(), ..Upgrades::default() };
    assert_eq!(catalog.skins_available(&none, &running, 999), ["classic", "crystal"]);
    assert_eq!(catalog.skins_available(&none, &running, 1_000), ["classic"], "gone with the pass");
    assert_eq!(catalog.run_params(&none, &Default::default(), &running, Some("crystal"), 999).skin, "crystal");
    assert_eq!(catalog.run_params(&none, &Default::default(), &running, Some("crystal"), 1_000).skin, "classic");
    let base = catalog.energy_rules(&Upgrades::default(), 0);
    let with = catalog.energy_rules(&running, 999);
    assert_eq!((with.max, with.regen + Duration::from_secs(30)), (base.max + 25, base.regen));
    assert_eq!(catalog.energy_rules(&running, 1_000), base);
}
