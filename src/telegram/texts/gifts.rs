//! What players read about gifts (`assets/i18n/<lang>/gifts.ftl`): how to give one, why one is
//! refused, the gift's invoice, the giver's receipt and the recipient's message.

use crate::domain::{Item, Refusal};
use crate::i18n::{t, Lang};

/// Telegram's limit on an invoice description, in characters.
const INVOICE_DESCRIPTION_MAX: usize = 255;

pub fn gift_button(lang: Lang) -> String {
    t!(lang, "gift-button")
}

pub fn gift_choose(lang: Lang) -> String {
    t!(lang, "gift-choose")
}

pub fn gift_ask_recipient(lang: Lang, item: &Item) -> String {
    t!(lang, "gift-ask-recipient", item = item.name_in(lang))
}

/// `/gift` without an item or a recipient: how, with a real item as the example.
pub fn gift_usage(lang: Lang, example: Option<&Item>) -> String {
    match example {
        Some(item) => t!(lang, "gift-usage", id = item.id.as_str()),
        None => super::shop_empty(lang),
    }
}

/// The recipient is nobody who started the bot (`who` as the giver wrote it).
pub fn gift_unknown_recipient(lang: Lang, who: &str) -> String {
    t!(lang, "gift-unknown-recipient", who = super::shorten(who, 40))
}

pub fn gift_to_self(lang: Lang, item: &Item) -> String {
    t!(lang, "gift-to-self", id = item.id.as_str())
}

/// Why `recipient` (their name) cannot be given `item` now: stock, limits and ownership count
/// for them; other refusals read as for a purchase.
pub fn gift_refused(lang: Lang, item: &Item, recipient: &str, refusal: Refusal) -> String {
    let name = item.name_in(lang);
    match refusal {
        Refusal::SoldOut => t!(lang, "gift-refused-sold-out", item = name),
        Refusal::LimitReached => match item.max_per_player {
            Some(max) => t!(lang, "gift-refused-limit", item = name, name = recipient, max = max),
            None => t!(lang, "gift-refused-more", item = name, name = recipient),
        },
        Refusal::AlreadyOwned => t!(lang, "gift-refused-owned", item = name, name = recipient),
        other => super::cannot_buy(lang, item, other),
    }
}

/// A gift invoice's description: who it is for, then the item's description, within Telegram's
/// 255 characters.
pub fn gift_invoice_description(lang: Lang, item: &Item, recipient: &str) -> String {
    let text = t!(lang, "gift-invoice-description", name = recipient, description = item.description_in(lang));
    text.chars().take(INVOICE_DESCRIPTION_MAX).collect()
}

/// The giver's receipt.
pub fn gift_receipt(lang: Lang, item_name: &str, amount: u32, recipient: &str, charge: &str) -> String {
    t!(lang, "gift-receipt", item = item_name, amount = amount, name = recipient, charge = charge)
}

/// The recipient's message, naming the giver.
pub fn gift_received(lang: Lang, giver: &str, item_name: &str, granted: &str, next: &str) -> String {
    t!(lang, "gift-received", giver = giver, item = item_name, granted = granted, next = next)
}

/// A gift given, as a line of the giver's `/refund` list names it.
pub fn gift_for(lang: Lang, item_name: &str, recipient: &str) -> String {
    t!(lang, "gift-for", item = item_name, name = recipient)
}

pub fn gift_refund_not_yours(lang: Lang) -> String {
    t!(lang, "gift-refund-not-yours")
}

/// The recipient is told that the giver had the gift refunded, and what was taken back.
pub fn gift_revoked(lang: Lang, giver: &str, item_name: &str, taken: &str) -> String {
    t!(lang, "gift-revoked", giver = giver, item = item_name, taken = taken)
}
