//! Every string a player reads in chat, one typed function or constant per text, in the player's
//! language: the words are Fluent messages (`assets/i18n/<lang>/starmine.ftl`, through
//! [`crate::i18n`]); this module picks the message and passes its values. The shop's texts are in
//! [`shop`], refunds' in [`refunds`], gifts' in [`gifts`], the menu's and buttons' in [`menu`]; what only admins
//! read (console links, support replies, voided payments) is in [`admin`], in English.

mod admin;
mod gifts;
mod menu;
mod pass;
mod refunds;
mod shop;

use std::time::Duration;

use crate::domain::economy::{Cosmetic, Economy, GemPurchase, GemRefusal, Track, TrackEffect};
use crate::domain::{Catalog, Item, ItemKind, Refusal, UserId};
use crate::game::{Find, PlayerView};
use crate::i18n::{duration, number, t, Lang};

pub use self::admin::*;
pub use self::gifts::*;
pub use self::menu::*;
pub use self::pass::*;
pub use self::refunds::*;
pub use self::shop::*;

pub fn start(lang: Lang) -> String {
    t!(lang, "start")
}

/// The terms of sale, with the refund window designers set in `settings.toml`.
pub fn terms(lang: Lang, refund_window: Duration) -> String {
    t!(lang, "terms", window = duration(lang, refund_window))
}

pub fn paysupport(lang: Lang) -> String {
    t!(lang, "paysupport")
}

pub fn support_sent(lang: Lang) -> String {
    t!(lang, "support-sent")
}

/// Stored, but no admin could be reached in chat right now: it waits in the support inbox.
pub fn support_no_admins(lang: Lang) -> String {
    t!(lang, "support-no-admins")
}

/// An admin's answer to the player's support message `#id`.
pub fn support_answer(lang: Lang, id: u64, answer: &str) -> String {
    t!(lang, "support-answer", id = id.to_string(), answer = answer)
}

pub fn support_not_stored(lang: Lang) -> String {
    t!(lang, "support-not-stored")
}

pub fn unknown_command(lang: Lang) -> String {
    t!(lang, "unknown-command")
}

pub fn not_understood(lang: Lang) -> String {
    t!(lang, "not-understood")
}

pub fn slow_down(lang: Lang) -> String {
    t!(lang, "slow-down")
}

pub fn group_shop(lang: Lang) -> String {
    t!(lang, "group-shop")
}

pub fn group_button(lang: Lang) -> String {
    t!(lang, "group-button")
}

pub fn shop_empty(lang: Lang) -> String {
    t!(lang, "shop-empty")
}

pub fn inventory_empty(lang: Lang) -> String {
    t!(lang, "inventory-empty")
}

/// `/inventory`: a line per item held, `• Energy Refill ×3`.
pub fn inventory(lang: Lang, catalog: &Catalog, held: &std::collections::BTreeMap<String, u64>) -> String {
    let lines: Vec<String> =
        held.iter().map(|(item, qty)| format!("• {} ×{}", catalog.name_in(lang, item), number(lang, *qty))).collect();
    t!(lang, "inventory", lines = lines.join("\n"))
}

pub fn service_trouble(lang: Lang) -> String {
    t!(lang, "service-trouble")
}

pub fn play_off(lang: Lang) -> String {
    t!(lang, "play-off")
}

/// Why `/buy` (or a Buy button) sends no invoice.
pub fn cannot_buy(lang: Lang, item: &Item, refusal: Refusal) -> String {
    let name = item.name_in(lang);
    match refusal {
        Refusal::SoldOut => t!(lang, "cannot-buy-sold-out", item = name),
        Refusal::LimitReached => match item.max_per_player {
            Some(max) => t!(lang, "cannot-buy-limit", item = name, max = max),
            None => t!(lang, "cannot-buy-more", item = name),
        },
        Refusal::AlreadyOwned => t!(lang, "cannot-buy-owned", item = name),
        Refusal::Retired => t!(lang, "cannot-buy-retired", item = name),
        other => t!(lang, "cannot-buy-other", item = name, code = other.code()),
    }
}

/// The `error_message` Telegram shows when we refuse a pre-checkout.
pub fn checkout_refusal(lang: Lang, refusal: Refusal) -> String {
    t!(lang, "checkout-refused", reason = refusal.code())
}

/// What to do with a bought item next, for its receipt (a boost waits to be started), on a
/// line of its own.
pub fn next_step(lang: Lang, item: &Item) -> String {
    let id = item.id.as_str();
    let step = match &item.kind {
        ItemKind::Boost { duration: lasts } => t!(lang, "next-boost", id = id, duration = duration(lang, *lasts)),
        ItemKind::Permanent => t!(lang, "next-permanent"),
        _ if item.effects.energy.is_some() => t!(lang, "next-energy", id = id),
        _ => return String::new(),
    };
    format!("\n{step}")
}

/// A payment's receipt: what was added (`5 Energy Refills and 200 gems`) and what comes next.
pub fn receipt(lang: Lang, item_name: &str, amount: u32, granted: &str, next: &str, charge: &str) -> String {
    t!(lang, "receipt", item = item_name, amount = amount, granted = granted, next = next, charge = charge)
}

pub fn auto_refund(lang: Lang, item_name: &str, amount: u32, refusal: Refusal) -> String {
    t!(lang, "auto-refund", item = item_name, reason = refusal.code(), amount = amount)
}

/// At most `max` characters of untrusted text, for echoing it back.
pub fn shorten(text: &str, max: usize) -> String {
    let mut short: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        short.push('…');
    }
    short
}

/// A list in words: `a`, `a and b`, `a, b and c` (`or` with [`or_list`]).
pub fn and_list(lang: Lang, parts: &[String]) -> String {
    match parts {
        [] => t!(lang, "nothing"),
        [one] => one.clone(),
        [rest @ .., last] => t!(lang, "list-and", rest = rest.join(", "), last = last.as_str()),
    }
}

/// `a`, `a or b`, `a, b or c`.
pub fn or_list(lang: Lang, parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => t!(lang, "list-or", rest = rest.join(", "), last = last.as_str()),
    }
}

// ---- the game in chat --------------------------------------------------------------------

/// `2m 30s`, `1h 5m`, `45s` until `at_ms`.
pub fn time_until(lang: Lang, at_ms: i64, now_ms: i64) -> String {
    let secs = ((at_ms - now_ms).max(0) + 999) / 1000;
    match secs {
        s if s >= 3600 => t!(lang, "time-hours-minutes", h = s / 3600, m = s % 3600 / 60),
        s if s >= 60 => t!(lang, "time-minutes-seconds", m = s / 60, s = s % 60),
        s => t!(lang, "time-seconds", s = s),
    }
}

fn energy_line(lang: Lang, player: &PlayerView, now_ms: i64) -> String {
    let (energy, max) = (player.energy, player.energy_max);
    match player.next_point_at {
        Some(next) => t!(lang, "energy-line-next", energy = energy, max = max, time = time_until(lang, next, now_ms)),
        None => t!(lang, "energy-line", energy = energy, max = max),
    }
}

/// `×1.5` for 150 percent.
fn multiplier(lang: Lang, percent: u32) -> String {
    t!(lang, "multiplier", x = f64::from(percent) / 100.0)
}

pub fn dig_found(lang: Lang, find: &Find, player: &PlayerView, catalog: &Catalog, now_ms: i64) -> String {
    // The zone and the find by name in `lang` (English as the dig saw them if the loot changed).
    let zone = catalog.loot.zone_at(find.depth);
    let drop = zone.drops.iter().find(|drop| drop.id == find.drop_id);
    let (zone, drop) = match drop {
        Some(drop) => (zone.name_in(lang), drop.name_in(lang)),
        None => (find.zone.as_str(), find.drop_name.as_str()),
    };
    let rare = if find.rare { format!("{} ", t!(lang, "dig-rare")) } else { String::new() };
    let mut bonus = Vec::new();
    if player.yield_percent > 100 {
        bonus.push(t!(lang, "dig-bonus-yield", mult = multiplier(lang, player.yield_percent)));
    }
    if player.luck_percent > 100 {
        bonus.push(t!(lang, "dig-bonus-luck", mult = multiplier(lang, player.luck_percent)));
    }
    let bonus = if bonus.is_empty() { String::new() } else { format!(" ({})", bonus.join(", ")) };
    t!(
        lang,
        "dig-found",
        depth = find.depth,
        zone = zone,
        rare = rare,
        drop = drop,
        gems = find.gems,
        bonus = bonus,
        total = player.gems,
        energy = energy_line(lang, player, now_ms),
    )
}

pub fn no_energy(lang: Lang, player: &PlayerView, now_ms: i64) -> String {
    let next = match player.next_point_at {
        Some(at) => t!(lang, "no-energy-next", time = time_until(lang, at, now_ms)),
        None => t!(lang, "no-energy-soon"),
    };
    let full = player
        .full_at
        .map(|at| format!(" {}", t!(lang, "no-energy-full", time = time_until(lang, at, now_ms))))
        .unwrap_or_default();
    t!(lang, "no-energy", energy = player.energy, max = player.energy_max, next = next, full = full)
}

pub fn me(lang: Lang, player: &PlayerView, catalog: &Catalog, rank: Option<u64>, now_ms: i64) -> String {
    let rank = rank.map(|rank| t!(lang, "me-rank", rank = rank)).unwrap_or_default();
    let mut lines = vec![
        t!(lang, "me-title"),
        energy_line(lang, player, now_ms),
        t!(lang, "me-gems", gems = player.gems, mined = player.mined, rank = rank),
        t!(lang, "me-depth", depth = player.depth, zone = catalog.loot.zone_at(player.depth).name_in(lang)),
    ];
    let tools: Vec<String> = player
        .inventory
        .keys()
        .filter_map(|id| catalog.find(id))
        .filter(|item| item.is_permanent())
        .map(|item| match item.effects.yield_percent {
            Some(percent) => t!(lang, "me-tool-yield", item = item.name_in(lang), mult = multiplier(lang, percent)),
            None => item.name_in(lang).to_owned(),
        })
        .collect();
    if !tools.is_empty() {
        lines.push(t!(lang, "me-tools", tools = tools.join(", ")));
    }
    for (id, until) in &player.boosts {
        lines.push(t!(lang, "me-boost", item = catalog.name_in(lang, id), time = time_until(lang, *until, now_ms)));
    }
    let items: Vec<String> = player
        .inventory
        .iter()
        .filter_map(|(id, qty)| {
            let item = catalog.find(id).filter(|item| !item.is_permanent())?;
            Some(format!("{} ×{}", item.name_in(lang), number(lang, *qty)))
        })
        .collect();
    if !items.is_empty() {
        lines.push(format!("🎒 {}", items.join(", ")));
    }
    let levels: Vec<String> = catalog
        .economy
        .tracks
        .iter()
        .filter(|track| player.upgrades.level(&track.id) > 0)
        .map(|track| format!("{} {}", track.name_in(lang), number(lang, u64::from(player.upgrades.level(&track.id)))))
        .collect();
    if !levels.is_empty() {
        lines.push(t!(lang, "me-upgrades", levels = levels.join(", ")));
    }
    if player.yield_percent > 100 || player.luck_percent > 100 {
        let (gems, luck) = (multiplier(lang, player.yield_percent), multiplier(lang, player.luck_percent));
        lines.push(t!(lang, "me-every-find", gems = gems, luck = luck));
    }
    lines.push(arcade_allowance(lang, player));
    lines.join("\n")
}

/// What is left of today's arcade gems.
pub fn arcade_allowance(lang: Lang, player: &PlayerView) -> String {
    match player.arcade_gems_left {
        0 => t!(lang, "arcade-won", per_day = player.arcade_gems_per_day),
        left => t!(lang, "arcade-left", left = left, per_day = player.arcade_gems_per_day),
    }
}

/// One ranking: a title, the leaders with medals, and the player's own line below if they
/// are not among them.
fn ranking(
    lang: Lang,
    title: String,
    leaders: &[(UserId, String, u64)],
    me: UserId,
    mine: Option<(u64, u64)>,
) -> Vec<String> {
    let mut lines = vec![title];
    for (at, (user, name, score)) in leaders.iter().enumerate() {
        let medal = ["🥇", "🥈", "🥉"].get(at).copied().unwrap_or("  ");
        let you = if *user == me { format!(" {}", t!(lang, "top-you-marker")) } else { String::new() };
        let place = number(lang, at as u64 + 1);
        lines.push(format!("{medal} {place}. {} — {}{you}", shorten(name, 24), number(lang, *score)));
    }
    if let Some((rank, score)) = mine {
        if rank > leaders.len() as u64 {
            lines.push(format!("   {}", t!(lang, "top-you", rank = rank, score = score)));
        }
    }
    lines
}

/// `/top`: gems mined by digging, and best arcade scores (when anyone has played).
pub fn top(
    lang: Lang,
    miners: &[(UserId, String, u64)],
    arcade: &[(UserId, String, u64)],
    me: UserId,
    mined: Option<(u64, u64)>,
    played: Option<(u64, u64)>,
) -> String {
    if miners.is_empty() && arcade.is_empty() {
        return t!(lang, "top-empty");
    }
    let mut lines = Vec::new();
    if !miners.is_empty() {
        lines.extend(ranking(lang, t!(lang, "top-miners"), miners, me, mined));
    }
    if !arcade.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(ranking(lang, t!(lang, "top-arcade"), arcade, me, played));
    }
    lines.join("\n")
}

pub fn used(lang: Lang, item: &Item, boost_until: Option<i64>, player: &PlayerView, now_ms: i64) -> String {
    let name = item.name_in(lang);
    match boost_until {
        Some(until) => t!(lang, "used-boost", item = name, time = time_until(lang, until, now_ms)),
        None => t!(lang, "used-energy", item = name, energy = energy_line(lang, player, now_ms)),
    }
}

pub fn not_owned(lang: Lang, item: &Item) -> String {
    t!(lang, "not-owned", item = item.name_in(lang), id = item.id.as_str())
}

pub fn not_usable(lang: Lang, item: &Item) -> String {
    t!(lang, "not-usable", item = item.name_in(lang))
}

pub fn energy_already_full(lang: Lang, player: &PlayerView) -> String {
    t!(lang, "energy-already-full", energy = player.energy, max = player.energy_max)
}

pub fn energy_full_notice(lang: Lang, energy: u32) -> String {
    t!(lang, "energy-full-notice", energy = energy)
}

pub fn boost_expired_notice(lang: Lang, item_name: &str) -> String {
    t!(lang, "boost-expired-notice", item = item_name)
}

/// What `level` levels of a track give, e.g. "+20% gems per find".
pub fn track_effect(lang: Lang, track: &Track, level: u32) -> String {
    let amount = level * track.per_level;
    match track.effect {
        TrackEffect::Yield => t!(lang, "track-yield", amount = amount),
        TrackEffect::Luck => t!(lang, "track-luck", amount = amount),
        TrackEffect::EnergyCap => t!(lang, "track-energy-cap", amount = amount),
        TrackEffect::Regen => t!(lang, "track-regen", amount = amount),
        TrackEffect::RunSeconds => t!(lang, "track-run-seconds", amount = amount),
    }
}

/// A skin's name in `lang` by the game's id (`domain::game::SKINS`); an unknown id as it is.
pub fn skin_name(lang: Lang, skin: &str) -> String {
    match skin {
        "classic" => t!(lang, "skin-name-classic"),
        "gold" => t!(lang, "skin-name-gold"),
        "crystal" => t!(lang, "skin-name-crystal"),
        "dragon" => t!(lang, "skin-name-dragon"),
        "aurora" => t!(lang, "skin-name-aurora"),
        other => other.to_owned(),
    }
}

/// Thousands separated as `lang` writes them: 25000 -> "25,000".
pub fn gems(lang: Lang, amount: u64) -> String {
    number(lang, amount)
}

/// The `/upgrades` screen: every track with its level, what it gives and the next level's price,
/// then the cosmetics.
pub fn upgrades(lang: Lang, player: &PlayerView, economy: &Economy) -> String {
    if economy.tracks.is_empty() && economy.cosmetics.is_empty() {
        return t!(lang, "upgrades-none");
    }
    let mut lines = vec![t!(lang, "upgrades-title", gems = player.gems), String::new()];
    for track in &economy.tracks {
        let level = player.upgrades.level(&track.id).min(track.max_level());
        let now = if level == 0 { t!(lang, "upgrade-not-started") } else { track_effect(lang, track, level) };
        let next = match track.cost_of(level + 1) {
            Some(cost) => t!(lang, "upgrade-next", effect = track_effect(lang, track, level + 1), cost = cost),
            None => t!(lang, "upgrade-maxed"),
        };
        let (name, max) = (track.name_in(lang), track.max_level());
        lines.push(t!(lang, "upgrade-line", track = name, level = level, max = max, now = now, next = next));
    }
    for cosmetic in &economy.cosmetics {
        let status = if player.upgrades.cosmetics.contains(&cosmetic.id) {
            t!(lang, "cosmetic-owned")
        } else {
            format!("{} 💎", gems(lang, cosmetic.price_gems))
        };
        let (name, description) = (cosmetic.name_in(lang), cosmetic.description_in(lang));
        lines.push(t!(lang, "cosmetic-line", name = name, status = status, description = description));
    }
    lines.join("\n")
}

/// A track's button: the level it buys and its price, short enough for a phone.
pub fn upgrade_button(lang: Lang, track: &Track, level: u32, cost: u64) -> String {
    format!("{} → {} · {} 💎", shorten(track.name_in(lang), 18), number(lang, u64::from(level)), gems(lang, cost))
}

pub fn cosmetic_button(lang: Lang, cosmetic: &Cosmetic) -> String {
    format!("{} · {} 💎", shorten(cosmetic.name_in(lang), 18), gems(lang, cosmetic.price_gems))
}

/// The toast after a purchase with gems.
pub fn gems_spent(lang: Lang, purchase: &GemPurchase, economy: &Economy) -> String {
    match purchase {
        GemPurchase::Level { track, level, cost } => match economy.track(track) {
            Some(track) => {
                let effect = track_effect(lang, track, *level);
                t!(lang, "gems-spent-level", track = track.name_in(lang), level = *level, effect = effect, cost = *cost)
            }
            None => t!(lang, "gems-spent-level-unknown", level = *level, cost = *cost),
        },
        GemPurchase::Cosmetic { id, cost } => {
            let name = economy.cosmetic(id).map_or(id.as_str(), |cosmetic| cosmetic.name_in(lang));
            t!(lang, "gems-spent-cosmetic", name = name, cost = *cost)
        }
    }
}

/// Why a purchase with gems did not happen (a short toast).
pub fn gems_refused(lang: Lang, refusal: GemRefusal, player: &PlayerView) -> String {
    match refusal {
        GemRefusal::Unknown => t!(lang, "gems-refused-unknown"),
        GemRefusal::NoSuchLevel => t!(lang, "gems-refused-maxed"),
        GemRefusal::AlreadyHave => t!(lang, "gems-refused-have"),
        GemRefusal::NotNext => t!(lang, "gems-refused-order"),
        GemRefusal::NotEnoughGems => t!(lang, "gems-refused-poor", gems = player.gems),
    }
}
