//! The Miner's Pass's texts (`assets/i18n/<lang>/pass.ftl`): `/pass`, its buttons, the
//! subscription's receipts and the notice when a pass ends.

use crate::domain::sales::Day;
use crate::domain::{Item, PassPerks};
use crate::i18n::{t, Lang};

/// A moment as the UTC day the pass texts name (`2027-01-31`).
fn day(at_ms: i64) -> String {
    Day::of(at_ms).to_string()
}

/// What a pass gives while it runs, joined into one phrase.
pub fn pass_perks(lang: Lang, perks: PassPerks, skin: Option<&str>) -> String {
    let mut parts = Vec::new();
    if perks.energy_cap > 0 {
        parts.push(t!(lang, "pass-perk-energy-cap", n = perks.energy_cap));
    }
    if perks.regen > 0 {
        parts.push(t!(lang, "pass-perk-regen", n = perks.regen));
    }
    if perks.daily_gems > 0 {
        parts.push(t!(lang, "pass-perk-daily-gems", n = perks.daily_gems));
    }
    if let Some(skin) = skin {
        parts.push(t!(lang, "pass-perk-skin", skin = super::skin_name(lang, skin)));
    }
    parts.join(", ")
}

fn perks_of(lang: Lang, pass: &Item) -> String {
    pass_perks(lang, pass.pass_perks().unwrap_or_default(), pass.effects.skin.as_deref())
}

/// The pass's paragraph of `/terms`: its refund rule with the designers' window and use limit.
pub fn terms_pass(lang: Lang, window: std::time::Duration, refundable_use: std::time::Duration) -> String {
    t!(
        lang,
        "terms-pass",
        window = crate::i18n::duration(lang, window),
        used = crate::i18n::duration(lang, refundable_use)
    )
}

pub fn pass_offer(lang: Lang, pass: &Item) -> String {
    t!(lang, "pass-offer", name = pass.name_in(lang), price = pass.price.get(), perks = perks_of(lang, pass))
}

pub fn pass_off_sale(lang: Lang) -> String {
    t!(lang, "pass-off-sale")
}

pub fn pass_subscribe_button(lang: Lang, pass: &Item) -> String {
    t!(lang, "pass-button-subscribe", price = pass.price.get())
}

/// The button under a "your pass ended" notice: `/pass`.
pub fn pass_button(lang: Lang) -> String {
    t!(lang, "pass-button")
}

pub fn pass_stop_button(lang: Lang) -> String {
    t!(lang, "pass-button-stop")
}

pub fn pass_resume_button(lang: Lang) -> String {
    t!(lang, "pass-button-resume")
}

/// A running pass: until when, its perks, and whether Telegram renews it.
pub fn pass_status(lang: Lang, pass: &Item, expires_at: i64, renews: bool) -> String {
    let until = day(expires_at);
    let status =
        t!(lang, "pass-status", name = pass.name_in(lang), until = until.as_str(), perks = perks_of(lang, pass));
    let renewal = match renews {
        true => t!(lang, "pass-renews", until = until.as_str(), price = pass.price.get()),
        false => t!(lang, "pass-stopped", until = until.as_str()),
    };
    format!("{status}\n{renewal}\n\n{}", t!(lang, "pass-telegram-note"))
}

pub fn pass_ended(lang: Lang, pass: &Item, expired_at: i64) -> String {
    t!(lang, "pass-ended", name = pass.name_in(lang), until = day(expired_at))
}

pub fn pass_stopped_now(lang: Lang, expires_at: i64) -> String {
    t!(lang, "pass-stopped-now", until = day(expires_at))
}

pub fn pass_resumed(lang: Lang, expires_at: i64) -> String {
    t!(lang, "pass-resumed", until = day(expires_at))
}

pub fn pass_not_stopped_by_bot(lang: Lang) -> String {
    t!(lang, "pass-not-stopped-by-bot")
}

pub fn pass_edit_refused(lang: Lang, reason: &str) -> String {
    t!(lang, "pass-edit-refused", reason = reason)
}

/// The receipt of a subscription's first payment.
pub fn pass_started(lang: Lang, pass: &Item, amount: u32, until: i64, charge: &str) -> String {
    let name = pass.name_in(lang);
    t!(
        lang,
        "pass-started",
        name = name,
        amount = amount,
        until = day(until),
        perks = perks_of(lang, pass),
        charge = charge
    )
}

/// The receipt of a renewal.
pub fn pass_renewed(lang: Lang, name: &str, amount: u32, until: i64, charge: &str) -> String {
    t!(lang, "pass-renewed", name = name, amount = amount, until = day(until), charge = charge)
}

pub fn pass_ended_notice(lang: Lang, name: &str) -> String {
    t!(lang, "pass-ended-notice", name = name)
}

pub fn pass_claim_button(lang: Lang, gems: u32) -> String {
    t!(lang, "pass-button-claim", n = gems)
}

pub fn pass_gems_claimed(lang: Lang, gems: u32, total: u64) -> String {
    t!(lang, "pass-gems-claimed", n = gems, total = total)
}

pub fn pass_gems_already(lang: Lang) -> String {
    t!(lang, "pass-gems-already")
}

pub fn pass_gems_ended(lang: Lang) -> String {
    t!(lang, "pass-gems-ended")
}
