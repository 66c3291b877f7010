//! The shop's shelves over the data the repository ships: each item is on the shelf its kind
//! and effects say, and on exactly one.

use std::path::Path;

use crate::domain::shelf::{shelves, Shelf};
use crate::game_data::load_dir;

fn check(dir: &str, expected: &[(&str, Shelf)]) {
    let catalog = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).expect("valid data");
    for (id, shelf) in expected {
        let item = catalog.find(id).unwrap_or_else(|| panic!("{id} in {dir}"));
        assert_eq!(Shelf::of(item, &catalog), *shelf, "{id}");
    }
    let listed: usize = shelves(&catalog).iter().map(|(_, items)| items.len()).sum();
    let passes = catalog.passes().count();
    assert_eq!(listed + passes, catalog.items().len(), "every item but a pass (sold by /pass) is on exactly one shelf");
}

#[test]
fn shipped_items_are_on_the_shelves_their_effects_say() {
    use Shelf::*;
    check(
        "game_data",
        &[
            ("energy_refill", Energy),
            ("small_energy_pack", Energy),
            ("big_energy_pack", Energy),
            ("gem_pack", Gems),
            ("iron_pickaxe", Tools),
            ("diamond_drill", Tools),
            ("founders_golden_pickaxe", Tools),
            ("dynamite", Boosts),
            ("treasure_map", Boosts),
            ("lucky_lantern", Boosts),
            ("stopwatch", Arcade),
            ("crystal_lamp", Arcade),
            ("rush_hour", Arcade),
            ("starter_bundle", Bundles),
        ],
    );
}

#[test]
fn test_items_are_on_the_shelves_their_effects_say() {
    use Shelf::*;
    check(
        "tests/fixtures/game_data",
        &[
            ("energy", Energy),
            ("pickaxe", Tools),
            ("golden", Other),
            ("lantern", Boosts),
            ("crate", Other),
            ("rare", Other),
            ("starter", Bundles),
            ("gem_pack", Gems),
            ("stopwatch", Arcade),
            ("gold_skin", Arcade),
        ],
    );
}
