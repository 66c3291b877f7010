//! Every string a player or an admin reads, in one place (the shop's in [`shop`], refunds' in
//! [`refunds`]).

mod menu;
mod refunds;
mod shop;

use std::time::Duration;

use crate::domain::economy::{Cosmetic, Economy, GemPurchase, GemRefusal, Track, TrackEffect};
use crate::domain::{Catalog, Item, ItemKind, Refusal, UserId};
use crate::game::{Find, PlayerView};
use crate::game_data::format_duration;

pub use self::menu::*;
pub use self::refunds::*;
pub use self::shop::*;

pub const START: &str = "⛏ Welcome to Starmine!\n\n\
Dig for gems, go deeper into the mine, spend your gems on upgrades, and gear up with tools and boosts bought with Telegram Stars.\n\n\
/dig — dig for gems (uses energy)\n\
/me — your energy, gems, depth and boosts\n\
/upgrades — spend gems on a sharper pickaxe, more energy and skins\n\
/top — the best miners\n\
/play — Starmine Rush, the arcade run\n\
/use <item> — use a refill or start a boost\n\
/shop — items for sale\n\
/buy <item> — buy an item directly\n\
/inventory — what you own\n\
/refund — refund a recent purchase\n\
/terms — terms of sale\n\
/paysupport — help with a payment";

/// The terms of sale, with the refund window designers set in `settings.toml`.
pub fn terms(refund_window: Duration) -> String {
    format!(
        "📜 Starmine terms of sale\n\n\
• Items are virtual goods for use in Starmine only and are sold for Telegram Stars (⭐).\n\
• You receive an item as soon as Telegram confirms your payment; the receipt shows its charge id.\n\
• You can refund a purchase yourself with /refund within {} while you still hold every \
unit it gave you (used consumables and started boosts can no longer be refunded). Stars go back \
to your Telegram balance.\n\
• If we ever cannot deliver what you paid for, we refund you automatically.\n\
• Refunded or disputed purchases are removed from your inventory.\n\
• Questions about a payment: /paysupport.",
        format_duration(refund_window)
    )
}

pub const PAYSUPPORT: &str = "🛟 Payment support\n\n\
Tell us what went wrong in your next message (what you bought, when, and what you expected). \
We forward it to our team together with your recent payments and answer here.\n\n\
You can refund a recent purchase yourself at any time with /refund. Telegram support cannot \
help with purchases made in bots; we can.";

pub const SUPPORT_SENT: &str = "✅ Thanks — your message is saved and went to our support team with your recent \
payments. We usually answer here within a day.";

/// Stored, but no admin could be reached in chat right now: it waits in the support inbox.
pub const SUPPORT_NO_ADMINS: &str = "✅ Thanks — your message is saved in our support inbox. Nobody from the team \
is online in chat right now, so it may take a day or two; we will answer here.";

/// An admin's answer to the player's support message `#id`.
pub fn support_answer(id: u64, answer: &str) -> String {
    format!("💬 Answer from our support team (your message #{id}):\n\n{answer}")
}

/// To an admin who pressed "Reply" on support message `#id`.
pub fn support_reply_prompt(id: u64) -> String {
    format!("✍️ Send your answer to #{id} as your next message; it goes to the player as is.")
}

/// To an admin, how their answer from chat ended (`crate::admin::ReplyReport`).
pub fn support_reply_result(result: &str, message: &str) -> String {
    format!("{} {result}: {message}", if result == "sent" { "✅" } else { "⚠️" })
}

pub const SUPPORT_NOT_STORED: &str = "⚠️ Sorry — we could not save your message just now. Please send /paysupport \
and your message again in a few minutes.";

pub const UNKNOWN_COMMAND: &str = "I don't know that command. Try /shop, /inventory or /start.";

/// An admin's one-time sign-in link to the operator console.
pub fn admin_link(link: &str, valid_for: Duration) -> String {
    format!(
        "🔐 Your sign-in link to the Starmine console (works once, for {}):\n\n{link}\n\n\
Open it in your browser. Do not forward it: whoever opens it first is signed in as you.",
        format_duration(valid_for)
    )
}

pub const ADMIN_CONSOLE_OFF: &str =
    "The operator console is off on this server: set ADMIN_SESSION_SECRET (32+ characters) and restart.";

pub const NOT_UNDERSTOOD: &str = "⛏ Send /shop to see items for sale, or /start for everything I can do.";

pub const SLOW_DOWN: &str = "🐢 You're buying very fast — please wait a minute and try again.";

pub const GROUP_SHOP: &str = "🛒 The shop is in our private chat — tap below to open it.";

pub const GROUP_BUTTON: &str = "Open the shop";

pub const SHOP_EMPTY: &str = "The shop is empty right now — check back soon.";

pub const INVENTORY_EMPTY: &str = "🎒 Your inventory is empty. Have a look at /shop.";

pub const SERVICE_TROUBLE: &str = "⚠️ Something went wrong on our side. Please try again in a moment.";

pub const PLAY_OFF: &str = "The arcade isn't open here yet — /dig in the meantime!";

/// Why `/buy` (or a Buy button) sends no invoice.
pub fn cannot_buy(item: &Item, refusal: Refusal) -> String {
    match refusal {
        Refusal::SoldOut => format!("😔 {} is sold out.", item.name),
        Refusal::LimitReached => match item.max_per_player {
            Some(max) => format!("You already have the most {} one player may buy ({max}).", item.name),
            None => format!("You can't buy more {} right now.", item.name),
        },
        Refusal::AlreadyOwned => format!("You already own {} — it's yours for good.", item.name),
        Refusal::Retired => format!(
            "{} is no longer sold — it has been retired from the shop. If you own one, it stays yours. See /shop for what's on sale.",
            item.name
        ),
        other => format!("{} can't be bought right now ({}).", item.name, other.code()),
    }
}

/// The `error_message` Telegram shows when we refuse a pre-checkout.
pub fn checkout_refusal(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::UnknownOrder => "This invoice is not one of ours or is no longer valid. Use /shop to buy again.",
        Refusal::NotYourInvoice => "This invoice was created for another player. Use /shop to buy your own.",
        Refusal::AmountMismatch => "The amount does not match this invoice's price. Nothing was charged.",
        Refusal::Expired => "This invoice has expired. Use /shop to get a new one.",
        Refusal::AlreadyPaid => "This invoice is already paid. Use /shop to buy again.",
        Refusal::SoldOut => "Sorry, this item just sold out. Nothing was charged.",
        Refusal::LimitReached => "You have reached the limit for this item. Nothing was charged.",
        Refusal::AlreadyOwned => "You already own this item. Nothing was charged.",
        Refusal::ItemGone | Refusal::Retired => "This item is no longer sold. Nothing was charged.",
    }
}

/// What to do with a bought item next, for its receipt (a boost waits to be started).
pub fn next_step(item: &Item) -> String {
    match &item.kind {
        ItemKind::Boost { duration } => format!(
            "\n▶️ It waits in your inventory until you start it — /use {} here or Start in Starmine Rush — \
             and then runs for {}.",
            item.id,
            format_duration(*duration)
        ),
        ItemKind::Permanent => "\n✨ It works from now on — there is nothing to start.".to_owned(),
        _ if item.effects.energy.is_some() => format!("\n⚡ Use it when you need energy: /use {}.", item.id),
        _ => String::new(),
    }
}

/// A payment's receipt: what was added (`5 Energy Refills and 200 gems`) and what comes next.
pub fn receipt(item_name: &str, amount: u32, granted: &str, next: &str, charge: &str) -> String {
    format!(
        "✅ Payment received — thank you!\n\n{item_name} for {amount} ⭐\nAdded: {granted}{next}\n\nCharge id: {charge}\nKeep it for /refund or /paysupport."
    )
}

pub fn auto_refund(item_name: &str, amount: u32, refusal: Refusal) -> String {
    let why = match refusal {
        Refusal::SoldOut => "it sold out before your payment arrived",
        Refusal::LimitReached => "you reached this item's limit",
        Refusal::AlreadyOwned => "you already own it",
        Refusal::Expired => "the invoice had expired",
        Refusal::AlreadyPaid => "that invoice was already paid",
        Refusal::ItemGone | Refusal::Retired => "it is no longer sold",
        Refusal::NotYourInvoice => "the invoice was made for another player",
        Refusal::AmountMismatch => "the amount did not match the price",
        Refusal::UnknownOrder => "we could not find its order",
    };
    format!("↩️ We could not deliver {item_name} because {why}, so your {amount} ⭐ are being refunded.")
}

/// At most `max` characters of untrusted text, for echoing it back.
pub fn shorten(text: &str, max: usize) -> String {
    let mut short: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        short.push('…');
    }
    short
}

// ---- the game in chat --------------------------------------------------------------------

/// `2m 30s`, `1h 5m`, `45s` until `at_ms`.
pub fn time_until(at_ms: i64, now_ms: i64) -> String {
    let secs = ((at_ms - now_ms).max(0) + 999) / 1000;
    match secs {
        s if s >= 3600 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{}m {}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

fn energy_line(player: &PlayerView, now_ms: i64) -> String {
    match player.next_point_at {
        Some(next) => format!("⚡ {}/{} (+1 in {})", player.energy, player.energy_max, time_until(next, now_ms)),
        None => format!("⚡ {}/{}", player.energy, player.energy_max),
    }
}

fn multiplier(percent: u32) -> String {
    let whole = percent / 100;
    match percent % 100 {
        0 => format!("×{whole}"),
        rest if rest % 10 == 0 => format!("×{whole}.{}", rest / 10),
        rest => format!("×{whole}.{rest:02}"),
    }
}

pub fn dig_found(find: &Find, player: &PlayerView, now_ms: i64) -> String {
    let sparkle = if find.rare { "✨ Rare find! " } else { "" };
    let mut bonus = Vec::new();
    if player.yield_percent > 100 {
        bonus.push(format!("yield {}", multiplier(player.yield_percent)));
    }
    if player.luck_percent > 100 {
        bonus.push(format!("luck {}", multiplier(player.luck_percent)));
    }
    let bonus = if bonus.is_empty() { String::new() } else { format!(" ({})", bonus.join(", ")) };
    format!(
        "⛏ {} m · {}\n{sparkle}You found {}: +{} 💎{bonus}\n\n💎 {} gems · {}",
        find.depth,
        find.zone,
        find.drop_name,
        find.gems,
        player.gems,
        energy_line(player, now_ms)
    )
}

pub fn no_energy(player: &PlayerView, now_ms: i64) -> String {
    let next = player.next_point_at.map_or_else(|| "soon".to_owned(), |at| format!("in {}", time_until(at, now_ms)));
    let full = player.full_at.map(|at| format!(" (full in {})", time_until(at, now_ms))).unwrap_or_default();
    format!(
        "🪫 You're out of energy ({}/{}). The next point comes {next}{full}.\nA refill gets you digging right away.",
        player.energy, player.energy_max
    )
}

pub fn me(player: &PlayerView, catalog: &Catalog, rank: Option<u64>, now_ms: i64) -> String {
    let mut lines = vec![
        "👤 Your miner".to_owned(),
        energy_line(player, now_ms),
        format!(
            "💎 {} gems ({} mined{})",
            player.gems,
            player.mined,
            rank.map(|r| format!(", rank #{r}")).unwrap_or_default()
        ),
        format!("⛏ Depth {} m · {}", player.depth, player.zone),
    ];
    let tools: Vec<String> = player
        .inventory
        .keys()
        .filter_map(|id| catalog.find(id))
        .filter(|item| item.is_permanent())
        .map(|item| match item.effects.yield_percent {
            Some(percent) => format!("{} ({} yield)", item.name, multiplier(percent)),
            None => item.name.clone(),
        })
        .collect();
    if !tools.is_empty() {
        lines.push(format!("🛠 Tools: {}", tools.join(", ")));
    }
    for (id, until) in &player.boosts {
        lines.push(format!("🔮 {} — {} left", catalog.name_of(id), time_until(*until, now_ms)));
    }
    let items: Vec<String> = player
        .inventory
        .iter()
        .filter_map(|(id, qty)| {
            catalog.find(id).filter(|item| !item.is_permanent()).map(|item| format!("{} ×{qty}", item.name))
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
        .map(|track| format!("{} {}", track.name, player.upgrades.level(&track.id)))
        .collect();
    if !levels.is_empty() {
        lines.push(format!("⬆️ Upgrades: {} — /upgrades", levels.join(", ")));
    }
    if player.yield_percent > 100 || player.luck_percent > 100 {
        lines.push(format!(
            "📈 Every find: gems {} · rare finds {}",
            multiplier(player.yield_percent),
            multiplier(player.luck_percent)
        ));
    }
    lines.push(arcade_allowance(player));
    lines.join("\n")
}

/// What is left of today's arcade gems.
pub fn arcade_allowance(player: &PlayerView) -> String {
    match player.arcade_gems_left {
        0 => format!(
            "🕹 Arcade gems: today's {} are won — runs still count for points and the leaderboard (new gems at 00:00 UTC)",
            player.arcade_gems_per_day
        ),
        left => format!("🕹 Arcade gems left today: {left} of {}", player.arcade_gems_per_day),
    }
}

/// One ranking: a title, the leaders with medals, and the player's own line below if they
/// are not among them.
fn ranking(title: &str, leaders: &[(UserId, String, u64)], me: UserId, mine: Option<(u64, u64)>) -> Vec<String> {
    let mut lines = vec![title.to_owned()];
    for (at, (user, name, score)) in leaders.iter().enumerate() {
        let medal = ["🥇", "🥈", "🥉"].get(at).copied().unwrap_or("  ");
        let you = if *user == me { " ← you" } else { "" };
        lines.push(format!("{medal} {}. {} — {score}{you}", at + 1, shorten(name, 24)));
    }
    if let Some((rank, score)) = mine {
        if rank > leaders.len() as u64 {
            lines.push(format!("   You: #{rank} with {score}"));
        }
    }
    lines
}

/// `/top`: gems mined by digging, and best arcade scores (when anyone has played).
pub fn top(
    miners: &[(UserId, String, u64)],
    arcade: &[(UserId, String, u64)],
    me: UserId,
    mined: Option<(u64, u64)>,
    played: Option<(u64, u64)>,
) -> String {
    if miners.is_empty() && arcade.is_empty() {
        return "🏆 Nobody has mined anything yet — /dig to be first!".to_owned();
    }
    let mut lines = Vec::new();
    if !miners.is_empty() {
        lines.extend(ranking("🏆 Top miners (gems mined)", miners, me, mined));
    }
    if !arcade.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(ranking("🕹 Starmine Rush (best run)", arcade, me, played));
    }
    lines.join("\n")
}

pub fn used(item: &Item, boost_until: Option<i64>, player: &PlayerView, now_ms: i64) -> String {
    match boost_until {
        Some(until) => format!("🔮 {} is active for {}.", item.name, time_until(until, now_ms)),
        None => format!("⚡ Used {}: {}", item.name, energy_line(player, now_ms)),
    }
}

pub fn not_owned(item: &Item) -> String {
    format!("You don't have any {} to use. /buy {} gets one.", item.name, item.id)
}

pub fn not_usable(item: &Item) -> String {
    format!("{} works on its own — there's nothing to use.", item.name)
}

pub fn energy_already_full(player: &PlayerView) -> String {
    format!("⚡ Your energy is already full ({}/{}) — keep it for later.", player.energy, player.energy_max)
}

pub fn energy_full_notice(energy: u32) -> String {
    format!("⚡ Your energy is full again ({energy}). Time to dig!")
}

pub fn boost_expired_notice(item_name: &str) -> String {
    format!("⌛ Your {item_name} has run out.")
}

/// What `level` levels of a track give, e.g. "+20% gems per find".
pub fn track_effect(track: &Track, level: u32) -> String {
    let amount = level * track.per_level;
    match track.effect {
        TrackEffect::Yield => format!("+{amount}% gems per find"),
        TrackEffect::Luck => format!("+{amount}% rare-find luck"),
        TrackEffect::EnergyCap => format!("+{amount} max energy"),
        TrackEffect::Regen => format!("energy {amount}s faster a point"),
        TrackEffect::RunSeconds => format!("+{amount}s per arcade run"),
    }
}

/// Thousands with a thin separator: 25000 -> "25,000".
pub fn gems(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The `/upgrades` screen: every track with its level, what it gives and the next level's price,
/// then the cosmetics.
pub fn upgrades(player: &PlayerView, economy: &Economy) -> String {
    if economy.tracks.is_empty() && economy.cosmetics.is_empty() {
        return "⬆️ There are no upgrades yet — check back soon.".to_owned();
    }
    let mut lines = vec![format!("⬆️ Upgrades — you have {} 💎", gems(player.gems)), String::new()];
    for track in &economy.tracks {
        let level = player.upgrades.level(&track.id).min(track.max_level());
        let now = if level == 0 { "not started".to_owned() } else { track_effect(track, level) };
        let next = match track.cost_of(level + 1) {
            Some(cost) => format!("next: {} for {} 💎", track_effect(track, level + 1), gems(cost)),
            None => "maxed out".to_owned(),
        };
        lines.push(format!("{} · level {level}/{}: {now}\n   {next}", track.name, track.max_level()));
    }
    for cosmetic in &economy.cosmetics {
        let status = if player.upgrades.cosmetics.contains(&cosmetic.id) {
            "owned — pick it in the game".to_owned()
        } else {
            format!("{} 💎", gems(cosmetic.price_gems))
        };
        lines.push(format!("🎨 {}: {status}\n   {}", cosmetic.name, cosmetic.description));
    }
    lines.join("\n")
}

/// A track's button: the level it buys and its price, short enough for a phone.
pub fn upgrade_button(track: &Track, level: u32, cost: u64) -> String {
    format!("{} → {level} · {} 💎", shorten(&track.name, 18), gems(cost))
}

pub fn cosmetic_button(cosmetic: &Cosmetic) -> String {
    format!("{} · {} 💎", shorten(&cosmetic.name, 18), gems(cosmetic.price_gems))
}

/// The toast after a purchase with gems.
pub fn gems_spent(purchase: &GemPurchase, economy: &Economy) -> String {
    match purchase {
        GemPurchase::Level { track, level, cost } => match economy.track(track) {
            Some(track) => {
                format!("✅ {} level {level}: {} (−{} 💎)", track.name, track_effect(track, *level), gems(*cost))
            }
            None => format!("✅ Level {level} (−{} 💎)", gems(*cost)),
        },
        GemPurchase::Cosmetic { id, cost } => {
            let name = economy.cosmetic(id).map_or(id.as_str(), |cosmetic| cosmetic.name.as_str());
            format!("✅ {name} is yours — pick it in the game (−{} 💎)", gems(*cost))
        }
    }
}

/// Why a purchase with gems did not happen (a short toast).
pub fn gems_refused(refusal: GemRefusal, player: &PlayerView) -> String {
    match refusal {
        GemRefusal::Unknown => "That upgrade is no longer offered.".to_owned(),
        GemRefusal::NoSuchLevel => "That track is maxed out.".to_owned(),
        GemRefusal::AlreadyHave => "You already have that.".to_owned(),
        GemRefusal::NotNext => "Buy the levels in order — the screen is updated.".to_owned(),
        GemRefusal::NotEnoughGems => {
            format!("Not enough gems: you have {} 💎. Dig or play to earn more.", gems(player.gems))
        }
    }
}
