//! The simulator on small catalogs written as designers write them (`game_data` TOML), checked
//! against what the rules allow.

use std::path::Path;

use super::report::{csv_files, differences};
use super::*;

const LOOT: &str = "[[zones]]\nid = \"mine\"\nname = \"Mine\"\nfrom_depth = 0\n\n\
                    [[zones.drops]]\nid = \"nugget\"\nname = \"Nugget\"\ngems = 7\nweight = 1\n";
const ITEMS: &str = "[[items]]\nid = \"refill\"\nname = \"Refill\"\nprice_stars = 5\nenergy = 10\n\n\
                     [[items]]\nid = \"relic\"\nname = \"Relic\"\nprice_stars = 50\nstock = 5\n\n\
                     [[items]]\nid = \"statue\"\nname = \"Statue\"\nprice_stars = 90\n";
const SETTINGS: &str = "energy_max = 20\nenergy_regen = \"3m\"\nrun_seconds = 10\nrun_points_per_second = 50\n\
                        run_gems_per_100_points = 10\nrun_gems_per_day = 120\n";

/// A profile taking all the players, with `extra` keys and habits.
fn players(extra: &str) -> String {
    format!("[[profiles]]\nid = \"all\"\nname = \"All\"\nshare = 100\n{extra}")
}

fn catalog(items: &str, players: &str) -> Catalog {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in
        [("items.toml", items), ("loot.toml", LOOT), ("settings.toml", SETTINGS), ("players.toml", players)]
    {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    crate::game_data::load_dir(Path::new(dir.path())).unwrap_or_else(|problems| panic!("{problems:?}"))
}

fn run(catalog: &Catalog, players: u32, days: u32) -> Metrics {
    simulate(catalog, &Options { players, days, seed: 7 }, |_| true).unwrap()
}

#[test]
fn a_single_drop_without_luck_or_yield_gives_the_closed_form_gems() {
    // 2 visits of 8 digs: 16 points a day, which a 20-point bar regenerating every 3 minutes
    // always has; 2 runs a visit at full skill: 10 s × 50 points = 500 points, 50 gems each,
    // 4 runs a day worth 200 but the allowance is 120.
    let players =
        players("sessions_per_day = 2\ndigs_per_session = 8\nruns_per_session = 2\nskill_mean = 1\nskill_spread = 0\n");
    let metrics = run(&catalog(ITEMS, &players), 40, 5);
    for day in &metrics.days {
        assert_eq!(day.active, 40);
        assert_eq!(day.gems_dug, 40 * 16 * 7, "7 gems a find, no multiplier");
        assert_eq!(day.runs, 40 * 4);
        assert_eq!(day.gems_arcade, 40 * 120, "the daily allowance");
        assert_eq!(day.arcade_capped_players, 40);
        assert_eq!(day.energy_spent, 40 * 16);
    }
    assert_eq!(metrics.days[4].gems_held, 5 * 40 * (16 * 7 + 120));
}

#[test]
fn a_profile_that_never_pays_gives_no_revenue() {
    let habits = "[[profiles.buys]]\nitem = \"refill\"\nwhen = \"out_of_energy\"\nchance = 1\n\n\
                  [[profiles.buys]]\nitem = \"statue\"\nwhen = \"daily\"\nchance = 1\n";
    let players = players(&format!("sessions_per_day = 3\ndigs_per_session = 100\nweekly_budget = 0\n{habits}"));
    let metrics = run(&catalog(ITEMS, &players), 50, 7);
    assert_eq!(metrics.revenue(), 0);
    assert!(metrics.days.iter().all(|day| day.payers == 0 && day.purchases.iter().all(|units| *units == 0)));
    // The same habits with a budget do pay: the habits were live.
    let paying = players.replace("weekly_budget = 0", "weekly_budget = 500");
    assert!(run(&catalog(ITEMS, &paying), 50, 7).revenue() > 0);
}

#[test]
fn a_limited_item_never_sells_beyond_its_stock() {
    let habit = "[[profiles.buys]]\nitem = \"relic\"\nwhen = \"daily\"\nchance = 0.5\n";
    let players = players(&format!("sessions_per_day = 1\ndigs_per_session = 1\nweekly_budget = 1000\n{habit}"));
    let metrics = run(&catalog(ITEMS, &players), 60, 4);
    let relic = metrics.items.iter().position(|item| item == "relic").unwrap();
    assert_eq!(metrics.units(relic), 5);
    assert_eq!(metrics.sold_out_day(0), Some(1));
    assert!(metrics.days.iter().all(|day| day.stock_left == [0]));
    assert_eq!(metrics.revenue(), 5 * 50);
}

#[test]
fn a_retired_item_is_never_sold() {
    let habit = "[[profiles.buys]]\nitem = \"statue\"\nwhen = \"daily\"\nchance = 1\n";
    let players = players(&format!("sessions_per_day = 1\ndigs_per_session = 1\nweekly_budget = 1000\n{habit}"));
    let statue = |metrics: &Metrics| metrics.units(metrics.items.iter().position(|item| item == "statue").unwrap());
    assert!(statue(&run(&catalog(ITEMS, &players), 20, 3)) > 0, "the habit buys it while it is on sale");
    let retired = ITEMS.replace("price_stars = 90\n", "price_stars = 90\nretired = true\n");
    let metrics = run(&catalog(&retired, &players), 20, 3);
    assert_eq!((statue(&metrics), metrics.revenue()), (0, 0));
}

#[test]
fn energy_spent_in_a_day_stays_within_the_bar_regeneration_and_refills() {
    // Digging all day long: a day allows the bar (20) plus a point every 3 minutes (480), plus
    // whatever refills added.
    let habit = "[[profiles.buys]]\nitem = \"refill\"\nwhen = \"out_of_energy\"\nchance = 0.5\n";
    let players = players(&format!("sessions_per_day = 6\ndigs_per_session = 1000\nweekly_budget = 200\n{habit}"));
    let metrics = run(&catalog(ITEMS, &players), 30, 5);
    for (at, day) in metrics.days.iter().enumerate() {
        let allowed = u64::from(day.active) * (20 + 480) + day.energy_refilled;
        assert!(day.energy_spent <= allowed, "day {}: {} > {allowed}", at + 1, day.energy_spent);
        assert!(day.energy_refilled > 0, "day {}: refills were bought and used", at + 1);
        // Six visits a day, each until the bar is empty: at least five full bars.
        assert!(day.energy_spent >= u64::from(day.active) * 100, "day {}: they did dig", at + 1);
    }
}

#[test]
fn the_same_seed_gives_the_same_csv_files_and_another_seed_does_not() {
    let habit = "[[profiles.buys]]\nitem = \"relic\"\nwhen = \"daily\"\nchance = 0.1\n";
    let players = players(&format!("sessions_per_day = 2.5\ndigs_per_session = 12\nruns_per_session = 1.5\nchurn_per_day = 0.05\nweekly_budget = 100\n{habit}"));
    let catalog = catalog(ITEMS, &players);
    let options = Options { players: 200, days: 6, seed: 3 };
    let first = csv_files(&simulate(&catalog, &options, |_| true).unwrap());
    let second = csv_files(&simulate(&catalog, &options, |_| true).unwrap());
    assert_eq!(first, second);
    let other = csv_files(&simulate(&catalog, &Options { seed: 4, ..options }, |_| true).unwrap());
    assert_ne!(first, other);
}

#[test]
fn a_stop_between_days_ends_the_simulation_there() {
    let catalog = catalog(ITEMS, &players("sessions_per_day = 1\ndigs_per_session = 1\n"));
    let stopped = simulate(&catalog, &Options { players: 5, days: 10, seed: 1 }, |done| done < 3);
    assert_eq!(stopped, Err(Stopped { days_done: 3 }));
}

#[test]
fn a_price_change_changes_only_what_it_should() {
    let habit = "[[profiles.buys]]\nitem = \"refill\"\nwhen = \"out_of_energy\"\nchance = 0.5\nmax_price = 5\n";
    let players = players(&format!("sessions_per_day = 4\ndigs_per_session = 60\nweekly_budget = 300\n{habit}"));
    let before = run(&catalog(ITEMS, &players), 100, 5);
    // Nobody buys the statue: its price changes nothing at all.
    let statue = run(&catalog(&ITEMS.replace("price_stars = 90", "price_stars = 120"), &players), 100, 5);
    assert_eq!(differences(&statue, &before), "");
    // A dearer refill: above the habit's max price, nobody buys it any more.
    let refill = run(&catalog(&ITEMS.replace("price_stars = 5", "price_stars = 6"), &players), 100, 5);
    let changes = differences(&refill, &before);
    let changed: Vec<&str> = changes.lines().map(|line| line.trim_start().split("  ").next().unwrap()).collect();
    assert!(changed.contains(&"Stars revenue"), "{changes}");
    assert!(changed.contains(&"refill: units bought"), "{changes}");
    assert!(changed.contains(&"energy refilled by items"), "{changes}");
    assert!(!changed.iter().any(|label| label.starts_with("relic") || label.starts_with("statue")), "{changes}");
    assert_eq!(refill.revenue(), 0);
}
