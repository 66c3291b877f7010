//! `players.toml`: behaviour profiles, their keys, their shares and their references to the
//! other files.

use super::{load, summary, ENERGY, LOOT};
use crate::domain::profile::BuyWhen;

/// Asserts that `players.toml` beside valid items (`energy`) and loot gives exactly `expected`.
fn check(case: &str, players: &str, expected: &[&str]) {
    let files: Vec<(&str, &[u8])> =
        vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("players.toml", players.as_bytes())];
    let problems = load(&files).err().unwrap_or_default();
    assert_eq!(problems, expected, "case `{case}`");
}

const FREE: &str =
    "[[profiles]]\nid = \"free\"\nname = \"Free\"\nshare = 70\nsessions_per_day = 2.5\ndigs_per_session = 20\n";
const PAYER: &str = "[[profiles]]\nid = \"payer\"\nname = \"Payer\"\nshare = 30\nsessions_per_day = 3\n\
                     digs_per_session = 30\nweekly_budget = 50\n\n[[profiles.buys]]\nitem = \"energy\"\n\
                     when = \"out_of_energy\"\nchance = 0.25\nmax_price = 5\n";

#[test]
fn a_valid_file_builds_the_profiles_with_their_defaults() {
    let text = format!("{FREE}\n{PAYER}");
    let files: Vec<(&str, &[u8])> =
        vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes()), ("players.toml", text.as_bytes())];
    let catalog = load(&files).unwrap();
    let [free, payer] = catalog.population.profiles.as_slice() else { panic!("two profiles") };
    assert_eq!((free.id.as_str(), free.share, free.sessions_per_day, free.digs_per_session), ("free", 70.0, 2.5, 20));
    assert_eq!((free.runs_per_session, free.skill.mean, free.churn_per_day, free.weekly_budget), (0.0, 0.5, 0.0, 0));
    assert!(free.buys.is_empty() && free.gem_order.is_empty());
    let buy = &payer.buys[0];
    assert_eq!(
        (buy.item.as_str(), buy.when, buy.chance, buy.max_price),
        ("energy", BuyWhen::OutOfEnergy, 0.25, Some(5))
    );
    assert!(summary(&catalog).contains(", 2 player profiles, version "), "{}", summary(&catalog));
    // Without the file: nobody to simulate, still valid, and the summary says nothing of it.
    let plain: Vec<(&str, &[u8])> = vec![("items.toml", ENERGY.as_bytes()), ("loot.toml", LOOT.as_bytes())];
    let catalog = load(&plain).unwrap();
    assert!(catalog.population.profiles.is_empty());
    assert!(!summary(&catalog).contains("profile"));
}

#[test]
fn shares_must_add_up_to_100() {
    check(
        "70 + 20",
        &format!("{FREE}\n{}", PAYER.replace("share = 30", "share = 20")),
        &["gd/players.toml:11: the profiles' shares add up to 90, not 100: each `share` is a percent of the players"],
    );
    check(
        "fractions",
        &format!("{}\n{}", FREE.replace("share = 70", "share = 70.5"), PAYER.replace("share = 30", "share = 29.5")),
        &[],
    );
}

#[test]
fn every_bad_key_and_reference_is_reported_with_its_line() {
    check("empty", "", &["gd/players.toml:1: no profiles: add at least one `[[profiles]]` table"]);
    check(
        "duplicate id",
        &format!("{FREE}\n{}", FREE.replace("70", "30")),
        &["gd/players.toml:9: duplicate profile id `free`; it is first defined on line 2"],
    );
    check(
        "values out of range",
        &format!("{}churn_per_day = 2\nskill_mean = -0.1\n\n{PAYER}", FREE.replace("20", "-1")),
        &[
            "gd/players.toml:6: `digs_per_session` must be 0 to 10000, got -1",
            "gd/players.toml:7: `churn_per_day` must be a chance a day from 0 to 1, got 2",
            "gd/players.toml:8: `skill_mean` must be a fraction of the run's ceiling from 0 to 1, got -0.1",
        ],
    );
    check(
        "references",
        &format!("{}gem_order = [\"pick\"]\n\n{}", FREE, PAYER.replace("item = \"energy\"", "item = \"dynamite\"")),
        &[
            "gd/players.toml:7: `gem_order` names `pick`, which is no track or cosmetic of upgrades.toml",
            "gd/players.toml:18: `item` names unknown item `dynamite`",
        ],
    );
}
