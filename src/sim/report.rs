//! A simulation's results as text: one CSV file per plot of the report (the same series, day by
//! day, byte-identical for the same seed and data), the one-screen summary, and the differences
//! between two catalogs' summaries (`--against`).

use std::fmt::Write as _;
use std::path::Path;

use super::metrics::{Day, Metrics};

/// Every CSV file, (name, contents), in the order the report shows its plots.
pub fn csv_files(metrics: &Metrics) -> Vec<(&'static str, String)> {
    vec![
        ("revenue.csv", revenue(metrics)),
        ("paying.csv", paying(metrics)),
        ("purchases.csv", purchases(metrics)),
        ("purchase_totals.csv", purchase_totals(metrics)),
        ("gems.csv", gems(metrics)),
        ("upgrades.csv", upgrades(metrics)),
        ("zones.csv", zones(metrics)),
        ("energy.csv", energy(metrics)),
        ("arcade.csv", arcade(metrics)),
        ("stock.csv", stock(metrics)),
        ("sold_out.csv", sold_out(metrics)),
        ("active.csv", active(metrics)),
    ]
}

/// Writes every CSV file into `dir` (created if missing); returns the paths written.
pub fn write_csv(dir: &Path, metrics: &Metrics) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, contents) in csv_files(metrics) {
        let path = dir.join(name);
        std::fs::write(&path, contents)?;
        written.push(path);
    }
    Ok(written)
}

/// A table with a `day` column (1-based) and one row per day from `row`.
fn by_day(metrics: &Metrics, header: &[&str], mut row: impl FnMut(usize, &Day) -> Vec<String>) -> String {
    let mut text = format!("day,{}\n", header.join(","));
    for (at, day) in metrics.days.iter().enumerate() {
        let _ = writeln!(text, "{},{}", at + 1, row(at, day).join(","));
    }
    text
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        part / whole
    }
}

/// Four decimals: fixed, so the same numbers always print the same.
fn decimal(value: f64) -> String {
    format!("{value:.4}")
}

fn names(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

fn revenue(metrics: &Metrics) -> String {
    let mut total = 0;
    by_day(metrics, &["revenue_stars", "cumulative_stars"], |_, day| {
        total += day.revenue;
        vec![day.revenue.to_string(), total.to_string()]
    })
}

fn paying(metrics: &Metrics) -> String {
    let mut total = 0;
    let header = [
        "active_players",
        "paying_players",
        "paying_share",
        "stars_per_paying_player",
        "payers_ever",
        "arppu_cumulative",
    ];
    by_day(metrics, &header, |_, day| {
        total += day.revenue;
        vec![
            day.active.to_string(),
            day.payers.to_string(),
            decimal(ratio(f64::from(day.payers), f64::from(day.active))),
            decimal(ratio(day.revenue as f64, f64::from(day.payers))),
            day.payers_ever.to_string(),
            decimal(ratio(total as f64, f64::from(day.payers_ever))),
        ]
    })
}

fn purchases(metrics: &Metrics) -> String {
    by_day(metrics, &names(&metrics.items), |_, day| day.purchases.iter().map(u64::to_string).collect())
}

fn purchase_totals(metrics: &Metrics) -> String {
    let mut text = "item,units,stars\n".to_owned();
    for (at, item) in metrics.items.iter().enumerate() {
        let units = metrics.units(at);
        let _ = writeln!(text, "{item},{units},{}", metrics.revenue_of(at));
    }
    text
}

fn gems(metrics: &Metrics) -> String {
    let header =
        ["created_digs", "created_arcade", "created_packs", "spent_upgrades", "spent_cosmetics", "in_circulation"];
    by_day(metrics, &header, |_, day| {
        [day.gems_dug, day.gems_arcade, day.gems_packs, day.gems_upgrades, day.gems_cosmetics, day.gems_held]
            .map(|value| value.to_string())
            .to_vec()
    })
}

/// One row per day and profile: the mean level of each track.
fn upgrades(metrics: &Metrics) -> String {
    let mut text = format!("day,profile,{}\n", names(&metrics.tracks).join(","));
    for at in 0..metrics.days.len() {
        for (profile, id) in metrics.profiles.iter().enumerate() {
            let levels: Vec<String> =
                (0..metrics.tracks.len()).map(|track| decimal(metrics.mean_level(at, profile, track))).collect();
            let _ = writeln!(text, "{},{id},{}", at + 1, levels.join(","));
        }
    }
    text
}

fn zones(metrics: &Metrics) -> String {
    let mut header: Vec<String> = metrics.zones.iter().map(|zone| format!("players_{zone}")).collect();
    header.extend(metrics.zones.iter().map(|zone| format!("digs_{zone}")));
    by_day(metrics, &names(&header), |_, day| {
        let players = day.zone_players.iter().map(u32::to_string);
        players.chain(day.digs_by_zone.iter().map(u64::to_string)).collect()
    })
}

fn energy(metrics: &Metrics) -> String {
    by_day(metrics, &["spent", "regenerated", "refilled"], |_, day| {
        [day.energy_spent, day.energy_regenerated, day.energy_refilled].map(|value| value.to_string()).to_vec()
    })
}

fn arcade(metrics: &Metrics) -> String {
    let header = ["runs", "gems_awarded", "gems_per_active_player", "daily_limit", "share_at_limit"];
    by_day(metrics, &header, |_, day| {
        let active = f64::from(day.active);
        vec![
            day.runs.to_string(),
            day.gems_arcade.to_string(),
            decimal(ratio(day.gems_arcade as f64, active)),
            metrics.arcade_gems_per_day.to_string(),
            decimal(ratio(f64::from(day.arcade_capped_players), active)),
        ]
    })
}

fn stock(metrics: &Metrics) -> String {
    let header: Vec<&str> = metrics.limited.iter().map(|(item, _)| metrics.items[*item].as_str()).collect();
    by_day(metrics, &header, |_, day| day.stock_left.iter().map(u64::to_string).collect())
}

fn sold_out(metrics: &Metrics) -> String {
    let mut text = "item,stock,sold_out_day\n".to_owned();
    for (at, (item, stock)) in metrics.limited.iter().enumerate() {
        let day = metrics.sold_out_day(at).map(|day| day.to_string()).unwrap_or_default();
        let _ = writeln!(text, "{},{stock},{day}", metrics.items[*item]);
    }
    text
}

fn active(metrics: &Metrics) -> String {
    by_day(metrics, &["active_players", "churned"], |_, day| vec![day.active.to_string(), day.churned.to_string()])
}

/// One number of the summary: what it is and its value, compared by label with `--against`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub label: String,
    pub value: f64,
    /// Decimals to print.
    pub decimals: usize,
}

fn fact(label: impl Into<String>, value: f64, decimals: usize) -> Fact {
    Fact { label: label.into(), value, decimals }
}

/// The summary's numbers, in the order printed.
pub fn facts(metrics: &Metrics) -> Vec<Fact> {
    let days = metrics.days.len().max(1) as f64;
    let last = metrics.days.last().cloned().unwrap_or_default();
    let revenue = metrics.revenue() as f64;
    let created: u64 = metrics.days.iter().map(Day::gems_created).sum();
    let spent: u64 = metrics.days.iter().map(Day::gems_spent).sum();
    let mut facts = vec![
        fact("Stars revenue", revenue, 0),
        fact("Stars a day", revenue / days, 1),
        fact("paying players, % of all", ratio(f64::from(last.payers_ever), f64::from(metrics.players)) * 100.0, 2),
        fact("ARPPU (Stars per paying player)", ratio(revenue, f64::from(last.payers_ever)), 1),
        fact("gems created", created as f64, 0),
        fact("gems spent", spent as f64, 0),
        fact("gems in circulation at the end", last.gems_held as f64, 0),
        fact("gems held per active player at the end", ratio(last.gems_held as f64, f64::from(last.active)), 1),
        fact("active players at the end", f64::from(last.active), 0),
        fact(
            "arcade gems per active player a day",
            ratio(metrics.days.iter().map(|day| day.gems_arcade).sum::<u64>() as f64, active_days(metrics)),
            1,
        ),
        fact(
            "players at the arcade limit, % a day",
            ratio(metrics.days.iter().map(|day| f64::from(day.arcade_capped_players)).sum(), active_days(metrics))
                * 100.0,
            2,
        ),
        fact("energy refilled by items", metrics.days.iter().map(|day| day.energy_refilled as f64).sum(), 0),
    ];
    for (at, item) in metrics.items.iter().enumerate() {
        facts.push(fact(format!("{item}: units bought"), metrics.units(at) as f64, 0));
        facts.push(fact(format!("{item}: Stars"), metrics.revenue_of(at) as f64, 0));
    }
    for (at, (item, _)) in metrics.limited.iter().enumerate() {
        let day = metrics.sold_out_day(at).map_or(0.0, f64::from);
        facts.push(fact(format!("{}: sold out on day (0: never)", metrics.items[*item]), day, 0));
    }
    for (profile, levels) in metrics.profiles.iter().zip(&metrics.median_levels) {
        for (track, level) in metrics.tracks.iter().zip(levels) {
            facts.push(fact(format!("{profile}: median {track} level"), f64::from(*level), 0));
        }
    }
    facts
}

fn active_days(metrics: &Metrics) -> f64 {
    metrics.days.iter().map(|day| f64::from(day.active)).sum()
}

/// The one-screen summary: `title`, then the headline numbers, the top items, stock, levels.
pub fn summary(metrics: &Metrics, title: &str) -> String {
    let facts = facts(metrics);
    let mut text = format!("{title}\n");
    let headline = facts.iter().take_while(|fact| !fact.label.contains(": "));
    for fact in headline {
        let _ = writeln!(text, "  {:<42} {}", fact.label, number(fact.value, fact.decimals));
    }
    let mut top: Vec<usize> = (0..metrics.items.len()).filter(|at| metrics.units(*at) > 0).collect();
    top.sort_by_key(|at| (std::cmp::Reverse(metrics.revenue_of(*at)), *at));
    let top: Vec<String> = top
        .iter()
        .take(5)
        .map(|at| format!("{} {} ({} ⭐)", metrics.items[*at], metrics.units(*at), metrics.revenue_of(*at)))
        .collect();
    let _ =
        writeln!(text, "  {:<42} {}", "top items", if top.is_empty() { "none sold".into() } else { top.join(", ") });
    for (at, (item, stock)) in metrics.limited.iter().enumerate() {
        let when = match metrics.sold_out_day(at) {
            Some(day) => format!("sold out on day {day}"),
            None => format!("{} of {stock} left", metrics.days.last().map_or(0, |day| day.stock_left[at])),
        };
        let _ = writeln!(text, "  {:<42} {when}", format!("{} (stock {stock})", metrics.items[*item]));
    }
    for (profile, levels) in metrics.profiles.iter().zip(&metrics.median_levels) {
        let levels: Vec<String> =
            metrics.tracks.iter().zip(levels).map(|(track, level)| format!("{track} {level}")).collect();
        let _ = writeln!(text, "  {:<42} {}", format!("median levels, {profile}"), levels.join(", "));
    }
    text
}

/// What changed from `against` to `current`: one line per fact whose value differs, with the
/// absolute and relative change; nothing else.
pub fn differences(current: &Metrics, against: &Metrics) -> String {
    let before = facts(against);
    let after = facts(current);
    let mut text = String::new();
    for now in &after {
        let Some(then) = before.iter().find(|then| then.label == now.label) else {
            let _ = writeln!(text, "  {:<42} {} (new)", now.label, number(now.value, now.decimals));
            continue;
        };
        let scale = 10f64.powi(now.decimals as i32);
        if (now.value * scale).round() == (then.value * scale).round() {
            continue;
        }
        let change = now.value - then.value;
        let relative =
            if then.value == 0.0 { String::new() } else { format!(", {:+.1}%", change / then.value * 100.0) };
        let sign = if change > 0.0 { "+" } else { "" };
        let _ = writeln!(
            text,
            "  {:<42} {} -> {} ({sign}{}{relative})",
            now.label,
            number(then.value, then.decimals),
            number(now.value, now.decimals),
            number(change, now.decimals)
        );
    }
    for then in before.iter().filter(|then| !after.iter().any(|now| now.label == then.label)) {
        let _ = writeln!(text, "  {:<42} {} (gone)", then.label, number(then.value, then.decimals));
    }
    text
}

fn number(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}")
}
