//! The words of the bot's fixed controls: Telegram's command menu and the game's buttons.

use crate::i18n::{t, Lang};

/// The commands shown in Telegram's menu (setMyCommands) in `lang`, with what each does.
pub fn menu(lang: Lang) -> [(&'static str, String); 16] {
    [
        ("start", t!(lang, "menu-start")),
        ("dig", t!(lang, "menu-dig")),
        ("me", t!(lang, "menu-me")),
        ("top", t!(lang, "menu-top")),
        ("upgrades", t!(lang, "menu-upgrades")),
        ("use", t!(lang, "menu-use")),
        ("play", t!(lang, "menu-play")),
        ("shop", t!(lang, "menu-shop")),
        ("buy", t!(lang, "menu-buy")),
        ("gift", t!(lang, "menu-gift")),
        ("inventory", t!(lang, "menu-inventory")),
        ("pass", t!(lang, "menu-pass")),
        ("refund", t!(lang, "menu-refund")),
        ("terms", t!(lang, "menu-terms")),
        ("paysupport", t!(lang, "menu-paysupport")),
        ("language", t!(lang, "menu-language")),
    ]
}

pub fn dig_button(lang: Lang) -> String {
    t!(lang, "button-dig")
}

pub fn dig_again_button(lang: Lang) -> String {
    t!(lang, "button-dig-again")
}

pub fn me_button(lang: Lang) -> String {
    t!(lang, "button-me")
}

pub fn upgrades_button(lang: Lang) -> String {
    t!(lang, "button-upgrades")
}

pub fn top_button(lang: Lang) -> String {
    t!(lang, "button-top")
}

/// `/language`: the question; its buttons name each language in itself ([`Lang::native_name`]).
pub fn language_choose(lang: Lang) -> String {
    t!(lang, "language-choose")
}

/// The answer to a language chosen, in that language.
pub fn language_set(lang: Lang) -> String {
    t!(lang, "language-set")
}
