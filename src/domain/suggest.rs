//! "Did you mean": the items closest to what a player typed after `/buy` or `/use`, by their id
//! and their name — a prefix or a word of either first, then text that contains it, then near
//! misspellings (Jaro-Winkler similarity, from `strsim`).

use super::catalog::Item;

/// How many suggestions a reply offers at most.
pub const MAX_SUGGESTIONS: usize = 3;

/// Below this similarity a misspelling is not suggested.
const FUZZY_THRESHOLD: f64 = 0.85;

/// The items (at most [`MAX_SUGGESTIONS`]) closest to `typed`, best first (ties keep the
/// catalog's order); none when nothing is close.
pub fn closest<'a>(typed: &str, items: impl IntoIterator<Item = &'a Item>) -> Vec<&'a Item> {
    let items: Vec<&Item> = items.into_iter().collect();
    let names: Vec<(&str, &str)> = items.iter().map(|item| (item.id.as_str(), item.name.as_str())).collect();
    rank(typed, &names).into_iter().map(|at| items[at]).collect()
}

/// Indices into `candidates` (id, name) of the closest ones, best first.
fn rank(typed: &str, candidates: &[(&str, &str)]) -> Vec<usize> {
    let typed = normalize(typed);
    if typed.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(at, (id, name))| (score(&typed, &normalize(id)).max(score(&typed, &normalize(name))), at))
        .filter(|(score, _)| *score >= FUZZY_THRESHOLD)
        .collect();
    // Stable: equal scores keep the catalog's order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(MAX_SUGGESTIONS).map(|(_, at)| at).collect()
}

/// Lowercase words joined by `_` ("Founder's Golden Pickaxe" -> `founders_golden_pickaxe`).
fn normalize(text: &str) -> String {
    let lower = text.to_lowercase().replace(['\'', '’'], "");
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    words.join("_")
}

/// How close `typed` is to one candidate (both normalized), 0 to 1.
fn score(typed: &str, candidate: &str) -> f64 {
    if candidate == typed {
        return 1.0;
    }
    let words = || candidate.split('_');
    if candidate.starts_with(typed) {
        return 0.97;
    }
    if words().any(|word| word.starts_with(typed)) {
        return 0.95;
    }
    if typed.len() >= 3 && candidate.contains(typed) {
        return 0.93;
    }
    if candidate.len() >= 3 && typed.contains(candidate) {
        return 0.91;
    }
    let whole = strsim::jaro_winkler(typed, candidate);
    // A misspelt word of a longer name ("pikaxe" for iron_pickaxe) counts a little less.
    let word = words().map(|word| strsim::jaro_winkler(typed, word) - 0.02).fold(0.0, f64::max);
    whole.max(word).min(0.9)
}

#[cfg(test)]
mod tests {
    use super::rank;

    /// The shipped catalog's ids and names.
    const SHIPPED: &[(&str, &str)] = &[
        ("energy_refill", "Energy Refill"),
        ("small_energy_pack", "Small Energy Pack"),
        ("big_energy_pack", "Big Energy Pack"),
        ("gem_pack", "Gem Pack"),
        ("iron_pickaxe", "Iron Pickaxe"),
        ("diamond_drill", "Diamond Drill"),
        ("founders_golden_pickaxe", "Founder's Golden Pickaxe"),
        ("dynamite", "Dynamite"),
        ("treasure_map", "Treasure Map"),
        ("lucky_lantern", "Lucky Lantern"),
        ("stopwatch", "Stopwatch"),
        ("crystal_lamp", "Crystal Lamp"),
        ("rush_hour", "Rush Hour"),
        ("starter_bundle", "Starter Bundle"),
    ];

    fn check(typed: &str, expected: &[&str]) {
        let found: Vec<&str> = rank(typed, SHIPPED).into_iter().map(|at| SHIPPED[at].0).collect();
        assert_eq!(found, expected, "suggestions for `{typed}`");
    }

    #[test]
    fn suggestions() {
        check("pickaxe", &["iron_pickaxe", "founders_golden_pickaxe"]);
        check("energy", &["energy_refill", "small_energy_pack", "big_energy_pack"]);
        check("refill", &["energy_refill"]);
        check("Lucky Lantern", &["lucky_lantern"]);
        check("lanter", &["lucky_lantern"]);
        check("pikaxe", &["iron_pickaxe", "founders_golden_pickaxe"]);
        check("dynamit", &["dynamite"]);
        check("dinamite", &["dynamite"]);
        check("founder's", &["founders_golden_pickaxe"]);
        check("gems", &["gem_pack"]);
        check("drill", &["diamond_drill"]);
        check("qqqq", &[]);
        check("", &[]);
        check("  ", &[]);
    }
}
